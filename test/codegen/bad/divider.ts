import { record, unit, u, div, max } from 'tickforge/dsl';
const In = record('In', { a: u(32), b: u(32) });
const Out = record('Out', { q: u(32) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  step(o) {
    return { q: div(o.a, max(o.b, 1)) };
  },
});
