import { record, unit, reg, table, u } from 'tickforge/dsl';
const In = record('In', { v: u(16) });
const Out = record('Out', { next: u(16) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  state: { at: reg(u(16), 0) },
  tables: { link: table({ key: u(16), value: u(16), capacity: 65536 }) },
  step(o, { state: s, tables: t }) {
    const next = t.link.get(s.at);
    t.link.set(s.at, o.v);
    s.at = next;
    return { next };
  },
});
