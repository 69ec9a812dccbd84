// Co-simulation of a system (docs/systems.md): compare + report over the system's executors (sim/executors/system.ts):
// the composed model (every unit's own `step`, dsl/system.ts) against the Verilated top (rtl/system.ts), compared on
// every channel, not only at the edges, so the first divergence names the unit and the channel, and each unit's HLS
// kernel on what that unit took. The RTL decides the timing facts (the cycle each unit accepts each record, which
// records a full FIFO drops), recorded by the harness's taps; the model is told them, as a unit's model is told `now`.
import fs from 'node:fs';
import path from 'node:path';
import { type RecordSpec, packInto, unpackFrom, recordToJson } from '../dsl/record.ts';
import type { System } from '../dsl/system.ts';
import { wireOutput } from '../codegen/ir.ts';
import { compileSystem, systemLatency } from '../codegen/system.ts';
import { Diagnostics } from './stimulus/errors.ts';
import { PcapWriter, tcpFrame } from './stimulus/pcap.ts';
import { generatedSpec, probOption, seedOption } from './stimulus/input.ts';
import { type PacketSpec, wireRecords } from '../dsl/packet.ts';
import { loadSystem, stimulusStream as stimulusRecordStream } from './design.ts';
import { systemInitialParams } from './params.ts';
export { loadSystem } from './design.ts';
import { writeSystemReport } from '../report/index.ts';
import { progress, progressEnabled } from '../report/progress.ts';
import { hlsFileRun } from './executors/hls.ts';
import { ChunkedSystemModel, systemRtlExecutor } from './executors/system.ts';
import { FileSink, Histogram, RecordReader, StampWindow } from './stream.ts';
import { InputChunks, StreamCompare, channelIntegrity, compareFiles } from './system-stream.ts';
import { type SystemCsimReport, compareHlsTop, csimSchedule, systemHlsExecutor } from './hls-system.ts';

export interface SystemCosimOptions {
  file: string;
  input: string;
  seed: number;
  out: string;
  validProb?: number;
  readyProb?: number;
  log?: (s: string) => void;
  verbose?: boolean;
  acceptInputErrors?: boolean;
  /** Co-simulate this (possibly hand-edited) Verilog of the whole system instead of regenerating it. */
  rtlDir?: string;
  /** Run each unit's HLS kernel (C-simulation) on the records its channel delivered (default true). */
  hls?: boolean;
  /** Also C-simulate the system's HLS top (DATAFLOW of the kernels, sim/hls-system.ts) and compare every channel
   * with the composed model told the schedule it ran (default false: slower than the per-unit kernels). */
  hlsTop?: boolean;
  /** Schedule every unit for this clock (MHz; default 322.27): the latency in cycles is the one at that clock. */
  clockMHz?: number;
  /** Params every executor starts from, `<unit>.<param>` -> value (`--params file.json`, sim/params.ts). */
  params?: Record<string, unknown>;
  /** System inputs per chunk of the composed model's run (default 2^20; docs/systems.md "Long runs"). A run no longer
   * than one chunk is one SystemModel.run, as before chunks; a smaller value forces several (the test compares them). */
  chunkInputs?: number;
}

const DEFAULT_CHUNK = 1 << 20;

/** One unit's HLS kernel, C-simulated on exactly the records (and cycles) the RTL delivered to that unit. */
export interface HlsUnitReport {
  unit: string;
  /** Where its outputs go: the next channel, or 'output'. */
  channel: string;
  inputs: number;
  outputs: { model: number; hls: number };
  compared: number;
  mismatches: number;
  first: null | { index: number; model: Record<string, unknown> | null; hls: Record<string, unknown> | null };
  buildSeconds: number;
  buildCached: boolean;
}

export interface LinkReport {
  name: string;
  from: string;
  to: string;
  channel: string;
  /** Records that entered the channel (the producer's output handshakes), per executor. */
  entered: { model: number; rtl: number };
  /** Records the consumer took from the channel (RTL). */
  delivered: number;
  /** Records a full FIFO dropped (strobe producer), RTL (the model is told them). */
  dropped: number;
  compared: number;
  mismatches: number;
  first: null | { index: number; inputIndex: number | null; model: Record<string, unknown> | null; rtl: Record<string, unknown> | null };
}

export interface Percentiles {
  min: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export interface SystemCosimReport {
  kind: 'system';
  design: string;
  file: string;
  input: string;
  seed: number;
  inputs: number;
  units: Array<{ name: string; file: string; latencyCycles: number }>;
  backends: Array<'model' | 'rtl' | 'hls'>;
  links: LinkReport[];
  /** Per unit: its HLS kernel against the model on the same records (empty without HLS). */
  hls: HlsUnitReport[];
  /** With hlsTop: the HLS top's C-simulation against the composed model told its schedule. */
  hlsTop?: SystemCsimReport;
  outputs: { model: number; rtl: number };
  /** Output handshakes compared at the system's edge. */
  compared: number;
  /** Mismatches over every channel and the edge. */
  mismatches: number;
  /** The first channel (in stream order) where model and RTL disagree, and the unit that produced it. */
  firstDivergence: null | { channel: string; unit: string; executor: 'rtl' | 'hls'; index: number; inputIndex: number | null; model: Record<string, unknown> | null; rtl?: Record<string, unknown> | null; hls?: Record<string, unknown> | null };
  /** DROPS registers of the system block read over AXI-Lite after the run, against the drops the taps saw. */
  drops: Array<{ link: string; register: number; tapped: number; match: boolean }>;
  /** Every unit's status registers at the end of the run: RTL (after its SNAPSHOT) and HLS against the model. */
  status: Array<{ unit: string; name: string; model: string; rtl: string; hls?: string; match: boolean }>;
  /** Input beat accepted -> the first beat of the output it produced, RTL. */
  /** A packet output (e.g. OUCH over SoupBinTCP) as the RTL sent it: one TCP stream, a segment per packet. */
  outputPcap?: { file: string; packets: number; bytes: number };
  latency: null | {
    clockMHz: number;
    samples: number;
    cycles: Percentiles;
    ns: Percentiles;
    histogram: Array<{ from: number; to: number; count: number }>;
  };
  pipelineLatencyCycles: number;
  inputStallCycles: number;
  cycles: number;
  /** peakRssMB: the Verilated harness's peak resident set. */
  rtl: { dir: string; regenerated: boolean; buildSeconds: number; buildCached: boolean; peakRssMB: number };
  /** Peak resident set of this process (MB) at the end of the run (node's maxRSS: over the process's life). */
  peakRssMB: number;
  seconds: { model: number; rtl: number; hls: number; total: number };
}

/** Percentiles of sorted values (nearest rank). */
export function percentiles(sorted: number[]): Percentiles {
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { min: sorted[0], p50: at(0.5), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1] };
}

/** At most ~40 equal bins from min to max (one cycle wide when the spread is small). */
export function histogram(sorted: number[]): Array<{ from: number; to: number; count: number }> {
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  const w = Math.max(1, Math.ceil((hi - lo + 1) / 40));
  const bins: Array<{ from: number; to: number; count: number }> = [];
  for (let f = lo; f <= hi; f += w) bins.push({ from: f, to: f + w - 1, count: 0 });
  for (const v of sorted) bins[Math.floor((v - lo) / w)].count++;
  return bins;
}

export async function cosimSystem(opts: SystemCosimOptions): Promise<SystemCosimReport & { tap(link: string): Array<Record<string, unknown>> }> {
  const o = { ...opts, out: path.resolve(opts.out) };
  const log = o.log ?? (() => {});
  const t0 = performance.now();
  const reportPath = path.join(o.out, 'cosim.json');
  fs.rmSync(reportPath, { force: true });
  seedOption(o.seed);
  if (o.validProb !== undefined) probOption('--valid-prob', o.validProb);
  if (o.readyProb !== undefined) probOption('--ready-prob', o.readyProb);
  if (!generatedSpec(o.input) && !fs.existsSync(o.input)) throw new Error(`--input ${o.input}: no such file (or give synthetic:<N>)`);
  fs.mkdirSync(o.out, { recursive: true });
  const sys = compileSystem(o.file, { timing: { enforce: false, ...(o.clockMHz ? { clockMHz: o.clockMHz } : {}) } });
  const { system, design } = await loadSystem(o.file);
  if (system.units.length !== sys.units.length || system.units.some((u, k) => u.def.name !== sys.units[k].name))
    throw new Error(`${o.file}: the system the file builds (${system.units.map((u) => u.def.name).join(', ')}) is not the one the compiler read (${sys.units.map((u) => u.name).join(', ')})`);
  const first = sys.units[0];
  const last = sys.units[sys.units.length - 1];

  // Stimulus, as a unit's cosim reads it: the system's input is its first unit's, or, with several system inputs,
  // the merged event of them all (a stimulus value is { <input>: record }; dsl/system.ts ExternalInput). Packed into
  // work/inputs.bin as it is generated: a 10M-message run is ~47M records, too many to hold as objects.
  const diag = new Diagnostics(20);
  const inRec = system.merged ? system.merged.record : first.input;
  const initial = systemInitialParams(sys.units, o.params ?? {});
  const workDir = path.join(o.out, 'work');
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const inputsFile = path.join(workDir, 'inputs.bin');
  let n = 0;
  {
    const sink = new FileSink(inputsFile);
    const PIECE = 1 << 16;
    const piece = new Uint8Array(PIECE * inRec.bytes);
    let k = 0;
    for (const rec of stimulusRecordStream({ ...design, unit: { ...design.unit, merged: system.merged ?? undefined } }, inRec, o.input, o.seed, diag)) {
      try {
        packInto(inRec, rec, piece, k * inRec.bytes);
      } catch (err) {
        if (err instanceof RangeError || err instanceof TypeError) throw new Error(`stimulus record ${n} of ${o.input} (seed ${o.seed}), ${inRec.name}.${(err as Error).message.replace(/^field /, '')}`);
        throw err;
      }
      n++;
      if (++k === PIECE) {
        sink.write(piece);
        piece.fill(0);
        k = 0;
        if (n % (PIECE * 64) === 0) log(`stimulus: ${n.toLocaleString('en-US')} records packed`);
      }
    }
    sink.write(piece.subarray(0, k * inRec.bytes));
    sink.close();
  }
  if (diag.total > 0) {
    log(`input ${o.input}: ${diag.total} error${diag.total > 1 ? 's' : ''} (${[...diag.counts].map(([c, k]) => `${c} ${k}`).join(', ')})`);
    for (const e of diag.first.slice(0, 10)) log(`  ${e.code} at byte ${e.offset}: ${e.message}`);
    if (!o.acceptInputErrors) throw new Error(`the stimulus reader reported ${diag.total} error${diag.total > 1 ? 's' : ''} in ${o.input} (listed above); --accept-input-errors co-simulates the ${n} records it could read`);
  }
  if (n === 0) throw new Error(`${o.input} yielded no ${inRec.name} records: nothing to co-simulate`);
  log(`stimulus: ${n} ${inRec.name} records from ${o.input} (seed ${o.seed})`);

  // RTL: the top, every unit, the channels; taps on both sides of every channel. It decides the timing facts. Its
  // results stay in the harness's files and are streamed from here on.
  const rtlRun = await systemRtlExecutor(sys, { out: o.out, rtlDir: o.rtlDir, merged: system.merged ?? null, seed: o.seed, validProb: o.validProb, readyProb: o.readyProb, verbose: o.verbose, log, params: initial }).run({ record: inRec, file: inputsFile, count: n, workDir });
  const wire = wireOutput(last);
  const rtlOutputs = rtlRun.files.summary.outputs;
  const outputPcap = last.packet ? writeStreamPcap(path.join(o.out, 'output.pcap'), wire, rtlRun.files.outputs, rtlRun.files.outCycles, last.schedule.clockMHz) : null;

  // The composed model, told the RTL's timing facts, chunk by chunk; every channel compared as it goes (what the
  // producer sent, model vs RTL), the edge too, and what each unit took written for its HLS kernel.
  const t1 = performance.now();
  const cpu1 = process.cpuUsage();
  const hlsOn = o.hls !== false;
  const chunked = new ChunkedSystemModel(system, sys, rtlRun, initial);
  const linkCmp = sys.links.map((l) => new StreamCompare(l.record, rtlRun.taps.get(`${l.name}:src`)!.data));
  const edgeCmp = new StreamCompare(wire, rtlRun.files.outputs);
  const modelDir = path.join(workDir, 'model');
  fs.mkdirSync(modelDir, { recursive: true });
  // What entered each channel (model; drop flags beside), and the edge's beats: the HLS kernels' expected outputs.
  const linkSinks = sys.links.map((l) => ({ data: new FileSink(path.join(modelDir, `${l.name}.bin`)), drops: new FileSink(path.join(modelDir, `${l.name}_drops.bin`)) }));
  const edgeSink = new FileSink(path.join(modelDir, 'output.bin'));
  const unitSinks = hlsOn ? sys.units.map((u) => ({ inputs: new FileSink(path.join(modelDir, `${u.name}_inputs.bin`)), now: new FileSink(path.join(modelDir, `${u.name}_now.bin`)) })) : [];
  const outCycles = new StampWindow(rtlRun.files.outCycles, 8);
  const lat = new Histogram();
  let modelOutputs = 0;
  const chunks = new InputChunks(system, inRec, inputsFile, rtlRun.files.inCycles, o.chunkInputs ?? DEFAULT_CHUNK, Math.max(1024, 8 * systemLatency(sys)));
  const bar = progress(`${sys.name}: composed model and comparison, inputs`, n);
  let nChunks = 0;
  let done = 0;
  for (let c = chunks.next(); c; c = chunks.next()) {
    nChunks++;
    // A unit with several inputs orders its channel's records and its outside ones by cycle: no outside record of
    // this chunk may come before a channel record an earlier chunk gave it (SystemModel.run sees one chunk at a time).
    for (const [u, firstOutside] of c.firstOutside) {
      if (chunked.lastChainCycle[u] >= firstOutside)
        throw new Error(`system cosim in chunks: unit ${sys.units[u].name} took a channel record at cycle ${chunked.lastChainCycle[u]} in an earlier chunk and an outside record at cycle ${firstOutside} in chunk ${nChunks}: the chunks cannot split the run there; give a larger chunk (chunkInputs)`);
    }
    const r = chunked.run(c.records, c.cycles);
    const global = (from: number) => c.index[from];
    r.links.forEach((t, l) => {
      const rec = sys.links[l].record as RecordSpec;
      const packed = new Uint8Array(t.length * rec.bytes);
      const flags = new Uint8Array(t.length);
      t.forEach((x, i) => {
        packInto(rec, x.value, packed, i * rec.bytes);
        flags[i] = x.dropped ? 1 : 0;
      });
      linkCmp[l].feed(packed, (i) => ({ value: t[i].value, input: global(t[i].input) }));
      linkSinks[l].data.write(packed);
      linkSinks[l].drops.write(flags);
    });
    if (hlsOn) {
      r.unitInputs.forEach((took, k) => {
        const u = sys.units[k];
        const packed = new Uint8Array(took.length * u.input.bytes);
        took.forEach((x, i) => packInto(u.input, x.value, packed, i * u.input.bytes));
        unitSinks[k].inputs.write(packed);
        for (const x of took) unitSinks[k].now.u64(x.cycle);
      });
    }
    // The edge: the last unit's records as beats; the latency of each output's first beat against the cycle the
    // input it came from was taken.
    const beats: Array<{ from: number; w: Record<string, unknown> }> = [];
    for (const out of r.outputs) for (const w of wireRecords(last.output, last.packet as PacketSpec | null, out.rec)) beats.push({ from: out.from, w });
    const packed = new Uint8Array(beats.length * wire.bytes);
    beats.forEach((b, j) => packInto(wire, b.w, packed, j * wire.bytes));
    const seen = new Set<number>();
    beats.forEach((b, j) => {
      const at = modelOutputs + j;
      if (!seen.has(b.from) && at < rtlOutputs) lat.add(outCycles.at(at) - c.cycles[b.from]);
      seen.add(b.from);
    });
    edgeCmp.feed(packed, (j) => ({ value: beats[j].w, input: global(beats[j].from) }));
    edgeSink.write(packed);
    modelOutputs += beats.length;
    outCycles.release(Math.min(modelOutputs, rtlOutputs));
    chunked.release();
    bar.tick(c.records.length);
    done += c.records.length;
    // Without a terminal (a log file) the bar is off: a line per chunk of a long run instead.
    if (!progressEnabled() && done < n) log(`model: chunk ${nChunks}, ${done.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} inputs compared`);
  }
  bar.done();
  chunks.close();
  outCycles.close();
  for (const s of linkSinks) s.data.close(), s.drops.close();
  edgeSink.close();
  for (const s of unitSinks) s.inputs.close(), s.now.close();
  const modelStatus = chunked.status();
  const modelSeconds = (performance.now() - t1) / 1000;
  chunked.close();
  const cpu = process.cpuUsage(cpu1);
  log(`model: ${n} inputs in ${nChunks} chunk${nChunks > 1 ? 's' : ''}, ${modelOutputs} output beats, every channel compared (${modelSeconds.toFixed(2)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)`);

  // Every channel: what the producer sent (model vs RTL), and what the consumer got (the channel kept order and lost
  // only what it flagged as dropped), streamed from the RTL's tap files.
  const links: LinkReport[] = sys.links.map((l, k) => {
    const rec = l.record as RecordSpec;
    const src = rtlRun.taps.get(`${l.name}:src`)!;
    const dst = rtlRun.taps.get(`${l.name}:dst`)!;
    const c = linkCmp[k].finish();
    const integrity = channelIntegrity(rec, src, dst);
    let mismatches = c.mismatches;
    const f = c.first;
    let first: LinkReport['first'] = f && { index: f.index, inputIndex: f.inputIndex, model: f.model && recordToJson(rec, f.model), rtl: f.rtl && recordToJson(rec, f.rtl) };
    if (integrity.bad) {
      mismatches++;
      first ??= { index: integrity.bad.index, inputIndex: null, model: null, rtl: recordToJson(rec, integrity.bad.rtl) };
    }
    return { name: l.name, from: sys.units[l.from].name, to: sys.units[l.to].name, channel: l.channel.type === 'fifo' ? `fifo(${l.channel.depth})` : l.channel.type, entered: { model: c.model, rtl: src.count }, delivered: dst.count, dropped: integrity.dropped, compared: c.compared, mismatches, first };
  });

  // The edge.
  const edge = edgeCmp.finish();
  const edgeCompared = edge.compared;
  const edgeMismatches = edge.mismatches;
  const edgeFirst: SystemCosimReport['firstDivergence'] = edge.first && { channel: 'output', unit: last.name, executor: 'rtl', index: edge.first.index, inputIndex: edge.first.inputIndex, model: edge.first.model && recordToJson(wire, edge.first.model), rtl: edge.first.rtl && recordToJson(wire, edge.first.rtl) };

  // HLS: each unit's kernel C-simulated on the records the model says it took (equal to the RTL's where the channels
  // compared clean), at the cycles the RTL's unit accepted them; its outputs against the model's, streamed.
  const hls: HlsUnitReport[] = [];
  const hlsStatus: Array<ReadonlyMap<string, bigint> | null> = sys.units.map(() => null);
  // C-simulation time only, as the RTL's is the simulation's (builds are reported per unit).
  let hlsSeconds = 0;
  if (hlsOn) {
    for (const [k, u] of sys.units.entries()) {
      const outRec = wireOutput(u);
      const expectedFile = path.join(modelDir, k < sys.links.length ? `${sys.links[k].name}.bin` : 'output.bin');
      const inputs = unitSinks[k].inputs.bytes / u.input.bytes;
      const r = await hlsFileRun(u, { inputs: unitSinks[k].inputs.file, now: unitSinks[k].now.file }, path.join(workDir, `hls-${u.name}`), { log: o.verbose ? log : undefined, verbose: o.verbose, params: initial[k]?.codes });
      hlsStatus[k] = r.status;
      hlsSeconds += r.seconds;
      const c = compareFiles(outRec, expectedFile, r.outputs);
      const first: HlsUnitReport['first'] = c.first && { index: c.first.index, model: c.first.a && recordToJson(outRec, c.first.a), hls: c.first.b && recordToJson(outRec, c.first.b) };
      hls.push({ unit: u.name, channel: k < sys.links.length ? sys.links[k].name : 'output', inputs, outputs: { model: c.a, hls: c.b }, compared: c.compared, mismatches: c.mismatches, first, buildSeconds: r.build.buildSeconds, buildCached: r.build.buildCached });
      log(`hls ${u.name}: ${inputs} inputs, ${c.b} outputs, ${c.mismatches} mismatches (${r.build.buildCached ? 'cached build' : `built in ${r.build.buildSeconds.toFixed(1)} s`})`);
    }
  }

  // The HLS top: the DATAFLOW of every kernel, C-simulated as one executor on the system's stimulus, compared with
  // the composed model told the schedule it ran (its own, not the RTL's: a C-sim call is one cycle of every unit).
  // It takes the whole stimulus as records (not for a long run).
  let hlsTop: SystemCsimReport | undefined;
  if (o.hlsTop) {
    const t2 = performance.now();
    const packed = new Uint8Array(fs.readFileSync(inputsFile));
    const records = Array.from({ length: n }, (_, i) => unpackFrom(inRec, packed, i * inRec.bytes));
    const r = await systemHlsExecutor(system, sys, { log: o.verbose ? log : undefined, params: initial }).run({ record: inRec, records, packed, workDir: path.join(workDir, 'hls-top') });
    hlsTop = compareHlsTop(system, sys, records, r, csimSchedule(system, records, initial), { input: o.input, seed: o.seed, t0: t2 }, initial);
    log(`hls top ${sys.top}: ${hlsTop.compared} outputs and ${hlsTop.channels.reduce((a, c) => a + c.compared, 0)} channel records compared, ${hlsTop.mismatches} mismatches (${hlsTop.seconds.toFixed(1)} s)`);
  }
  const badLink = links.find((l) => l.mismatches > 0);
  const badHls = hls.find((h) => h.mismatches > 0);
  const rtlFirst: SystemCosimReport['firstDivergence'] = badLink
    ? { channel: badLink.name, unit: badLink.from, executor: 'rtl', index: badLink.first!.index, inputIndex: badLink.first!.inputIndex, model: badLink.first!.model, rtl: badLink.first!.rtl }
    : edgeFirst;
  // In stream order: an RTL divergence on a channel before the HLS one's unit comes first.
  const hlsUnit = badHls ? sys.units.findIndex((u) => u.name === badHls.unit) : Infinity;
  const rtlUnit = rtlFirst ? sys.units.findIndex((u) => u.name === rtlFirst.unit) : Infinity;
  const firstDivergence = badHls && hlsUnit < rtlUnit ? { channel: badHls.channel, unit: badHls.unit, executor: 'hls' as const, index: badHls.first!.index, inputIndex: null, model: badHls.first!.model, hls: badHls.first!.hls } : rtlFirst;

  // Latency: input beat accepted -> first beat of the output it produced (outputs matched one to one), counted by value.
  const clockMHz = first.schedule.clockMHz;
  const toNs = (p: Percentiles): Percentiles => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Math.round((v * 1e4) / clockMHz) / 10])) as unknown as Percentiles;
  const cyc = lat.samples ? lat.percentiles() : null;

  const drops = sys.links.flatMap((l, k) => {
    const register = rtlRun.status.get(`drops.${l.name}`);
    if (register === undefined) return [];
    const tapped = links[k].dropped;
    return [{ link: l.name, register: Number(register), tapped, match: register === BigInt(Math.min(tapped, 0xffffffff)) }];
  });
  // Status registers of every unit: RTL (over AXI-Lite, after each unit's SNAPSHOT) and HLS against the model's state.
  const status: SystemCosimReport['status'] = [];
  sys.units.forEach((u, k) => {
    for (const r of u.regs) {
      if (!r.status) continue;
      const mval = modelStatus.get(`${u.name}.${r.name}`)!;
      const rv = rtlRun.status.get(`${u.name}.${r.name}`)!;
      const row: SystemCosimReport['status'][number] = { unit: u.name, name: r.name, model: mval.toString(), rtl: rv.toString(), match: rv === mval };
      const hv = hlsStatus[k]?.get(r.name);
      if (hv !== undefined) {
        row.hls = hv.toString();
        row.match &&= hv === mval;
      }
      status.push(row);
    }
  });
  const mismatches = status.filter((x) => !x.match).length + links.reduce((a, l) => a + l.mismatches, 0) + edgeMismatches + drops.filter((d) => !d.match).length + hls.reduce((a, h) => a + h.mismatches, 0) + (hlsTop?.mismatches ?? 0);
  const report: SystemCosimReport = {
    kind: 'system',
    design: sys.name,
    file: o.file,
    input: o.input,
    seed: o.seed,
    inputs: n,
    units: sys.units.map((u, k) => ({ name: u.name, file: path.relative(process.cwd(), sys.unitFiles[k]), latencyCycles: u.schedule.latency })),
    backends: o.hls === false ? ['model', 'rtl'] : ['model', 'rtl', 'hls'],
    links,
    hls,
    ...(hlsTop ? { hlsTop } : {}),
    outputs: { model: modelOutputs, rtl: rtlOutputs },
    compared: edgeCompared,
    mismatches,
    firstDivergence,
    drops,
    status,
    latency: cyc && { clockMHz, samples: lat.samples, cycles: cyc, ns: toNs(cyc), histogram: lat.bins() },
    pipelineLatencyCycles: systemLatency(sys),
    ...(outputPcap ? { outputPcap } : {}),
    inputStallCycles: rtlRun.inStalls,
    cycles: rtlRun.cycles,
    rtl: rtlRun.build,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    seconds: { model: modelSeconds, rtl: rtlRun.seconds, hls: hlsSeconds, total: (performance.now() - t0) / 1000 },
  };
  fs.writeFileSync(`${reportPath}.tmp`, JSON.stringify(report, null, 2) + '\n');
  fs.renameSync(`${reportPath}.tmp`, reportPath);
  writeSystemReport(o.out, report);
  const tap = (name: string) => {
    // A channel by name, or a unit by name: the channel its output enters.
    const unit = sys.units.findIndex((u) => u.name === name);
    const l = sys.links.find((x) => x.name === name) ?? (unit >= 0 ? sys.links.find((x) => x.from === unit) : undefined);
    if (!l) {
      const last = unit === sys.units.length - 1 ? ` (${name} is the last unit: its records are the system's output)` : '';
      throw new Error(`--tap ${name}: no such channel or unit${last} (channels: ${sys.links.map((x) => x.name).join(', ')}; units: ${sys.units.map((u) => u.name).join(', ')})`);
    }
    // What entered the channel (model), from the file the run wrote, without the dropped records.
    const rec = l.record as RecordSpec;
    const data = fs.readFileSync(path.join(modelDir, `${l.name}.bin`));
    const flags = fs.readFileSync(path.join(modelDir, `${l.name}_drops.bin`));
    const out: Array<Record<string, unknown>> = [];
    for (let i = 0; i < flags.length; i++) if (!flags[i]) out.push(recordToJson(rec, unpackFrom(rec, data, i * rec.bytes)));
    return out;
  };
  return Object.assign(report, { tap });
}

/**
 * Writes the bytes of a packet output's beats (lanes in `keep`, a packet ending at `last`) to a pcap as one TCP
 * stream, a segment per packet, timed by the cycle its last beat left at `clockMHz`: `tickforge decode` reads it
 * (an OUCH encoder's output decodes as the SoupBinTCP session it is).
 */
function writeStreamPcap(file: string, wire: RecordSpec, dataFile: string, cyclesFile: string, clockMHz: number): { file: string; packets: number; bytes: number } {
  const w = new PcapWriter();
  const data = new RecordReader(dataFile, wire.bytes);
  const cycles = new StampWindow(cyclesFile, 8);
  let cur: number[] = [];
  let seq = 1;
  let packets = 0;
  let bytes = 0;
  for (let j0 = 0; j0 < data.count; ) {
    const block = data.take(1 << 16);
    const k = block.length / wire.bytes;
    for (let q = 0; q < k; q++) {
      const j = j0 + q;
      const b = unpackFrom(wire, block, q * wire.bytes) as { data: number | bigint; keep: number; last: boolean };
      const d = BigInt(b.data);
      for (let lane = 0; (b.keep >> lane) !== 0; lane++) if ((b.keep >> lane) & 1) cur.push(Number((d >> BigInt(8 * lane)) & 0xffn));
      if (!b.last) continue;
      const ns = BigInt(Math.round((cycles.at(j) * 1000) / clockMHz));
      w.add(tcpFrame(OUCH_ENDPOINT, Uint8Array.from(cur), seq, packets & 0xffff), ns);
      seq += cur.length;
      bytes += cur.length;
      packets++;
      cur = [];
    }
    j0 += k;
    cycles.release(j0);
  }
  data.close();
  cycles.close();
  fs.writeFileSync(file, w.bytes());
  return { file, packets, bytes };
}

/** The card's order-entry side: client (the card) to the exchange's OUCH port. */
const OUCH_ENDPOINT = { srcMac: '02:00:00:00:00:02', dstMac: '02:00:00:00:00:03', src: '10.0.0.2', dst: '10.0.0.3', srcPort: 40000, dstPort: 15000 };

