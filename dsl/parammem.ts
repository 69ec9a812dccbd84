// Host-written memories (docs/semantics.md §9, docs/regmap.md "Host-written memories"): a table of N values of one
// type (N a power of two up to MAX_PARAM_MEM, values up to 64 bits) that the host fills over AXI-Lite and `step`
// reads at a computed index: a symbol map, a weight table, a seeded inventory. Too big for registers (paramVec), it
// is built in block RAM: two banks, the host writes the shadow bank through an address/data window of the register
// file, and COMMIT switches which bank the unit reads at one clock edge, so no record sees half an update.
//
// From the unit's side it is a read-only memory: `params.m[i]` costs a memory read (two cycles of latency in the
// pipeline, like a table read in block RAM), not a register select. In the model it is a frozen array, replaced
// whole by commit({ m: [...] }).
import { type ScalarSpec, type ValueOf } from './types.ts';
import { zeroOf } from './table.ts';
import { checkVec } from './paramvec.ts';

/** Largest host-written memory (entries). Both banks: 2 x 65,536 x 64 bits = 8 Mbit of block RAM at most. */
export const MAX_PARAM_MEM = 1 << 16;
/** Widest value of a host-written memory (the HLS back end's limit; two 32-bit data words in the window). */
export const MAX_PARAM_MEM_WIDTH = 64;

export interface ParamMemSpec<S extends ScalarSpec = ScalarSpec> {
  readonly kind: 'paramMem';
  readonly spec: S;
  readonly length: number;
  readonly init: readonly ValueOf<S>[];
  readonly doc?: string;
}

/** A host-written memory of `length` values of `spec`; `init` (default all zero) is its contents in both banks. */
export function paramMem<S extends ScalarSpec>(spec: S, length: number, init?: readonly ValueOf<S>[], doc?: string): ParamMemSpec<S> {
  if (!Number.isInteger(length) || length < 2 || length > MAX_PARAM_MEM || (length & (length - 1)) !== 0) {
    throw new RangeError(`tickforge: paramMem length must be a power of two in 2..${MAX_PARAM_MEM}, got ${length}`);
  }
  if (spec.width > MAX_PARAM_MEM_WIDTH) throw new RangeError(`tickforge: paramMem values are at most ${MAX_PARAM_MEM_WIDTH} bits, got ${spec.width}`);
  const values = init ?? (new Array(length).fill(zeroOf(spec)) as ValueOf<S>[]);
  checkVec(spec, length, values);
  return { kind: 'paramMem', spec, length, init: Object.freeze([...values]), doc };
}
