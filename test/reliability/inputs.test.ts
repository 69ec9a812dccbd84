// Unreadable inputs, bad options, given sources, damaged caches, signals and outputs (docs/reliability.md): each
// ends in a clear error and a non-zero exit, or a correct result; never an exit 0 with a wrong or empty result.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { compile, CompileError } from '../../codegen/index.ts';
import { cosim, buildRtlDesign } from '../../sim/cosim.ts';
import { buildHarness } from '../../sim/verilator/index.ts';
import { buildRtl } from '../../rtl/index.ts';
import { buildCsim } from '../../sim/hls.ts';
import { lintVerilog } from '../../sim/check.ts';
import { runGenItch } from '../../cli/gen.ts';
import { runDecode } from '../../cli/decode.ts';
import { build } from '../../cli/build.ts';
import { decodeInput } from '../../sim/stimulus/decode.ts';
import { Diagnostics } from '../../sim/stimulus/errors.ts';
import { stimulus as feedStimulus } from '../../examples/itch-feed/stimulus.ts';
import { stimulus as ouchStimulus } from '../../examples/ouch-encoder/stimulus.ts';
import { Rng } from '../../dsl/rng.ts';
import { OUCH_DIR } from '../protocols/data.ts';
import { buildHls } from '../../hls/index.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-inputs-'));
const CAPTURE = 'test/reliability/designs/capture.ts';
const GATE = 'examples/risk-gate/gate.ts';
const OUCH_PCAP = path.join(OUCH_DIR, 'EnterOrderMessage.pcap');
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/tickforge.mjs', ...args], { encoding: 'utf8' });

// A MoldUDP64 capture from the generator, and damaged copies of it.
const good = path.join(tmp, 'feed.pcap');
runGenItch({ count: 200, seed: 5, out: good, mtu: 1400 }, () => {});
const bytes = fs.readFileSync(good);
const cutMid = path.join(tmp, 'cut-mid.pcap');
fs.writeFileSync(cutMid, bytes.subarray(0, bytes.length - 7));
const cutHeader = path.join(tmp, 'cut-header.pcap');
fs.writeFileSync(cutHeader, bytes.subarray(0, 10));
const badLink = path.join(tmp, 'link.pcap');
{
  const b = fs.readFileSync(good);
  b.writeUInt32LE(147, 20); // LINKTYPE_USER0
  fs.writeFileSync(badLink, b);
}

describe('inputs', () => {
  test('every reader fault of a damaged capture is counted with its offset', () => {
    for (const [f, code] of [[cutMid, 'truncated-packet'], [cutHeader, 'bad-pcap-header'], [badLink, 'unsupported-link']] as const) {
      const diag = new Diagnostics();
      [...feedStimulus(f, new Rng(1), diag)];
      expect(diag.count(code), f).toBeGreaterThan(0);
    }
  });

  test('a capture of the other protocol is named, not read as an empty input', () => {
    expect(() => [...feedStimulus(OUCH_PCAP, new Rng(1))]).toThrow(/a SoupBinTCP \(OUCH\) capture\?/);
    expect(() => [...ouchStimulus(good, new Rng(1))]).toThrow(/a MoldUDP64 \(ITCH\) capture\?/);
  });

  test('cosim refuses reader errors (listed), proceeds on --accept-input-errors, refuses an empty input', async () => {
    const lines: string[] = [];
    const out = path.join(tmp, 'cosim-cut');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'cosim.json'), '{"mismatches": 0}');
    await expect(cosim({ file: CAPTURE, input: cutMid, seed: 1, out, backends: ['model', 'hls'], log: (s) => lines.push(s) })).rejects.toThrow(/reported 1 error/);
    expect(lines.join('\n')).toMatch(/truncated-packet at byte \d+/);
    expect(fs.existsSync(path.join(out, 'cosim.json'))).toBe(false); // the previous report does not look current
    const r = await cosim({ file: CAPTURE, input: cutMid, seed: 1, out, backends: ['model', 'hls'], acceptInputErrors: true });
    expect(r.inputs).toBeGreaterThan(0);
    expect(r.mismatches).toBe(0);
    expect(fs.existsSync(path.join(out, 'cosim.json'))).toBe(true);
    await expect(cosim({ file: CAPTURE, input: cutHeader, seed: 1, out, backends: ['model', 'hls'], acceptInputErrors: true })).rejects.toThrow(/yielded no Payload records/);
  }, 120_000);

  test('numeric options and sizes are checked before any build, with the option named', async () => {
    // Through the command line: exit 2 and the message, before anything is built.
    for (const [args, msg] of [
      [['cosim', GATE, '--input', 'synthetic:99999999999999999999'], /at most 50000000 generated records/],
      [['decode', '/dev/zero'], /not a regular file/],
      [['gen', 'itch', '--count', '10', '--mtu', '100000', '--out', path.join(tmp, 'x.pcap')], /--mtu must be an integer from 72 to 65507/],
    ] as const) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(msg);
    }
    // The same checks through the API (what the command line calls).
    const out = path.join(tmp, 'opts');
    const base = { file: GATE, input: 'synthetic:10', seed: 1, out };
    await expect(cosim({ ...base, input: 'synthetic:5000000000' })).rejects.toThrow(/at most 50000000/);
    await expect(cosim({ ...base, seed: Number('notanumber') })).rejects.toThrow(/--seed must be an integer from 0 to 4294967295, got NaN/);
    await expect(cosim({ ...base, seed: 1.5 })).rejects.toThrow(/--seed must be an integer/);
    await expect(cosim({ ...base, validProb: 2 })).rejects.toThrow(/--valid-prob must be a number in \(0, 1\]/);
    await expect(cosim({ ...base, input: path.join(tmp, 'missing.pcap') })).rejects.toThrow(/no such file/);
    expect(() => runDecode({ inputs: ['synthetic:10'], jsonl: false, session: false, offsets: false, seed: 1.5, soupApp: 'ouch', maxErrors: 20 })).toThrow(/--seed must be an integer/);
    expect(() => runGenItch({ count: 10, seed: -1, out: path.join(tmp, 'y.itch'), mtu: 1400 }, () => {})).toThrow(/--seed must be an integer/);
    expect(() => decodeInput('synthetic:1e3', {}, () => {})).toThrow(/whole number/);
    await expect(build(GATE, path.join(tmp, 'p'), { part: 'xcu55c; exec rm -rf /', check: false })).rejects.toThrow(/is not a part name/);
  }, 120_000);
});

describe('given sources, checks, cache, signals', () => {
  test('--rtl-dir and --hls-dir without the design top are refused; an edited kernel of another name is the one run', async () => {
    const bad = path.join(tmp, 'wrong-rtl');
    fs.mkdirSync(bad, { recursive: true });
    fs.writeFileSync(path.join(bad, 'other.v'), 'module other; endmodule\n');
    await expect(cosim({ file: CAPTURE, input: good, seed: 1, out: path.join(tmp, 'c1'), backends: ['model', 'rtl'], rtlDir: bad })).rejects.toThrow(/no file defines the module capture/);
    // The kernel, edited (one operator) and saved under another name: it must be the one compiled.
    const gen = path.join(tmp, 'hls-gen');
    buildHls(compile(CAPTURE, { timing: { enforce: false } }), gen);
    const edited = path.join(tmp, 'hls-edit');
    fs.mkdirSync(edited, { recursive: true });
    const src = fs.readFileSync(path.join(gen, 'capture.cpp'), 'utf8');
    expect(src).toMatch(/ \+ /);
    fs.writeFileSync(path.join(edited, 'my_kernel.cpp'), src.replace(' + ', ' - '));
    const lines: string[] = [];
    const r = await cosim({ file: CAPTURE, input: good, seed: 1, out: path.join(tmp, 'c2'), backends: ['model', 'hls'], hlsDir: edited, log: (s) => lines.push(s) });
    expect(lines.join('\n')).toMatch(/using 1 given source from .*my_kernel\.cpp \(kernel capture in my_kernel\.cpp\)/);
    expect(r.executors.hls!.mismatches).toBeGreaterThan(0);
  }, 120_000);

  test('a generated output that fails its check is TF140 at the DSL line it came from', async () => {
    const dir = path.join(tmp, 'broken-rtl');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'top.v'), '`default_nettype none\nmodule top (input wire a, output wire y);\n  assign y = a +;  // designs/x.ts:7\nendmodule\n');
    let err: unknown;
    try {
      await lintVerilog('designs/x.ts', dir, 'top');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    const d = (err as CompileError).diagnostics[0];
    expect([d.code, d.loc.file, d.loc.line]).toEqual(['TF140', 'designs/x.ts', 7]);
  });

  test('a damaged cache entry is rebuilt with a note, never run', async () => {
    const ir = compile(CAPTURE, { timing: { enforce: false } });
    const cacheDir = path.join(tmp, 'cache');
    const a = await buildCsim(ir, { cacheDir });
    expect(a.cached).toBe(false);
    expect((await buildCsim(ir, { cacheDir })).cached).toBe(true);
    fs.truncateSync(a.exe, 1000); // a truncated binary
    const b = await buildCsim(ir, { cacheDir });
    expect(b.cached).toBe(false);
    expect(fs.statSync(b.exe).size).toBe(fs.statSync(a.exe).size);
    expect(spawnSync(b.exe, [], { encoding: 'utf8' }).stderr).toMatch(/usage/);
  }, 60_000);

  test('build replaces its outputs whole: stale files go, a failed build leaves the previous output and no temp folder', async () => {
    const out = path.join(tmp, 'build-out');
    fs.mkdirSync(path.join(out, 'rtl'), { recursive: true });
    fs.writeFileSync(path.join(out, 'rtl', 'stale.v'), 'module stale; endmodule\n');
    const r = await build(CAPTURE, out);
    expect(r.checks.every((c) => !c.skipped)).toBe(true);
    expect(fs.readdirSync(path.join(out, 'rtl')).sort()).toEqual(['capture.v', 'capture_regs.v']);
    const report = fs.readFileSync(path.join(out, 'report.json'), 'utf8');
    // The HLS back end rejects this design (TF120) after its Verilog was written: nothing of it may land in `out`.
    await expect(build('test/codegen/bad/hls-div65.ts', out, { timing: 'warn' })).rejects.toThrow(/TF120/);
    expect(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).toBe(report);
    expect(fs.readdirSync(path.join(out, 'rtl')).sort()).toEqual(['capture.v', 'capture_regs.v']);
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.tickforge-build-'))).toEqual([]);
  }, 60_000);

  test('a truncated Verilated executable in the cache is rebuilt with a note, and the run is exact', async () => {
    const ir = compile(CAPTURE, { timing: { enforce: false } });
    const rtlDir = path.join(tmp, 'rtl-cap');
    buildRtl(ir, rtlDir);
    const design = buildRtlDesign(ir, rtlDir, fs.readdirSync(rtlDir).filter((f) => f.endsWith('.v')).sort());
    const a = await buildHarness(design); // the project cache: shares the Verilator runtime objects
    fs.truncateSync(a.exe, 1000);
    const b = await buildHarness(design);
    expect(b.cached).toBe(false);
    expect(fs.statSync(b.exe).size).toBeGreaterThan(1000);
    expect((await buildHarness(design)).cached).toBe(true);
    const r = await cosim({ file: CAPTURE, input: good, seed: 1, out: path.join(tmp, 'c3'), backends: ['model', 'rtl'] });
    expect(r.inputs).toBe(13);
    expect(r.mismatches).toBe(0);
  }, 180_000);

  test('SIGTERM and SIGINT remove temporary folders and end child processes', async () => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const dir = path.join(tmp, `sig-${sig}`);
      const script = `import { removeOnExit, endWithParent } from './sim/tools.ts'; import { spawn } from 'node:child_process'; import fs from 'node:fs';
        fs.mkdirSync(${JSON.stringify(dir)}); removeOnExit(${JSON.stringify(dir)});
        const c = endWithParent(spawn('sleep', ['60'], { stdio: 'ignore' })); console.log(c.pid); setInterval(() => {}, 1000);`;
      const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const childPid = await new Promise<number>((res) => p.stdout!.once('data', (d) => res(Number(String(d).trim()))));
      expect(fs.existsSync(dir)).toBe(true);
      p.kill(sig);
      const code = await new Promise<number | null>((res) => p.once('exit', (c) => res(c)));
      expect(code).toBe(sig === 'SIGTERM' ? 143 : 130);
      expect(fs.existsSync(dir)).toBe(false);
      await new Promise((r) => setTimeout(r, 200));
      // Gone, or a zombie waiting to be reaped (state Z): not running either way.
      let state = 'gone';
      try {
        state = fs.readFileSync(`/proc/${childPid}/stat`, 'utf8').split(') ')[1]![0]!;
      } catch {
        /* gone */
      }
      expect(['gone', 'Z']).toContain(state);
    }
  }, 60_000);
});
