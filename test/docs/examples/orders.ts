// Honest tables (docs/dsl.md "Honest tables"): a 4-way set-associative order table whose lookup tells a hit from
// room in the set from a set full of other orders, with its overflows counted in a status register; and a small
// direct-mapped cache that always takes the newest reference, reporting what it evicted.
import { record, unit, reg, table, u, bool, wrap, Slot, enumOf, type Rng, type RecordValue } from 'tickforge/dsl';

export enum Op {
  Add = 0,
  Query = 1,
}
export const Msg = record('Msg', { op: enumOf('Op', Op), ref: u(32), qty: u(16) });
export const Seen = record('Seen', { found: enumOf('Slot', Slot), qty: u(16), stored: bool(), cached: u(2), evicted: bool(), evictedRef: u(32), evictedQty: u(16) });

export default unit({
  name: 'orders',
  input: Msg,
  output: Seen,
  tables: {
    // 1,024 orders in 256 sets of 4; a reference's set is its low 8 bits XOR-folded with the rest.
    orders: table({ key: u(32), value: u(16), capacity: 1024, ways: 4, hash: 'fold' }),
    recent: table({ key: u(32), value: u(16), capacity: 16 }),
  },
  state: { overflows: reg(u(32), 0, { status: true, doc: 'Adds refused: the set was full' }) },
  step(m, { tables: t, state }) {
    const found = t.orders.lookup(m.ref); // Slot.Hit, Slot.Empty (there is room) or Slot.Taken (the set is full)
    const cached = t.recent.lookup(m.ref);
    const evictedRef = t.recent.owner(m.ref); // read before the replace below: the entry it will evict
    const evictedQty = t.recent.peek(m.ref);
    let stored = false;
    if (m.op === Op.Add) {
      stored = t.orders.set(m.ref, m.qty);
      if (!stored) state.overflows = wrap(state.overflows + 1, u(32));
    }
    const evicted = t.recent.replace(m.ref, m.qty);
    return { found, qty: t.orders.get(m.ref), stored, cached, evicted, evictedRef: evicted ? evictedRef : 0, evictedQty: evicted ? evictedQty : 0 };
  },
});

/** References from a small pool (so hits, full sets and evictions are all common), mostly adds. */
export function synthetic(rng: Rng): RecordValue<typeof Msg> {
  const ref = rng.chance(0.5) ? rng.below(2048) : rng.below(64) * 256 + rng.below(4); // the second kind crowds sets
  return { op: rng.chance(0.7) ? Op.Add : Op.Query, ref, qty: rng.below(65536) };
}

export { Slot };
