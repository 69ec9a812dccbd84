// Characters from codes: String.fromCharCode of a value provably in 0..127, as ITCH message types are decoded.
import { record, unit, u, char, bits } from 'tickforge/dsl';

const In = record('In', { code: u(8), shift: u(2) });
const Out = record('Out', { c: char(), upper: char(), isB: u(1) });

export default unit({
  name: 'chars',
  input: In,
  output: Out,
  step(o) {
    const c = String.fromCharCode(bits(o.code, 6, 0));
    const upper = String.fromCharCode(65 + bits(o.code, 4, 0));
    return { c, upper, isB: c === 'B' ? 1 : 0 };
  },
});
