// Repro (not a mismatch): a wrapping 64-bit accumulator, allowed by docs/dsl.md ("Intermediate values may be up to
// 128 bits wide"), builds and co-simulates model vs RTL with 0 mismatches, but the default cosim (backends
// model,rtl,hls) stops with "a 65-bit intermediate value; the HLS back end supports up to 64 bits" and exit 2.
//   npx tickforge build examples/from-docs/repro-hls-wrap64.ts --out /tmp/fd-repro
//   npx tickforge cosim examples/from-docs/repro-hls-wrap64.ts --input synthetic:1000 --seed 3 --out /tmp/fdc-repro
import { record, unit, reg, u, wrap } from 'tickforge/dsl';

export const In = record('In', { x: u(64) });
export const Out = record('Out', { acc: u(64) });

export default unit({
  name: 'repro_hls_wrap64',
  input: In,
  output: Out,
  state: { acc: reg(u(64), 0n) },
  step(o, { state: s }) {
    s.acc = wrap(s.acc + o.x, u(64)); // the sum is 65 bits before the wrap
    return { acc: s.acc };
  },
});
