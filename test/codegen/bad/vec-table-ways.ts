// A set-associative table whose value is a vector: vector-valued tables are direct mapped.
import { record, unit, table, u, vec } from 'tickforge/dsl';
const In = record('In', { k: u(8) });
const Out = record('Out', { x: u(8) });
export default unit({
  name: 'vec_ways',
  input: In,
  output: Out,
  tables: { t: table({ key: u(8), value: vec(u(8), 2), capacity: 16, ways: 2 }) },
  step(i, { tables }) {
    return { x: tables.t.get(i.k)[0] };
  },
});
