// Node construction with exact range inference. Ranges are what make the IR bit-exact: a node's width is
// derived from its range, so hardware evaluating it at that width computes the exact integer JavaScript does.
import type { Loc } from '../diagnostics.ts';
import { type BinOp, type CmpOp, type Node, type NodeId, type NodeKind, type UnOp, bitsFor } from '../ir.ts';

const minB = (...xs: bigint[]) => xs.reduce((a, b) => (b < a ? b : a));
const maxB = (...xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a));
const absMax = (lo: bigint, hi: bigint) => maxB(lo < 0n ? -lo : lo, hi < 0n ? -hi : hi);
const pow2 = (n: number) => 1n << BigInt(n);

/** Smallest [lo, hi] of the two's-complement width holding both ranges. */
function signedSpan(a: Node, b: Node): [bigint, bigint] {
  const w = Math.max(bitsFor(a.lo, a.hi).width + (a.signed ? 0 : 1), bitsFor(b.lo, b.hi).width + (b.signed ? 0 : 1));
  return [-pow2(w - 1), pow2(w - 1) - 1n];
}

export class GraphBuilder {
  readonly nodes: Node[] = [];
  private readonly memo = new Map<string, NodeId>();

  get(id: NodeId): Node {
    return this.nodes[id];
  }

  add(kind: NodeKind, lo: bigint, hi: bigint, loc: Loc): NodeId {
    // Structural hashing: the same operation on the same operands is one node (keeps RTL small and readable).
    const key = JSON.stringify(kind, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) + `|${lo}|${hi}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const { width, signed } = bitsFor(lo, hi);
    const id = this.nodes.length;
    this.nodes.push({ ...kind, id, width, signed, lo, hi, loc } as Node);
    this.memo.set(key, id);
    return id;
  }

  const(value: bigint, loc: Loc): NodeId {
    return this.add({ op: 'const', value }, value, value, loc);
  }
  isConst(id: NodeId): bigint | undefined {
    const n = this.nodes[id];
    return n.op === 'const' ? n.value : undefined;
  }

  /**
   * `has ? value : zero` of a table read: [has, value, zero]. A comparison or sum of it is built on both arms and
   * selected after (`has ? cmp(value, b) : cmp(zero, b)`): the same value, but the carry chain no longer waits for
   * the tag compare, which is what closes a read-modify-write at the clock (docs/semantics.md §11). With `deep`
   * (comparisons and differences: always a carry chain) also a set-associative get(), `has_0 ? value_0 : has_1 ?
   * value_1 : ... : zero` (the zero's arm is then the rest of the chain, distributed over in turn: one carry chain
   * per way, each starting at its way's word), and a slice of either (a field of the value, taken on each arm). Not
   * for sums, which are often concatenations (free wiring, that a select per way would only lengthen).
   */
  missSelect(id: NodeId, deep = false): [NodeId, NodeId, NodeId] | null {
    const n = this.nodes[id];
    if (deep && n.op === 'slice') {
      const m = this.missSelect(n.a, deep);
      return m && [m[0], this.slice(m[1], n.msb, n.lsb, n.loc), this.slice(m[2], n.msb, n.lsb, n.loc)];
    }
    if (n.op !== 'mux') return null;
    const c = this.nodes[n.c];
    const t = this.nodes[n.t];
    const f = this.nodes[n.f];
    if (c.op !== 'tread' || c.what !== 'has') return null;
    if (t.op === 'tread' && t.what === 'value' && f.op === 'const') return [n.c, n.t, n.f];
    const value = (x: Node): boolean => (x.op === 'tread' && x.what === 'value') || (x.op === 'slice' && value(this.nodes[x.a]));
    if (deep && value(t) && (f.op === 'const' || this.missSelect(n.f, deep) !== null)) return [n.c, n.t, n.f];
    return null;
  }

  bin(kind: BinOp, a: NodeId, b: NodeId, loc: Loc): NodeId {
    if (kind === 'add' || kind === 'sub') {
      const deep = kind === 'sub';
      const sa = this.missSelect(a, deep);
      const sb = sa ? null : this.missSelect(b, deep);
      if (sa && !this.missSelect(b, deep)) return this.mux(sa[0], this.bin(kind, sa[1], b, loc), this.bin(kind, sa[2], b, loc), loc);
      if (sb) return this.mux(sb[0], this.bin(kind, a, sb[1], loc), this.bin(kind, a, sb[2], loc), loc);
    }
    const A = this.nodes[a];
    const B = this.nodes[b];
    // Bitwise operations of two constants (an unrolled loop's index masked by a constant): their ranges below are
    // bounds, not the value, so they are worked out here (bigint operators: two's complement, as the hardware's).
    if (A.op === 'const' && B.op === 'const' && (kind === 'and' || kind === 'or' || kind === 'xor')) {
      return this.const(kind === 'and' ? A.value & B.value : kind === 'or' ? A.value | B.value : A.value ^ B.value, loc);
    }
    let lo: bigint;
    let hi: bigint;
    switch (kind) {
      case 'add':
        [lo, hi] = [A.lo + B.lo, A.hi + B.hi];
        break;
      case 'sub':
        [lo, hi] = [A.lo - B.hi, A.hi - B.lo];
        break;
      case 'mul': {
        const p = [A.lo * B.lo, A.lo * B.hi, A.hi * B.lo, A.hi * B.hi];
        [lo, hi] = [minB(...p), maxB(...p)];
        break;
      }
      case 'and':
        if (A.lo >= 0n && B.lo >= 0n) [lo, hi] = [0n, minB(A.hi, B.hi)];
        else if (A.lo >= 0n) [lo, hi] = [0n, A.hi];
        else if (B.lo >= 0n) [lo, hi] = [0n, B.hi];
        else [lo, hi] = signedSpan(A, B);
        break;
      case 'or':
      case 'xor':
        if (A.lo >= 0n && B.lo >= 0n) [lo, hi] = [0n, pow2(maxB(A.hi, B.hi).toString(2).length) - 1n];
        else [lo, hi] = signedSpan(A, B);
        break;
      case 'shl': {
        const s0 = pow2(Number(B.lo));
        const s1 = pow2(Number(B.hi));
        const p = [A.lo * s0, A.lo * s1, A.hi * s0, A.hi * s1];
        [lo, hi] = [minB(...p), maxB(...p)];
        break;
      }
      case 'shr': {
        const p = [A.lo >> B.lo, A.lo >> B.hi, A.hi >> B.lo, A.hi >> B.hi];
        [lo, hi] = [minB(...p), maxB(...p)];
        break;
      }
      case 'div': {
        const m = absMax(A.lo, A.hi);
        [lo, hi] = A.lo >= 0n && B.lo >= 0n ? [0n, A.hi] : [-m, m];
        break;
      }
      case 'mod': {
        const mayZero = B.lo <= 0n && B.hi >= 0n;
        const m = mayZero ? absMax(A.lo, A.hi) : minB(absMax(A.lo, A.hi), absMax(B.lo, B.hi) - 1n);
        [lo, hi] = [A.lo >= 0n ? 0n : -m, A.hi <= 0n ? 0n : m];
        break;
      }
      case 'min':
        [lo, hi] = [minB(A.lo, B.lo), minB(A.hi, B.hi)];
        break;
      case 'max':
        [lo, hi] = [maxB(A.lo, B.lo), maxB(A.hi, B.hi)];
        break;
    }
    if (lo === hi && A.op === 'const' && B.op === 'const') return this.const(lo, loc);
    return this.add({ op: 'bin', kind, a, b }, lo, hi, loc);
  }

  cmp(kind: CmpOp, a: NodeId, b: NodeId, loc: Loc): NodeId {
    const sa = this.missSelect(a, true);
    const sb = sa ? null : this.missSelect(b, true);
    if (sa && !this.missSelect(b, true)) return this.mux(sa[0], this.cmp(kind, sa[1], b, loc), this.cmp(kind, sa[2], b, loc), loc);
    if (sb) return this.mux(sb[0], this.cmp(kind, a, sb[1], loc), this.cmp(kind, a, sb[2], loc), loc);
    const A = this.nodes[a];
    const B = this.nodes[b];
    if (A.op === 'const' && B.op === 'const') {
      const x = A.value;
      const y = B.value;
      const r = { eq: x === y, ne: x !== y, lt: x < y, le: x <= y, gt: x > y, ge: x >= y }[kind];
      return this.const(r ? 1n : 0n, loc);
    }
    if (a === b) return this.const(kind === 'eq' || kind === 'le' || kind === 'ge' ? 1n : 0n, loc);
    // Decided by the operands' ranges (e.g. `0 > pos` for an unsigned pos, from an unrolled loop's first pass): a
    // constant, not a compare Verilator flags as constant (UNSIGNED) and a LUT the delay model would charge.
    const known = decided(kind, A.lo, A.hi, B.lo, B.hi);
    if (known !== null) return this.const(known ? 1n : 0n, loc);
    return this.add({ op: 'cmp', kind, a, b }, 0n, 1n, loc);
  }

  un(kind: UnOp, a: NodeId, loc: Loc): NodeId {
    const A = this.nodes[a];
    if (A.op === 'const') {
      const v = kind === 'neg' ? -A.value : kind === 'not' ? -A.value - 1n : A.value === 0n ? 1n : 0n;
      return this.const(v, loc);
    }
    if (kind === 'neg') return this.add({ op: 'un', kind, a }, -A.hi, -A.lo, loc);
    if (kind === 'not') return this.add({ op: 'un', kind, a }, -A.hi - 1n, -A.lo - 1n, loc);
    if (A.op === 'un' && A.kind === 'lnot') return A.a;
    return this.add({ op: 'un', kind, a }, 0n, 1n, loc);
  }

  and2(a: NodeId, b: NodeId, loc: Loc): NodeId {
    const ca = this.isConst(a);
    const cb = this.isConst(b);
    if (ca === 0n || cb === 0n) return this.const(0n, loc);
    if (ca === 1n) return b;
    if (cb === 1n || a === b) return a;
    return this.add({ op: 'and2', a, b }, 0n, 1n, loc);
  }
  or2(a: NodeId, b: NodeId, loc: Loc): NodeId {
    const ca = this.isConst(a);
    const cb = this.isConst(b);
    if (ca === 1n || cb === 1n) return this.const(1n, loc);
    if (ca === 0n) return b;
    if (cb === 0n || a === b) return a;
    return this.add({ op: 'or2', a, b }, 0n, 1n, loc);
  }
  not(a: NodeId, loc: Loc): NodeId {
    return this.un('lnot', a, loc);
  }

  mux(c: NodeId, t: NodeId, f: NodeId, loc: Loc): NodeId {
    if (t === f) return t;
    const cc = this.isConst(c);
    if (cc !== undefined) return cc !== 0n ? t : f;
    const T = this.nodes[t];
    const F = this.nodes[f];
    return this.add({ op: 'mux', c, t, f }, minB(T.lo, F.lo), maxB(T.hi, F.hi), loc);
  }

  slice(a: NodeId, hi: number, lo: number, loc: Loc): NodeId {
    const A = this.nodes[a];
    if (A.op === 'const') return this.const(BigInt.asUintN(hi - lo + 1, A.value >> BigInt(lo)), loc);
    return this.add({ op: 'slice', a, msb: hi, lsb: lo }, 0n, pow2(hi - lo + 1) - 1n, loc);
  }

  /** Two's-complement wrap into [lo, hi] (a width's range). Identity when the value already fits. */
  wrap(a: NodeId, lo: bigint, hi: bigint, loc: Loc): NodeId {
    const A = this.nodes[a];
    if (A.lo >= lo && A.hi <= hi) return a;
    // Memoized: the narrowing below recurses through shared subgraphs, which would otherwise be walked once per path.
    const key = `${a}|${lo}|${hi}`;
    const hit = this.wrapMemo.get(key);
    if (hit !== undefined) return hit;
    const r = this.wrapUncached(a, lo, hi, loc);
    this.wrapMemo.set(key, r);
    return r;
  }

  private readonly wrapMemo = new Map<string, NodeId>();

  private wrapUncached(a: NodeId, lo: bigint, hi: bigint, loc: Loc): NodeId {
    const A = this.nodes[a];
    const { width, signed } = bitsFor(lo, hi);
    if (A.op === 'const') return this.const(signed ? BigInt.asIntN(width, A.value) : BigInt.asUintN(width, A.value), loc);
    // A modular node already holds only its own low bits: it cannot be re-narrowed to a wider width.
    if ((A.op === 'bin' || A.op === 'un') && A.modular && width > A.width) return this.add({ op: 'wrap', a }, lo, hi, loc);
    // Low bits of + - * & | ^ ~ and negation depend only on the operands' low bits: compute at the target width.
    if (A.op === 'bin' && ['add', 'sub', 'mul', 'and', 'or', 'xor'].includes(A.kind)) {
      const x = this.wrap(A.a, lo, hi, loc);
      const y = this.wrap(A.b, lo, hi, loc);
      // A constant can wrap to 0 or 1 (x * 256 at 4 bits is x * 0): fold what that makes trivial.
      const k = (id: NodeId) => (this.nodes[id].op === 'const' ? (this.nodes[id] as { value: bigint }).value : null);
      if ((k(x) === 0n || k(y) === 0n) && (A.kind === 'and' || A.kind === 'mul')) return this.const(0n, loc);
      if (k(y) === 0n) return x; // x + 0, x - 0, x | 0, x ^ 0
      if (k(x) === 0n && A.kind !== 'sub') return y;
      if (A.kind === 'mul' && k(y) === 1n) return x;
      if (A.kind === 'mul' && k(x) === 1n) return y;
      return this.add({ op: 'bin', kind: A.kind, a: x, b: y, modular: true }, lo, hi, A.loc);
    }
    // x << k: the low W bits are the low W-k bits of x, moved up.
    if (A.op === 'bin' && A.kind === 'shl' && this.nodes[A.b].op === 'const') {
      const k = (this.nodes[A.b] as { value: bigint }).value;
      if (k < BigInt(width)) return this.add({ op: 'bin', kind: 'shl', a: this.wrap(A.a, lo, hi, loc), b: A.b, modular: true }, lo, hi, A.loc);
    }
    if (A.op === 'mux') return this.mux(A.c, this.wrap(A.t, lo, hi, loc), this.wrap(A.f, lo, hi, loc), A.loc);
    if (A.op === 'un' && (A.kind === 'neg' || A.kind === 'not')) {
      return this.add({ op: 'un', kind: A.kind, a: this.wrap(A.a, lo, hi, loc), modular: true }, lo, hi, A.loc);
    }
    return this.add({ op: 'wrap', a }, lo, hi, loc);
  }

  sat(a: NodeId, lo: bigint, hi: bigint, loc: Loc): NodeId {
    const A = this.nodes[a];
    if (A.lo >= lo && A.hi <= hi) return a;
    if (A.op === 'const') return this.const(A.value < lo ? lo : A.value > hi ? hi : A.value, loc);
    return this.add({ op: 'sat', a }, maxB(lo, minB(A.lo, hi)), minB(hi, maxB(A.hi, lo)), loc);
  }
}

/** The value of `a kind b` for every a in alo..ahi and b in blo..bhi, or null when the ranges do not decide it. */
function decided(kind: CmpOp, alo: bigint, ahi: bigint, blo: bigint, bhi: bigint): boolean | null {
  switch (kind) {
    case 'lt':
      return ahi < blo ? true : alo >= bhi ? false : null;
    case 'le':
      return ahi <= blo ? true : alo > bhi ? false : null;
    case 'gt':
      return alo > bhi ? true : ahi <= blo ? false : null;
    case 'ge':
      return alo >= bhi ? true : ahi < blo ? false : null;
    case 'eq':
    case 'ne':
      return ahi < blo || bhi < alo ? kind === 'ne' : null;
  }
}
