// Tables: fixed-capacity memories with the behaviour the hardware has. A table is direct mapped: key k lives in
// slot (k mod capacity), capacity a power of two, and each slot holds (valid, key, value). A key whose slot is held
// by another key cannot be inserted: set() returns false and writes nothing (overflow). get() of an absent key
// returns the value spec's zero (miss); has() tells hit from miss.
import { type ScalarSpec, type ValueOf, isBigRep, specRange, describeSpec } from './types.ts';
import type { VecSpec } from './vec.ts';

/** What a table slot holds: a scalar, or a vector of scalars (`vec(u(64), 8)`: one memory per element in hardware). */
export type TableValueSpec = ScalarSpec | VecSpec<ScalarSpec>;
/** The model's value of a table value spec: a vector is a fresh array on every read. */
export type TableValue<V> = V extends VecSpec<infer E> ? Array<ValueOf<E>> : ValueOf<V>;

export interface TableSpec<K extends ScalarSpec = ScalarSpec, V extends TableValueSpec = ScalarSpec> {
  readonly kind: 'table';
  readonly key: K;
  readonly value: V;
  readonly capacity: number;
  /** Memory the table is built in; by default chosen by size (docs/semantics.md §11). */
  readonly memory?: MemoryKind;
  /** Set-associative: this many ways per set (dsl/settable.ts); absent or 1: direct mapped. */
  readonly ways?: number;
  /** How a key picks its set (set-associative tables): 'low' bits, or the low bits XOR-folded with the rest. */
  readonly hash?: TableHash;
  /** What replace() does when k's set is full (set-associative tables; present only when not 'refuse'). */
  readonly policy?: TablePolicy;
}

/** Any table declaration: a scalar or a vector value. */
export type AnyTableSpec = TableSpec<ScalarSpec, TableValueSpec>;

export type TableHash = 'low' | 'fold';
export const TABLE_HASHES: readonly TableHash[] = ['low', 'fold'];
/**
 * Replacement policy of a set-associative table (docs/semantics.md §8). 'refuse' (the default): no way is ever
 * evicted, so replace/owner/peek are not available. 'roundRobin': a per-set pointer names the way replace() evicts
 * from a full set and steps on after each eviction (log2 N bits a set: exact and cheap, where LRU needs an order).
 */
export type TablePolicy = 'refuse' | 'roundRobin';
export const TABLE_POLICIES: readonly TablePolicy[] = ['refuse', 'roundRobin'];
export const MAX_WAYS = 8;

/** What lookup(k) finds in k's slot (or set): k itself, room for k, or only other keys. */
export enum Slot {
  Empty = 0,
  Hit = 1,
  Taken = 2,
}

/** LUT-RAM (distributed), block RAM, or UltraRAM. Every kind has a registered read of one cycle. */
export type MemoryKind = 'lutram' | 'bram' | 'uram';
export const MEMORY_KINDS: readonly MemoryKind[] = ['lutram', 'bram', 'uram'];

export function table<K extends ScalarSpec, V extends TableValueSpec>(def: { key: K; value: V; capacity: number; memory?: MemoryKind; ways?: number; hash?: TableHash; policy?: TablePolicy }): TableSpec<K, V> {
  const c = def.capacity;
  if (!Number.isInteger(c) || c < 2 || c > 1 << 20 || (c & (c - 1)) !== 0) {
    throw new RangeError(`tickforge: table capacity must be a power of two in 2..2^20, got ${c}`);
  }
  if (def.key.kind !== 'uint') throw new TypeError('tickforge: table keys must be unsigned integers (u(N))');
  if (def.value.kind === 'vec' && (def.value.elem as { kind: string }).kind === 'record') throw new TypeError('tickforge: a table value is a scalar or a vector of scalars, not of records');
  if (def.value.kind === 'vec' && (def.ways ?? 1) > 1) throw new RangeError('tickforge: a table whose value is a vector is direct mapped (ways: 1)');
  if (def.memory !== undefined && !MEMORY_KINDS.includes(def.memory)) throw new RangeError(`tickforge: table memory must be one of ${MEMORY_KINDS.join(', ')}, got ${String(def.memory)}`);
  const ways = def.ways ?? 1;
  if (!Number.isInteger(ways) || ways < 1 || ways > MAX_WAYS || (ways & (ways - 1)) !== 0 || ways >= c) throw new RangeError(`tickforge: table ways must be a power of two in 1..${MAX_WAYS}, below the capacity; got ${def.ways}`);
  if (def.hash !== undefined && !TABLE_HASHES.includes(def.hash)) throw new RangeError(`tickforge: table hash must be one of ${TABLE_HASHES.join(', ')}, got ${String(def.hash)}`);
  if (def.hash !== undefined && ways === 1) throw new RangeError('tickforge: a table hash is declared for set-associative tables (ways > 1)');
  if (def.policy !== undefined && !TABLE_POLICIES.includes(def.policy)) throw new RangeError(`tickforge: table policy must be one of ${TABLE_POLICIES.join(', ')}, got ${String(def.policy)}`);
  if (def.policy !== undefined && ways === 1) throw new RangeError('tickforge: a replacement policy is declared for set-associative tables (ways > 1); a direct-mapped replace() evicts the one slot');
  const policy = def.policy === 'roundRobin' ? { policy: def.policy } : {};
  return { kind: 'table', key: def.key, value: def.value, capacity: c, ...(def.memory ? { memory: def.memory } : {}), ...(ways > 1 ? { ways, hash: def.hash ?? 'low', ...policy } : {}) };
}

export function zeroOf(spec: ScalarSpec): unknown {
  switch (spec.kind) {
    case 'bool':
      return false;
    case 'char':
      return '\0';
    case 'enum':
      return spec.members.find((m) => m.value === 0 || m.value === '\0')?.value ?? spec.members[0].value;
    default:
      return isBigRep(spec) ? 0n : 0;
  }
}

const U64_MAX = (1n << 64n) - 1n;

/**
 * The model of a table; the compiler lowers the same methods to a memory with two write ports. A vector value is
 * copied in by set and out by get/peek (a fresh array each time, like a local array literal), as the hardware's one memory per element
 * holds the elements and not the caller's array: writing into what get returned changes nothing stored.
 */
export class Table<K, V> {
  private readonly valid: Uint8Array;
  // Keys and values in typed arrays where the spec allows (a u64 in a BigUint64Array, a number in a Float64Array,
  // both exact for every value of the spec): a table of 2^20 bigints in a JavaScript array is a million heap
  // objects for every major GC to trace. A key of another type than the key spec's (the model does not check keys)
  // turns the keys into a plain array first (keysAsArray), so such a key is kept as the value it was.
  private keys: BigUint64Array | Float64Array | K[];
  private readonly vals: BigUint64Array | BigInt64Array | Float64Array | V[];
  private readonly mask: number;
  private readonly bigMask: bigint;
  private readonly zero: V;
  /** The value is a vector: stored as a copy, handed out as a fresh copy. */
  private readonly vec: boolean;
  /** The key spec is a bigint (u54..u64): keys kept in a BigUint64Array until keysAsArray. */
  private readonly bigKeys: boolean;
  private typedKeys = true;
  /** checkValue(spec.value, v) accepts v (compiled; on false, checkValue throws its error). */
  private readonly fits: (v: unknown) => boolean;

  constructor(readonly spec: TableSpec<ScalarSpec, TableValueSpec>) {
    const c = spec.capacity;
    this.valid = new Uint8Array(c);
    this.bigKeys = isBigRep(spec.key);
    this.keys = this.bigKeys ? new BigUint64Array(c) : new Float64Array(c);
    const v = spec.value;
    this.vals = v.kind === 'uint' || v.kind === 'sint' ? (isBigRep(v) ? (v.kind === 'uint' ? new BigUint64Array(c) : new BigInt64Array(c)) : new Float64Array(c)) : new Array<V>(c);
    this.mask = c - 1;
    this.bigMask = BigInt(this.mask);
    this.vec = v.kind === 'vec';
    this.zero = (v.kind === 'vec' ? Array.from({ length: v.length }, () => zeroOf(v.elem)) : zeroOf(v)) as V;
    if (Array.isArray(this.vals)) this.vals.fill(this.zero);
    this.fits = v.kind === 'vec' ? vecAccepts(v) : acceptsOf(v);
  }

  /** A stored value as the caller gets it (a vector: a fresh copy). */
  private out(v: V): V {
    return this.vec ? ((v as unknown[]).slice() as V) : v;
  }

  /** The slot of key k (any key: a slot is k mod capacity). */
  slotOf(k: K): number {
    return typeof k === 'bigint' ? Number(k & this.bigMask) : (k as number) % (this.mask + 1);
  }

  has(k: K): boolean {
    const s = this.slotOf(k);
    return this.valid[s] === 1 && this.keys[s] === k;
  }
  get(k: K): V {
    const s = this.slotOf(k);
    return this.out(this.valid[s] === 1 && this.keys[s] === k ? (this.vals[s] as V) : this.zero);
  }
  /** Inserts or updates; false (and nothing written) when the slot holds another key. */
  set(k: K, v: V): boolean {
    return this.setAt(this.slotOf(k), k, v);
  }
  /** Hit: the slot holds k; Empty: it is empty; Taken: it holds another key. */
  lookup(k: K): Slot {
    const s = this.slotOf(k);
    return this.valid[s] !== 1 ? Slot.Empty : this.keys[s] === k ? Slot.Hit : Slot.Taken;
  }
  /** Writes (k, v) whoever held the slot; true when that evicted another key (read it first with owner/peek). */
  replace(k: K, v: V): boolean {
    const s = this.slotOf(k);
    const evicted = this.valid[s] === 1 && this.keys[s] !== k;
    this.write(s, k, v);
    return evicted;
  }
  /** The key in k's slot whoever holds it (0 when empty): the key replace(k, v) would evict. */
  owner(k: K): K {
    const s = this.slotOf(k);
    return this.valid[s] === 1 ? (this.keys[s] as K) : ((typeof k === 'bigint' ? 0n : 0) as K);
  }
  /** The value in k's slot whoever holds it (the type's zero when empty): what replace(k, v) would evict. */
  peek(k: K): V {
    const s = this.slotOf(k);
    return this.out(this.valid[s] === 1 ? (this.vals[s] as V) : this.zero);
  }
  /** Removes the key; false when it was absent. */
  delete(k: K): boolean {
    const s = this.slotOf(k);
    if (this.valid[s] !== 1 || this.keys[s] !== k) return false;
    this.valid[s] = 0;
    this.vals[s] = this.zero as never;
    return true;
  }
  /** Number of occupied slots (host-side inspection; not available inside step). */
  size(): number {
    let n = 0;
    for (const v of this.valid) n += v;
    return n;
  }

  // By slot (s = slotOf(k)): what a set-associative table (dsl/settable.ts) calls on each way, its key's slot found once.
  /** @internal The slot holds k. */
  hitAt(s: number, k: K): boolean {
    return this.valid[s] === 1 && this.keys[s] === k;
  }
  /** @internal The slot is empty. */
  emptyAt(s: number): boolean {
    return this.valid[s] !== 1;
  }
  /** @internal The value in the slot (valid or not). */
  valueAt(s: number): V {
    return this.out(this.vals[s] as V);
  }
  /** @internal set(k, v) with s = slotOf(k). */
  setAt(s: number, k: K, v: V): boolean {
    if (this.valid[s] === 1 && this.keys[s] !== k) return false;
    this.write(s, k, v);
    return true;
  }
  /** @internal delete(k) of a key the slot holds. */
  clearAt(s: number): void {
    this.valid[s] = 0;
    this.vals[s] = this.zero as never;
  }

  /** Checks v (checkValue's error), then writes (k, v) into slot s. */
  private write(s: number, k: K, v: V): void {
    if (!this.fits(v)) checkTableValue(this.spec.value, v);
    if (this.typedKeys && !(this.bigKeys ? typeof k === 'bigint' && k >= 0n && k <= U64_MAX : typeof k === 'number')) this.keysAsArray();
    this.valid[s] = 1;
    this.keys[s] = k as never;
    this.vals[s] = (this.vec ? (v as unknown[]).slice() : v) as never;
  }
  private keysAsArray(): void {
    this.keys = Array.from(this.keys as ArrayLike<K>);
    this.typedKeys = false;
  }
}

const ACCEPTS = new WeakMap<ScalarSpec, (v: unknown) => boolean>();
/** accepts(spec), compiled once per spec object. */
function acceptsOf(spec: ScalarSpec): (v: unknown) => boolean {
  let f = ACCEPTS.get(spec);
  if (!f) ACCEPTS.set(spec, (f = accepts(spec)));
  return f;
}

export type TableOf<T> = T extends TableSpec<infer K, infer V> ? Table<ValueOf<K>, TableValue<V>> : never;

/** accepts() of a vector of scalars: an array of its length, each element accepted. */
function vecAccepts(spec: VecSpec<ScalarSpec>): (v: unknown) => boolean {
  const elem = acceptsOf(spec.elem);
  return (v) => Array.isArray(v) && v.length === spec.length && v.every(elem);
}

/** checkValue for a table's value: a vector is checked for its length, then element by element. */
function checkTableValue(spec: TableValueSpec, v: unknown): void {
  if (spec.kind !== 'vec') return checkValue(spec, v);
  if (!Array.isArray(v) || v.length !== spec.length) throw new TypeError(`tickforge model: expected an array of ${spec.length} for a table value, got ${String(v)}`);
  for (const x of v) checkValue(spec.elem, x);
}

/** Run-time guard of the model: a value stored into state must lie in its spec (the compiler proves it). */
export function checkValue(spec: ScalarSpec, v: unknown): void {
  if (spec.kind === 'uint' || spec.kind === 'sint') {
    const big = isBigRep(spec);
    if (big ? typeof v !== 'bigint' : typeof v !== 'number' || !Number.isInteger(v)) {
      throw new TypeError(`tickforge model: expected ${big ? 'bigint' : 'integer'} for ${describeSpec(spec)}, got ${String(v)}`);
    }
    const [lo, hi] = specRange(spec);
    const x = BigInt(v as number | bigint);
    if (x < lo || x > hi) throw new RangeError(`tickforge model: ${x} does not fit ${describeSpec(spec)}`);
  } else if (spec.kind === 'bool' && typeof v !== 'boolean') {
    throw new TypeError(`tickforge model: expected boolean, got ${String(v)}`);
  }
}

/**
 * The condition under which checkValue(spec, v) accepts v, as a JavaScript expression over the variable `v`, with
 * the spec's bounds as literals: what the model evaluates for each state register after every step (a compiled
 * guard instead of checkValue's BigInt conversion). For a number-represented spec wider than 32 bits the bounds are
 * exact doubles (|bound| <= 2^53 - 1) and double comparison is exact, so an integer double passes exactly when its
 * BigInt does; NaN and infinities fail (not integers). test/dsl/fastpaths.test.ts checks it against checkValue.
 */
export function acceptsExpr(spec: ScalarSpec, v: string): string {
  if (spec.kind === 'uint' || spec.kind === 'sint') {
    const [lo, hi] = specRange(spec);
    if (isBigRep(spec)) return `(typeof ${v} === 'bigint' && ${v} >= ${lo}n && ${v} <= ${hi}n)`;
    // Widths up to 32: one 32-bit integer operation maps every double to an integer of the type's range (ToInt32 /
    // ToUint32 truncate and wrap; the shifts sign-extend from bit width-1), and that integer equals v exactly when v
    // is an integer of the range (-0 included, as BigInt(-0) is 0n). `typeof` first: the operators would convert (or
    // throw on) anything else.
    const w = spec.width;
    if (spec.kind === 'uint' && w < 32) return `(typeof ${v} === 'number' && (${v} & ${hi}) === ${v})`;
    if (spec.kind === 'uint' && w === 32) return `(typeof ${v} === 'number' && ${v} >>> 0 === ${v})`;
    if (spec.kind === 'sint' && w <= 32) return `(typeof ${v} === 'number' && ((${v} << ${32 - w}) >> ${32 - w}) === ${v})`;
    return `(typeof ${v} === 'number' && ${v} >= ${lo} && ${v} <= ${hi} && Number.isInteger(${v}))`;
  }
  if (spec.kind === 'bool') return `(typeof ${v} === 'boolean')`;
  return 'true';
}

/** A predicate equal to "checkValue(spec, v) does not throw", compiled once per spec. */
export function accepts(spec: ScalarSpec): (v: unknown) => boolean {
  return new Function('v', `return ${acceptsExpr(spec, 'v')};`) as (v: unknown) => boolean;
}
