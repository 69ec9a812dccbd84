// Host-written vectors (docs/semantics.md §9, docs/regmap.md): a fixed-length array of values of one type that the
// host writes over AXI-Lite and `step` reads, by a constant or a computed index. Model weights, tree thresholds and
// leaves, small symbol maps. Like a param it has a shadow bank the host writes and a live bank step reads; a COMMIT
// makes the whole shadow bank live at one clock edge, so no record sees half an update.
//
// In hardware each element is a register pair (shadow, live), so every element can be read in the same cycle: what
// a dot product or a tree ensemble evaluated in parallel needs. That costs flip-flops, so a vector holds at most
// MAX_PARAM_VEC elements; larger host-written contents go in a paramMem (dsl/parammem.ts: block RAM behind an
// address/data window, one read per record).
import { type ScalarSpec, type ValueOf } from './types.ts';
import { checkValue, zeroOf } from './table.ts';

export const MAX_PARAM_VEC = 256;

export interface ParamVecSpec<S extends ScalarSpec = ScalarSpec> {
  readonly kind: 'paramVec';
  readonly spec: S;
  readonly length: number;
  readonly init: readonly ValueOf<S>[];
  readonly doc?: string;
}

/** A host-written vector of `length` values of `spec`; `init` (default all zero) is its value after reset. */
export function paramVec<S extends ScalarSpec>(spec: S, length: number, init?: readonly ValueOf<S>[], doc?: string): ParamVecSpec<S> {
  if (!Number.isInteger(length) || length < 1 || length > MAX_PARAM_VEC) throw new RangeError(`tickforge: paramVec length must be 1..${MAX_PARAM_VEC}, got ${length}`);
  const values = init ?? (new Array(length).fill(zeroOf(spec)) as ValueOf<S>[]);
  checkVec(spec, length, values);
  return { kind: 'paramVec', spec, length, init: Object.freeze([...values]), doc };
}

/** Throws unless `v` is an array of `length` values of `spec`. */
export function checkVec(spec: ScalarSpec, length: number, v: unknown): void {
  if (!Array.isArray(v)) throw new TypeError(`tickforge model: expected an array of ${length} values, got ${String(v)}`);
  if (v.length !== length) throw new RangeError(`tickforge model: expected ${length} values, got ${v.length}`);
  for (const x of v) checkValue(spec, x);
}
