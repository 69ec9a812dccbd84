// Miss selects that select nothing: `t.get(k)` is lowered as `has(k) ? value(k) : 0` (with arithmetic and compares on
// the value pushed onto both arms: GraphBuilder.missSelect). In a direct-mapped table whose key is its slot index
// (no tag bits), `has(k)` is the slot's valid bit, and a slot whose valid bit is clear holds value 0: the reset sweep
// writes zero words, a delete writes value 0 (rtl/memory.ts, rtl/memory2.ts; the HLS arrays are zero-initialized and
// a delete writes 0 there too). So when the value type's zero is 0, the miss arm equals the hit arm and the select,
// one LUT level on every read of such a table, is dropped. Not for a table with a delete-only second write: its bank
// keeps only the valid bit (rtl/memory2.ts), so a deleted slot's value bits are stale. The model is unchanged: its
// get() of an absent key is the zero either way.
import { type Node, type NodeId, type UnitIR, writesOf } from '../ir.ts';

/** The tables whose invalid slots read value 0: direct mapped on the whole key, no delete-only bank. */
function zeroWhenEmpty(u: UnitIR): Set<string> {
  const ok = new Set<string>();
  for (const t of u.tables) {
    if (t.host || t.key.width > Math.log2(t.capacity)) continue;
    const ws = writesOf(u.tableWrites.get(t.name));
    const narrowBank = ws.length === 2 && ws.some((w) => {
      const d = u.nodes[w.del];
      return d.op === 'const' && d.value === 1n;
    });
    if (!narrowBank) ok.add(t.name);
  }
  return ok;
}

/** Whether node y computes what node x computes with node v replaced by the constant 0 (structurally). */
function sameWithZero(nodes: readonly Node[], x: NodeId, y: NodeId, v: NodeId, depth = 0): boolean {
  if (x === v) {
    const Y = nodes[y];
    return Y.op === 'const' && Y.value === 0n;
  }
  if (x === y) return true;
  if (depth > 24) return false;
  const X = nodes[x] as Node & Record<string, unknown>;
  const Y = nodes[y] as Node & Record<string, unknown>;
  // A field of v (a slice, pushed onto both arms: GraphBuilder.missSelect) the front end folded to 0 once v was 0.
  if (Y.op === 'const' && X.op === 'slice' && X.a === v) return Y.value === 0n;
  // A compare of v (or of a field of it) the front end decided from the ranges once v was 0 (`0 > x` for an unsigned
  // x is false).
  if (Y.op === 'const' && X.op === 'cmp' && (ofV(nodes, X.a, v) || ofV(nodes, X.b, v))) return zeroCompare(nodes, X, v) === Y.value;
  if (X.op !== Y.op || X.signed !== Y.signed) return false;
  for (const f of ['kind', 'msb', 'lsb', 'table', 'what'] as const) if (X[f] !== Y[f]) return false;
  // A wrap, a saturation or a modular operation narrows to its own width: the two must narrow alike (an exact
  // operation whose result fits that width equals the modular one).
  if ((X.op === 'wrap' || X.op === 'sat' || X.modular || Y.modular) && X.width !== Y.width) return false;
  if (X.op === 'sat' && (X.lo !== Y.lo || X.hi !== Y.hi)) return false;
  for (const f of ['a', 'b', 'c', 't', 'f', 'key'] as const) {
    const xa = X[f];
    const ya = Y[f];
    if (typeof xa !== typeof ya) return false;
    if (typeof xa === 'number' && !sameWithZero(nodes, xa, ya as number, v, depth + 1)) return false;
  }
  switch (X.op) {
    case 'const':
      return X.value === (Y as typeof X).value;
    case 'input':
      return X.field === (Y as typeof X).field;
    case 'param':
    case 'reg':
      return X.name === (Y as typeof X).name;
    default:
      return true;
  }
}

/** Node x is v or a slice of v: 0 when v is 0. */
function ofV(nodes: readonly Node[], x: NodeId, v: NodeId): boolean {
  const n = nodes[x];
  return x === v || (n.op === 'slice' && n.a === v);
}

/** The value (1n / 0n) of compare X with its operand v (or a slice of v) replaced by 0 when the other operand's range decides it, else null. */
function zeroCompare(nodes: readonly Node[], X: Extract<Node, { op: 'cmp' }>, v: NodeId): bigint | null {
  const vA = ofV(nodes, X.a, v);
  const other = nodes[vA ? X.b : X.a];
  const at = (o: bigint): boolean => {
    const [a, b] = vA ? [0n, o] : [o, 0n];
    return { eq: a === b, ne: a !== b, lt: a < b, le: a <= b, gt: a > b, ge: a >= b }[X.kind];
  };
  const lo = at(other.lo);
  if (at(other.hi) !== lo) return null;
  // Monotone in the other operand for the orderings; eq / ne also need 0 outside its range (or the range to be 0).
  if ((X.kind === 'eq' || X.kind === 'ne') && other.lo !== other.hi && other.lo <= 0n && 0n <= other.hi) return null;
  return lo ? 1n : 0n;
}

/**
 * Replaces every `has(k) ? X : X[value(k) := 0]` on a table whose empty slots read 0 by X (its users are re-pointed;
 * DCE then drops the select and, when nothing else reads it, the valid bit's read).
 */
export function dropMissSelects(u: UnitIR): UnitIR {
  const tables = zeroWhenEmpty(u);
  if (!tables.size) return u;
  const out: Node[] = [...u.nodes];
  const to = new Map<NodeId, NodeId>();
  for (const n of out) {
    if (n.op !== 'mux') continue;
    const c = out[n.c];
    if (c.op !== 'tread' || c.what !== 'has' || !tables.has(c.table)) continue;
    const v = out.find((x) => x.op === 'tread' && x.table === c.table && x.what === 'value' && x.key === c.key && x.id < n.id);
    if (!v || !sameWithZero(out, n.t, n.f, v.id)) continue;
    to.set(n.id, n.t);
    if (n.label && !out[n.t].label) out[n.t] = { ...out[n.t], label: n.label };
  }
  if (!to.size) return u;
  // Users come after their operands (topological order), but a replacement may itself have been replaced.
  const final = (id: NodeId): NodeId => {
    let x = id;
    while (to.has(x)) x = to.get(x)!;
    return x;
  };
  const fixed = out.map((n) => {
    const c = { ...n } as Node & Record<string, unknown>;
    for (const f of ['a', 'b', 'c', 't', 'f', 'key'] as const) if (typeof c[f] === 'number' && f in n) c[f] = final(c[f] as number);
    return c as Node;
  });
  const r = final;
  return {
    ...u,
    nodes: fixed,
    outValid: r(u.outValid),
    outFields: new Map([...u.outFields].map(([k, v]) => [k, r(v)])),
    moreOutputs: u.moreOutputs.map((o) => ({ valid: r(o.valid), fields: new Map([...o.fields].map(([k, v]) => [k, r(v)])) })),
    regNext: new Map([...u.regNext].map(([k, v]) => [k, r(v)])),
    tableWrites: new Map([...u.tableWrites].map(([k, w]) => [k, remap(w, r)])),
  };
}

function remap(w: NonNullable<ReturnType<UnitIR['tableWrites']['get']>>, m: (id: NodeId) => NodeId): typeof w {
  return { ...w, en: m(w.en), key: m(w.key), value: m(w.value), del: m(w.del), ...(w.next ? { next: remap(w.next, m) } : {}) };
}
