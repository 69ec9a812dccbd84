// Operators the delay model prices as one LUT level (test/timing/schedule.test.ts): a clamp at 0 of a difference
// (the sign bit selects), a shift whose amount has two live bits (a 4:1 mux), a constant shifted by a variable
// amount (a lookup on the amount's bits).
import { record, unit, reg, u, sat, bits, wrap } from 'tickforge/dsl';

export const In = record('In', { n: u(3), p: u(3), i: u(5), w: u(32) });
export const Out = record('Out', { lane: u(8), flag: u(1), left: u(16) });

export default unit({
  name: 'cheap_ops',
  input: In,
  output: Out,
  state: { left: reg(u(16), 1000) },
  step(x, { state: s }) {
    const left = sat(s.left - x.n, u(16));
    s.left = left;
    return { lane: bits(x.w >>> ((x.p & 3) * 8), 7, 0), flag: bits(0x1640534 >>> x.i, 0, 0), left: wrap(left, u(16)) };
  },
});
