// A 65-byte output record: wider than one 512-bit beat, rejected at compile time (TF121).
import { record, unit, u } from 'tickforge/dsl';

export const In = record('In', { x: u(64) });
export const Out = record('Out', { a: u(64), b: u(64), c: u(64), d: u(64), e: u(64), f: u(64), g: u(64), h: u(64), i: u(8) });

export default unit({
  name: 'repro_record_64',
  input: In,
  output: Out,
  step(o) {
    return { a: o.x, b: o.x, c: o.x, d: o.x, e: o.x, f: o.x, g: o.x, h: o.x, i: 1 };
  },
});
