// Host-side code (synthetic) may use Node's API; the compiler type-checks it with Node's types and compiles step.
import { readFileSync } from 'node:fs';
import { record, unit, u, Rng, type RecordValue } from 'tickforge/dsl';

export const In = record('In', { x: u(8) });
export const Out = record('Out', { y: u(8) });

export default unit({
  name: 'repro_host_node_import',
  input: In,
  output: Out,
  step(o) {
    return { y: o.x };
  },
});

export function synthetic(rng: Rng, index: number): RecordValue<typeof In> {
  const table = process.env.REPRO_TABLE ? readFileSync(process.env.REPRO_TABLE) : undefined;
  return { x: table ? table[index % table.length]! : rng.below(256) };
}
