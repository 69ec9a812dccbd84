// C-simulation of a system's HLS top (hls/system.ts) against the composed model (dsl/system.ts): the top, every
// unit's kernel and the system test bench compiled with g++ (sim/hls.ts's flags and cache), run on a stimulus, and
// its output stream compared record by record with the model's, plus every unit's status registers at the end.
//
// Timing (docs/systems.md "The HLS top"): one call of the top is one cycle, `now` = the call's index; input i is
// offered before call i; in each call every unit, in stage order, takes at most one record from its input stream.
// So unit 0 takes input i at call i, and unit u > 0 takes its k-th record at max(the call its producer made it, the
// call it took record k-1 plus one). `csimTiming` tells the model exactly these cycles, so the comparison holds for
// units that read `now` anywhere in the chain. Nothing is dropped: a C-sim stream never fills (and in hardware an
// hls::stream back-pressures a strobe producer instead of dropping), so designs whose model run drops records
// (a timing source with drops) are not what this compares.
import fs from 'node:fs';
import path from 'node:path';
import { packInto, recordToJson, unpackFrom } from '../dsl/record.ts';
import type { System, SystemModel, Timing } from '../dsl/system.ts';
import { type PacketSpec, wireRecords } from '../dsl/packet.ts';
import { wireOutput } from '../codegen/ir.ts';
import { type SystemIR, compileSystem } from '../codegen/system.ts';
import { buildSystemHls } from '../hls/system.ts';
import { Diagnostics } from './stimulus/errors.ts';
import { stimulusRecords } from './design.ts';
import { loadSystem } from './system.ts';
import { type CsimBuild, compileCached } from './hls.ts';
import { forgetDir, removeOnExit, runChild } from './tools.ts';

/** The cycle each unit takes each record in the C-simulation of the top (see the header), for `SystemModel.timing`. */
export function csimTiming(units: number): Timing {
  const last = new Array<number>(units).fill(-1);
  return {
    acceptCycle(u, _k, inputCycle) {
      // SystemModel asks for unit u's record right after its producer took the record that made it, so last[u - 1]
      // is the call that record entered the channel.
      const c = Math.max(u === 0 ? inputCycle : last[u - 1], last[u] + 1);
      last[u] = c;
      return c;
    },
  };
}

/** Generates the system's HLS bundle into `<cache>/<hash>` and compiles it (skipped when cached). */
export async function buildSystemCsim(sys: SystemIR, opts: { cacheDir?: string; srcDir?: string } = {}): Promise<CsimBuild> {
  const t0 = performance.now();
  const tmp = removeOnExit(fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'tf-hlssys-')));
  try {
    buildSystemHls(sys, tmp);
    let sources = fs.readdirSync(tmp).filter((f) => f.endsWith('.cpp') && f !== 'tb.cpp').sort();
    if (opts.srcDir) {
      // A (possibly hand-edited) bundle: its .cpp/.h replace the regenerated ones, and only its .cpp are compiled,
      // so a regenerated kernel cannot stand in for an edited one. The test bench stays the regenerated one.
      for (const f of sources) fs.rmSync(path.join(tmp, f));
      const given = fs.readdirSync(opts.srcDir).filter((f) => /\.(cpp|h)$/.test(f) && f !== 'tb.cpp').sort();
      for (const f of given) fs.copyFileSync(path.join(opts.srcDir, f), path.join(tmp, f));
      sources = given.filter((f) => f.endsWith('.cpp'));
      if (!sources.includes(`${sys.top}.cpp`)) throw new Error(`${opts.srcDir}: no ${sys.top}.cpp (the system top) among ${given.join(', ') || 'no C++ files'}`);
    }
    return await compileCached(tmp, sources, opts.cacheDir, t0);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    forgetDir(tmp);
  }
}

export interface SystemCsimRun {
  outputs: Uint8Array;
  /** `<unit>.<reg>` status registers, `<unit>_generation`, `<unit>_build_hash`, `build_hash` after the drain. */
  status: Record<string, bigint>;
  seconds: number;
}

export async function runSystemCsim(b: CsimBuild, inputs: Uint8Array, workDir: string, params: Record<string, bigint> = {}): Promise<SystemCsimRun> {
  fs.mkdirSync(workDir, { recursive: true });
  const f = (n: string) => path.join(workDir, n);
  fs.writeFileSync(f('hls-inputs.bin'), inputs);
  fs.writeFileSync(f('hls-params.txt'), Object.entries(params).map(([k, v]) => `${k} ${v}\n`).join(''));
  const t0 = performance.now();
  const r = await runChild(b.exe, ['--inputs', f('hls-inputs.bin'), '--params', f('hls-params.txt'), '--out', f('hls-outputs.bin'), '--status', f('hls-status.txt')]);
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`system HLS C-simulation failed (exit ${r.status}): ${r.output}`);
  const status: Record<string, bigint> = {};
  for (const line of fs.readFileSync(f('hls-status.txt'), 'utf8').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v) status[k] = BigInt(v);
  }
  return { outputs: new Uint8Array(fs.readFileSync(f('hls-outputs.bin'))), status, seconds };
}

/** The composed model run as the C-simulation runs the top: packed inputs and the expected packed output stream. */
export function systemCsimVectors(system: System, sys: SystemIR, records: ReadonlyArray<Record<string, unknown>>): { inputs: Uint8Array; expected: Uint8Array; outputs: number; model: SystemModel } {
  const first = sys.units[0];
  const last = sys.units[sys.units.length - 1];
  const wire = wireOutput(last);
  const inputs = new Uint8Array(records.length * first.input.bytes);
  records.forEach((r, i) => packInto(first.input, r, inputs, i * first.input.bytes));
  const model = system.model();
  model.timing = csimTiming(sys.units.length);
  const out: number[] = [];
  const rec = new Uint8Array(wire.bytes);
  let outputs = 0;
  for (let i = 0; i < records.length; i++) {
    for (const w of wireRecords(last.output, last.packet as PacketSpec | null, model.step(records[i], i))) {
      packInto(wire, w, rec, 0);
      out.push(...rec);
      outputs++;
    }
  }
  return { inputs, expected: Uint8Array.from(out), outputs, model };
}

export interface SystemCsimReport {
  design: string;
  top: string;
  input: string;
  seed: number;
  inputs: number;
  /** Records the model put on each channel (what the top's streams carried, if it is right). */
  channels: Array<{ name: string; records: number }>;
  outputs: { model: number; hls: number };
  compared: number;
  /** Output records that differ or are missing/extra, plus status registers and build hashes that differ. */
  mismatches: number;
  first: null | { index: number; model: Record<string, unknown> | null; hls: Record<string, unknown> | null };
  status: Array<{ name: string; model: string; hls: string; match: boolean }>;
  buildHash: { expected: string; hls: string; match: boolean };
  build: { seconds: number; cached: boolean };
  seconds: number;
}

/** C-simulates the system's HLS top on a stimulus (as cosim reads it) and compares it with the composed model. */
export async function csimSystem(opts: { file: string; input: string; seed?: number; out: string; srcDir?: string; cacheDir?: string; log?: (s: string) => void }): Promise<SystemCsimReport> {
  const t0 = performance.now();
  const seed = opts.seed ?? 1;
  const log = opts.log ?? (() => {});
  const sys = compileSystem(opts.file, { timing: { enforce: false } });
  const { system, design } = await loadSystem(opts.file);
  const diag = new Diagnostics(20);
  const records = stimulusRecords(design, sys.units[0].input, opts.input, seed, diag);
  if (diag.total > 0) throw new Error(`the stimulus reader reported ${diag.total} errors in ${opts.input}`);
  const v = systemCsimVectors(system, sys, records);
  const b = await buildSystemCsim(sys, { cacheDir: opts.cacheDir, srcDir: opts.srcDir });
  log(`hls top ${sys.top}: ${b.cached ? 'cached build' : `built in ${b.seconds.toFixed(1)} s`}`);
  const r = await runSystemCsim(b, v.inputs, path.resolve(opts.out));
  const last = sys.units[sys.units.length - 1];
  const wire = wireOutput(last);
  const nm = v.outputs;
  const nh = r.outputs.length / wire.bytes;
  let compared = 0;
  let mismatches = Math.abs(nm - nh);
  let first: SystemCsimReport['first'] = null;
  const at = (buf: Uint8Array, j: number) => recordToJson(wire, unpackFrom(wire, buf, j * wire.bytes));
  for (let j = 0; j < Math.min(nm, nh); j++) {
    compared++;
    let same = true;
    for (let b = 0; b < wire.bytes && same; b++) same = v.expected[j * wire.bytes + b] === r.outputs[j * wire.bytes + b];
    if (same) continue;
    mismatches++;
    first ??= { index: j, model: at(v.expected, j), hls: at(r.outputs, j) };
  }
  if (!first && nm !== nh) {
    const j = Math.min(nm, nh);
    first = { index: j, model: j < nm ? at(v.expected, j) : null, hls: j < nh ? at(r.outputs, j) : null };
  }
  const status: SystemCsimReport['status'] = [];
  sys.units.forEach((u, k) => {
    for (const reg of u.regs) {
      if (!reg.status) continue;
      const mv = (v.model.models[k].state as Record<string, unknown>)[reg.name];
      const m = BigInt.asUintN(reg.spec.width, typeof mv === 'boolean' ? (mv ? 1n : 0n) : BigInt(mv as number | bigint));
      const h = r.status[`${u.name}.${reg.name}`];
      status.push({ name: `${u.name}.${reg.name}`, model: m.toString(), hls: String(h), match: h !== undefined && BigInt.asUintN(reg.spec.width, h) === m });
    }
  });
  const hlsHash = (r.status.build_hash ?? -1n).toString(16).padStart(8, '0');
  const buildHash = { expected: sys.buildHash, hls: hlsHash, match: hlsHash === sys.buildHash };
  mismatches += status.filter((x) => !x.match).length + (buildHash.match ? 0 : 1);
  return {
    design: sys.name,
    top: sys.top,
    input: opts.input,
    seed,
    inputs: records.length,
    channels: sys.links.map((l, k) => ({ name: l.name, records: v.model.entered[k] })),
    outputs: { model: nm, hls: nh },
    compared,
    mismatches,
    first,
    status,
    buildHash,
    build: { seconds: b.seconds, cached: b.cached },
    seconds: (performance.now() - t0) / 1000,
  };
}
