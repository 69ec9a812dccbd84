// lookup() on a table whose value is a vector: only has, get, set and delete.
import { record, unit, table, u, vec } from 'tickforge/dsl';
const In = record('In', { k: u(4) });
const Out = record('Out', { s: u(2) });
export default unit({
  name: 'vec_lookup',
  input: In,
  output: Out,
  tables: { t: table({ key: u(4), value: vec(u(8), 2), capacity: 16 }) },
  step(i, { tables }) {
    return { s: tables.t.lookup(i.k) };
  },
});
