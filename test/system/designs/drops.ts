// A strobe producer into a 2-record FIFO in front of the risk gate, with the OUCH encoder's 7-beat packets behind:
// at full input rate the FIFO overflows, so records are dropped and counted (DROPS), and the composed model must
// drop exactly the same ones (it is told which by the RTL's channel taps).
import { system, fifo } from 'tickforge/dsl';
import { Rng, type RecordValue } from 'tickforge/dsl';
import signal from '../../../examples/pipeline/signal.ts';
import gate from '../../../examples/risk-gate/gate.ts';
import route from '../../../examples/pipeline/route.ts';
import encoder from '../../../examples/ouch-encoder/encoder.ts';
import { ItchMsg } from '../../../examples/itch-feed/feed.ts';

export default system({
  name: 'drops',
  stages: [signal, fifo(2), gate, route, encoder],
});

/** Add Orders ('A') on a few symbols: shares around signal's 500 threshold, prices near a per-symbol level. */
export function synthetic(rng: Rng, i: number): RecordValue<typeof ItchMsg> {
  const locate = 1 + rng.below(8);
  const shares = rng.chance(0.5) ? 500 + rng.below(2000) : rng.below(500);
  const price = 100_000 + locate * 1000 + rng.below(200);
  const be = (v: number, n: number) => {
    let r = 0n;
    for (let k = 0; k < n; k++) r |= BigInt((v >>> (8 * (n - 1 - k))) & 0xff) << BigInt(8 * k);
    return r;
  };
  // p1: byte 0 side, bytes 1..4 shares (big-endian); p2 bytes 5..7 + p3 byte 0: price (big-endian).
  const side = rng.chance(0.5) ? 0x42 : 0x53;
  const p1 = BigInt(side) | (be(shares, 4) << 8n);
  const pb = be(price, 4);
  return {
    sequence: BigInt(i + 1),
    p0: BigInt(i + 1),
    p1,
    p2: (pb & 0xffffffn) << 40n,
    p3: pb >> 24n,
    p4: 0n,
    type: 'A',
    timestamp: i,
    stockLocate: locate,
    trackingNumber: 0,
    length: 36,
  };
}
