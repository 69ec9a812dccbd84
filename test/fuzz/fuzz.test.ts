// The differential fuzzer (docs/fuzz.md): its generator is deterministic and writes programs the compiler accepts,
// its minimizer shrinks programs, a few generated programs with many output expressions agree three-way (model,
// Verilated RTL, HLS C-simulation), and so does every minimized reproducer of a fixed bug kept in regressions/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { renderProgram, type Program } from '../../sim/fuzz/ast.ts';
import { AVOIDABLE, generateProgram, generateSource, programStats } from '../../sim/fuzz/gen.ts';
import { minimizeProgram } from '../../sim/fuzz/minimize.ts';
import { checkFile, compileChecked, signature } from '../../sim/fuzz/run.ts';
import { cosim } from '../../sim/cosim.ts';

// Programs must live inside the project so that their `import ... from 'tickforge/dsl'` resolves.
const dir = path.join('build', 'test-fuzz', String(process.pid));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-fuzz-'));
// Bugs found by the fuzzer and still open (test/fuzz/open/): left out here so these tests check the fuzzer.
const avoid = Object.keys(AVOIDABLE);
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});
const write = (name: string, p: Program) => {
  fs.mkdirSync(dir, { recursive: true });
  const f = path.join(dir, `${name}.ts`);
  fs.writeFileSync(f, renderProgram(p));
  return f;
};

describe('generator', () => {
  test('the same seed gives the same program; another seed another one', () => {
    for (const seed of [1, 7, 123456]) expect(generateSource(seed, { avoid })).toBe(generateSource(seed, { avoid }));
    expect(generateSource(1)).not.toBe(generateSource(2));
    const p = generateProgram(5);
    expect(p.inputs.length).toBeGreaterThanOrEqual(3);
    expect(p.outputs.length).toBeGreaterThanOrEqual(4);
  });

  test('its programs compile (front end, and the HLS back end checks)', () => {
    let expressions = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const p = generateProgram(seed, { avoid });
      expressions += programStats(p).expressions;
      const f = write(`gen${seed}`, p);
      expect(() => compileChecked(f), `seed ${seed}: ${f}`).not.toThrow();
    }
    expect(expressions).toBeGreaterThan(200);
  }, 60_000);
});

describe('minimizer', () => {
  test('shrinks a program while the test keeps passing', async () => {
    // A stand-in for "the divergence reproduces": the rendered program still calls mod().
    const p0 = generateProgram(11, { avoid });
    const keeps = async (p: Program) => /\bmod\(/.test(renderProgram(p).split('// ---- host-side')[0]);
    expect(await keeps(p0)).toBe(true);
    const m = await minimizeProgram(p0, keeps, { deadline: Date.now() + 20_000 });
    expect(await keeps(m.program)).toBe(true);
    expect(m.program.outputs.length).toBe(1);
    expect(programStats(m.program).nodes).toBeLessThan(programStats(p0).nodes / 4);
  }, 30_000);

  test('failures with one signature come from one check', () => {
    const a = signature('crash', "Verilator build of `fz104` failed (exit 1); full log in /x/y.failed.log. Last output: %Error: /x/rtl/fz104.v:308:53: Illegal bit or array select");
    const b = signature('crash', "Verilator build of `fz7` failed (exit 1); full log in /z/w.failed.log. Last output: %Error: /z/rtl/fz7.v:12:5: Illegal bit or array select");
    expect(a).toBe(b);
  });
});

describe('generated programs, three-way', () => {
  // Seeds whose programs have many output expressions; each is one Verilator build.
  test.each([3001, 3002, 3003])('seed %i: model, RTL and HLS agree', async (seed) => {
    const p = generateProgram(seed, { avoid, minOutputs: 14, maxOutputs: 14 });
    expect(programStats(p).expressions).toBeGreaterThanOrEqual(14);
    const f = write(`fz${seed}`, p);
    const v = await checkFile(f, seed, 2000, path.join(tmp, `fz${seed}`));
    expect(v.message, JSON.stringify(v.detail)).toBeUndefined();
    expect(v.outcome, JSON.stringify(v.detail)).toBe('pass');
    expect(v.compared).toBeGreaterThan(0);
    expect(v.mismatches).toBe(0);
  }, 120_000);

  // The first seeds from 4000 whose program has each output flow (docs/semantics.md §10).
  const flowSeed = (want: (p: Program) => boolean) => {
    for (let seed = 4000; ; seed++) if (want(generateProgram(seed, { avoid }))) return seed;
  };
  test.each([
    ['strobe', flowSeed((p) => p.flow === 'strobe')],
    ['packet, 1-byte beats', flowSeed((p) => p.packet?.beatBytes === 1)],
    ['packet, 8-byte beats', flowSeed((p) => p.packet?.beatBytes === 8)],
  ])('output flow %s (seed %i): model, RTL and HLS agree beat by beat', async (_what, seed) => {
    const p = generateProgram(seed, { avoid });
    const f = write(`fz${seed}`, p);
    expect(fs.readFileSync(f, 'utf8')).toMatch(p.flow ? /flow: 'strobe'/ : /packet: \{ beatBytes: \d, length: 'rlen' \}/);
    const v = await checkFile(f, seed, 2000, path.join(tmp, `fz${seed}`));
    expect(v.message, JSON.stringify(v.detail)).toBeUndefined();
    expect(v.outcome, JSON.stringify(v.detail)).toBe('pass');
    expect(v.compared).toBeGreaterThan(0);
    expect(v.mismatches).toBe(0);
  }, 120_000);
});

const regressions = fs.existsSync('test/fuzz/regressions') ? fs.readdirSync('test/fuzz/regressions').filter((f) => f.endsWith('.ts')).sort() : [];
describe.runIf(regressions.length > 0)('minimized reproducers of fixed bugs, three-way', () => {
  test.each(regressions)('%s', async (name) => {
    const file = path.join('test/fuzz/regressions', name);
    // The seed is in the file's first line: `// Generated by `tickforge fuzz` (seed N)`.
    const seed = Number(/\(seed (\d+)\)/.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? 1);
    const r = await cosim({ file, input: 'synthetic:3000', seed, out: path.join(tmp, name) });
    expect(r.mismatches).toBe(0);
  }, 120_000);
});
