// Host-written memories in the front end (dsl/parammem.ts). A `paramMem(T, N, [...])` declared in `params` becomes
// a TableIR with `host` set: a read-only table from the unit's side, keyed by the index (u(log2 N), so no tag),
// never written by step. `params.m[i]` is one memory read (a `tread` of its value), scheduled and built like a
// table read in block RAM; the host's write port, the two banks and the bank switch are the back ends' (rtl/hostmem.ts,
// hls/emit.ts) and the register map's (regmap/map.ts `memories`).
import { Node, type Expression } from 'ts-morph';
import type { ScalarSpec } from '../../dsl/types.ts';
import { u } from '../../dsl/types.ts';
import { MAX_PARAM_MEM, MAX_PARAM_MEM_WIDTH } from '../../dsl/parammem.ts';
import type { TableIR } from '../ir.ts';
import type { SpecReader } from './specs.ts';

/** The host memory of `name: paramMem(spec, length, init?, doc?)` (call arguments `args`). */
export function memTable(name: string, args: Expression[], specs: SpecReader, initValue: (e: Expression | undefined, spec: ScalarSpec) => bigint, docOf: (e: Expression | undefined) => string | undefined): TableIR {
  const spec = specs.spec(args[0] ?? specs.fail(args[0], 'TF011', 'paramMem(type, length, init?, doc?)'));
  const length = specs.int(args[1] ?? specs.fail(args[0], 'TF011', 'paramMem needs a length'));
  if (length < 2 || length > MAX_PARAM_MEM || (length & (length - 1)) !== 0) {
    specs.fail(args[1], 'TF011', `paramMem length must be a power of two in 2..${MAX_PARAM_MEM}, got ${length}`, length > MAX_PARAM_MEM ? 'split it over several memories (index bits choose one)' : `round it up to ${2 ** Math.ceil(Math.log2(Math.max(2, length)))} and mask the index`);
  }
  if (spec.width > MAX_PARAM_MEM_WIDTH) specs.fail(args[0], 'TF011', `paramMem values are at most ${MAX_PARAM_MEM_WIDTH} bits; this type has ${spec.width}`, 'split the value over two memories');
  let init: bigint[] = new Array(length).fill(0n);
  const initArg = args[2] && specs.resolveConst(args[2]);
  if (initArg && initArg.getText() !== 'undefined') {
    if (!Node.isArrayLiteralExpression(initArg)) specs.fail(args[2], 'TF011', 'paramMem init is an array literal of constants (or omitted: all zero)');
    const els = initArg.getElements() as Expression[];
    if (els.length !== length) specs.fail(args[2], 'TF011', `paramMem init has ${els.length} values for ${length} entries`);
    init = els.map((e) => initValue(e, spec));
  }
  const doc = docOf(args[3]);
  return { name, key: u(Math.log2(length)), value: spec, capacity: length, memory: 'bram', host: { init, ...(doc ? { doc } : {}) } };
}
