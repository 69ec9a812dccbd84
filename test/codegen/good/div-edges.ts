// Signed division and remainder at their edges: the most negative dividend divided by -1, where the quotient needs
// one bit more than the dividend (div(-2^22, -1) of an i(23) is 2^22; the HLS back end used to divide at the
// operands' 23 bits and got -2^22), and 64-bit operands, where the HLS back end divides the int64_t images (the
// quotient's range must fit 64 bits, so -2^63 / -1 cannot reach it: that is TF120) and computes the remainder with
// ap_int (int64_t -2^63 % -1 traps in g++'s C-simulation).
import { record, unit, i, div, mod, min, Rng, type RecordValue } from 'tickforge/dsl';

const In = record('In', { a: i(63), b: i(64), c: i(8), d: i(64), e: i(23) });
const Out = record('Out', { q0: i(24), q1: i(64), q2: i(64), q3: i(16), r1: i(64), r2: i(8) });

export default unit({
  name: 'divedges',
  input: In,
  output: Out,
  step(o) {
    return {
      q0: div(o.e, o.c), // -2^22 / -1 = 2^22
      q1: div(o.a, o.b), // -2^62 / -1 = 2^62: 64 bits, the result's width
      q2: div(o.a, BigInt(min(o.c, -1))),
      q3: Number(div(BigInt(o.c), o.b)),
      r1: mod(o.d, min(o.b, -1n)), // -2^63 % -1 = 0
      r2: Number(mod(o.d, BigInt(min(o.c, -1)))),
    };
  },
});

const pick = <T>(rng: Rng, xs: T[]): T => xs[rng.below(xs.length)];
export function synthetic(rng: Rng): RecordValue<typeof In> {
  const e64 = [-(2n ** 63n), 2n ** 63n - 1n, -(2n ** 63n) + 1n, -1n, 0n, 1n, -5n, 7n, rng.bits(64) - 2n ** 63n];
  const e63 = [-(2n ** 62n), 2n ** 62n - 1n, -1n, 0n, 1n, -5n, 7n];
  return {
    a: pick(rng, e63),
    b: pick(rng, e64),
    c: pick(rng, [-1, -128, 127, 0, 1, 3, -7]),
    d: pick(rng, e64),
    e: pick(rng, [-(2 ** 22), 2 ** 22 - 1, -1, 0, 5, -6]),
  };
}
