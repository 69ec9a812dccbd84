// Real Verilator: build the 40-bit two-stage pipeline once and drive it under random stalls.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarness, runHarness, type HarnessBuild } from '../../sim/verilator/index.ts';
import { pipe40, stuckReg, randomRecords, readLE, strictlyIncreasing, removeTempDirs, tempDir } from './helpers.ts';

const N = 10_000;
const MASK40 = (1n << 40n) - 1n;
const params = [
  { offset: 0x0, value: 5 },
  { offset: 0x4, value: 0xffffffff },
];

describe('pipe40 co-simulation', () => {
  afterAll(removeTempDirs);
  const cacheDir = tempDir('cache');
  const inputs = randomRecords(N, 5, 1);
  let build: HarnessBuild;

  beforeAll(async () => {
    build = await buildHarness(pipe40, { cacheDir });
  }, 180_000);

  it('builds cold, then hits the cache', async () => {
    expect(build.cached).toBe(false);
    expect(fs.existsSync(build.exe)).toBe(true);
    const again = await buildHarness(pipe40, { cacheDir });
    expect(again).toMatchObject({ cached: true, exe: build.exe, dir: build.dir });
    expect(again.seconds).toBeLessThan(2);
  });

  it('compiles the Verilator runtime objects once per cache directory and reuses them for another design', async () => {
    expect(fs.readdirSync(cacheDir).filter((d) => d.startsWith('runtime-'))).toHaveLength(1);
    const logs: string[] = [];
    const other = await buildHarness(stuckReg, { cacheDir, log: (s) => logs.push(s) });
    expect(other.cached).toBe(false);
    expect(logs.join('')).toContain('verilator: runtime objects from');
    expect(fs.readdirSync(cacheDir).filter((d) => d.startsWith('runtime-'))).toHaveLength(1);
    // stuck_reg is pipe40 with write-ignoring registers: without params both must behave identically.
    const args = { inputs: inputs.subarray(0, 200 * 5), params: [], seed: 2, validProb: 0.7, readyProb: 0.6 };
    const [a, b] = await Promise.all([runHarness(other, stuckReg, { ...args, workDir: tempDir('run') }), runHarness(build, pipe40, { ...args, workDir: tempDir('run') })]);
    expect(a.outputs).toEqual(b.outputs);
    expect(a.outCycles).toEqual(b.outCycles);
  }, 180_000);

  it('a damaged shared runtime object is found by its manifest and rebuilt with a note, not linked', async () => {
    const [rt] = fs.readdirSync(cacheDir).filter((d) => d.startsWith('runtime-'));
    const obj = fs.readdirSync(path.join(cacheDir, rt)).find((f) => f.endsWith('.o'))!;
    fs.truncateSync(path.join(cacheDir, rt, obj), 100); // a cut write: a link with it would fail, every later build too
    const stuck = await buildHarness(stuckReg, { cacheDir });
    fs.rmSync(stuck.dir, { recursive: true, force: true }); // force a build that needs the runtime objects again
    const notes: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => (notes.push(String(chunk)), (write as (...a: unknown[]) => boolean)(chunk, ...rest))) as typeof process.stderr.write;
    let again: HarnessBuild;
    try {
      again = await buildHarness(stuckReg, { cacheDir });
    } finally {
      process.stderr.write = write;
    }
    expect(notes.join('')).toMatch(/Verilator runtime cache entry .* fails its check .*; rebuilding it/);
    expect(again.cached).toBe(false);
    expect(fs.statSync(path.join(cacheDir, rt, obj)).size).toBeGreaterThan(100);
    const args = { inputs: inputs.subarray(0, 200 * 5), params: [], seed: 2, validProb: 0.7, readyProb: 0.6 };
    const [a, b] = await Promise.all([runHarness(again, stuckReg, { ...args, workDir: tempDir('run') }), runHarness(build, pipe40, { ...args, workDir: tempDir('run') })]);
    expect(a.outputs).toEqual(b.outputs);
  }, 300_000);

  it('matches the software model exactly under random stalls', async () => {
    const r = await runHarness(build, pipe40, { inputs, params, seed: 7, validProb: 0.7, readyProb: 0.6, workDir: tempDir('run') });
    expect(r.outputs.length).toBe(N * 5);
    expect(r.inCycles.length).toBe(N);
    expect(r.outCycles.length).toBe(N);
    for (let i = 0; i < N; i++) {
      const want = (readLE(inputs, 5 * i, 5) + 1n + 5n + 0xffffffffn) & MASK40;
      if (readLE(r.outputs, 5 * i, 5) !== want) expect.fail(`record ${i}: got ${readLE(r.outputs, 5 * i, 5)}, want ${want}`);
    }
    expect(strictlyIncreasing(r.inCycles)).toBe(true);
    expect(strictlyIncreasing(r.outCycles)).toBe(true);
    // Two register stages: the earliest output handshake is two edges after acceptance.
    for (let i = 0; i < N; i++) if (r.outCycles[i] < r.inCycles[i] + 2n) expect.fail(`record ${i} left before it could`);
    // Stalls really happened: at these probabilities the stream cannot run at one per cycle.
    expect(r.inCycles[N - 1] - r.inCycles[0]).toBeGreaterThan(BigInt(N) + 1000n);
    expect(r.cycles).toBeGreaterThan(Number(r.outCycles[N - 1]));
    // The untraced build takes the direct-eval fast path; if a Verilator upgrade renames the internal symbol the
    // harness still works through Vdut::eval(), slower, and this says so.
    expect(r.directEval).toBe(true);
  });

  it('is deterministic per seed', async () => {
    const small = inputs.subarray(0, 500 * 5);
    const run = (seed: number) => runHarness(build, pipe40, { inputs: small, params, seed, workDir: tempDir('run') });
    const [a, b, c] = await Promise.all([run(3), run(3), run(4)]);
    expect(b.inCycles).toEqual(a.inCycles);
    expect(b.outCycles).toEqual(a.outCycles);
    expect(b.cycles).toBe(a.cycles);
    expect(c.inCycles).not.toEqual(a.inCycles);
    expect(c.outputs).toEqual(a.outputs);
  });

  it('counts cycles from reset release, AXI-Lite phase included', async () => {
    // Unstalled: each AXI-Lite write and read takes 2 cycles, so the first record
    // is accepted at cycle 4 * params and every following one on the next cycle.
    const r = await runHarness(build, pipe40, { inputs: inputs.subarray(0, 50), params, seed: 1, validProb: 1, readyProb: 1, workDir: tempDir('run') });
    expect(Array.from(r.inCycles, Number)).toEqual(Array.from({ length: 10 }, (_, i) => 8 + i));
    expect(Array.from(r.outCycles, Number)).toEqual(Array.from({ length: 10 }, (_, i) => 10 + i));
  });

  it('runs with no records and no params', async () => {
    const r = await runHarness(build, pipe40, { inputs: new Uint8Array(0), params: [], seed: 1, drainCycles: 4, workDir: tempDir('run') });
    expect(r).toMatchObject({ cycles: 4 });
    expect(r.outputs.length).toBe(0);
  });

  it('dumps an FST window on demand, from a separate traced build that replays the untraced run exactly', async () => {
    expect(build.traced).toBe(false);
    const work = tempDir('run');
    const fst = path.join(work, 'window.fst');
    const args = { inputs: inputs.subarray(0, 1000 * 5), params, seed: 1, validProb: 0.7, readyProb: 0.6 };
    const traced = await runHarness(build, pipe40, { ...args, trace: { path: fst, from: 100, to: 200 }, workDir: work });
    // FST header block: type 0, then big-endian start and end times after the 8-byte
    // length. Cycle c's clock-low point is at 10c and its rising edge at 10c+5.
    const buf = fs.readFileSync(fst);
    expect(buf[0]).toBe(0);
    expect([buf.readBigUInt64BE(9), buf.readBigUInt64BE(17)]).toEqual([1000n, 2005n]);
    const plain = await runHarness(build, pipe40, { ...args, workDir: tempDir('run') });
    expect(traced.outputs).toEqual(plain.outputs);
    expect(traced.inCycles).toEqual(plain.inCycles);
    expect(traced.outCycles).toEqual(plain.outCycles);
    expect(traced.cycles).toBe(plain.cycles);
    expect([traced.directEval, plain.directEval]).toEqual([false, true]);
    // The traced variant is its own cache entry next to the untraced one; the untraced executable refuses --trace.
    const tracedBuild = await buildHarness(pipe40, { cacheDir, trace: true });
    expect(tracedBuild).toMatchObject({ cached: true, traced: true });
    expect(tracedBuild.dir).not.toBe(build.dir);
    const refused = spawnSync(build.exe, ['--inputs', path.join(work, 'inputs.bin'), '--params', path.join(work, 'params.txt'), '--out-dir', work, '--trace', fst], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('this executable was built without tracing');
  }, 180_000);

  it('rejects malformed runs before starting the simulator', async () => {
    const work = tempDir('run');
    await expect(runHarness(build, pipe40, { inputs: new Uint8Array(7), params, seed: 1, workDir: work })).rejects.toThrow(
      'inputs hold 7 bytes, not a multiple of the 5-byte input record of `pipe40`.',
    );
    await expect(runHarness(build, pipe40, { inputs, params: [{ offset: 16, value: 1 }], seed: 1, workDir: work })).rejects.toThrow(
      'param offset 16 does not fit the 4-bit AXI-Lite address of `pipe40`.',
    );
    await expect(runHarness(build, pipe40, { inputs, params, seed: 1, validProb: 0, workDir: work })).rejects.toThrow(
      'validProb is 0; it must be in (0, 1].',
    );
  });
});
