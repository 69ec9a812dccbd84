// Value ranges as the compiler infers them (codegen/frontend/build.ts), so the generator only writes programs the
// compiler accepts. The generator's range for an expression is always the compiler's or wider: every check made
// against it (within 2^53, within int32, divisor excludes 0, at most 64 bits for the HLS back end) is then one the
// compiler's own check passes too.
import { bitsFor } from '../../codegen/ir.ts';

export type Range = [bigint, bigint];

export const P2 = (n: number | bigint) => 1n << BigInt(n);
export const NUM_MAX = P2(53);
export const INT32: Range = [-P2(31), P2(31) - 1n];
export const UINT32: Range = [0n, P2(32) - 1n];

const minB = (...xs: bigint[]) => xs.reduce((a, b) => (b < a ? b : a));
const maxB = (...xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a));
const absMax = (lo: bigint, hi: bigint) => maxB(lo < 0n ? -lo : lo, hi < 0n ? -hi : hi);

export const widthOf = (lo: bigint, hi: bigint) => bitsFor(lo, hi).width;
export const signedOf = (lo: bigint) => lo < 0n;
/** Bits of the range as a signed value: what the HLS back end needs to compare or divide it (at most 64). */
export const sWidth = (lo: bigint, hi: bigint) => widthOf(lo, hi) + (lo < 0n ? 0 : 1);
/** Fits one 64-bit HLS value (ap_int<64> or ap_uint<64>). */
export const narrow = (lo: bigint, hi: bigint) => widthOf(lo, hi) <= 64;
export const within = (lo: bigint, hi: bigint, r: Range) => lo >= r[0] && hi <= r[1];

function signedSpan(a: Range, b: Range): Range {
  const w = Math.max(sWidth(a[0], a[1]), sWidth(b[0], b[1]));
  return [-P2(w - 1), P2(w - 1) - 1n];
}

export type BinKind = 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'shl' | 'shr' | 'div' | 'mod' | 'min' | 'max';

export function binRange(kind: BinKind, A: Range, B: Range): Range {
  switch (kind) {
    case 'add':
      return [A[0] + B[0], A[1] + B[1]];
    case 'sub':
      return [A[0] - B[1], A[1] - B[0]];
    case 'mul': {
      const p = [A[0] * B[0], A[0] * B[1], A[1] * B[0], A[1] * B[1]];
      return [minB(...p), maxB(...p)];
    }
    case 'and':
      if (A[0] >= 0n && B[0] >= 0n) return [0n, minB(A[1], B[1])];
      if (A[0] >= 0n) return [0n, A[1]];
      if (B[0] >= 0n) return [0n, B[1]];
      return signedSpan(A, B);
    case 'or':
    case 'xor':
      if (A[0] >= 0n && B[0] >= 0n) return [0n, P2(maxB(A[1], B[1]).toString(2).length) - 1n];
      return signedSpan(A, B);
    case 'shl': {
      const s0 = P2(B[0]);
      const s1 = P2(B[1]);
      const p = [A[0] * s0, A[0] * s1, A[1] * s0, A[1] * s1];
      return [minB(...p), maxB(...p)];
    }
    case 'shr': {
      const p = [A[0] >> B[0], A[0] >> B[1], A[1] >> B[0], A[1] >> B[1]];
      return [minB(...p), maxB(...p)];
    }
    case 'div': {
      const m = absMax(A[0], A[1]);
      return A[0] >= 0n && B[0] >= 0n ? [0n, A[1]] : [-m, m];
    }
    case 'mod': {
      const mayZero = B[0] <= 0n && B[1] >= 0n;
      const m = mayZero ? absMax(A[0], A[1]) : minB(absMax(A[0], A[1]), absMax(B[0], B[1]) - 1n);
      return [A[0] >= 0n ? 0n : -m, A[1] <= 0n ? 0n : m];
    }
    case 'min':
      return [minB(A[0], B[0]), minB(A[1], B[1])];
    case 'max':
      return [maxB(A[0], B[0]), maxB(A[1], B[1])];
  }
}

export function satRange(A: Range, T: Range): Range {
  if (A[0] >= T[0] && A[1] <= T[1]) return A;
  return [maxB(T[0], minB(A[0], T[1])), minB(T[1], maxB(A[1], T[0]))];
}

export function wrapRange(A: Range, T: Range): Range {
  return A[0] >= T[0] && A[1] <= T[1] ? A : T;
}

/** The HLS back end compares operands of different signedness at max(signed widths) bits: at most 64. */
export function hlsCmpOk(A: Range, B: Range): boolean {
  if (signedOf(A[0]) === signedOf(B[0])) return true;
  return Math.max(sWidth(A[0], A[1]), sWidth(B[0], B[1])) <= 64;
}
