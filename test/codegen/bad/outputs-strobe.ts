import { record, unit, u } from 'tickforge/dsl';
const In = record('In', { a: u(8), b: u(8) });
const Out = record('Out', { v: u(8) });
export default unit({
  name: 'bad',
  input: In,
  output: Out,
  flow: 'strobe',
  outputs: 2,
  step(x) {
    return [{ v: x.a }, { v: x.b }];
  },
});
