// Host-written vectors (paramVec), declared rounding (roundShift) and the model idioms built on them (docs/dsl.md
// "Fixed point and models"): the examples' models against independent evaluators, three-way co-simulation with
// non-default host-written contents (`cosim --params`), the register map of a vector, and the rejections.
// Run from the repository root: npx vitest run test/docs/models.test.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { compile, CompileError, formatDiagnostic } from '../../codegen/index.ts';
import { regMapOf } from '../../regmap/index.ts';
import { Rng, type Unit } from '../../dsl/index.ts';
import { roundShift, roundBig, ROUNDINGS } from '../../dsl/fixed.ts';
import { cosim, stimulusRecords, loadDesign } from '../../sim/cosim.ts';
import { initialParams, modelCommitOf, readParamsFile } from '../../sim/params.ts';
import { verilatorCommand } from '../../sim/tools.ts';

const EX = 'test/docs/examples';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-models-'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = async (name: string): Promise<any> => import(pathToFileURL(path.resolve(EX, `${name}.ts`)).href);

describe('roundShift', () => {
  test('the double fast path equals the bigint definition, every mode', () => {
    const rng = new Rng(7);
    const xs: number[] = [0, 1, -1, 2 ** 52, -(2 ** 52), 2 ** 53 - 1, -(2 ** 53) + 1];
    for (let t = -70; t <= 70; t++) xs.push(t);
    for (let n = 0; n < 3000; n++) xs.push(Number(BigInt.asIntN(40, rng.bits(40))), Number(BigInt.asIntN(53, rng.bits(53))) % 2 ** 52);
    for (const x of xs) {
      for (const mode of ROUNDINGS) {
        for (const k of [0, 1, 2, 3, 5, 8, 17, 40, 53, 60]) expect(roundShift(x, k, mode), `${x} >> ${k} ${mode}`).toBe(Number(roundBig(BigInt(x), k, mode)));
      }
    }
  });
  test('the definition: ties and signs', () => {
    // x / 8 for x = -12 (-1.5), -4 (-0.5), 4 (0.5), 12 (1.5), 20 (2.5), -9 (-1.125)
    const at = (x: number) => ROUNDINGS.map((m) => roundShift(x, 3, m));
    expect(ROUNDINGS).toEqual(['floor', 'ceil', 'zero', 'half-up', 'half-even']);
    expect(at(-12)).toEqual([-2, -1, -1, -1, -2]);
    expect(at(-4)).toEqual([-1, 0, 0, 0, 0]);
    expect(at(4)).toEqual([0, 1, 0, 1, 0]);
    expect(at(12)).toEqual([1, 2, 1, 2, 2]);
    expect(at(20)).toEqual([2, 3, 2, 3, 2]);
    expect(at(-9)).toEqual([-2, -1, -1, -1, -1]);
    expect(roundShift(-12n, 3, 'half-even')).toBe(-2n);
  });
});

describe('linear (paramVec weights, multiply-add, half-even rounding, saturation)', () => {
  test('hand-computed scores, and a COMMIT of new weights', async () => {
    const m = (await load('linear')).default.model();
    const s = (f0: number, f1: number, f2: number, f3: number) => m.step({ f0, f1, f2, f3 }).score;
    expect(s(3, 0, 0, 0)).toBe(3); // 768 / 256
    expect(s(1, 1, 0, 0)).toBe(0); // 128 / 256 = 0.5: a tie, to even
    expect(s(1, 0, 2, 0)).toBe(2); // 384 / 256 = 1.5: to even
    expect(s(-1, 0, -2, 0)).toBe(-2);
    expect(s(32767, -32768, 0, 0)).toBe(32767); // 49151: saturated into i(16)
    m.commit({ w: [0, 0, 0, 256], bias: 512 });
    expect(s(100, 100, 100, 7)).toBe(9);
    expect(() => m.commit({ w: [1, 2, 3] })).toThrow(/expected 4 values/);
    expect(() => m.commit({ w: [1, 2, 3, 40000] })).toThrow(/does not fit/);
    expect(m.params.w).toEqual([0, 0, 0, 256]); // a rejected COMMIT changes nothing
  });
});

/** The ensemble evaluated directly from the docs' description, not from the DSL file. */
function ensemble(x: Record<string, number>, p: { split: number[]; threshold: number[]; leaf: number[] }): number {
  const f = [x.a, x.b, x.c, x.d];
  let score = 0;
  for (let t = 0; t < 4; t++) {
    let n = 0;
    while (n < 3) n = f[p.split[3 * t + n]] > p.threshold[3 * t + n] ? 2 * n + 2 : 2 * n + 1;
    score += p.leaf[4 * t + n - 3];
  }
  return score;
}

describe('trees (paramVec thresholds, features and leaves; computed indices)', () => {
  test('a hand-walked record, then the model against a direct evaluator with random host-written contents', async () => {
    const u = (await load('trees')).default as Unit;
    const m = u.model();
    // tree 0: a > 32768, c > 49152: leaf 3 (3); tree 1: d <= 30000, a > 20000: leaf 1 (0); tree 2: c > 1000,
    // a > 5000: leaf 3 (-4); tree 3: b <= 32768, c > 32768: leaf 1 (1).
    expect(m.step({ a: 40000, b: 0, c: 50000, d: 0 } as never)).toEqual({ score: 0, long: false });
    const rng = new Rng(3);
    for (let round = 0; round < 20; round++) {
      const p = {
        split: Array.from({ length: 12 }, () => rng.below(4)),
        threshold: Array.from({ length: 12 }, () => rng.below(65536)),
        leaf: Array.from({ length: 16 }, () => rng.below(65536) - 32768),
      };
      m.commit(p as never);
      for (let n = 0; n < 200; n++) {
        const x = { a: rng.below(65536), b: rng.below(65536), c: rng.below(65536), d: rng.below(65536) };
        const score = ensemble(x, p);
        expect(m.step(x as never)).toEqual({ score, long: score > 0 });
      }
    }
  });
  test('latency known at build time: 2 + D + log2 N stages of logic, within the period', () => {
    const ir = compile(`${EX}/trees.ts`);
    expect(ir.schedule.violations).toEqual([]);
    expect(ir.schedule.latency).toBe(8); // conifer's anchor for N = 4, D = 2 is about 6
  });
});

describe('cosim --params: three-way with non-default host-written contents, lint clean', () => {
  test.each(['linear', 'trees'])('%s', async (name) => {
    const file = `${EX}/${name}.ts`;
    const values = readParamsFile(`${EX}/${name}.params.json`);
    const r = await cosim({ file, input: 'synthetic:3000', seed: 5, out: path.join(tmp, name), params: values });
    expect(r.executors.rtl!.compared).toBe(3000);
    expect(r.executors.hls!.compared).toBe(3000);
    expect(r.mismatches).toBe(0);
    // The reference saw the file's values, not the defaults: its decisions are recomputed here from the file alone.
    const d = await loadDesign(file);
    const recs = stimulusRecords(d, compile(file).input, 'synthetic:3000', 5) as Array<Record<string, number>>;
    const flag = name === 'linear' ? 'buy' : 'long';
    const v = values as Record<string, number[] & number>;
    const expected = recs.filter((x) => {
      if (name === 'trees') return ensemble(x, v as never) > 0;
      const acc = v.bias + v.w[0] * x.f0 + v.w[1] * x.f1 + v.w[2] * x.f2 + v.w[3] * x.f3;
      return Math.max(-32768, Math.min(32767, roundShift(acc, 8, 'half-even'))) > v.threshold;
    }).length;
    expect(r.outputCounts[flag].true).toBe(expected);
    const vc = verilatorCommand();
    const dir = r.rtl!.dir;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.v')).map((f) => path.join(dir, f));
    const lint = spawnSync(vc.cmd, ['--lint-only', '-Wall', '--top-module', r.design, ...files], { env: { ...process.env, ...vc.env }, encoding: 'utf8' });
    expect(lint.stderr.split('\n').filter((l) => l.startsWith('%'))).toEqual([]);
  }, 300_000);

  test('--update of some vector elements while records flow: the rest of the vector stays', async () => {
    const r = await cosim({
      file: `${EX}/trees.ts`, input: 'synthetic:3000', seed: 6, out: path.join(tmp, 'trees-upd'),
      params: readParamsFile(`${EX}/trees.params.json`),
      updates: [{ at: 1000, values: { leaf_3: BigInt.asUintN(16, -500n), threshold_0: 100n } }, { at: 2000, values: { split_0: 3n, leaf_0: 77n } }],
    });
    expect(r.mismatches).toBe(0);
    expect(r.commits.map((c) => c.firstInput! >= c.at)).toEqual([true, true]);
    const ir = compile(`${EX}/trees.ts`);
    expect(modelCommitOf(ir, { leaf_1: 65535n, split_2: 1n }, { leaf: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], split: new Array(12).fill(0) })).toEqual({
      leaf: [1, -1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
      split: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
  }, 300_000);

  test('values are checked against the design before anything runs', () => {
    const ir = compile(`${EX}/linear.ts`);
    expect(() => initialParams(ir, { w: [1, 2] })).toThrow('param w is a paramVec of 4 values; give an array of 4');
    expect(() => initialParams(ir, { w: [1, 2, 3, 70000] })).toThrow('param w[3]: 70000 is outside -32768..32767 (i(16))');
    expect(() => initialParams(ir, { bias: '0x10', nope: 1 })).toThrow('linear has no param nope (params: w, bias, threshold)');
    expect(initialParams(ir, { bias: '-0x10', w: [-1, 0, 0, 1] })).toEqual({
      codes: { bias: -16n, w_0: -1n, w_1: 0n, w_2: 0n, w_3: 1n },
      model: { bias: -16, w: [-1, 0, 0, 1] },
    });
  });
});

describe('cocotb: vector elements written by the host under traffic', () => {
  test('tickforge test on the tree ensemble: every COMMIT of random thresholds, features and leaves checked against the model', () => {
    const out = path.join(tmp, 'cocotb-trees');
    const r = spawnSync(process.execPath, ['bin/tickforge.mjs', 'test', `${EX}/trees.ts`, '--out', out, '--records', '800', '--seed', '4'], { encoding: 'utf8' });
    expect(r.stdout, r.stdout + r.stderr).toMatch(/^cocotb: 3 tests, 0 failed$/m);
    // test_params changed vector elements (the model server maps split_3 to element 3 of split).
    const m = /params: (\d+) COMMITs changing (\d+) params/.exec(fs.readFileSync(path.join(out, 'sim_test_params.log'), 'utf8'));
    expect(Number(m?.[2])).toBeGreaterThan(5);
  }, 300_000);
});

describe('register map of a paramVec', () => {
  test('one word per element, consecutive from the window base, then the other params', () => {
    const map = regMapOf(compile(`${EX}/linear.ts`));
    const ps = map.windows[0].params.map((p) => [p.name, p.offset, p.reset]);
    expect(ps).toEqual([
      ['w_0', 0x20, '256'],
      ['w_1', 0x24, String(2 ** 16 - 128)],
      ['w_2', 0x28, '64'],
      ['w_3', 0x2c, '32'],
      ['bias', 0x30, '0'],
      ['threshold', 0x34, '100'],
    ]);
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
  test('an index that may be outside the vector', () => {
    expect(firstLine('test/docs/rejects/vec-index.ts')).toBe('test/docs/rejects/vec-index.ts:11:26: error TF108: index of w may be 0..7, outside 0..5 (JavaScript would read undefined)');
  });
  test('an init of the wrong length', () => {
    expect(firstLine('test/docs/rejects/vec-init.ts')).toBe('test/docs/rejects/vec-init.ts:9:35: error TF011: paramVec init has 3 values for 4 elements');
  });
});

describe('docs/dsl.md shows these examples as they are', () => {
  test.each([['linear', null], ['trees', null], ['orders', '/** References from']])('%s', (name, cut) => {
    const src = fs.readFileSync(`${EX}/${name}.ts`, 'utf8');
    const body = src.slice(src.indexOf('import {'), cut ? src.indexOf(cut) : undefined).trimEnd();
    const doc = fs.readFileSync('docs/dsl.md', 'utf8');
    const start = doc.indexOf(`// ${EX}/${name}.ts\n`) + `// ${EX}/${name}.ts\n`.length;
    expect(doc.slice(start, doc.indexOf('```', start)).trimEnd()).toBe(body);
  });
});
