// Remove-and-insert in one event (docs/dsl.md "Two writes in one event"): an order table handling adds, deletes and
// ITCH-style replaces (the old reference goes, the new one comes with the new size), the refused inserts counted in a
// status register. The table is written at two places: the delete, then the set, in program order.
import { record, unit, reg, table, u, bool, wrap, enumOf, Slot, type Rng, type RecordValue } from 'tickforge/dsl';

export enum Op {
  Add = 0,
  Delete = 1,
  Replace = 2,
  Query = 3,
}
export const Msg = record('Msg', { op: enumOf('Op', Op), ref: u(32), newRef: u(32), qty: u(16) });
export const Done = record('Done', { had: u(16), removed: bool(), stored: bool(), oldHeld: bool(), newSlot: enumOf('Slot', Slot), newQty: u(16) });

export default unit({
  name: 'replace',
  input: Msg,
  output: Done,
  tables: { orders: table({ key: u(32), value: u(16), capacity: 64 }) },
  state: { refused: reg(u(32), 0, { status: true, doc: 'Adds and replaces refused: the new slot held another order' }) },
  step(m, { tables: t, state }) {
    const had = t.orders.get(m.ref); // before the writes
    let removed = false;
    if (m.op === Op.Delete || m.op === Op.Replace) removed = t.orders.delete(m.ref);
    let stored = false;
    if (m.op === Op.Add || (m.op === Op.Replace && removed)) {
      // The second write: a replace's new reference may take the slot the delete just freed.
      stored = t.orders.set(m.op === Op.Add ? m.ref : m.newRef, m.qty);
      if (!stored) state.refused = wrap(state.refused + 1, u(32));
    }
    // Reads after both writes see them.
    return { had, removed, stored, oldHeld: t.orders.has(m.ref), newSlot: t.orders.lookup(m.newRef), newQty: t.orders.get(m.newRef) };
  },
});

/** References from a pool three times the table (same-slot pairs are common), replaces often onto the same slot,
 * and one record in three reusing a reference of the record before (back-to-back updates of one slot). */
let prev = [0, 0];
export function synthetic(rng: Rng, i: number): RecordValue<typeof Msg> {
  if (i === 0) prev = [0, 0];
  const ref = i > 0 && rng.chance(0.35) ? prev[rng.below(2)] : rng.below(192);
  const r = rng.below(100);
  const op = r < 40 ? Op.Add : r < 55 ? Op.Delete : r < 90 ? Op.Replace : Op.Query;
  // A third of the new references share the old one's slot (ref + 64k), one in ten is the old reference itself.
  const k = rng.below(10);
  const newRef = k === 0 ? ref : k < 4 ? (ref + 64 * (1 + rng.below(2))) % 192 : rng.below(192);
  prev = [ref, newRef];
  return { op, ref, newRef, qty: rng.below(65536) };
}

export { Slot };
