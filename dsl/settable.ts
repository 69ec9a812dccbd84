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
//
// Replacement (`policy`): 'refuse' (the default) never evicts. 'roundRobin' keeps a victim pointer per set (0 after
// reset): replace(k, v) updates k's way, else fills the first empty way, else evicts the way the pointer names and
// steps the pointer on (mod N). Only an eviction moves it, so with no deletes a set evicts in the order it was
// filled (first in, first out). The compiler keeps the pointers in one more direct-mapped table, `<name>_victim`,
// keyed by the set index. owner(k) / peek(k) name the entry replace(k, v) would write over (k's own on a hit,
// nobody when the set has room), so a design reads them before the replace and has the evicted key and value.
import { Table, Slot, zeroOf, type TableSpec } from './table.ts';

/**
 * The key a way stores for k: its tag above, its set below (a bijection of k, so hit tests stay exact). It is its own
 * inverse (the tag is kept, and XOR-ing the same fold of it twice restores the low bits): owner() uses that.
 */
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
  /** Per set, the way replace() evicts when the set is full ('roundRobin'; null when the policy is 'refuse'). */
  private readonly victim: Uint8Array | null;

  constructor(readonly spec: TableSpec) {
    const n = spec.ways ?? 1;
    const way: TableSpec = { kind: 'table', key: spec.key, value: spec.value, capacity: spec.capacity / n };
    this.ways = Array.from({ length: n }, () => new Table<K, V>(way));
    this.setBits = Math.log2(spec.capacity / n);
    this.victim = spec.policy === 'roundRobin' ? new Uint8Array(spec.capacity / n) : null;
  }
  private evicts(method: string): Uint8Array {
    if (!this.victim) throw new TypeError(`tickforge model: ${method} on a set-associative table needs a replacement policy (policy: 'roundRobin'); with 'refuse' a full set evicts nothing`);
    return this.victim;
  }
  /** The set index of hashed key h (its low bits). */
  private setOf(h: K): number {
    return typeof h === 'bigint' ? Number(h & BigInt(this.victim!.length - 1)) : (h as number) % this.victim!.length;
  }
  /** The way whose entry replace(k, v) would write over: k's, else (the set is full) the victim; null: it fills an empty way. */
  private target(k: K, method: string): Table<K, V> | null {
    const victim = this.evicts(method);
    const h = this.h(k);
    const hit = this.ways.find((x) => x.has(h));
    if (hit) return hit;
    if (this.ways.some((x) => x.lookup(h) === Slot.Empty)) return null;
    return this.ways[victim[this.setOf(h)]];
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
  /**
   * Writes (k, v): into k's way, else the first empty way, else over the victim (the pointer's way, which then steps
   * on). True exactly when that evicted another key (read owner/peek first for which).
   */
  replace(k: K, v: V): boolean {
    const victim = this.evicts('replace');
    const h = this.h(k);
    const w = this.ways.find((x) => x.has(h)) ?? this.ways.find((x) => x.lookup(h) === Slot.Empty);
    if (w) {
      w.set(h, v);
      return false;
    }
    const s = this.setOf(h);
    this.ways[victim[s]].replace(h, v);
    victim[s] = (victim[s] + 1) % this.ways.length;
    return true;
  }
  /** The key replace(k, v) would write over: k on a hit, 0 when the set has an empty way, else the victim's key. */
  owner(k: K): K {
    const w = this.target(k, 'owner');
    return (w ? hashKey(w.owner(this.h(k)), this.spec.key.width, this.setBits, this.spec.hash ?? 'low') : typeof k === 'bigint' ? 0n : 0) as K;
  }
  /** The value replace(k, v) would write over: k's on a hit, the type's zero when the set has room, else the victim's. */
  peek(k: K): V {
    const w = this.target(k, 'peek');
    return w ? w.peek(this.h(k)) : (zeroOf(this.spec.value) as V);
  }
  /** Occupied entries (host-side inspection). */
  size(): number {
    return this.ways.reduce((n, w) => n + w.size(), 0);
  }
}
