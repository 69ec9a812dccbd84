// Status registers: host-readable state (AXI-Lite read-only words after the params).
import { record, unit, reg, param, u, bool, wrap, sat } from 'tickforge/dsl';
const In = record('In', { x: u(8), bad: bool() });
const Out = record('Out', { y: u(8) });
export default unit({
  name: 'counter',
  input: In,
  output: Out,
  params: { add: param(u(8), 1) },
  state: { seen: reg(u(40), 0, { status: true, doc: 'records seen' }), bad: reg(u(32), 0, { status: true }), last: reg(u(8), 0) },
  step(o, { state: s, params: p }) {
    s.seen = wrap(s.seen + 1, u(40));
    if (o.bad) {
      s.bad = sat(s.bad + 1, u(32));
      return undefined;
    }
    s.last = o.x;
    return { y: wrap(o.x + p.add, u(8)) };
  },
});
