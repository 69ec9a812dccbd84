// Set-associative tables (docs/semantics.md §8): `table({ ..., capacity: C, ways: N, hash })` holds C entries in
// C / N sets of N ways. A key's set is chosen by the declared hash of its bits; within the set a key lives in any
// way. has/get/delete find it in whichever way holds it; set(k, v) updates k's way, or else fills the set's first
// empty way (lowest number), or else writes nothing and returns false (overflow: the set is full of other keys).
//
// Hash: the key k is split into its low S bits (S = log2 of the number of sets) and the tag above them. 'low'
// picks set = low; 'fold' picks set = low XOR every S-bit chunk of the tag, which spreads keys whose low bits
// repeat (sequential order references with a stride, say). Either way (tag, set) determines k, so each way is a
// direct-mapped table of C / N slots keyed by hashKey(k) = tag * 2^S + set: this is the model, and the compiler
// builds the same N memories side by side, read together and written through one port each.
import { Table, Slot, type TableSpec } from './table.ts';

/** The key a way stores for k: its tag above, its set below (a bijection of k, so hit tests stay exact). */
export function hashKey(k: number | bigint, keyWidth: number, setBits: number, hash: 'low' | 'fold'): number | bigint {
  if (hash === 'low' || setBits === 0) return k;
  const K = BigInt(k);
  const S = BigInt(setBits);
  const mask = (1n << S) - 1n;
  const tag = K >> S;
  let set = K & mask;
  for (let t = tag, b = setBits; b < keyWidth; b += setBits, t >>= S) set ^= t & mask;
  const h = (tag << S) | set;
  return typeof k === 'bigint' ? h : Number(h);
}

export class SetTable<K extends number | bigint, V> {
  private readonly ways: Array<Table<K, V>>;
  private readonly setBits: number;

  constructor(readonly spec: TableSpec) {
    const n = spec.ways ?? 1;
    const way: TableSpec = { kind: 'table', key: spec.key, value: spec.value, capacity: spec.capacity / n };
    this.ways = Array.from({ length: n }, () => new Table<K, V>(way));
    this.setBits = Math.log2(spec.capacity / n);
  }
  private h(k: K): K {
    return hashKey(k, this.spec.key.width, this.setBits, this.spec.hash ?? 'low') as K;
  }
  has(k: K): boolean {
    const h = this.h(k);
    return this.ways.some((w) => w.has(h));
  }
  get(k: K): V {
    const h = this.h(k);
    const w = this.ways.find((x) => x.has(h));
    return w ? w.get(h) : this.ways[0].get(h); // a miss: the value type's zero
  }
  /** Updates k's way, else fills the first empty way; false (nothing written) when the set is full of other keys. */
  set(k: K, v: V): boolean {
    const h = this.h(k);
    const w = this.ways.find((x) => x.has(h)) ?? this.ways.find((x) => x.lookup(h) === Slot.Empty);
    return w ? w.set(h, v) : false;
  }
  delete(k: K): boolean {
    const h = this.h(k);
    const w = this.ways.find((x) => x.has(h));
    return w ? w.delete(h) : false;
  }
  /** Hit: a way holds k; Empty: k is absent and its set has an empty way; Taken: absent, the set is full. */
  lookup(k: K): Slot {
    const h = this.h(k);
    const s = this.ways.map((x) => x.lookup(h));
    return s.includes(Slot.Hit) ? Slot.Hit : s.includes(Slot.Empty) ? Slot.Empty : Slot.Taken;
  }
  /** Occupied entries (host-side inspection). */
  size(): number {
    return this.ways.reduce((n, w) => n + w.size(), 0);
  }
}
