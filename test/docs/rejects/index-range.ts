import { record, unit, reg, vec, u } from 'tickforge/dsl';
const In = record('In', { a: u(32), b: u(32), n: u(4), big: u(64) });
const Out = record('Out', { x: u(32) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  state: { last: reg(vec(u(32), 4)) },
  step(o, { state }) {
    return { x: state.last[o.n] };
  },
});
