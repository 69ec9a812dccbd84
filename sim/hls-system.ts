// C-simulation of a system's HLS top (hls/system.ts) against the composed model (dsl/system.ts): the top, every
// unit's kernel and the system test bench compiled with g++ (sim/hls.ts's flags and cache), run on a stimulus, and
// its output stream compared record by record with the model's, plus every unit's status registers at the end.
//
// Timing (docs/systems.md "The HLS top", "C-simulation schedule"): one call of the top is one cycle, `now` = the
// call's index; system input i (with several system inputs, event i, for one of them) is written to its stream before
// call i; in each call every unit, in stage order, takes at most one record from its input streams (a unit with
// several inputs by its rotating-priority arbiter over the streams that are not empty) and writes what it emits, so a
// record can cross several units in one call. `csimSchedule` replays that call by call with the units' own models and
// gives, per unit, which input it took each record from and at which call; the C-simulation reports the schedule it
// actually ran (the top's C-sim taps, `--trace`), and the composed model is told that one (`scheduleTiming`), so
// units reading `now` anywhere, and several-input units whose order depends on what arrived when, compare exactly.
// Nothing is dropped: a C-sim stream never fills (and in hardware an hls::stream back-pressures a strobe producer
// instead of dropping), so designs whose model run drops records (a timing source with drops) are not what this
// compares.
import fs from 'node:fs';
import path from 'node:path';
import { type RecordSpec, packInto, recordToJson, unpackFrom } from '../dsl/record.ts';
import { eventOf, portRecord, toEvent } from '../dsl/inputs.ts';
import type { System, SystemModel, Timing } from '../dsl/system.ts';
import { type PacketSpec, wireRecords } from '../dsl/packet.ts';
import { wireOutput } from '../codegen/ir.ts';
import { type SystemIR, compileSystem } from '../codegen/system.ts';
import { buildSystemHls } from '../hls/system.ts';
import { Diagnostics } from './stimulus/errors.ts';
import { type Design, stimulusRecords } from './design.ts';
import { loadSystem } from './design.ts';
import { type CsimBuild, compileCached } from './hls.ts';
import { forgetDir, removeOnExit, runChild } from './tools.ts';
import type { Executor, ExecutorRun, Stimulus, Tap } from './executor.ts';
import { commitInitial } from './executors/system.ts';
import { type InitialParams, systemParamCodes } from './params.ts';

/** Per unit, every record it took, in order: the input (declaration order; 0 for one input) and the call. */
export type CsimSchedule = Array<Array<{ input: number; call: number }>>;

/** Where each system input value goes: its unit, the unit's input index and the record (dsl/system.ts externals). */
function routeInputs(system: System, values: ReadonlyArray<Record<string, unknown>>): Array<{ unit: number; input: number; rec: Record<string, unknown> }> {
  const m = system.merged;
  if (!m) return values.map((rec) => ({ unit: 0, input: 0, rec }));
  return values.map((v) => {
    const { port, rec } = portRecord(m, typeof v.port === 'number' ? v : toEvent(m, v));
    const x = system.externals[m.ports.indexOf(port)];
    const u = system.units[x.unit];
    return { unit: x.unit, input: x.input === null ? 0 : u.merged!.ports.findIndex((p) => p.name === x.input), rec };
  });
}

/**
 * The schedule the test bench's C-simulation of the top runs (see the header), computed exactly: the bench and the
 * top replayed call by call, with fresh models of the units deciding what each record makes (how many records enter
 * the next channel, and when). Every unit's arbiter starts as the kernel's (`arb_last` = the last input, so input 0
 * has priority at the first call). The models run here are thrown away: the comparison runs `SystemModel.run` told
 * this schedule (or the one the C-simulation reports).
 */
export function csimSchedule(system: System, values: ReadonlyArray<Record<string, unknown>>, params?: readonly InitialParams[]): CsimSchedule {
  const ins = routeInputs(system, values);
  const units = system.units;
  const models = units.map((u) => u.model());
  params?.forEach((p, k) => {
    if (Object.keys(p.model).length) models[k].commit(p.model as never);
  });
  const K = units.map((u) => u.merged?.ports.length ?? 1);
  // queues[u][j]: records waiting on unit u's input j (a channel for j = 0 and u > 0, else a system input stream).
  const queues = units.map((_, u) => Array.from({ length: K[u] }, () => ({ recs: [] as Record<string, unknown>[], head: 0 })));
  const arbLast = K.map((k) => k - 1);
  const takes: CsimSchedule = units.map(() => []);
  let waiting = 0;
  for (let call = 0; call < ins.length || waiting > 0; call++) {
    if (call < ins.length) {
      queues[ins[call].unit][ins[call].input].recs.push(ins[call].rec);
      waiting++;
    }
    for (let u = 0; u < units.length; u++) {
      let p = -1;
      for (let j = 1; j <= K[u] && p < 0; j++) {
        const q = (arbLast[u] + j) % K[u];
        if (queues[u][q].head < queues[u][q].recs.length) p = q;
      }
      if (p < 0) continue;
      const q = queues[u][p];
      const rec = q.recs[q.head++];
      if (q.head > 4096 && q.head * 2 > q.recs.length) {
        q.recs = q.recs.slice(q.head);
        q.head = 0;
      }
      waiting--;
      arbLast[u] = p;
      takes[u].push({ input: p, call });
      const m = units[u].merged;
      const outs = models[u].stepAll((m ? eventOf(m, m.ports[p].name, rec) : rec) as never, call) as readonly Record<string, unknown>[];
      if (u + 1 < units.length) {
        queues[u + 1][0].recs.push(...outs);
        waiting += outs.length;
      }
    }
  }
  return takes;
}

/**
 * A schedule told to the composed model: `inCycles[i]` the call system input i was taken by its unit, `timing` the
 * call each unit took each record of its channel. Missing entries (a schedule from an edited C-simulation that took
 * fewer records than the model makes) fall back to the input's cycle; the comparison reports the difference anyway.
 */
export function scheduleTiming(system: System, values: ReadonlyArray<Record<string, unknown>>, sched: CsimSchedule): { inCycles: number[]; timing: Timing } {
  const ins = routeInputs(system, values);
  const inCycles = ins.map((_, i) => i);
  const channel = sched.map((t, u) => (u === 0 ? [] : t.filter((x) => x.input === 0).map((x) => x.call)));
  // The j-th take of (unit, input) from outside is the j-th system input routed there.
  const routed = new Map<string, number[]>();
  ins.forEach((x, i) => {
    const key = `${x.unit}.${x.input}`;
    if (!routed.has(key)) routed.set(key, []);
    routed.get(key)!.push(i);
  });
  sched.forEach((t, u) => {
    const seen = new Map<number, number>();
    for (const x of t) {
      if (u > 0 && x.input === 0) continue;
      const j = seen.get(x.input) ?? 0;
      seen.set(x.input, j + 1);
      const i = routed.get(`${u}.${x.input}`)?.[j];
      if (i !== undefined) inCycles[i] = x.call;
    }
  });
  return { inCycles, timing: { acceptCycle: (u, k, now) => (k < channel[u].length ? channel[u][k] : now) } };
}

/** The schedule the C-simulation reports (`--trace`'s took.txt: `<unit> <input> <call>` lines). */
export function readSchedule(file: string, units: number): CsimSchedule {
  const out: CsimSchedule = Array.from({ length: units }, () => []);
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const [u, p, c] = line.split(' ').map(Number);
    out[u].push({ input: p, call: c });
  }
  return out;
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
  /** With `trace`: the schedule the C-simulation ran, and the records that entered each channel (packed, by link). */
  schedule?: CsimSchedule;
  taps?: Uint8Array[];
  seconds: number;
}

export async function runSystemCsim(b: CsimBuild, inputs: Uint8Array, workDir: string, params: Record<string, bigint> = {}, trace?: SystemIR): Promise<SystemCsimRun> {
  fs.mkdirSync(workDir, { recursive: true });
  const f = (n: string) => path.join(workDir, n);
  fs.writeFileSync(f('hls-inputs.bin'), inputs);
  fs.writeFileSync(f('hls-params.txt'), Object.entries(params).map(([k, v]) => `${k} ${v}\n`).join(''));
  const traceDir = f('hls-trace');
  if (trace) {
    fs.rmSync(traceDir, { recursive: true, force: true });
    fs.mkdirSync(traceDir);
  }
  const t0 = performance.now();
  const r = await runChild(b.exe, ['--inputs', f('hls-inputs.bin'), '--params', f('hls-params.txt'), '--out', f('hls-outputs.bin'), '--status', f('hls-status.txt'), ...(trace ? ['--trace', traceDir] : [])]);
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`system HLS C-simulation failed (exit ${r.status}): ${r.output}`);
  const status: Record<string, bigint> = {};
  for (const line of fs.readFileSync(f('hls-status.txt'), 'utf8').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v) status[k] = BigInt(v);
  }
  return {
    outputs: new Uint8Array(fs.readFileSync(f('hls-outputs.bin'))),
    status,
    ...(trace
      ? {
          schedule: readSchedule(path.join(traceDir, 'took.txt'), trace.units.length),
          taps: trace.links.map((l) => new Uint8Array(fs.readFileSync(path.join(traceDir, `${l.name}.bin`)))),
        }
      : {}),
    seconds,
  };
}

/** The system's stimulus as cosim reads it: the first unit's records, or merged events of several system inputs. */
export function systemStimulus(system: System, design: Design, sys: SystemIR, input: string, seed: number, diag?: Diagnostics): Array<Record<string, unknown>> {
  const inRec = system.merged ? system.merged.record : sys.units[0].input;
  return stimulusRecords({ ...design, unit: { ...design.unit, merged: system.merged ?? undefined } } as Design, inRec, input, seed, diag);
}

/** The composed model told a C-simulation schedule: its outputs packed as the top's m_axis beats, and the model. */
function modelRun(system: System, sys: SystemIR, records: ReadonlyArray<Record<string, unknown>>, sched: CsimSchedule, params?: readonly InitialParams[]): { expected: Uint8Array; outputs: number; model: SystemModel } {
  const last = sys.units[sys.units.length - 1];
  const wire = wireOutput(last);
  const model = system.model();
  commitInitial(model, params);
  model.enableTaps();
  const { inCycles, timing } = scheduleTiming(system, records, sched);
  model.timing = timing;
  const beats: Record<string, unknown>[] = [];
  for (const o of model.run(records, inCycles)) beats.push(...wireRecords(last.output, last.packet as PacketSpec | null, o.rec));
  const expected = new Uint8Array(beats.length * wire.bytes);
  beats.forEach((w, j) => packInto(wire, w, expected, j * wire.bytes));
  return { expected, outputs: beats.length, model };
}

/**
 * The composed model run as the C-simulation runs the top (its schedule computed by `csimSchedule`): the packed
 * inputs (merged events with several system inputs), the expected packed output stream, the model (taps on) and the
 * schedule.
 */
export function systemCsimVectors(system: System, sys: SystemIR, records: ReadonlyArray<Record<string, unknown>>, params?: readonly InitialParams[]): { inputs: Uint8Array; expected: Uint8Array; outputs: number; model: SystemModel; schedule: CsimSchedule } {
  const inRec = system.merged ? system.merged.record : sys.units[0].input;
  const inputs = new Uint8Array(records.length * inRec.bytes);
  records.forEach((r, i) => packInto(inRec, r, inputs, i * inRec.bytes));
  const schedule = csimSchedule(system, records, params);
  return { inputs, ...modelRun(system, sys, records, schedule, params), schedule };
}

type Mismatch = null | { index: number; model: Record<string, unknown> | null; hls: Record<string, unknown> | null };

/** Two packed record streams of one layout, record by record. */
function compareRecords(rec: RecordSpec, model: Uint8Array, hls: Uint8Array): { model: number; hls: number; compared: number; mismatches: number; first: Mismatch } {
  const nm = model.length / rec.bytes;
  const nh = hls.length / rec.bytes;
  const at = (buf: Uint8Array, j: number) => (j < buf.length / rec.bytes ? recordToJson(rec, unpackFrom(rec, buf, j * rec.bytes)) : null);
  let compared = 0;
  let mismatches = Math.abs(nm - nh);
  let first: Mismatch = null;
  for (let j = 0; j < Math.min(nm, nh); j++) {
    compared++;
    let same = true;
    for (let b = 0; b < rec.bytes && same; b++) same = model[j * rec.bytes + b] === hls[j * rec.bytes + b];
    if (same) continue;
    mismatches++;
    first ??= { index: j, model: at(model, j), hls: at(hls, j) };
  }
  if (!first && nm !== nh) first = { index: Math.min(nm, nh), model: at(model, Math.min(nm, nh)), hls: at(hls, Math.min(nm, nh)) };
  return { model: nm, hls: nh, compared, mismatches, first };
}

export interface SystemCsimReport {
  design: string;
  top: string;
  input: string;
  seed: number;
  inputs: number;
  /** Every channel: the records that entered it, model (told the C-sim's schedule) against the top's C-sim taps. */
  channels: Array<{ name: string; records: number; hls: number; compared: number; mismatches: number; first: Mismatch }>;
  /** Per unit, the records the C-simulation took from each of its inputs (declaration order). */
  took: Array<{ unit: string; inputs: number[] }>;
  /** Whether the schedule the C-simulation ran is the one `csimSchedule` predicts (what `make csim`'s vectors assume). */
  schedule: { match: boolean; first: null | { unit: string; index: number; predicted: { input: number; call: number } | null; hls: { input: number; call: number } | null } };
  outputs: { model: number; hls: number };
  compared: number;
  /** Output records, channel records and schedule entries that differ or are missing/extra, plus status registers and build hashes that differ. */
  mismatches: number;
  first: Mismatch;
  status: Array<{ name: string; model: string; hls: string; match: boolean }>;
  buildHash: { expected: string; hls: string; match: boolean };
  build: { seconds: number; cached: boolean };
  seconds: number;
}

/** The system's HLS top, C-simulated, as an executor (sim/executor.ts): taps = the records that entered each channel. */
export interface SystemHlsRun extends ExecutorRun {
  /** The schedule the C-simulation ran (per unit: the input and call of every record it took). */
  readonly schedule: CsimSchedule;
  readonly build: { seconds: number; cached: boolean };
}

export function systemHlsExecutor(system: System, sys: SystemIR, opts: { srcDir?: string; cacheDir?: string; log?: (s: string) => void; params?: readonly InitialParams[] } = {}): Executor<SystemHlsRun> {
  return {
    name: 'hls',
    async run(s: Stimulus): Promise<SystemHlsRun> {
      const b = await buildSystemCsim(sys, { cacheDir: opts.cacheDir, srcDir: opts.srcDir });
      opts.log?.(`hls top ${sys.top}: ${b.cached ? 'cached build' : `built in ${b.seconds.toFixed(1)} s`}`);
      const r = await runSystemCsim(b, s.packed, s.workDir, systemParamCodes(sys.units, opts.params ?? []), sys);
      const last = sys.units[sys.units.length - 1];
      const taps = new Map<string, Tap>();
      sys.links.forEach((l, k) => taps.set(l.name, { bytes: wireOutput(sys.units[l.from]).bytes, data: r.taps![k] }));
      const { inCycles } = scheduleTiming(system, s.records, r.schedule!);
      return {
        executor: 'hls',
        outputs: r.outputs,
        outBytes: wireOutput(last).bytes,
        inCycles: BigUint64Array.from(inCycles, (c) => BigInt(c)),
        outCycles: null,
        taps,
        status: new Map(Object.entries(r.status)),
        updates: [],
        cycles: null,
        seconds: r.seconds,
        schedule: r.schedule!,
        build: { seconds: b.seconds, cached: b.cached },
      };
    },
  };
}

/**
 * Compares a C-simulation of the top with the composed model told the schedule it ran: every channel, the output
 * stream, every unit's status registers, the build hash; and the schedule against `predicted` (csimSchedule's).
 */
export function compareHlsTop(system: System, sys: SystemIR, records: ReadonlyArray<Record<string, unknown>>, r: SystemHlsRun, predicted: CsimSchedule, meta: { input: string; seed: number; t0: number }, params?: readonly InitialParams[]): SystemCsimReport {
  const ran = r.schedule;
  // The schedule the C-simulation ran against the predicted one, unit by unit.
  let schedFirst: SystemCsimReport['schedule']['first'] = null;
  let schedMismatches = 0;
  sys.units.forEach((u, k) => {
    const a = predicted[k];
    const h = ran[k];
    for (let j = 0; j < Math.max(a.length, h.length); j++) {
      if (j < a.length && j < h.length && a[j].input === h[j].input && a[j].call === h[j].call) continue;
      schedMismatches++;
      schedFirst ??= { unit: u.name, index: j, predicted: a[j] ?? null, hls: h[j] ?? null };
    }
  });
  const m = modelRun(system, sys, records, ran, params);
  const last = sys.units[sys.units.length - 1];
  const edge = compareRecords(wireOutput(last), m.expected, r.outputs);
  const channels = sys.links.map((l) => {
    const rec = wireOutput(sys.units[l.from]);
    const t = m.model.tap(l.name);
    const packed = new Uint8Array(t.length * rec.bytes);
    t.forEach((x, i) => packInto(rec, x.value, packed, i * rec.bytes));
    const c = compareRecords(rec, packed, r.taps.get(l.name)!.data);
    return { name: l.name, records: c.model, hls: c.hls, compared: c.compared, mismatches: c.mismatches, first: c.first };
  });
  const status: SystemCsimReport['status'] = [];
  sys.units.forEach((u, k) => {
    for (const reg of u.regs) {
      if (!reg.status) continue;
      const mv = (m.model.models[k].state as Record<string, unknown>)[reg.name];
      const mb = BigInt.asUintN(reg.spec.width, typeof mv === 'boolean' ? (mv ? 1n : 0n) : BigInt(mv as number | bigint));
      const h = r.status.get(`${u.name}.${reg.name}`);
      status.push({ name: `${u.name}.${reg.name}`, model: mb.toString(), hls: String(h), match: h !== undefined && BigInt.asUintN(reg.spec.width, h) === mb });
    }
  });
  const hlsHash = (r.status.get('build_hash') ?? -1n).toString(16).padStart(8, '0');
  const buildHash = { expected: sys.buildHash, hls: hlsHash, match: hlsHash === sys.buildHash };
  const mismatches = edge.mismatches + channels.reduce((a, c) => a + c.mismatches, 0) + schedMismatches + status.filter((x) => !x.match).length + (buildHash.match ? 0 : 1);
  return {
    design: sys.name,
    top: sys.top,
    input: meta.input,
    seed: meta.seed,
    inputs: records.length,
    channels,
    took: sys.units.map((u, k) => ({ unit: u.name, inputs: Array.from({ length: u.inputs?.ports.length ?? 1 }, (_, p) => ran[k].filter((x) => x.input === p).length) })),
    schedule: { match: schedMismatches === 0, first: schedFirst },
    outputs: { model: edge.model, hls: edge.hls },
    compared: edge.compared,
    mismatches,
    first: edge.first,
    status,
    buildHash,
    build: r.build,
    seconds: (performance.now() - meta.t0) / 1000,
  };
}

/**
 * C-simulates the system's HLS top on a stimulus (as cosim reads it) and compares it with the composed model told the
 * schedule the C-simulation ran: every channel, the output stream, every unit's status registers, the build hash;
 * and the schedule against `csimSchedule`'s.
 */
export async function csimSystem(opts: { file: string; input: string; seed?: number; out: string; srcDir?: string; cacheDir?: string; log?: (s: string) => void }): Promise<SystemCsimReport> {
  const t0 = performance.now();
  const seed = opts.seed ?? 1;
  const sys = compileSystem(opts.file, { timing: { enforce: false } });
  const { system, design } = await loadSystem(opts.file);
  const diag = new Diagnostics(20);
  const records = systemStimulus(system, design, sys, opts.input, seed, diag);
  if (diag.total > 0) throw new Error(`the stimulus reader reported ${diag.total} errors in ${opts.input}`);
  const inRec = system.merged ? system.merged.record : sys.units[0].input;
  const packed = new Uint8Array(records.length * inRec.bytes);
  records.forEach((r, i) => packInto(inRec, r, packed, i * inRec.bytes));
  const r = await systemHlsExecutor(system, sys, opts).run({ record: inRec, records, packed, workDir: path.resolve(opts.out) });
  return compareHlsTop(system, sys, records, r, csimSchedule(system, records), { input: opts.input, seed, t0 });
}
