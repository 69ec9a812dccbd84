// Shifts by variable amounts, which the Verilog back end writes out as one 2:1 mux per amount bit (rtl/emit.ts,
// shiftStages): chains of them under a low-bit wrap (Verilator 5.048 folded (x << a) << b into x << (a + b) with
// the sum wrapped to 2 bits), right shifts of 1-bit values, amounts past the value's width, arithmetic shifts.
import { record, unit, u, i, wrap, bits, Rng, type RecordValue } from 'tickforge/dsl';

const In = record('In', { g: u(17), s: u(8), y: u(60), z: i(64), n1: i(1), b1: u(1), h: i(16) });
const Out = record('Out', { l2: u(16), l3: u(16), r2: u(17), rs: i(16), rb: u(60), rz: i(64), r1: i(1), sl1: u(2), rw: u(8) });

export default unit({
  name: 'shiftchains',
  input: In,
  output: Out,
  step(o) {
    const a = bits(o.s, 1, 0);
    const b = bits(o.s, 3, 2);
    return {
      l2: wrap((o.g << a) << b, u(16)),
      l3: wrap(((o.g << a) << b) << bits(o.s, 5, 4), u(16)),
      r2: (o.g >> a) >> b,
      rs: (o.h >> a) >> b,
      rb: (o.y >> BigInt(bits(o.s, 6, 0))) >> BigInt(b), // amounts up to 127: past the 60 bits
      rz: o.z >> BigInt(bits(o.s, 6, 0)), // arithmetic, amounts past the 64 bits
      r1: o.n1 >> bits(o.s, 2, 0), // a 1-bit signed value
      sl1: o.b1 << bits(o.s, 0, 0), // a 1-bit amount
      rw: wrap(BigInt(o.g) >> BigInt(bits(o.s, 4, 0)), u(8)),
    };
  },
});

export function synthetic(rng: Rng): RecordValue<typeof In> {
  const edge = (w: number) => [0n, 1n, (1n << BigInt(w)) - 1n, 1n << BigInt(w - 1), rng.bits(w)][rng.below(5)];
  return {
    g: Number(edge(17)),
    s: rng.below(256),
    y: edge(60),
    z: BigInt.asIntN(64, edge(64)),
    n1: -rng.below(2),
    b1: rng.below(2),
    h: Number(BigInt.asIntN(16, edge(16))),
  };
}
