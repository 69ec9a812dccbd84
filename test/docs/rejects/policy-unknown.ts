import { record, unit, table, u, bool } from 'tickforge/dsl';
const In = record('In', { k: u(16), v: u(8) });
const Out = record('Out', { stored: bool() });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  // @ts-expect-error: 'lru' is not a policy (the compiler says which are)
  tables: { t: table({ key: u(16), value: u(8), capacity: 64, ways: 4, policy: 'lru' }) },
  step(x, { tables }) {
    return { stored: tables.t.set(x.k, x.v) };
  },
});
