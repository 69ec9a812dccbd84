// A new user's path, outside the checkout: tickforge installed from its `npm pack` tarball (a copy, not a symlink),
// `tickforge init`, then every command of the generated CI workflows run here in order (the GitHub Actions `run:`
// steps, which the GitLab job repeats): npm install, tickforge setup, doctor, the model tests, build, lint, a small
// cosim and the cocotb bench. Needs the npm registry (or npm's cache: --prefer-offline) like `npm install` itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test, afterAll } from 'vitest';
import { initProject } from '../../init/index.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-init-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
// The generated package.json's cosim and cocotb sizes are environment knobs: CI runs 100,000 records, this test fewer.
const env: Record<string, string> = { ...(process.env as Record<string, string>), COSIM_RECORDS: '3000', COCOTB_RECORDS: '200', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', CI: 'true' };
for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'NODE_ENV') delete env[k];

function sh(cmd: string, cwd: string): { status: number | null; out: string } {
  const r = spawnSync('sh', ['-c', cmd], { cwd, env, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** `- run: <cmd>` lines of the GitHub workflow; `- <cmd>` items of the GitLab job's script. */
export function workflowCommands(project: string): { github: string[]; gitlab: string[] } {
  const gh = fs.readFileSync(path.join(project, '.github/workflows/tickforge.yml'), 'utf8');
  const gl = fs.readFileSync(path.join(project, '.gitlab-ci.yml'), 'utf8');
  const github = [...gh.matchAll(/^\s+- run: (.+)$/gm)].map((m) => m[1]!.trim());
  const script = /^  script:\n((?: {4}- .+\n)+)/m.exec(gl);
  const gitlab = script ? [...script[1]!.matchAll(/^ {4}- (.+)$/gm)].map((m) => m[1]!.trim()) : [];
  return { github, gitlab };
}

describe('tickforge init', () => {
  test('refuses a folder that is not empty, names the project after its folder', () => {
    const full = path.join(tmp, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'x'), '');
    expect(() => initProject(full)).toThrow(/not empty/);
    const files = initProject(path.join(tmp, 'My Desk'));
    expect(files).toContain('.gitignore');
    expect(files).toContain('.github/workflows/tickforge.yml');
    expect(JSON.parse(fs.readFileSync(path.join(tmp, 'My Desk', 'package.json'), 'utf8')).name).toBe('my-desk');
  });

  test('from an npm pack tarball in a fresh folder: the generated CI steps pass when run here', () => {
    const pack = sh(`npm pack --pack-destination ${JSON.stringify(tmp)} --json`, REPO);
    expect(pack.status, pack.out).toBe(0);
    const meta = JSON.parse(pack.out.slice(pack.out.indexOf('[')))[0] as { filename: string; files: Array<{ path: string }> };
    const shipped = meta.files.map((f) => f.path);
    expect(shipped).toContain('toolchain/pins.json');
    expect(shipped).toContain('init/template/_gitignore');
    expect(shipped.some((f) => f.startsWith('test/') || f.startsWith('.venv/') || f.startsWith('build/'))).toBe(false);
    const tgz = path.join(tmp, meta.filename);

    // A place to run `npx tickforge init` from: tickforge installed from the tarball.
    const ws = path.join(tmp, 'ws');
    fs.mkdirSync(ws);
    let r = sh(`npm init -y >/dev/null && npm install ${JSON.stringify(tgz)}`, ws);
    expect(r.status, r.out).toBe(0);
    expect(fs.lstatSync(path.join(ws, 'node_modules', 'tickforge')).isSymbolicLink()).toBe(false);
    r = sh(`npx tickforge init demo --tickforge ${JSON.stringify(tgz)}`, ws);
    expect(r.status, r.out).toBe(0);
    const demo = path.join(ws, 'demo');

    const { github, gitlab } = workflowCommands(demo);
    expect(gitlab).toEqual(github);
    for (const c of ['npm install', 'npx tickforge setup', 'npm test', 'npm run build', 'npm run cosim', 'npm run cocotb']) expect(github).toContain(c);
    for (const cmd of github) {
      const t0 = performance.now();
      r = sh(cmd, demo);
      expect(r.status, `${cmd}:\n${r.out}`).toBe(0);
      console.log(`${cmd}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    expect(fs.lstatSync(path.join(demo, 'node_modules', 'tickforge')).isSymbolicLink()).toBe(false);
    const cosim = JSON.parse(fs.readFileSync(path.join(demo, 'build/cosim/cosim.json'), 'utf8'));
    expect(cosim.inputs).toBe(3000);
    expect(cosim.executors.rtl.compared).toBe(3000);
    expect(cosim.executors.hls.compared).toBe(3000);
    expect(cosim.mismatches).toBe(0);
    expect(fs.readFileSync(path.join(demo, 'build/cosim/report.html'), 'utf8')).toContain('id="latency-histogram"');
    const cocotb = JSON.parse(fs.readFileSync(path.join(demo, 'build/cocotb/cocotb.json'), 'utf8'));
    expect(cocotb.tests.length).toBeGreaterThan(0);
    expect(cocotb.failed).toBe(0);
    // The toolchain came from tickforge setup's cache, not from the checkout this test runs in.
    const doc = sh('npx tickforge doctor --json', demo);
    expect(doc.status, doc.out).toBe(0);
    const d = JSON.parse(doc.out);
    expect(['user', 'project', 'env']).toContain(d.toolchain.source);
    expect(d.tickforge.root).toBe(path.join(fs.realpathSync(demo), 'node_modules', 'tickforge'));
  }, 420_000);
});
