import { record, unit, table, u, bool } from 'tickforge/dsl';
const In = record('In', { k: u(16), v: u(8) });
const Out = record('Out', { stored: bool() });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  tables: {
    t: table({ key: u(16), value: u(8), capacity: 64, ways: 4, policy: 'roundRobin' }),
    t_victim: table({ key: u(4), value: u(2), capacity: 16 }),
  },
  step(x, { tables }) {
    tables.t_victim.set(0, 1);
    return { stored: tables.t.set(x.k, x.v) };
  },
});
