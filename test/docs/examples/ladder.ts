// A top-4 bid ladder in a vector of records: each input inserts a level at a position; the output is the best bid,
// the level at a queried position and whether the ladder is full (docs/dsl.md "Vectors").
import { unit, record, reg, vec, u, bool, min, Rng, type RecordValue } from 'tickforge/dsl';

const DEPTH = 4;
export const Level = record('Level', { price: u(32), qty: u(32) });
export const Update = record('Update', { price: u(32), qty: u(32), pos: u(8), ask: u(8) });
export const Top = record('Top', { best: u(32), bestQty: u(32), asked: u(32), total: u(34), full: bool() });

export default unit({
  name: 'ladder',
  input: Update,
  output: Top,
  state: { bids: reg(vec(Level, DEPTH)), n: reg(u(3), 0) },
  step(x, { state }) {
    const at = min(x.pos, DEPTH - 1); // a clamp: at is 0..3, a valid index
    // Insert at `at`: the levels below it move one place down, the last one drops off.
    for (let k = DEPTH - 1; k > 0; k--) if (k > at) state.bids[k] = state.bids[k - 1];
    state.bids[at] = { price: x.price, qty: x.qty };
    if (state.n < DEPTH) state.n++;
    let total = 0;
    for (const l of state.bids) total += l.qty;
    if (x.ask >= DEPTH) return undefined; // a guard: below it, x.ask is 0..3
    return { best: state.bids[0].price, bestQty: state.bids[0].qty, asked: state.bids[x.ask].price, total, full: state.n === DEPTH };
  },
});

// Host-side stimulus for `tickforge cosim --input synthetic:N`: positions and queries around the ladder's depth.
export function synthetic(rng: Rng): RecordValue<typeof Update> {
  return { price: rng.below(1_000_000), qty: rng.below(5_000), pos: rng.below(DEPTH + 2), ask: rng.below(DEPTH + 1) };
}
