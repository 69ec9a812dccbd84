// Several inputs (docs/dsl.md "Several inputs"): a quoter that reacts to mid-price ticks and to its own fills. One
// handler per input in `on`; both read and write the same state (the position) and the same table; the arbiter
// takes one record per cycle from the two streams, so every event sees the state the one before it left.
import { record, unit, param, reg, table, u, i, bool, enumOf, wrap, sat, type RecordValue, Rng } from 'tickforge/dsl';

export enum Side {
  Buy = 'B',
  Sell = 'S',
}

export const Tick = record('Tick', { locate: u(10), mid: u(32) });
export const Fill = record('Fill', { locate: u(10), side: enumOf('Side', Side), qty: u(16) });
export const Quote = record('Quote', { locate: u(10), bid: u(32), ask: u(32), position: i(32), fromFill: bool() });

export default unit({
  name: 'inventory',
  inputs: { tick: Tick, fill: Fill },
  output: Quote,
  params: {
    halfSpread: param(u(16), 10, 'Quote this far either side of the mid, flat'),
    skewShift: param(u(4), 6, 'Shift the quotes by position >> skewShift ticks'),
  },
  state: { fills: reg(u(32), 0, { status: true, doc: 'fills seen' }) },
  tables: {
    position: table({ key: u(10), value: i(32), capacity: 1024, memory: 'lutram' }),
    lastMid: table({ key: u(10), value: u(32), capacity: 1024 }),
  },
  on: {
    tick(t, { params: p, tables: tb }) {
      tb.lastMid.set(t.locate, t.mid);
      return quote(t.locate, t.mid, tb.position.get(t.locate), p.halfSpread, p.skewShift, false);
    },
    fill(f, { params: p, state: s, tables: tb }) {
      s.fills = wrap(s.fills + 1, u(32));
      const pos = tb.position.get(f.locate);
      const dq = f.side === Side.Buy ? f.qty : -f.qty; // from the input alone: the update is one adder
      const next = wrap(pos + dq, i(32));
      tb.position.set(f.locate, next);
      const mid = tb.lastMid.get(f.locate);
      if (mid === 0) return undefined; // no tick yet: nothing to requote
      return quote(f.locate, mid, next, p.halfSpread, p.skewShift, true);
    },
  },
});

/** Quotes around the mid, both sides moved against the position (long: lower, to sell more and buy less). */
function quote(locate: number, mid: number, pos: number, half: number, shift: number, fromFill: boolean): RecordValue<typeof Quote> {
  const skew = pos >> shift; // arithmetic shift: floor(pos / 2^shift)
  const center = mid - skew;
  const bid = center > half ? center - half : 0;
  const ask = sat(center + half, u(32));
  return { locate, bid: sat(bid, u(32)), ask: ask > 0 ? ask : 0, position: pos, fromFill };
}

/** A tick or a fill (about one in four) on 50 symbols. */
export function synthetic(rng: Rng): { tick: RecordValue<typeof Tick> } | { fill: RecordValue<typeof Fill> } {
  const locate = 1 + rng.below(50);
  if (rng.chance(0.25)) return { fill: { locate, side: rng.chance(0.5) ? Side.Buy : Side.Sell, qty: 1 + rng.below(500) } };
  return { tick: { locate, mid: 100_000 + rng.below(5_000) } };
}
