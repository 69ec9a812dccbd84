// Honest table operations (docs/semantics.md §8), lowered onto the same memory reads every table has (has: the
// slot holds this key; free: empty or this key's; value: the slot's value, whoever holds it) and the one write port:
//   direct mapped:    lookup(k) -> Slot, replace(k, v) (writes whoever held the slot; true when it evicted another
//                     key), peek(k) and owner(k) (the slot's value and key, whoever holds it: what replace would
//                     evict)
//   set-associative:  has, get, set, delete, lookup over N ways (dsl/settable.ts): N direct-mapped memories keyed
//                     by hashKey(k), read side by side, each written through its own port; with policy
//                     'roundRobin' also replace, owner and peek, the victim pointers being one more direct-mapped
//                     table (`<name>_victim`, keyed by the set index) read with the ways and written on eviction.
// A read made after the event's writes sees them (sequential semantics): they are forwarded by slot, so a key
// that shares a written slot sees that slot's new holder. An event may write a table at two places (two write
// ports, rtl/memory2.ts); the later write wins a shared slot.
import type { Node } from 'ts-morph';
import type { Loc } from '../diagnostics.ts';
import { type NodeId, type TableIR, type TableWrite, writesOf } from '../ir.ts';
import type { TableHash } from '../../dsl/table.ts';
import { specRange } from '../../dsl/types.ts';
import type { GraphBuilder } from './build.ts';

/** A set-associative table: its ways (direct-mapped tables named `<name>_w<i>`), all keyed by hashKey(k). */
export interface AssocIR {
  readonly name: string;
  readonly ways: TableIR[];
  readonly hash: TableHash;
  readonly setBits: number;
  readonly keyWidth: number;
  /** Policy 'roundRobin': the per-set victim pointers (key u(setBits), value u(log2 N)); absent for 'refuse'. */
  readonly victim?: TableIR;
}

/** A table whose value is a vector of N scalars: N direct-mapped tables `<name>_<i>`, written together. */
export interface VecTableIR {
  readonly name: string;
  readonly elems: TableIR[];
}

export interface TableOpCx {
  g: GraphBuilder;
  writes: Map<string, TableWrite>;
  /** Tables written by replace() in this event: no read may follow (their has/get forwarding is by key). */
  evicting: Set<string>;
  pc: NodeId;
  loc: Loc;
  at: Node;
  zero: bigint;
  fail(message: string, code?: 'TF109' | 'TF112'): never;
  /** The value argument, fitted to the table's value type (evaluated only by the ops that take one). */
  value(): NodeId;
}

export type Result = { kind: 'bool' | 'int' | 'value' | 'key'; n: NodeId };

/** The memory read `what` of key `key` in table `t`, with this event's writes (if any) forwarded by slot. */
export function read(cx: Pick<TableOpCx, 'g' | 'loc' | 'writes'>, t: TableIR, what: 'has' | 'free' | 'value' | 'tag', key: NodeId): NodeId {
  const { g, loc } = cx;
  const [vlo, vhi] = specRange(t.value);
  const ib = Math.log2(t.capacity);
  const tagHi = (1n << BigInt(Math.max(0, t.key.width - ib))) - 1n;
  const raw =
    what === 'value'
      ? g.add({ op: 'tread', table: t.name, what, key }, vlo < 0n ? vlo : 0n, vhi > 0n ? vhi : 0n, loc)
      : g.add({ op: 'tread', table: t.name, what, key }, 0n, what === 'tag' ? tagHi : 1n, loc);
  // In program order, so the later write of two is the outer select (it wins on a shared slot).
  let r = raw;
  for (const w of writesOf(cx.writes.get(t.name))) {
    const sameSlot = g.and2(w.en, g.cmp('eq', lowBits(g, w.key, ib, loc), lowBits(g, key, ib, loc), loc), loc);
    const keyEq = g.cmp('eq', w.key, key, loc);
    const after =
      what === 'has'
        ? g.and2(g.not(w.del, loc), keyEq, loc)
        : what === 'free'
          ? g.or2(w.del, keyEq, loc)
          : what === 'tag'
            ? g.bin('shr', w.key, g.const(BigInt(ib), loc), loc)
            : g.mux(w.del, g.const(0n, loc), w.value, loc);
    r = g.mux(sameSlot, after, r, loc);
  }
  return r;
}

const lowBits = (g: GraphBuilder, k: NodeId, ib: number, loc: Loc) => g.bin('and', k, g.const((1n << BigInt(ib)) - 1n, loc), loc);

/** TF112's hint. */
export const TWO_WRITES_HINT = 'compute keys and values first, then write the table at two places at most';

/**
 * Adds `write` to table `t`'s writes in this event: the first, or the second (then, in program order, the later
 * write wins a shared slot: the first's enable is turned off when both hit one slot, so the two ports of the memory
 * never write one address in one cycle). A third is TF112.
 */
export function addWrite(
  g: GraphBuilder,
  writes: Map<string, TableWrite>,
  t: TableIR,
  write: TableWrite,
  fail: (message: string, related?: Loc) => never,
): void {
  const prior = writes.get(t.name);
  if (!prior) {
    writes.set(t.name, write);
    return;
  }
  const shown = t.name.replace(/_w\d+$/, '');
  if (prior.next) {
    fail(`table ${shown} is written a third time; a table has two write ports, so one event may write it at two places at most`, prior.next.loc);
  }
  const ib = Math.log2(t.capacity);
  const { loc } = write;
  const clash = g.and2(write.en, g.cmp('eq', lowBits(g, prior.key, ib, loc), lowBits(g, write.key, ib, loc), loc), loc);
  writes.set(t.name, { ...prior, en: g.and2(prior.en, g.not(clash, loc), loc), next: write });
}

function writeOnce(cx: TableOpCx, t: TableIR, write: TableWrite): void {
  addWrite(cx.g, cx.writes, t, write, (message) => cx.fail(message, 'TF112'));
}

/** lookup / replace / peek on a direct-mapped table; null for the methods tableOp handles. */
export function directOp(cx: TableOpCx, t: TableIR, method: string, key: NodeId): Result | null {
  const { g, loc } = cx;
  switch (method) {
    case 'lookup': {
      const has = read(cx, t, 'has', key);
      const free = read(cx, t, 'free', key);
      return { kind: 'int', n: g.mux(has, g.const(1n, loc), g.mux(free, g.const(0n, loc), g.const(2n, loc), loc), loc) };
    }
    case 'owner': {
      // The key in k's slot: its tag above k's own slot index (0 when the slot is empty).
      const ib = Math.log2(t.capacity);
      const valid = g.or2(read(cx, t, 'has', key), g.not(read(cx, t, 'free', key), loc), loc);
      const index = g.bin('and', key, g.const((1n << BigInt(ib)) - 1n, loc), loc);
      const held = t.key.width > ib ? g.bin('or', g.bin('shl', read(cx, t, 'tag', key), g.const(BigInt(ib), loc), loc), index, loc) : index;
      return { kind: 'key', n: g.mux(valid, held, g.const(0n, loc), loc) };
    }
    case 'peek': {
      const valid = g.or2(read(cx, t, 'has', key), g.not(read(cx, t, 'free', key), loc), loc);
      return { kind: 'value', n: g.mux(valid, read(cx, t, 'value', key), g.const(cx.zero, loc), loc) };
    }
    case 'replace': {
      const value = cx.value();
      const evicted = g.not(read(cx, t, 'free', key), loc);
      writeOnce(cx, t, { en: cx.pc, key, value, del: g.const(0n, loc), loc });
      cx.evicting.add(t.name);
      return { kind: 'bool', n: evicted };
    }
  }
  return null;
}

/**
 * hashKey(k) of dsl/settable.ts as nodes: the tag above, the set (low bits, XOR-folded with the tag) below. Its own
 * inverse, so applied to a way's stored key it gives back the key the design wrote (owner()).
 */
export function hashKeyNode(g: GraphBuilder, a: AssocIR, k: NodeId, loc: Loc): NodeId {
  const S = a.setBits;
  if (a.hash === 'low' || S === 0) return k;
  const K = a.keyWidth;
  // Bits hi..lo of the (unsigned) key: a shift and a mask, sized by their ranges.
  const bitsOf = (hi: number, lo: number) => g.bin('and', lo ? g.bin('shr', k, g.const(BigInt(lo), loc), loc) : k, g.const((1n << BigInt(Math.min(hi, K - 1) - lo + 1)) - 1n, loc), loc);
  let set = bitsOf(S - 1, 0);
  for (let b = S; b < K; b += S) set = g.bin('xor', set, bitsOf(b + S - 1, b), loc);
  if (K <= S) return k;
  const tag = bitsOf(K - 1, S);
  return g.bin('or', g.bin('shl', tag, g.const(BigInt(S), loc), loc), set, loc);
}

/** has / get / set / delete / lookup on a set-associative table; replace / owner / peek with policy 'roundRobin'. */
export function assocOp(cx: TableOpCx, a: AssocIR, method: string, k: NodeId): Result {
  const { g, loc } = cx;
  const key = hashKeyNode(g, a, k, loc);
  const hits = a.ways.map((t) => read(cx, t, 'has', key));
  const anyHit = hits.reduce((x, y) => g.or2(x, y, loc));
  // free: the way is empty or holds k. A key lives in one way at most, so when no way holds k a free way is an
  // empty one, and "some way can take k" is just "some way is free" (fewer logic levels on the update's loop).
  const frees = a.ways.map((t) => read(cx, t, 'free', key));
  const anyFree = frees.reduce((x, y) => g.or2(x, y, loc));
  switch (method) {
    case 'has':
      return { kind: 'bool', n: anyHit };
    case 'get': {
      let v = g.const(cx.zero, loc);
      for (let i = a.ways.length - 1; i >= 0; i--) v = g.mux(hits[i], read(cx, a.ways[i], 'value', key), v, loc);
      return { kind: 'value', n: v };
    }
    case 'lookup':
      return { kind: 'int', n: g.mux(anyHit, g.const(1n, loc), g.mux(anyFree, g.const(0n, loc), g.const(2n, loc), loc), loc) };
    case 'set': {
      const value = cx.value();
      // k's own way, else (no way holds k: free means empty) the first free way.
      const noHit = g.not(anyHit, loc);
      let earlierFree = g.const(0n, loc);
      a.ways.forEach((t, i) => {
        const first = g.and2(frees[i], g.not(earlierFree, loc), loc);
        const choose = g.or2(hits[i], g.and2(noHit, first, loc), loc);
        writeOnce(cx, t, { en: g.and2(cx.pc, choose, loc), key, value, del: g.const(0n, loc), loc });
        earlierFree = g.or2(earlierFree, frees[i], loc);
      });
      return { kind: 'bool', n: anyFree };
    }
    case 'delete':
      a.ways.forEach((t, i) => writeOnce(cx, t, { en: g.and2(cx.pc, hits[i], loc), key, value: g.const(0n, loc), del: g.const(1n, loc), loc }));
      return { kind: 'bool', n: anyHit };
    case 'replace':
    case 'owner':
    case 'peek':
      if (a.victim) return evictOp(cx, a, a.victim, method, k, key, hits, anyHit, frees, anyFree);
      return cx.fail(
        `${method} on set-associative table ${a.name} needs a replacement policy: declare policy: 'roundRobin' in its table({ ... }) (with 'refuse', the default, a full set evicts nothing: set() reports the overflow instead)`,
      );
  }
  return cx.fail(`set-associative tables have has, get, set, delete, lookup, and with policy 'roundRobin' replace, owner and peek; not ${method}`);
}

/**
 * replace / owner / peek on a 'roundRobin' set-associative table (docs/semantics.md §8). The way replace(k, v)
 * writes: k's own (a hit), else the first empty way, else the victim, the way the set's pointer names; only an
 * eviction writes the pointer, with its successor mod N. owner/peek read the entry in that way (k's on a hit; 0 and
 * the zero when an empty way would be filled). Reads of the ways and the pointer see this event's earlier writes
 * (read()); nothing reads the table after a replace (TF112), so the pointer is written once and never forwarded.
 */
function evictOp(
  cx: TableOpCx,
  a: AssocIR,
  ptrs: TableIR,
  method: string,
  k: NodeId,
  key: NodeId,
  hits: NodeId[],
  anyHit: NodeId,
  frees: NodeId[],
  anyFree: NodeId,
): Result {
  const { g, loc } = cx;
  const set = g.bin('and', key, g.const((1n << BigInt(a.setBits)) - 1n, loc), loc);
  // A pointer never written (after reset) is way 0.
  const ptr = g.mux(read(cx, ptrs, 'has', set), read(cx, ptrs, 'value', set), g.const(0n, loc), loc);
  const isVictim = a.ways.map((_, i) => g.cmp('eq', ptr, g.const(BigInt(i), loc), loc));
  // No way holds k and none is empty (free is "empty or k's", and k is in no way).
  const full = g.not(anyFree, loc);
  // The way's entry replace would write over, given it is not an empty way: k's own, else the victim.
  const over = (what: 'value' | 'tag') => {
    let r = g.const(0n, loc);
    for (let i = a.ways.length - 1; i >= 0; i--) r = g.mux(g.or2(hits[i], g.and2(full, isVictim[i], loc), loc), read(cx, a.ways[i], what, key), r, loc);
    return r;
  };
  switch (method) {
    case 'owner': {
      // The victim's stored key: its tag above, k's set below (it is in k's set); hashKey undoes the fold.
      const stored = a.keyWidth > a.setBits ? g.bin('or', g.bin('shl', over('tag'), g.const(BigInt(a.setBits), loc), loc), set, loc) : set;
      return { kind: 'key', n: g.mux(anyHit, k, g.mux(full, hashKeyNode(g, a, stored, loc), g.const(0n, loc), loc), loc) };
    }
    case 'peek':
      return { kind: 'value', n: g.mux(g.or2(anyHit, full, loc), over('value'), g.const(cx.zero, loc), loc) };
  }
  const value = cx.value();
  const noHit = g.not(anyHit, loc);
  let earlierFree = g.const(0n, loc);
  a.ways.forEach((t, i) => {
    const first = g.and2(frees[i], g.not(earlierFree, loc), loc);
    const choose = g.or2(g.or2(hits[i], g.and2(noHit, first, loc), loc), g.and2(full, isVictim[i], loc), loc);
    writeOnce(cx, t, { en: g.and2(cx.pc, choose, loc), key, value, del: g.const(0n, loc), loc });
    earlierFree = g.or2(earlierFree, frees[i], loc);
    cx.evicting.add(t.name);
  });
  const N = BigInt(a.ways.length);
  const next = g.bin('and', g.bin('add', ptr, g.const(1n, loc), loc), g.const(N - 1n, loc), loc);
  writeOnce(cx, ptrs, { en: g.and2(cx.pc, full, loc), key: set, value: next, del: g.const(0n, loc), loc });
  cx.evicting.add(ptrs.name);
  return { kind: 'bool', n: full };
}
