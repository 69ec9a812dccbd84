// The model's fast paths (dsl/intrinsics.ts, dsl/table.ts acceptsExpr, dsl/unit.ts compiled state check,
// dsl/record.ts packInto) against their general paths, which are the BigInt definitions of docs/semantics.md:
// edge-heavy and random inputs over the whole domain (integer doubles of every magnitude, both signs, -0, and the
// non-integers / non-numbers the checks must keep rejecting). Any difference, in value or in what throws, fails.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../dsl/rng.ts';
import { u, i, bool, char, enumOf, ufixed, type ScalarSpec } from '../../dsl/types.ts';
import { wrap, wrapSlow, sat, satSlow, bits, bitsSlow, bitsBig, bitsBigSlow, bit } from '../../dsl/intrinsics.ts';
import { checkValue, accepts } from '../../dsl/table.ts';
import { record, packInto, packIntoSlow, type RecordSpec } from '../../dsl/record.ts';
import { unit, reg } from '../../dsl/unit.ts';

/** Outcome of a call: its value (with -0 told apart from 0) or the error's class and message. */
function outcome(f: () => unknown): string {
  try {
    const v = f();
    if (typeof v === 'number' && Object.is(v, -0)) return 'number:-0';
    return `${typeof v}:${String(v)}`;
  } catch (e) {
    return `throw ${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

/** Collects the cases where two calls differ (value or error); a test expects none. */
class Diffs {
  readonly list: string[] = [];
  eq(what: string, fast: () => unknown, slow: () => unknown): void {
    const a = outcome(fast);
    const b = outcome(slow);
    if (a !== b && this.list.length < 10) this.list.push(`${what}: ${a} vs ${b}`);
  }
}

/** Integer doubles: around every power of two up to 2^80 (both signs), small values, random ones of every size. */
function integerDoubles(rng: Rng, n: number): number[] {
  const out: number[] = [0, -0, 1, -1, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 64, 2 ** 63, -(2 ** 63), Number.MAX_SAFE_INTEGER, 1e300, -1e300];
  for (let e = 0; e <= 80; e++) for (const d of [-2, -1, 0, 1, 2]) for (const s of [1, -1]) out.push(s * (2 ** e + d));
  for (let k = 0; k < n; k++) {
    const e = rng.below(70);
    const x = Math.floor((rng.u32() / 2 ** 32) * 2 ** e) + (rng.chance(0.5) ? 0 : rng.below(3));
    out.push(rng.chance(0.5) ? -x : x);
  }
  return out.filter((x) => Number.isInteger(x));
}
const ODD = [0.5, -0.5, 1.5, -2.25, 2 ** 53 + 0.5 /* = 2^53 */, NaN, Infinity, -Infinity];

const SPECS: ScalarSpec[] = [];
for (let w = 1; w <= 64; w++) SPECS.push(u(w), i(w));
SPECS.push(ufixed(32, 4), bool(), char());

describe('wrap and sat: fast path === BigInt path', () => {
  const xs = [...integerDoubles(new Rng(1), 3000), ...ODD];
  test.each(SPECS.map((s) => [`${s.kind}${s.width}`, s] as const))('%s', (_, spec) => {
    const d = new Diffs();
    for (const x of [...xs, 0n, 1n, -1n, 2n ** 64n - 1n, -(2n ** 63n), 2n ** 100n + 3n, 12345678901234567890n]) {
      d.eq(`wrap(${x})`, () => wrap(x, spec), () => wrapSlow(x, spec));
      d.eq(`sat(${x})`, () => sat(x, spec), () => satSlow(x, spec));
    }
    expect(d.list).toEqual([]);
  });
});

describe('bits, bitsBig, bit: fast paths === BigInt definition', () => {
  const rng = new Rng(2);
  const xs = integerDoubles(rng, 1500);
  const slices: Array<[number, number]> = [];
  for (let lo = 0; lo < 72; lo += lo < 8 ? 1 : 3) for (let w = 1; w <= 64; w += w < 10 ? 1 : 5) slices.push([lo + w - 1, lo]);
  slices.push([52, 0], [31, 0], [63, 32], [63, 0], [127, 75], [53, 1], [31, 31], [32, 32], [7, 0], [15, 8]);
  test('number arguments: every slice, integer doubles of every magnitude', () => {
    const d = new Diffs();
    for (const [hi, lo] of slices) {
      for (const x of xs) {
        d.eq(`bits(${x}, ${hi}, ${lo})`, () => bits(x, hi, lo), () => bitsSlow(x, hi, lo));
        d.eq(`bitsBig(${x}, ${hi}, ${lo})`, () => bitsBig(x, hi, lo), () => bitsBigSlow(x, hi, lo));
        if (hi === lo) d.eq(`bit(${x}, ${lo})`, () => bit(x, lo), () => bitsSlow(x, lo, lo) === 1);
      }
    }
    expect(d.list).toEqual([]);
  });
  test('bigint arguments', () => {
    const bs: bigint[] = [0n, 1n, -1n, 2n ** 64n - 1n, -(2n ** 63n), 2n ** 127n + 5n, -(2n ** 100n) - 7n];
    for (let k = 0; k < 300; k++) bs.push(rng.bits(64), -rng.bits(64), rng.bits(128) - rng.bits(100));
    const d = new Diffs();
    for (const [hi, lo] of slices) {
      for (const b of bs) {
        d.eq(`bits(${b}, ${hi}, ${lo})`, () => bits(b, hi, lo), () => bitsSlow(b, hi, lo));
        d.eq(`bitsBig(${b}, ${hi}, ${lo})`, () => bitsBig(b, hi, lo), () => bitsBigSlow(b, hi, lo));
        if (hi === lo) d.eq(`bit(${b}, ${lo})`, () => bit(b, lo), () => bitsSlow(b, lo, lo) === 1);
      }
    }
    expect(d.list).toEqual([]);
  });
  test('bad slices and non-integers throw as before', () => {
    for (const [hi, lo] of [[3, 4], [128, 120], [1.5, 0], [60, 0], [5, -1]] as Array<[number, number]>) {
      expect(() => bits(5, hi, lo)).toThrow(RangeError);
      expect(() => bits(5n, hi, lo)).toThrow(RangeError);
    }
    expect(() => bit(5, 128)).toThrow(RangeError);
    expect(() => bit(5, 0.5)).toThrow(RangeError);
    expect(outcome(() => bitsBig(1.5, 7, 0))).toBe(outcome(() => bitsBigSlow(1.5, 7, 0)));
    // The numeric path gives floor semantics for non-integers (never produced by compiled code), as it always did.
    expect(bits(5.5, 1, 0)).toBe(1);
    expect(bits(-0.5, 3, 0)).toBe(15);
  });
  test('bits(x, 52, 0) is exact (test/fuzz/regressions/bits53-model.ts)', () => {
    expect(bits(127, 52, 0)).toBe(127);
    expect(bits(5, 52, 0)).toBe(5);
    expect(bits(2 ** 53 - 1, 52, 0)).toBe(2 ** 53 - 1);
    expect(bits(-1, 52, 0)).toBe(2 ** 53 - 1);
  });
});

describe('state checks: compiled predicate === checkValue', () => {
  const E = enumOf('E', { A: 0, B: 3 });
  const specs: ScalarSpec[] = [...SPECS, E];
  const values: unknown[] = [...integerDoubles(new Rng(3), 400), ...ODD, 0n, 1n, -1n, 2n ** 64n - 1n, 2n ** 64n, -(2n ** 63n), -(2n ** 63n) - 1n, 2n ** 53n, true, false, 'A', '', undefined, null, {}];
  test.each(specs.map((s) => [`${s.kind}${s.width}`, s] as const))('%s', (_, spec) => {
    const ok = accepts(spec);
    const d = new Diffs();
    for (const v of values) {
      d.eq(`${typeof v} ${String(v)}`, () => ok(v), () => {
        try {
          checkValue(spec, v);
          return true;
        } catch {
          return false;
        }
      });
    }
    expect(d.list).toEqual([]);
  });
  test('Model.step throws checkValue\'s error for the first register out of range', () => {
    const R = record('R', { x: u(8) });
    const d = unit({
      name: 'chk',
      input: R,
      output: R,
      state: { a: reg(u(8), 0), b: reg(u(64), 0n), c: reg(bool(), false) },
      step(r, { state }) {
        // Deliberately out of range (the compiler would reject this; the model's run-time guard must catch it).
        (state as Record<string, unknown>).a = r.x === 1 ? 256 : r.x === 2 ? 1.5 : 0;
        (state as Record<string, unknown>).b = r.x === 3 ? -1n : r.x === 4 ? 5 : 7n;
        (state as Record<string, unknown>).c = r.x === 5 ? 1 : true;
        return r;
      },
    });
    const m = d.model();
    expect(m.step({ x: 0 })).toEqual({ x: 0 });
    expect(() => d.model().step({ x: 1 })).toThrow('tickforge model: 256 does not fit u(8)');
    expect(() => d.model().step({ x: 2 })).toThrow('tickforge model: expected integer for u(8), got 1.5');
    expect(() => d.model().step({ x: 3 })).toThrow('tickforge model: -1 does not fit u(64)');
    expect(() => d.model().step({ x: 4 })).toThrow('tickforge model: expected bigint for u(64), got 5');
    expect(() => d.model().step({ x: 5 })).toThrow('tickforge model: expected boolean, got 1');
  });
});

describe('packInto === packBits + bytes (packIntoSlow)', () => {
  const E = enumOf('E', { A: 'A', B: 'B' });
  const N = enumOf('N', { X: 0, Y: 5 });
  // Fields at every bit offset, every width, both representations, signed and unsigned.
  const recs: RecordSpec[] = [
    record('A', { a: bool(), b: u(64), c: i(53), d: u(3), e: char(), f: E, g: i(64), h: u(53), k: N, l: i(1), m: u(33) }),
    record('B', { data: u(64), keep: u(8), last: bool() }),
  ];
  const rng = new Rng(4);
  for (let n = 0; n < 20; n++) {
    const f: Record<string, ScalarSpec> = {};
    for (let k = 0; k < 1 + rng.below(8); k++) f[`f${k}`] = rng.chance(0.5) ? u(1 + rng.below(64)) : i(1 + rng.below(64));
    recs.push(record(`R${n}`, f));
  }
  function randomValue(s: ScalarSpec): unknown {
    if (s.kind === 'bool') return rng.chance(0.5);
    if (s.kind === 'char') return String.fromCharCode(rng.below(128));
    if (s.kind === 'enum') return s.members[rng.below(s.members.length)]!.value;
    const w = s.width;
    const k = rng.below(6);
    let b = k === 0 ? 0n : k === 1 ? (1n << BigInt(w)) - 1n : k === 2 ? 1n << BigInt(w - 1) : rng.bits(w);
    if (s.kind === 'sint') b = BigInt.asIntN(w, b);
    return w > 53 ? b : Number(b);
  }
  test('random values: identical bytes', () => {
    for (const r of recs) {
      for (let n = 0; n < 300; n++) {
        const v: Record<string, unknown> = {};
        for (const f of r.fields) v[f.name] = randomValue(f.spec);
        const a = new Uint8Array(r.bytes + 4).fill(0xa5);
        const b = new Uint8Array(r.bytes + 4).fill(0xa5);
        packInto(r, v, a, 2);
        packIntoSlow(r, v, b, 2);
        expect([...a]).toEqual([...b]);
      }
    }
  });
  test('bad values throw the same error and write nothing', () => {
    const r = recs[0]!;
    const good: Record<string, unknown> = { a: true, b: 5n, c: -3, d: 7, e: 'z', f: 'A', g: -1n, h: 2 ** 53 - 1, k: 5, l: -1, m: 2 ** 33 - 1 };
    const bad: Array<[string, unknown]> = [
      ['a', 1], ['b', 5], ['b', -1n], ['b', 2n ** 64n], ['c', 2 ** 52], ['c', 1.5], ['c', 3n], ['d', 8], ['d', -1], ['e', 'ab'],
      ['e', '\u00e9'], ['f', 'C'], ['g', 2n ** 63n], ['h', 2 ** 53], ['h', NaN], ['k', 1], ['l', 1], ['m', 2 ** 33], ['m', undefined],
    ];
    for (const [k, x] of bad) {
      const v = { ...good, [k]: x };
      const a = new Uint8Array(r.bytes).fill(0x5a);
      expect(outcome(() => packInto(r, v, a, 0)), `${k} = ${String(x)}`).toBe(outcome(() => packIntoSlow(r, v, new Uint8Array(r.bytes), 0)));
      expect(outcome(() => packInto(r, v, a, 0))).toMatch(/^throw/);
      expect(a.every((x) => x === 0x5a)).toBe(true);
    }
  });
});
