// Memories with latency: a table of 2^20 entries (UltraRAM), one of 4,096 (block RAM) and one of 64 (LUT-RAM), each
// updated read-modify-write by every record with back-to-back updates of one key, build at the clock, lint clean and
// co-simulate three-way with 0 mismatches; and with the forwarding of in-flight writes cut out of the Verilog,
// cosim fails (so the agreement is not vacuous).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { buildRtl } from '../../rtl/index.ts';
import { cosim } from '../../sim/cosim.ts';
import { verilatorLint } from '../helpers/lint.ts';

const DESIGN = 'test/timing/designs/rmw-tables.ts';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-mem-'));

describe('tables as memories', () => {
  test('each table gets the memory its size calls for, with its read latency, at 322.27 MHz', () => {
    const ir = compile(DESIGN);
    const m = ir.schedule.memories;
    expect([...m].map(([t, p]) => [t, p.kind, p.read, p.readLatency])).toEqual([
      ['small', 'lutram', 'sync', 1],
      ['mid', 'bram', 'sync', 2],
      ['big', 'uram', 'sync', 2],
    ]);
    expect(ir.schedule.violations).toEqual([]);
    for (const s of ir.schedule.stages) expect(s.delayNs).toBeLessThanOrEqual(ir.schedule.periodNs);
    // No flip-flop per slot: the valid bits are in the memory words, cleared by the post-reset sweep.
    const v = buildRtl(ir, path.join(tmp, 'rtl')).files.get('rmw_tables.v')!;
    expect(v).toContain('(* ram_style = "ultra" *) reg [36:0] big_mem [0:1048575];');
    expect(v).toContain('(* ram_style = "block" *) reg [44:0] mid_mem [0:4095];');
    expect(v).toContain('(* ram_style = "distributed" *) reg [50:0] small_mem [0:63];');
    expect(v).not.toMatch(/reg \[1048575:0\]/);
    expect(verilatorLint(path.join(tmp, 'rtl'), 'rmw_tables')).toBe('');
  });

  test('2^20-entry UltraRAM, block RAM and LUT-RAM tables: model, RTL and HLS agree on 30,000 back-to-back updates', async () => {
    const r = await cosim({ file: DESIGN, input: 'synthetic:30000', seed: 4, out: path.join(tmp, 'ok') });
    expect(r.mismatches).toBe(0);
    expect(r.compared).toBe(30_000);
    expect(r.executors.rtl!.compared).toBe(30_000);
    expect(r.executors.hls!.compared).toBe(30_000);
    // both outcomes of set() occurred (collisions in the big table's slots)
    expect(r.outputCounts.stored.true).toBeGreaterThan(1000);
    expect(r.outputCounts.stored.false).toBeGreaterThan(100);
  }, 600_000);

  test('without forwarding (the write of the record one stage ahead ignored), cosim finds the divergence', async () => {
    const rtl = path.join(tmp, 'ok', 'rtl');
    const edited = path.join(tmp, 'nofwd');
    fs.mkdirSync(edited, { recursive: true });
    for (const f of fs.readdirSync(rtl)) fs.copyFileSync(path.join(rtl, f), path.join(edited, f));
    const top = path.join(edited, 'rmw_tables.v');
    const src = fs.readFileSync(top, 'utf8');
    const cut = src.replace(/(\s+small_fwd1_we <= )small_rec_we;/, "$11'b0;");
    expect(cut).not.toBe(src);
    fs.writeFileSync(top, cut);
    const r = await cosim({ file: DESIGN, input: 'synthetic:5000', seed: 4, out: path.join(tmp, 'bad'), rtlDir: edited, backends: ['model', 'rtl'] });
    expect(r.mismatches).toBeGreaterThan(0);
  }, 600_000);
});
