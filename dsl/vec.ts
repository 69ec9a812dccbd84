// Vectors and record-valued state: what a register can hold besides one scalar. A vector is a fixed-length array
// of scalars or records (JavaScript arrays in the model, sealed so they cannot grow); a record in state is a plain
// object. The compiler flattens both into scalar registers (docs/semantics.md §12), so the back ends see none of it.
import { type ScalarSpec, type ValueOf, describeSpec } from './types.ts';
import { type RecordSpec, type RecordValue } from './record.ts';
import { zeroOf, checkValue, acceptsExpr } from './table.ts';

/** Largest vector length: every element is a register and a dynamic index a mux over all of them. */
export const MAX_VEC_LENGTH = 256;

export interface VecSpec<E extends ScalarSpec | RecordSpec = ScalarSpec | RecordSpec, N extends number = number> {
  readonly kind: 'vec';
  readonly elem: E;
  readonly length: N;
}

/** A fixed-length vector of `length` values of `elem` (a scalar type or a record). */
export function vec<E extends ScalarSpec | RecordSpec, N extends number>(elem: E, length: N): VecSpec<E, N> {
  if (!Number.isInteger(length) || length < 1 || length > MAX_VEC_LENGTH) {
    throw new RangeError(`tickforge: vector length must be an integer in 1..${MAX_VEC_LENGTH}, got ${length}`);
  }
  if ((elem as { kind: string }).kind === 'vec') throw new TypeError('tickforge: a vector of vectors is not supported; use a vector of records');
  return { kind: 'vec', elem, length };
}

/** What a state register holds: a scalar, a record, or a vector of either. */
export type StateSpec = ScalarSpec | RecordSpec | VecSpec;

export type StateValue<S> = S extends VecSpec<infer E>
  ? Array<E extends RecordSpec ? RecordValue<E> : ValueOf<E>>
  : S extends RecordSpec
    ? RecordValue<S>
    : ValueOf<S>;

/** The reset value of a spec: zeroOf each scalar (a fresh object / array each call). */
export function zeroState(spec: StateSpec): unknown {
  if (spec.kind === 'vec') return Array.from({ length: spec.length }, () => zeroState(spec.elem));
  if (spec.kind === 'record') return Object.fromEntries(spec.fields.map((f) => [f.name, zeroOf(f.spec)]));
  return zeroOf(spec);
}

/**
 * A model instance's own copy of an initial value: vectors sealed (an index past the end throws in the strict-mode
 * step instead of growing the array, which hardware could not do), records copied (their objects are never shared
 * between two model instances).
 */
export function freshState(spec: StateSpec, init: unknown): unknown {
  if (spec.kind === 'vec') return Object.seal((init as unknown[]).map((x) => freshState(spec.elem, x)));
  if (spec.kind === 'record') return { ...(init as object) };
  return init;
}

/** Throws unless v is a value of spec (vector length, record fields, each scalar in range). */
export function checkStateValue(spec: StateSpec, v: unknown, what = ''): void {
  if (spec.kind === 'vec') {
    if (!Array.isArray(v) || v.length !== spec.length) throw new TypeError(`tickforge model: ${what || 'value'} must be an array of ${spec.length}, got ${String(v)}`);
    v.forEach((x, k) => checkStateValue(spec.elem, x, `${what}[${k}]`));
    return;
  }
  if (spec.kind === 'record') {
    if (typeof v !== 'object' || v === null) throw new TypeError(`tickforge model: ${what || 'value'} must be a ${spec.name} record, got ${String(v)}`);
    const o = v as Record<string, unknown>;
    for (const f of spec.fields) {
      if (!(f.name in o)) throw new TypeError(`tickforge model: ${what || 'record'} lacks field ${f.name} of ${spec.name}`);
      try {
        checkValue(f.spec, o[f.name]);
      } catch (err) {
        const E = err instanceof RangeError ? RangeError : TypeError;
        throw new E(`${(err as Error).message} (${what}.${f.name}: ${describeSpec(f.spec)})`);
      }
    }
    return;
  }
  checkValue(spec, v);
}

/** The condition checkStateValue accepts, as a JavaScript expression over `v` (see acceptsExpr). */
export function acceptsStateExpr(spec: StateSpec, v: string): string {
  if (spec.kind === 'vec') {
    const parts = [`(Array.isArray(${v}) && ${v}.length === ${spec.length})`];
    for (let k = 0; k < spec.length; k++) parts.push(acceptsStateExpr(spec.elem, `${v}[${k}]`));
    return `(${parts.join(' && ')})`;
  }
  if (spec.kind === 'record') {
    const parts = [`(typeof ${v} === 'object' && ${v} !== null)`];
    for (const f of spec.fields) parts.push(acceptsExpr(f.spec, `${v}[${JSON.stringify(f.name)}]`));
    return `(${parts.join(' && ')})`;
  }
  return acceptsExpr(spec, v);
}
