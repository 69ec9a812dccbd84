// Per-symbol last trade price in a direct-mapped table: has/get/set, a miss reads as zero, and a key whose
// slot another key holds is not stored (capacity 4: locates 1 and 5 share slot 1).
import { record, unit, table, u, ufixed, sfixed, bool } from 'tickforge/dsl';

export const Trade = record('Trade', { locate: u(16), price: ufixed(32, 4) });
export const Move = record('Move', {
  locate: u(16),
  known: bool(), // a previous price was in the table
  delta: sfixed(33, 4), // price - previous price (0 when unknown)
  stored: bool(), // set() succeeded
});

export default unit({
  name: 'lastprice',
  input: Trade,
  output: Move,
  tables: {
    last: table({ key: u(16), value: ufixed(32, 4), capacity: 4 }),
  },
  step(t, { tables }) {
    const known = tables.last.has(t.locate);
    const prev = tables.last.get(t.locate); // 0 on a miss
    const stored = tables.last.set(t.locate, t.price); // the table's one write site
    return { locate: t.locate, known, delta: known ? t.price - prev : 0, stored };
  },
});
