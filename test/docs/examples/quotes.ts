// Records as values: record-typed locals, helper parameters and returns, a record in state, and `{ ...r, f: v }`
// to make a changed copy (docs/dsl.md "Records as values").
import { record, unit, reg, u, bool, bits, wrap, type RecordValue, Rng } from 'tickforge/dsl';

export const Tick = record('Tick', { bid: u(32), ask: u(32), size: u(16), reset: bool() });
export const Summary = record('Summary', { mid: u(32), bestBid: u(32), bestAsk: u(32), lastSize: u(16), moves: u(16) });

export const Quote = record('Quote', { bid: u(32), ask: u(32), size: u(16) });
type Quote = RecordValue<typeof Quote>;

const NONE: Quote = { bid: 0, ask: 0xffff_ffff, size: 0 }; // a constant record

/** The tighter of two quotes on each side: a helper taking and returning records. */
function tighter(a: Quote, b: Quote): Quote {
  return { bid: a.bid > b.bid ? a.bid : b.bid, ask: a.ask < b.ask ? a.ask : b.ask, size: b.size };
}

function mid(q: Quote): number {
  return bits(q.bid + q.ask, 32, 1); // (bid + ask) / 2, from the exact 33-bit sum
}

export default unit({
  name: 'quotes',
  input: Tick,
  output: Summary,
  state: { last: reg(Quote), best: reg(Quote, NONE), moves: reg(u(16), 0) },
  step(t, { state }) {
    const q: Quote = { bid: t.bid, ask: t.ask, size: t.size }; // a record-typed local
    if (t.reset) state.best = NONE;
    const moved = q.bid !== state.last.bid || q.ask !== state.last.ask;
    state.last = moved ? q : { ...state.last, size: q.size }; // a copy with one field changed
    state.best = tighter(state.best, q);
    if (moved) state.moves = wrap(state.moves + 1, u(16));
    return { mid: mid(q), bestBid: state.best.bid, bestAsk: state.best.ask, lastSize: state.last.size, moves: state.moves };
  },
});

export function synthetic(rng: Rng): RecordValue<typeof Tick> {
  const bid = 1_000_000 + rng.below(8);
  return { bid, ask: bid + 1 + rng.below(4), size: rng.below(1000), reset: rng.chance(0.02) };
}
