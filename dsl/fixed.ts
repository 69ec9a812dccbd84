// Fixed point for models (docs/semantics.md §12): a product of two fixed-point values carries the sum of their
// scales exactly (arithmetic is exact, §2); bringing it back to a narrower scale is a right shift by k bits with a
// declared rounding, then a declared narrowing (sat or wrap). roundShift is that shift; the compiler lowers it to
// an adder and a shift (no divider), and this is its model, exact on integers.

type Int = number | bigint;

/** How roundShift rounds x / 2^k to an integer. */
export type Rounding = 'floor' | 'ceil' | 'zero' | 'half-up' | 'half-even';
export const ROUNDINGS: readonly Rounding[] = ['floor', 'ceil', 'zero', 'half-up', 'half-even'];

/**
 * x / 2^k rounded as `mode` says: 'floor' (toward -inf: x >> k), 'ceil' (toward +inf), 'zero' (truncate),
 * 'half-up' (to nearest, ties toward +inf: (x + 2^(k-1)) >> k), 'half-even' (to nearest, ties to even: the
 * convergent rounding of DSP accumulators). k is a constant, 0..64.
 */
export function roundShift<T extends Int>(x: T, k: number, mode: Rounding): T {
  if (!Number.isInteger(k) || k < 0 || k > 64) throw new RangeError(`roundShift: shift ${k} must be an integer in 0..64`);
  if (!ROUNDINGS.includes(mode)) throw new RangeError(`roundShift: rounding ${String(mode)} is not one of ${ROUNDINGS.join(', ')}`);
  if (typeof x === 'bigint') return roundBig(x, k, mode) as T;
  if (!Number.isInteger(x)) throw new TypeError(`roundShift: ${x} is not an integer`);
  if (k === 0) return ((x as number) + 0) as T;
  // Doubles: x / 2^k is exact (a power-of-two scaling of an integer double), and so are floor/ceil of it and the
  // comparisons of its fraction with 1/2; the result is an integer no larger in magnitude than x.
  const q = (x as number) / 2 ** k;
  const f = Math.floor(q);
  const frac = q - f; // exact: q and f are within a factor of two of each other or f = 0
  let r: number;
  switch (mode) {
    case 'floor':
      r = f;
      break;
    case 'ceil':
      r = frac === 0 ? f : f + 1;
      break;
    case 'zero':
      r = (x as number) < 0 && frac !== 0 ? f + 1 : f;
      break;
    case 'half-up':
      r = frac >= 0.5 ? f + 1 : f;
      break;
    case 'half-even':
      r = frac > 0.5 || (frac === 0.5 && Math.abs(f % 2) === 1) ? f + 1 : f;
      break;
  }
  return (r + 0) as T;
}

/** The definition, on bigints. */
export function roundBig(x: bigint, k: number, mode: Rounding): bigint {
  const K = BigInt(k);
  const f = x >> K;
  const rem = x - (f << K); // 0 .. 2^k - 1
  const half = k === 0 ? 0n : 1n << (K - 1n);
  switch (mode) {
    case 'floor':
      return f;
    case 'ceil':
      return rem === 0n ? f : f + 1n;
    case 'zero':
      return x < 0n && rem !== 0n ? f + 1n : f;
    case 'half-up':
      return k > 0 && rem >= half ? f + 1n : f;
    case 'half-even':
      return k > 0 && (rem > half || (rem === half && (f & 1n) === 1n)) ? f + 1n : f;
  }
}
