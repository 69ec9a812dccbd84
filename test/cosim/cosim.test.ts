// Co-simulation with Verilator: the model and the RTL agree on the risk gate, every reject reason occurs, and a
// one-operator edit of the generated Verilog is caught and located.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { cosim } from '../../sim/cosim.ts';

const GATE = 'examples/risk-gate/gate.ts';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-cosim-'));

describe('risk gate co-simulation', () => {
  test('model and RTL agree on 50,000 records under random stalls', async () => {
    const r = await cosim({ file: GATE, input: 'synthetic:50000', seed: 3, out: path.join(tmp, 'ok') });
    expect(r.mismatches).toBe(0);
    expect(r.compared).toBe(r.outputs.model);
    expect(r.compared).toBeGreaterThan(40_000);
    for (const [reason, count] of Object.entries(r.outputCounts.reason)) expect(count, reason).toBeGreaterThan(0);
    expect(r.latencyCycles!.min).toBe(r.pipelineLatencyCycles);
    const json = JSON.parse(fs.readFileSync(path.join(tmp, 'ok', 'cosim.json'), 'utf8'));
    expect(json.compared).toBe(r.compared);
  }, 300_000);

  test('a one-operator edit in the Verilog fails cosim and names the first diverging input', () => {
    const rtl = path.join(tmp, 'ok', 'rtl');
    const edited = path.join(tmp, 'edited');
    fs.mkdirSync(edited, { recursive: true });
    for (const f of fs.readdirSync(rtl)) fs.copyFileSync(path.join(rtl, f), path.join(edited, f));
    const top = path.join(edited, 'risk_gate.v');
    const src = fs.readFileSync(top, 'utf8');
    // The max-quantity rule: `qty > maxQty` becomes `qty < maxQty`.
    const line = src.split('\n').find((l) => l.includes('= in_qty > s0_p_maxQty;'));
    expect(line).toBeDefined();
    fs.writeFileSync(top, src.replace(line!, line!.replace('in_qty > s0_p_maxQty', 'in_qty < s0_p_maxQty')));
    const out = path.join(tmp, 'bad');
    const r = spawnSync(process.execPath, ['bin/tickforge.mjs', 'cosim', GATE, '--input', 'synthetic:20000', '--seed', '5', '--rtl-dir', edited, '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/compared \d+ outputs, [1-9]\d* mismatches/);
    expect(r.stdout).toMatch(/first mismatch: output \d+ \(input \d+, cycle \d+\)/);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'cosim.json'), 'utf8'));
    expect(json.firstMismatch.input.kind).toBe(0); // an order
    expect(json.firstMismatch.rtl.reason).toBe(2); // MaxQty, which the edited comparison now raises
    expect(json.firstMismatch.model.reason).not.toBe(2);
    expect(fs.statSync(json.firstMismatch.waveform).size).toBeGreaterThan(0);
  }, 300_000);
});

describe('regressions found by review', () => {
  test('loop indices as bit positions, and enum table misses, agree with the model', async () => {
    const r = await cosim({ file: 'test/codegen/good/popcount.ts', input: 'synthetic:20000', seed: 2, out: path.join(tmp, 'popcount') });
    expect(r.compared).toBe(20_000);
    expect(r.mismatches).toBe(0);
  }, 300_000);

  test('status registers read over AXI-Lite (RTL) and from the HLS kernel equal the model\'s state', async () => {
    const r = await cosim({ file: 'test/codegen/good/status.ts', input: 'synthetic:20000', seed: 4, out: path.join(tmp, 'status') });
    expect(r.mismatches).toBe(0);
    expect(r.status.map((x) => x.name)).toEqual(['seen', 'bad']);
    expect(r.status[0]).toEqual({ name: 'seen', model: '20000', rtl: '20000', hls: '20000', match: true });
    expect(Number(r.status[1].model)).toBeGreaterThan(0);
    expect(r.status.every((x) => x.match)).toBe(true);
  }, 300_000);
});

describe('stimulus errors', () => {
  test('a record with a field out of its type is named by index, record and field', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-oor-'));
    await expect(cosim({ file: 'test/cosim/designs/out-of-range.ts', input: 'synthetic:10', seed: 1, out })).rejects.toThrow(
      'stimulus record 3 of synthetic:10 (seed 1), In.a: 300 outside u(8)',
    );
    fs.rmSync(out, { recursive: true, force: true });
  });
});
