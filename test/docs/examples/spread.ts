// Control flow: early return, ternary, && / ||, a module-level constant, a constant-bound loop and
// helper functions (inlined by the compiler).
import { record, unit, reg, u, ufixed, bool, sat } from 'tickforge/dsl';

export const Quote = record('Quote', { bid: ufixed(32, 4), ask: ufixed(32, 4), flags: u(8) });
export const Signal = record('Signal', { spread: ufixed(32, 4), wide: bool(), flagCount: u(4), streak: u(8) });

const WIDE = 500; // $0.05 in Price(4) units
const FLAG_BITS = 8;

function popcount(m: number): number {
  let c = 0;
  for (let i = 0; i < FLAG_BITS; i++) c = c + ((m >> i) & 1);
  return c;
}

export default unit({
  name: 'spread',
  input: Quote,
  output: Signal,
  state: { streak: reg(u(8), 0) },
  step(q, { state }) {
    if (q.ask < q.bid) return undefined; // crossed: no output, state unchanged
    // Ranges follow the code: below the test above, q.ask - q.bid is 0..2^32-1, so it fits a ufixed(32, 4) field.
    const spread = q.ask - q.bid;
    const wide = (spread > WIDE && q.flags !== 0) || spread > 2 * WIDE;
    state.streak = wide ? sat(state.streak + 1, u(8)) : 0;
    return { spread, wide, flagCount: popcount(q.flags), streak: state.streak };
  },
});
