// The Vitis HLS back end: golden C++ for the risk gate, `make csim` with g++ -Wall -Wextra -Werror against the
// model's vectors, three-way co-simulation, and a one-operator edit of the C++ caught and attributed to HLS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { compile, CompileError, formatDiagnostic } from '../../codegen/index.ts';
import { emitHls } from '../../hls/index.ts';
import { build } from '../../cli/build.ts';
import { cosim } from '../../sim/cosim.ts';

const GATE = 'examples/risk-gate/gate.ts';
const GOLDEN = 'test/hls/golden/risk-gate';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-hls-'));

describe('HLS back end', () => {
  test('matches the golden C++', () => {
    const out = emitHls(compile(GATE));
    if (process.env.TICKFORGE_UPDATE_GOLDEN === '1') {
      fs.mkdirSync(GOLDEN, { recursive: true });
      for (const [f, t] of out.files) fs.writeFileSync(path.join(GOLDEN, f), t);
    }
    for (const [f, t] of out.files) expect(t, f).toBe(fs.readFileSync(path.join(GOLDEN, f), 'utf8'));
  });

  test('a quotient whose range needs 65 bits is TF120, never a wrong 64-bit division', () => {
    // div(-2^63, -1) = 2^63: the HLS back end cannot hold it (its values are at most 64 bits); the RTL can.
    const ir = compile('test/codegen/bad/hls-div65.ts', { timing: { enforce: false } });
    let err: unknown;
    try {
      emitHls(ir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    expect(formatDiagnostic((err as CompileError).diagnostics[0]).split('\n')[0]).toBe(
      'test/codegen/bad/hls-div65.ts:13:22: error TF120: this 65-bit value is wider than the 64 bits the HLS back end supports',
    );
  });

  test('make csim builds without a warning and agrees with the model on every vector', async () => {
    const dir = path.join(tmp, 'build');
    const r = await build(GATE, dir, { target: 'alveo-x3522' });
    expect(r.hls).toEqual({ target: 'alveo-x3522', part: 'xcux35-vsva1365-3-e' });
    const tcl = fs.readFileSync(path.join(dir, 'hls', 'run_hls.tcl'), 'utf8');
    expect(tcl).toContain('set_part xcux35-vsva1365-3-e');
    for (const cmd of ['csim_design', 'csynth_design', 'cosim_design', 'export_design -format xo', 'export_design -format ip_catalog']) expect(tcl).toContain(cmd);
    const m = spawnSync('make', ['-C', path.join(dir, 'hls'), 'csim'], { encoding: 'utf8' });
    expect(m.stderr).not.toMatch(/warning|error/i);
    expect(m.status).toBe(0);
    const line = m.stdout.split('\n').find((l) => l.startsWith('csim: compared'));
    expect(line).toMatch(/^csim: compared \d{4,} outputs, 0 mismatches$/);
  }, 120_000);

  test('three-way cosim: model, RTL and HLS agree on every output', async () => {
    const r = await cosim({ file: GATE, input: 'synthetic:50000', seed: 11, out: path.join(tmp, 'three') });
    expect(r.backends).toEqual(['model', 'rtl', 'hls']);
    expect(r.executors.rtl!.compared).toBe(r.executors.model!.outputs);
    expect(r.executors.hls!.compared).toBe(r.executors.model!.outputs);
    expect(r.mismatches).toBe(0);
  }, 300_000);

  test('a one-operator edit in the C++ fails cosim and names the HLS executor', () => {
    const src = path.join(tmp, 'build', 'hls');
    const edited = path.join(tmp, 'edited');
    fs.mkdirSync(edited, { recursive: true });
    for (const f of ['risk_gate.cpp', 'risk_gate.h']) fs.copyFileSync(path.join(src, f), path.join(edited, f));
    const cpp = path.join(edited, 'risk_gate.cpp');
    const text = fs.readFileSync(cpp, 'utf8');
    const needle = 'ap_uint<32>(in.qty) > ap_uint<32>(live_maxQty)';
    expect(text).toContain(needle);
    fs.writeFileSync(cpp, text.replace(needle, 'ap_uint<32>(in.qty) < ap_uint<32>(live_maxQty)'));
    const out = path.join(tmp, 'bad');
    const r = spawnSync(process.execPath, ['bin/tickforge.mjs', 'cosim', GATE, '--input', 'synthetic:20000', '--seed', '5', '--hls-dir', edited, '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/hls vs model: compared \d+ outputs, [1-9]\d* mismatches/);
    expect(r.stdout).toMatch(/rtl vs model: compared \d+ outputs, 0 mismatches/);
    expect(r.stdout).toMatch(/first mismatch: output \d+ \(input \d+, cycle \d+\): hls disagrees with model and rtl/);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'cosim.json'), 'utf8'));
    expect(json.firstMismatch.disagree).toEqual(['hls']);
    expect(json.firstMismatch.values.hls.reason).toBe(2); // MaxQty, raised by the edited comparison
  }, 300_000);

});
