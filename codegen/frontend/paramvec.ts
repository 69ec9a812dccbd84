// Host-written vectors in the front end (dsl/paramvec.ts). A `paramVec(T, N, [...])` declared in `params` becomes N
// params named `<name>_<i>` (ParamIR.vec says which vector and element): each has its shadow and live register,
// its words in the register map (consecutive, so the vector is one mapped window) and its HLS argument, exactly as a
// param, and COMMIT makes all of them live at once. `params.w[i]` reads element i: a constant index is that
// element's param node, a computed one a balanced tree of 2:1 selects on the index bits (log2 N levels).
import { Node, type Expression } from 'ts-morph';
import type { ScalarSpec } from '../../dsl/types.ts';
import { MAX_PARAM_VEC } from '../../dsl/paramvec.ts';
import type { Loc } from '../diagnostics.ts';
import type { NodeId, ParamIR } from '../ir.ts';
import type { GraphBuilder } from './build.ts';
import type { SpecReader } from './specs.ts';

/** The element params of `name: paramVec(spec, length, init?, doc?)` (call arguments `args`). */
export function vecParams(name: string, args: Expression[], specs: SpecReader, initValue: (e: Expression | undefined, spec: ScalarSpec) => bigint, docOf: (e: Expression | undefined) => string | undefined): ParamIR[] {
  const spec = specs.spec(args[0] ?? specs.fail(args[0], 'TF011', 'paramVec(type, length, init?)'));
  const length = specs.int(args[1] ?? specs.fail(args[0], 'TF011', 'paramVec needs a length'));
  if (length < 1 || length > MAX_PARAM_VEC) specs.fail(args[1], 'TF011', `paramVec length must be 1..${MAX_PARAM_VEC}, got ${length}`);
  let inits: Array<Expression | undefined> = new Array(length).fill(undefined);
  const initArg = args[2] && specs.resolveConst(args[2]);
  if (initArg && initArg.getText() !== 'undefined') {
    if (!Node.isArrayLiteralExpression(initArg)) specs.fail(args[2], 'TF011', 'paramVec init is an array literal of constants');
    const els = initArg.getElements() as Expression[];
    if (els.length !== length) specs.fail(args[2], 'TF011', `paramVec init has ${els.length} values for ${length} elements`);
    inits = els;
  }
  const doc = docOf(args[3]);
  const words = Math.ceil(spec.width / 32);
  return inits.map((e, index) => ({
    name: `${name}_${index}`,
    spec,
    init: initValue(e, spec),
    doc: `${doc ? `${doc}: ` : ''}element ${index} of ${name}`,
    words,
    vec: { name, index, length },
  }));
}

/** Element `idx` (a node whose range lies in 0..elems.length-1) of a vector: a select tree on the index bits. */
export function selectElement(g: GraphBuilder, elems: NodeId[], idx: NodeId, loc: Loc): NodeId {
  const I = g.get(idx);
  const c = g.isConst(idx);
  if (c !== undefined) return elems[Number(c)];
  // Only the elements the index can reach take part; the tree is over index bits, the rest padded with the last.
  const lo = Number(I.lo);
  const hi = Number(I.hi);
  let level: NodeId[] = [];
  const bitsNeeded = Math.max(1, (hi).toString(2).length);
  for (let i = 0; i < 1 << bitsNeeded; i++) level.push(elems[Math.min(Math.max(i, lo), hi)]);
  for (let b = 0; b < bitsNeeded; b++) {
    const sel = g.slice(idx, b, b, loc);
    const next: NodeId[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(g.mux(sel, level[i + 1], level[i], loc));
    level = next;
  }
  return level[0];
}
