// Exact arithmetic and every intrinsic, one output field each.
import { record, unit, u, i, bool, wrap, sat, bits, bitsBig, bit, div, mod, min, max } from 'tickforge/dsl';

export const In = record('In', { a: u(32), b: u(32), x: i(16), wide: u(64) });
export const Out = record('Out', {
  sum: u(33), //      a + b, exact (no wrap)
  low: u(8), //       wrap(a + b, u(8))
  clamped: i(8), //   sat(x, i(8))
  q: u(32), //        div(a, b): truncating; b = 0 gives 0
  r: u(32), //        mod(a, b): b = 0 gives a
  top: u(4), //       bits(a, 31, 28)
  hiWord: u(32), //   bits(wide, 63, 32): a number
  hiBig: u(64), //    bitsBig(wide, 63, 8): a bigint
  odd: bool(), //     bit(a, 0)
  least: u(32), //    min(a, b)
  most: i(16), //     max(x, 0): 0 for negative x
  notional: u(64), // BigInt(a) * BigInt(b)
  small: u(16), //    Number(wide & 0xffffn)
  quarter: i(14), //  x >> 2 (arithmetic shift; x is within 32 bits)
});

export default unit({
  name: 'arith',
  input: In,
  output: Out,
  step(o) {
    return {
      sum: o.a + o.b,
      low: wrap(o.a + o.b, u(8)),
      clamped: sat(o.x, i(8)),
      q: div(o.a, o.b),
      r: mod(o.a, o.b),
      top: bits(o.a, 31, 28),
      hiWord: bits(o.wide, 63, 32),
      hiBig: bitsBig(o.wide, 63, 8),
      odd: bit(o.a, 0),
      least: min(o.a, o.b),
      most: max(o.x, 0),
      notional: BigInt(o.a) * BigInt(o.b),
      small: Number(o.wide & 0xffffn),
      quarter: o.x >> 2,
    };
  },
});
