import { record, unit, param, reg, table, u, i } from 'tickforge/dsl';
const In = record('In', { a: u(32), b: u(32) });
const Out = record('Out', { x: u(32) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  state: { acc: reg(u(32), 0) },
  tables: { t: table({ key: u(8), value: u(32), capacity: 256 }) },
  step(o, { state: s, tables: tb }) {
    const y = o.a & o.b;
    return { x: y };
  },
});
