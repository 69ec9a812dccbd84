// Ranges that follow the code (docs/semantics.md §13). A node's range is what holds on every path; on a path
// guarded by a comparison (`if (a < b) return;`, a ternary's arm, the right of `&&`) more is known. These facts are
// consulted only where a check would otherwise reject the program (a value that must fit its destination, a
// divisor that must not be zero, a vector index that must be in bounds): the value is then rebuilt with the ranges
// the path's facts give, as a node whose width holds exactly that range. Evaluated at that width it is exact
// wherever the path runs; where it does not run the value is never selected (outputs, registers and table writes
// are all chosen by the path's predicate). Designs that pass every check without facts get the same IR as before.
import type { Loc } from '../diagnostics.ts';
import type { CmpOp, NodeId } from '../ir.ts';
import type { GraphBuilder } from './build.ts';

/** `a kind b` holds on the current path. */
export interface Fact {
  readonly a: NodeId;
  readonly b: NodeId;
  readonly kind: CmpOp;
}

const NEG: Record<CmpOp, CmpOp> = { eq: 'ne', ne: 'eq', lt: 'ge', le: 'gt', gt: 'le', ge: 'lt' };
const SWAP: Record<CmpOp, CmpOp> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };
const MAX_DEPTH = 12;

/** The facts a boolean node being `truth` gives: comparisons, through !, && (when true) and || (when false). */
export function factsOf(g: GraphBuilder, c: NodeId, truth: boolean, out: Fact[] = [], depth = 0): Fact[] {
  if (depth > MAX_DEPTH) return out;
  const n = g.get(c);
  if (n.op === 'cmp') out.push({ a: n.a, b: n.b, kind: truth ? n.kind : NEG[n.kind] });
  else if (n.op === 'un' && n.kind === 'lnot') factsOf(g, n.a, !truth, out, depth + 1);
  else if (n.op === 'and2' && truth) factsOf(g, n.a, true, out, depth + 1), factsOf(g, n.b, true, out, depth + 1);
  else if (n.op === 'or2' && !truth) factsOf(g, n.a, false, out, depth + 1), factsOf(g, n.b, false, out, depth + 1);
  return out;
}

export function withFacts(base: readonly Fact[] | undefined, g: GraphBuilder, c: NodeId, truth: boolean): Fact[] {
  return factsOf(g, c, truth, [...(base ?? [])]);
}

/** Whether `x kind y` follows from the facts (or from how y or x was computed: y = min(.., x), x = max(.., y)). */
function implies(g: GraphBuilder, facts: readonly Fact[], x: NodeId, kind: 'ge' | 'gt' | 'le' | 'lt', y: NodeId): boolean {
  for (const f of facts) {
    const k = f.a === x && f.b === y ? f.kind : f.a === y && f.b === x ? SWAP[f.kind] : undefined;
    if (k === undefined) continue;
    if (k === kind) return true;
    if ((kind === 'ge' && (k === 'gt' || k === 'eq')) || (kind === 'le' && (k === 'lt' || k === 'eq'))) return true;
  }
  if (kind === 'ge' || kind === 'le') {
    const [hi, lo] = kind === 'ge' ? [x, y] : [y, x];
    const L = g.get(lo);
    const H = g.get(hi);
    if (L.op === 'bin' && L.kind === 'min' && (L.a === hi || L.b === hi)) return true;
    if (H.op === 'bin' && H.kind === 'max' && (H.a === lo || H.b === lo)) return true;
  }
  return false;
}

/** Bounds of node x the facts give when compared with constants. */
function constBounds(g: GraphBuilder, facts: readonly Fact[], x: NodeId, lo: bigint, hi: bigint): [bigint, bigint] {
  for (let pass = 0; pass < 2; pass++) {
    // (Two passes: `x !== lo` narrows only once another fact has moved lo onto that constant.)
    for (const f of facts) {
      let k: CmpOp;
      let c: bigint | undefined;
      if (f.a === x) (k = f.kind), (c = g.isConst(f.b));
      else if (f.b === x) (k = SWAP[f.kind]), (c = g.isConst(f.a));
      else continue;
      if (c === undefined) continue;
      if (k === 'lt' && c - 1n < hi) hi = c - 1n;
      if (k === 'le' && c < hi) hi = c;
      if (k === 'gt' && c + 1n > lo) lo = c + 1n;
      if (k === 'ge' && c > lo) lo = c;
      if (k === 'eq') (lo = c > lo ? c : lo), (hi = c < hi ? c : hi);
      if (k === 'ne' && c === lo) lo = c + 1n;
      if (k === 'ne' && c === hi) hi = c - 1n;
    }
  }
  return [lo, hi];
}

/**
 * x rebuilt with the ranges the facts prove: the same value wherever the facts hold, in a node whose range is no
 * wider (x itself when nothing narrows). Select arms are refined under their select's condition.
 */
export function refine(g: GraphBuilder, facts: readonly Fact[], x: NodeId, loc: Loc, depth = 0): NodeId {
  if (depth > MAX_DEPTH) return x;
  const N = g.get(x);
  let m = x;
  if (N.op === 'bin' && !N.modular && N.kind !== 'div' && N.kind !== 'mod') {
    const a = refine(g, facts, N.a, loc, depth + 1);
    const b = refine(g, facts, N.b, loc, depth + 1);
    if (a !== N.a || b !== N.b) m = g.bin(N.kind, a, b, loc);
  } else if (N.op === 'mux') {
    const t = refine(g, withFacts(facts, g, N.c, true), N.t, loc, depth + 1);
    const f = refine(g, withFacts(facts, g, N.c, false), N.f, loc, depth + 1);
    if (t !== N.t || f !== N.f) m = g.mux(N.c, t, f, loc);
  }
  const M = g.get(m);
  let lo = M.lo;
  let hi = M.hi;
  if (N.op === 'bin' && N.kind === 'sub') {
    if (implies(g, facts, N.a, 'gt', N.b)) lo = lo > 1n ? lo : 1n;
    else if (implies(g, facts, N.a, 'ge', N.b)) lo = lo > 0n ? lo : 0n;
    if (implies(g, facts, N.a, 'lt', N.b)) hi = hi < -1n ? hi : -1n;
    else if (implies(g, facts, N.a, 'le', N.b)) hi = hi < 0n ? hi : 0n;
  }
  [lo, hi] = constBounds(g, facts, x, lo, hi);
  if (lo > hi) hi = lo; // contradictory facts: the path never runs, any value of the type will do
  if (lo === M.lo && hi === M.hi) return m;
  // The low bits of a sum or difference depend only on the operands' low bits: compute it at the narrow width.
  if (M.op === 'bin' && (M.kind === 'add' || M.kind === 'sub')) return g.add({ op: 'bin', kind: M.kind, a: M.a, b: M.b, modular: true }, lo, hi, loc);
  return g.add({ op: 'wrap', a: m }, lo, hi, loc);
}

/**
 * A difference a - b built where the path proves a >= b (or a <= b): narrowed at once, so the local it is bound to,
 * and every comparison of it, has the proven width (`if (ask < bid) return; const spread = ask - bid;` is a u32).
 */
export function narrowSub(g: GraphBuilder, facts: readonly Fact[], x: NodeId, loc: Loc): NodeId {
  const N = g.get(x);
  if (N.op !== 'bin' || N.kind !== 'sub' || N.modular) return x;
  let lo = N.lo;
  let hi = N.hi;
  if (implies(g, facts, N.a, 'gt', N.b)) lo = lo > 1n ? lo : 1n;
  else if (implies(g, facts, N.a, 'ge', N.b)) lo = lo > 0n ? lo : 0n;
  if (implies(g, facts, N.a, 'lt', N.b)) hi = hi < -1n ? hi : -1n;
  else if (implies(g, facts, N.a, 'le', N.b)) hi = hi < 0n ? hi : 0n;
  if (lo > hi) hi = lo;
  if (lo === N.lo && hi === N.hi) return x;
  return g.add({ op: 'bin', kind: 'sub', a: N.a, b: N.b, modular: true }, lo, hi, loc);
}
