// Intrinsics: functions the compiler knows and lowers to hardware; here, their model implementations.
// Each is exact on integers; docs/semantics.md gives the contract both sides implement.
import { type ScalarSpec, type ValueOf, isBigRep, specRange, describeSpec } from './types.ts';

type Int = number | bigint;

function toBig(x: Int): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}
function repOf(spec: ScalarSpec, x: bigint): never | number | bigint {
  return isBigRep(spec) ? x : Number(x);
}

/** Keeps the low `spec.width` bits of x, read as the spec's signedness (two's complement wrap). */
export function wrap<S extends ScalarSpec>(x: Int, spec: S): ValueOf<S> {
  if (spec.kind !== 'uint' && spec.kind !== 'sint') throw new TypeError(`wrap: ${describeSpec(spec)} is not an integer type`);
  const b = spec.kind === 'uint' ? BigInt.asUintN(spec.width, toBig(x)) : BigInt.asIntN(spec.width, toBig(x));
  return repOf(spec, b) as ValueOf<S>;
}

/** Clamps x into the spec's range (saturation). */
export function sat<S extends ScalarSpec>(x: Int, spec: S): ValueOf<S> {
  if (spec.kind !== 'uint' && spec.kind !== 'sint') throw new TypeError(`sat: ${describeSpec(spec)} is not an integer type`);
  const [lo, hi] = specRange(spec);
  const v = toBig(x);
  return repOf(spec, v < lo ? lo : v > hi ? hi : v) as ValueOf<S>;
}

function checkSlice(hi: number, lo: number, max: number): void {
  if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi - lo + 1 > max || hi > 127) {
    throw new RangeError(`bits: bad slice [${hi}:${lo}]`);
  }
}

/** Bits hi..lo (inclusive) of x's two's-complement representation, as an unsigned number (at most 53 bits). */
export function bits(x: Int, hi: number, lo: number): number {
  checkSlice(hi, lo, 53);
  if (typeof x === 'number') {
    const q = Math.floor(x / 2 ** lo);
    const m = 2 ** (hi - lo + 1);
    // r is exact (|q| <= 2^53, m <= 2^53), and so is r + m, which lies in (0, m). Not ((q % m) + m) % m: for a
    // 53-bit slice q % m + m can exceed 2^53 and round to an even double. r === 0 may be -0 (q a negative multiple
    // of m); 0 is returned instead.
    const r = q % m;
    return r < 0 ? r + m : r === 0 ? 0 : r;
  }
  return Number(BigInt.asUintN(hi - lo + 1, x >> BigInt(lo)));
}

/** Bits hi..lo of x as an unsigned bigint (any width up to 64). */
export function bitsBig(x: Int, hi: number, lo: number): bigint {
  checkSlice(hi, lo, 64);
  return BigInt.asUintN(hi - lo + 1, toBig(x) >> BigInt(lo));
}

/** Bit i of x's two's-complement representation. */
export function bit(x: Int, i: number): boolean {
  return bits(x, i, i) === 1;
}

/** Integer division truncating toward zero; division by zero gives 0. */
export function div<T extends Int>(a: T, b: T): T {
  if (typeof a === 'bigint') return (b === 0n ? 0n : a / (b as bigint)) as T;
  const bn = b as number;
  if (bn === 0) return 0 as T;
  return exactTruncDiv(a as number, bn) as T;
}
function exactTruncDiv(a: number, b: number): number {
  // The float quotient can be off by one near an integer for large operands; correct it exactly.
  let q = Math.trunc(a / b);
  const r = a - q * b;
  if (r !== 0 && Math.sign(r) !== Math.sign(a)) q += Math.sign(a) === Math.sign(b) ? -1 : 1;
  else if (Math.abs(r) >= Math.abs(b)) q += Math.sign(a) === Math.sign(b) ? 1 : -1;
  return q === 0 ? 0 : q;
}

/** Remainder with the sign of the dividend (a - b*div(a, b)); modulo zero gives a. */
export function mod<T extends Int>(a: T, b: T): T {
  if (typeof a === 'bigint') return (b === 0n ? a : a % (b as bigint)) as T;
  if ((b as number) === 0) return a;
  const r = (a as number) % (b as number);
  return (r === 0 ? 0 : r) as T;
}

export function min<T extends Int>(a: T, b: T): T {
  return a < b ? a : b;
}
export function max<T extends Int>(a: T, b: T): T {
  return a > b ? a : b;
}
