// A stimulus generator that produces a value outside its field (record 3): cosim names the record and field.
import { record, unit, u, Rng, type RecordValue } from 'tickforge/dsl';
export const In = record('In', { a: u(8), b: u(16) });
const Out = record('Out', { a: u(8) });
export default unit({ name: 'out_of_range', input: In, output: Out, step(x) { return { a: x.a }; } });
export function synthetic(rng: Rng, index: number): RecordValue<typeof In> {
  return { a: index === 3 ? 300 : rng.below(256), b: 1 };
}
