// Real Verilator: failures must stop the run with a message naming the cause.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHarness, runHarness, type RtlDesign } from '../../sim/verilator/index.ts';
import { FIXTURES, pipe40, stuckReg, removeTempDirs, tempDir } from './helpers.ts';

describe('harness failures', () => {
  afterAll(removeTempDirs);
  const cacheDir = tempDir('cache');

  it('reports a parameter that does not read back', async () => {
    const build = await buildHarness(stuckReg, { cacheDir });
    const run = runHarness(build, stuckReg, { inputs: new Uint8Array(50), params: [{ offset: 0, value: 5 }], seed: 1, workDir: tempDir('run') });
    await expect(run).rejects.toThrow('tickforge-harness: param readback mismatch at offset 0x0: wrote 0x00000005, read 0x00000000');
  }, 180_000);

  it('reports a port that breaks the contract before compiling C++', async () => {
    const started = Date.now();
    await expect(buildHarness({ ...pipe40, inBytes: 6 }, { cacheDir })).rejects.toThrow(
      'Module `pipe40` does not follow the tickforge port contract: port s_axis_tdata is 40 bits, expected 48.',
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 60_000);

  it('reports Verilator errors with their text', async () => {
    const dir = tempDir('rtl');
    const src = fs.readFileSync(path.join(FIXTURES, 'pipe40.v'), 'utf8').replace('assign m_axis_tvalid = v2;', 'assign m_axis_tvalid = v2 +;');
    fs.writeFileSync(path.join(dir, 'pipe40.v'), src);
    fs.copyFileSync(path.join(FIXTURES, 'axil_regs.v'), path.join(dir, 'axil_regs.v'));
    const broken: RtlDesign = { ...pipe40, rtlDir: dir };
    const err = await buildHarness(broken, { cacheDir }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^Verilator build of `pipe40` failed \(exit \d+\); full log in .*\.failed\.log\. Last output:\n/);
    expect(err?.message).toMatch(/%Error: .*pipe40\.v:\d+:\d+: syntax error/);
    // A failed build leaves no cache entry behind, only its log.
    expect(fs.readdirSync(cacheDir).filter((d) => !d.endsWith('.failed.log') && fs.existsSync(path.join(cacheDir, d, 'build.json')))).toHaveLength(1);
  }, 60_000);
});
