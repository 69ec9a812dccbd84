import { record, unit, table, u, bool } from 'tickforge/dsl';
const In = record('In', { k: u(16), v: u(8) });
const Out = record('Out', { evicted: bool() });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  tables: { t: table({ key: u(16), value: u(8), capacity: 64, ways: 4 }) },
  step(x, { tables }) {
    return { evicted: tables.t.replace(x.k, x.v) };
  },
});
