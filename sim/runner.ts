// The command and cache core every tool runner shares: the Verilator harness (sim/verilator), the g++ C-simulation
// (sim/hls.ts, sim/hls-system.ts), the cocotb bench (sim/cocotb) and the simulated card (host/simcard). One way to
// spawn a tool (ended with tickforge, output streamed and its tail kept for the error message), one cache root per
// tool, one content key, and one way to publish a build: built in a temporary folder, its manifest written, renamed
// into place whole, so a cache entry is complete or absent, and checked against its manifest before it is used.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last 6,000 characters of stdout and stderr, interleaved as they came. */
  output: string;
  stdout: string;
  /** The command could not be started (not found). */
  missing: boolean;
}

export interface CommandOptions {
  cwd?: string;
  /** Entries merged over process.env. */
  env?: Record<string, string>;
  /** Every chunk of output as it comes (verbose runs). */
  log?: (s: string) => void;
  /** Every chunk of output, kept whole (a build's log file). */
  fullLog?: string[];
  /** Every chunk of output, written to this file. */
  logFile?: string;
}

/** Runs `argv` to completion without blocking the event loop; a signal to tickforge ends it too. Never rejects. */
export function runCommand(argv: readonly string[], opts: CommandOptions = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = endWithParent(spawn(argv[0], argv.slice(1), { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] }));
    const logStream = opts.logFile ? fs.createWriteStream(opts.logFile) : null;
    let tail = '';
    let stdout = '';
    const onData = (isStdout: boolean) => (chunk: Buffer) => {
      const s = chunk.toString();
      if (isStdout) stdout += s;
      tail = (tail + s).slice(-6000);
      opts.fullLog?.push(s);
      opts.log?.(s);
      logStream?.write(s);
    };
    child.stdout!.on('data', onData(true));
    child.stderr!.on('data', onData(false));
    const done = (f: Finished) => (logStream ? logStream.end(() => resolve(f)) : resolve(f));
    child.on('error', (e: NodeJS.ErrnoException) => done({ code: null, signal: null, output: e.message, stdout, missing: e.code === 'ENOENT' }));
    child.on('close', (code, signal) => done({ code, signal, output: tail, stdout, missing: false }));
  });
}

/** Where a tool's builds are cached: `override`, else $TICKFORGE_CACHE/<tool>, else ./.tickforge-cache/<tool>. */
export function cacheRoot(tool: 'verilator' | 'hls' | 'cocotb' | 'simcard', override?: string): string {
  if (override) return path.resolve(override);
  return path.resolve(process.env.TICKFORGE_CACHE ?? path.join(process.cwd(), '.tickforge-cache'), tool);
}

/** A cache key over fields, each length-prefixed so no concatenation of fields can collide with another. */
export class ContentKey {
  private readonly h = createHash('sha256');
  field(s: string | Buffer): this {
    this.h.update(`${Buffer.byteLength(s)}:`);
    this.h.update(s);
    return this;
  }
  file(p: string): this {
    return this.field(fs.readFileSync(p));
  }
  digest(): string {
    return this.h.digest('hex').slice(0, 24);
  }
}

/**
 * Whether the cache entry `dir` can be used: every file of `complete` (relative to it) exists and the manifest's
 * content hashes match. A damaged entry (truncated, altered) is removed with a note naming `label`, never used.
 */
export function usableEntry(dir: string, complete: readonly string[], label: string): boolean {
  if (!fs.existsSync(dir)) return false;
  if (complete.every((f) => fs.existsSync(path.join(dir, f)))) {
    const bad = verifyManifest(dir);
    if (bad === null) return true;
    process.stderr.write(`tickforge: note: ${label} cache entry ${dir} fails its check (${bad}); rebuilding it\n`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return false;
}

/** A fresh temporary folder beside `root/key`, removed if tickforge ends before it is published. */
export function newEntry(root: string, key: string): string {
  fs.mkdirSync(root, { recursive: true });
  const tmp = removeOnExit(path.join(root, `${key}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`));
  fs.mkdirSync(tmp, { recursive: true });
  return tmp;
}

/**
 * Publishes a finished build: the manifest of `files` (relative to tmp) written, then tmp renamed to `dir` whole.
 * When another process published the same key first, theirs is identical and kept.
 */
export function publishEntry(tmp: string, dir: string, files: readonly string[]): void {
  try {
    writeManifest(tmp, [...files]);
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw e;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } finally {
    forgetDir(tmp);
  }
}

/** Removes an unpublished build folder (a failed build). */
export function dropEntry(tmp: string): void {
  fs.rmSync(tmp, { recursive: true, force: true });
  forgetDir(tmp);
}

/** runCommand with the whole output kept (`output`), for short commands whose first lines matter (g++ errors). */
export async function runChild(cmd: string, args: string[], cwd?: string, env: Record<string, string> = {}): Promise<{ status: number | null; output: string; stdout: string; missing: boolean }> {
  const whole: string[] = [];
  const f = await runCommand([cmd, ...args], { cwd, env, fullLog: whole });
  return { status: f.code, output: f.missing ? f.output : whole.join(''), stdout: f.stdout, missing: f.missing };
}
