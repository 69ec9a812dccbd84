// Throughput check for the harness: `npx tsx test/sim-verilator/bench.ts [records]`.
// Not a test: it prints cold/cached build times and records per second on pipe40.
import { buildHarness, runHarness } from '../../sim/verilator/index.ts';
import { pipe40, randomRecords, tempDir } from './helpers.ts';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1_000_000);
  const cacheDir = tempDir('bench-cache');
  const cold = await buildHarness(pipe40, { cacheDir });
  const warm = await buildHarness(pipe40, { cacheDir });
  const inputs = randomRecords(n, pipe40.inBytes, 1);
  const t0 = performance.now();
  const r = await runHarness(warm, pipe40, { inputs, params: [{ offset: 0, value: 1 }], seed: 1, workDir: tempDir('bench-run') });
  const wall = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      records: n,
      coldBuildSeconds: +cold.seconds.toFixed(2),
      cachedBuildSeconds: +warm.seconds.toFixed(3),
      cycles: r.cycles,
      simSeconds: r.seconds,
      simRecordsPerSecond: Math.round(n / r.seconds),
      endToEndSeconds: +wall.toFixed(3),
      endToEndRecordsPerSecond: Math.round(n / wall),
    }),
  );
}

await main();
