// The unit's `state` declarations: scalar registers, records and vectors of registers (dsl/vec.ts). Records and
// vectors are flattened here into scalar registers named by their path (`bids_3_price`), so the IR, the timing
// model and both back ends only ever see scalars; the front end keeps each declaration's shape to lower
// `ctx.state.bids[i].price` onto those registers (docs/semantics.md §12).
import { Node, type Expression } from 'ts-morph';
import type { ScalarSpec } from '../../dsl/types.ts';
import { specRange } from '../../dsl/types.ts';
import type { RecordSpec } from '../../dsl/record.ts';
import { MAX_VEC_LENGTH } from '../../dsl/vec.ts';
import { zeroOf } from '../../dsl/table.ts';
import { enumCode } from '../../dsl/types.ts';
import type { RegIR } from '../ir.ts';
import type { SpecReader } from './specs.ts';

/** The type of one state declaration, as the compiler reads it. */
export type StateShape =
  | { kind: 'scalar'; spec: ScalarSpec }
  | { kind: 'record'; spec: RecordSpec }
  | { kind: 'vec'; elem: { kind: 'scalar'; spec: ScalarSpec } | { kind: 'record'; spec: RecordSpec }; length: number };

/** Name of the scalar register holding one leaf: the declaration, the element index, the record field. */
export function leafName(name: string, index?: number, field?: string): string {
  return [name, ...(index === undefined ? [] : [String(index)]), ...(field === undefined ? [] : [field])].join('_');
}

export interface StateDecls {
  /** Flattened scalar registers, in declaration order (element by element, field by field). */
  regs: RegIR[];
  /** Each declaration's shape, by name (scalars included). */
  shapes: Map<string, StateShape>;
}

export function readState(entries: Array<[string, Expression]>, specs: SpecReader, callOf: (e: Expression, fn: string) => Expression[]): StateDecls {
  const regs: RegIR[] = [];
  const shapes = new Map<string, StateShape>();
  const taken = new Map<string, string>();
  const push = (r: RegIR, decl: string, at: Node) => {
    const other = taken.get(r.name);
    if (other !== undefined) specs.fail(at, 'TF011', `state ${decl} needs a register named ${r.name}, which state ${other} already has`, 'rename one of them');
    taken.set(r.name, decl);
    regs.push(r);
  };
  for (const [k, v] of entries) {
    const call = callOf(v, 'reg');
    const shape = stateShape(call[0], specs);
    shapes.set(k, shape);
    if (shape.kind === 'scalar') {
      let status: RegIR['status'];
      const opts = call[2];
      if (opts) {
        if (!Node.isObjectLiteralExpression(opts)) specs.fail(opts, 'TF011', 'reg options are an object literal: { status: true, doc: "..." }');
        const o = new Map(specs.props(opts));
        const flag = o.get('status') && specs.constValue(o.get('status')!);
        const doc = o.get('doc') && specs.constValue(o.get('doc')!);
        if (flag === true) status = { words: Math.ceil(shape.spec.width / 32), doc: typeof doc === 'string' ? doc : undefined };
      }
      push({ name: k, spec: shape.spec, init: initValue(call[1], shape.spec, specs), status }, k, v);
      continue;
    }
    const init = call[1];
    if (shape.kind === 'record') {
      const inits = recordInit(init, shape.spec, specs);
      for (const f of shape.spec.fields) push({ name: leafName(k, undefined, f.name), spec: f.spec, init: inits.get(f.name)! }, k, v);
      continue;
    }
    let elems: Array<Expression | undefined> = Array.from({ length: shape.length }, () => undefined);
    if (init) {
      const lit = specs.resolveConst(init);
      if (!Node.isArrayLiteralExpression(lit)) specs.fail(init, 'TF011', 'a vector register\'s initial value is an array literal of its elements (or omit it for zeros)');
      const xs = lit.getElements() as Expression[];
      if (xs.length !== shape.length) specs.fail(init, 'TF108', `the initial value has ${xs.length} elements; the vector has ${shape.length}`);
      elems = xs;
    }
    elems.forEach((e, idx) => {
      if (shape.elem.kind === 'scalar') push({ name: leafName(k, idx), spec: shape.elem.spec, init: e ? initValue(e, shape.elem.spec, specs) : zeroCode(shape.elem.spec) }, k, v);
      else {
        const inits = recordInit(e, shape.elem.spec, specs);
        for (const f of shape.elem.spec.fields) push({ name: leafName(k, idx, f.name), spec: f.spec, init: inits.get(f.name)! }, k, v);
      }
    });
  }
  return { regs, shapes };
}

/** reg()'s first argument: a scalar type, a record, or vec(elem, length); a table's value (index.ts) too. */
export function stateShape(e: Expression, specs: SpecReader): StateShape {
  const c = specs.resolveConst(e);
  if (Node.isCallExpression(c) && specs.dslName(c.getExpression()) === 'vec') {
    const [elemArg, lenArg] = c.getArguments() as Expression[];
    if (!elemArg || !lenArg) specs.fail(c, 'TF011', 'vec(elem, length): an element type and a constant length');
    const length = specs.int(lenArg);
    if (length < 1 || length > MAX_VEC_LENGTH) specs.fail(lenArg, 'TF011', `vector length must be in 1..${MAX_VEC_LENGTH}`);
    const inner = stateShape(elemArg, specs);
    if (inner.kind === 'vec') specs.fail(elemArg, 'TF011', 'a vector of vectors is not supported', 'use a vector of records');
    return { kind: 'vec', elem: inner, length };
  }
  if (Node.isCallExpression(c) && specs.dslName(c.getExpression()) === 'record') return { kind: 'record', spec: specs.record(c) };
  return { kind: 'scalar', spec: specs.spec(e) };
}

function recordInit(e: Expression | undefined, r: RecordSpec, specs: SpecReader): Map<string, bigint> {
  const out = new Map<string, bigint>();
  if (!e) {
    for (const f of r.fields) out.set(f.name, zeroCode(f.spec));
    return out;
  }
  const lit = specs.resolveConst(e);
  if (!Node.isObjectLiteralExpression(lit)) specs.fail(e, 'TF011', `a ${r.name} initial value is an object literal of its fields`);
  const given = new Map(specs.props(lit));
  for (const [k] of given) if (!r.fields.some((f) => f.name === k)) specs.fail(lit, 'TF108', `${r.name} has no field ${k}`);
  for (const f of r.fields) {
    const x = given.get(f.name);
    if (!x) specs.fail(lit, 'TF108', `the initial ${r.name} lacks field ${f.name}`);
    out.set(f.name, initValue(x, f.spec, specs));
  }
  return out;
}

/** Bit pattern of a type's zero value, as dsl/vec.ts zeroState gives it. */
export function zeroCode(spec: ScalarSpec): bigint {
  const z = zeroOf(spec);
  if (spec.kind === 'enum') return BigInt(enumCode(spec, z));
  if (typeof z === 'string') return BigInt(z.charCodeAt(0));
  if (typeof z === 'boolean') return z ? 1n : 0n;
  return BigInt(z as number | bigint);
}

/** A scalar initial value (a literal or constant expression), checked against its type; absent: 0. */
export function initValue(e: Expression | undefined, spec: ScalarSpec, specs: SpecReader): bigint {
  if (!e) return 0n;
  const v = specs.constValue(e);
  let x: bigint;
  if (typeof v === 'boolean') x = v ? 1n : 0n;
  else if (typeof v === 'string' && v.length === 1) x = BigInt(v.charCodeAt(0));
  else if (typeof v === 'number' && Number.isInteger(v)) x = BigInt(v);
  else if (typeof v === 'bigint') x = v;
  else return specs.fail(e, 'TF011', 'initial values must be literals');
  const [lo, hi] = spec.kind === 'bool' || spec.kind === 'char' || spec.kind === 'enum' ? [0n, (1n << BigInt(spec.width)) - 1n] : specRange(spec);
  if (x < lo || x > hi) specs.fail(e, 'TF108', `initial value ${x} does not fit ${lo}..${hi}`);
  return x;
}
