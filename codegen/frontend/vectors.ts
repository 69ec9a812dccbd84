// Vectors in the front end (docs/semantics.md §12). A vector is a compile-time list of element values; an array
// in JavaScript is a reference, so a vector value in the lowerer is too: `{ k: 'vec', home }` names where its
// elements live in the environment (a state declaration, or the array literal that made it), and every alias of
// it reads and writes that one place, as every alias of a JavaScript array does. Indexing by a constant picks an
// element; indexing by a run-time value is a mux tree over the index bits (a read) or one compare per element (a
// write), so its cost is in the IR for the delay model to see.
import type { Loc } from '../diagnostics.ts';
import type { NodeId } from '../ir.ts';
import type { GraphBuilder } from './build.ts';

/**
 * elems[i] for a run-time index i known to lie in lo..hi (checked by the caller): a balanced tree of 2:1 selects on
 * the index bits, log2(hi + 1) levels deep. `select(c, a, b)` picks a when c (any value kind: records by field).
 */
export function muxRead<V>(g: GraphBuilder, elems: readonly V[], i: NodeId, lo: number, hi: number, select: (c: NodeId, a: V, b: V) => V, loc: Loc): V {
  const bitsNeeded = Math.max(1, hi.toString(2).length);
  const leaf = (k: number): V => elems[Math.min(Math.max(k, lo), hi)];
  const build = (bit: number, base: number): V => {
    if (bit < 0) return leaf(base);
    const span = 1 << bit;
    if (base > hi) return leaf(hi);
    const zero = build(bit - 1, base);
    if (base + span > hi) return zero; // every index with this bit set is out of range: never selected
    const one = build(bit - 1, base + span);
    if (base + span - 1 < lo) return one; // every index with this bit clear is below lo
    return select(g.slice(i, bit, bit, loc), one, zero);
  };
  return build(bitsNeeded - 1, 0);
}

/** elems with elems[i] replaced by v, for a run-time index i in lo..hi: each element selects v when i is its index. */
export function muxWrite<V>(g: GraphBuilder, elems: readonly V[], i: NodeId, lo: number, hi: number, v: V, select: (c: NodeId, a: V, b: V) => V, loc: Loc): V[] {
  return elems.map((old, k) => (k < lo || k > hi ? old : select(g.cmp('eq', i, g.const(BigInt(k), loc), loc), v, old)));
}
