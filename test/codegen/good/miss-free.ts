// get() on direct-mapped tables keyed by their slot index (codegen/passes/misssel.ts): an empty slot holds value 0
// after reset and after a delete, so the hit test's select is dropped, also where the front end pushed an add or a
// compare onto both of its arms; a table whose second write only deletes keeps it (that bank holds only the valid
// bit). Small keys, so slots are reused back to back (forwarding) and refilled after deletes.
import { record, unit, table, u, bool, wrap, bits, type Rng, type RecordValue } from 'tickforge/dsl';

const In = record('In', { k: u(4), k2: u(4), v: u(8), del: bool() });
const Out = record('Out', { a: u(8), sum: u(8), big: bool(), b: u(8), c: u(8), after: u(8), hi: bool(), diff: u(8) });

export default unit({
  name: 'miss_free',
  input: In,
  output: Out,
  tables: {
    one: table({ key: u(4), value: u(8), capacity: 16 }), // one write
    two: table({ key: u(4), value: u(8), capacity: 16, memory: 'bram' }), // two sets: two full banks
    gone: table({ key: u(4), value: u(8), capacity: 16 }), // a set, then a delete-only write: keeps the select
  },
  step(i, { tables: t }) {
    const a = t.one.get(i.k);
    const sum = wrap(t.one.get(i.k2) + i.v, u(8)); // the add on both arms of the select
    const big = t.two.get(i.k) > i.v; // the compare on both arms
    const b = t.two.get(i.k2);
    // A field of the word: compared, subtracted (both pushed onto the arms, where the miss arm's field folds to 0).
    const hi = bits(t.one.get(i.k2), 7, 4) >= 9;
    const diff = wrap(bits(t.two.get(i.k), 7, 4) - bits(i.v, 3, 0), u(8));
    const c = t.gone.get(i.k);
    if (!i.del) t.one.set(i.k, i.v);
    t.two.set(i.k, i.v);
    t.two.set(i.k2, wrap(i.v + 1, u(8)));
    t.gone.set(i.k2, i.v);
    if (i.del) t.gone.delete(i.k);
    const after = t.gone.get(i.k2); // after both writes: forwarded by slot
    return { a, sum, big, b, c, after, hi, diff };
  },
});

export function synthetic(rng: Rng): RecordValue<typeof In> {
  return { k: rng.below(16), k2: rng.chance(0.3) ? rng.below(4) : rng.below(16), v: rng.below(256), del: rng.chance(0.4) };
}
