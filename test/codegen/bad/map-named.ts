// map with a named function: the function is inlined per element, so it is written in place.
import { record, unit, u, wrap } from 'tickforge/dsl';
const In = record('In', { a: u(8) });
const Out = record('Out', { x: u(8) });
function inc(x: number): number {
  return wrap(x + 1, u(8));
}
export default unit({
  name: 'map_named',
  input: In,
  output: Out,
  step(i) {
    const v = [i.a, i.a].map(inc);
    return { x: v[1] };
  },
});
