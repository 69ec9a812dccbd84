// Co-simulation of a unit: compare + report over the executors (sim/executor.ts, sim/executors/). The same stimulus
// runs through the Verilated RTL, the model (the DSL file itself, run in Node) and the HLS C-simulation; outputs are
// compared in order, byte for byte. The RTL decides when each input is accepted (random stalls and back-pressure);
// the others are told that cycle as `now`, which is the DSL's definition of time.
import fs from 'node:fs';
import path from 'node:path';
import { packInto, unpackFrom, recordToJson } from '../dsl/record.ts';
import { wireOutput } from '../codegen/ir.ts';
import { compile } from '../codegen/index.ts';
import { Diagnostics } from './stimulus/errors.ts';
import { givenSources, requireTop } from './check.ts';
import { generatedSpec, probOption, seedOption } from './stimulus/input.ts';
import { legalize } from '../codegen/names.ts';
import { initialParams } from './params.ts';
import { writeCosimReport } from '../report/index.ts';
import { type ExecutorRun, type ParamUpdate, type Stimulus, compareRecords } from './executor.ts';
import { type HlsRun, type RtlRun, everyCycle, hlsExecutor, modelExecutor, rtlExecutor } from './executors/index.ts';

export type Backend = 'model' | 'rtl' | 'hls';
export const BACKENDS: Backend[] = ['model', 'rtl', 'hls'];

export interface CosimOptions {
  file: string;
  input: string; // synthetic:<N>
  seed: number;
  out: string;
  /** Executors to run (default: all); the first listed of model, rtl, hls is the reference. */
  backends?: Backend[];
  rtlDir?: string;
  /** Co-simulate these (possibly hand-edited) HLS kernel sources instead of regenerating them. */
  hlsDir?: string;
  validProb?: number;
  readyProb?: number;
  log?: (s: string) => void;
  verbose?: boolean;
  /** Co-simulate what the stimulus reader could read even when it reported errors (default: refuse the run). */
  acceptInputErrors?: boolean;
  /**
   * Param updates while records flow (docs/regmap.md): once `at` inputs were accepted, the RTL host writes the
   * shadow words of every param in `values` (raw bits), records flowing between the writes, then COMMIT. The model
   * and the HLS kernel take all of them before the first record accepted after the COMMIT edge, so a record that saw
   * part of an update shows up as a mismatch.
   */
  updates?: Array<{ at: number; values: Record<string, bigint> }>;
  /** Param and paramVec values every executor starts from (`--params file.json`, sim/params.ts); default: the declared ones. */
  params?: Record<string, unknown>;
}

export interface ExecutorReport {
  outputs: number;
  compared: number;
  mismatches: number;
  firstMismatch: number | null;
  seconds: number;
}

export interface CosimReport {
  design: string;
  file: string;
  input: string;
  seed: number;
  inputs: number;
  backends: Backend[];
  reference: Backend;
  executors: Partial<Record<Backend, ExecutorReport>>;
  outputs: Partial<Record<Backend, number>>;
  compared: number;
  mismatches: number;
  firstMismatch: null | {
    outputIndex: number;
    inputIndex: number | null;
    cycle: number | null;
    /** Executors grouped by the value they produced; `disagree` names those that differ from the reference. */
    disagree: Backend[];
    input: Record<string, unknown> | null;
    values: Partial<Record<Backend, Record<string, unknown> | null>>;
    hex: Partial<Record<Backend, string | null>>;
    model: Record<string, unknown> | null;
    rtl: Record<string, unknown> | null;
    waveform: string | null;
  };
  /** The unit's declared properties (dsl/property.ts) checked by the model on every output: each violation
   *  counts as a mismatch; the first is reported with its input index. */
  propertyViolations: { count: number; first: { property: string; inputIndex: number; input: Record<string, unknown>; output: Record<string, unknown> } | null };
  /** Host-readable status registers at the end of the run: RTL (over AXI-Lite) against the model. */
  status: Array<{ name: string; model: string; rtl?: string; hls?: string; match: boolean }>;
  /** Param updates made while records flowed (CosimOptions.updates): the COMMIT's edge in the RTL and the first input that saw it. */
  commits: Array<{ at: number; cycle: number | null; firstInput: number | null }>;
  latencyCycles: { min: number; median: number; max: number } | null;
  /** The schedule the RTL was built with: its clock and its latency without back-pressure (the minimum measured). */
  clockMHz: number;
  pipelineLatencyCycles: number;
  outputCounts: Record<string, Record<string, number>>;
  rtl: null | { dir: string; regenerated: boolean; buildSeconds: number; buildCached: boolean };
  hls: null | { buildSeconds: number; buildCached: boolean };
  seconds: Partial<Record<Backend | 'total', number>>;
  throughput: Partial<Record<Backend, number>>;
  cycles: number | null;
  /** RTL: cycles an input record was offered and not taken (0 always for flow strobe: the input is never stalled). */
  inputStallCycles: number | null;
  /** Several inputs: records per input, and how many the RTL's arbiter took in another order than the stimulus's. */
  arbitration: null | { perInput: Record<string, number>; reordered: number };
}

// Design loading and stimulus (sim/design.ts): re-exported for the callers that import them with cosim.
export { type Design, loadDesign, stimulusRecords, randomRecord, parseInput } from './design.ts';
export { buildRtlDesign, paramWrites } from './executors/index.ts';
import { loadDesign, stimulusRecords } from './design.ts';


const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');




export async function cosim(opts: CosimOptions): Promise<CosimReport> {
  const o = { ...opts, out: path.resolve(opts.out) };
  const log = o.log ?? (() => {});
  const t0 = performance.now();
  const backends = BACKENDS.filter((b) => (o.backends ?? BACKENDS).includes(b));
  if (backends.length < 2) throw new Error(`cosim needs at least two executors; got ${backends.join(', ') || 'none'} (of ${BACKENDS.join(', ')})`);
  const reference = backends[0];
  // A failed run must not leave the previous run's report looking current: it goes first, the new one is renamed
  // into place at the end.
  const reportPath = path.join(o.out, 'cosim.json');
  fs.rmSync(reportPath, { force: true });
  // Options checked before any build: a bad number is a clear error now, not an internal one after minutes.
  seedOption(o.seed);
  if (o.validProb !== undefined) probOption('--valid-prob', o.validProb);
  if (o.readyProb !== undefined) probOption('--ready-prob', o.readyProb);
  if (!generatedSpec(o.input) && !fs.existsSync(o.input)) throw new Error(`--input ${o.input}: no such file (or give synthetic:<N>)`);
  const rtlFiles = o.rtlDir && backends.includes('rtl') ? givenSources(o.rtlDir, /\.s?v$/, 'Verilog', '--rtl-dir') : null;
  const hlsFiles = o.hlsDir && backends.includes('hls') ? givenSources(o.hlsDir, /\.(cpp|h)$/, 'HLS C++', '--hls-dir') : null;
  fs.mkdirSync(o.out, { recursive: true });
  const ir = compile(o.file, { timing: { enforce: false } });
  const top = legalize(ir).name;
  const initial = initialParams(ir, o.params ?? {});
  if (rtlFiles) requireTop(o.rtlDir!, rtlFiles, top, 'module', (t) => new RegExp(`^\\s*module\\s+${t}\\b`, 'm'), log);
  if (hlsFiles) requireTop(o.hlsDir!, hlsFiles, top, 'kernel', (t) => new RegExp(`\\bvoid\\s+${t}\\s*\\(`), log);
  const design = await loadDesign(o.file);
  const { unit } = design;
  // What one output handshake carries: the output record, or one beat of a packet (dsl/packet.ts).
  const wire = wireOutput(ir);
  const outBytes = wire.bytes;

  // Stimulus.
  const inRec = ir.input;
  const diag = new Diagnostics(20);
  let records = stimulusRecords(design, inRec, o.input, o.seed, diag);
  const n = records.length;
  if (diag.total > 0) {
    // Every fault the reader found reaches the user: counts per code, then the first ones with their byte offsets.
    log(`input ${o.input}: ${diag.total} error${diag.total > 1 ? 's' : ''} (${[...diag.counts].map(([c, k]) => `${c} ${k}`).join(', ')})`);
    for (const e of diag.first.slice(0, 10)) log(`  ${e.code} at byte ${e.offset}: ${e.message}`);
    if (!o.acceptInputErrors) throw new Error(`the stimulus reader reported ${diag.total} error${diag.total > 1 ? 's' : ''} in ${o.input} (listed above); --accept-input-errors co-simulates the ${n} records it could read`);
  }
  if (n === 0) throw new Error(`${o.input} yielded no ${inRec.name} records: nothing to co-simulate (a capture of another protocol, or with nothing this design reads?)`);
  let inputs = new Uint8Array(n * inRec.bytes);
  for (let i = 0; i < n; i++) {
    try {
      packInto(inRec, records[i], inputs, i * inRec.bytes);
    } catch (err) {
      // Name the record: "field a: 300 outside u(8)" alone does not say which of a million records it was.
      if (err instanceof RangeError || err instanceof TypeError) throw new Error(`stimulus record ${i} of ${o.input} (seed ${o.seed}), ${inRec.name}.${(err as Error).message.replace(/^field /, '')}`);
      throw err;
    }
  }
  log(`stimulus: ${n} ${inRec.name} records from ${o.input} (seed ${o.seed})`);

  const outputs: Partial<Record<Backend, Uint8Array>> = {};
  const seconds: CosimReport['seconds'] = {};
  const workDir = path.join(o.out, 'work');
  const initialUpdates: ParamUpdate[] = (o.updates ?? []).map((u) => ({ at: u.at, values: u.values }));

  // RTL first: it decides the cycle at which each input is accepted, which is `now` for the others.
  let now: BigUint64Array;
  let updates: ParamUpdate[] = initialUpdates;
  let arbitration: CosimReport['arbitration'] = null;
  let rtlRun: RtlRun | null = null;
  if (backends.includes('rtl')) {
    rtlRun = await rtlExecutor(ir, { out: o.out, rtlDir: o.rtlDir, seed: o.seed, validProb: o.validProb, readyProb: o.readyProb, verbose: o.verbose, log }).run({ record: inRec, records, packed: inputs, params: initial, updates: initialUpdates, workDir });
    outputs.rtl = rtlRun.outputs;
    seconds.rtl = rtlRun.seconds;
    now = rtlRun.inCycles;
    updates = initialUpdates.map((u, j) => ({ ...u, cycle: rtlRun!.updates[j].cycle }));
    if (ir.inputs) {
      const perInput = Object.fromEntries(ir.inputs.ports.map((p) => [p.name, 0]));
      for (const r of records) perInput[ir.inputs.ports[r.port as number].name]++;
      // Several inputs: the arbiter decided the order the records were taken in; from here on, input i is the
      // i-th record taken (the model, the HLS kernel and the reports all see that order).
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (now[a] < now[b] ? -1 : now[a] > now[b] ? 1 : 0));
      arbitration = { perInput, reordered: order.filter((i, k) => i !== k).length };
      for (let k = 1; k < n; k++) if (now[order[k]] === now[order[k - 1]]) throw new Error(`the RTL took records ${order[k - 1]} and ${order[k]} in one cycle (${now[order[k]]}): a unit's arbiter takes one record per cycle`);
      const [rs, bytes, cyc] = [records, inputs, now];
      records = order.map((i) => rs[i]);
      inputs = new Uint8Array(n * inRec.bytes);
      now = new BigUint64Array(n);
      order.forEach((i, k) => {
        inputs.set(bytes.subarray(i * inRec.bytes, (i + 1) * inRec.bytes), k * inRec.bytes);
        now[k] = cyc[i];
      });
    }
  } else now = everyCycle(n);
  const told: Stimulus = { record: inRec, records, packed: inputs, cycles: now, params: initial, updates, workDir };

  // Model: the DSL file itself. It runs even when not compared: it maps each output to the input that produced
  // it, for the reports and the latency figures, and says which input each update took effect at.
  const modelRun = await modelExecutor(unit, ir).run(told);
  seconds.model = modelRun.seconds;
  if (backends.includes('model')) outputs.model = modelRun.outputs;
  const { from: modelFrom, firstBeat, model } = modelRun;
  updates = updates.map((u, j) => ({ ...u, input: modelRun.updates[j]?.input ?? null }));

  // HLS C-simulation, at the same cycles, with each update's COMMIT before the input the model saw it at.
  let hlsRun: HlsRun | null = null;
  if (backends.includes('hls')) {
    hlsRun = await hlsExecutor(ir, { hlsDir: o.hlsDir, log, verbose: o.verbose }).run({ ...told, updates });
    outputs.hls = hlsRun.outputs;
    seconds.hls = hlsRun.seconds;
  }
  const runs: Partial<Record<Backend, ExecutorRun>> = { model: modelRun, ...(rtlRun ? { rtl: rtlRun } : {}), ...(hlsRun ? { hls: hlsRun } : {}) };

  // Compare every executor with the reference, in order, byte for byte.
  const ref = outputs[reference]!;
  const refCount = ref.length / outBytes;
  const executors: CosimReport['executors'] = {};
  let first = -1;
  for (const b of backends) {
    const c = compareRecords(outputs[b]!, ref, outBytes);
    executors[b] = { outputs: outputs[b]!.length / outBytes, compared: c.compared, mismatches: c.mismatches, firstMismatch: c.first, seconds: seconds[b] ?? 0 };
    if (c.first !== null && (first < 0 || c.first < first)) first = c.first;
  }
  const others = backends.filter((b) => b !== reference);
  const compared = Math.min(...others.map((b) => executors[b]!.compared));
  const mismatches = others.reduce((m, b) => m + executors[b]!.mismatches, 0);

  // Latency of each output: its output handshake minus its input's (RTL outputs, mapped through the model).
  const lat: number[] = [];
  if (rtlRun) {
    const c = Math.min(modelFrom.length, rtlRun.outCycles.length);
    for (let j = 0; j < c; j++) if (firstBeat[j]) lat.push(Number(rtlRun.outCycles[j] - now[modelFrom[j]]));
    lat.sort((a, b) => a - b);
  }

  // Distribution of enum/bool output fields (e.g. reject reasons), from the reference's outputs.
  const outputCounts: Record<string, Record<string, number>> = {};
  // Each output is unpacked once for all its fields (per field, it would cost fields x outputs unpacks).
  const counted = wire.fields.filter((f) => f.spec.kind === 'enum' || f.spec.kind === 'bool');
  for (const f of counted) {
    const spec = f.spec;
    outputCounts[f.name] = spec.kind === 'enum' ? Object.fromEntries(spec.members.map((m) => [m.name, 0])) : {};
  }
  if (counted.length) {
    for (let j = 0; j < refCount; j++) {
      let rec: Record<string, unknown> | null = null;
      try {
        rec = unpackFrom(wire, ref, j * outBytes);
      } catch {
        rec = null;
      }
      for (const f of counted) {
        const spec = f.spec;
        let key: string;
        if (rec === null) key = 'undecodable';
        else {
          const v = rec[f.name];
          key = spec.kind === 'enum' ? (spec.members.find((m) => m.value === v)?.name ?? String(v)) : String(v);
        }
        const counts = outputCounts[f.name];
        counts[key] = (counts[key] ?? 0) + 1;
      }
    }
  }

  let firstMismatch: CosimReport['firstMismatch'] = null;
  if (first >= 0) {
    const inIdx = first < modelFrom.length ? modelFrom[first] : null;
    const cycle = rtlRun && first < rtlRun.outCycles.length ? Number(rtlRun.outCycles[first]) : null;
    const slice = (b: Backend) => {
      const buf = outputs[b]!;
      return first < buf.length / outBytes ? buf.subarray(first * outBytes, (first + 1) * outBytes) : null;
    };
    const decode = (b: Uint8Array | null) => {
      if (!b) return null;
      try {
        return recordToJson(wire, unpackFrom(wire, b, 0));
      } catch (err) {
        return { undecodable: (err as Error).message };
      }
    };
    const refHex = slice(reference) ? hex(slice(reference)!) : null;
    const values: CosimReport['firstMismatch'] extends infer F ? (F extends { values: infer V } ? V : never) : never = {};
    const hexes: Partial<Record<Backend, string | null>> = {};
    const disagree: Backend[] = [];
    for (const b of backends) {
      const sl = slice(b);
      values[b] = decode(sl);
      hexes[b] = sl ? hex(sl) : null;
      if (b !== reference && hexes[b] !== refHex) disagree.push(b);
    }
    let waveform: string | null = null;
    if (rtlRun && disagree.includes('rtl')) {
      const around = cycle ?? (inIdx !== null ? Number(now[inIdx]) : rtlRun.cycles!);
      try {
        waveform = path.join(o.out, 'mismatch.fst');
        if (!(await rtlRun.waveform(waveform, around)))
          log(`waveform: WARNING the traced re-run did not reproduce the untraced RTL run (outputs or their cycles differ); ${waveform} may not show the mismatch`);
      } catch (err) {
        log(`waveform: ${(err as Error).message}`);
        waveform = null;
      }
    }
    firstMismatch = {
      outputIndex: first,
      inputIndex: inIdx,
      cycle,
      disagree,
      input: inIdx !== null ? recordToJson(inRec, records[inIdx]) : null,
      values,
      hex: hexes,
      model: values.model ?? null,
      rtl: values.rtl ?? null,
      waveform,
    };
  }

  // Status registers: the RTL's, read over AXI-Lite after the stream drained, against the model's final state.
  const status: CosimReport['status'] = [];
  for (const r of ir.regs) {
    if (!r.status) continue;
    const modelValue = modelRun.status.get(r.name)!;
    const row: CosimReport['status'][number] = { name: r.name, model: modelValue.toString(), match: true };
    for (const b of ['rtl', 'hls'] as const) {
      const v = runs[b]?.status.get(r.name);
      if (v === undefined) continue;
      row[b] = v.toString();
      row.match &&= v === modelValue;
    }
    status.push(row);
  }
  const statusMismatches = status.filter((x) => !x.match).length;
  // Model.violations counts steps; the model stepped every input once, in order, so a step is an input index.
  const v0 = model.violations[0];
  const propertyViolations: CosimReport['propertyViolations'] = {
    count: model.violations.length,
    first: v0 ? { property: v0.property, inputIndex: v0.step, input: recordToJson(ir.input, records[v0.step] as Record<string, unknown>), output: recordToJson(ir.output, v0.out as Record<string, unknown>) } : null,
  };
  if (v0) log(`property ${v0.property} violated by the model at input ${v0.step} (${model.violations.length} violations in all)`);

  seconds.total = (performance.now() - t0) / 1000;
  const throughput: CosimReport['throughput'] = {};
  for (const b of [...backends, 'model' as Backend]) if (seconds[b]) throughput[b] = n / seconds[b]!;
  const report: CosimReport = {
    design: ir.name,
    file: ir.file,
    input: o.input,
    seed: o.seed,
    inputs: n,
    backends,
    reference,
    executors,
    outputs: Object.fromEntries(backends.map((b) => [b, executors[b]!.outputs])),
    compared,
    mismatches: mismatches + statusMismatches + propertyViolations.count,
    firstMismatch,
    propertyViolations,
    status,
    commits: updates.map((up) => ({ at: up.at, cycle: up.cycle ?? null, firstInput: up.input ?? null })),
    latencyCycles: lat.length ? { min: lat[0], median: lat[Math.floor(lat.length / 2)], max: lat[lat.length - 1] } : null,
    clockMHz: ir.schedule.clockMHz,
    pipelineLatencyCycles: ir.schedule.latency,
    outputCounts,
    rtl: rtlRun?.build ?? null,
    hls: hlsRun?.build ?? null,
    seconds,
    throughput,
    cycles: rtlRun?.cycles ?? null,
    inputStallCycles: rtlRun?.inStalls ?? null,
    arbitration,
  };
  fs.writeFileSync(`${reportPath}.tmp`, JSON.stringify(report, null, 2) + '\n');
  fs.renameSync(`${reportPath}.tmp`, reportPath);
  writeCosimReport(o.out, report, { latencies: lat, stages: ir.schedule.stages, periodNs: ir.schedule.periodNs });
  return report;
}


