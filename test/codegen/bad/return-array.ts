import { record, unit, u } from 'tickforge/dsl';
const In = record('In', { a: u(8), b: u(8) });
const Out = record('Out', { v: u(8) });
export default unit({
  name: 'bad',
  input: In,
  output: Out,
  step(x) {
    // two records for one input (the cast gets it past TypeScript; the compiler says what to do instead)
    return [{ v: x.a }, { v: x.b }] as unknown as { v: number };
  },
});
