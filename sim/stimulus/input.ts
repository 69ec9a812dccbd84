// Input specs and numeric options, validated before any work starts: a count that is not an integer, a seed that
// would be silently coerced, a size that cannot fit in memory, or a file that never ends (/dev/zero, a FIFO) is a
// clear error up front, never an internal error or unbounded memory growth later (docs/reliability.md).
import fs from 'node:fs';

/** Largest input file read whole (captures and BinaryFILEs are read into memory). */
export const MAX_INPUT_BYTES = 2 ** 31 - 1;
/** Largest generated stimulus (`synthetic:<N>`, `hostile:<N>`): the records are held in memory. */
export const MAX_GENERATED = 50_000_000;

/** An integer option within [min, max], or an error naming the option. */
export function intOption(name: string, v: unknown, min: number, max: number): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  }
  return n;
}

/** A seed: an integer from 0 to 2^32 - 1 (the generators take 32 bits; a larger one would be silently cut). */
export function seedOption(v: unknown, name = '--seed'): number {
  return intOption(name, v, 0, 0xffffffff);
}

/** A probability in (0, 1]. */
export function probOption(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) throw new Error(`${name} must be a number in (0, 1], got ${String(v)}`);
  return v;
}

/**
 * `<kind>:<N>` for the generated inputs, with N checked; null for anything else (a file path). `stress:N` is the
 * book-stress stream and `gaps:N` the same with levels $2 apart, which the market maker's stimulus reads (a design
 * whose stimulus does not know them says so).
 */
export function generatedSpec(spec: string, kinds: readonly string[] = ['synthetic', 'hostile', 'stress', 'gaps']): { kind: string; count: number } | null {
  const m = /^([a-z]+):(.*)$/.exec(spec);
  if (!m || !kinds.includes(m[1])) return null;
  if (!/^\d+$/.test(m[2])) throw new Error(`--input ${spec}: ${m[1]}:<N> needs a whole number of records, got ${JSON.stringify(m[2])}`);
  const count = Number(m[2]);
  if (!(count <= MAX_GENERATED)) throw new Error(`--input ${spec}: at most ${MAX_GENERATED} generated records (they are held in memory); split the run`);
  return { kind: m[1], count };
}

/** A whole input file, refused when it is not a regular file (a device or FIFO may never end) or too large. */
export function readInputFile(file: string): Uint8Array {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read the input (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!st.isFile()) throw new Error(`${file}: not a regular file (a device or pipe may never end); give a capture or a BinaryFILE`);
  if (st.size > MAX_INPUT_BYTES) throw new Error(`${file}: ${st.size} bytes, more than the ${MAX_INPUT_BYTES} read into memory; split it`);
  return new Uint8Array(fs.readFileSync(file));
}
