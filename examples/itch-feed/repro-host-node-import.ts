// Repro (compiler, TF001 on host-side code): docs/dsl.md says code outside `step` "is ordinary JavaScript and is
// never compiled", and the risk gate's `synthetic` "may use any JavaScript". A design whose host-side stimulus
// reads a file with node:fs type-checks under the project's `npx tsc --noEmit -p .`, but the compiler's own type
// check has no Node types and rejects it:
//   npx tickforge build examples/itch-feed/repro-host-node-import.ts --out /tmp/repro-node
//   expected: builds (step uses nothing from node:fs)
//   actual:   error TF001: TS2591: Cannot find name 'node:fs'. Do you need to install type definitions for node? ...
// Workaround used by feed.ts: the host code lives in another module (stimulus.ts) and feed.ts re-exports it.
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
