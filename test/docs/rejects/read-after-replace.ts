import { record, unit, table, u, bool } from 'tickforge/dsl';
const In = record('In', { k: u(8), v: u(8) });
const Out = record('Out', { had: bool() });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  tables: { t: table({ key: u(8), value: u(8), capacity: 16 }) },
  step(x, { tables }) {
    tables.t.replace(x.k, x.v);
    return { had: tables.t.has(x.k) };
  },
});
