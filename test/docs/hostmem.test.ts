// Host-written memories (paramMem; docs/dsl.md §4, docs/regmap.md "Host-written memories"), on the symbol-map
// example: the model's semantics, the compile (schedule, timing at 322.27 MHz, diagnostics with locations), the
// register map and its views (the C header compiled and run, the TS client run against a recording transport), a
// three-way cosim with non-default contents loaded by --params (whose effect is recomputed from the file alone),
// and the bank switch in the Verilated RTL: a memory rewritten and COMMITted while records flow, every output
// checked against the model switched at the COMMIT's edge, and the host's read-back after it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { compile, CompileError, formatDiagnostic } from '../../codegen/index.ts';
import { unpackFrom, paramMem, u, type Unit } from '../../dsl/index.ts';
import { regMapFiles, regMapOf, memoryWrites, stdReg } from '../../regmap/index.ts';
import { buildRtl } from '../../rtl/index.ts';
import { buildRtlDesign, cosim, paramWrites } from '../../sim/cosim.ts';
import { initialParams, readParamsFile } from '../../sim/params.ts';
import { loadDesign, stimulusRecords } from '../../sim/design.ts';
import { buildHarness, runHarness } from '../../sim/verilator/index.ts';
import { verilatorCommand } from '../../sim/tools.ts';

const EX = 'test/docs/examples';
const FILE = `${EX}/symmap.ts`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-hostmem-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const values = readParamsFile(`${EX}/symmap.params.json`) as { enabled: boolean; slots: number[]; limits: number[]; bias: number[] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = async (): Promise<any> => import(pathToFileURL(path.resolve(FILE)).href);

describe('model', () => {
  test('params.m[i] reads the committed contents; commit replaces a memory whole, checked first', async () => {
    const m = (await load()).default.model();
    expect(m.params.slots.length).toBe(1024);
    expect(m.step({ locate: 17, price: 5 })).toEqual({ slot: 0, ok: false, adjusted: 5 }); // all zero: limit 0
    const slots = Array.from({ length: 1024 }, (_, i) => 1023 - i);
    const limits = new Array(1024).fill(0);
    limits[1023 - 17] = 100;
    m.commit({ slots, limits });
    // locate 17 + 1024k -> entry 17 -> slot 1006; limit of slot 1006 is 100; bias[1006 & 7 = 6] = -(2^39).
    expect(m.step({ locate: 17 + 2048, price: 100 })).toEqual({ slot: 1006, ok: true, adjusted: 100 - 2 ** 39 });
    expect(() => m.commit({ slots: [1, 2, 3] })).toThrow('expected 1024 values, got 3');
    expect(() => m.commit({ slots: slots.map((x, i) => (i === 5 ? 1024 : x)) })).toThrow(/1024/);
    expect(m.params.slots[0]).toBe(1023); // the failed commits changed nothing
    expect(() => paramMem(u(8), 1000)).toThrow('paramMem length must be a power of two in 2..65536, got 1000');
  });
});

describe('compile', () => {
  test('three block-RAM reads, two in a row; meets 322.27 MHz (a 1,024 x 32 memory among them); no sweep', () => {
    const ir = compile(FILE);
    const s = ir.schedule!;
    expect(s.violations).toEqual([]);
    expect(s.clockMHz).toBeCloseTo(322.27, 2);
    const mems = Object.fromEntries([...s.memories].map(([k, m]) => [k, [m.kind, m.read, m.stage, m.wordBits, m.readLatency]]));
    // slots is read at the input's locate (key in stage 0), limits and bias at the slot it gives (two cycles later).
    expect(mems).toEqual({ slots: ['bram', 'sync', 2, 10, 2], limits: ['bram', 'sync', 4, 32, 2], bias: ['bram', 'sync', 4, 40, 2] });
    expect(s.sweepCycles).toBe(0);
    expect([s.lastStage + 1, s.latency]).toEqual([5, 6]);
    expect(Math.max(...s.stages.map((x) => x.delayNs))).toBeLessThan(s.periodNs);
  });

  test('an init computed from the index (Array.from) is evaluated at compile time exactly as the model computes it', async () => {
    const file = 'test/codegen/good/hostmem-gen.ts';
    const ir = compile(file);
    const m = ((await import(pathToFileURL(path.resolve(file)).href)) as { default: Unit }).default.model();
    const params = m.params as unknown as { map: number[]; wave: number[] };
    expect(ir.tables.find((t) => t.name === 'map')!.host!.init).toEqual(params.map.map(BigInt));
    expect(ir.tables.find((t) => t.name === 'wave')!.host!.init).toEqual(params.wave.map(BigInt));
    expect(params.map[3]).toBe(1);
    expect(params.wave.some((v) => v < 0)).toBe(true);
  });

  const R = 'test/docs/rejects';
  test.each([
    ['mem-index', `${R}/mem-index.ts:11:28: error TF108: index of slots may be 0..65535, outside 0..1023 (JavaScript would read undefined)`],
    ['mem-size', `${R}/mem-size.ts:9:36: error TF011: paramMem length must be a power of two in 2..65536, got 1000`],
    ['mem-big', `${R}/mem-big.ts:9:36: error TF011: paramMem length must be a power of two in 2..65536, got 131072`],
    ['mem-gen', `${R}/mem-gen.ts:9:81: error TF011: paramMem init: Math.min(l, 7) is not a constant expression of the index`],
  ])('rejects %s', (name, expected) => {
    let msg = '';
    try {
      compile(`${R}/${name}.ts`);
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
      msg = formatDiagnostic(err.diagnostics[0]).split('\n')[0];
    }
    expect(msg).toBe(expected);
  });
});

describe('register map', () => {
  const map = regMapOf(compile(FILE));
  test('the window: params, then per memory ADDR and its DATA words', () => {
    const w = map.windows[0];
    expect(w.params.map((p) => [p.name, p.offset])).toEqual([['enabled', 0x20]]);
    expect(w.memories.map((x) => [x.name, x.offset, x.bytes, x.data, x.entries, x.words, x.width, x.signed])).toEqual([
      ['slots', 0x24, 8, [0x28], 1024, 1, 10, false],
      ['limits', 0x2c, 8, [0x30], 1024, 1, 32, false],
      ['bias', 0x34, 12, [0x38, 0x3c], 8, 2, 40, true],
    ]);
    expect(w.size).toBe(0x20);
    // Whole-memory writes: ADDR 0, then per entry its DATA words, low first (a -1 of i(40) is 0xffffffff, 0xff).
    expect(memoryWrites(w.memories[2], [-1n, 2n ** 32n + 5n, 0n, 0n, 0n, 0n, 0n, 0n]).slice(0, 5)).toEqual([
      { offset: 0x34, value: 0, noReadback: true },
      { offset: 0x38, value: 0xffffffff, noReadback: true },
      { offset: 0x3c, value: 0xff, noReadback: true },
      { offset: 0x38, value: 5, noReadback: true },
      { offset: 0x3c, value: 1, noReadback: true },
    ]);
    const f = regMapFiles(map);
    expect(f.get('symmap_regs.md')).toContain('| 0x28 | slots.DATA | rw (shadow bank) | 10 |');
    expect(f.get('symmap_regs.rdl')).toContain('} bias_data1 @ 0x1c;');
  });

  test('the C header compiles with gcc -Wall -Werror; its write function makes the window writes of the map', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'c-'));
    fs.writeFileSync(path.join(dir, 'symmap_regs.h'), regMapFiles(map).get('symmap_regs.h')!);
    fs.writeFileSync(
      path.join(dir, 'main.c'),
      [
        '#include <stdio.h>',
        '#include "symmap_regs.h"',
        'static void w32(void *ctx, uint32_t off, uint32_t v) { (void)ctx; printf("%x %x\\n", off, v); }',
        'int main(void) {',
        '  uint64_t bias[SYMMAP_BIAS_ENTRIES] = { 0xffffffffffffffffull, (1ull << 32) + 5, 0, 0, 0, 0, 0, 0 };',
        '  symmap_write_bias(w32, NULL, 0, bias);',
        '  printf("%x %x\\n", SYMMAP_COMMIT_OFFSET, 1u);',
        '  return 0;',
        '}',
      ].join('\n'),
    );
    const cc = spawnSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-o', path.join(dir, 'main'), path.join(dir, 'main.c')], { encoding: 'utf8' });
    expect(cc.stderr).toBe('');
    const out = spawnSync(path.join(dir, 'main'), { encoding: 'utf8' }).stdout.trim().split('\n');
    const want = memoryWrites(map.windows[0].memories[2], [-1n, 2n ** 32n + 5n, 0n, 0n, 0n, 0n, 0n, 0n]).map((x) => `${x.offset.toString(16)} ${(x.value >>> 0).toString(16)}`);
    expect(out).toEqual([...want, `${stdReg(map, 'COMMIT').offset.toString(16)} 1`]);
  });

  test('the TS client writes a whole memory through the window, and reads an entry back', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'ts-'));
    fs.writeFileSync(path.join(dir, 'symmap_regs.ts'), regMapFiles(map).get('symmap_regs.ts')!);
    const mod = await import(pathToFileURL(path.join(dir, 'symmap_regs.ts')).href);
    const writes: Array<[number, number]> = [];
    const bus = { read32: (o: number) => (o === 0x3c ? 0xff : o === 0x38 ? 0xfffffffe : 0), write32: (o: number, v: number) => void writes.push([o, v]) };
    const c = new mod.SymmapRegs(bus);
    await c.writeMemory('slots', Array.from({ length: 1024 }, (_, i) => i));
    expect(writes.length).toBe(1025);
    expect(writes.slice(0, 3)).toEqual([[0x24, 0], [0x28, 0], [0x28, 1]]);
    await expect(c.writeMemory('bias', [1, 2])).rejects.toThrow('memory bias has 8 entries; got 2 values');
    expect(await c.readMemoryEntry('bias', 3)).toBe(-2n); // i(40) 0xff_fffffffe
    expect(writes.at(-1)).toEqual([0x34, 3]);
  });
});

// The reference's decisions recomputed from the params file alone (not from any executor).
const expectedOk = (recs: Array<{ locate: number; price: number }>) => recs.filter((q) => q.price <= values.limits[values.slots[q.locate & 1023]]).length;

describe('cosim --params: three-way with non-default memory contents', () => {
  test('0 mismatches, lint clean, and the outputs are the file\'s, not the defaults\'', async () => {
    const r = await cosim({ file: FILE, input: 'synthetic:3000', seed: 5, out: path.join(tmp, 'cosim'), params: values });
    expect(r.executors.rtl!.compared).toBe(3000);
    expect(r.executors.hls!.compared).toBe(3000);
    expect(r.mismatches).toBe(0);
    const recs = stimulusRecords(await loadDesign(FILE), compile(FILE).input, 'synthetic:3000', 5) as Array<{ locate: number; price: number }>;
    const ok = expectedOk(recs);
    expect(ok).toBeGreaterThan(500); // the defaults (every limit 0) accept none of these prices
    expect(r.outputCounts.ok.true).toBe(ok);
    const vc = verilatorCommand();
    const files = fs.readdirSync(r.rtl!.dir).filter((f) => f.endsWith('.v')).map((f) => path.join(r.rtl!.dir, f));
    const lint = spawnSync(vc.cmd, ['--lint-only', '-Wall', '--top-module', r.design, ...files], { env: { ...process.env, ...vc.env }, encoding: 'utf8' });
    expect(lint.stderr.split('\n').filter((l) => l.startsWith('%'))).toEqual([]);
  }, 300_000);

  test('edges: one-bit and 64-bit signed entries, a two-entry memory at a constant index, a memory step never reads', async () => {
    const file = 'test/codegen/good/hostmem-edge.ts';
    const v = readParamsFile('test/codegen/good/hostmem-edge.params.json') as { flags: boolean[]; wide: string[]; two: number[] };
    const r = await cosim({ file, input: 'synthetic:2000', seed: 2, out: path.join(tmp, 'edge'), params: v });
    expect(r.mismatches).toBe(0);
    expect(r.executors.hls!.compared).toBe(2000);
    const recs = stimulusRecords(await loadDesign(file), compile(file).input, 'synthetic:2000', 2) as Array<{ k: number }>;
    expect(r.outputCounts.flag.true).toBe(recs.filter((x) => v.flags[x.k]).length);
  }, 300_000);

  test('memory values are checked against the design before anything runs', () => {
    const ir = compile(FILE);
    expect(() => initialParams(ir, { slots: [1, 2] })).toThrow('param slots is a paramMem of 1024 entries; give an array of 1024');
    expect(() => initialParams(ir, { bias: [0, 0, 0, 0, 0, 0, 0, 2 ** 40] })).toThrow(/param bias\[7\]: 1099511627776 is outside/);
    const p = initialParams(ir, { bias: ['-0x10', 1, 2, 3, 4, 5, 6, 7] });
    expect([p.codes['bias[0]'], p.codes['bias[7]'], (p.model.bias as unknown[])[0]]).toEqual([-16n, 7n, -16]);
  });
});

describe('the bank switch in the Verilated RTL', () => {
  test('slots rewritten and COMMITted under traffic: records accepted up to the edge see the old map, later ones the new', async () => {
    const ir = compile(FILE);
    const map = regMapOf(ir);
    const dir = path.join(tmp, 'rtl');
    buildRtl(ir, dir);
    const design = buildRtlDesign(ir, dir, fs.readdirSync(dir).filter((f) => f.endsWith('.v')).sort());
    const build = await buildHarness(design, {});
    const d = await loadDesign(FILE);
    const recs = stimulusRecords(d, ir.input, 'synthetic:4000', 9) as Array<{ locate: number; price: number }>;
    const inputs = new Uint8Array(recs.length * ir.input.bytes);
    const { packInto } = await import('../../dsl/index.ts');
    recs.forEach((x, i) => packInto(ir.input, x, inputs, i * ir.input.bytes));
    const initial = initialParams(ir, values);
    const slotsB = values.slots.map((s) => (s * 7 + 3) % 1024);
    const slotsW = map.windows[0].memories.find((x) => x.name === 'slots')!;
    const writes = [...memoryWrites(slotsW, slotsB.map(BigInt)), { offset: stdReg(map, 'COMMIT').offset, value: 2 }].map(({ offset, value }) => ({ at: 500, offset, value }));
    const res = await runHarness(build, design, {
      inputs, params: paramWrites(ir, initial.codes), seed: 3, workDir: path.join(tmp, 'rtl-work'), drainCycles: 64, writes,
      // After the stream: slots' ADDR (wrapped to 0) and its DATA: the shadow bank, which after the switch is the old live one.
      readAfter: [slotsW.offset, slotsW.data[0]],
    });
    const edge = BigInt(res.writeCycles.at(-1)!);
    const switched = [...res.inCycles].filter((c) => c > edge).length;
    expect(switched).toBeGreaterThan(100);
    expect(switched).toBeLessThan(recs.length - 500);
    const m = d.unit.model();
    m.commit(initial.model as never);
    let mismatches = 0;
    let committed = false;
    recs.forEach((x, i) => {
      if (!committed && res.inCycles[i] > edge) (m.commit({ slots: slotsB } as never), (committed = true));
      const want = m.step(x, Number(res.inCycles[i]));
      const got = unpackFrom(ir.output, res.outputs, i * ir.output.bytes);
      if (JSON.stringify(got, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) !== JSON.stringify(want, (_, v) => (typeof v === 'bigint' ? v.toString() : v))) mismatches++;
    });
    expect(mismatches).toBe(0);
    // The model with the old map all along disagrees after the edge (the switch is visible in the outputs).
    const old = d.unit.model();
    old.commit(initial.model as never);
    const differ = recs.filter((x, i) => res.inCycles[i] > edge && old.step(x)?.slot !== unpackFrom(ir.output, res.outputs, i * ir.output.bytes).slot).length;
    expect(differ).toBeGreaterThan(switched / 2);
    expect(res.readback).toEqual([0, values.slots[0]]);
  }, 300_000);
});

describe('cocotb', () => {
  test('test_params rewrites every memory with random contents under traffic; the model switches at each COMMIT edge', () => {
    const out = path.join(tmp, 'cocotb');
    const r = spawnSync(process.execPath, ['bin/tickforge.mjs', 'test', FILE, '--out', out, '--records', '400', '--seed', '4'], { encoding: 'utf8' });
    expect(r.stdout, r.stdout + r.stderr).toMatch(/^cocotb: 3 tests, 0 failed$/m);
    const log = fs.readFileSync(path.join(out, 'sim_test_params.log'), 'utf8');
    expect([...log.matchAll(/memory (\w+): (\d+) entries written, switched in by COMMIT/g)].map((m) => [m[1], Number(m[2])])).toEqual([['bias', 8], ['slots', 1024], ['limits', 1024]]);
  }, 300_000);
});
