// Honest tables (docs/semantics.md §8, docs/dsl.md "Honest tables"): lookup / replace / peek on direct-mapped
// tables and set-associative tables, each model against a brute-force reference written from the semantics; the
// orders example three-way with lint; reads after a write in the same event; the rejections.
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

/** A set-associative table as the semantics state it: sets of ways, first empty way, no eviction. */
class Reference {
  private readonly sets: Array<Array<{ k: number; v: number } | null>>;
  constructor(private readonly nsets: number, ways: number, private readonly fold: boolean, private readonly width: number) {
    this.sets = Array.from({ length: nsets }, () => new Array(ways).fill(null));
  }
  private set(k: number): Array<{ k: number; v: number } | null> {
    const s = Math.log2(this.nsets);
    let h = k % this.nsets;
    if (this.fold) for (let b = s; b < this.width; b += s) h ^= Math.floor(k / 2 ** b) % this.nsets;
    return this.sets[h];
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
});
