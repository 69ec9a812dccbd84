// Repro (tooling: build and cosim disagree on record sizes): `tickforge build` accepts an output record wider than
// 64 bytes (docs/dsl.md states no limit: "tdata is 8 x bytes wide"), but `tickforge cosim` refuses the design:
//   npx tickforge build examples/itch-feed/repro-record-64.ts --out /tmp/repro-r64        -> builds, latency 2
//   npx tickforge cosim examples/itch-feed/repro-record-64.ts --input synthetic:100 --seed 1 --out /tmp/repro-r64c
//   expected: 0 mismatches (or build rejecting the record with a diagnostic, and the limit in docs/dsl.md)
//   actual:   error: design `repro_record_64`: outBytes is 65; records must be 1 to 64 bytes.
// feed.ts first had a 76-byte output (seven raw message words + decoded header) and was reshaped to 59 bytes.
import { record, unit, u } from 'tickforge/dsl';

export const In = record('In', { x: u(64) });
export const Out = record('Out', { a: u(64), b: u(64), c: u(64), d: u(64), e: u(64), f: u(64), g: u(64), h: u(64), i: u(8) });

export default unit({
  name: 'repro_record_64',
  input: In,
  output: Out,
  step(o) {
    return { a: o.x, b: o.x, c: o.x, d: o.x, e: o.x, f: o.x, g: o.x, h: o.x, i: 1 };
  },
});
