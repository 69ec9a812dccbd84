// The table models against their earlier definitions (test/dsl/table-ref.ts: plain arrays and BigInt hashing): the
// same random operations on both give the same results, the same errors and the same contents, for direct-mapped and
// set-associative tables ('low' and 'fold', both policies), keys and values as numbers and as bigints, small sets so
// that sets fill, overflow and evict, and keys the model does not check (wider than the spec, negative, of the
// other type), which the typed storage must keep as the values they were.
import { describe, expect, test } from 'vitest';
import { table, Table, SetTable, u, i, bool, vec, type TableSpec } from '../../dsl/index.ts';
import { hashKey } from '../../dsl/settable.ts';
import { Rng } from '../../dsl/rng.ts';
import { RefTable, RefSetTable } from './table-ref.ts';

type Any = number | bigint | boolean;
type Model = { [m: string]: (...a: Any[]) => unknown };

/** What a call gives: its value (bigints and -0 told apart) or its error's class and message. */
function outcome(f: () => unknown): string {
  try {
    const v = f();
    return typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : JSON.stringify(v);
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

function keyOf(rng: Rng, spec: TableSpec, pool: Any[]): Any {
  const big = spec.key.width > 53;
  const r = rng.below(100);
  if (r < 60 && pool.length > 0) return pool[rng.below(pool.length)]!; // a key seen before: hits, updates, deletes
  if (r < 64) return big ? -rng.bits(20) - 1n : Number(rng.bits(60)); // not of the spec: negative, or wider
  if (r < 66) return big ? 7 : 7n; // the other type
  const k = big ? rng.bits(spec.key.width) : Number(rng.bits(Math.min(spec.key.width, 53)));
  pool.push(k);
  return k;
}
function valueOf(rng: Rng, spec: TableSpec): Any {
  const v = spec.value;
  if (v.kind === 'bool') return rng.chance(0.5);
  const r = rng.below(100);
  if (r < 3) return v.width > 53 ? 5 : 5n; // wrong type: set/replace throw
  if (r < 5) return v.width > 53 ? 1n << BigInt(v.width) : 2 ** v.width; // out of range
  const b = rng.bits(v.width);
  if (v.kind === 'sint') return v.width > 53 ? BigInt.asIntN(v.width, b) : Number(BigInt.asIntN(v.width, b));
  return v.width > 53 ? b : Number(b);
}

function compare(spec: TableSpec, seed: number, ops: number, policyOps: boolean): string[] {
  const rng = new Rng(seed);
  const assoc = (spec.ways ?? 1) > 1;
  const a = (assoc ? new SetTable(spec) : new Table(spec)) as unknown as Model;
  const b = (assoc ? new RefSetTable(spec) : new RefTable(spec)) as unknown as Model;
  const methods = ['has', 'get', 'set', 'set', 'set', 'delete', 'lookup', ...(policyOps || !assoc ? ['replace', 'owner', 'peek'] : [])];
  const diffs: string[] = [];
  const pool: Any[] = [];
  for (let n = 0; n < ops && diffs.length < 5; n++) {
    const m = methods[rng.below(methods.length)]!;
    const k = keyOf(rng, spec, pool);
    const args = m === 'set' || m === 'replace' ? [k, valueOf(rng, spec)] : [k];
    const x = outcome(() => a[m]!(...args));
    const y = outcome(() => b[m]!(...args));
    if (x !== y) diffs.push(`op ${n}: ${m}(${args.map(String).join(', ')}): ${x}, the definition ${y}`);
  }
  for (const k of pool) for (const m of ['has', 'get']) if (outcome(() => a[m]!(k)) !== outcome(() => b[m]!(k))) diffs.push(`final ${m}(${k})`);
  if (a.size!() !== b.size!()) diffs.push(`size ${a.size!()} vs ${b.size!()}`);
  return diffs;
}

describe('tables: the typed-array models give what the array models gave', () => {
  const cases: Array<[string, TableSpec, boolean]> = [
    ['direct, u10 -> u64', table({ key: u(10), value: u(64), capacity: 16 }), false],
    ['direct, u64 -> u40', table({ key: u(64), value: u(40), capacity: 32 }), false],
    ['direct, u20 -> i64', table({ key: u(20), value: i(64), capacity: 8 }), false],
    ['direct, u8 -> bool', table({ key: u(8), value: bool(), capacity: 4 }), false],
    ['direct, u60 -> i12', table({ key: u(60), value: i(12), capacity: 64 }), false],
    ['4 ways fold, u64 -> u64 (the order store)', table({ key: u(64), value: u(64), capacity: 32, ways: 4, hash: 'fold' }), false],
    ['4 ways fold, roundRobin, u64 -> u64', table({ key: u(64), value: u(64), capacity: 32, ways: 4, hash: 'fold', policy: 'roundRobin' }), true],
    ['2 ways fold, roundRobin, u33 -> u16', table({ key: u(33), value: u(16), capacity: 16, ways: 2, hash: 'fold', policy: 'roundRobin' }), true],
    ['2 ways fold, u53 -> i8', table({ key: u(53), value: i(8), capacity: 64, ways: 2, hash: 'fold' }), false],
    ['8 ways low, roundRobin, u12 -> u64', table({ key: u(12), value: u(64), capacity: 32, ways: 8, policy: 'roundRobin' }), true],
    ['2 ways fold, 2^11 sets, u64 -> u32', table({ key: u(64), value: u(32), capacity: 4096, ways: 2, hash: 'fold' }), false],
  ];
  for (const [name, spec, policy] of cases) {
    test(name, () => {
      for (const seed of [1, 2, 3]) expect(compare(spec, seed, 4000, policy)).toEqual([]);
    });
  }
  test('the fold on 32-bit halves is hashKey', () => {
    // locate() (private) sets hk, the hashed key, and hs, its set: both against hashKey, the definition.
    const rng = new Rng(9);
    for (const [w, sets] of [[64, 2 ** 18], [64, 2], [40, 2 ** 7], [53, 2 ** 13], [20, 2 ** 5]] as const) {
      const t = new SetTable(table({ key: u(w), value: u(8), capacity: sets * 2, ways: 2, hash: 'fold' })) as unknown as { locate(k: Any): void; hk: Any; hs: number };
      const S = Math.log2(sets);
      for (let n = 0; n < 2000; n++) {
        const big = rng.bits(w);
        const k: Any = w > 53 ? big : Number(big);
        t.locate(k);
        const h = hashKey(k as number | bigint, w, S, 'fold');
        expect(t.hk).toBe(h);
        expect(t.hs).toBe(Number(BigInt(h) % BigInt(sets)));
      }
    }
  });
});

describe('tables whose value is a vector', () => {
  test('get and peek hand out fresh copies; set stores a copy; a miss reads a vector of zeros', () => {
    const t = new Table<number, number[]>(table({ key: u(4), value: vec(u(8), 3), capacity: 8 }));
    expect(t.get(5)).toEqual([0, 0, 0]);
    const row = [1, 2, 3];
    expect(t.set(5, row)).toBe(true);
    row[0] = 9; // the caller's array is not the stored one
    const got = t.get(5);
    expect(got).toEqual([1, 2, 3]);
    got[1] = 7; // nor is what get gave
    expect(t.get(5)).toEqual([1, 2, 3]);
    expect(t.peek(13)).toEqual([1, 2, 3]); // 13 shares slot 5
    expect(t.set(13, [4, 5, 6])).toBe(false); // slot held by 5: nothing written
    expect(t.delete(5)).toBe(true);
    expect(t.get(5)).toEqual([0, 0, 0]);
    const zero = t.get(5);
    zero[0] = 1; // the miss's zeros are a copy too
    expect(t.get(5)).toEqual([0, 0, 0]);
  });
  test('a value of the wrong length or out of range is refused; a set-associative vector table is not declared', () => {
    const t = new Table<number, boolean[]>(table({ key: u(4), value: vec(bool(), 2), capacity: 8 }));
    expect(() => t.set(1, [true])).toThrow(/array of 2/);
    expect(() => t.set(1, [true, 3 as unknown as boolean])).toThrow(/expected boolean/);
    expect(() => table({ key: u(8), value: vec(u(8), 2), capacity: 16, ways: 2 })).toThrow(/direct mapped/);
  });
});
