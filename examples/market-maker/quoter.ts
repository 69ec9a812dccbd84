// The market maker's strategy (examples/market-maker/system.ts): reacts to the book's top-of-book records and to its
// own fills, and quotes both sides of every tracked symbol around the mid. The strategy API (what a strategy sees,
// in which order, and what it may assume) is docs/strategy.md.
//
// On a top-of-book record of a symbol with both sides known (neither empty nor degraded) it requotes when the mid
// moved by at least `requoteTicks` since its last quote, or `minInterval` cycles passed: three records for the risk
// gate, the new reference price (the mid) and a buy and a sell order intent
//   bid = mid - half - skew,  ask = mid + half - skew,  half = halfSpread + widen,
//   skew = position * skewPerShare / 1024 (long: both quotes lower, to sell; short: higher),
//   widen = max(0, w0 * spread + w1 * imbalance + w2 * midChange) / 256 (a linear signal, host-loaded weights:
//           a wide spread, a lopsided book or a fast move widens the quotes).
// A symbol whose book is one-sided or degraded gets its quotes pulled (two intents of 0 shares: the order manager
// cancels the resting orders), once.
// On a fill (from the host: the OUCH session's executions) the symbol's position moves by the filled shares.
import { record, unit, param, paramVec, table, u, i, bool, char, wrap, max, min, roundShift } from 'tickforge/dsl';
import { BookTop } from './book.ts';
import { Intent, Kind } from '../risk-gate/gate.ts';

export const Fill = record('Fill', {
  locate: u(16),
  side: char(), // 'B': we bought, 'S': we sold
  shares: u(32),
});

/** A position is kept within +-2^31 shares (saturating). */
const Position = i(32);

export default unit({
  name: 'quoter',
  inputs: { top: BookTop, fill: Fill },
  output: Intent,
  outputs: 3,
  params: {
    halfSpread: param(u(32), 100, 'Half the quoted spread at no signal, in Price(4) units (100 = 1 cent)'),
    requoteTicks: param(u(32), 100, 'Requote when the mid moved at least this much (Price(4) units) since the last quote'),
    minInterval: param(u(32), 3_000_000, 'Requote anyway after this many cycles (~10 ms at 322 MHz)'),
    quoteShares: param(u(32), 100, 'Shares of each quote'),
    skewPerShare: param(u(16), 1, 'Skew per share of position, in 1/1024 Price(4) units'),
    w: paramVec(i(16), 3, [0, 0, 0], 'Signal weights (/256): spread, bid-ask size imbalance (shares), mid change'),
  },
  tables: {
    // Keyed by the book's slot (BookTop.slot, from the host-loaded locate -> slot map of orders.ts).
    lastMid: table({ key: u(10), value: u(32), capacity: 1024, memory: 'bram' }), // 0: not quoting
    lastTime: table({ key: u(10), value: u(48), capacity: 1024, memory: 'bram' }),
    // Keyed by the stock locate itself (every one of them): a fill names a locate, not a slot, so the position needs
    // no map (and a fill of a locate the map does not track moves a position no quote reads).
    position: table({ key: u(16), value: Position, capacity: 65536, memory: 'bram' }),
  },
  on: {
    top(b, { params: p, tables: t, now }) {
      const k = b.slot;
      const prevMid = t.lastMid.get(k); // 0: not quoting
      const quoting = prevMid !== 0;
      const usable = !b.bidDegraded && !b.askDegraded && b.bidShares !== 0 && b.askShares !== 0 && b.askPrice > b.bidPrice;
      const mid = roundShift(b.bidPrice + b.askPrice, 1, 'floor');
      // Keep the quotes (`stay`) while |mid - prevMid| < requoteTicks and now - lastTime < minInterval. Written as
      // compares of the state with bounds worked out from the record and the params before the state is read, so
      // the update closes in a cycle; the lower bound is at least 0, so a symbol not quoting (prevMid 0) never stays.
      const stay = prevMid > max(mid - p.requoteTicks, 0) && prevMid < mid + p.requoteTicks && t.lastTime.get(k) > now - p.minInterval;
      t.lastMid.set(k, !usable ? 0 : stay ? prevMid : mid);
      if (usable && !stay) t.lastTime.set(k, now);
      if (!usable) {
        if (!quoting) return undefined;
        // Pull both quotes: the order manager cancels the resting orders.
        return [
          { kind: Kind.Order, locate: b.locate, side: 'B', qty: 0, price: prevMid },
          { kind: Kind.Order, locate: b.locate, side: 'S', qty: 0, price: prevMid },
        ];
      }
      if (stay) return undefined;

      const spread = b.askPrice - b.bidPrice;
      const imbalance = b.bidShares - b.askShares;
      const change = quoting ? mid - prevMid : 0;
      const score = p.w[0] * spread + p.w[1] * imbalance + p.w[2] * change;
      const widen = min(roundShift(max(score, 0), 8, 'floor'), 0xffff_ffff);
      const skew = roundShift(t.position.get(b.locate) * p.skewPerShare, 10, 'floor');
      // bid = mid - (halfSpread + widen) - skew and ask = mid + (halfSpread + widen) - skew, each clamped to 1..2^32-1.
      // Regrouped so that what does not wait for the multipliers (mid -/+ halfSpread and the clamp's bounds on it) is
      // done before them, and the clamp's compares run beside the last subtraction instead of after it (exact
      // integers: the same values as the formula above).
      const bidBase = mid - p.halfSpread;
      const askBase = mid + p.halfSpread;
      const bidOff = widen + skew; // bid = bidBase - bidOff
      const askOff = skew - widen; // ask = askBase - askOff
      // In the last arm the difference is in 1..2^32-1 (the compares say so), so the wrap changes nothing; it tells the
      // compiler the width, which it cannot see through the compares.
      const bid = bidOff > bidBase - 1 ? 1 : bidOff < bidBase - 0xffff_ffff ? 0xffff_ffff : wrap(bidBase - bidOff, u(32));
      const ask = askOff > askBase - 1 ? 1 : askOff < askBase - 0xffff_ffff ? 0xffff_ffff : wrap(askBase - askOff, u(32));
      return [
        { kind: Kind.RefPrice, locate: b.locate, side: 'B', qty: 0, price: mid },
        { kind: Kind.Order, locate: b.locate, side: 'B', qty: p.quoteShares, price: bid },
        { kind: Kind.Order, locate: b.locate, side: 'S', qty: p.quoteShares, price: ask },
      ];
    },
    fill(f, { tables: t }) {
      const k = f.locate;
      // pos + d saturated to the position's range, with the bounds (MAX - d, MIN - d) worked out before the state read.
      const d = f.side === 'B' ? f.shares : -f.shares;
      const pos = t.position.get(k);
      const next = pos > 0x7fff_ffff - d ? 0x7fff_ffff : pos < -0x8000_0000 - d ? -0x8000_0000 : wrap(pos + d, Position);
      t.position.set(k, next);
      return undefined;
    },
  },
});
