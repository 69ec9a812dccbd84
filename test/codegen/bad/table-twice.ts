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
    tb.t.set(1, o.a);
    tb.t.set(2, o.b);
    tb.t.delete(3);
    return { x: 0 };
  },
});
