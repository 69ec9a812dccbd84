import { record, unit, param, reg, table, u } from 'tickforge/dsl';
const In = record('In', { a: u(32), b: u(32), n: u(4), big: u(64) });
const Out = record('Out', { x: u(32) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  params: { limit: param(u(64), 0n) },
  state: { count: reg(u(8), 0) },
  tables: { t: table({ key: u(8), value: u(32), capacity: 16 }) },
  step(o, { params, state, tables }) {
    let ok = false;
    if (o.a === 0) ok = tables.t.delete(o.n);
    else if (o.a === 1) ok = tables.t.set(o.n, o.b);
    else ok = tables.t.set(o.n + 1, o.b);
    return { x: ok ? 1 : 0 };
  },
});
