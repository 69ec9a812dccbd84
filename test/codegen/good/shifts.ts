// Narrowed left shifts (wrap(x << k) computed at the target width), multiplications by powers of two (wiring,
// no pre-compute stage), and characters to their ASCII codes.
import { record, unit, u, i, char, wrap } from 'tickforge/dsl';

const In = record('In', { x: u(40), y: i(20), c: char() });
const Out = record('Out', { hi: u(64), neg: i(64), code: u(8), scaled: u(48) });

export default unit({
  name: 'shifts',
  input: In,
  output: Out,
  step(o) {
    const hi = wrap(BigInt(o.x) << 48n, u(64)); // an 88-bit shift narrowed to 64 bits
    const neg = wrap(BigInt(o.y) << 60n, i(64));
    const code = o.c.charCodeAt(0);
    const scaled = wrap(o.x * 256, u(48));
    return { hi, neg, code, scaled };
  },
});
