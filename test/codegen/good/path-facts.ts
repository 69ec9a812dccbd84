// Ranges that follow the code at their edges, co-simulated three-way by the corpus test: facts from a guard used
// inside a helper, from the right of &&, from a negated ||, an equality with a constant, max(x, y) - y, a signed
// value proven non-negative, a small divisor proven non-zero, and facts under a select fitted later.
import { record, unit, reg, u, i, max } from 'tickforge/dsl';

const In = record('In', { a: u(16), b: u(16), s: i(16), d: u(3), m: u(8) });
const Out = record('Out', { diff: u(16), both: u(16), either: u(16), fixed: u(4), up: u(16), pos: u(15), rem: u(3), sel: u(16), n: u(2) });

function gap(hi: number, lo: number): number {
  return hi - lo; // its caller's guard proves hi >= lo
}

export default unit({
  name: 'pathfacts',
  input: In,
  output: Out,
  state: { n: reg(u(2), 0) },
  step(x, { state }) {
    if (state.n !== 3) state.n++; // n is 0..2 on this path
    if (x.a < x.b) return undefined;
    const diff = gap(x.a, x.b);
    const both = x.m > 3 && x.a >= x.m ? x.a - x.m : 0;
    const either = !(x.m > x.b || x.d === 0) ? x.b - x.m : 0; // false || false: m <= b and d !== 0
    const fixed = x.m === 9 ? x.m : 0; // 9 fits u(4)
    const up = max(x.a, x.b) - x.b;
    if (x.s < 0) return undefined;
    const pos = x.s; // 0..32767
    if (x.d === 0) return undefined;
    const rem = x.m % x.d;
    const d2 = x.b - x.m; // may be negative here
    const sel = x.b >= x.m ? d2 : 0; // but not where it is selected
    return { diff, both, either, fixed, up, pos, rem, sel, n: state.n };
  },
});
