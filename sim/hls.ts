// HLS C-simulation runner: the generated kernel and test bench compiled with g++ against hls/include, cached by
// a hash of the sources, and run on a batch of records with their acceptance cycles.
import fs from 'node:fs';
import path from 'node:path';
import type { UnitIR } from '../codegen/ir.ts';
import { buildHls } from '../hls/index.ts';
import { legalize } from '../codegen/names.ts';
import { ContentKey, cacheRoot, forgetDir, newEntry, publishEntry, removeOnExit, runChild, usableEntry } from './runner.ts';

export const CSIM_FLAGS = ['-std=c++17', '-O2', '-Wall', '-Wextra', '-Werror'];

export interface CsimBuild {
  dir: string;
  exe: string;
  cached: boolean;
  seconds: number;
}

/** Generates the HLS sources into `<cache>/hls/<hash>` and compiles them (skipped when the hash is cached). */
export async function buildCsim(ir: UnitIR, opts: { cacheDir?: string; srcDir?: string; log?: (s: string) => void } = {}): Promise<CsimBuild> {
  const t0 = performance.now();
  const top = legalize(ir).name;
  const tmp = removeOnExit(fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'tf-hls-')));
  try {
    return await buildCsimIn(tmp, ir, top, opts, t0);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    forgetDir(tmp);
  }
}

async function buildCsimIn(tmp: string, ir: UnitIR, top: string, opts: { cacheDir?: string; srcDir?: string }, t0: number): Promise<CsimBuild> {
  buildHls(ir, tmp);
  let sources = [`${top}.cpp`];
  if (opts.srcDir) {
    // Co-simulate the given (possibly hand-edited) kernel sources instead of the regenerated ones: every .cpp of
    // the directory is compiled, whatever its name, and the regenerated kernel is left out so it cannot stand in
    // for an edited one (the regenerated header stays unless one is given: the test bench includes it).
    fs.rmSync(path.join(tmp, `${top}.cpp`));
    const given = fs.readdirSync(opts.srcDir).filter((f) => /\.(cpp|h)$/.test(f) && f !== 'tb.cpp').sort();
    for (const f of given) fs.copyFileSync(path.join(opts.srcDir, f), path.join(tmp, f));
    sources = given.filter((f) => f.endsWith('.cpp'));
  }
  return compileCached(tmp, sources, opts.cacheDir, t0);
}

/**
 * Compiles `sources` + tb.cpp in `tmp` (against tmp/include) into `<cache>/<hash>/csim`, the hash over the flags and
 * every .cpp/.h of tmp and tmp/include; `tmp` becomes the cache entry. A unit's kernel and a system top share it.
 */
export async function compileCached(tmp: string, sources: string[], cacheDir: string | undefined, t0: number): Promise<CsimBuild> {
  const k = new ContentKey().field(CSIM_FLAGS.join(' '));
  for (const d of [tmp, path.join(tmp, 'include')]) {
    for (const f of fs.readdirSync(d).filter((x) => /\.(cpp|h)$/.test(x)).sort()) k.field(f).file(path.join(d, f));
  }
  const hash = k.digest();
  const cache = cacheRoot('hls', cacheDir);
  const dir = path.join(cache, hash);
  const exe = path.join(dir, 'csim');
  // A cache entry is used only when its manifest's content hashes match what is there: a truncated or altered
  // executable is rebuilt (with a note), never run.
  if (usableEntry(dir, ['csim'], 'HLS build')) return { dir, exe, cached: true, seconds: (performance.now() - t0) / 1000 };
  const r = await runChild('g++', [...CSIM_FLAGS, '-I.', '-Iinclude', ...sources, 'tb.cpp', '-o', 'csim'], tmp);
  if (r.status !== 0) throw new Error(`HLS C-simulation build failed (g++ ${CSIM_FLAGS.join(' ')}):\n${r.output.split('\n').slice(0, 40).join('\n')}`);
  fs.mkdirSync(cache, { recursive: true });
  // The caller's folder becomes the entry (it is removed by the caller when this returns without publishing).
  const entry = newEntry(cache, hash);
  fs.rmSync(entry, { recursive: true });
  fs.cpSync(tmp, entry, { recursive: true });
  publishEntry(entry, dir, ['csim']);
  return { dir, exe, cached: false, seconds: (performance.now() - t0) / 1000 };
}

export interface CsimResult {
  outputs: Uint8Array;
  seconds: number;
  /** Status registers after the last record (raw bits). */
  status: Record<string, bigint>;
}

/** A shadow write (`name`, `value`) or a COMMIT (`name` 'commit') made before the call that takes record `at`. */
export interface CsimStaged {
  at: number;
  name: string;
  value?: bigint;
}

export async function runCsim(b: CsimBuild, ir: UnitIR, inputs: Uint8Array, now: BigUint64Array, params: Record<string, bigint>, workDir: string, staged: CsimStaged[] = []): Promise<CsimResult> {
  fs.mkdirSync(workDir, { recursive: true });
  const f = (n: string) => path.join(workDir, n);
  fs.writeFileSync(f('hls-inputs.bin'), inputs);
  fs.writeFileSync(f('hls-now.bin'), new Uint8Array(now.buffer, now.byteOffset, now.byteLength));
  const r = await runCsimFiles(b, ir, { inputs: f('hls-inputs.bin'), now: f('hls-now.bin') }, params, workDir, staged);
  return { outputs: new Uint8Array(fs.readFileSync(r.outputs)), seconds: r.seconds, status: r.status };
}

/** runCsim on inputs and cycles (little-endian u64) already in files; the outputs are left in `outputs`. */
export async function runCsimFiles(b: CsimBuild, ir: UnitIR, files: { inputs: string; now: string }, params: Record<string, bigint>, workDir: string, staged: CsimStaged[] = []): Promise<Omit<CsimResult, 'outputs'> & { outputs: string }> {
  fs.mkdirSync(workDir, { recursive: true });
  const f = (n: string) => path.join(workDir, n);
  // Host-written memories given values (`<name>[<i>]`, sim/params.ts): one line per entry.
  const memLines = ir.tables.filter((t) => t.host && params[`${t.name}[0]`] !== undefined).flatMap((t) => t.host!.init.map((_, i) => `${t.name}[${i}] ${params[`${t.name}[${i}]`]}\n`));
  fs.writeFileSync(f('hls-params.txt'), ir.params.map((p) => `${p.name} ${params[p.name] ?? p.init}\n`).join('') + memLines.join(''));
  const args = ['--inputs', files.inputs, '--now', files.now, '--params', f('hls-params.txt'), '--out', f('hls-outputs.bin'), '--status', f('hls-status.txt')];
  if (staged.length) {
    const sorted = [...staged].sort((a, b) => a.at - b.at);
    fs.writeFileSync(f('hls-commits.txt'), sorted.map((s) => `${s.at} ${s.name} ${s.name === 'commit' ? '-' : s.value}\n`).join(''));
    args.push('--commits', f('hls-commits.txt'));
  }
  const t0 = performance.now();
  const r = await runChild(b.exe, args);
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`HLS C-simulation failed (exit ${r.status}): ${r.output}`);
  const status: Record<string, bigint> = {};
  for (const line of fs.readFileSync(f('hls-status.txt'), 'utf8').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v) status[k] = BigInt(v);
  }
  return { outputs: f('hls-outputs.bin'), seconds, status };
}
