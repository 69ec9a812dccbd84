// The executor interface (sim/executor.ts) and the command/cache core (sim/runner.ts), used directly: one stimulus
// through the RTL, then the model and the HLS kernel told the RTL's cycles, compared with the same function cosim
// uses; and the cache core's publish / check / damaged-entry rules.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { packInto } from '../../dsl/record.ts';
import { loadDesign, stimulusRecords } from '../../sim/design.ts';
import { compareRecords, outputCount, type Stimulus } from '../../sim/executor.ts';
import { hlsExecutor, modelExecutor, rtlExecutor } from '../../sim/executors/index.ts';
import { ContentKey, newEntry, publishEntry, runCommand, usableEntry } from '../../sim/runner.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-exec-'));

describe('executors', () => {
  test('the risk gate through RTL, model and HLS: the RTL decides the cycles, the others are told them; equal outputs and status', async () => {
    const file = 'examples/risk-gate/gate.ts';
    const ir = compile(file, { timing: { enforce: false } });
    const design = await loadDesign(file);
    const records = stimulusRecords(design, ir.input, 'synthetic:3000', 7);
    const packed = new Uint8Array(records.length * ir.input.bytes);
    records.forEach((r, i) => packInto(ir.input, r, packed, i * ir.input.bytes));
    const stim: Stimulus = { record: ir.input, records, packed, workDir: path.join(tmp, 'work') };
    const rtl = await rtlExecutor(ir, { out: tmp, seed: 3, validProb: 0.7, readyProb: 0.6 }).run(stim);
    expect(rtl.inCycles.length).toBe(records.length);
    // Random stalls: the RTL took the records at cycles other than one per cycle.
    expect(Number(rtl.inCycles[records.length - 1])).toBeGreaterThan(records.length);
    expect(rtl.outCycles.length).toBe(outputCount(rtl));
    const told = { ...stim, cycles: rtl.inCycles };
    const model = await modelExecutor(design.unit, ir).run(told);
    const hls = await hlsExecutor(ir).run(told);
    for (const run of [model, hls]) {
      const c = compareRecords(run.outputs, rtl.outputs, rtl.outBytes);
      expect(c.mismatches, run.executor).toBe(0);
      expect(c.compared).toBe(outputCount(rtl));
      expect(c.compared).toBeGreaterThan(2000);
      expect([...run.status.keys()].sort()).toEqual([...rtl.status.keys()].sort());
      for (const [k, v] of rtl.status) expect(run.status.get(k), `${run.executor} ${k}`).toBe(v);
    }
    expect(model.from.length).toBe(outputCount(model));
    // A stimulus with one record changed (an input that produced an output, whose Decision carries its qty) is
    // reported at that record's output.
    const at = model.from[500];
    const changed = records.map((r, i) => (i === at ? { ...r, qty: (Number(r.qty) + 1) % 2 ** 32 } : r));
    const packed2 = new Uint8Array(packed);
    packInto(ir.input, changed[at], packed2, at * ir.input.bytes);
    const other = await modelExecutor(design.unit, ir).run({ ...told, records: changed, packed: packed2 });
    const c = compareRecords(other.outputs, rtl.outputs, rtl.outBytes);
    expect(c.mismatches).toBeGreaterThan(0);
    expect(model.from[c.first!]).toBe(at);
  }, 300_000);

  test('status registers by name: the route stage counter is equal in RTL, model and HLS', async () => {
    const file = 'examples/pipeline/route.ts';
    const ir = compile(file, { timing: { enforce: false } });
    const design = await loadDesign(file);
    const records = stimulusRecords(design, ir.input, 'synthetic:2000', 11);
    const packed = new Uint8Array(records.length * ir.input.bytes);
    records.forEach((r, i) => packInto(ir.input, r, packed, i * ir.input.bytes));
    const stim: Stimulus = { record: ir.input, records, packed, workDir: path.join(tmp, 'work-route') };
    const rtl = await rtlExecutor(ir, { out: path.join(tmp, 'route'), seed: 5, readyProb: 0.5 }).run(stim);
    const told = { ...stim, cycles: rtl.inCycles };
    const runs = [await modelExecutor(design.unit, ir).run(told), await hlsExecutor(ir).run(told)];
    expect(rtl.status.size).toBeGreaterThan(0);
    for (const [k, v] of rtl.status) {
      expect(v, k).toBeGreaterThan(0n);
      for (const run of runs) expect(run.status.get(k), `${run.executor} ${k}`).toBe(v);
    }
    for (const run of runs) expect(compareRecords(run.outputs, rtl.outputs, rtl.outBytes).mismatches).toBe(0);
  }, 300_000);
});

describe('runner core', () => {
  test('an entry is published whole with its manifest, used when intact, and removed with a note when damaged', () => {
    const root = path.join(tmp, 'cache');
    const key = new ContentKey().field('a').field('b').digest();
    // Length-prefixed fields: "ab" + "" is not "a" + "b".
    expect(new ContentKey().field('ab').field('').digest()).not.toBe(key);
    const dir = path.join(root, key);
    expect(usableEntry(dir, ['out.bin'], 'test')).toBe(false);
    const t1 = newEntry(root, key);
    fs.writeFileSync(path.join(t1, 'out.bin'), 'hello');
    publishEntry(t1, dir, ['out.bin']);
    expect(fs.existsSync(t1)).toBe(false);
    expect(usableEntry(dir, ['out.bin'], 'test')).toBe(true);
    // A second build of the same key finishing later keeps the first (identical) entry and removes its own.
    const t2 = newEntry(root, key);
    fs.writeFileSync(path.join(t2, 'out.bin'), 'hello');
    publishEntry(t2, dir, ['out.bin']);
    expect(fs.existsSync(t2)).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'out.bin'), 'utf8')).toBe('hello');
    // Truncated: fails its manifest, removed.
    fs.writeFileSync(path.join(dir, 'out.bin'), 'hel');
    const notes: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (notes.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(usableEntry(dir, ['out.bin'], 'test')).toBe(false);
    } finally {
      process.stderr.write = write;
    }
    expect(notes.join('')).toMatch(/test cache entry .* fails its check \(out\.bin is 3 bytes, 5 when built\); rebuilding it/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('runCommand: exit code, output tail, a missing command reported, never thrown', async () => {
    const ok = await runCommand(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(ok.code).toBe(3);
    expect(ok.stdout).toBe('out\n');
    expect(ok.output).toMatch(/out\n[\s\S]*err\n|err\n[\s\S]*out\n/);
    const missing = await runCommand(['tickforge-no-such-command']);
    expect(missing.missing).toBe(true);
  });
});
