// A helper with `if`s (a lookup by type code) called after the step has tested its state: the helper is pure, so
// its value is a function of the record alone and is worked out before the state stage
// (test/timing/schedule.test.ts). Lowered under the caller's predicate instead, every compare would be ANDed
// with the state test and land in the state stage.
import { record, unit, reg, u, bool } from 'tickforge/dsl';

export const In = record('In', { t: u(8), qty: u(16) });
export const Out = record('Out', { size: u(8), qty: u(16) });

function sizeOf(t: number): number {
  if (t === 0x41) return 36;
  if (t === 0x44) return 19;
  if (t === 0x45) return 31;
  if (t === 0x46) return 40;
  if (t === 0x55) return 35;
  if (t === 0x58) return 23;
  return 0;
}

export default unit({
  name: 'gated_helper',
  input: In,
  output: Out,
  state: { armed: reg(bool(), false) },
  step(x, { state: s }) {
    const go = s.armed;
    s.armed = !s.armed;
    if (!go) return undefined;
    return { size: sizeOf(x.t), qty: x.qty };
  },
});
