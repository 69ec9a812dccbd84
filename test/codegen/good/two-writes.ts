// Two writes of one table in one event, beyond delete-then-set (docs/semantics.md §8): two inserts of different keys
// (the second may find the slot the first took), and a delete then a replace in block RAM (the replace sees the
// slot the delete freed: no eviction). Keys from a small pool, so slots are shared and reused back to back.
import { record, unit, table, u, bool, wrap, type Rng, type RecordValue } from 'tickforge/dsl';
const In = record('In', { a: u(8), b: u(8), v: u(8), del: bool() });
const Out = record('Out', { x: bool(), y: bool(), ga: u(8), gb: u(8), before: u(8), gone: bool(), evicted: bool() });
export default unit({
  name: 'two_writes',
  input: In,
  output: Out,
  tables: { t: table({ key: u(8), value: u(8), capacity: 16 }), c: table({ key: u(8), value: u(8), capacity: 8, memory: 'bram' }) },
  step(o, { tables }) {
    const x = tables.t.set(o.a, o.v);
    const y = tables.t.set(o.b, wrap(o.v + 1, u(8)));
    const before = tables.c.peek(o.b);
    let gone = false;
    if (o.del) gone = tables.c.delete(o.a);
    const evicted = tables.c.replace(o.b, o.v);
    return { x, y, ga: tables.t.get(o.a), gb: tables.t.get(o.b), before, gone, evicted };
  },
});

export function synthetic(rng: Rng): RecordValue<typeof In> {
  const a = rng.below(40);
  return { a, b: rng.chance(0.2) ? a : rng.chance(0.3) ? (a + 16) % 40 : rng.below(40), v: rng.below(256), del: rng.chance(0.5) };
}
