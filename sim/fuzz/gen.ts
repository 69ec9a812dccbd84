// A seeded generator of random but valid tickforge designs, for differential fuzzing (docs/fuzz.md).
//
// A program has a random input record (4-8 fields, u(N)/i(N) with N in 1..64, now and then a bool or a char), a
// random output record (several fields, so one Verilator build checks many expressions), optional params, state
// registers, one table and one helper function, and a `step` whose every output field is a random expression tree
// over the inputs, params, state, `now`, locals and constants. The generator tracks each expression's value range
// the way the compiler does (range.ts), so it uses a construct only where the compiler accepts it: number
// arithmetic only while the range stays within 2^53 (else the operands go to bigint), 32-bit bitwise operands,
// divisors that exclude 0 for `%` and bigint `/`, values of at most 64 bits wherever the HLS back end needs them,
// and an explicit wrap()/sat() wherever a value is stored. A CompileError on a generated program is a bug here.
import fs from 'node:fs';
import path from 'node:path';
import { Rng } from '../../dsl/rng.ts';
import {
  type Expr,
  type Field,
  type FieldType,
  type Helper,
  type IntType,
  type Kind,
  type Program,
  type Stmt,
  countNodes,
  isBig,
  kindOfType,
  programRoots,
  renderProgram,
  typeRange,
} from './ast.ts';
import { chooseOutputFlow, lengthFromInput } from './flow.ts';
import { type BinKind, type Range, INT32, NUM_MAX, P2, UINT32, binRange, hlsCmpOk, narrow, satRange, sWidth, widthOf, within, wrapRange } from './range.ts';

export interface GenOptions {
  /** Output fields per program (default 8..14). */
  minOutputs?: number;
  maxOutputs?: number;
  /** Deepest expression tree (default 5). */
  maxDepth?: number;
  /**
   * Constructs to leave out, so a run looks past a known, not yet fixed bug. Known names: see AVOIDABLE.
   */
  avoid?: string[];
}

/** What `avoid` can leave out (docs/fuzz.md): name -> what. Empty while no fuzzer-found bug is open. */
export const AVOIDABLE: Record<string, string> = {};

const LOOP_VARS = ['j', 'q'];

/** A generated value: its expression, representation and range (the compiler's, or wider). */
interface V {
  x: Expr;
  kind: Kind;
  lo: bigint;
  hi: bigint;
  /** A literal (or a module const): TypeScript gives it a literal type, so two of them never meet in one operation. */
  lit?: boolean;
  /** Wider than 64 bits: allowed only below a wrap(), which the compiler rewrites into modular arithmetic. */
  wide?: boolean;
  /** The range is exactly the compiler's (not just a superset): required of every operand of a node with a wide
   *  operand, since wrap() rewrites down only through nodes whose (compiler) range does not fit its type. */
  exact?: boolean;
}

interface Sym {
  text: string;
  kind: Kind;
  lo: bigint;
  hi: bigint;
  konst?: boolean;
  /** A `let` local of this type: assignments narrow to it. */
  letType?: IntType;
  /** An unrolled loop's index: a constant in each copy, so a valid bit position. */
  loop?: boolean;
  exact?: boolean;
}

const NUM_RANGE: Range = [-NUM_MAX, NUM_MAX];
const BOOL: [bigint, bigint] = [0n, 1n];
const CHAR: [bigint, bigint] = [0n, 127n];
const CMP_OPS = ['===', '!==', '<', '<=', '>', '>='];
const NUM_WIDTHS = [1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 47, 48, 52, 53];
const BIG_WIDTHS = [54, 55, 60, 63, 63, 64, 64, 64];

class Gen {
  private readonly r: Rng;
  private scopes: Sym[][] = [[]];
  private counter = 0;
  private tableWritten = false;
  private inLoop = 0;
  private inHelper = false;
  readonly p: Program;

  constructor(
    readonly seed: number,
    private readonly o: Required<GenOptions>,
  ) {
    this.r = new Rng(seed);
    this.p = { seed, name: `fz${seed}`, consts: [], inputs: [], outputs: [], params: [], regs: [], table: null, helper: null, body: [] };
  }

  // ---- randomness ------------------------------------------------------------------------------------------

  private below(n: number): number {
    return this.r.below(n);
  }
  private chance(p: number): boolean {
    return this.r.chance(p);
  }
  private pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }
  private int(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }
  private weighted<T extends string>(w: Partial<Record<T, number>>): T {
    const es = Object.entries(w).filter(([, n]) => (n as number) > 0) as Array<[T, number]>;
    let t = this.r.u32() / 2 ** 32 * es.reduce((s, [, n]) => s + n, 0);
    for (const [k, n] of es) {
      t -= n;
      if (t < 0) return k;
    }
    return es[es.length - 1][0];
  }
  private shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
  private fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  // ---- types and literals ----------------------------------------------------------------------------------

  private numWidth(): number {
    return this.chance(0.6) ? this.pick(NUM_WIDTHS) : this.int(1, 53);
  }
  private intType(kind?: 'num' | 'big'): IntType {
    const big = kind === 'big' || (kind === undefined && this.chance(0.3));
    const t = { signed: this.chance(0.5), width: big ? this.pick(BIG_WIDTHS) : this.numWidth() };
    return t;
  }
  /** An edge-heavy value of a type. */
  private valueOf(t: IntType): bigint {
    const [lo, hi] = typeRange(t);
    const k = this.below(9);
    const v = [0n, 1n, -1n, lo, hi, P2(t.width - 1), P2(t.width - 1) - 1n, BigInt(this.below(100)), 0n][k];
    if (k === 8) return t.signed ? BigInt.asIntN(t.width, this.r.bits(t.width)) : this.r.bits(t.width);
    return t.signed ? BigInt.asIntN(t.width, v) : BigInt.asUintN(t.width, v);
  }
  private litNum(): V {
    const k = this.below(14);
    let v: bigint;
    if (k < 8) v = [0n, 1n, -1n, 2n, 3n, 7n, -128n, 255n][k];
    else if (k === 8) v = P2(this.int(1, 52)) - BigInt(this.below(2));
    else if (k === 9) v = -P2(this.int(1, 52));
    else if (k === 10) v = this.pick([P2(31) - 1n, -P2(31), P2(32) - 1n, P2(32), P2(53) - 1n, -(P2(53) - 1n), P2(48) - 1n]);
    else if (k === 11) v = BigInt(this.below(1000)) - 500n;
    else v = BigInt.asIntN(this.int(2, 53), this.r.bits(53));
    if (v >= NUM_MAX || v <= -NUM_MAX) v = 0n;
    return { x: { e: 'lit', kind: 'num', v }, kind: 'num', lo: v, hi: v, lit: true, exact: true };
  }
  private litBig(): V {
    const k = this.below(10);
    let v: bigint;
    if (k < 3) v = [0n, 1n, -1n][k];
    else if (k === 3) v = P2(63) - 1n;
    else if (k === 4) v = -P2(63);
    else if (k === 5) v = P2(64) - 1n;
    else if (k === 6) v = P2(this.int(1, 63)) - BigInt(this.below(2));
    else if (k === 7) v = P2(53) + BigInt(this.int(-1, 1));
    else if (k === 8) v = BigInt(this.below(1000)) - 500n;
    else v = this.chance(0.5) ? this.r.bits(64) : BigInt.asIntN(64, this.r.bits(64));
    return { x: { e: 'lit', kind: 'big', v }, kind: 'big', lo: v, hi: v, lit: true, exact: true };
  }
  private litChar(): V {
    const c = String.fromCharCode(this.pick([65, 66, 90, 97, 48, 32, 126, 64]));
    return { x: { e: 'lit', kind: 'char', v: c }, kind: 'char', lo: 0n, hi: 127n, lit: true };
  }

  // ---- scope -----------------------------------------------------------------------------------------------

  private vars(kind: Kind, pred?: (s: Sym) => boolean): Sym[] {
    return this.scopes.flat().filter((s) => s.kind === kind && (!pred || pred(s)));
  }
  private add(s: Sym): void {
    this.scopes[this.scopes.length - 1].push(s);
  }
  private scoped<T>(f: () => T): T {
    this.scopes.push([]);
    try {
      return f();
    } finally {
      this.scopes.pop();
    }
  }
  private ref(s: Sym): V {
    return { x: { e: 'var', kind: s.kind, text: s.text, konst: s.konst }, kind: s.kind, lo: s.lo, hi: s.hi, lit: s.konst, exact: !!s.exact };
  }

  // ---- constructors ----------------------------------------------------------------------------------------

  private call(fn: string, args: V[], kind: Kind, lo: bigint, hi: bigint, ty?: IntType): V {
    const a = args[0];
    let exact: boolean;
    if (fn === 'wrap' || fn === 'bits' || fn === 'bitsBig' || fn === 'bit') exact = !!a.exact && a.lo !== a.hi; // constants fold
    else if (fn === 'sat' || fn === 'BigInt' || fn === 'Number') exact = !!a.exact;
    else if (['div', 'mod', 'min', 'max', 'Math.min', 'Math.max'].includes(fn)) exact = args.every((x) => x.exact);
    else exact = fn.endsWith('.get'); // a table read has its type's range; a helper's result is its body's
    return { x: { e: 'call', kind, fn, args: args.map((x) => x.x), ty }, kind, lo, hi, exact };
  }
  private bin(op: string, k: BinKind, a: V, b: V): V {
    const [lo, hi] = binRange(k, [a.lo, a.hi], [b.lo, b.hi]);
    return { x: { e: 'bin', kind: a.kind, op, a: a.x, b: b.x }, kind: a.kind, lo, hi, wide: !narrow(lo, hi), exact: !!a.exact && !!b.exact };
  }
  /** A bigint whose range is exactly the compiler's: an input field, a param, a literal. */
  private exactBig(): V {
    const vs = this.scopes.flat().filter((s) => s.exact && (s.kind === 'num' || s.kind === 'big') && !s.konst);
    if (vs.length && this.chance(0.8)) return this.toBig(this.ref(this.pick(vs)));
    const l = this.litBig();
    return l.lo === 0n ? this.lit64(3n) : l;
  }
  private fn2(fn: string, k: BinKind, a: V, b: V): V {
    const [lo, hi] = binRange(k, [a.lo, a.hi], [b.lo, b.hi]);
    return this.call(fn, [a, b], a.kind, lo, hi);
  }
  private toBig(v: V): V {
    if (v.kind === 'big') return v;
    return this.call('BigInt', [v], 'big', v.lo, v.hi);
  }
  /** Whether this run leaves out construct `what` (AVOIDABLE); no branch asks while no fuzzer-found bug is open. */
  private avoids(what: keyof typeof AVOIDABLE): boolean {
    return this.o.avoid.includes(what);
  }
  private wrap(v: V, t: IntType): V {
    const [lo, hi] = wrapRange([v.lo, v.hi], typeRange(t));
    return this.call('wrap', [v], isBig(t) ? 'big' : 'num', lo, hi, t);
  }
  private satOk(v: V, t: IntType): boolean {
    return !v.wide && sWidth(v.lo, v.hi) <= 64 && t.width <= 63;
  }
  private sat(v: V, t: IntType): V {
    const [lo, hi] = satRange([v.lo, v.hi], typeRange(t));
    return this.call('sat', [v], isBig(t) ? 'big' : 'num', lo, hi, t);
  }

  /** A type whose every value lies in [lo, hi] (which holds 0 and 1, or -1 and 0). */
  private typeWithin(lo: bigint, hi: bigint, maxWidth = 64): IntType {
    let uw = 0;
    while (uw < maxWidth && P2(uw + 1) - 1n <= hi && lo <= 0n) uw++;
    let sw = 0;
    while (sw < maxWidth && -P2(sw) >= lo && P2(sw) - 1n <= hi) sw++;
    // uw: widest unsigned type inside; sw: widest signed type inside (i(sw)).
    const signed = sw > 0 && (uw === 0 || this.chance(0.5));
    const w = signed ? sw : uw;
    if (w === 0) throw new Error(`internal: no type within ${lo}..${hi}`);
    const width = this.chance(0.6) ? w : this.int(1, w);
    return { signed, width };
  }

  /** v as a number whose range lies in [lo, hi] (wrap, sat, bits or a mask, unless it already fits). */
  private narrowNum(v: V, lo: bigint, hi: bigint): V {
    if (v.kind === 'num' && !v.wide && within(v.lo, v.hi, [lo, hi])) return v;
    const t = this.typeWithin(lo, hi, 53);
    const how = this.below(4);
    if (how === 0 && this.satOk(v, t)) return this.sat(v, t);
    if (how === 1 && !t.signed && !v.wide) {
      const l = this.below(Math.max(1, Math.min(64 - t.width, widthOf(v.lo, v.hi) + 2)));
      return this.call('bits', [v, this.lit(l + t.width - 1), this.lit(l)], 'num', 0n, P2(t.width) - 1n);
    }
    if (how === 2 && !t.signed && t.width <= 31 && v.kind === 'num' && within(v.lo, v.hi, INT32)) {
      const m = this.lit(Number(P2(t.width) - 1n));
      const r = binRange('and', [v.lo, v.hi], [m.lo, m.hi]);
      return { x: { e: 'bin', kind: 'num', op: '&', a: v.x, b: m.x }, kind: 'num', lo: r[0], hi: r[1] };
    }
    return this.wrap(v, t);
  }
  /** v as a bigint whose range lies in [lo, hi]. */
  private narrowBig(v: V, lo: bigint, hi: bigint): V {
    if (v.kind === 'big' && !v.wide && within(v.lo, v.hi, [lo, hi])) return v;
    if (v.kind === 'num' && within(v.lo, v.hi, [lo, hi])) return this.toBig(v);
    const t = this.typeWithin(lo, hi, 64);
    const how = this.below(3);
    let r: V;
    if (how === 0 && this.satOk(v, t)) r = this.sat(v, t);
    else if (how === 1 && !t.signed && !v.wide) {
      const l = this.below(Math.max(1, Math.min(65 - t.width, widthOf(v.lo, v.hi) + 2)));
      r = this.call('bitsBig', [v, this.lit(l + t.width - 1), this.lit(l)], 'big', 0n, P2(t.width) - 1n);
    } else r = this.wrap(v, t);
    return this.toBig(r);
  }
  /** A wide (or any) bigint brought back to at most 64 bits with wrap(): the modular rewrite. */
  private wrapBig(v: V): V {
    const t = this.chance(0.7) ? this.intType('big') : this.intType('num');
    return this.toBig(this.wrap(v, t));
  }
  private lit(n: number): V {
    const v = BigInt(n);
    return { x: { e: 'lit', kind: 'num', v }, kind: 'num', lo: v, hi: v, lit: true, exact: true };
  }

  /** v stored into a place of type t: wrap or sat (or as is, when it provably fits). */
  toType(v: V, t: IntType, allowDirect = true): V {
    const [lo, hi] = typeRange(t);
    const k = isBig(t) ? 'big' : 'num';
    if (allowDirect && !v.wide && within(v.lo, v.hi, [lo, hi]) && this.chance(0.4)) {
      if (v.kind === k) return v;
      if (k === 'big') return this.toBig(v);
      return this.call('Number', [v], 'num', v.lo, v.hi);
    }
    if (this.chance(0.35) && this.satOk(v, t)) return this.sat(v, t);
    return this.wrap(v, t);
  }

  // ---- expressions -----------------------------------------------------------------------------------------

  private leafNum(): V {
    const vs = this.vars('num');
    if (vs.length && this.chance(0.8)) return this.ref(this.pick(vs));
    return this.litNum();
  }
  private leafBig(): V {
    const k = this.below(10);
    const vs = this.vars('big');
    if (vs.length && k < 6) return this.ref(this.pick(vs));
    if (k < 8) return this.toBig(this.leafNum());
    return this.litBig();
  }
  private leafBool(): V {
    const vs = this.vars('bool');
    const k = this.below(10);
    if (vs.length && k < 6) return this.ref(this.pick(vs));
    if (k < 9) return this.bitOf(this.anyInt(0));
    const v = this.chance(0.5);
    return { x: { e: 'lit', kind: 'bool', v }, kind: 'bool', lo: 0n, hi: 1n, lit: true };
  }
  private leafChar(): V {
    const vs = this.vars('char');
    if (vs.length && this.chance(0.7)) return this.ref(this.pick(vs));
    return this.litChar();
  }
  /** A variable (not a literal) of a kind, when there is one: keeps two literals out of one operation. */
  private nonLit(kind: Kind, v: V): V {
    if (!v.lit) return v;
    const vs = this.vars(kind, (s) => !s.konst);
    if (vs.length) return this.ref(this.pick(vs));
    if (kind === 'big') {
      const ns = this.vars('num', (s) => !s.konst);
      if (ns.length) return this.toBig(this.ref(this.pick(ns)));
    }
    if (kind === 'bool') {
      const ints = [...this.vars('num', (s) => !s.konst), ...this.vars('big')];
      if (ints.length) return this.bitOf(this.ref(this.pick(ints)));
    }
    return v;
  }
  private two(kind: Kind, f: () => V): [V, V] {
    const a = f();
    let b = f();
    if (a.lit && b.lit) b = this.nonLit(kind, b);
    return [a, b];
  }

  anyInt(d: number, underWrap = false): V {
    return this.chance(0.55) ? this.num(d) : this.big(d, underWrap);
  }
  any(d: number): V {
    const k = this.weighted({ num: 5, big: 3, bool: 2, char: this.vars('char').length ? 1 : 0 });
    return k === 'num' ? this.num(d) : k === 'big' ? this.big(d) : k === 'bool' ? this.bool(d) : this.char(d);
  }

  /** A shift amount in 0..max (a literal, a few bits of a value, or a loop index). */
  private shiftAmount(max: number, big: boolean): V {
    const loops = this.vars('num', (s) => !!s.loop && s.hi <= BigInt(max) && s.lo >= 0n);
    let v: V;
    const k = this.below(4);
    if (k === 0 && loops.length) v = this.ref(this.pick(loops));
    else if (k === 1) {
      let b = 1;
      while (P2(b + 1) - 1n <= BigInt(max) && b < 7) b++;
      const w = this.int(1, b);
      const src = this.anyInt(1);
      v = this.call('bits', [src, this.lit(w - 1 + this.below(3)), this.lit(this.below(3))], 'num', 0n, 0n);
      const args = (v.x as { args: Expr[] }).args;
      const hi = Number((args[1] as { v: bigint }).v);
      const lo = Number((args[2] as { v: bigint }).v);
      if (hi < lo || P2(hi - lo + 1) - 1n > BigInt(max)) v = this.lit(this.int(0, max));
      else v = { ...v, lo: 0n, hi: P2(hi - lo + 1) - 1n };
    } else v = this.lit(this.chance(0.3) ? this.pick([0, max, 1]) : this.int(0, max));
    if (big) {
      if (v.lit) return { x: { e: 'lit', kind: 'big', v: v.lo }, kind: 'big', lo: v.lo, hi: v.hi, lit: true };
      return this.toBig(v);
    }
    return v;
  }

  /** A divisor whose range excludes 0 (a number, or a bigint when `big`). */
  private nonzero(d: number, big: boolean): V {
    const kind: Kind = big ? 'big' : 'num';
    const mk = (n: bigint): V => ({ x: { e: 'lit', kind, v: n }, kind, lo: n, hi: n, lit: true });
    const lowPlusOne = (): V => {
      // a few low bits of a value, plus one: 1..2^w
      const w = this.int(1, 20);
      const n = this.narrowNum(this.nonLit('num', this.num(d)), 0n, P2(w) - 1n);
      const s = this.bin('+', 'add', n, this.lit(1));
      return big ? this.toBig(s) : s;
    };
    const k = this.below(4);
    if (k === 0) return mk(this.pick([1n, -1n, 2n, 3n, 7n, -7n, 10n, 1000n, P2(this.int(1, 40)), -P2(this.int(1, 40))]));
    if (k === 1) return lowPlusOne();
    if (k === 2) {
      // max(x, c) with c >= 1, or min(x, -c)
      const c = BigInt(this.int(1, 9));
      const pos = this.chance(0.6);
      const x = this.nonLit(kind, big ? this.big(d) : this.num(d));
      const xs = big ? this.narrowBig(x, -P2(62), P2(62)) : x;
      if (xs.lit) return mk(3n);
      const cv = mk(pos ? c : -c);
      const [lo, hi] = binRange(pos ? 'max' : 'min', [xs.lo, xs.hi], [cv.lo, cv.hi]);
      return this.call(pos ? 'max' : 'min', [xs, cv], kind, lo, hi);
    }
    // a ternary between two nonzero values
    const c = this.bool(d);
    const a = mk(this.pick([1n, 3n, 5n, 16n]));
    const b = lowPlusOne();
    return { x: { e: 'tern', kind, c: c.x, a: a.x, b: b.x }, kind, lo: a.lo < b.lo ? a.lo : b.lo, hi: a.hi > b.hi ? a.hi : b.hi };
  }

  private helperCall(d: number, kind: Kind): V | null {
    const h = this.p.helper;
    if (!h || (isBig(h.ret) ? 'big' : 'num') !== kind || this.inHelper) return null;
    const args = h.params.map((q) => this.toType(this.anyInt(d - 1), q.ty));
    const [lo, hi] = typeRange(h.ret);
    return this.call(h.name, args, kind, lo, hi);
  }
  private tableGet(d: number, kind: Kind): V | null {
    const t = this.p.table;
    if (!t || (isBig(t.value) ? 'big' : 'num') !== kind || this.inHelper) return null;
    const key = this.toType(this.anyInt(d - 1), { signed: false, width: t.keyWidth });
    const [lo, hi] = typeRange(t.value);
    return this.call(`tb.${t.name}.get`, [key], kind, lo, hi);
  }

  num(d: number): V {
    if (d <= 0 || this.chance(0.12)) return this.leafNum();
    const op = this.weighted({
      add: 6, sub: 5, mul: 4, neg: 1, and: 3, or: 2, xor: 2, not: 1, shl: 2, shr: 2, ushr: 1, rem: 2, div: 2, mod: 2,
      min: 2, max: 2, wrap: 4, sat: 3, bits: 3, number: 2, tern: 3, helper: this.p.helper ? 2 : 0, tget: this.p.table ? 2 : 0,
    });
    switch (op) {
      case 'add':
      case 'sub':
      case 'mul': {
        const k = op as BinKind;
        const sym = { add: '+', sub: '-', mul: '*' }[op];
        let [a, b] = this.two('num', () => this.num(d - 1));
        let v = this.bin(sym, k, a, b);
        if (within(v.lo, v.hi, NUM_RANGE)) return v;
        if (this.chance(0.5)) {
          // exact in bigint, then narrowed back to a number
          const big = this.bin(sym, k, this.toBig(a), this.toBig(b));
          return this.wrap(big, this.intType('num'));
        }
        const lim = op === 'mul' ? P2(25) : P2(51);
        a = this.narrowNum(a, -lim, lim - 1n);
        b = this.narrowNum(b, -lim, lim - 1n);
        if (a.lit && b.lit) b = this.narrowNum(this.nonLit('num', b), -lim, lim - 1n);
        v = this.bin(sym, k, a, b);
        return within(v.lo, v.hi, NUM_RANGE) ? v : this.litNum();
      }
      case 'neg': {
        const a = this.num(d - 1);
        return { x: { e: 'un', kind: 'num', op: '-', a: a.x }, kind: 'num', lo: -a.hi, hi: -a.lo, lit: a.x.e === 'lit', exact: a.exact };
      }
      case 'not': {
        const a = this.narrowNum(this.num(d - 1), ...INT32);
        return { x: { e: 'un', kind: 'num', op: '~', a: a.x }, kind: 'num', lo: -a.hi - 1n, hi: -a.lo - 1n, exact: a.exact };
      }
      case 'and':
      case 'or':
      case 'xor': {
        const [a, b] = this.two('num', () => this.num(d - 1));
        return this.bin({ and: '&', or: '|', xor: '^' }[op], op, this.narrowNum(a, ...INT32), this.narrowNum(b, ...INT32));
      }
      case 'shl': {
        const k = this.shiftAmount(31, false);
        const m = P2(31n - k.hi);
        const a = this.nonLitIf(k, this.narrowNum(this.num(d - 1), -m, m - 1n), 'num', (x) => this.narrowNum(x, -m, m - 1n));
        return this.bin('<<', 'shl', a, k);
      }
      case 'shr':
      case 'ushr': {
        const k = this.shiftAmount(31, false);
        const r: Range = op === 'shr' ? INT32 : UINT32;
        const a = this.nonLitIf(k, this.narrowNum(this.num(d - 1), ...r), 'num', (x) => this.narrowNum(x, ...r));
        return this.bin(op === 'shr' ? '>>' : '>>>', 'shr', a, k);
      }
      case 'rem': {
        const b = this.nonzero(d - 1, false);
        const a = this.nonLitIf(b, this.num(d - 1), 'num');
        return this.bin('%', 'mod', a, b);
      }
      case 'div':
      case 'mod':
      case 'min':
      case 'max': {
        const [a, b] = this.two('num', () => this.num(d - 1));
        const fn = (op === 'min' || op === 'max') && this.chance(0.3) ? `Math.${op}` : op;
        return this.fn2(fn, op, a, b);
      }
      case 'wrap': {
        const x = this.anyInt(d - 1, true);
        return this.wrap(x, this.intType('num'));
      }
      case 'sat': {
        const x = this.anyInt(d - 1);
        const t = this.intType('num');
        return this.satOk(x, t) ? this.sat(x, t) : this.wrap(x, t);
      }
      case 'bits': {
        const x = this.anyInt(d - 1);
        const lo = this.below(Math.min(64, widthOf(x.lo, x.hi) + 3));
        const w = this.int(1, Math.min(53, 64 - lo));
        return this.call('bits', [x, this.lit(lo + w - 1), this.lit(lo)], 'num', 0n, P2(w) - 1n);
      }
      case 'number': {
        let b = this.big(d - 1);
        if (!within(b.lo, b.hi, NUM_RANGE)) {
          const lo = this.below(Math.max(1, widthOf(b.lo, b.hi) - 8));
          const w = this.int(1, Math.min(53, 64 - lo));
          b = this.call('bitsBig', [b, this.lit(lo + w - 1), this.lit(lo)], 'big', 0n, P2(w) - 1n);
        }
        return this.call('Number', [b], 'num', b.lo, b.hi);
      }
      case 'tern':
        return this.tern(d, 'num', () => this.num(d - 1));
      case 'helper':
        return this.helperCall(d, 'num') ?? this.num(d - 1);
      case 'tget':
        return this.tableGet(d, 'num') ?? this.num(d - 1);
    }
    return this.leafNum();
  }

  /** Makes `a` a non-literal when `other` is a literal (then narrows it again). */
  private nonLitIf(other: V, a: V, kind: Kind, again?: (x: V) => V): V {
    if (!(other.lit && a.lit)) return a;
    const x = this.nonLit(kind, a);
    return again ? again(x) : x;
  }

  private tern(d: number, kind: Kind, f: () => V): V {
    const c = this.bool(d - 1);
    let [a, b] = this.two(kind, f);
    if ((a.wide || b.wide) && narrow(a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi)) {
      a = a.wide ? this.wrapBig(a) : a;
      b = b.wide ? this.wrapBig(b) : b;
    }
    const lo = a.lo < b.lo ? a.lo : b.lo;
    const hi = a.hi > b.hi ? a.hi : b.hi;
    return { x: { e: 'tern', kind, c: c.x, a: a.x, b: b.x }, kind, lo, hi, wide: (a.wide || b.wide || !narrow(lo, hi)) && (kind === 'big' || kind === 'num') };
  }

  big(d: number, underWrap = false): V {
    if (d <= 0 || this.chance(0.12)) return this.leafBig();
    const op = this.weighted({
      add: 5, sub: 4, mul: 4, neg: 1, and: 2, or: 2, xor: 2, not: 1, shl: 2, shr: 2, quot: 2, rem: 2, div: 2, mod: 2,
      min: 1, max: 1, wrap: 3, sat: 2, bitsBig: 3, fromNum: 3, tern: 2, helper: this.p.helper ? 1 : 0, tget: this.p.table ? 1 : 0,
    });
    switch (op) {
      case 'add':
      case 'sub':
      case 'mul':
      case 'and':
      case 'or':
      case 'xor': {
        // Rewritable below a wrap: operands may be wide when a wrap consumes this node (here, or further up).
        const wrapHere = !underWrap && this.chance(0.35);
        const sub = underWrap || wrapHere;
        let [a, b] = this.two('big', () => this.big(d - 1, sub));
        const sym = { add: '+', sub: '-', mul: '*', and: '&', or: '|', xor: '^' }[op];
        let v = this.bin(sym, op, a, b);
        if ((a.wide || b.wide || v.wide) && !v.exact) {
          // a node above a wide operand must have the compiler's exact range (see V.exact)
          if (!a.exact) a = this.exactBig();
          if (!b.exact) b = this.exactBig();
          v = this.bin(sym, op, a, b);
        }
        if (widthOf(v.lo, v.hi) > 128) {
          a = a.wide || !narrow(a.lo, a.hi) ? this.wrapBig(a) : a;
          b = b.wide || !narrow(b.lo, b.hi) ? this.wrapBig(b) : b;
          v = this.bin(sym, op, a, b);
        }
        v.wide = !narrow(v.lo, v.hi);
        if (!v.wide && (a.wide || b.wide)) {
          // wrap() rewrites only down through nodes that do not fit its type: a narrow node keeps its operands
          a = a.wide ? this.wrapBig(a) : a;
          b = b.wide ? this.wrapBig(b) : b;
          v = this.bin(sym, op, a, b);
          v.wide = !narrow(v.lo, v.hi);
        }
        if (wrapHere || (!underWrap && v.wide)) return this.wrapBig(v);
        return v;
      }
      case 'neg':
      case 'not': {
        const wrapHere = !underWrap && this.chance(0.35);
        let a = this.big(d - 1, underWrap || wrapHere);
        let [lo, hi] = op === 'neg' ? [-a.hi, -a.lo] : [-a.hi - 1n, -a.lo - 1n];
        if ((a.wide && narrow(lo, hi)) || (!narrow(lo, hi) && !a.exact)) {
          a = a.wide ? this.wrapBig(a) : this.exactBig();
          [lo, hi] = op === 'neg' ? [-a.hi, -a.lo] : [-a.hi - 1n, -a.lo - 1n];
        }
        const v: V = { x: { e: 'un', kind: 'big', op: op === 'neg' ? '-' : '~', a: a.x }, kind: 'big', lo, hi, wide: !narrow(lo, hi), exact: a.exact };
        if (wrapHere || (!underWrap && v.wide)) return this.wrapBig(v);
        return v;
      }
      case 'shl': {
        const k = this.shiftAmount(this.chance(0.5) ? 8 : 60, true);
        const a0 = this.big(d - 1);
        const a = a0.lo >= 0n && this.chance(0.5) ? this.narrowBig(a0, 0n, P2(64n - k.hi) - 1n) : this.narrowBig(a0, -P2(63n - k.hi), P2(63n - k.hi) - 1n);
        const a1 = this.nonLitIf(k, a, 'big', (x) => this.narrowBig(x, 0n, P2(63n - k.hi) - 1n));
        return this.bin('<<', 'shl', a1, k);
      }
      case 'shr': {
        const k = this.shiftAmount(this.chance(0.7) ? 63 : 70, true);
        const a = this.nonLitIf(k, this.big(d - 1), 'big');
        return this.bin('>>', 'shr', a, k);
      }
      case 'quot':
      case 'rem': {
        // `/` and `%` on bigints: the divisor must exclude 0; the HLS back end divides at <= 64 signed bits.
        let b = this.nonzero(d - 1, true);
        if (sWidth(b.lo, b.hi) > 64) b = this.lit64(7n);
        let a = this.nonLitIf(b, this.big(d - 1), 'big');
        // A quotient of -2^63 by -1 needs 65 bits (TF120): dividends of 63 bits. A remainder always fits: 64.
        if (op === 'quot' && sWidth(a.lo, a.hi) > 63) a = this.narrowBig(a, -P2(62), P2(62) - 1n);
        if (op === 'rem' && sWidth(a.lo, a.hi) > 64) a = this.narrowBig(a, -P2(63), P2(63) - 1n);
        const v = this.bin(op === 'quot' ? '/' : '%', op === 'quot' ? 'div' : 'mod', a, b);
        return narrow(v.lo, v.hi) && !v.wide ? v : this.leafBig();
      }
      case 'div':
      case 'mod':
      case 'min':
      case 'max': {
        let [a, b] = this.two('big', () => this.big(d - 1));
        if (op === 'div' || op === 'mod') {
          // The quotient of -2^63 by -1 needs 65 bits (TF120): dividends of 63 bits. A remainder by a divisor
          // that excludes 0 always fits (-2^63 % -1 = 0); by one that may be 0, the range check below decides.
          if (sWidth(a.lo, a.hi) > (op === 'div' ? 63 : 64)) a = op === 'div' ? this.narrowBig(a, -P2(62), P2(62) - 1n) : this.narrowBig(a, -P2(63), P2(63) - 1n);
          if (sWidth(b.lo, b.hi) > 64) b = this.narrowBig(b, -P2(63), P2(63) - 1n);
        } else if (!hlsCmpOk([a.lo, a.hi], [b.lo, b.hi])) {
          if (a.lo >= 0n) a = this.narrowBig(a, -P2(63), P2(63) - 1n);
          else b = this.narrowBig(b, -P2(63), P2(63) - 1n);
        }
        if (a.lit && b.lit) return this.leafBig();
        const v = this.fn2(op, op, a, b);
        return narrow(v.lo, v.hi) && sWidth(v.lo, v.hi) <= 64 + (v.lo < 0n ? 0 : 1) ? v : this.leafBig();
      }
      case 'wrap': {
        const x = this.anyInt(d - 1, true);
        return this.toBig(this.wrap(x, this.chance(0.8) ? this.intType('big') : this.intType('num')));
      }
      case 'sat': {
        const x = this.anyInt(d - 1);
        const t = { signed: this.chance(0.5), width: this.int(54, 63) };
        return this.satOk(x, t) ? this.sat(x, t) : this.wrap(x, { ...t, width: 64 });
      }
      case 'bitsBig': {
        const x = this.anyInt(d - 1);
        const lo = this.below(Math.min(64, widthOf(x.lo, x.hi) + 3));
        const w = this.int(1, Math.min(64, 64 - lo));
        return this.call('bitsBig', [x, this.lit(lo + w - 1), this.lit(lo)], 'big', 0n, P2(w) - 1n);
      }
      case 'fromNum':
        return this.toBig(this.num(d - 1));
      case 'tern': {
        const v = this.tern(d, 'big', () => this.big(d - 1, underWrap));
        if (!underWrap && v.wide) return this.wrapBig(v);
        return v;
      }
      case 'helper':
        return this.helperCall(d, 'big') ?? this.big(d - 1, underWrap);
      case 'tget':
        return this.tableGet(d, 'big') ?? this.big(d - 1, underWrap);
    }
    return this.leafBig();
  }
  private lit64(v: bigint): V {
    return { x: { e: 'lit', kind: 'big', v }, kind: 'big', lo: v, hi: v, lit: true, exact: true };
  }

  private bitOf(x: V): V {
    const pos = this.chance(0.5) ? this.below(Math.min(64, widthOf(x.lo, x.hi) + 2)) : this.below(64);
    const loops = this.vars('num', (s) => !!s.loop && s.lo >= 0n && s.hi <= 63n);
    const p = loops.length && this.chance(0.4) ? this.ref(this.pick(loops)) : this.lit(pos);
    return this.call('bit', [x.wide ? this.wrapBig(x) : x, p], 'bool', 0n, 1n);
  }

  bool(d: number): V {
    if (d <= 0 || this.chance(0.12)) return this.leafBool();
    const op = this.weighted({
      cmpNum: 6, cmpBig: 3, cmpChar: this.vars('char').length ? 1 : 0, cmpBool: 1, and: 3, or: 3, not: 2, bit: 2, tern: 1,
      has: this.p.table && !this.inHelper ? 2 : 0,
    });
    const mk = (x: Expr): V => ({ x, kind: 'bool', lo: 0n, hi: 1n });
    switch (op) {
      case 'cmpNum':
      case 'cmpBig':
      case 'cmpChar':
      case 'cmpBool': {
        const kind: Kind = op === 'cmpNum' ? 'num' : op === 'cmpBig' ? 'big' : op === 'cmpChar' ? 'char' : 'bool';
        const f = () => (kind === 'num' ? this.num(d - 1) : kind === 'big' ? this.big(d - 1) : kind === 'char' ? this.char(d - 1) : this.bool(d - 1));
        let [a, b] = this.two(kind, f);
        if (a.lit && b.lit) return this.leafBool();
        if (kind === 'big' && !hlsCmpOk([a.lo, a.hi], [b.lo, b.hi])) {
          if (a.lo >= 0n) a = this.narrowBig(a, -P2(63), P2(63) - 1n);
          else b = this.narrowBig(b, -P2(63), P2(63) - 1n);
          if (a.lit && b.lit) return this.leafBool();
        }
        let cop = kind === 'bool' ? this.pick(['===', '!==']) : this.pick(CMP_OPS);
        if ((cop === '===' || cop === '!==') && ((a.x.e === 'var' && b.lit) || (b.x.e === 'var' && a.lit))) {
          // TypeScript narrows `x` to the literal's type after `x === 3` (in the rest of an &&, a ?: branch, an if
          // block), and then rejects a later `x === 4` (TS2367): compare a reference with a literal by order only.
          if (kind === 'bool') return this.leafBool();
          cop = this.pick(['<', '<=', '>', '>=']);
        }
        return mk({ e: 'cmp', kind: 'bool', op: cop, a: a.x, b: b.x });
      }
      case 'and':
      case 'or': {
        const a = this.bool(d - 1);
        let b = this.bool(d - 1);
        if (a.lit && b.lit) b = this.nonLit('bool', b);
        return mk({ e: 'logic', kind: 'bool', op: op === 'and' ? '&&' : '||', a: a.x, b: b.x });
      }
      case 'not':
        return mk({ e: 'un', kind: 'bool', op: '!', a: this.bool(d - 1).x });
      case 'bit':
        return this.bitOf(this.anyInt(d - 1));
      case 'tern':
        return this.tern(d, 'bool', () => this.bool(d - 1));
      case 'has': {
        const t = this.p.table!;
        const key = this.toType(this.anyInt(d - 1), { signed: false, width: t.keyWidth });
        return this.call(`tb.${t.name}.has`, [key], 'bool', 0n, 1n);
      }
    }
    return this.leafBool();
  }

  char(d: number): V {
    if (d <= 0 || this.chance(0.2)) return this.leafChar();
    const k = this.below(3);
    if (k === 0) return this.tern(d, 'char', () => this.char(d - 1));
    const code = this.narrowNum(this.num(d - 1), 0n, 127n);
    return this.call('String.fromCharCode', [code], 'char', 0n, 127n);
  }

  private exprOf(t: FieldType, d: number): V {
    if (t.t === 'bool') return this.bool(d);
    if (t.t === 'char') return this.char(d);
    const x = this.anyInt(d, true);
    return this.toType(x, t, true);
  }

  // ---- declarations ----------------------------------------------------------------------------------------

  private fieldType(): FieldType {
    const k = this.below(100);
    if (k < 8) return { t: 'bool' };
    if (k < 13) return { t: 'char' };
    return { t: 'int', ...this.intType() };
  }
  private fieldsOf(n: number, maxBits: number, prefix: string, saltBase: number): Field[] {
    const fs: Field[] = [];
    let bits = 0;
    for (let j = 0; j < n; j++) {
      let ty = this.fieldType();
      // the first fields: at least two numbers and one bigint to compute with
      if (prefix === 'f' && j === 0) ty = { t: 'int', ...this.intType('num') };
      if (prefix === 'f' && j === 1) ty = { t: 'int', ...this.intType('num') };
      if (prefix === 'f' && j === 2) ty = { t: 'int', ...this.intType('big') };
      const w = ty.t === 'bool' ? 1 : ty.t === 'char' ? 8 : ty.width;
      if (bits + w > maxBits) break;
      bits += w;
      fs.push({ name: `${prefix}${j}`, ty, salt: saltBase + j });
    }
    return fs;
  }

  private genHelper(): Helper {
    const params = Array.from({ length: this.int(1, 3) }, (_, j) => ({ name: ['a', 'b', 'c'][j], ty: this.intType() }));
    const ret = this.intType();
    const arrow = this.chance(0.3);
    const saved = this.scopes;
    this.inHelper = true;
    this.scopes = [this.scopes[0].filter((s) => s.konst), params.map((q) => ({ text: q.name, kind: isBig(q.ty) ? 'big' : 'num', lo: typeRange(q.ty)[0], hi: typeRange(q.ty)[1] }) as Sym)];
    const body: Stmt[] = [];
    if (arrow) body.push({ s: 'ret', x: this.toType(this.anyInt(3, true), ret, false).x });
    else {
      if (this.chance(0.6)) {
        const v = this.anyInt(2);
        const name = this.fresh('t');
        body.push({ s: 'decl', mut: false, name, init: v.x });
        this.add({ text: name, kind: v.kind, lo: v.lo, hi: v.hi });
      }
      if (this.chance(0.6)) body.push({ s: 'if', c: this.bool(2).x, then: [{ s: 'ret', x: this.toType(this.anyInt(3, true), ret, false).x }], else: null });
      body.push({ s: 'ret', x: this.toType(this.anyInt(3, true), ret, false).x });
    }
    this.scopes = saved;
    this.inHelper = false;
    return { name: 'fn0', params, ret, body, arrow };
  }

  generate(): Program {
    const p = this.p;
    const inputs = this.fieldsOf(this.int(4, 8), 512, 'f', 0);
    p.inputs = inputs;
    p.consts.push({ name: 'K0', value: this.int(2, 6) }, { name: 'K1', value: this.int(0, 40) });
    const base: Sym[] = [];
    for (const c of p.consts) base.push({ text: c.name, kind: 'num', lo: BigInt(c.value), hi: BigInt(c.value), konst: true, exact: true });
    for (const f of inputs) {
      const kind = kindOfType(f.ty);
      const [lo, hi] = f.ty.t === 'int' ? typeRange(f.ty) : f.ty.t === 'bool' ? BOOL : CHAR;
      base.push({ text: `o.${f.name}`, kind, lo, hi, exact: true });
    }
    for (let j = 0, n = this.below(4); j < n; j++) {
      const ty = this.intType();
      const init = this.valueOf(ty);
      p.params.push({ name: `k${j}`, ty, init });
      base.push({ text: `p.k${j}`, kind: isBig(ty) ? 'big' : 'num', lo: typeRange(ty)[0], hi: typeRange(ty)[1], exact: true });
    }
    for (let j = 0, n = this.below(4); j < n; j++) {
      const ty = this.intType();
      p.regs.push({ name: `s${j}`, ty, init: this.valueOf(ty), status: this.chance(0.5) });
      base.push({ text: `s.s${j}`, kind: isBig(ty) ? 'big' : 'num', lo: typeRange(ty)[0], hi: typeRange(ty)[1] });
    }
    if (this.chance(0.6)) base.push({ text: 'now', kind: 'num', lo: 0n, hi: P2(48) - 1n, exact: true });
    if (this.chance(0.5)) {
      const keyWidth = this.chance(0.3) ? this.pick([54, 64]) : this.int(1, 20);
      const capacity = 2 ** this.int(1, Math.min(4, keyWidth));
      p.table = { name: 't0', keyWidth: Math.max(keyWidth, Math.log2(capacity)), value: this.intType(), capacity };
    }
    this.scopes = [base];
    if (this.chance(0.6)) p.helper = this.genHelper();

    const nOut = this.int(this.o.minOutputs, this.o.maxOutputs);
    p.outputs = this.fieldsOf(nOut, 512, 'r', 100);
    chooseOutputFlow(p, this.seed);

    const segs: string[] = [];
    for (let j = 0, n = this.int(1, 4); j < n; j++) segs.push('local');
    if (this.chance(0.7)) segs.push('loop');
    if (p.table) segs.push('tread', 'twrite', 'tread');
    for (let j = 0, n = this.int(0, 2); j < n; j++) segs.push('if');
    for (let j = 0, n = this.int(0, 2); j < n; j++) segs.push('early');
    for (const _ of p.regs) segs.push('state');
    this.shuffle(segs);
    const body: Stmt[] = [];
    for (const s of segs) body.push(...this.segment(s));
    body.push(this.finalReturn(this.o.maxDepth));
    p.body = body;
    if (p.packet) lengthFromInput(p);
    return p;
  }

  private depth(): number {
    return this.chance(0.7) ? this.o.maxDepth : this.int(2, this.o.maxDepth);
  }

  private stateAssign(d: number): Stmt | null {
    const regs = this.p.regs;
    if (!regs.length) return null;
    const r = this.pick(regs);
    const cur = this.ref(this.vars(isBig(r.ty) ? 'big' : 'num').find((s) => s.text === `s.${r.name}`)!);
    // usually an update of the register itself (a counter, an accumulator)
    const e = this.chance(0.6) ? this.combine(cur, this.anyInt(d - 1)) : this.anyInt(d, true);
    const val = this.toType(e, r.ty, false);
    return { s: 'assign', target: `s.${r.name}`, value: val.x };
  }

  private letAssign(d: number): Stmt | null {
    const ls = this.scopes.flat().filter((s) => s.letType);
    if (!ls.length) return null;
    const l = this.pick(ls);
    const cur = this.ref(l);
    const other = this.anyInt(d - 1);
    const e = this.chance(0.6) ? this.combine(cur, other) : this.anyInt(d, true);
    const val = this.toType(e, l.letType!, false);
    return { s: 'assign', target: l.text, value: val.x };
  }
  /** cur op other: in numbers when both are numbers and the result stays within 2^53, else in bigint (wide is
   *  fine: the caller wraps). */
  private combine(cur: V, other: V): V {
    const op = this.pick(['+', '-', '^', '*', '&', '|', '+', '-'] as const);
    const k = ({ '+': 'add', '-': 'sub', '^': 'xor', '*': 'mul', '&': 'and', '|': 'or' } as const)[op];
    if (cur.kind === 'num' && other.kind === 'num') {
      const bitwise = op === '^' || op === '&' || op === '|';
      if (!bitwise || (within(cur.lo, cur.hi, INT32) && within(other.lo, other.hi, INT32))) {
        const v = this.bin(op, k, cur, other);
        if (within(v.lo, v.hi, NUM_RANGE)) return v;
      }
    }
    return this.bin(op, k, this.toBig(cur), this.toBig(other));
  }

  private tableWrite(d: number): Stmt[] {
    const t = this.p.table!;
    this.tableWritten = true;
    const key = this.toType(this.anyInt(d - 1), { signed: false, width: t.keyWidth });
    const del = this.chance(0.15);
    const call: V = del
      ? this.call(`tb.${t.name}.delete`, [key], 'bool', 0n, 1n)
      : this.call(`tb.${t.name}.set`, [key, this.toType(this.anyInt(d - 1, true), t.value)], 'bool', 0n, 1n);
    const name = this.fresh('w');
    const k = this.below(4);
    if (k === 0) return [{ s: 'expr', x: call.x }];
    if (k === 1) {
      // short-circuit: the write happens only when the left operand is true
      const c = this.bool(2);
      const s: Stmt = { s: 'decl', mut: false, name, init: { e: 'logic', kind: 'bool', op: this.chance(0.5) ? '&&' : '||', a: c.x, b: call.x } };
      this.add({ text: name, kind: 'bool', lo: 0n, hi: 1n });
      return [s];
    }
    if (k === 2) {
      const c = this.bool(3);
      this.add({ text: name, kind: 'bool', lo: 0n, hi: 1n });
      return [
        { s: 'decl', mut: true, name, init: { e: 'lit', kind: 'bool', v: false } },
        { s: 'if', c: c.x, then: [{ s: 'assign', target: name, value: call.x }], else: null },
      ];
    }
    this.add({ text: name, kind: 'bool', lo: 0n, hi: 1n });
    return [{ s: 'decl', mut: false, name, init: call.x }];
  }

  private rareCond(): V {
    const a = this.bool(2);
    const b = this.bool(2);
    let x: Expr = { e: 'logic', kind: 'bool', op: '&&', a: a.x, b: b.x };
    if (this.chance(0.5)) x = { e: 'logic', kind: 'bool', op: '&&', a: x, b: this.bool(2).x };
    return { x, kind: 'bool', lo: 0n, hi: 1n };
  }

  private blockStmts(d: number, n: number): Stmt[] {
    return this.scoped(() => {
      const out: Stmt[] = [];
      for (let j = 0; j < n; j++) {
        const k = this.weighted({ state: this.p.regs.length ? 4 : 0, let: 3, local: 1, early: this.inLoop ? 0.3 : 1, twrite: this.p.table && !this.tableWritten && !this.inLoop ? 1 : 0 });
        if (k === 'state') out.push(this.stateAssign(d)!);
        else if (k === 'let') {
          const s = this.letAssign(d);
          if (s) out.push(s);
        } else if (k === 'local') out.push(...this.segment('local'));
        else if (k === 'early') out.push(...this.segment('early'));
        else out.push(...this.tableWrite(d));
      }
      return out;
    });
  }

  private segment(kind: string): Stmt[] {
    switch (kind) {
      case 'local': {
        const mut = this.chance(0.4);
        if (mut) {
          const t = this.intType();
          const v = this.toType(this.anyInt(this.int(1, 4), true), t);
          const name = this.fresh('m');
          this.add({ text: name, kind: isBig(t) ? 'big' : 'num', lo: typeRange(t)[0], hi: typeRange(t)[1], letType: t });
          return [{ s: 'decl', mut: true, name, init: v.x }];
        }
        let v = this.any(this.int(2, 4));
        if (v.lit || v.wide) v = this.nonLit(v.kind, v.wide ? this.wrapBig(v) : v);
        if (v.lit) return [];
        const name = this.fresh('v');
        this.add({ text: name, kind: v.kind, lo: v.lo, hi: v.hi, exact: v.exact });
        return [{ s: 'decl', mut: false, name, init: v.x }];
      }
      case 'loop': {
        const out: Stmt[] = [];
        let ls = this.scopes.flat().filter((s) => s.letType);
        if (!ls.length || this.chance(0.5)) {
          out.push(...this.segment('local'));
          ls = this.scopes.flat().filter((s) => s.letType);
          if (!ls.length) {
            const t = this.intType();
            const name = this.fresh('m');
            const [lo, hi] = typeRange(t);
            out.push({ s: 'decl', mut: true, name, init: { e: 'lit', kind: isBig(t) ? 'big' : 'num', v: lo < 0n && this.chance(0.5) ? -1n : 0n } });
            this.add({ text: name, kind: isBig(t) ? 'big' : 'num', lo, hi, letType: t });
          }
        }
        const from = this.chance(0.7) ? 0 : this.int(1, 3);
        const useK = this.chance(0.3);
        const toN = useK ? this.p.consts[0].value : this.int(from + 1, from + 8);
        const to: Expr = useK ? { e: 'var', kind: 'num', text: 'K0', konst: true } : { e: 'lit', kind: 'num', v: BigInt(toN) };
        const v = this.pick(LOOP_VARS);
        this.inLoop++;
        const body = this.scoped(() => {
          this.add({ text: v, kind: 'num', lo: BigInt(from), hi: BigInt(Math.max(from, toN - 1)), loop: true });
          const b: Stmt[] = [];
          const s = this.letAssign(3);
          if (s) b.push(s);
          if (this.chance(0.5)) {
            const c = this.bool(2).x;
            b.push({ s: 'if', c, then: this.blockStmts(3, this.int(1, 2)), else: this.chance(0.3) ? this.blockStmts(3, 1) : null });
          }
          if (this.chance(0.3)) {
            const s2 = this.letAssign(2);
            if (s2) b.push(s2);
          }
          return b;
        });
        this.inLoop--;
        out.push({ s: 'for', v, from, to, body });
        return out;
      }
      case 'tread': {
        const t = this.p.table!;
        const name = this.fresh(this.chance(0.5) ? 'h' : 'g');
        const key = this.toType(this.anyInt(2), { signed: false, width: t.keyWidth });
        if (name.startsWith('h')) {
          this.add({ text: name, kind: 'bool', lo: 0n, hi: 1n });
          return [{ s: 'decl', mut: false, name, init: this.call(`tb.${t.name}.has`, [key], 'bool', 0n, 1n).x }];
        }
        const [lo, hi] = typeRange(t.value);
        const kind = isBig(t.value) ? 'big' : 'num';
        this.add({ text: name, kind, lo, hi, exact: true });
        return [{ s: 'decl', mut: false, name, init: this.call(`tb.${t.name}.get`, [key], kind, lo, hi).x }];
      }
      case 'twrite':
        return this.tableWritten ? [] : this.tableWrite(3);
      case 'if': {
        const c = this.bool(3);
        return [{ s: 'if', c: c.x, then: this.blockStmts(3, this.int(1, 3)), else: this.chance(0.6) ? this.blockStmts(3, this.int(1, 2)) : null }];
      }
      case 'early': {
        const c = this.rareCond();
        if (this.inLoop || this.chance(0.6)) return [{ s: 'if', c: c.x, then: [{ s: 'return', fields: null }], else: null }];
        return [{ s: 'if', c: c.x, then: [this.finalReturn(2)], else: null }];
      }
      case 'state': {
        const s = this.stateAssign(this.int(2, 4));
        return s ? [s] : [];
      }
    }
    return [];
  }

  private finalReturn(maxDepth: number): Stmt {
    const fields: Array<[string, Expr]> = this.p.outputs.map((f) => [f.name, this.exprOf(f.ty, maxDepth === this.o.maxDepth ? this.depth() : maxDepth).x]);
    return { s: 'return', fields };
  }
}

/** The program of a seed: the same seed always gives the same program. */
export function generateProgram(seed: number, opts: GenOptions = {}): Program {
  for (const a of opts.avoid ?? []) if (!(a in AVOIDABLE)) throw new Error(`unknown construct to avoid: ${a} (known: ${Object.keys(AVOIDABLE).join(', ') || 'none'})`);
  const o: Required<GenOptions> = { minOutputs: opts.minOutputs ?? 8, maxOutputs: opts.maxOutputs ?? 14, maxDepth: opts.maxDepth ?? 5, avoid: opts.avoid ?? [] };
  return new Gen(seed, o).generate();
}

export function generateSource(seed: number, opts?: GenOptions): string {
  return renderProgram(generateProgram(seed, opts));
}

/** Writes the program of `seed` to `<dir>/fz<seed>.ts`; returns its path. */
export function writeProgram(dir: string, seed: number, opts?: GenOptions): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `fz${seed}.ts`);
  fs.writeFileSync(file, generateSource(seed, opts));
  return file;
}

/** Expression trees in a program (each output field, initializer, assigned value and condition) and their nodes. */
export function programStats(p: Program): { expressions: number; nodes: number; outputs: number } {
  const roots = programRoots(p);
  return { expressions: roots.length, nodes: roots.reduce((n, x) => n + countNodes(x), 0), outputs: p.outputs.length };
}
