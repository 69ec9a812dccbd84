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

  test('cosim: the model and the RTL simulation show progress on a terminal, nothing with CI=true; same report either way', () => {
    const cosim = (out: string) => `${process.execPath} ${path.join(REPO, 'bin/tickforge.mjs')} cosim ${path.join(REPO, 'examples/risk-gate/gate.ts')} --input synthetic:3000 --backends model,rtl --out ${out}`;
    const tty = spawnSync('script', ['-qec', cosim(path.join(tmp, 'c-tty')), '/dev/null'], { encoding: 'utf8', env: baseEnv(), cwd: REPO });
    expect(tty.status, tty.stdout + tty.stderr).toBe(0);
    expect(tty.stdout).toMatch(/\rtickforge: risk_gate: RTL simulation, inputs accepted: 3,000\/3,000 \(100 %\)/);
    expect(tty.stdout).toMatch(/\rtickforge: risk_gate: model: 3,000\/3,000 \(100 %\)/);
    const ci = spawnSync('script', ['-qec', cosim(path.join(tmp, 'c-ci')), '/dev/null'], { encoding: 'utf8', env: { ...baseEnv(), CI: 'true' }, cwd: REPO });
    expect(ci.status, ci.stdout).toBe(0);
    expect(ci.stdout).not.toContain('inputs accepted');
    expect(ci.stdout).not.toMatch(/\r(?!\n)/); // a terminal's line ends are \r\n; a bar's rewrite is a bare \r
    const a = JSON.parse(fs.readFileSync(path.join(tmp, 'c-tty', 'cosim.json'), 'utf8'));
    const b = JSON.parse(fs.readFileSync(path.join(tmp, 'c-ci', 'cosim.json'), 'utf8'));
    expect([a.compared, a.mismatches]).toEqual([b.compared, b.mismatches]);
    expect(a.mismatches).toBe(0);
  });
});
