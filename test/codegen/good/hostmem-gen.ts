// paramMem contents computed from the index (docs/dsl.md "Host-written memories"): the compiler evaluates the
// generator at compile time, entry by entry, as JavaScript does at run time (test/docs/hostmem.test.ts compares them).
import { record, unit, paramMem, u, i } from 'tickforge/dsl';

const FIRST = 3;
const LAST = 40;
const In = record('In', { k: u(6) });
const Out = record('Out', { a: u(11), b: i(12) });

export default unit({
  name: 'hostmem_gen',
  input: In,
  output: Out,
  params: {
    map: paramMem(u(11), 64, Array.from({ length: 64 }, (_, l) => (l >= FIRST && l <= LAST ? l - FIRST + 1 : 0)), 'A default map: 3..40 -> 1..38'),
    wave: paramMem(i(12), 64, Array.from({ length: 64 }, (_, x) => ((x * 37) % 17) - 8 + (x & 3 ? -(x >> 2) : x << 2)), 'Mixed arithmetic'),
  },
  step(q, { params: p }) {
    return { a: p.map[q.k], b: p.wave[q.k] };
  },
});
