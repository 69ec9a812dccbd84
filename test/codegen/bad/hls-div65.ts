// The front end accepts this (the Verilog back end divides at 65 bits); the HLS back end, limited to 64-bit
// values, rejects it with TF120: div(-2^63, -1) is 2^63, so the quotient's range needs 65 bits, even below wrap().
import { record, unit, i, div, min, wrap } from 'tickforge/dsl';

const In = record('In', { d: i(64), c: i(8) });
const Out = record('Out', { q: i(64) });

export default unit({
  name: 'hlsdiv65',
  input: In,
  output: Out,
  step(o) {
    return { q: wrap(div(o.d, BigInt(min(o.c, -1))), i(64)) };
  },
});
