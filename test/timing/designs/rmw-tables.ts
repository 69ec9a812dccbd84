// Three tables updated read-modify-write by every record, one per memory kind: 64 slots (LUT-RAM), 4,096 (block
// RAM), 2^20 (UltraRAM, read latency 2). Keys repeat back to back and collide in each table's slot bits, so the
// forwarding of in-flight writes and the tag compares are exercised on every kind. test/timing/memories.test.ts.
import { record, unit, table, u, bool, wrap, Rng, type RecordValue } from 'tickforge/dsl';

export const Op = record('Op', { key: u(24), qty: u(16) });
export const Seen = record('Seen', { key: u(24), small: u(32), mid: u(32), big: u(32), stored: bool() });

export default unit({
  name: 'rmw_tables',
  input: Op,
  output: Seen,
  tables: {
    small: table({ key: u(24), value: u(32), capacity: 64 }),
    mid: table({ key: u(24), value: u(32), capacity: 4096 }),
    big: table({ key: u(24), value: u(32), capacity: 1_048_576 }),
  },
  step(x, { tables: t }) {
    const a = t.small.get(x.key);
    const b = t.mid.get(x.key);
    const c = t.big.get(x.key);
    t.small.set(x.key, wrap(a + x.qty, u(32)));
    t.mid.set(x.key, wrap(b + x.qty, u(32)));
    const stored = t.big.set(x.key, wrap(c + x.qty, u(32)));
    return { key: x.key, small: a, mid: b, big: c, stored };
  },
});

// Keys: a few that share their low 6, 12 or 20 bits (same slot, different tag in a table), the previous key again
// half of the time (back-to-back updates of one slot), and some spread over the 2^20 slots.
const POOL = [0x000005, 0x000045, 0x001005, 0x100005, 0x0abcde, 0x1abcde, 0x000fff, 0x123456];
let prev = POOL[0];
export function synthetic(rng: Rng, index: number): RecordValue<typeof Op> {
  if (index === 0) prev = POOL[0];
  const r = rng.u32() % 100;
  const key = r < 50 ? prev : r < 85 ? POOL[rng.below(POOL.length)] : rng.below(1 << 24);
  prev = key;
  return { key, qty: 1 + rng.below(60000) };
}
