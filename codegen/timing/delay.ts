// The delay model: an estimate, in ns, of the logic delay of one IR node on the target family, read from a table
// characterized with Yosys (codegen/timing/data/<family>.json, scripts/characterize-delay.ts, docs/delay-model.md).
// A path's estimate is clockToQ + sum over its nodes of (op delay + routing allowance). It is an estimate: no
// placement, no fan-out term; the independent Yosys post-synthesis figure (`tickforge bench`) checks it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Node, type UnitIR, assertNever } from '../ir.ts';

export type DelayOp =
  | 'add'
  | 'cmp'
  | 'eq'
  | 'logic'
  | 'bool'
  | 'mux'
  | 'lut'
  | 'minmax'
  | 'sat'
  | 'shiftVar'
  | 'mulLut'
  | 'dsp'
  | 'dspRegistered'
  | 'lutramRead'
  | 'bramClockToOut'
  | 'uramClockToOut';

export interface DelayTable {
  readonly family: string;
  readonly clockToQ: number;
  readonly setup: number;
  /** Average routing allowance added per node on a path. */
  readonly routing: number;
  readonly ops: Readonly<Record<DelayOp, ReadonlyArray<readonly [number, number]>>>;
}

export const FAMILIES = ['xcup'] as const;
export type Family = (typeof FAMILIES)[number];

const HERE = path.dirname(fileURLToPath(import.meta.url));
const loaded = new Map<string, DelayModel>();

/** The delay model of a family (cached). */
export function delayModel(family: Family = 'xcup'): DelayModel {
  let m = loaded.get(family);
  if (!m) {
    const table = JSON.parse(fs.readFileSync(path.join(HERE, 'data', `${family}.json`), 'utf8')) as DelayTable;
    loaded.set(family, (m = new DelayModel(table)));
  }
  return m;
}

/** What one node costs: combinational delay, or a multi-cycle operator (a DSP multiply with its registers). */
export interface NodeCost {
  ns: number;
  /** Set for operators that are pipelined internally: the result is ready this many cycles after the operands. */
  cycles?: number;
  /** Set for operators that cannot be built at this clock at all (e.g. a wide divider). */
  tooSlow?: true;
  /**
   * Set for single-LUT-level bit operations (boolean and/or/not, 2:1 mux, bitwise logic, a narrow equality): the
   * number of non-constant inputs per result bit. The scheduler packs chains of them into 6-input LUTs, as the
   * technology mapper does, instead of charging a LUT level per IR node.
   */
  lutInputs?: number;
}

/** Inputs of one LUT (UltraScale+ LUT6). */
export const LUT_INPUTS = 6;

/** Widest multiplier operand that stays in LUTs (above it: DSP48E2). */
const MUL_LUT_MAX = 8;
/** DSP48E2 multiplier: 27 x 18 signed, i.e. 26 x 17 unsigned bits per DSP. */
const DSP_A = 26;
const DSP_B = 17;

export class DelayModel {
  constructor(readonly table: DelayTable) {}

  /** Linear interpolation over the op's points (linear extrapolation past the ends). */
  op(op: DelayOp, width: number): number {
    const pts = this.table.ops[op];
    if (!pts || pts.length === 0) throw new Error(`internal: delay table ${this.table.family} has no ${op}`);
    if (pts.length === 1) return pts[0][1];
    let i = 0;
    while (i < pts.length - 2 && width > pts[i + 1][0]) i++;
    const [w0, d0] = pts[i];
    const [w1, d1] = pts[i + 1];
    const d = w1 === w0 ? d0 : d0 + ((d1 - d0) * (width - w0)) / (w1 - w0);
    return Math.max(0, width < pts[0][0] ? pts[0][1] : d);
  }

  get clockToQ(): number {
    return this.table.clockToQ;
  }
  get routing(): number {
    return this.table.routing;
  }
  get setup(): number {
    return this.table.setup;
  }

  /** The logic delay of node `n` of unit `u` (0 for wiring: constants, slices, constant shifts, widening). */
  node(u: UnitIR, n: Node): NodeCost {
    const nodes = u.nodes;
    const w = n.width;
    const isConst = (id: number) => nodes[id].op === 'const';
    const lut = (...ids: number[]): NodeCost => ({ ns: this.op('bool', 1), lutInputs: ids.filter((id) => !isConst(id)).length });
    const disjoint = () => n.op === 'bin' && (mayOne(u, n.a) & mayOne(u, n.b)) === 0n;
    const pow2 = (id: number) => {
      const c = nodes[id];
      return c.op === 'const' && c.value > 0n && (c.value & (c.value - 1n)) === 0n;
    };
    switch (n.op) {
      case 'const':
      case 'input':
      case 'param':
      case 'reg':
      case 'now':
      case 'slice':
      case 'wrap':
        return { ns: 0 };
      case 'bin':
        switch (n.kind) {
          case 'add':
            // x + y with no bit set in both is a concatenation: wiring, no carry.
            return disjoint() ? { ns: 0 } : { ns: this.op('add', w) };
          case 'sub':
            return { ns: this.op('add', w) };
          case 'and':
          case 'or':
          case 'xor':
            if (isConst(n.a) || isConst(n.b) || (n.kind !== 'and' && disjoint())) return { ns: 0 };
            return lut(n.a, n.b);
          case 'shl':
          case 'shr':
          {
            if (isConst(n.b)) return { ns: 0 };
            // A barrel shifter has one 2:1 mux level per amount bit that may be 1: with k such bits, a result bit
            // reads 2^k data bits and k selects (one LUT6 for k <= 2); shifting a constant, only the k selects.
            let k = 0;
            for (let m = mayOne(u, n.b); m; m >>= 1n) k += Number(m & 1n);
            if (isConst(n.a) && k <= LUT_INPUTS) return { ns: this.op('bool', 1), lutInputs: k };
            if (2 ** k + k <= LUT_INPUTS) return { ns: this.op('bool', 1), lutInputs: 2 ** k + k };
            return { ns: this.op('shiftVar', Math.max(w, nodes[n.a].width)) };
          }
          case 'min':
          case 'max':
            return { ns: this.op('minmax', Math.max(nodes[n.a].width, nodes[n.b].width)) };
          case 'mul': {
            if (pow2(n.a) || pow2(n.b)) return { ns: 0 };
            const aw = nodes[n.a].width;
            const bw = nodes[n.b].width;
            if (Math.max(aw, bw) <= MUL_LUT_MAX || Math.min(aw, bw) <= 2) return { ns: this.op('mulLut', Math.max(aw, bw)) };
            // Partial products in DSP48E2s (operands from the stage registers, then the M and P registers), summed
            // as a tree in the P cascade: one more cycle per level of that tree.
            const cols = Math.ceil(Math.min(aw, bw) / DSP_B);
            const rows = Math.ceil(Math.max(aw, bw) / DSP_A);
            return { ns: this.op('dspRegistered', 1), cycles: 2 + Math.ceil(Math.log2(rows * cols)) };
          }
          case 'div':
          case 'mod': {
            if (pow2(n.b)) return { ns: nodes[n.a].signed ? this.op('add', w) : 0 };
            // A restoring divider: one subtract-and-select row per quotient bit.
            const rows = nodes[n.a].width;
            const ns = rows * (this.op('add', nodes[n.b].width + 1) + this.op('mux', nodes[n.b].width) + 2 * this.routing);
            return { ns, tooSlow: true };
          }
          default:
            return assertNever(n as never);
        }
      case 'cmp': {
        const cw = Math.max(nodes[n.a].width, nodes[n.b].width);
        const eq = n.kind === 'eq' || n.kind === 'ne';
        if (eq && (isConst(n.a) || isConst(n.b) ? cw : 2 * cw) <= LUT_INPUTS) return { ns: this.op('bool', 1), lutInputs: isConst(n.a) || isConst(n.b) ? cw : 2 * cw };
        return { ns: this.op(eq ? 'eq' : 'cmp', cw) };
      }
      case 'un':
        if (n.kind === 'neg') return { ns: this.op('add', w) };
        return lut(n.a); // ~x and !x fold into the LUT that reads them
      case 'and2':
      case 'or2':
        return lut(n.a, n.b);
      case 'mux':
        return lut(n.c, n.t, n.f);
      case 'sat': {
        // Clamping an unsigned value to [0, 2^w - 1] from at most a few bits above: the select is the OR of
        // those bits, and the clamp a mux.
        // Clamping at 0 a value that may be negative: the select is its sign bit (the Verilog's `x < 0`, which
        // Yosys reduces to that bit). So a clamp to [0, 2^w - 1] reads the bit, its sign and the bits above w.
        const a = nodes[n.a];
        // (The node's range is the clamp's bounds met with the operand's: a bound is checked only where the operand
        // crosses it, as rtl/expr.ts emits it.)
        const lower = a.lo < n.lo ? (n.lo === 0n ? 1 : Infinity) : 0;
        const upper = a.hi > n.hi ? (n.hi === (1n << BigInt(w)) - 1n && (a.lo >= 0n || lower === 1) ? bitsOf(a.hi) - w : Infinity) : 0;
        if (1 + lower + upper <= LUT_INPUTS) return { ns: this.op('bool', 1), lutInputs: 1 + lower + upper };
        return { ns: this.op('sat', Math.max(w, a.width)) };
      }
      case 'tread':
        // The read itself is registered (docs/semantics.md §11): what remains in the state stage is the tag
        // compare and the forwarding mux; memory clock-to-out is added by the scheduler per memory kind.
        {
          // The word arrives registered (tag compares done a stage early for LUT-RAM); what is left is selecting
          // between the memory's word and the forwarded one (a LUT5), and for get() the miss-is-zero select.
          // value: a LUT4 {write enable, slot equal, forwarded bit, memory bit}; has/free: a LUT6 with both valid
          // bits and both tag matches (rtl/memory.ts)
          // tag (the key bits above the slot index, whoever holds the slot): selected like value.
          return { ns: n.what === 'value' || n.what === 'tag' ? this.op('lut', 4) : this.op('lut', 6) };
        }
      default:
        return assertNever(n);
    }
  }
}

const bitsOf = (x: bigint) => (x <= 0n ? 0 : x.toString(2).length);
const ones = (w: number) => (1n << BigInt(w)) - 1n;

const maskCache = new WeakMap<UnitIR, Map<number, bigint>>();
/**
 * Bits of node `id` that may be 1 (known-zero analysis): what tells a concatenation written as `x | y << k` or
 * `x + y * 2^k` (wiring) from an addition (a carry chain). Signed values with negative range: all ones.
 */
export function mayOne(u: UnitIR, id: number): bigint {
  let cache = maskCache.get(u);
  if (!cache) maskCache.set(u, (cache = new Map()));
  const hit = cache.get(id);
  if (hit !== undefined) return hit;
  const n = u.nodes[id];
  const all = n.lo < 0n ? ones(n.width) : ones(bitsOf(n.hi));
  let m: bigint;
  switch (n.op) {
    case 'const':
      m = n.value >= 0n ? n.value : ones(n.width);
      break;
    case 'slice':
      m = (mayOne(u, n.a) >> BigInt(n.lsb)) & ones(n.msb - n.lsb + 1);
      break;
    case 'wrap':
      m = mayOne(u, n.a) & ones(n.width);
      break;
    case 'mux':
      m = mayOne(u, n.t) | mayOne(u, n.f);
      break;
    case 'bin': {
      const a = mayOne(u, n.a);
      const b = mayOne(u, n.b);
      const c = (id: number) => (u.nodes[id].op === 'const' ? (u.nodes[id] as { value: bigint }).value : -1n);
      if (n.kind === 'and') m = a & b;
      else if (n.kind === 'or' || n.kind === 'xor') m = a | b;
      else if (n.kind === 'add' && (a & b) === 0n) m = a | b;
      else if (n.kind === 'shl' && c(n.b) >= 0n) m = a << c(n.b);
      else if (n.kind === 'shr' && c(n.b) >= 0n && u.nodes[n.a].lo >= 0n) m = a >> c(n.b);
      else if (n.kind === 'mul' && c(n.b) > 0n && (c(n.b) & (c(n.b) - 1n)) === 0n) m = a << BigInt(bitsOf(c(n.b)) - 1);
      else if (n.kind === 'mul' && c(n.a) > 0n && (c(n.a) & (c(n.a) - 1n)) === 0n) m = b << BigInt(bitsOf(c(n.a)) - 1);
      else m = all;
      break;
    }
    default:
      m = all;
  }
  if (n.lo >= 0n) m &= ones(Math.max(1, bitsOf(n.hi)));
  else m &= ones(n.width);
  cache.set(id, m);
  return m;
}
