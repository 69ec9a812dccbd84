// Two writes of a LUT-RAM table whose key is read from the table itself (read asynchronously in its state stage,
// rtl/memory2.ts): follow a link, remove the linked key, insert another one pointing where it pointed. Two reads in
// a row in one cycle: it does not meet 322.27 MHz (TF130; `build --timing warn`), which is not what it tests.
import { record, unit, table, u, bool, type Rng, type RecordValue } from 'tickforge/dsl';
const In = record('In', { a: u(8), b: u(8) });
const Out = record('Out', { n: u(8), gone: bool(), put: bool(), h: bool() });
export default unit({
  name: 'chain',
  input: In,
  output: Out,
  tables: { t: table({ key: u(8), value: u(8), capacity: 16 }) },
  step(o, { tables }) {
    const n = tables.t.get(o.a); // a key read from the table itself: read in its state stage (LUT-RAM)
    const gone = tables.t.delete(n);
    const put = tables.t.set(o.b, n === 0 ? o.a : n);
    return { n, gone, put, h: tables.t.has(n) };
  },
});
export function synthetic(rng: Rng): RecordValue<typeof In> {
  return { a: rng.below(20), b: rng.below(20) };
}
