// Vectors in the front end (docs/semantics.md §12). A vector is a compile-time list of element values; an array
// in JavaScript is a reference, so a vector value in the lowerer is too: `{ k: 'vec', home }` names where its
// elements live in the environment (a state declaration, or the array literal that made it), and every alias of
// it reads and writes that one place, as every alias of a JavaScript array does. Indexing by a constant picks an
// element; indexing by a run-time value is a mux tree over the index bits (a read) or one compare per element (a
// write), so its cost is in the IR for the delay model to see.
import { Node, type Expression } from 'ts-morph';
import type { Loc } from '../diagnostics.ts';
import type { NodeId } from '../ir.ts';
import type { GraphBuilder } from './build.ts';
import { MAX_VEC_LENGTH } from '../../dsl/vec.ts';
import { type StateShape, leafName } from './state.ts';
import { type Fact, refine } from './ranges.ts';
import type { Lowerer, Val, Env, Flow, ElemShape, FnDecl } from './lower.ts';

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

/** The vector and index of `v[i]`, the index checked in range. */
export interface ElemTarget {
  v: Extract<Val, { k: 'vec' }>;
  idx: NodeId;
  lo: number;
  hi: number;
  at: Node;
}

/** The lowering of vectors and record state, for the Lowerer (lower.ts) that owns it. */
export class Vectors {
  constructor(
    private readonly lw: Lowerer,
    private readonly shapes: Map<string, StateShape>,
  ) {}

  /** The value register `reg` (a flattened leaf, state.ts) holds in `env`. */
  stateLeaf(env: Env, reg: string): NodeId {
    if (!this.leaves) {
      this.leaves = new Map();
      for (const [name, shape] of this.shapes) {
        if (shape.kind === 'scalar') this.leaves.set(name, { name });
        if (shape.kind === 'record') for (const f of shape.spec.fields) this.leaves.set(leafName(name, undefined, f.name), { name, field: f.name });
        if (shape.kind === 'vec') {
          for (let k = 0; k < shape.length; k++) {
            if (shape.elem.kind === 'scalar') this.leaves.set(leafName(name, k), { name, index: k });
            else for (const f of shape.elem.spec.fields) this.leaves.set(leafName(name, k, f.name), { name, index: k, field: f.name });
          }
        }
      }
    }
    const at = this.leaves.get(reg);
    if (!at) throw new Error(`internal: no state register ${reg}`);
    let v = env.get(`state:${at.name}`)!;
    if (at.index !== undefined) v = (v as { elems: Val[] }).elems[at.index];
    if (at.field !== undefined) v = (v as { fields: Map<string, Val> }).fields.get(at.field)!;
    return (v as { n: NodeId }).n;
  }
  private leaves?: Map<string, { name: string; index?: number; field?: string }>;

  /** `for (const x of v)` over a vector: unrolled, x bound to each element as the iteration starts (as JavaScript reads it). */
  forOf(s: Node, flow: Flow): void {
    if (!Node.isForOfStatement(s)) return;
    const init = s.getInitializer();
    if (!Node.isVariableDeclarationList(init) || init.getDeclarations().length !== 1 || init.getDeclarationKind() === 'var') {
      this.lw.fail(s, 'TF104', 'for-of needs one `const` (or `let`) binding', 'write `for (const x of v)`');
    }
    const v = this.lw.expr(s.getExpression(), flow);
    if (v.k !== 'vec') this.lw.fail(s.getExpression(), 'TF104', `for-of runs over vectors only; this is a ${this.lw.kindName(v)}`, 'write `for (let i = 0; i < N; i++)` with a constant N');
    const decl = init.getDeclarations()[0];
    const body = this.lw.stmts(s.getStatement());
    for (let k = 0; k < v.len; k++) {
      const x = this.vdata(v, flow, s).elems[k];
      if (Node.isIdentifier(decl.getNameNode())) flow.env.set(decl, x);
      else this.lw.bindPattern(decl.getNameNode(), x, flow.env);
      this.lw.block(body, flow);
    }
    flow.env.delete(decl);
  }

  /** The elements a vector reference sees now. */
  vdata(v: Extract<Val, { k: 'vec' }>, flow: Flow, at: Node): { elems: Val[] } {
    const d = flow.env.get(v.home);
    if (!d || d.k !== 'vdata') this.lw.fail(at, 'TF119', 'this array is not reachable here (it was made on another path or in a helper that did not return it)');
    return d;
  }

  /** fit() for a vector element or record-valued state: a record is fitted field by field. */
  fitElem(v: Val, shape: NonNullable<ElemShape> | Extract<StateShape, { kind: 'record' }>, at: Node, what: string, facts?: readonly Fact[]): Val {
    if (shape.kind === 'scalar') return this.lw.fit(v, shape.spec, at, what, facts);
    const r = shape.spec;
    if (v.k !== 'record') this.lw.fail(at, 'TF108', `${what} is a ${r.name} record but the value is a ${this.lw.kindName(v)}`);
    const extra = [...v.fields.keys()].filter((k) => !r.fields.some((f) => f.name === k));
    const missing = r.fields.filter((f) => !v.fields.has(f.name)).map((f) => f.name);
    if (extra.length || missing.length) this.lw.fail(at, 'TF108', `${what} is a ${r.name} record; the value ${missing.length ? `lacks ${missing.join(', ')}` : `has unknown ${extra.join(', ')}`}`);
    const fields = new Map(r.fields.map((f) => [f.name, this.lw.fit(v.fields.get(f.name)!, f.spec, v.at?.get(f.name) ?? at, `${what}.${f.name}`, facts)]));
    return { k: 'record', spec: r, fields };
  }

  /** The vector and index of `v[i]` (checked in range, ranges.ts facts included), for a read or a write. */
  elemTarget(e: Node, flow: Flow): ElemTarget {
    if (!Node.isElementAccessExpression(e)) throw new Error('internal');
    const v = this.lw.expr(e.getExpression(), flow);
    if (v.k !== 'vec') this.lw.fail(e, 'TF106', `indexing applies to vectors; this is a ${this.lw.kindName(v)}`, 'declare vec(type, N) state or an array literal; use a table for a memory, bits(x, hi, lo) for bits');
    const arg = e.getArgumentExpression();
    if (!arg) this.lw.fail(e, 'TF109', 'an index is needed');
    const iv = this.lw.expr(arg, flow);
    if (iv.k !== 'int' || iv.big) this.lw.fail(arg, 'TF118', `a vector index is a number; this is a ${this.lw.kindName(iv)}`);
    let idx = iv.n;
    let I = this.lw.g.get(idx);
    if (I.lo < 0n || I.hi > BigInt(v.len - 1)) {
      idx = refine(this.lw.g, flow.facts ?? [], idx, this.lw.loc(arg));
      I = this.lw.g.get(idx);
    }
    if (I.lo < 0n || I.hi > BigInt(v.len - 1)) {
      this.lw.fail(arg, 'TF118', `the index may be ${I.lo}..${I.hi}, but the vector has ${v.len} elements (0..${v.len - 1}); JavaScript would read undefined or grow the array`, `guard it (if (i >= ${v.len}) return;), clamp it (min(i, ${v.len - 1})), or take its low bits (bits(i, ${Math.max(0, Math.ceil(Math.log2(v.len)) - 1)}, 0) for a power-of-two length)`);
    }
    return { v, idx, lo: Number(I.lo), hi: Number(I.hi), at: e };
  }

  readElem(t: ElemTarget, flow: Flow): Val {
    const elems = this.vdata(t.v, flow, t.at).elems;
    const c = this.lw.g.isConst(t.idx);
    if (c !== undefined) return elems[Number(c)];
    const loc = this.lw.loc(t.at);
    return muxRead(this.lw.g, elems, t.idx, t.lo, t.hi, (c2, a, b) => this.lw.select(c2, a, b, loc), loc);
  }

  writeElem(t: ElemTarget, v: Val, flow: Flow, at: Node): void {
    const elems = this.vdata(t.v, flow, t.at).elems;
    if (t.v.elem) v = this.fitElem(v, t.v.elem, at, `element of ${t.at.getChildAtIndex(0)?.getText() ?? 'the vector'}`, flow.facts);
    else if (v.k === 'vec' || v.k === 'vdata') this.lw.fail(at, 'TF119', 'a vector of vectors is not supported', 'use a vector of records');
    if (elems.length > 0 && v.k !== elems[0].k) this.lw.fail(at, 'TF108', `the vector holds ${this.lw.kindName(elems[0])} values; this is a ${this.lw.kindName(v)}`);
    const c = this.lw.g.isConst(t.idx);
    const loc = this.lw.loc(at);
    const next = c !== undefined ? elems.map((x, k) => (k === Number(c) ? v : x)) : muxWrite(this.lw.g, elems, t.idx, t.lo, t.hi, v, (c2, a, b) => this.lw.select(c2, a, b, loc), loc);
    flow.env.set(t.v.home, { k: 'vdata', elems: next });
  }

  /** An array literal: a vector whose elements live at a home of their own; `...v` copies v's elements. */
  arrayLiteral(e: Node, flow: Flow): Val {
    if (!Node.isArrayLiteralExpression(e)) throw new Error('internal');
    const elems: Val[] = [];
    for (const x of e.getElements()) {
      if (Node.isSpreadElement(x)) {
        const v = this.lw.expr(x.getExpression(), flow);
        if (v.k !== 'vec') this.lw.fail(x, 'TF109', `only a vector can be spread into an array; this is a ${this.lw.kindName(v)}`);
        elems.push(...this.vdata(v, flow, x).elems);
        continue;
      }
      if (Node.isOmittedExpression(x)) this.lw.fail(x, 'TF109', 'an array literal with holes');
      const v = this.lw.expr(x as Expression, flow);
      if (v.k !== 'int' && v.k !== 'bool' && v.k !== 'char' && v.k !== 'record') this.lw.fail(x, 'TF109', `a vector holds numbers, booleans, characters or records; this is a ${this.lw.kindName(v)}`, 'use a vector of records for a vector of vectors');
      if (elems.length > 0 && (elems[0].k !== v.k || (v.k === 'int' && (elems[0] as { big: boolean }).big !== v.big))) this.lw.fail(x, 'TF108', `the elements of a vector have one type; this one is a ${this.lw.kindName(v)}, the first a ${this.lw.kindName(elems[0])}`);
      elems.push(v);
    }
    if (elems.length === 0) this.lw.fail(e, 'TF106', 'an empty array literal can only grow at run time (push), which hardware cannot do', 'a vector has a fixed length: write its elements ([0, 0, 0, 0]) or declare vec(type, N) state');
    if (elems.length > MAX_VEC_LENGTH) this.lw.fail(e, 'TF106', `a vector has at most ${MAX_VEC_LENGTH} elements; this array literal has ${elems.length}`, 'use a table for a larger memory');
    const home = {};
    flow.env.set(home, { k: 'vdata', elems });
    return { k: 'vec', home, len: elems.length, elem: null };
  }

  /** `state.name = v` for a state vector: only a fresh array, fitted element by element. */
  assignState(name: string, shape: Extract<StateShape, { kind: 'vec' }>, v: Val, flow: Flow, at: Node, rhs?: Expression): void {
    // Only a fresh array may become the state's: JavaScript would otherwise make the state and the other
    // array one object, so later writes to either would change both.
    let r: Node | undefined = rhs;
    while (r && (Node.isParenthesizedExpression(r) || Node.isAsExpression(r) || Node.isSatisfiesExpression(r))) r = r.getExpression();
    if (!r || !Node.isArrayLiteralExpression(r) || v.k !== 'vec') {
      this.lw.fail(at, 'TF119', `state ${name} is a vector; assigning another array to it would make both names one array in JavaScript`, `assign a fresh array ([...xs] or [a, b, ...]), or write its elements: ctx.state.${name}[k] = ...`);
    }
    const d = this.vdata(v, flow, at);
    if (d.elems.length !== shape.length) this.lw.fail(at, 'TF108', `the array has ${d.elems.length} elements; state ${name} has ${shape.length}`);
    flow.env.set(`state:${name}`, { k: 'vdata', elems: d.elems.map((x, k) => this.fitElem(x, shape.elem, at, `state ${name}[${k}]`, flow.facts)) });
  }

  /**
   * `Array.from({ length: N }, (_, i) => expression)`: a vector of N elements, the function inlined once per index
   * with i a constant (and its first parameter undefined, as JavaScript passes it for an array-like without
   * elements). N is a compile-time constant; the elements follow an array literal's rules (arrayLiteral).
   */
  arrayFrom(e: Node, args: Expression[], flow: Flow): Val {
    const hint = 'write Array.from({ length: N }, (_, i) => expression) with a constant N';
    const [lenArg, fnArg] = args;
    if (!lenArg || !Node.isObjectLiteralExpression(lenArg) || !fnArg || args.length !== 2) this.lw.fail(e, 'TF109', 'Array.from takes { length: N } and a function of the index', hint);
    const props = new Map(this.lw.specs.props(lenArg));
    if (props.size !== 1 || !props.has('length')) this.lw.fail(lenArg, 'TF109', 'Array.from\'s first argument is { length: N }', hint);
    const lenExpr = props.get('length')!;
    const len = this.lw.specs.constValue(lenExpr);
    if (typeof len !== 'number' || !Number.isSafeInteger(len)) this.lw.fail(lenExpr, 'TF104', 'Array.from needs a length known at compile time: a vector has a fixed length in hardware', 'a literal, a module-level const or a constant expression of them');
    if (len < 1 || len > MAX_VEC_LENGTH) this.lw.fail(lenArg, 'TF106', `a vector has 1..${MAX_VEC_LENGTH} elements; this one ${len}`);
    return this.vectorOf(fnArg, len, () => ({ k: 'undef' }), e, flow, hint);
  }

  /**
   * `v.map((x, i) => expression)` on a vector: a new vector of v's length, the function inlined once per element with
   * x that element and i its (constant) index. The only vector method: it makes a fresh array and changes none.
   */
  map(v: Extract<Val, { k: 'vec' }>, args: Expression[], e: Node, flow: Flow): Val {
    const hint = 'write v.map((x, i) => expression) with the function in place';
    if (args.length !== 1) this.lw.fail(e, 'TF109', 'map takes one function', hint);
    const elems = this.vdata(v, flow, e).elems;
    return this.vectorOf(args[0], v.len, (i) => elems[i], e, flow, hint);
  }

  /** The vector [fn(first(i), i) for i < len]: fn an arrow or function expression written in place (Array.from, map). */
  private vectorOf(fnArg: Expression, len: number, first: (i: number) => Val, e: Node, flow: Flow, hint: string): Val {
    if (!Node.isArrowFunction(fnArg) && !Node.isFunctionExpression(fnArg)) this.lw.fail(fnArg, 'TF109', 'the function is written in place (an arrow function)', hint);
    const fn = fnArg as FnDecl;
    if (fn.getParameters().length > 2) this.lw.fail(fnArg, 'TF109', 'the function takes (value, index); the array itself is not passed', hint);
    const loc = this.lw.loc(e);
    const elems: Val[] = [];
    for (let i = 0; i < len; i++) {
      const v = this.lw.inlineVals(fn, [first(i), { k: 'int', n: this.lw.g.const(BigInt(i), loc), big: false }], e, flow);
      if (v.k !== 'int' && v.k !== 'bool' && v.k !== 'char' && v.k !== 'record') this.lw.fail(fnArg, 'TF109', `a vector holds numbers, booleans, characters or records; this function gives a ${this.lw.kindName(v)}`);
      if (elems.length > 0 && (elems[0].k !== v.k || (v.k === 'int' && (elems[0] as { big: boolean }).big !== v.big))) this.lw.fail(fnArg, 'TF108', `the elements of a vector have one type; element ${i} is a ${this.lw.kindName(v)}, element 0 a ${this.lw.kindName(elems[0])}`);
      elems.push(v);
    }
    const home = {};
    flow.env.set(home, { k: 'vdata', elems });
    return { k: 'vec', home, len, elem: null };
  }
}
