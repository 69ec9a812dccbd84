// Golden Verilog of the risk gate (regenerate with TICKFORGE_UPDATE_GOLDEN=1 and review the diff), plus lint
// with `verilator --lint-only -Wall` (zero warnings) and a Yosys read of the same files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { emitVerilog } from '../../rtl/index.ts';
import { verilatorCommand } from '../../sim/tools.ts';

const GOLDEN = 'test/rtl/golden/risk-gate';
const update = process.env.TICKFORGE_UPDATE_GOLDEN === '1';

describe('risk gate RTL', () => {
  const ir = compile('examples/risk-gate/gate.ts');
  const out = emitVerilog(ir);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-golden-'));
  for (const [f, t] of out.files) fs.writeFileSync(path.join(dir, f), t);

  test('matches the golden files', () => {
    if (update) {
      fs.mkdirSync(GOLDEN, { recursive: true });
      for (const [f, t] of out.files) fs.writeFileSync(path.join(GOLDEN, f), t);
    }
    for (const [f, t] of out.files) expect(t, f).toBe(fs.readFileSync(path.join(GOLDEN, f), 'utf8'));
  });

  test('is deterministic', () => {
    const again = emitVerilog(compile('examples/risk-gate/gate.ts'));
    expect([...again.files]).toEqual([...out.files]);
  });

  test('passes verilator --lint-only -Wall with no warning', () => {
    const v = verilatorCommand();
    const files = [...out.files.keys()].map((f) => path.join(dir, f));
    const r = spawnSync(v.cmd, ['--lint-only', '-Wall', '--top-module', out.top, ...files], { env: { ...process.env, ...v.env }, encoding: 'utf8' });
    expect(r.stderr.split('\n').filter((l) => l.startsWith('%'))).toEqual([]);
    expect(r.status).toBe(0);
  });

  test('Yosys reads and synthesizes it', () => {
    const files = [...out.files.keys()].map((f) => path.join(dir, f)).join(' ');
    const log = execFileSync('yosys', ['-p', `read_verilog ${files}; hierarchy -top ${out.top}; proc; opt -fast; stat`], { encoding: 'utf8' });
    expect(log).toContain('Number of cells');
  });
});
