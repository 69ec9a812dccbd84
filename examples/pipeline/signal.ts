// A small strategy stage for the pipeline example (examples/pipeline/system.ts): reads the ITCH feed's Add Orders and
// turns each into an order intent for the risk gate. An Add of at least `minShares` shares makes an order of
// `orderQty` shares on the same side at the same price (joining size); every smaller Add sets the symbol's
// reference price instead, so the gate's price band has something to check against. Every other message is ignored.
// Its output has no TREADY (flow 'strobe', like the feed's), so it never stalls the feed; the system puts a FIFO
// between it and the gate, which can stall.
import { unit, param, u, bits } from 'tickforge/dsl';
import { ItchMsg } from '../itch-feed/feed.ts';
import { Intent, Kind } from '../risk-gate/gate.ts';

// Add Order ('A', ITCH 5.0 §1.3.1), big-endian fields at message offsets 19 side, 20 shares (4), 32 price (4).
// The feed's ItchMsg holds message byte 11 + j at word j >> 3, bits 8 (j % 8) + 7 .. 8 (j % 8) of p0..p4.

export default unit({
  name: 'signal',
  input: ItchMsg,
  output: Intent,
  flow: 'strobe',
  params: {
    minShares: param(u(32), 500, 'An Add Order of at least this many shares becomes an order intent'),
    orderQty: param(u(32), 100, 'Shares of each order intent'),
  },
  step(m, { params: p }) {
    if (m.type !== 'A') return undefined;
    // shares: message bytes 20..23 = p bytes 9..12 = p1 bytes 1..4
    const shares = bits(m.p1, 15, 8) * 0x1000000 + bits(m.p1, 23, 16) * 0x10000 + bits(m.p1, 31, 24) * 0x100 + bits(m.p1, 39, 32);
    // price: message bytes 32..35 = p bytes 21..24 = p2 bytes 5..7, p3 byte 0
    const price = bits(m.p2, 47, 40) * 0x1000000 + bits(m.p2, 55, 48) * 0x10000 + bits(m.p2, 63, 56) * 0x100 + bits(m.p3, 7, 0);
    // side: message byte 19 = p byte 8 = p1 byte 0, 'B' or 'S'
    const side = bits(m.p1, 7, 0) === 0x53 ? 'S' : 'B';
    if (shares >= p.minShares) return { kind: Kind.Order, locate: m.stockLocate, side, qty: p.orderQty, price };
    return { kind: Kind.RefPrice, locate: m.stockLocate, side, qty: 0, price };
  },
});
