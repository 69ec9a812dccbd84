// Repro (HLS C-simulation abort; model and RTL agree): bits(hi, lo) of an i(64) state register whose assigned
// values are narrower than its type. HLS C-sim: "ERROR [tickforge ap_int.h]: range(hi, lo): index out of range".
//   npx tickforge cosim examples/from-docs/repro-hls-bits-range.ts --input synthetic:1000 --seed 3 --out /tmp/fdc-bitsr
import { record, unit, reg, u, i, bits } from 'tickforge/dsl';

export const In = record('In', { x: u(32) });
export const Out = record('Out', { hi: u(32), at: u(48) });

export default unit({
  name: 'repro_hls_bits_range',
  input: In,
  output: Out,
  state: { acc: reg(i(64), 0n) },
  step(o, { state: s, now }) {
    s.acc = BigInt(o.x);
    return { hi: bits(s.acc, 63, 32), at: now };
  },
});
