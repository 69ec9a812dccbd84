// Every design in the repository co-simulates with 0 mismatches across model, RTL and HLS, and its Verilog is
// lint-clean: the documentation's examples, designs written from the docs alone, and the reproducers of bugs
// found that way (examples/from-docs/repro-*.ts), not only the risk gate.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cosim } from '../../sim/cosim.ts';
import { verilatorCommand } from '../../sim/tools.ts';

const designs = [
  ...fs.readdirSync('test/codegen/good').filter((f) => f.endsWith('.ts')).map((f) => `test/codegen/good/${f}`),
  ...fs.readdirSync('test/docs/examples').filter((f) => f.endsWith('.ts')).map((f) => `test/docs/examples/${f}`),
  ...(fs.existsSync('examples/from-docs') ? fs.readdirSync('examples/from-docs').filter((f) => f.endsWith('.ts')).map((f) => `examples/from-docs/${f}`) : []),
]
  .filter((f) => /export default unit\(/.test(fs.readFileSync(f, 'utf8'))) // (not the files of shared declarations they import)
  .sort();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-corpus-'));

describe('design corpus, three-way', () => {
  test.each(designs)('%s', async (file) => {
    const r = await cosim({ file, input: 'synthetic:5000', seed: 1, out: path.join(tmp, path.basename(file, '.ts')) });
    expect(r.executors.model!.outputs).toBeGreaterThan(0);
    expect(r.executors.rtl!.compared).toBe(r.executors.model!.outputs);
    expect(r.executors.hls!.compared).toBe(r.executors.model!.outputs);
    expect(r.mismatches).toBe(0);
    const v = verilatorCommand();
    const dir = r.rtl!.dir;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.v')).map((f) => path.join(dir, f));
    const lint = spawnSync(v.cmd, ['--lint-only', '-Wall', '--top-module', r.design, ...files], { env: { ...process.env, ...v.env }, encoding: 'utf8' });
    expect(lint.stderr.split('\n').filter((l) => l.startsWith('%'))).toEqual([]);
  }, 300_000);
});
