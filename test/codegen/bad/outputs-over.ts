import { record, unit, u } from 'tickforge/dsl';
const In = record('In', { a: u(8), b: u(8) });
const Out = record('Out', { v: u(8) });
export default unit({
  name: 'bad',
  input: In,
  output: Out,
  outputs: 2,
  step(x) {
    if (x.a === 0) return [{ v: x.a }, { v: x.b }];
    return [{ v: x.a }, { v: x.b }, { v: 0 }]; // one more than outputs: 2
  },
});
