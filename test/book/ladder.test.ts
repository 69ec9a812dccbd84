// The top-8 ladder written with vectors (examples/book/ladder-vec.ts) against the same ladder written with scalar
// registers (ladder-scalar.ts): the vector source is under half the size, the two models give identical outputs on
// one stimulus, and each co-simulates three-way (model, RTL, HLS) with 0 mismatches and lint-clean Verilog.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { cosim } from '../../sim/cosim.ts';
import { verilatorCommand } from '../../sim/tools.ts';
import { compile } from '../../codegen/index.ts';
import { Rng, type Unit } from '../../dsl/index.ts';
import vecUnit, { synthetic } from '../../examples/book/ladder-vec.ts';
import scalarUnit from '../../examples/book/ladder-scalar.ts';
import { Side } from '../../examples/book/levels.ts';

const VEC = 'examples/book/ladder-vec.ts';
const SCALAR = 'examples/book/ladder-scalar.ts';

/** Source characters that are code: comments and blank space removed. */
function codeSize(file: string): number {
  return fs
    .readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/\s+/g, '')
    .length;
}

describe('top-8 ladder: vectors against scalar registers', () => {
  test('the vector source is under half the scalar one', () => {
    const v = codeSize(VEC);
    const s = codeSize(SCALAR);
    expect(v / s).toBeLessThan(0.5);
  });

  test('both compile and meet the clock; each flattens to the same 48 registers', () => {
    const a = compile(VEC);
    const b = compile(SCALAR);
    expect(a.schedule!.violations).toEqual([]);
    expect(b.schedule!.violations).toEqual([]);
    expect(a.regs.length).toBe(48);
    expect(b.regs.length).toBe(48);
    expect(a.regs.reduce((n, r) => n + r.spec.width, 0)).toBe(b.regs.reduce((n, r) => n + r.spec.width, 0));
  });

  test('the two models agree on every output of 10,000 updates, and the ladder stays sorted', () => {
    const mv = (vecUnit as Unit).model();
    const ms = (scalarUnit as Unit).model();
    const rng = new Rng(11);
    let inserts = 0;
    let full = 0;
    for (let n = 0; n < 10_000; n++) {
      const x = synthetic(rng);
      const a = mv.step(x, n);
      expect(ms.step(x, n)).toEqual(a);
      const st = mv.state as unknown as { bids: Array<{ price: number; live: boolean }>; asks: Array<{ price: number; live: boolean }> };
      for (const [side, l] of [[Side.Buy, st.bids], [Side.Sell, st.asks]] as const) {
        const live = l.filter((v) => v.live);
        expect(l.slice(0, live.length).every((v) => v.live)).toBe(true); // empties at the end
        for (let k = 1; k < live.length; k++) expect(side === Side.Buy ? live[k - 1].price > live[k].price : live[k - 1].price < live[k].price).toBe(true);
      }
      if (a && a.bidLevels === 8) full++;
      if (x.qty !== 0) inserts++;
    }
    expect(inserts).toBeGreaterThan(5_000);
    expect(full).toBeGreaterThan(50); // the 8th level is exercised (drops off on insert)
  });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-ladder-'));
  test.each([VEC, SCALAR])('%s co-simulates three-way with 0 mismatches and lints clean', async (file) => {
    const r = await cosim({ file, input: 'synthetic:4000', seed: 3, out: path.join(tmp, path.basename(file, '.ts')) });
    expect(r.executors.model!.outputs).toBe(4000);
    expect(r.executors.rtl!.compared).toBe(4000);
    expect(r.executors.hls!.compared).toBe(4000);
    expect(r.mismatches).toBe(0);
    const v = verilatorCommand();
    const dir = r.rtl!.dir;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.v')).map((f) => path.join(dir, f));
    const lint = spawnSync(v.cmd, ['--lint-only', '-Wall', '--top-module', r.design, ...files], { env: { ...process.env, ...v.env }, encoding: 'utf8' });
    expect(lint.stderr.split('\n').filter((l) => l.startsWith('%'))).toEqual([]);
  }, 300_000);
});
