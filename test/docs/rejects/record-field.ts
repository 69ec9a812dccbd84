import { record, unit, reg, u } from 'tickforge/dsl';
const In = record('In', { a: u(32), b: u(32), n: u(4), big: u(64) });
const Out = record('Out', { x: u(32) });
const Pair = record('Pair', { a: u(32), b: u(32) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  state: { p: reg(Pair) },
  step(o, { state }) {
    state.p.a = o.a;
    return { x: state.p.b };
  },
});
