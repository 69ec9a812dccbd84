// Lowers `step` (and the functions it calls) to the dataflow IR: if-conversion with path predicates, loops
// unrolled, calls inlined. Every construct whose JavaScript evaluation could differ from the hardware is
// rejected here with a diagnostic; what passes is exact in both.
import { Node, SyntaxKind, type Expression, type Statement, type FunctionDeclaration, type MethodDeclaration, type ArrowFunction, type FunctionExpression } from 'ts-morph';

export type FnDecl = FunctionDeclaration | MethodDeclaration | ArrowFunction | FunctionExpression;
import type { ScalarSpec } from '../../dsl/types.ts';
import { specRange, describeSpec, enumCode } from '../../dsl/types.ts';
import { zeroOf } from '../../dsl/table.ts';
import type { RecordSpec } from '../../dsl/record.ts';
import type { InputPort } from '../../dsl/inputs.ts';
import type { Code, Loc } from '../diagnostics.ts';
import { CompileError } from '../diagnostics.ts';
import { type BinOp, type CmpOp, type NodeId, type TableIR, type TableWrite, NOW_WIDTH, writesOf } from '../ir.ts';
import { GraphBuilder } from './build.ts';
import { SpecReader, locOf, declOf, isDesignSource } from './specs.ts';
import { selectElement } from './paramvec.ts';
import { type AssocIR, type VecTableIR, type TableOpCx, TWO_WRITES_HINT, addWrite, assocOp, directOp, read as readForwarded } from './tables.ts';
import { ROUNDINGS, type Rounding } from '../../dsl/fixed.ts';
import { PROTOCOL_ACCESSORS, lowerProtocolCall, isProtocolObject, type AccessorHost } from './protocols.ts';
import { type StateShape, leafName } from './state.ts';
import { type Fact, withFacts, refine, narrowSub } from './ranges.ts';
import { Vectors } from './vectors.ts';

/** A vector's element type when it is declared (a state vector): writes are fitted to it. */
export type ElemShape = Extract<StateShape, { kind: 'vec' }>['elem'] | null;

/** A value during lowering. Scalars point at IR nodes; the rest are compile-time handles. */
export type Val =
  | { k: 'int'; n: NodeId; big: boolean }
  | { k: 'bool'; n: NodeId }
  | { k: 'char'; n: NodeId }
  | { k: 'record'; spec: RecordSpec | null; fields: Map<string, Val>; at?: Map<string, Node> }
  | { k: 'ctx' }
  | { k: 'params' }
  | { k: 'pvec'; name: string; spec: ScalarSpec; length: number; mem?: TableIR }
  | { k: 'state' }
  | { k: 'tables' }
  | { k: 'table'; t: TableIR; assoc?: AssocIR; vtab?: VecTableIR }
  | { k: 'spec'; spec: ScalarSpec }
  | { k: 'vec'; home: unknown; len: number; elem: ElemShape } // a reference to an array (vectors.ts)
  | { k: 'vdata'; elems: Val[] } // what the environment holds at a vector's home
  | { k: 'undef' };

export type Env = Map<unknown, Val>;
export interface Exit {
  pc: NodeId;
  val: Val;
  env: Env;
  at?: Node;
  /** What the path to this exit knows (ranges.ts). */
  facts?: Fact[];
}
export interface Flow {
  env: Env;
  pc: NodeId; // predicate under which control falls through
  exits: Exit[];
  /** Comparisons known to hold where this flow runs (ranges.ts). */
  facts?: Fact[];
}

const INT32: [bigint, bigint] = [-(2n ** 31n), 2n ** 31n - 1n];
const NUM_MAX = 2n ** 53n;
const MAX_WIDTH = 128;
const MAX_UNROLL = 4096;

export interface LowerContext {
  root: string;
  g: GraphBuilder;
  specs: SpecReader;
  input: RecordSpec;
  params: Map<string, ScalarSpec>;
  /**
   * Host-written vectors (dsl/paramvec.ts): their elements are the params `<name>_<i>`; and host-written memories
   * (dsl/parammem.ts, `mem` set): an element is a read of that memory.
   */
  vecs?: Map<string, { spec: ScalarSpec; length: number; mem?: TableIR }>;
  regs: Map<string, ScalarSpec>;
  /** Each state declaration's shape; records and vectors are flattened into `regs` (state.ts). */
  shapes: Map<string, StateShape>;
  tables: Map<string, TableIR>;
  /** Set-associative tables (codegen/frontend/tables.ts): their ways are in `tables` as `<name>_w<i>`. */
  assocs?: Map<string, AssocIR>;
  /** Vector-valued tables (codegen/frontend/tables.ts): their elements are in `tables` as `<name>_<i>`. */
  vecTables?: Map<string, VecTableIR>;
  /** `outputs: N` of the unit: with N > 1 the step may return an array of records. */
  outputs?: number;
}

export class Lowerer {
  readonly writes = new Map<string, TableWrite>();
  private readonly inlining: FnDecl[] = [];
  /** Indices of the for-loops being unrolled: constants in each iteration, so the body may not assign them. */
  private readonly loopVars = new Set<Node>();

  /** Vectors and record state (vectors.ts); it uses the public members below. */
  readonly vectors: Vectors;

  constructor(private readonly cx: LowerContext) {
    this.vectors = new Vectors(this, cx.shapes);
  }

  get g(): GraphBuilder {
    return this.cx.g;
  }
  loc(n: Node): Loc {
    return locOf(n, this.cx.root);
  }
  fail(n: Node, code: Code, message: string, hint?: string, related?: { node: Node; message: string }): never {
    throw new CompileError([
      { code, loc: this.loc(n), message, hint, related: related && { loc: this.loc(related.node), message: related.message } },
    ]);
  }

  // ---- entry: the step function --------------------------------------------------------------------------

  /** The step: every path's exit, the fall-through included (as an exit with no output). */
  lowerStep(fn: FnDecl): Exit[] {
    const ps = this.entryParams(fn);
    const inLoc = this.loc(ps[0]);
    const fields = new Map<string, Val>();
    for (const f of this.cx.input.fields) fields.set(f.name, this.inputField(f.name, f.spec, inLoc));
    const env = this.stateEnv(fn);
    return this.lowerEntry(fn, { k: 'record', spec: this.cx.input, fields }, env, this.g.const(1n, this.loc(fn)));
  }

  /**
   * A unit with several inputs (dsl/inputs.ts): handler k is lowered under `port == k` from the same state, so its
   * exits are exclusive with every other handler's. Each handler may write a table once; the writes of different
   * handlers share the table's one write port (their enables are exclusive), muxed by which handler ran.
   */
  lowerHandlers(hs: Array<{ fn: FnDecl; port: InputPort; index: number }>): Exit[] {
    const env0 = this.stateEnv(hs[0].fn);
    const portSpec = this.cx.input.fields[0].spec; // `port`, first in the merged record
    const port = this.inputField('port', portSpec, this.loc(hs[0].fn)) as { n: NodeId };
    const exits: Exit[] = [];
    const writes: Array<Map<string, TableWrite>> = [];
    for (const h of hs) {
      const ps = this.entryParams(h.fn);
      const inLoc = this.loc(ps[0]);
      const fields = new Map<string, Val>();
      h.port.record.fields.forEach((f, j) => fields.set(f.name, this.inputField(h.port.fields[j], f.spec, inLoc)));
      this.writes.clear();
      this.evicting.clear();
      const pc = this.g.cmp('eq', port.n, this.g.const(BigInt(h.index), inLoc), inLoc);
      this.g.get(pc).label = `on_${h.port.name}`;
      exits.push(...this.lowerEntry(h.fn, { k: 'record', spec: h.port.record, fields }, new Map(env0), pc));
      writes.push(new Map(this.writes));
    }
    this.writes.clear();
    const names = new Set(writes.flatMap((w) => [...w.keys()]));
    // A handler's first writes share the table's first port, its second writes (TableWrite.next) the second.
    const join = (ws: TableWrite[]): TableWrite | undefined => {
      let m: TableWrite | undefined;
      for (const w of ws) {
        const loc = w.loc;
        m = m === undefined ? { ...w, next: undefined } : { en: this.g.or2(m.en, w.en, loc), key: this.g.mux(w.en, w.key, m.key, loc), value: this.g.mux(w.en, w.value, m.value, loc), del: this.g.mux(w.en, w.del, m.del, loc), loc: m.loc };
      }
      return m;
    };
    for (const t of names) {
      const ws = writes.map((w) => w.get(t)).filter((w): w is TableWrite => w !== undefined);
      const first = join(ws)!;
      const second = join(ws.flatMap((w) => (w.next ? [w.next] : [])));
      this.writes.set(t, second ? { ...first, next: second } : first);
    }
    return exits;
  }

  /** step(input, ctx) or a handler's (record, ctx): one or two parameters. */
  private entryParams(fn: FnDecl): Node[] {
    const ps = fn.getParameters();
    if (ps.length < 1 || ps.length > 2) this.fail(fn, 'TF109', 'step takes (input, context)');
    return ps;
  }

  /** The input field `field` of the (merged) input record, with the value range and kind of `spec`. */
  private inputField(field: string, spec: ScalarSpec, loc: Loc): Val {
    const [lo, hi] = specRange(spec);
    const n = this.g.add({ op: 'input', field }, lo, hi, loc);
    this.g.get(n).label = `in_${field}`;
    return this.scalar(spec, n);
  }

  /** The environment an event starts from: every state register's value before the event. */
  private stateEnv(fn: FnDecl): Env {
    const env: Env = new Map();
    const leaf = (name: string): Val => {
      const spec = this.cx.regs.get(name)!;
      const [lo, hi] = specRange(spec);
      const n = this.g.add({ op: 'reg', name }, lo, hi, this.loc(fn));
      this.g.get(n).label = name;
      return this.scalar(spec, n);
    };
    const recordOf = (r: RecordSpec, name: string, index?: number): Val => ({ k: 'record', spec: r, fields: new Map(r.fields.map((f) => [f.name, leaf(leafName(name, index, f.name))])) });
    for (const [name, shape] of this.cx.shapes) {
      if (shape.kind === 'scalar') env.set(`state:${name}`, leaf(name));
      else if (shape.kind === 'record') env.set(`state:${name}`, recordOf(shape.spec, name));
      else {
        const elems = Array.from({ length: shape.length }, (_, k) => (shape.elem.kind === 'scalar' ? leaf(leafName(name, k)) : recordOf(shape.elem.spec, name, k)));
        env.set(`state:${name}`, { k: 'vdata', elems });
      }
    }
    return env;
  }

  /** Lowers one entry function's body under `pc`, its first parameter bound to `input`. */
  private lowerEntry(fn: FnDecl, input: Val, env: Env, pc: NodeId): Exit[] {
    const ps = fn.getParameters();
    this.bindParam(ps[0], input, env);
    if (ps[1]) this.bindParam(ps[1], { k: 'ctx' }, env);
    const body = fn.getBody();
    if (!body || !Node.isBlock(body)) this.fail(fn, 'TF109', 'step must have a block body');
    const flow: Flow = { env, pc, exits: [] };
    this.block(body.getStatements(), flow);
    if (this.g.isConst(flow.pc) !== 0n) flow.exits.push({ pc: flow.pc, val: { k: 'undef' }, env: flow.env, at: fn });
    return flow.exits;
  }

  scalar(spec: ScalarSpec, n: NodeId): Val {
    switch (spec.kind) {
      case 'bool':
        return { k: 'bool', n };
      case 'char':
        return { k: 'char', n };
      case 'enum':
        return spec.members.some((m) => typeof m.value === 'string') ? { k: 'char', n } : { k: 'int', n, big: false };
      default:
        return { k: 'int', n, big: spec.width > 53 };
    }
  }

  /** The value register `reg` (a flattened leaf, state.ts) holds in `env`: what index.ts takes as its next value. */
  stateLeaf(env: Env, reg: string): NodeId {
    return this.vectors.stateLeaf(env, reg);
  }

  private bindParam(p: Node, v: Val, env: Env): void {
    if (!Node.isParameterDeclaration(p)) return;
    const nameNode = p.getNameNode();
    if (Node.isIdentifier(nameNode)) {
      env.set(p, v);
      return;
    }
    this.bindPattern(nameNode, v, env);
  }

  bindPattern(pattern: Node, v: Val, env: Env): void {
    if (!Node.isObjectBindingPattern(pattern)) this.fail(pattern, 'TF109', 'only object destructuring is supported here');
    for (const el of pattern.getElements()) {
      const key = el.getPropertyNameNode()?.getText() ?? el.getName();
      env.set(el, this.member(v, key, el, null));
    }
  }

  // ---- statements ----------------------------------------------------------------------------------------

  block(stmts: Statement[], flow: Flow): void {
    for (const s of stmts) {
      if (this.g.isConst(flow.pc) === 0n) return; // everything after an unconditional return is dead
      this.stmt(s, flow);
    }
  }

  private stmt(s: Statement, flow: Flow): void {
    if (Node.isVariableStatement(s)) {
      if (s.getDeclarationKind() === 'var') this.fail(s, 'TF109', '`var` is not supported', 'use const or let');
      for (const d of s.getDeclarations()) {
        const init = d.getInitializer();
        if (!init) this.fail(d, 'TF109', `variable ${d.getName()} needs an initial value`);
        if (!Node.isIdentifier(d.getNameNode())) this.fail(d, 'TF109', 'destructuring declarations are not supported');
        // `const L = ouch.EnterOrder`: a compile-time handle, read through its declaration where it is used
        if (s.getDeclarationKind() === 'const' && isProtocolObject(this.specs.protocolValue(init))) continue;
        const v = this.expr(init, flow);
        this.nameValue(v, d.getName());
        flow.env.set(d, v);
      }
      return;
    }
    if (Node.isExpressionStatement(s)) {
      this.effect(s.getExpression(), flow);
      return;
    }
    if (Node.isIfStatement(s)) {
      const c = this.cond(s.getExpression(), flow);
      const loc = this.loc(s);
      const tPc = this.g.and2(flow.pc, c, loc);
      const ePc = this.g.and2(flow.pc, this.g.not(c, loc), loc);
      const tFlow: Flow = { env: new Map(flow.env), pc: tPc, exits: flow.exits, facts: withFacts(flow.facts, this.g, c, true) };
      this.block(this.stmts(s.getThenStatement()), tFlow);
      const eFlow: Flow = { env: new Map(flow.env), pc: ePc, exits: flow.exits, facts: withFacts(flow.facts, this.g, c, false) };
      const els = s.getElseStatement();
      if (els) this.block(this.stmts(els), eFlow);
      flow.env = this.merge(flow.env, tFlow, eFlow, loc);
      // Neither branch returned: the path goes on exactly when it came in. Not or2(pc & c, pc & !c), which is the
      // same value but makes every later statement depend on c (and, for a state test, puts it on the recurrence).
      if (tFlow.pc !== tPc || eFlow.pc !== ePc) flow.pc = this.g.or2(tFlow.pc, eFlow.pc, loc);
      // A branch that always returns leaves its opposite's facts to the code after the if (`if (a < b) return;`).
      if (this.g.isConst(tFlow.pc) === 0n) flow.facts = eFlow.facts;
      else if (this.g.isConst(eFlow.pc) === 0n) flow.facts = tFlow.facts;
      return;
    }
    if (Node.isReturnStatement(s)) {
      const e = s.getExpression();
      const v: Val = e ? this.expr(e, flow) : { k: 'undef' };
      flow.exits.push({ pc: flow.pc, val: v, env: new Map(flow.env), at: s, facts: flow.facts });
      flow.pc = this.g.const(0n, this.loc(s));
      return;
    }
    if (Node.isBlock(s)) {
      this.block(s.getStatements(), flow);
      return;
    }
    if (Node.isForStatement(s)) {
      this.forLoop(s, flow);
      return;
    }
    if (Node.isEmptyStatement(s)) return;
    if (Node.isWhileStatement(s) || Node.isDoStatement(s)) {
      this.fail(s, 'TF104', 'loops must have a bound known at compile time; hardware cannot run an unbounded loop in one cycle', 'write `for (let i = 0; i < N; i++)` with a constant N');
    }
    if (Node.isForOfStatement(s)) {
      this.vectors.forOf(s, flow);
      return;
    }
    if (Node.isForInStatement(s)) {
      this.fail(s, 'TF104', 'for-of/for-in loops are not supported', 'write `for (let i = 0; i < N; i++)` with a constant N');
    }
    if (Node.isFunctionDeclaration(s)) this.fail(s, 'TF109', 'declare helper functions at module level');
    return this.fail(s, 'TF109', `${s.getKindName()} is not supported in the synthesizable subset`);
  }

  stmts(s: Statement): Statement[] {
    return Node.isBlock(s) ? s.getStatements() : [s];
  }

  /** Variables of the enclosing scope take, after an if, the value of the branch control came through. */
  private merge(outer: Env, t: Flow, e: Flow, loc: Loc): Env {
    const out: Env = new Map();
    for (const key of outer.keys()) {
      const a = t.env.get(key)!;
      const b = e.env.get(key)!;
      out.set(key, this.select(t.pc, a, b, loc));
    }
    // Arrays made inside one branch: reachable only through that branch's references (a variable referring to
    // different arrays on the two paths is rejected by select).
    for (const side of [t.env, e.env]) for (const [key, v] of side) if (v.k === 'vdata' && !out.has(key)) out.set(key, v);
    return out;
  }

  select(c: NodeId, a: Val, b: Val, loc: Loc): Val {
    if (a === b) return a;
    if ((a.k === 'int' && b.k === 'int') || (a.k === 'bool' && b.k === 'bool') || (a.k === 'char' && b.k === 'char')) {
      if (a.k === 'int' && b.k === 'int' && a.big !== b.big) {
        throw new CompileError([{ code: 'TF111', loc, message: 'a variable holds a number on one path and a bigint on another' }]);
      }
      return { ...a, n: this.g.mux(c, a.n, (b as { n: NodeId }).n, loc) } as Val;
    }
    if (a.k === 'record' && b.k === 'record') {
      const fields = new Map<string, Val>();
      for (const [k, v] of a.fields) fields.set(k, this.select(c, v, b.fields.get(k) ?? v, loc));
      return { k: 'record', spec: a.spec, fields };
    }
    if (a.k === 'undef' || b.k === 'undef') return this.g.isConst(c) === 1n ? a : this.g.isConst(c) === 0n ? b : a;
    if (a.k === 'vdata' && b.k === 'vdata') return { k: 'vdata', elems: a.elems.map((x, k) => this.select(c, x, b.elems[k], loc)) };
    if (a.k === 'vec' && b.k === 'vec' && a.home !== b.home) {
      if (this.g.isConst(c) !== undefined) return this.g.isConst(c) === 1n ? a : b;
      throw new CompileError([{ code: 'TF119', loc, message: 'this variable refers to one array on one path and to another array on another; an array is a reference, and hardware cannot select which registers a name means', hint: 'copy elements instead: for (let k = 0; k < v.length; k++) v[k] = c ? a[k] : b[k]' }]);
    }
    return a;
  }

  private forLoop(s: Node, flow: Flow): void {
    if (!Node.isForStatement(s)) return;
    const init = s.getInitializer();
    const cond = s.getCondition();
    const inc = s.getIncrementor();
    const bad: () => never = () =>
      this.fail(s, 'TF104', 'loops must have a bound known at compile time', 'write `for (let i = A; i < B; i++)` with constants A and B');
    if (!init || !cond || !inc || !Node.isVariableDeclarationList(init) || init.getDeclarations().length !== 1) bad();
    const decl = init.getDeclarations()[0];
    if (!Node.isBinaryExpression(cond) || cond.getLeft().getText() !== decl.getName()) bad();
    // Bounds are any compile-time constant: a literal, a const, an enclosing loop's index, a vector's length.
    const constOf = (e: Expression): number | undefined => {
      // A `let` may change between iterations (JavaScript re-tests the bound each time): only consts, enclosing
      // loops' indices (which the body cannot assign) and vector lengths.
      for (const id of [e, ...e.getDescendants()]) {
        if (!Node.isIdentifier(id)) continue;
        const d = declOf(id.getSymbol());
        if (d && Node.isVariableDeclaration(d) && d.getVariableStatement()?.getDeclarationKind() !== 'const' && !this.loopVars.has(d)) return undefined;
        // A helper's parameter (a vector, say, for v.length) is a bound only if the loop body cannot rebind it.
        if (d && (Node.isParameterDeclaration(d) || Node.isBindingElement(d)) && assignsTo(s, d)) return undefined;
      }
      let v: Val;
      try {
        v = this.expr(e, flow);
      } catch (err) {
        if (err instanceof CompileError) return undefined;
        throw err;
      }
      const c = v.k === 'int' && !v.big ? this.g.isConst(v.n) : undefined;
      return c === undefined ? undefined : Number(c);
    };
    const start = constOf(decl.getInitializerOrThrow());
    const end = constOf(cond.getRight());
    const op = cond.getOperatorToken().getKind();
    const incText = inc.getText().replace(/\s/g, '');
    const name = decl.getName();
    if (start === undefined || end === undefined) bad();
    const up = [`${name}++`, `++${name}`, `${name}+=1`].includes(incText);
    const down = [`${name}--`, `--${name}`, `${name}-=1`].includes(incText);
    const indices: number[] = [];
    const last = up ? (op === SyntaxKind.LessThanToken ? end - 1 : op === SyntaxKind.LessThanEqualsToken ? end : NaN) : down ? (op === SyntaxKind.GreaterThanToken ? end + 1 : op === SyntaxKind.GreaterThanEqualsToken ? end : NaN) : NaN;
    if (Number.isNaN(last)) bad();
    const count = up ? last - start + 1 : start - last + 1;
    if (count > MAX_UNROLL) this.fail(s, 'TF104', `loop runs ${count} times; the unroll limit is ${MAX_UNROLL}`);
    for (let k = 0; k < count; k++) indices.push(up ? start + k : start - k);
    const body = this.stmts(s.getStatement());
    this.loopVars.add(decl);
    for (const i of indices) {
      flow.env.set(decl, { k: 'int', n: this.g.const(BigInt(i), this.loc(decl)), big: false });
      this.block(body, flow);
    }
    this.loopVars.delete(decl);
    flow.env.delete(decl);
  }

  get specs(): SpecReader {
    return this.cx.specs;
  }

  /** Expression statements: assignments, table writes, calls. */
  private effect(e: Expression, flow: Flow): void {
    if (Node.isVoidExpression(e)) return void this.expr(e.getExpression(), flow);
    if (Node.isBinaryExpression(e)) {
      const op = e.getOperatorToken().getKind();
      const compound: Partial<Record<SyntaxKind, SyntaxKind>> = {
        [SyntaxKind.PlusEqualsToken]: SyntaxKind.PlusToken,
        [SyntaxKind.MinusEqualsToken]: SyntaxKind.MinusToken,
        [SyntaxKind.AsteriskEqualsToken]: SyntaxKind.AsteriskToken,
        [SyntaxKind.AmpersandEqualsToken]: SyntaxKind.AmpersandToken,
        [SyntaxKind.BarEqualsToken]: SyntaxKind.BarToken,
        [SyntaxKind.CaretEqualsToken]: SyntaxKind.CaretToken,
        [SyntaxKind.LessThanLessThanEqualsToken]: SyntaxKind.LessThanLessThanToken,
        [SyntaxKind.GreaterThanGreaterThanEqualsToken]: SyntaxKind.GreaterThanGreaterThanToken,
      };
      if (op === SyntaxKind.EqualsToken) {
        const left = e.getLeft();
        // JavaScript evaluates the target's array and index before the value (a helper called by the value may
        // change the index's variable or state).
        if (Node.isElementAccessExpression(left)) {
          const t = this.vectors.elemTarget(left, flow);
          return this.vectors.writeElem(t, this.expr(e.getRight(), flow), flow, e);
        }
        return this.assign(left, this.expr(e.getRight(), flow), flow, e, e.getRight());
      }
      const base = compound[op];
      if (base !== undefined) {
        const v = this.binary(base, this.expr(e.getLeft(), flow), this.expr(e.getRight(), flow), e, flow);
        return this.assign(e.getLeft(), v, flow, e);
      }
    }
    if (Node.isPostfixUnaryExpression(e) || Node.isPrefixUnaryExpression(e)) {
      const t = e.getOperatorToken();
      if (t === SyntaxKind.PlusPlusToken || t === SyntaxKind.MinusMinusToken) {
        const cur = this.expr(e.getOperand(), flow);
        const one: Val = { k: 'int', n: this.g.const(1n, this.loc(e)), big: cur.k === 'int' && cur.big };
        const v = this.binary(t === SyntaxKind.PlusPlusToken ? SyntaxKind.PlusToken : SyntaxKind.MinusToken, cur, one, e, flow);
        return this.assign(e.getOperand(), v, flow, e);
      }
    }
    if (Node.isCallExpression(e)) return void this.expr(e, flow);
    this.fail(e, 'TF109', 'this expression statement has no effect the compiler understands');
  }

  private assign(target: Expression, v: Val, flow: Flow, at: Node, rhs?: Expression): void {
    if (Node.isIdentifier(target)) {
      const decl = target.getSymbol()?.getDeclarations()[0];
      if (!decl || !flow.env.has(decl)) this.fail(target, 'TF109', `cannot assign to ${target.getText()}: only local variables and state can be assigned`);
      if (this.loopVars.has(decl)) this.fail(target, 'TF104', `${target.getText()} is the index of a loop the compiler unrolls; assigning it in the body would change the trip count at run time`, 'use another variable');
      this.nameValue(v, target.getText());
      flow.env.set(decl, v);
      return;
    }
    if (Node.isPropertyAccessExpression(target)) {
      const obj = this.expr(target.getExpression(), flow);
      const name = target.getName();
      if (obj.k === 'state') {
        const shape = this.cx.shapes.get(name);
        if (!shape) this.fail(target, 'TF109', `unknown state register ${name}`);
        if (shape.kind === 'scalar') flow.env.set(`state:${name}`, this.fit(v, shape.spec, at, `state ${name}`, flow.facts));
        else if (shape.kind === 'record') flow.env.set(`state:${name}`, this.vectors.fitElem(v, shape, at, `state ${name}`, flow.facts));
        else this.vectors.assignState(name, shape, v, flow, at, rhs);
        return;
      }
      if (obj.k === 'params') this.fail(target, 'TF109', `params are written by the host only; ${name} is read-only inside step`);
      if (obj.k === 'record') {
        this.fail(target, 'TF119', `records are values here: a field of one cannot be assigned (in JavaScript every other name for the object would see the change)`, `build a new record: x = { ...x, ${name}: value }`);
      }
    }
    if (Node.isElementAccessExpression(target)) return this.vectors.writeElem(this.vectors.elemTarget(target, flow), v, flow, at);
    this.fail(target, 'TF109', `cannot assign to ${target.getText()}`);
  }

  private nameValue(v: Val, name: string): void {
    if (v.k === 'int' || v.k === 'bool' || v.k === 'char') {
      const n = this.g.get(v.n);
      if (!n.label && n.op !== 'const') n.label = name;
    }
  }

  // ---- checks that keep JavaScript and hardware equal ---------------------------------------------------

  /** Converts v to a value of `spec`, failing if its range may not fit (narrowing must be explicit). */
  fit(v: Val, spec: ScalarSpec, at: Node, what: string, facts?: readonly Fact[]): Val {
    const want = this.scalar(spec, 0);
    if (v.k !== want.k) this.fail(at, 'TF108', `${what} is ${describeSpec(spec)} but the value is a ${this.kindName(v)}`);
    if (v.k === 'int' && want.k === 'int' && v.big !== want.big) {
      this.fail(at, 'TF111', `${what} is ${describeSpec(spec)}, represented as ${want.big ? 'bigint' : 'number'}, but the value is a ${v.big ? 'bigint' : 'number'}`, want.big ? 'convert with BigInt(x)' : 'convert with Number(x) after narrowing');
    }
    let n = this.g.get((v as { n: NodeId }).n);
    const [lo, hi] = specRange(spec);
    if (n.lo < lo || n.hi > hi) {
      // What the path knows may prove it fits (ranges.ts): the value rebuilt at that range.
      n = this.g.get(refine(this.g, facts ?? [], n.id, this.loc(at)));
      if (n.lo >= lo && n.hi <= hi) return { ...(v as { n: NodeId }), n: n.id } as Val;
    }
    if (n.lo < lo || n.hi > hi) {
      this.fail(at, 'TF108', `value may be ${n.lo}..${n.hi}, which does not fit ${what} (${describeSpec(spec)}: ${lo}..${hi})`, `narrow it explicitly: wrap(x, ${describeSpec(spec)}) keeps the low bits, sat(x, ${describeSpec(spec)}) clamps`);
    }
    return v;
  }

  kindName(v: Val): string {
    return v.k === 'int' ? (v.big ? 'bigint' : 'number') : v.k === 'bool' ? 'boolean' : v.k === 'char' ? 'character' : v.k;
  }

  private checkNumber(n: NodeId, at: Node): void {
    const node = this.g.get(n);
    if (node.lo < -NUM_MAX || node.hi > NUM_MAX) {
      this.fail(at, 'TF102', `this number expression may reach ${node.hi > NUM_MAX ? node.hi : node.lo}, beyond 2^53, where JavaScript numbers stop being exact`, 'compute it in bigint: BigInt(a) * BigInt(b)');
    }
    if (node.width > MAX_WIDTH) this.fail(at, 'TF108', `this value needs ${node.width} bits; the limit is ${MAX_WIDTH}`);
  }
  private checkWidth(n: NodeId, at: Node): void {
    if (this.g.get(n).width > MAX_WIDTH) this.fail(at, 'TF108', `this value needs ${this.g.get(n).width} bits; the limit is ${MAX_WIDTH}`);
  }
  private inRange(n: NodeId, [lo, hi]: [bigint, bigint]): boolean {
    const x = this.g.get(n);
    return x.lo >= lo && x.hi <= hi;
  }
  private int32(n: NodeId, at: Node, op: string): void {
    if (!this.inRange(n, INT32)) {
      const x = this.g.get(n);
      this.fail(at, 'TF103', `JavaScript's ${op} works on 32-bit signed integers, but this operand may be ${x.lo}..${x.hi}`, 'use bigint operands (BigInt(x)), or bits(x, hi, lo) to take bits');
    }
  }

  // ---- expressions ---------------------------------------------------------------------------------------

  private cond(e: Expression, flow: Flow): NodeId {
    const v = this.expr(e, flow);
    if (v.k !== 'bool') this.fail(e, 'TF109', `a condition must be a boolean, this is a ${this.kindName(v)}`, 'compare explicitly, e.g. x !== 0');
    return v.n;
  }

  private intOf(v: Val, at: Node): { n: NodeId; big: boolean } {
    if (v.k !== 'int') this.fail(at, 'TF109', `expected an integer, got a ${this.kindName(v)}`);
    return v;
  }

  expr(e: Expression, flow: Flow): Val {
    const loc = this.loc(e);
    if (Node.isParenthesizedExpression(e) || Node.isAsExpression(e) || Node.isNonNullExpression(e) || Node.isSatisfiesExpression(e)) {
      return this.expr(e.getExpression(), flow);
    }
    if (Node.isNumericLiteral(e)) {
      const v = e.getLiteralValue();
      const text = e.getText();
      if (!Number.isInteger(v) || /[.eE]/.test(text.replace(/^0[xXbBoO].*/, ''))) {
        if (!Number.isInteger(v)) this.fail(e, 'TF101', `${text} is not an integer; floating point has no place in bit-exact hardware`, 'use integers, or decimal fixed point (ufixed(32, 4) holds price x 10^4)');
      }
      if (!Number.isSafeInteger(v)) this.fail(e, 'TF102', `${text} is beyond 2^53 and not exact as a JavaScript number`, `write it as a bigint: ${text.replace(/_/g, '')}n`);
      return { k: 'int', n: this.g.const(BigInt(v), loc), big: false };
    }
    if (Node.isBigIntLiteral(e)) return { k: 'int', n: this.g.const(e.getLiteralValue() as bigint, loc), big: true };
    if (e.getKind() === SyntaxKind.TrueKeyword) return { k: 'bool', n: this.g.const(1n, loc) };
    if (e.getKind() === SyntaxKind.FalseKeyword) return { k: 'bool', n: this.g.const(0n, loc) };
    if (e.getKind() === SyntaxKind.UndefinedKeyword || (Node.isIdentifier(e) && e.getText() === 'undefined')) return { k: 'undef' };
    if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) {
      const s = e.getLiteralValue();
      if (s.length !== 1 || s.charCodeAt(0) > 127) this.fail(e, 'TF109', 'only one-character ASCII strings (char values) are supported');
      return { k: 'char', n: this.g.const(BigInt(s.charCodeAt(0)), loc) };
    }
    if (Node.isIdentifier(e)) return this.ident(e, flow);
    if (Node.isPropertyAccessExpression(e)) {
      const decl = declOf(e.getSymbol());
      if (decl && Node.isEnumMember(decl)) {
        const v = decl.getValue();
        if (typeof v === 'string') return { k: 'char', n: this.g.const(BigInt(v.charCodeAt(0)), loc) };
        if (typeof v === 'number' && Number.isInteger(v)) return { k: 'int', n: this.g.const(BigInt(v), loc), big: false };
        this.fail(e, 'TF011', 'enum members need explicit integer or one-character values');
      }
      const pc = this.protocolConst(e);
      if (pc) return pc;
      return this.member(this.expr(e.getExpression(), flow), e.getName(), e, flow);
    }
    if (Node.isPrefixUnaryExpression(e)) return this.prefix(e, flow);
    if (Node.isBinaryExpression(e)) {
      const op = e.getOperatorToken().getKind();
      if (op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken) {
        const a = this.cond(e.getLeft(), flow);
        const and = op === SyntaxKind.AmpersandAmpersandToken;
        // The right operand runs only when the left did not decide: its effects get that predicate.
        // Decided by the left at compile time: JavaScript does not evaluate the right (it may be invalid there).
        if (this.g.isConst(a) === (and ? 0n : 1n)) return { k: 'bool', n: a };
        const sub: Flow = { env: flow.env, pc: this.g.and2(flow.pc, and ? a : this.g.not(a, loc), loc), exits: flow.exits, facts: withFacts(flow.facts, this.g, a, and) };
        const b = this.cond(e.getRight(), sub);
        return { k: 'bool', n: and ? this.g.and2(a, b, loc) : this.g.or2(a, b, loc) };
      }
      if (op === SyntaxKind.EqualsToken || (op >= SyntaxKind.FirstCompoundAssignment && op <= SyntaxKind.LastCompoundAssignment)) {
        this.fail(e, 'TF109', 'assignments inside expressions are not supported', 'assign in a statement of its own');
      }
      if (op === SyntaxKind.QuestionQuestionToken) this.fail(e, 'TF109', '`??` is not supported');
      return this.binary(op, this.expr(e.getLeft(), flow), this.expr(e.getRight(), flow), e, flow);
    }
    if (Node.isConditionalExpression(e)) {
      const c = this.cond(e.getCondition(), flow);
      // A condition known at compile time (a loop index test, say) runs one arm only, as JavaScript does: the other
      // may not even be valid there (v[k + 1] at the last k).
      const known = this.g.isConst(c);
      if (known !== undefined) return this.expr(known === 1n ? e.getWhenTrue() : e.getWhenFalse(), flow);
      const t = this.expr(e.getWhenTrue(), { env: flow.env, pc: this.g.and2(flow.pc, c, loc), exits: flow.exits, facts: withFacts(flow.facts, this.g, c, true) });
      const f = this.expr(e.getWhenFalse(), { env: flow.env, pc: this.g.and2(flow.pc, this.g.not(c, loc), loc), exits: flow.exits, facts: withFacts(flow.facts, this.g, c, false) });
      if (t.k !== f.k) this.fail(e, 'TF109', `the two branches give a ${this.kindName(t)} and a ${this.kindName(f)}`);
      return this.select(c, t, f, loc);
    }
    if (Node.isCallExpression(e)) return this.call(e, flow);
    if (Node.isObjectLiteralExpression(e)) {
      const fields = new Map<string, Val>();
      const at = new Map<string, Node>();
      for (const p of e.getProperties()) {
        if (Node.isSpreadAssignment(p)) {
          // { ...r, price: p }: the fields of r, then the ones written after it (records are values: a copy).
          const r = this.expr(p.getExpression(), flow);
          if (r.k !== 'record') this.fail(p, 'TF109', `only a record can be spread into a record literal; this is a ${this.kindName(r)}`);
          for (const [k, v] of r.fields) fields.set(k, v), at.set(k, p);
          continue;
        }
        if (Node.isPropertyAssignment(p)) fields.set(p.getName(), this.expr(p.getInitializerOrThrow(), flow));
        else if (Node.isShorthandPropertyAssignment(p)) fields.set(p.getName(), this.expr(p.getNameNode(), flow));
        else this.fail(p, 'TF109', 'only `name: value` properties are supported in a record literal');
        at.set(p.getName(), p);
      }
      return { k: 'record', spec: null, fields, at };
    }
    if (Node.isArrayLiteralExpression(e)) {
      // Returning several records: say what a step can emit, not only that arrays allocate.
      let p: Node | undefined = e.getParent();
      while (p && (Node.isAsExpression(p) || Node.isParenthesizedExpression(p) || Node.isSatisfiesExpression(p))) p = p.getParent();
      if (p && Node.isReturnStatement(p) && this.inlining.length === 0 && (this.cx.outputs ?? 1) === 1) {
        this.fail(e, 'TF106', 'a step returns one output record or undefined, not an array of them', 'declare outputs: N (N > 1) to return up to N records per input; or keep what is left in state and emit it on later inputs, or return the records as fields of one wider record');
      }
      return this.vectors.arrayLiteral(e, flow);
    }
    if (Node.isNewExpression(e)) {
      this.fail(e, 'TF106', `new ${e.getExpression().getText()} allocates memory at run time, which hardware cannot do`, 'declare a table({ key, value, capacity }) in the unit for fixed-capacity storage');
    }
    if (Node.isArrowFunction(e) || Node.isFunctionExpression(e)) this.fail(e, 'TF109', 'function values are not supported inside step');
    if (Node.isTemplateExpression(e)) this.fail(e, 'TF109', 'template strings are not supported');
    if (Node.isElementAccessExpression(e)) {
      // params.w[i] of a host-written vector (paramVec); every other indexing is a vector's (vectors.ts).
      const base = e.getExpression();
      let obj: Val | null = null;
      if (Node.isPropertyAccessExpression(base) || Node.isIdentifier(base)) {
        try {
          obj = this.expr(base, flow);
        } catch (err) {
          if (!(err instanceof CompileError)) throw err;
        }
      }
      if (obj?.k === 'pvec') return this.vecElement(obj, e.getArgumentExpression() as Expression, e, flow);
      return this.vectors.readElem(this.vectors.elemTarget(e, flow), flow);
    }
    return this.fail(e, 'TF109', `${e.getKindName()} is not supported in the synthesizable subset`);
  }

  private ident(e: Expression, flow: Flow): Val {
    const parent = e.getParent();
    const sym = parent && Node.isShorthandPropertyAssignment(parent) ? parent.getValueSymbol() : e.getSymbol();
    const decl = declOf(sym);
    if (decl && flow.env.has(decl)) return flow.env.get(decl)!;
    if (decl && Node.isVariableDeclaration(decl)) {
      const list = decl.getVariableStatement();
      if (list && list.getDeclarationKind() !== 'const') this.fail(e, 'TF109', `${e.getText()} is a module-level mutable variable`, 'put it in the unit\'s state');
      const init = decl.getInitializer();
      if (init && isDesignSource(decl.getSourceFile())) {
        try {
          return { k: 'spec', spec: this.specs.spec(init) };
        } catch {
          /* not a type: a constant expression? */
        }
        // A module-level const is evaluated like any expression; it must come out as a compile-time constant.
        const v = this.expr(init, { env: new Map(), pc: this.g.const(1n, this.loc(e)), exits: [] });
        if ((v.k === 'int' || v.k === 'bool' || v.k === 'char') && this.g.isConst(v.n) !== undefined) return v;
        // A constant record (records are values: no write can change it, unlike a module-level array's elements).
        if (v.k === 'record' && [...v.fields.values()].every((f) => (f.k === 'int' || f.k === 'bool' || f.k === 'char') && this.g.isConst(f.n) !== undefined)) return v;
        this.fail(e, 'TF109', `${e.getText()} is a module-level const whose value is not known at compile time`, 'bind it to a literal or to an expression of literals and other such consts');
      }
    }
    return this.fail(e, 'TF109', `${e.getText()} is not a value the compiler can see (only locals, the step's parameters, and constants and types of the design's files)`);
  }

  /** Property access on a compile-time handle or record. */
  private member(obj: Val, name: string, at: Node, flow: Flow | null): Val {
    switch (obj.k) {
      case 'record': {
        const v = obj.fields.get(name);
        if (!v) this.fail(at, 'TF109', `record has no field ${name}`);
        return v;
      }
      case 'ctx':
        if (name === 'params') return { k: 'params' };
        if (name === 'state') return { k: 'state' };
        if (name === 'tables') return { k: 'tables' };
        if (name === 'now') {
          const n = this.g.add({ op: 'now' }, 0n, (1n << BigInt(NOW_WIDTH)) - 1n, this.loc(at));
          this.g.get(n).label = 'now';
          return { k: 'int', n, big: false };
        }
        break;
      case 'params': {
        const vec = this.cx.vecs?.get(name);
        if (vec) return { k: 'pvec', name, ...vec };
        const spec = this.cx.params.get(name);
        if (!spec) break;
        const [lo, hi] = specRange(spec);
        const n = this.g.add({ op: 'param', name }, lo, hi, this.loc(at));
        this.g.get(n).label = `p_${name}`;
        return this.scalar(spec, n);
      }
      case 'tables': {
        const a = this.cx.assocs?.get(name);
        if (a) return { k: 'table', t: a.ways[0], assoc: a };
        const vt = this.cx.vecTables?.get(name);
        if (vt) return { k: 'table', t: vt.elems[0], vtab: vt };
        const t = this.cx.tables.get(name);
        if (!t) break;
        return { k: 'table', t };
      }
      case 'state': {
        const v = flow?.env.get(`state:${name}`);
        if (!v) break;
        const shape = this.cx.shapes.get(name);
        if (v.k === 'vdata' && shape?.kind === 'vec') return { k: 'vec', home: `state:${name}`, len: shape.length, elem: shape.elem };
        return v;
      }
      case 'vec':
        if (name === 'length') return { k: 'int', n: this.g.const(BigInt(obj.len), this.loc(at)), big: false };
        return this.fail(at, 'TF109', `vectors have length and indexing here; not .${name}`, 'write the loop out: for (let k = 0; k < v.length; k++) ...');
    }
    return this.fail(at, 'TF109', `unknown member ${name}`);
  }

  /** params.v[i] of a host-written vector: the element's param node, or a select tree for a computed index. */
  private vecElement(v: Extract<Val, { k: 'pvec' }>, idxExpr: Expression, at: Node, flow: Flow): Val {
    const loc = this.loc(at);
    const idx = this.intOf(this.expr(idxExpr, flow), idxExpr);
    const I = this.g.get(idx.n);
    if (I.lo < 0n || I.hi > BigInt(v.length - 1)) {
      this.fail(idxExpr, 'TF108', `index of ${v.name} may be ${I.lo}..${I.hi}, outside 0..${v.length - 1} (JavaScript would read undefined)`, `narrow it: min(i, ${v.length - 1}), or i & ${v.length - 1} for a power-of-two length`);
    }
    const [lo, hi] = specRange(v.spec);
    if (v.mem) {
      // A host-written memory: one read of the entry (the live bank; rtl/hostmem.ts), whatever the index.
      const n = this.g.add({ op: 'tread', table: v.mem.name, what: 'value', key: idx.n }, lo < 0n ? lo : 0n, hi > 0n ? hi : 0n, loc);
      this.g.get(n).label = `${v.name}_rd`;
      return this.scalar(v.spec, n);
    }
    const elems: NodeId[] = [];
    for (let i = 0; i < v.length; i++) {
      const n = this.g.add({ op: 'param', name: `${v.name}_${i}` }, lo, hi, loc);
      this.g.get(n).label = `p_${v.name}_${i}`;
      elems.push(n);
    }
    return this.scalar(v.spec, selectElement(this.g, elems, idx.n, loc));
  }

  private prefix(e: Node, flow: Flow): Val {
    if (!Node.isPrefixUnaryExpression(e)) throw new Error('internal');
    const loc = this.loc(e);
    const op = e.getOperatorToken();
    const v = this.expr(e.getOperand(), flow);
    switch (op) {
      case SyntaxKind.ExclamationToken:
        if (v.k !== 'bool') this.fail(e, 'TF109', `! applies to booleans; this is a ${this.kindName(v)}`, 'compare explicitly: x === 0');
        return { k: 'bool', n: this.g.not(v.n, loc) };
      case SyntaxKind.MinusToken: {
        const x = this.intOf(v, e);
        const n = this.g.un('neg', x.n, loc);
        if (!x.big) this.checkNumber(n, e);
        return { k: 'int', n, big: x.big };
      }
      case SyntaxKind.PlusToken:
        if (v.k !== 'int' || v.big) this.fail(e, 'TF109', 'unary + converts to a float number; not supported');
        return v;
      case SyntaxKind.TildeToken: {
        const x = this.intOf(v, e);
        if (!x.big) this.int32(x.n, e, '~');
        return { k: 'int', n: this.g.un('not', x.n, loc), big: x.big };
      }
    }
    return this.fail(e, 'TF109', `operator ${e.getText()[0]} is not supported`);
  }

  private binary(op: SyntaxKind, a: Val, b: Val, at: Node, flow: Flow): Val {
    const loc = this.loc(at);
    const cmp: Partial<Record<SyntaxKind, CmpOp>> = {
      [SyntaxKind.EqualsEqualsEqualsToken]: 'eq',
      [SyntaxKind.ExclamationEqualsEqualsToken]: 'ne',
      [SyntaxKind.LessThanToken]: 'lt',
      [SyntaxKind.LessThanEqualsToken]: 'le',
      [SyntaxKind.GreaterThanToken]: 'gt',
      [SyntaxKind.GreaterThanEqualsToken]: 'ge',
    };
    if (op === SyntaxKind.EqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken) {
      this.fail(at, 'TF113', 'loose equality converts between types; its result can differ from a bit comparison', `write ${op === SyntaxKind.EqualsEqualsToken ? '===' : '!=='}`);
    }
    const cc = cmp[op];
    if (cc) {
      if (a.k !== b.k || !('n' in a) || !('n' in b)) this.fail(at, 'TF109', `cannot compare a ${this.kindName(a)} with a ${this.kindName(b)}`);
      if (a.k === 'int' && b.k === 'int' && a.big !== b.big) this.fail(at, 'TF111', 'comparison mixes number and bigint', 'convert one side: BigInt(x)');
      if (a.k === 'bool' && cc !== 'eq' && cc !== 'ne') this.fail(at, 'TF109', 'booleans are only compared with === and !==');
      return { k: 'bool', n: this.g.cmp(cc, a.n, b.n, loc) };
    }
    if (a.k === 'bool' && b.k === 'bool' && (op === SyntaxKind.AmpersandToken || op === SyntaxKind.BarToken || op === SyntaxKind.CaretToken)) {
      this.fail(at, 'TF109', 'bitwise operators on booleans give numbers in JavaScript', 'use && , || or !==');
    }
    const x = this.intOf(a, at);
    let y = this.intOf(b, at);
    if (x.big !== y.big) this.fail(at, 'TF111', 'this operation mixes number and bigint (a TypeError in JavaScript)', 'convert with BigInt(x) or Number(x)');
    const big = x.big;
    const ops: Partial<Record<SyntaxKind, BinOp>> = {
      [SyntaxKind.PlusToken]: 'add',
      [SyntaxKind.MinusToken]: 'sub',
      [SyntaxKind.AsteriskToken]: 'mul',
      [SyntaxKind.AmpersandToken]: 'and',
      [SyntaxKind.BarToken]: 'or',
      [SyntaxKind.CaretToken]: 'xor',
      [SyntaxKind.LessThanLessThanToken]: 'shl',
      [SyntaxKind.GreaterThanGreaterThanToken]: 'shr',
      [SyntaxKind.GreaterThanGreaterThanGreaterThanToken]: 'shr',
      [SyntaxKind.SlashToken]: 'div',
      [SyntaxKind.PercentToken]: 'mod',
    };
    const k = ops[op];
    if (!k) this.fail(at, 'TF109', `operator ${SyntaxKind[op]} is not supported`);
    let Y = this.g.get(y.n);
    if ((k === 'div' || k === 'mod') && Y.lo <= 0n && Y.hi >= 0n) {
      // `if (d === 0) return;` (or d > 0 ? x % d : 0) proves the divisor non-zero on this path (ranges.ts).
      const r = refine(this.g, flow.facts ?? [], y.n, loc);
      if (this.g.get(r).lo > 0n || this.g.get(r).hi < 0n) (y = { ...y, n: r }), (Y = this.g.get(r));
    }
    if (k === 'div' && !big) {
      this.fail(at, 'TF101', '`/` on numbers gives a floating-point quotient', 'use div(a, b) (truncating integer division) or a shift');
    }
    if ((k === 'div' || k === 'mod') && Y.lo <= 0n && Y.hi >= 0n) {
      this.fail(at, 'TF110', `the divisor may be zero (it ranges over ${Y.lo}..${Y.hi}); JavaScript would give ${big ? 'a RangeError' : 'NaN'}`, 'use div(a, b) / mod(a, b), which define x/0 = 0 and x%0 = x');
    }
    if (k === 'shl' || k === 'shr') {
      if (Y.lo < 0n) this.fail(at, 'TF109', 'shift amounts must be non-negative');
      if (!big) {
        if (Y.hi > 31n) this.fail(at, 'TF103', `JavaScript shifts numbers by (amount mod 32), and this amount may be ${Y.hi}`, 'use bigint operands for wide shifts');
        if (op === SyntaxKind.GreaterThanGreaterThanGreaterThanToken) {
          if (!this.inRange(x.n, [0n, 2n ** 32n - 1n])) {
            const X = this.g.get(x.n);
            this.fail(at, 'TF103', `>>> works on 32-bit unsigned integers, but this operand may be ${X.lo}..${X.hi}`, 'use bigint operands, or bits(x, hi, lo)');
          }
        } else this.int32(x.n, at, op === SyntaxKind.LessThanLessThanToken ? '<<' : '>>');
      } else if (Y.hi > 128n) this.fail(at, 'TF108', `shift amount may be ${Y.hi}; the limit is 128`);
    }
    if (!big && (k === 'and' || k === 'or' || k === 'xor')) {
      this.int32(x.n, at, SyntaxKind[op] === 'AmpersandToken' ? '&' : SyntaxKind[op] === 'BarToken' ? '|' : '^');
      this.int32(y.n, at, SyntaxKind[op] === 'AmpersandToken' ? '&' : SyntaxKind[op] === 'BarToken' ? '|' : '^');
    }
    let n = this.g.bin(k, x.n, y.n, loc);
    if (k === 'sub') n = narrowSub(this.g, flow.facts ?? [], n, loc);
    if (!big && k === 'shl') this.int32(n, at, '<<');
    if (big) this.checkWidth(n, at);
    else this.checkNumber(n, at);
    return { k: 'int', n, big };
  }

  // ---- calls ---------------------------------------------------------------------------------------------

  private call(e: Node, flow: Flow): Val {
    if (!Node.isCallExpression(e)) throw new Error('internal');
    const loc = this.loc(e);
    const callee = e.getExpression();
    const args = e.getArguments() as Expression[];
    // Table methods.
    if (Node.isPropertyAccessExpression(callee)) {
      const recv = callee.getExpression();
      const method = callee.getName();
      if (recv.getText() === 'String' && method === 'fromCharCode' && args.length === 1) {
        // A character from its ASCII code: the same 8 bits; the code must be provably 0..127.
        const v = this.intOf(this.expr(args[0], flow), args[0]);
        const n = this.g.get(v.n);
        if (v.big || n.lo < 0n || n.hi > 127n) this.fail(args[0], 'TF108', `String.fromCharCode needs a number in 0..127 (an ASCII code); this one may be ${n.lo}..${n.hi}`, 'narrow it first, e.g. bits(x, 6, 0)');
        return { k: 'char', n: v.n };
      }
      if (recv.getText() === 'Array' && method === 'from') return this.vectors.arrayFrom(e, args, flow);
      if (recv.getText() === 'Math') {
        if ((method === 'min' || method === 'max') && args.length === 2) return this.minmax(method, args, e, flow);
        this.fail(e, 'TF101', `Math.${method} computes in floating point`, 'use integer operations; min/max are available from tickforge/dsl');
      }
      let obj: Val | null = null;
      try {
        obj = this.expr(recv, flow);
      } catch (err) {
        if (!(err instanceof CompileError)) throw err; // not a value of ours: an opaque call, reported below
      }
      if (obj?.k === 'table' && obj.vtab) return this.vecTableOp(obj.vtab, method, args, e, flow);
      if (obj?.k === 'table') return this.honestTableOp(obj, method, args, e, flow) ?? this.tableOp(obj.t, method, args, e, flow);
      if (obj?.k === 'vec' && method === 'map') return this.vectors.map(obj, args, e, flow);
      if (obj?.k === 'vec') {
        this.fail(e, 'TF106', `a vector has a fixed length and no methods: ${method}() is not supported`, 'index it (v[i] = x) and loop over it (for (let k = 0; k < v.length; k++)); a shift is a loop of v[k] = v[k - 1]');
      }
      if (obj?.k === 'char' && method === 'charCodeAt' && args.length === 1 && this.specs.constValue(args[0]) === 0) {
        return { k: 'int', n: obj.n, big: false }; // a character's ASCII code: the same 8 bits
      }
    }
    const name = this.specs.dslName(callee);
    if (name !== undefined && PROTOCOL_ACCESSORS.has(name)) return lowerProtocolCall(name, args, e, this.accessorHost(flow));
    const pc = name !== undefined ? this.protocolConst(e) : undefined;
    if (pc) return pc;
    if (name !== undefined) return this.intrinsic(name, args, e, flow);
    if (Node.isIdentifier(callee)) {
      const t = callee.getText();
      if (t === 'BigInt' || t === 'Number') {
        const v = this.intOf(this.expr(args[0], flow), args[0]);
        if (t === 'BigInt') return { k: 'int', n: v.n, big: true };
        this.checkNumber(v.n, e);
        return { k: 'int', n: v.n, big: false };
      }
      const decl = declOf(callee.getSymbol());
      const fn =
        decl && Node.isFunctionDeclaration(decl)
          ? decl
          : decl && Node.isVariableDeclaration(decl) && (Node.isArrowFunction(decl.getInitializer()) || Node.isFunctionExpression(decl.getInitializer()))
            ? (decl.getInitializer() as FnDecl)
            : undefined;
      if (fn && isDesignSource(fn.getSourceFile()) && fn.getBody()) return this.inline(fn, args, e, flow);
      void loc;
    }
    return this.fail(e, 'TF107', `cannot see into ${callee.getText()}(): only functions with a body in the design's own files (this one or one it imports), tickforge/dsl intrinsics and table methods can be compiled`, 'move the logic into a function in a design file, or compute it on the host and pass it as a param');
  }

  private inline(fn: FnDecl, args: Expression[], at: Node, flow: Flow): Val {
    if (this.inlining.includes(fn)) {
      this.fail(at, 'TF105', `${fn.getSymbol()?.getName() ?? 'this function'} calls itself; recursion has no bound in hardware`, 'rewrite it as a loop with a constant bound', { node: fn, message: 'function declared here' });
    }
    // Arguments first: an array literal argument puts its elements into the caller's environment, which the
    // helper's starts from.
    const vals = fn.getParameters().map((p, idx) => {
      const a = args[idx];
      if (!a) this.fail(at, 'TF109', `missing argument ${p.getName()}`);
      return this.expr(a, flow);
    });
    return this.inlineVals(fn, vals, at, flow);
  }

  /** inline() with the arguments' values given. */
  inlineVals(fn: FnDecl, vals: Val[], at: Node, flow: Flow): Val {
    const params = fn.getParameters();
    const env: Env = new Map(flow.env);
    params.forEach((p, idx) => this.bindParam(p, vals[idx], env));
    this.inlining.push(fn);
    // A call on a path that never runs (pc constant false) is still lowered, under a true predicate, for its value's
    // kind; its effects are discarded (the value is never selected).
    const dead = this.g.isConst(flow.pc) === 0n;
    const savedWrites = new Map(this.writes);
    const restoreWrites = () => {
      this.writes.clear();
      for (const [k, v] of savedWrites) this.writes.set(k, v);
    };
    let result: Val | null = null;
    if (!dead && this.g.isConst(flow.pc) !== 1n) {
      // A helper without effects is lowered under its own predicates, not the caller's: its value is only used where
      // the caller's path runs, and selecting it by `pc && c` would make a pure function of the record depend on
      // whatever decided pc (state, in a step), which puts it on the state's loop or in its stage.
      try {
        const r = this.inlineBody(fn, at, new Map(env), this.g.const(1n, this.loc(at)), flow.facts);
        const same = [...flow.env.keys()].every((key) => r.exits.every((x) => x.env.get(key) === flow.env.get(key)));
        const noWrites = this.writes.size === savedWrites.size && [...this.writes].every(([k, v]) => savedWrites.get(k) === v);
        if (same && noWrites) {
          result = r.result;
          for (const [key, v] of r.outEnv) if (v.k === 'vdata' && !flow.env.has(key)) flow.env.set(key, v); // arrays it made
        }
      } catch (err) {
        if (!(err instanceof CompileError)) throw err;
      }
      if (result === null) restoreWrites();
    }
    if (result === null) {
      const r = this.inlineBody(fn, at, env, dead ? this.g.const(1n, this.loc(at)) : flow.pc, flow.facts);
      result = r.result;
      if (!dead) for (const key of flow.env.keys()) flow.env.set(key, r.outEnv.get(key)!);
      for (const [key, v] of r.outEnv) if (v.k === 'vdata' && !flow.env.has(key)) flow.env.set(key, v); // arrays it made
      if (dead) restoreWrites();
    }
    this.inlining.pop();
    return result;
  }

  /**
   * A helper whose value is used must return the same kind of value on every path that may run: `undefined` on one
   * and a record on another (or a record and an array) has no one hardware value, and selecting between them would
   * silently keep one (the step's own returns are where "no output" is expressed). A call whose value is dropped
   * (an expression statement) may mix them.
   */
  private sameKindExits(fn: FnDecl, at: Node, exits: Exit[]): void {
    if (Node.isExpressionStatement(at.getParent())) return;
    const live = exits.filter((x) => this.g.isConst(x.pc) !== 0n);
    const kinds = new Set(live.map((x) => (x.val.k === 'vdata' || x.val.k === 'vec' ? 'an array' : x.val.k === 'undef' ? 'undefined' : x.val.k === 'record' ? 'a record' : 'a scalar')));
    if (kinds.size < 2) return;
    const name = fn.getSymbol()?.getName() ?? 'this helper';
    const undef = live.find((x) => x.val.k === 'undef');
    this.fail(
      at,
      'TF106',
      `${name}() returns different kinds of value on different paths (${[...kinds].join(', ')}), and its value is used: a value has one kind in hardware`,
      kinds.has('undefined') ? 'return a value on every path (a flag field saying whether it holds something), and return undefined from step itself' : 'return one kind of value on every path',
      undef?.at ? { node: undef.at, message: 'returns undefined here' } : { node: fn, message: 'declared here' },
    );
  }

  /** The body of `fn` lowered under predicate `pc` with parameters bound in `env`: its value and the merged env. */
  private inlineBody(fn: FnDecl, at: Node, env: Env, pc: NodeId, facts?: Fact[]): { result: Val; exits: Exit[]; outEnv: Env } {
    const sub: Flow = { env, pc, exits: [], facts };
    const body = fn.getBody()!;
    const loc = this.loc(at);
    if (!Node.isBlock(body)) return { result: this.expr(body as Expression, sub), exits: [{ pc, val: { k: 'undef' }, env }], outEnv: env };
    this.block(body.getStatements(), sub);
    const exits = sub.exits;
    if (this.g.isConst(sub.pc) !== 0n) exits.push({ pc: sub.pc, val: { k: 'undef' }, env: sub.env });
    this.sameKindExits(fn, at, exits);
    let result = exits[exits.length - 1].val;
    let outEnv = exits[exits.length - 1].env;
    for (let j = exits.length - 2; j >= 0; j--) {
      result = this.select(exits[j].pc, exits[j].val, result, loc);
      const merged: Env = new Map();
      for (const key of outEnv.keys()) if (exits[j].env.has(key)) merged.set(key, this.select(exits[j].pc, exits[j].env.get(key)!, outEnv.get(key)!, loc));
      outEnv = merged;
    }
    return { result, exits, outEnv };
  }

  /** A protocol query known at compile time (itch.AddOrder.length, fieldOffset(...)) as a constant, or undefined. */
  private protocolConst(e: Expression): Val | undefined {
    const v = this.specs.protocolValue(e);
    const loc = this.loc(e);
    if (typeof v === 'number' && Number.isSafeInteger(v)) return { k: 'int', n: this.g.const(BigInt(v), loc), big: false };
    if (typeof v === 'string' && v.length === 1) return { k: 'char', n: this.g.const(BigInt(v.charCodeAt(0)), loc) };
    return undefined;
  }

  /** What the protocol accessors (codegen/frontend/protocols.ts) need of the lowerer, under `flow`. */
  private accessorHost(flow: Flow): AccessorHost {
    return {
      g: this.g,
      loc: (n) => this.loc(n),
      literal: (x) => this.specs.constValue(x),
      fail: (n, m) => this.fail(n, 'TF109', m),
      failCode: (n, code, m, hint) => this.fail(n, code, m, hint),
      int: (x) => {
        const v = this.expr(x, flow);
        if (v.k !== 'int' && v.k !== 'char') this.fail(x, 'TF109', `expected an integer or a character, got a ${this.kindName(v)}`);
        return v;
      },
      constant: (x) => {
        const v = this.expr(x, flow);
        const c = v.k === 'int' ? this.g.isConst(v.n) : undefined;
        if (c === undefined || c < -4096n || c > 4096n) this.fail(x, 'TF109', `${x.getText()} must be known at compile time (a literal, a const, or a for-loop index)`);
        return Number(c);
      },
      slice: (x, hi, lo, loc) => this.sliceOf(x, hi, lo, loc),
    };
  }

  private minmax(kind: 'min' | 'max', args: Expression[], at: Node, flow: Flow): Val {
    const a = this.intOf(this.expr(args[0], flow), args[0]);
    const b = this.intOf(this.expr(args[1], flow), args[1]);
    if (a.big !== b.big) this.fail(at, 'TF111', `${kind}() mixes number and bigint`);
    return { k: 'int', n: this.g.bin(kind, a.n, b.n, this.loc(at)), big: a.big };
  }

  private intrinsic(name: string, args: Expression[], at: Node, flow: Flow): Val {
    const loc = this.loc(at);
    switch (name) {
      case 'wrap':
      case 'sat': {
        const v = this.intOf(this.expr(args[0], flow), args[0]);
        const spec = this.specs.spec(args[1]);
        if (spec.kind !== 'uint' && spec.kind !== 'sint') this.fail(args[1], 'TF109', `${name}() needs an integer type`);
        const [lo, hi] = specRange(spec);
        const n = name === 'wrap' ? this.g.wrap(v.n, lo, hi, loc) : this.g.sat(v.n, lo, hi, loc);
        return { k: 'int', n, big: spec.width > 53 };
      }
      case 'bits':
      case 'bitsBig':
      case 'bit': {
        const v = this.intOf(this.expr(args[0], flow), args[0]);
        const hi = this.constInt(args[1], flow);
        const lo = name === 'bit' ? hi : this.constInt(args[2], flow);
        if (lo < 0 || hi < lo || hi > 127 || (name === 'bits' && hi - lo + 1 > 53) || (name === 'bitsBig' && hi - lo + 1 > 64)) {
          this.fail(at, 'TF109', `bad bit range [${hi}:${lo}]`, name === 'bits' ? 'bits() returns a number (at most 53 bits); use bitsBig() for wider slices' : undefined);
        }
        const n = this.sliceOf(v.n, hi, lo, loc);
        if (name === 'bit') return { k: 'bool', n };
        return { k: 'int', n, big: name === 'bitsBig' };
      }
      case 'div':
      case 'mod': {
        const a = this.intOf(this.expr(args[0], flow), args[0]);
        const b = this.intOf(this.expr(args[1], flow), args[1]);
        if (a.big !== b.big) this.fail(at, 'TF111', `${name}() mixes number and bigint`);
        const n = this.g.bin(name, a.n, b.n, loc);
        return { k: 'int', n, big: a.big };
      }
      case 'min':
      case 'max':
        return this.minmax(name, args, at, flow);
      case 'roundShift':
        return this.roundShift(args, at, flow);
    }
    return this.fail(at, 'TF107', `${name}() from tickforge/dsl cannot be used inside step`);
  }

  /**
   * roundShift(x, k, mode) (dsl/fixed.ts): (x + bias) >> k, the bias chosen by the rounding mode, so the hardware is
   * one adder and a shift. floor: 0; ceil: 2^k - 1; zero: 2^k - 1 when x < 0; half-up: 2^(k-1); half-even:
   * 2^(k-1) - 1 + bit k of x (a tie then rounds up exactly when the quotient's lowest bit is odd).
   */
  private roundShift(args: Expression[], at: Node, flow: Flow): Val {
    const loc = this.loc(at);
    if (args.length !== 3) this.fail(at, 'TF109', 'roundShift(x, k, mode) takes three arguments');
    const v = this.intOf(this.expr(args[0], flow), args[0]);
    const k = this.constInt(args[1], flow);
    if (k > 64) this.fail(args[1], 'TF109', `roundShift: shift ${k} is above 64`);
    const mode = this.specs.constValue(args[2]);
    if (typeof mode !== 'string' || !ROUNDINGS.includes(mode as Rounding)) this.fail(args[2], 'TF109', `roundShift: rounding must be one of ${ROUNDINGS.map((r) => `'${r}'`).join(', ')}`);
    if (k === 0) return { k: 'int', ...v };
    const K = BigInt(k);
    const c = (x: bigint) => this.g.const(x, loc);
    let bias: NodeId;
    switch (mode as Rounding) {
      case 'floor':
        bias = c(0n);
        break;
      case 'ceil':
        bias = c((1n << K) - 1n);
        break;
      case 'zero':
        bias = this.g.mux(this.g.cmp('lt', v.n, c(0n), loc), c((1n << K) - 1n), c(0n), loc);
        break;
      case 'half-up':
        bias = c(1n << (K - 1n));
        break;
      case 'half-even':
        bias = this.g.bin('add', c((1n << (K - 1n)) - 1n), this.sliceOf(v.n, k, k, loc), loc);
        break;
    }
    const sum = this.g.bin('add', v.n, bias!, loc);
    if (v.big) this.checkWidth(sum, at);
    else this.checkNumber(sum, at);
    return { k: 'int', n: this.g.bin('shr', sum, c(K), loc), big: v.big };
  }

  /** An argument that must be known at compile time (a literal, a const, or an unrolled loop's index). */
  private constInt(e: Expression, flow: Flow): number {
    const v = this.expr(e, flow);
    const c = v.k === 'int' ? this.g.isConst(v.n) : undefined;
    if (c === undefined || c < 0n || c > 1024n) this.fail(e, 'TF109', `${e.getText()} must be a constant bit position (a literal, a const, or a for-loop index)`);
    return Number(c);
  }

  /** Bits [hi:lo] of x's infinite two's-complement representation. */
  private sliceOf(x: NodeId, hi: number, lo: number, loc: Loc): NodeId {
    const X = this.g.get(x);
    if (hi >= X.width) {
      // Bits above the node's width repeat its sign bit (or are zero): extend explicitly so the slice is plain.
      // (A wrap node with a wider range is an extension; the builder's identity shortcut must not apply.)
      const top = 1n << BigInt(hi);
      const wide = X.signed ? this.g.add({ op: 'wrap', a: x }, -top, top - 1n, loc) : this.g.add({ op: 'wrap', a: x }, 0n, 2n * top - 1n, loc);
      return this.g.slice(wide, hi, lo, loc);
    }
    return this.g.slice(x, hi, lo, loc);
  }

  /** Tables written by replace() in this event (codegen/frontend/tables.ts). */
  private readonly evicting = new Set<string>();

  /** lookup/replace/peek, and every operation of a set-associative table; null: tableOp's (has/get/set/delete). */
  private honestTableOp(obj: Extract<Val, { k: 'table' }>, method: string, args: Expression[], at: Node, flow: Flow): Val | null {
    const t = obj.t;
    const shown = obj.assoc?.name ?? t.name;
    for (const w of obj.assoc?.ways ?? [t]) {
      if (this.evicting.has(w.name)) this.fail(at, 'TF112', `table ${shown} was written by replace() earlier in this event; read it before the replace`);
    }
    if (!obj.assoc && !['lookup', 'replace', 'peek', 'owner'].includes(method)) return null;
    const key = (this.fit(this.expr(args[0], flow), t.key, args[0], `key of table ${shown}`) as { n: NodeId }).n;
    const cx: TableOpCx = {
      g: this.g,
      writes: this.writes,
      evicting: this.evicting,
      pc: flow.pc,
      loc: this.loc(at),
      at,
      zero: zeroCode(t.value),
      fail: (message, code = 'TF109') => this.fail(at, code, message, code === 'TF112' ? TWO_WRITES_HINT : undefined),
      value: () => {
        if (!args[1]) this.fail(at, 'TF109', `${method} needs a value`);
        return (this.fit(this.expr(args[1], flow), t.value, args[1], `value of table ${shown}`) as { n: NodeId }).n;
      },
    };
    const r = obj.assoc ? assocOp(cx, obj.assoc, method, key) : directOp(cx, t, method, key);
    if (!r) return null;
    if (r.kind === 'bool') return { k: 'bool', n: r.n };
    if (r.kind === 'int') return { k: 'int', n: r.n, big: false };
    if (r.kind === 'key') return this.scalar(t.key, r.n);
    return this.scalar(t.value, r.n);
  }

  /**
   * has / get / set / delete on a table whose value is a vector (index.ts): each on every element's table, the key
   * evaluated once. get gives a fresh vector (the model's get returns a copy); set takes a vector of the table's
   * length. The element tables are always written together, so element 0's has/set result is the table's.
   */
  private vecTableOp(vt: VecTableIR, method: string, args: Expression[], at: Node, flow: Flow): Val {
    if (!['has', 'get', 'set', 'delete'].includes(method)) {
      this.fail(at, 'TF109', `a table whose value is a vector has has, get, set and delete; not ${method}`, 'use has() to tell a hit from a miss');
    }
    if (!args[0]) this.fail(at, 'TF109', `${method} needs a key`);
    const key = this.expr(args[0], flow);
    const n = vt.elems.length;
    if (method === 'has') return this.tableOp(vt.elems[0], 'has', args, at, flow, { key });
    if (method === 'delete') return vt.elems.map((t) => this.tableOp(t, 'delete', args, at, flow, { key }))[0];
    if (method === 'get') {
      const elems = vt.elems.map((t) => this.tableOp(t, 'get', args, at, flow, { key }));
      const home = {};
      flow.env.set(home, { k: 'vdata', elems });
      return { k: 'vec', home, len: n, elem: null };
    }
    if (!args[1]) this.fail(at, 'TF109', 'set needs a value');
    const v = this.expr(args[1], flow);
    if (v.k !== 'vec') this.fail(args[1], 'TF108', `table ${vt.name} holds vectors of ${n}; this is a ${this.kindName(v)}`);
    const elems = this.vectors.vdata(v, flow, args[1]).elems;
    if (elems.length !== n) this.fail(args[1], 'TF108', `table ${vt.name} holds vectors of ${n}; this one has ${elems.length}`);
    return vt.elems.map((t, i) => this.tableOp(t, 'set', args, at, flow, { key, value: elems[i] }))[0];
  }

  /** has / get / set / delete on table t; `pre` gives the key (and value) already evaluated (vecTableOp). */
  private tableOp(t: TableIR, method: string, args: Expression[], at: Node, flow: Flow, pre?: { key: Val; value?: Val }): Val {
    const loc = this.loc(at);
    const key = this.fit(pre?.key ?? this.expr(args[0], flow), t.key, args[0], `key of table ${t.name}`, flow.facts) as { n: NodeId };
    const [vlo, vhi] = specRange(t.value);
    const w = this.writes.get(t.name);
    // A read after this event's writes sees them (sequential semantics); forward each, later outermost, when keys
    // match (exact for set/delete, which never write over another key; reads after replace() are TF112).
    const fwd = (raw: NodeId, written: (w: TableWrite) => NodeId): NodeId =>
      writesOf(w).reduce((r, x) => this.g.mux(this.g.and2(x.en, this.g.cmp('eq', x.key, key.n, loc), loc), written(x), r, loc), raw);
    // After two writes, forwarded by slot (tables.ts): the first write's enable is off when the second hits its
    // slot, which a forward by key would miss.
    const bySlot = (what: 'has' | 'value') => readForwarded({ g: this.g, loc, writes: this.writes }, t, what, key.n);
    if (w?.next && method === 'has') return { k: 'bool', n: bySlot('has') };
    if (w?.next && method === 'get') return this.scalar(t.value, this.g.mux(bySlot('has'), bySlot('value'), this.g.const(zeroCode(t.value), loc), loc));
    switch (method) {
      case 'has': {
        const raw = this.g.add({ op: 'tread', table: t.name, what: 'has', key: key.n }, 0n, 1n, loc);
        return { k: 'bool', n: fwd(raw, (wr) => this.g.not(wr.del, loc)) };
      }
      case 'get': {
        // The slot's value, selected by the hit: a miss reads the value type's zero (the model's zeroOf; for an enum
        // without a 0 member, its first member). Kept as a select so that arithmetic on the value can be done on both
        // arms while the tag compare settles (GraphBuilder.missSelect).
        const raw = this.g.add({ op: 'tread', table: t.name, what: 'value', key: key.n }, vlo < 0n ? vlo : 0n, vhi > 0n ? vhi : 0n, loc);
        const zero = this.g.const(zeroCode(t.value), loc);
        const missAware = this.g.mux(this.g.add({ op: 'tread', table: t.name, what: 'has', key: key.n }, 0n, 1n, loc), raw, zero, loc);
        return this.scalar(t.value, fwd(missAware, (wr) => this.g.mux(wr.del, zero, wr.value, loc)));
      }
      case 'set':
      case 'delete': {
        const del = method === 'delete';
        let value: NodeId;
        let ok: NodeId;
        // Whether the write happens: after an earlier write in this event, as that write left the slot (forwarded
        // by slot: a delete frees the slot for another key; tables.ts).
        const test = (what: 'has' | 'free') =>
          w ? readForwarded({ g: this.g, loc, writes: this.writes }, t, what, key.n) : this.g.add({ op: 'tread', table: t.name, what, key: key.n }, 0n, 1n, loc);
        if (del) {
          value = this.g.const(0n, loc);
          ok = test('has');
        } else {
          const v = this.fit(pre?.value ?? this.expr(args[1], flow), t.value, args[1], `value of table ${t.name}`, flow.facts) as { n: NodeId };
          value = v.n;
          ok = test('free');
        }
        const en = this.g.and2(flow.pc, ok, loc);
        addWrite(this.g, this.writes, t, { en, key: key.n, value, del: this.g.const(del ? 1n : 0n, loc), loc }, (message, first) => {
          throw new CompileError([{ code: 'TF112', loc, message, hint: TWO_WRITES_HINT, ...(first ? { related: { loc: first, message: 'second write here' } } : {}) }]);
        });
        return { k: 'bool', n: ok };
      }
    }
    return this.fail(at, 'TF109', `tables have has, get, set and delete; not ${method}`);
  }
}


/** Bit pattern of a type's zero value, as the model's table miss returns it. */
function zeroCode(spec: ScalarSpec): bigint {
  const z = zeroOf(spec);
  if (spec.kind === 'enum') return BigInt(enumCode(spec, z));
  if (typeof z === 'string') return BigInt(z.charCodeAt(0));
  if (typeof z === 'boolean') return z ? 1n : 0n;
  return BigInt(z as number | bigint);
}

/** Whether `scope` assigns the variable declared by `decl` (=, a compound assignment, ++ or --). */
function assignsTo(scope: Node, decl: Node): boolean {
  const target = (e: Node) => Node.isIdentifier(e) && declOf(e.getSymbol()) === decl;
  return scope.getDescendants().some((n) => {
    if (Node.isBinaryExpression(n)) {
      const k = n.getOperatorToken().getKind();
      return (k === SyntaxKind.EqualsToken || (k >= SyntaxKind.FirstCompoundAssignment && k <= SyntaxKind.LastCompoundAssignment)) && target(n.getLeft());
    }
    if (Node.isPrefixUnaryExpression(n) || Node.isPostfixUnaryExpression(n)) {
      const t = n.getOperatorToken();
      return (t === SyntaxKind.PlusPlusToken || t === SyntaxKind.MinusMinusToken) && target(n.getOperand());
    }
    return false;
  });
}

