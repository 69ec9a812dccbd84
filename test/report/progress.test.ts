// Progress lines for a person at a terminal, none in CI logs or piped output: `tickforge gen itch` run under a
// pseudo-terminal (util-linux `script`), under it with CI=true, and piped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test, afterAll } from 'vitest';
import { progress } from '../../report/progress.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-progress-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const gen = (out: string) => `${process.execPath} ${path.join(REPO, 'bin/tickforge.mjs')} gen itch --count 200000 --seed 3 --out ${out}`;
const baseEnv = () => { const e = { ...process.env }; delete e.CI; return e; };

describe('progress', () => {
  test('rewrites one line and clears it; nothing at all when disabled', () => {
    const seen: string[] = [];
    const p = progress('replay', 10_000, { enabled: true, write: (s) => seen.push(s), everyMs: 0 });
    for (let i = 0; i < 10_000; i++) p.tick();
    p.done();
    expect(seen[0]).toBe('\rtickforge: replay: 4,096/10,000 (40 %)\x1b[K');
    expect(seen.at(-2)).toBe('\rtickforge: replay: 10,000/10,000 (100 %)\x1b[K');
    expect(seen.at(-1)).toBe('\r\x1b[K');
    const none: string[] = [];
    const q = progress('replay', 10_000, { enabled: false, write: (s) => none.push(s) });
    for (let i = 0; i < 10_000; i++) q.tick();
    q.done();
    expect(none).toEqual([]);
  });

  test('gen itch: progress on a terminal, none with CI=true, none when piped; the same file either way', () => {
    const tty = spawnSync('script', ['-qec', gen(path.join(tmp, 'tty.bin')), '/dev/null'], { encoding: 'utf8', env: baseEnv() });
    expect(tty.status, tty.stdout + tty.stderr).toBe(0);
    expect(tty.stdout).toMatch(/\rtickforge: generating ITCH messages: [\d,]+\/200,000 \(\d+ %\)/);
    const ci = spawnSync('script', ['-qec', gen(path.join(tmp, 'ci.bin')), '/dev/null'], { encoding: 'utf8', env: { ...baseEnv(), CI: 'true' } });
    expect(ci.status).toBe(0);
    expect(ci.stdout).not.toContain('generating ITCH messages');
    const piped = spawnSync('sh', ['-c', gen(path.join(tmp, 'piped.bin'))], { encoding: 'utf8', env: baseEnv() });
    expect(piped.status).toBe(0);
    expect(piped.stdout + piped.stderr).not.toContain('\r');
    const bytes = fs.readFileSync(path.join(tmp, 'tty.bin'));
    expect(fs.readFileSync(path.join(tmp, 'ci.bin')).equals(bytes)).toBe(true);
    expect(fs.readFileSync(path.join(tmp, 'piped.bin')).equals(bytes)).toBe(true);
  });
});
