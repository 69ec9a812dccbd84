// Eviction in a set-associative table (docs/dsl.md "Set-associative tables"): a 4-way cache of orders that always
// takes the newest, evicting round-robin from a full set and reporting the evicted order's reference and size, with
// its evictions counted in a status register. A move (ITCH-style replace) frees the old order's way and then stores
// the new reference: two writes in one event, the second of which may evict.
import { record, unit, reg, table, u, bool, wrap, Slot, enumOf, type Rng, type RecordValue } from 'tickforge/dsl';

export enum Op {
  Add = 0,
  Cancel = 1,
  Move = 2,
  Query = 3,
}
export const Msg = record('Msg', { op: enumOf('Op', Op), ref: u(32), newRef: u(32), qty: u(16) });
export const Seen = record('Seen', { found: enumOf('Slot', Slot), qty: u(16), evicted: bool(), evictedRef: u(32), evictedQty: u(16), cancelled: bool() });

export default unit({
  name: 'cache',
  input: Msg,
  output: Seen,
  tables: {
    // 64 orders in 16 sets of 4 (a reference's set is its low 4 bits); a full set evicts way 0, 1, 2, 3, 0, ...
    cache: table({ key: u(32), value: u(16), capacity: 64, ways: 4, policy: 'roundRobin' }),
  },
  state: { evictions: reg(u(32), 0, { status: true, doc: 'Orders evicted from a full set' }) },
  step(m, { tables: t, state }) {
    const key = m.op === Op.Move ? m.newRef : m.ref; // the reference an add or a move stores
    const found = t.cache.lookup(key); // Taken: absent and its set is full, so storing it evicts
    const qty = t.cache.get(m.ref);
    let cancelled = false;
    if (m.op === Op.Cancel || m.op === Op.Move) cancelled = t.cache.delete(m.ref);
    // Read after the delete (it may have made room) and before the replace: what the replace will write over.
    const victimRef = t.cache.owner(key);
    const victimQty = t.cache.peek(key);
    let evicted = false;
    if (m.op === Op.Add || m.op === Op.Move) {
      evicted = t.cache.replace(key, m.qty); // the second write place: nothing reads the table after it
      if (evicted) state.evictions = wrap(state.evictions + 1, u(32));
    }
    return { found, qty, evicted, evictedRef: evicted ? victimRef : 0, evictedQty: evicted ? victimQty : 0, cancelled };
  },
});

/** References from a pool four times the cache; a move's new reference is often in the old one's set (or is it). */
export function synthetic(rng: Rng): RecordValue<typeof Msg> {
  const ref = rng.below(256);
  const k = rng.below(10);
  const newRef = k === 0 ? ref : k < 5 ? (ref + 16 * (1 + rng.below(15))) % 256 : rng.below(256);
  const r = rng.below(100);
  return { op: r < 45 ? Op.Add : r < 60 ? Op.Cancel : r < 80 ? Op.Move : Op.Query, ref, newRef, qty: rng.below(65536) };
}

export { Slot };
