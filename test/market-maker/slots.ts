// A non-default locate -> slot map for the market maker's tests (orders.ts `slots`), and a stream whose locates fall
// in it: the book comparison (book-vs-reference.test.ts) and the system cosim with `--params` (system.test.ts).
import { LOCATES, SYMBOLS } from './reference-book.ts';

/** The non-default map of the tests: locate 2001 + k -> slot (389 k mod 1024) for k in 0..1023, but every k = 5 mod 16. */
export function nonDefaultMap(): number[] {
  const map = new Array<number>(LOCATES).fill(0);
  for (let k = 0; k < SYMBOLS; k++) if (k % 16 !== 5) map[2001 + k] = ((389 * k) % SYMBOLS) + 1;
  return map;
}

/** A BinaryFILE with every message's stock locate (message bytes 1..2, big-endian) above 0 moved up by `by`. */
export function shiftLocates(bin: Uint8Array, by: number): Uint8Array {
  const out = new Uint8Array(bin);
  for (let at = 0; at + 2 <= out.length; ) {
    const len = (out[at]! << 8) | out[at + 1]!;
    const loc = (out[at + 3]! << 8) | out[at + 4]!;
    if (loc > 0) {
      const l = loc + by;
      out[at + 3] = l >> 8;
      out[at + 4] = l & 0xff;
    }
    at += 2 + len;
  }
  return out;
}

/** A map of the stimulus's own locates: locate L in 1..1024 -> slot (389 (L - 1) mod 1024), but every L = 6 mod 16 untracked. */
export function permutedMap(): number[] {
  const map = new Array<number>(LOCATES).fill(0);
  for (let l = 1; l <= SYMBOLS; l++) if (l % 16 !== 6) map[l] = ((389 * (l - 1)) % SYMBOLS) + 1;
  return map;
}
