// IR node -> Verilog expression, one node at a time. Widths are explicit everywhere so `verilator -Wall` has nothing
// to say; a value is referenced as seen from a pipeline stage (`ref`), which names its pipeline register there.
import { type Node, type NodeId, assertNever } from '../codegen/ir.ts';
import type { Names } from './names.ts';

export const lit = (w: number, v: bigint): string => {
  const u = BigInt.asUintN(w, v);
  return w <= 32 || u < 1n << 32n ? `${w}'d${u}` : `${w}'h${u.toString(16)}`;
};

export const decl = (w: number) => (w === 1 ? '' : `[${w - 1}:0] `);

export interface ExprCtx {
  readonly nodes: readonly Node[];
  readonly names: Names;
  /** Helper wires an expression needs, emitted before the node's own wire. */
  readonly wires: string[];
  /** High bits dropped on purpose, listed in the unused sink so lint knows. */
  readonly truncated: Set<string>;
  /** Node `id` as seen from stage `st`, extended to `w` bits by its signedness. */
  ref(id: NodeId, st: number, w?: number): string;
  /** Operand width that holds a and b exactly, sign included. */
  maxW(...ids: NodeId[]): number;
  /** A table read (rtl/memory.ts). */
  tread(n: Extract<Node, { op: 'tread' }>, st: number): string;
}

/**
 * x (an expression of `w` bits) shifted by the variable amount node `amt` (<<, logical >>, or arithmetic >> for
 * 'sra'), as one 2:1 mux per bit of the amount: a barrel shifter, written out. The stage wires go to `wires`; the
 * last stage is returned. Not `x << amt`: Verilator 5.048 to 5.050 miscompiles chained variable shifts. Its DFG
 * peephole rewrites (x << a) << b as x << (a + b) with the sum computed at the amounts' width, where it wraps
 * (patterns REPLACE_SHIFTL_SHIFTL and REPLACE_SHIFTR_SHIFTR; verilator/verilator#7955, fixed after 5.050 by
 * #7977). Chains form after Verilator's own simplifications, e.g. a low-bit select pushed through a padded shift,
 * so they cannot be ruled out here, and users build with their own Verilator. Stages shift by constants, which
 * Verilator rewrites with 32-bit amounts that never wrap. Test: test/fuzz/regressions/verilator-shift-select.ts.
 */
function shiftStages(c: ExprCtx, nm: string, kind: 'shl' | 'shr' | 'sra', x: string, w: number, amt: NodeId, st: number): string {
  const a = c.ref(amt, st);
  const aw = c.nodes[amt].width;
  const op = kind === 'shl' ? '<<' : kind === 'shr' ? '>>' : '>>>';
  c.wires.push(`  // ${nm} = ${x} ${op} ${a}, one stage per bit of ${a}`);
  // The stages select bits of their input: it must be a name (Verilog has no select of a concatenation).
  let prev = x;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(x)) {
    prev = c.names.fresh(`${nm}_sh0`);
    c.wires.push(`  wire ${decl(w)}${prev} = ${x};`);
  }
  for (let i = 0; i < aw; i++) {
    const s = 2 ** i;
    let shifted: string;
    if (s >= w) shifted = kind === 'sra' ? (w === 1 ? prev : `{${w}{${prev}[${w - 1}]}}`) : lit(w, 0n);
    else if (kind === 'shl') shifted = `{${prev}[${w - 1 - s}:0], ${s}'d0}`;
    else if (kind === 'shr') shifted = `{${s}'d0, ${prev}[${w - 1}:${s}]}`;
    else shifted = `{${s === 1 ? `${prev}[${w - 1}]` : `{${s}{${prev}[${w - 1}]}}`}, ${prev}[${w - 1}:${s}]}`;
    const e = `${aw === 1 ? a : `${a}[${i}]`} ? ${shifted} : ${prev}`;
    if (i === aw - 1) return e;
    const stage = c.names.fresh(`${nm}_sh${i + 1}`);
    c.wires.push(`  wire ${decl(w)}${stage} = ${e};`);
    prev = stage;
  }
  throw new Error(`internal: a variable shift amount of ${aw} bits`);
}

export function exprOf(c: ExprCtx, n: Node, st: number, nm: string): string {
  const W = n.width;
  switch (n.op) {
    case 'bin': {
      switch (n.kind) {
        case 'add':
          return `${c.ref(n.a, st, W)} + ${c.ref(n.b, st, W)}`;
        case 'sub':
          return `${c.ref(n.a, st, W)} - ${c.ref(n.b, st, W)}`;
        case 'mul':
          return `${c.ref(n.a, st, W)} * ${c.ref(n.b, st, W)}`;
        case 'and':
        case 'or':
        case 'xor': {
          const X = Math.max(W, c.nodes[n.a].width, c.nodes[n.b].width);
          const op = n.kind === 'and' ? '&' : n.kind === 'or' ? '|' : '^';
          if (X === W) return `${c.ref(n.a, st, W)} ${op} ${c.ref(n.b, st, W)}`;
          c.wires.push(`  wire [${X - 1}:0] ${nm}_full = ${c.ref(n.a, st, X)} ${op} ${c.ref(n.b, st, X)};`);
          c.truncated.add(`${nm}_full[${X - 1}:${W}]`);
          return `${nm}_full[${W - 1}:0]`;
        }
        case 'shl': {
          const k = c.nodes[n.b].op === 'const' ? Number((c.nodes[n.b] as { value: bigint }).value) : -1;
          if (k === 0) return c.ref(n.a, st, W);
          if (k >= W) {
            // Shifted past the node's width: the exact value is 0 (its range says so).
            if (c.nodes[n.a].op !== 'const') c.truncated.add(c.ref(n.a, st));
            return lit(W, 0n);
          }
          if (k > 0) return `{${c.ref(n.a, st, W - k)}, ${k}'d0}`;
          return shiftStages(c, nm, 'shl', c.ref(n.a, st, W), W, n.b, st);
        }
        case 'shr': {
          const k = c.nodes[n.b].op === 'const' ? Number((c.nodes[n.b] as { value: bigint }).value) : -1;
          const A = c.nodes[n.a];
          if (k >= 0) {
            if (k === 0) return c.ref(n.a, st, W);
            c.wires.push(`  wire [${W + k - 1}:0] ${nm}_full = ${c.ref(n.a, st, W + k)};`);
            c.truncated.add(`${nm}_full[${k - 1}:0]`);
            return `${nm}_full[${W + k - 1}:${k}]`;
          }
          const X = Math.max(W, A.width);
          const e = shiftStages(c, nm, A.signed ? 'sra' : 'shr', c.ref(n.a, st, X), X, n.b, st);
          if (X === W) return e;
          c.wires.push(`  wire [${X - 1}:0] ${nm}_full = ${e};`);
          c.truncated.add(`${nm}_full[${X - 1}:${W}]`);
          return `${nm}_full[${W - 1}:0]`;
        }
        case 'div':
        case 'mod': {
          const X = c.maxW(n.a, n.b, n.id);
          c.wires.push(`  wire signed [${X - 1}:0] ${nm}_a = ${c.ref(n.a, st, X)};`);
          c.wires.push(`  wire signed [${X - 1}:0] ${nm}_b = ${c.ref(n.b, st, X)};`);
          // x / 0 = 0 and x % 0 = x (docs/semantics.md); Verilog would give x.
          const q = n.kind === 'div' ? `(${nm}_b == ${X}'sd0) ? ${X}'sd0 : ${nm}_a / ${nm}_b` : `(${nm}_b == ${X}'sd0) ? ${nm}_a : ${nm}_a % ${nm}_b`;
          c.wires.push(`  wire signed [${X - 1}:0] ${nm}_full = ${q};`);
          if (X > W) c.truncated.add(`${nm}_full[${X - 1}:${W}]`);
          return X === W ? `${nm}_full` : `${nm}_full[${W - 1}:0]`;
        }
        case 'min':
        case 'max': {
          const X = c.maxW(n.a, n.b);
          const U = Math.max(c.nodes[n.a].width, c.nodes[n.b].width);
          const both = !c.nodes[n.a].signed && !c.nodes[n.b].signed;
          const cmpOp = n.kind === 'min' ? '<' : '>';
          const cond = both ? `${c.ref(n.a, st, U)} ${cmpOp} ${c.ref(n.b, st, U)}` : `$signed(${c.ref(n.a, st, X)}) ${cmpOp} $signed(${c.ref(n.b, st, X)})`;
          return `(${cond}) ? ${c.ref(n.a, st, W)} : ${c.ref(n.b, st, W)}`;
        }
        default:
          return assertNever(n as never);
      }
    }
    case 'cmp': {
      const op = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' }[n.kind];
      if (!c.nodes[n.a].signed && !c.nodes[n.b].signed) {
        const U = Math.max(c.nodes[n.a].width, c.nodes[n.b].width); // both unsigned: a plain comparison
        return `${c.ref(n.a, st, U)} ${op} ${c.ref(n.b, st, U)}`;
      }
      const X = c.maxW(n.a, n.b);
      if (n.kind === 'eq' || n.kind === 'ne') return `${c.ref(n.a, st, X)} ${op} ${c.ref(n.b, st, X)}`;
      return `$signed(${c.ref(n.a, st, X)}) ${op} $signed(${c.ref(n.b, st, X)})`;
    }
    case 'un':
      if (n.kind === 'neg') return `-${c.ref(n.a, st, W)}`;
      if (n.kind === 'not') return `~${c.ref(n.a, st, W)}`;
      return `~${c.ref(n.a, st)}`;
    case 'and2':
      return `${c.ref(n.a, st)} & ${c.ref(n.b, st)}`;
    case 'or2':
      return `${c.ref(n.a, st)} | ${c.ref(n.b, st)}`;
    case 'mux': {
      // A choice between two sums is written as and-or: synthesis (Yosys' share) otherwise turns
      // `s ? a + b : a + d` into `a + (s ? b : d)`, which puts a late select in front of the carry chain.
      const arith = (id: NodeId) => {
        const x = c.nodes[id];
        return x.op === 'bin' && (x.kind === 'add' || x.kind === 'sub');
      };
      if (W > 1 && arith(n.t) && arith(n.f)) {
        const sel = c.ref(n.c, st);
        return `({${W}{${sel}}} & ${c.ref(n.t, st, W)}) | ({${W}{~${sel}}} & ${c.ref(n.f, st, W)})`;
      }
      return `${c.ref(n.c, st)} ? ${c.ref(n.t, st, W)} : ${c.ref(n.f, st, W)}`;
    }
    case 'slice': {
      const a = c.ref(n.a, st);
      const aw = c.nodes[n.a].width;
      if (aw === 1) return a; // a 1-bit wire is declared without a range: no bit-select of it
      if (n.msb < aw - 1) c.truncated.add(`${a}[${aw - 1}:${n.msb + 1}]`);
      if (n.lsb > 0) c.truncated.add(`${a}[${n.lsb - 1}:0]`);
      return n.msb === n.lsb ? `${a}[${n.msb}]` : `${a}[${n.msb}:${n.lsb}]`;
    }
    case 'wrap':
      return c.ref(n.a, st, W);
    case 'sat': {
      const X = Math.max(c.maxW(n.a), W + 1);
      const a = `$signed(${c.ref(n.a, st, X)})`;
      // Only the bounds the operand's range can cross are checked (a clamp of x + 1 to u32 is one carry bit).
      const A = c.nodes[n.a];
      let e = c.ref(n.a, st, W);
      if (A.hi > n.hi) e = `(${a} > $signed(${lit(X, n.hi)})) ? ${lit(W, n.hi)} : ${e}`;
      if (A.lo < n.lo) e = `(${a} < $signed(${lit(X, n.lo)})) ? ${lit(W, n.lo)} : ${e}`;
      return e;
    }
    case 'tread':
      return c.tread(n, st);
    case 'const':
    case 'input':
    case 'param':
    case 'reg':
    case 'now':
      throw new Error(`internal: ${n.op} has no expression`);
    default:
      return assertNever(n);
  }
}
