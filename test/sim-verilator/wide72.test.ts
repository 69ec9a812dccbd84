// Real Verilator: VlWide ports (72-bit in, 128-bit out), dropped records, and cycle stamps
// checked against the design's own cycle counter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarness, runHarness, type HarnessBuild } from '../../sim/verilator/index.ts';
import { randomRecords, readLE, strictlyIncreasing, removeTempDirs, tempDir, wide72 } from './helpers.ts';

const N = 3000;

describe('wide72 co-simulation', () => {
  afterAll(removeTempDirs);
  const inputs = randomRecords(N, 9, 2);
  // Every 7th record starts with 0xFF, which the design swallows (zero outputs).
  for (let i = 0; i < N; i += 7) inputs[9 * i] = 0xff;
  const kept = Array.from({ length: N }, (_, i) => i).filter((i) => inputs[9 * i] !== 0xff);
  let build: HarnessBuild;

  beforeAll(async () => {
    build = await buildHarness(wide72, { cacheDir: tempDir('cache') });
  }, 180_000);

  it('carries wide records and stamps them with the design counter', async () => {
    const r = await runHarness(build, wide72, { inputs, params: [{ offset: 0, value: 0x1234_56ab }], seed: 11, workDir: tempDir('run') });
    expect(r.inCycles.length).toBe(N);
    expect(r.outCycles.length).toBe(kept.length);
    expect(r.outputs.length).toBe(16 * kept.length);
    kept.forEach((i, k) => {
      const out = r.outputs.subarray(16 * k, 16 * k + 16);
      expect(readLE(out, 0, 9)).toBe(readLE(inputs, 9 * i, 9));
      // The design captured its 48-bit counter when it accepted input i: the harness
      // must have stamped the same value.
      expect(readLE(out, 9, 6)).toBe(r.inCycles[i]);
      expect(out[15]).toBe(0xab);
      expect(r.outCycles[k]).toBeGreaterThan(r.inCycles[i]);
    });
    expect(strictlyIncreasing(r.inCycles)).toBe(true);
    expect(strictlyIncreasing(r.outCycles)).toBe(true);
  });
});
