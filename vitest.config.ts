import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Verilator builds are CPU-heavy; two cores: run files one at a time.
    fileParallelism: false,
  },
});
