// Honest tables (docs/semantics.md §8, docs/dsl.md "Honest tables"): lookup / replace / peek on direct-mapped
// tables and set-associative tables (with and without round-robin eviction), each model against a brute-force
// reference written from the semantics; the orders and cache examples three-way with lint; reads after a write in
// the same event; the rejections.
// Run from the repository root: npx vitest run test/docs/tables.test.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { compile, CompileError, formatDiagnostic } from '../../codegen/index.ts';
import { Rng, Slot, Table, SetTable, table, u } from '../../dsl/index.ts';
import { hashKey } from '../../dsl/settable.ts';
import { cosim } from '../../sim/cosim.ts';
import { verilatorCommand } from '../../sim/tools.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-tables-'));

describe('direct-mapped: lookup, replace, peek', () => {
  test('hit / empty / taken, and an eviction that reports what it evicted', () => {
    const t = new Table<number, number>(table({ key: u(8), value: u(8), capacity: 16 }));
    expect(t.lookup(3)).toBe(Slot.Empty);
    expect(t.set(3, 30)).toBe(true);
    expect([t.lookup(3), t.lookup(19), t.lookup(4)]).toEqual([Slot.Hit, Slot.Taken, Slot.Empty]); // 19 mod 16 = 3
    expect(t.set(19, 190)).toBe(false); // set never evicts
    expect([t.owner(19), t.peek(19)]).toEqual([3, 30]); // the slot's key and value, whoever holds it
    expect(t.replace(19, 190)).toBe(true); // evicted key 3
    expect([t.has(3), t.get(19), t.lookup(3)]).toEqual([false, 190, Slot.Taken]);
    expect(t.replace(19, 191)).toBe(false); // its own slot: an update
    expect([t.owner(5), t.peek(5)]).toEqual([0, 0]);
  });
});

/**
 * A set-associative table as the semantics state it: sets of ways, first empty way; set() never evicts, and with
 * round-robin replacement replace() evicts the way a per-set pointer names, which then steps on.
 */
class Reference {
  private readonly sets: Array<Array<{ k: number; v: number } | null>>;
  private readonly ptr: number[];
  constructor(private readonly nsets: number, private readonly ways: number, private readonly fold: boolean, private readonly width: number) {
    this.sets = Array.from({ length: nsets }, () => new Array(ways).fill(null));
    this.ptr = new Array(nsets).fill(0);
  }
  private index(k: number): number {
    const s = Math.log2(this.nsets);
    let h = k % this.nsets;
    if (this.fold) for (let b = s; b < this.width; b += s) h ^= Math.floor(k / 2 ** b) % this.nsets;
    return h;
  }
  private set(k: number): Array<{ k: number; v: number } | null> {
    return this.sets[this.index(k)];
  }
  lookup(k: number): Slot {
    const s = this.set(k);
    return s.some((e) => e?.k === k) ? Slot.Hit : s.includes(null) ? Slot.Empty : Slot.Taken;
  }
  get(k: number): number {
    return this.set(k).find((e) => e?.k === k)?.v ?? 0;
  }
  put(k: number, v: number): boolean {
    const s = this.set(k);
    const i = s.findIndex((e) => e?.k === k);
    const j = i >= 0 ? i : s.indexOf(null);
    if (j < 0) return false;
    s[j] = { k, v };
    return true;
  }
  del(k: number): boolean {
    const s = this.set(k);
    const i = s.findIndex((e) => e?.k === k);
    if (i >= 0) s[i] = null;
    return i >= 0;
  }
  /** The way replace(k) writes: k's, else the first empty, else the pointer's. */
  private target(k: number): { way: number; evicts: boolean } {
    const s = this.set(k);
    const i = s.findIndex((e) => e?.k === k);
    if (i >= 0) return { way: i, evicts: false };
    const j = s.indexOf(null);
    return j >= 0 ? { way: j, evicts: false } : { way: this.ptr[this.index(k)], evicts: true };
  }
  owner(k: number): number {
    const { way, evicts } = this.target(k);
    return this.lookup(k) === Slot.Hit || evicts ? this.set(k)[way]!.k : 0;
  }
  peek(k: number): number {
    const { way } = this.target(k);
    return this.set(k)[way]?.v ?? 0;
  }
  replace(k: number, v: number): boolean {
    const { way, evicts } = this.target(k);
    this.set(k)[way] = { k, v };
    if (evicts) this.ptr[this.index(k)] = (this.ptr[this.index(k)] + 1) % this.ways;
    return evicts;
  }
}

describe('set-associative tables', () => {
  test.each([['low', false], ['fold', true]] as const)('the model equals the reference (hash %s)', (hash, fold) => {
    const spec = table({ key: u(16), value: u(8), capacity: 64, ways: 4, hash });
    const t = new SetTable<number, number>(spec);
    const r = new Reference(16, 4, fold, 16);
    const rng = new Rng(11);
    const counts = { [Slot.Hit]: 0, [Slot.Empty]: 0, [Slot.Taken]: 0 };
    for (let n = 0; n < 20000; n++) {
      const k = rng.chance(0.5) ? rng.below(160) : rng.below(65536);
      const op = rng.below(10);
      const l = r.lookup(k);
      counts[l]++;
      expect(t.lookup(k)).toBe(l);
      expect(t.get(k)).toBe(r.get(k));
      if (op < 6) expect(t.set(k, n & 255)).toBe(r.put(k, n & 255));
      else if (op < 9) expect(t.delete(k)).toBe(r.del(k));
    }
    for (const c of Object.values(counts)) expect(c).toBeGreaterThan(100);
  });
  test.each([['low', false, 4], ['fold', true, 4], ['fold', true, 2], ['low', false, 8]] as const)(
    "policy 'roundRobin': the model equals the reference over replace, owner, peek, set, delete (hash %s, fold %s, %d ways)",
    (hash, fold, ways) => {
      const spec = table({ key: u(16), value: u(8), capacity: 64, ways, hash, policy: 'roundRobin' });
      const t = new SetTable<number, number>(spec);
      const r = new Reference(64 / ways, ways, fold, 16);
      const rng = new Rng(ways * 7 + (fold ? 1 : 0));
      const counts = { [Slot.Hit]: 0, [Slot.Empty]: 0, [Slot.Taken]: 0, evicted: 0, kept: 0, refused: 0 };
      for (let n = 0; n < 12000; n++) {
        // A pool about three times the table, and one key in four crowding a few sets.
        const k = rng.chance(0.75) ? rng.below(200) : rng.below(4) + 4096 * rng.below(16);
        const l = r.lookup(k);
        counts[l]++;
        expect(t.lookup(k)).toBe(l);
        expect(t.get(k)).toBe(r.get(k));
        expect(t.owner(k)).toBe(r.owner(k));
        expect(t.peek(k)).toBe(r.peek(k));
        const op = rng.below(10);
        if (op < 5) {
          const e = r.replace(k, n & 255);
          counts[e ? 'evicted' : 'kept']++;
          expect(t.replace(k, n & 255)).toBe(e);
        } else if (op < 7) {
          const ok = r.put(k, n & 255);
          if (!ok) counts.refused++;
          expect(t.set(k, n & 255)).toBe(ok);
        } else if (op < 9) expect(t.delete(k)).toBe(r.del(k));
      }
      for (const c of Object.values(counts)) expect(c).toBeGreaterThan(100);
    },
  );
  test("round robin by hand: a full 2-way set evicts way 0, then 1, then 0; owner/peek name the victim first", () => {
    const t = new SetTable<number, number>(table({ key: u(8), value: u(8), capacity: 8, ways: 2, policy: 'roundRobin' }));
    // 4 sets: keys 1, 5, 9, 13 share set 1.
    expect([t.replace(1, 10), t.replace(5, 50)]).toEqual([false, false]); // ways 0 and 1 filled
    expect([t.lookup(9), t.owner(9), t.peek(9)]).toEqual([Slot.Taken, 1, 10]); // the pointer names way 0
    expect(t.replace(9, 90)).toBe(true); // evicts 1; the pointer steps to way 1
    expect([t.has(1), t.owner(13), t.peek(13)]).toEqual([false, 5, 50]);
    expect(t.replace(13, 130)).toBe(true); // evicts 5
    expect([t.owner(1), t.peek(1)]).toEqual([9, 90]); // back to way 0
    expect([t.owner(13), t.peek(13), t.replace(13, 131), t.get(13)]).toEqual([13, 130, false, 131]); // a hit updates in place
    expect(t.delete(9)).toBe(true);
    expect([t.owner(1), t.peek(1), t.replace(1, 11)]).toEqual([0, 0, false]); // room: fills way 0, pointer unchanged
    expect([t.set(17, 1), t.owner(17)]).toEqual([false, 1]); // set() never evicts; the pointer still names way 0
    expect(() => new SetTable<number, number>(table({ key: u(8), value: u(8), capacity: 8, ways: 2 })).replace(1, 1)).toThrow(/needs a replacement policy/);
    expect(() => table({ key: u(8), value: u(8), capacity: 8, policy: 'roundRobin' })).toThrow(/set-associative/);
  });
  test('hashKey is a bijection of the key (so a way compares whole keys)', () => {
    const seen = new Set<number>();
    for (let k = 0; k < 1 << 12; k++) seen.add(hashKey(k, 12, 5, 'fold') as number);
    expect(seen.size).toBe(1 << 12);
    expect(hashKey(0b1_00110_00011, 11, 5, 'fold')).toBe(0b1_00110_00100); // set 00011 ^ 00110 ^ 00001
  });
  test('a 2^20-entry, 4-way order table keyed by u(32) is built in UltraRAM and meets 322.27 MHz', () => {
    const src = fs.readFileSync('test/docs/examples/orders.ts', 'utf8').replace("capacity: 1024, ways: 4", 'capacity: 1 << 20, ways: 4');
    const file = 'test/docs/examples/.orders-2e20.ts';
    fs.writeFileSync(file, src);
    try {
      const ir = compile(file);
      expect(ir.schedule.violations).toEqual([]);
      expect([...ir.schedule.memories].filter(([n]) => n.startsWith('orders_w')).map(([, m]) => m.kind)).toEqual(['uram', 'uram', 'uram', 'uram']);
    } finally {
      fs.rmSync(file);
    }
  });
});

describe('orders example: three-way, lint clean', () => {
  test('every lookup outcome occurs, overflows agree in the status register', async () => {
    const r = await cosim({ file: 'test/docs/examples/orders.ts', input: 'synthetic:20000', seed: 3, out: path.join(tmp, 'orders') });
    expect(r.executors.rtl!.compared).toBe(20000);
    expect(r.executors.hls!.compared).toBe(20000);
    expect(r.mismatches).toBe(0);
    for (const s of ['Hit', 'Empty', 'Taken']) expect(r.outputCounts.found[s]).toBeGreaterThan(500);
    expect(r.outputCounts.evicted.true).toBeGreaterThan(500);
    expect(r.outputCounts.evicted.false).toBeGreaterThan(100);
    expect(r.status).toEqual([expect.objectContaining({ name: 'overflows', match: true })]);
    expect(Number(r.status[0].model)).toBeGreaterThan(100);
    const vc = verilatorCommand();
    const dir = r.rtl!.dir;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.v')).map((f) => path.join(dir, f));
    const lint = spawnSync(vc.cmd, ['--lint-only', '-Wall', '--top-module', r.design, ...files], { env: { ...process.env, ...vc.env }, encoding: 'utf8' });
    expect(lint.stderr.split('\n').filter((l) => l.startsWith('%'))).toEqual([]);
  }, 300_000);
});

describe('cache example (round-robin eviction): three-way, lint clean', () => {
  const EX = 'test/docs/examples/cache.ts';
  test('evictions, with the evicted reference and size, agree in all three; so does the status register', async () => {
    const r = await cosim({ file: EX, input: 'synthetic:5000', seed: 5, out: path.join(tmp, 'cache') });
    expect(r.executors.rtl!.compared).toBe(5000);
    expect(r.executors.hls!.compared).toBe(5000);
    expect(r.mismatches).toBe(0);
    for (const s of ['Hit', 'Empty', 'Taken']) expect(r.outputCounts.found[s]).toBeGreaterThan(300);
    expect(r.outputCounts.evicted.true).toBeGreaterThan(1000);
    expect(r.outputCounts.evicted.false).toBeGreaterThan(1000);
    expect(r.outputCounts.cancelled.true).toBeGreaterThan(200);
    expect(r.status).toEqual([expect.objectContaining({ name: 'evictions', match: true })]);
    expect(Number(r.status[0].model)).toBe(r.outputCounts.evicted.true);
    const vc = verilatorCommand();
    const dir = r.rtl!.dir;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.v')).map((f) => path.join(dir, f));
    const lint = spawnSync(vc.cmd, ['--lint-only', '-Wall', '--top-module', r.design, ...files], { env: { ...process.env, ...vc.env }, encoding: 'utf8' });
    expect(lint.stderr.split('\n').filter((l) => l.startsWith('%'))).toEqual([]);
  }, 300_000);
  test('in block RAM (registered reads, in-flight writes forwarded), the victim pointers too: three-way', async () => {
    const file = 'test/docs/examples/.cache-bram.ts';
    fs.writeFileSync(file, fs.readFileSync(EX, 'utf8').replace("policy: 'roundRobin' })", "policy: 'roundRobin', memory: 'bram' })"));
    try {
      const ir = compile(file, { timing: { enforce: false } });
      expect([...ir.schedule.memories].map(([n, m]) => [n, m.kind])).toEqual(['cache_w0', 'cache_w1', 'cache_w2', 'cache_w3', 'cache_victim'].map((n) => [n, 'bram']));
      const r = await cosim({ file, input: 'synthetic:4000', seed: 9, out: path.join(tmp, 'cache-bram') });
      expect(r.executors.rtl!.compared).toBe(4000);
      expect(r.executors.hls!.compared).toBe(4000);
      expect(r.mismatches).toBe(0);
      expect(r.outputCounts.evicted.true).toBeGreaterThan(1000);
      expect(r.status).toEqual([expect.objectContaining({ name: 'evictions', match: true })]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 300_000);
  test('the victim pointers are one more table, keyed by the set index; the clock figures docs/dsl.md quotes', () => {
    // Two write places (the move's delete, then the replace) on a 4-way table miss 322.27 MHz by a little, as set()
    // does there; one write place meets it.
    const ir = compile(EX, { timing: { enforce: false } });
    expect(ir.tables.find((x) => x.name === 'cache_victim')).toEqual({ name: 'cache_victim', key: { kind: 'uint', width: 4 }, value: { kind: 'uint', width: 2 }, capacity: 16 });
    expect(ir.schedule.violations.map((v) => v.code)).toEqual(['TF130']);
    expect(ir.schedule.violations[0].message).toMatch(/estimated 3\.27 ns > 3\.103 ns/);
    const src = fs.readFileSync(EX, 'utf8');
    const variants = [src.replace('if (m.op === Op.Cancel || m.op === Op.Move) cancelled = t.cache.delete(m.ref);', ''), src.replace('ways: 4', 'ways: 2')];
    const file = 'test/docs/examples/.cache-variant.ts';
    try {
      for (const v of variants) {
        expect(v).not.toBe(src);
        fs.writeFileSync(file, v);
        expect(compile(file).schedule.violations).toEqual([]);
      }
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
  test('docs/dsl.md shows it as it is', () => {
    const src = fs.readFileSync(EX, 'utf8');
    const body = src.slice(src.indexOf('import {'), src.indexOf('/** References from')).trimEnd();
    const doc = fs.readFileSync('docs/dsl.md', 'utf8');
    const start = doc.indexOf(`// ${EX}\n`) + `// ${EX}\n`.length;
    expect(start).toBeGreaterThan(`// ${EX}\n`.length);
    expect(doc.slice(start, doc.indexOf('```', start)).trimEnd()).toBe(body);
  });
});

function firstLine(file: string): string {
  try {
    compile(file);
  } catch (err) {
    if (err instanceof CompileError) return formatDiagnostic(err.diagnostics[0]).split('\n')[0];
    throw err;
  }
  throw new Error(`${file} compiled, but it should have been rejected`);
}

describe('rejected', () => {
  test('a read after replace() in the same event', () => {
    expect(firstLine('test/docs/rejects/read-after-replace.ts')).toBe('test/docs/rejects/read-after-replace.ts:12:19: error TF112: table t was written by replace() earlier in this event; read it before the replace');
  });
  test('replace on a set-associative table without a replacement policy', () => {
    expect(firstLine('test/docs/rejects/replace-refuse.ts')).toBe(
      "test/docs/rejects/replace-refuse.ts:11:23: error TF109: replace on set-associative table t needs a replacement policy: declare policy: 'roundRobin' in its table({ ... }) (with 'refuse', the default, a full set evicts nothing: set() reports the overflow instead)",
    );
  });
  test('an unknown replacement policy', () => {
    expect(firstLine('test/docs/rejects/policy-unknown.ts')).toBe("test/docs/rejects/policy-unknown.ts:10:80: error TF011: table policy must be one of 'refuse', 'roundRobin'");
  });
  test('a table named like the memories of a set-associative one', () => {
    expect(firstLine('test/docs/rejects/table-name-clash.ts')).toBe(
      "test/docs/rejects/table-name-clash.ts:11:15: error TF011: table t_victim needs a memory named t_victim, which table t also needs: rename one (a set-associative table t is built as t_w0.., and t_victim with policy 'roundRobin'; a vector-valued one as t_0..)",
    );
  });
});
