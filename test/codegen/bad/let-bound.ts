import { record, unit, u } from 'tickforge/dsl';
const In = record('In', { a: u(8) });
const Out = record('Out', { s: u(16) });
export default unit({
  name: 'letbound',
  input: In,
  output: Out,
  step(o) {
    let n = 2;
    n = 4;
    let s = 0;
    for (let i = 0; i < n; i++) s = s + o.a;
    return { s };
  },
});
