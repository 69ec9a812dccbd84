// Array.from with a length known only at run time: a vector's length is fixed when the hardware is built.
import { record, unit, u } from 'tickforge/dsl';
const In = record('In', { n: u(4) });
const Out = record('Out', { x: u(8) });
export default unit({
  name: 'from_length',
  input: In,
  output: Out,
  step(i) {
    const v = Array.from({ length: i.n }, (_, k) => k);
    return { x: v[0] };
  },
});
