import { record, unit, reg, vec, u } from 'tickforge/dsl';
const In = record('In', { a: u(32), b: u(32), n: u(4), big: u(64) });
const Out = record('Out', { x: u(32) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  state: { cur: reg(vec(u(32), 2)), prev: reg(vec(u(32), 2)) },
  step(o, { state }) {
    state.prev = state.cur;
    state.cur[0] = o.a;
    return { x: state.prev[0] };
  },
});
