// The table models as they were before their storage moved to typed arrays (dsl/table.ts, dsl/settable.ts at commit
// 40fb9f5): plain arrays, BigInt hashing. test/dsl/tables.test.ts runs the same operations on these and on the
// current models and requires the same results.
import { type TableSpec, Slot, zeroOf, checkValue } from '../../dsl/table.ts';
import { hashKey } from '../../dsl/settable.ts';

/** The model of a table; the compiler lowers the same four methods to a memory with one write port. */
export class RefTable<K, V> {
  private readonly valid: Uint8Array;
  private readonly keys: Array<K>;
  private readonly vals: Array<V>;
  private readonly mask: number;
  private readonly zero: V;

  constructor(readonly spec: TableSpec) {
    this.valid = new Uint8Array(spec.capacity);
    this.keys = new Array(spec.capacity);
    this.vals = new Array(spec.capacity);
    this.mask = spec.capacity - 1;
    this.zero = zeroOf(spec.value) as V;
    this.vals.fill(this.zero);
  }

  private slot(k: K): number {
    return typeof k === 'bigint' ? Number(k & BigInt(this.mask)) : (k as number) % (this.mask + 1);
  }

  has(k: K): boolean {
    const s = this.slot(k);
    return this.valid[s] === 1 && this.keys[s] === k;
  }
  get(k: K): V {
    const s = this.slot(k);
    return this.valid[s] === 1 && this.keys[s] === k ? this.vals[s] : this.zero;
  }
  /** Inserts or updates; false (and nothing written) when the slot holds another key. */
  set(k: K, v: V): boolean {
    const s = this.slot(k);
    if (this.valid[s] === 1 && this.keys[s] !== k) return false;
    checkValue(this.spec.value, v);
    this.valid[s] = 1;
    this.keys[s] = k;
    this.vals[s] = v;
    return true;
  }
  /** Hit: the slot holds k; Empty: it is empty; Taken: it holds another key. */
  lookup(k: K): Slot {
    const s = this.slot(k);
    return this.valid[s] !== 1 ? Slot.Empty : this.keys[s] === k ? Slot.Hit : Slot.Taken;
  }
  /** Writes (k, v) whoever held the slot; true when that evicted another key (read it first with owner/peek). */
  replace(k: K, v: V): boolean {
    const s = this.slot(k);
    const evicted = this.valid[s] === 1 && this.keys[s] !== k;
    checkValue(this.spec.value, v);
    this.valid[s] = 1;
    this.keys[s] = k;
    this.vals[s] = v;
    return evicted;
  }
  /** The key in k's slot whoever holds it (0 when empty): the key replace(k, v) would evict. */
  owner(k: K): K {
    const s = this.slot(k);
    return this.valid[s] === 1 ? this.keys[s] : ((typeof k === 'bigint' ? 0n : 0) as K);
  }
  /** The value in k's slot whoever holds it (the type's zero when empty): what replace(k, v) would evict. */
  peek(k: K): V {
    const s = this.slot(k);
    return this.valid[s] === 1 ? this.vals[s] : this.zero;
  }
  /** Removes the key; false when it was absent. */
  delete(k: K): boolean {
    const s = this.slot(k);
    if (this.valid[s] !== 1 || this.keys[s] !== k) return false;
    this.valid[s] = 0;
    this.vals[s] = this.zero;
    return true;
  }
  /** Number of occupied slots (host-side inspection; not available inside step). */
  size(): number {
    let n = 0;
    for (const v of this.valid) n += v;
    return n;
  }
}

export class RefSetTable<K extends number | bigint, V> {
  private readonly ways: Array<RefTable<K, V>>;
  private readonly setBits: number;
  /** Per set, the way replace() evicts when the set is full ('roundRobin'; null when the policy is 'refuse'). */
  private readonly victim: Uint8Array | null;

  constructor(readonly spec: TableSpec) {
    const n = spec.ways ?? 1;
    const way: TableSpec = { kind: 'table', key: spec.key, value: spec.value, capacity: spec.capacity / n };
    this.ways = Array.from({ length: n }, () => new RefTable<K, V>(way));
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
  private target(k: K, method: string): RefTable<K, V> | null {
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
