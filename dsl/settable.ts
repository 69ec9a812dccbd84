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
  private readonly fold: boolean;
  private readonly setMask: number;
  // locate(k)'s result: the hashed key hashKey(k) and its set (the slot of the hashed key in every way). Fields, not
  // a returned object: every method calls it once per call.
  private hk: K = 0 as K;
  private hs = 0;

  constructor(readonly spec: TableSpec) {
    const n = spec.ways ?? 1;
    const way: TableSpec = { kind: 'table', key: spec.key, value: spec.value, capacity: spec.capacity / n };
    this.ways = Array.from({ length: n }, () => new Table<K, V>(way));
    this.setBits = Math.log2(spec.capacity / n);
    this.victim = spec.policy === 'roundRobin' ? new Uint8Array(spec.capacity / n) : null;
    this.fold = (spec.hash ?? 'low') === 'fold' && this.setBits > 0;
    this.setMask = spec.capacity / n - 1;
  }
  private evicts(method: string): Uint8Array {
    if (!this.victim) throw new TypeError(`tickforge model: ${method} on a set-associative table needs a replacement policy (policy: 'roundRobin'); with 'refuse' a full set evicts nothing`);
    return this.victim;
  }

  /**
   * Sets hk = hashKey(k) and hs = its slot in a way (its set). The fold of a key in 0..2^64-1 is computed on its two
   * 32-bit halves as numbers: the set is the XOR of the key's setBits-bit chunks, and the hashed key is k with its low
   * setBits bits replaced by that set (k XOR (low XOR set)), which is hashKey's (tag << S) | set. Any other key (a
   * non-integer, a negative or wider one: the model does not check keys) takes hashKey itself.
   * test/dsl/tables.test.ts checks this against hashKey.
   */
  private locate(k: K): void {
    const S = this.setBits;
    const m = this.setMask;
    if (!this.fold) {
      this.hk = k;
      this.hs = this.ways[0].slotOf(k);
      return;
    }
    let lo: number;
    let hi: number;
    if (typeof k === 'bigint' && k >= 0n && k <= U64_MAX && S < 32) {
      lo = Number(BigInt.asUintN(32, k));
      hi = Number(k >> 32n);
    } else if (typeof k === 'number' && Number.isInteger(k) && k >= 0 && k <= Number.MAX_SAFE_INTEGER && S < 32) {
      lo = k % 4294967296;
      hi = (k - lo) / 4294967296;
    } else {
      const h = hashKey(k, this.spec.key.width, S, 'fold') as K;
      this.hk = h;
      this.hs = this.ways[0].slotOf(h);
      return;
    }
    const low = lo & m;
    let set = low;
    for (let b = S; b < this.spec.key.width; b += S) {
      const c = b >= 32 ? hi >>> (b - 32) : b + S <= 32 ? lo >>> b : (lo >>> b) | (hi << (32 - b));
      set ^= c & m;
    }
    this.hs = set;
    this.hk = (set === low ? k : typeof k === 'bigint' ? k ^ BigInt(low ^ set) : (k as number) - low + set) as K;
  }

  /** The way holding hashed key hk in set hs, or -1. */
  private hitWay(): number {
    const w = this.ways;
    for (let j = 0; j < w.length; j++) if (w[j].hitAt(this.hs, this.hk)) return j;
    return -1;
  }
  /** The first way whose slot hs is empty, or -1. */
  private emptyWay(): number {
    const w = this.ways;
    for (let j = 0; j < w.length; j++) if (w[j].emptyAt(this.hs)) return j;
    return -1;
  }
  /** The way whose entry replace(k, v) would write over: k's, else (the set is full) the victim; null: it fills an empty way. */
  private target(k: K, method: string): Table<K, V> | null {
    const victim = this.evicts(method);
    this.locate(k);
    const hit = this.hitWay();
    if (hit >= 0) return this.ways[hit];
    if (this.emptyWay() >= 0) return null;
    return this.ways[victim[this.hs]];
  }
  has(k: K): boolean {
    this.locate(k);
    return this.hitWay() >= 0;
  }
  get(k: K): V {
    this.locate(k);
    const j = this.hitWay();
    return j >= 0 ? this.ways[j].valueAt(this.hs) : this.ways[0].get(this.hk); // a miss: the value type's zero
  }
  /** Updates k's way, else fills the first empty way; false (nothing written) when the set is full of other keys. */
  set(k: K, v: V): boolean {
    this.locate(k);
    let j = this.hitWay();
    if (j < 0) j = this.emptyWay();
    return j >= 0 ? this.ways[j].setAt(this.hs, this.hk, v) : false;
  }
  delete(k: K): boolean {
    this.locate(k);
    const j = this.hitWay();
    if (j < 0) return false;
    this.ways[j].clearAt(this.hs);
    return true;
  }
  /** Hit: a way holds k; Empty: k is absent and its set has an empty way; Taken: absent, the set is full. */
  lookup(k: K): Slot {
    this.locate(k);
    return this.hitWay() >= 0 ? Slot.Hit : this.emptyWay() >= 0 ? Slot.Empty : Slot.Taken;
  }
  /**
   * Writes (k, v): into k's way, else the first empty way, else over the victim (the pointer's way, which then steps
   * on). True exactly when that evicted another key (read owner/peek first for which).
   */
  replace(k: K, v: V): boolean {
    const victim = this.evicts('replace');
    this.locate(k);
    let j = this.hitWay();
    if (j < 0) j = this.emptyWay();
    if (j >= 0) {
      this.ways[j].setAt(this.hs, this.hk, v);
      return false;
    }
    const s = this.hs;
    this.ways[victim[s]].replace(this.hk, v);
    victim[s] = (victim[s] + 1) % this.ways.length;
    return true;
  }
  /** The key replace(k, v) would write over: k on a hit, 0 when the set has an empty way, else the victim's key. */
  owner(k: K): K {
    const w = this.target(k, 'owner');
    return (w ? hashKey(w.owner(this.hk), this.spec.key.width, this.setBits, this.spec.hash ?? 'low') : typeof k === 'bigint' ? 0n : 0) as K;
  }
  /** The value replace(k, v) would write over: k's on a hit, the type's zero when the set has room, else the victim's. */
  peek(k: K): V {
    const w = this.target(k, 'peek');
    return w ? w.peek(this.hk) : (zeroOf(this.spec.value) as V);
  }
  /** Occupied entries (host-side inspection). */
  size(): number {
    return this.ways.reduce((n, w) => n + w.size(), 0);
  }
}

const U64_MAX = (1n << 64n) - 1n;
