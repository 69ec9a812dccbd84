// Intrinsics: functions the compiler knows and lowers to hardware; here, their model implementations.
// Each is exact on integers; docs/semantics.md gives the contract both sides implement.
//
// Speed: the model calls these in every step, so each has a fast path for the common case (a `number` argument, a
// spec the width of a `number`) that stays in double arithmetic. Every fast path is exact over its whole domain
// (integer doubles, any magnitude; see the comments) and test/dsl/fastpaths.test.ts checks it against the general
// path (`wrapSlow`, `satSlow`, ...: the BigInt definitions) on edge-heavy and random inputs.
import { type ScalarSpec, type ValueOf, isBigRep, specRange, describeSpec, MAX_NUMBER_WIDTH } from './types.ts';

type Int = number | bigint;

/** POW2[n] = 2^n as a double (exact for every n here). */
const POW2: readonly number[] = Array.from({ length: 129 }, (_, n) => 2 ** n);
/** SHIFT[n] = BigInt(n): shift amounts without allocating a bigint per call. */
const SHIFT: readonly bigint[] = Array.from({ length: 129 }, (_, n) => BigInt(n));

function toBig(x: Int): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}
function repOf(spec: ScalarSpec, x: bigint): never | number | bigint {
  return isBigRep(spec) ? x : Number(x);
}

/** Keeps the low `spec.width` bits of x, read as the spec's signedness (two's complement wrap). */
export function wrap<S extends ScalarSpec>(x: Int, spec: S): ValueOf<S> {
  const w = spec.width;
  // Fast path: an integer double into a number-represented spec. x % 2^w is exact for every finite double (the
  // remainder of a floating-point division is always representable), its magnitude is below 2^w <= 2^53, so adding
  // 2^w to a negative remainder and subtracting 2^w from the upper half of the signed range are exact too; `+ 0`
  // turns -0 into 0, as Number(0n) gives.
  if (typeof x === 'number' && w <= MAX_NUMBER_WIDTH && Number.isInteger(x)) {
    if (spec.kind === 'uint') {
      const m = POW2[w]!;
      const r = x % m;
      return (r < 0 ? r + m : r + 0) as ValueOf<S>;
    }
    if (spec.kind === 'sint') {
      const m = POW2[w]!;
      let r = x % m;
      if (r < 0) r += m;
      return (r >= POW2[w - 1]! ? r - m : r + 0) as ValueOf<S>;
    }
  }
  return wrapSlow(x, spec);
}
/** wrap's general path: BigInt.asUintN / asIntN. */
export function wrapSlow<S extends ScalarSpec>(x: Int, spec: S): ValueOf<S> {
  if (spec.kind !== 'uint' && spec.kind !== 'sint') throw new TypeError(`wrap: ${describeSpec(spec)} is not an integer type`);
  const b = spec.kind === 'uint' ? BigInt.asUintN(spec.width, toBig(x)) : BigInt.asIntN(spec.width, toBig(x));
  return repOf(spec, b) as ValueOf<S>;
}

/** Clamps x into the spec's range (saturation). */
export function sat<S extends ScalarSpec>(x: Int, spec: S): ValueOf<S> {
  const w = spec.width;
  // Fast path: an integer double into a number-represented spec. The bounds (0 / 2^w - 1, or -2^(w-1) / 2^(w-1) - 1)
  // are exact doubles for w <= 53 and double comparison is exact; `+ 0` turns -0 into 0.
  if (typeof x === 'number' && w <= MAX_NUMBER_WIDTH && Number.isInteger(x)) {
    if (spec.kind === 'uint') {
      const hi = POW2[w]! - 1;
      return (x < 0 ? 0 : x > hi ? hi : x + 0) as ValueOf<S>;
    }
    if (spec.kind === 'sint') {
      const hi = POW2[w - 1]! - 1;
      const lo = -POW2[w - 1]!;
      return (x < lo ? lo : x > hi ? hi : x + 0) as ValueOf<S>;
    }
  }
  return satSlow(x, spec);
}
/** sat's general path, on bigints. */
export function satSlow<S extends ScalarSpec>(x: Int, spec: S): ValueOf<S> {
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
    // Fast path: x in 0..2^32-1 and a slice within bits 31..0: 32-bit integer shifts and masks.
    if (hi < 32 && x >>> 0 === x) {
      const v = x >>> lo;
      return hi - lo === 31 ? v : v & (POW2[hi - lo + 1]! - 1);
    }
    return bitsOfNumber(x, hi, lo);
  }
  if (hi < 64 && typeof x === 'bigint') return bitsOfWords(x, hi, lo);
  return Number(BigInt.asUintN(hi - lo + 1, lo === 0 ? x : x >> SHIFT[lo]!));
}

// A bigint's low 64 bits as two 32-bit numbers, without allocating a bigint: a store into a BigUint64Array keeps x
// mod 2^64 (its two's complement for a negative x), and the same bytes read as two uint32 are its halves.
const WORD64 = new BigUint64Array(1);
const HALVES = new Uint32Array(WORD64.buffer);
const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1; // little-endian: the low half first
const HI = 1 - LO;

/**
 * bits of a bigint for a slice within bits 63..0 (of at most 53 bits: checkSlice): from x's low 64 bits as two
 * uint32 halves. Bits 63..0 of x's two's complement are those of x mod 2^64 for every bigint, and a slice of at
 * most 53 bits assembled from the halves (a product by 2^(32 - lo) and a sum below 2^53) is exact.
 */
function bitsOfWords(x: bigint, hi: number, lo: number): number {
  WORD64[0] = x;
  const l = HALVES[LO]!;
  const h = HALVES[HI]!;
  if (hi < 32) {
    const v = l >>> lo;
    return hi - lo === 31 ? v : v & (POW2[hi - lo + 1]! - 1);
  }
  if (lo >= 32) {
    const v = h >>> (lo - 32);
    return hi - lo === 31 ? v : v & (POW2[hi - lo + 1]! - 1);
  }
  // The slice straddles bit 32: bits 31..lo of the low half, then hi..32 of the high half above them.
  const top = hi === 63 ? h : h & (POW2[hi - 31]! - 1);
  return (l >>> lo) + top * POW2[32 - lo]!;
}
/**
 * bits of a number in double arithmetic: q = floor(x / 2^lo) is exact (division by a power of two, then floor),
 * q % 2^w is exact and of magnitude below 2^w <= 2^53, so adding 2^w to a negative remainder is exact; `+ 0` turns
 * -0 into 0. For integer x this is bitsSlow's value, for every magnitude.
 */
function bitsOfNumber(x: number, hi: number, lo: number): number {
  const m = POW2[hi - lo + 1]!;
  const r = Math.floor(x / POW2[lo]!) % m;
  return r < 0 ? r + m : r + 0;
}
/** bits' general path, on bigints (the definition); integer x. */
export function bitsSlow(x: Int, hi: number, lo: number): number {
  checkSlice(hi, lo, 53);
  return Number(BigInt.asUintN(hi - lo + 1, toBig(x) >> BigInt(lo)));
}

/** Bits hi..lo of x as an unsigned bigint (any width up to 64). */
export function bitsBig(x: Int, hi: number, lo: number): bigint {
  checkSlice(hi, lo, 64);
  if (typeof x === 'bigint' && hi < 64 && hi - lo < MAX_NUMBER_WIDTH) return BigInt(bitsOfWords(x, hi, lo));
  if (typeof x === 'bigint') return BigInt.asUintN(hi - lo + 1, lo === 0 ? x : x >> SHIFT[lo]!);
  // A slice of at most 53 bits of an integer number: bits() (exact), converted.
  if (hi - lo < MAX_NUMBER_WIDTH && Number.isInteger(x)) return BigInt(bits(x, hi, lo));
  return bitsBigSlow(x, hi, lo);
}
/** bitsBig's general path (the definition). */
export function bitsBigSlow(x: Int, hi: number, lo: number): bigint {
  checkSlice(hi, lo, 64);
  return BigInt.asUintN(hi - lo + 1, toBig(x) >> BigInt(lo));
}

/** Bit i of x's two's-complement representation. */
export function bit(x: Int, i: number): boolean {
  // Fast path: x in 0..2^32-1 and i in 0..31 (an integer: i >>> 0 === i).
  if (typeof x === 'number' && i < 32 && i >>> 0 === i && x >>> 0 === x) return ((x >>> i) & 1) === 1;
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
