import { record, unit, u } from 'tickforge/dsl';
const In = record('In', { a: u(8), b: u(8) });
const Out = record('Out', { v: u(8) });
// A helper that says "no output" with undefined: its value is a record on one path and nothing on the other.
function pick(a: number, b: number): { v: number } | undefined {
  if (a > b) return { v: a };
  return undefined;
}
export default unit({
  name: 'bad',
  input: In,
  output: Out,
  step(x) {
    return pick(x.a, x.b);
  },
});
