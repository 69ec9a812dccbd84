// `tickforge test` on every design under examples/: the cocotb bench (stalls, back-pressure, params written under
// traffic, resets mid-traffic) passes on each one's generated RTL, with the design's own stimulus (the ITCH feed's:
// the real NASDAQ capture, through --input).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

const designs = fs
  .readdirSync('examples')
  .flatMap((d) => (fs.statSync(path.join('examples', d)).isDirectory() ? fs.readdirSync(path.join('examples', d)).map((f) => path.join('examples', d, f)) : []))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .filter((f) => /export default unit\(/.test(fs.readFileSync(f, 'utf8')))
  .sort();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-cocotb-ex-'));
const CAPTURES: Record<string, string> = { 'examples/itch-feed/feed.ts': '../shared/data/itch/12302019_SNIPPET.NASDAQ_ITCH50' };

describe('tickforge test on every example', () => {
  test('finds the examples', () => {
    expect(designs).toContain('examples/risk-gate/gate.ts');
    expect(designs).toContain('examples/itch-feed/feed.ts');
  });
  test.each(designs)('%s', (file) => {
    const out = path.join(tmp, path.basename(file, '.ts'));
    // The ITCH feed runs on the real capture (--input, as cosim takes it); the others on their own generators.
    const input = CAPTURES[file] ? ['--input', CAPTURES[file]] : [];
    const r = spawnSync(process.execPath, ['bin/tickforge.mjs', 'test', file, '--out', out, '--records', '1500', '--seed', '2', ...input], { encoding: 'utf8' });
    expect(r.stdout, r.stdout + r.stderr).toMatch(/^cocotb: 3 tests, 0 failed$/m);
    expect(r.status).toBe(0);
    if (CAPTURES[file]) expect(r.stderr).toMatch(/input .*12302019_SNIPPET\.NASDAQ_ITCH50: \d+ records; 1500 per test/);
  }, 600_000);
});
