// Flow strobe (docs/semantics.md §10): the output has no TREADY, so the pipeline never holds and s_axis_tready is
// high whenever the unit is out of reset. A running sum with a status counter of the records it dropped.
import { record, unit, reg, u, wrap, sat } from 'tickforge/dsl';

const In = record('In', { x: u(16), keepIt: u(2) });
const Out = record('Out', { sum: u(32), seen: u(16) });

export default unit({
  name: 'strobe_sum',
  input: In,
  output: Out,
  flow: 'strobe',
  state: {
    sum: reg(u(32), 0),
    seen: reg(u(16), 0),
    dropped: reg(u(32), 0, { status: true, doc: 'records with keepIt 0 (no output)' }),
  },
  step(x, { state }) {
    state.seen = wrap(state.seen + 1, u(16));
    if (x.keepIt === 0) {
      state.dropped = sat(state.dropped + 1, u(32));
      return undefined;
    }
    state.sum = wrap(state.sum + x.x, u(32));
    return { sum: state.sum, seen: state.seen };
  },
});
