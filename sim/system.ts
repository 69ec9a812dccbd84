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
import { loadSystem, stimulusRecords } from './design.ts';
import { systemInitialParams } from './params.ts';
export { loadSystem } from './design.ts';
import { writeSystemReport } from '../report/index.ts';
import { type Stimulus, compareRecords } from './executor.ts';
import { hlsExecutor } from './executors/index.ts';
import { rtlTiming, systemModelExecutor, systemRtlExecutor } from './executors/system.ts';
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
}

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
  rtl: { dir: string; regenerated: boolean; buildSeconds: number; buildCached: boolean };
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

const same = (a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number) => {
  for (let k = 0; k < n; k++) if (a[ai + k] !== b[bi + k]) return false;
  return true;
};

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
  const initial = systemInitialParams(sys.units, o.params ?? {});

  // Stimulus, as a unit's cosim reads it: the system's input is its first unit's, or, with several system inputs,
  // the merged event of them all (a stimulus value is { <input>: record }; dsl/system.ts ExternalInput).
  const diag = new Diagnostics(20);
  const inRec = system.merged ? system.merged.record : first.input;
  const records = stimulusRecords({ ...design, unit: { ...design.unit, merged: system.merged ?? undefined } }, inRec, o.input, o.seed, diag);
  const n = records.length;
  if (diag.total > 0) {
    log(`input ${o.input}: ${diag.total} error${diag.total > 1 ? 's' : ''} (${[...diag.counts].map(([c, k]) => `${c} ${k}`).join(', ')})`);
    for (const e of diag.first.slice(0, 10)) log(`  ${e.code} at byte ${e.offset}: ${e.message}`);
    if (!o.acceptInputErrors) throw new Error(`the stimulus reader reported ${diag.total} error${diag.total > 1 ? 's' : ''} in ${o.input} (listed above); --accept-input-errors co-simulates the ${n} records it could read`);
  }
  if (n === 0) throw new Error(`${o.input} yielded no ${inRec.name} records: nothing to co-simulate`);
  const inputs = new Uint8Array(n * inRec.bytes);
  for (let i = 0; i < n; i++) {
    try {
      packInto(inRec, records[i], inputs, i * inRec.bytes);
    } catch (err) {
      if (err instanceof RangeError || err instanceof TypeError) throw new Error(`stimulus record ${i} of ${o.input} (seed ${o.seed}), ${inRec.name}.${(err as Error).message.replace(/^field /, '')}`);
      throw err;
    }
  }
  log(`stimulus: ${n} ${inRec.name} records from ${o.input} (seed ${o.seed})`);

  // RTL: the top, every unit, the channels; taps on both sides of every channel. It decides the timing facts.
  const workDir = path.join(o.out, 'work');
  const stim: Stimulus = { record: inRec, records, packed: inputs, workDir };
  const rtlRun = await systemRtlExecutor(sys, { out: o.out, rtlDir: o.rtlDir, merged: system.merged ?? null, seed: o.seed, validProb: o.validProb, readyProb: o.readyProb, verbose: o.verbose, log, params: initial }).run(stim);
  const wire = wireOutput(last);
  const rtlOutputs = rtlRun.outputs.length / wire.bytes;
  const outputPcap = last.packet ? writeStreamPcap(path.join(o.out, 'output.pcap'), wire, rtlRun.outputs, rtlRun.outCycles, last.schedule.clockMHz) : null;
  const src = (l: number) => rtlRun.taps.get(`${sys.links[l].name}:src`)!;
  const dst = (l: number) => rtlRun.taps.get(`${sys.links[l].name}:dst`)!;

  // The composed model, told the RTL's timing facts.
  const modelRun = await systemModelExecutor(system, sys, rtlTiming(sys, rtlRun), initial).run({ ...stim, cycles: rtlRun.inCycles });
  const model = modelRun.system;
  const { from: outFrom, firstBeat } = modelRun;
  const outBuf = modelRun.outputs;
  const modelSeconds = modelRun.seconds;

  // Every channel: what the producer sent (model vs RTL), and what the consumer got (the channel kept order and lost
  // only what it flagged as dropped).
  const links: LinkReport[] = sys.links.map((l, k) => {
    const rec = l.record;
    const m = model.tap(l.name);
    const s = src(k);
    const d = dst(k);
    const nRtl = s.cycles!.length;
    const mData = modelRun.taps.get(l.name)!.data;
    let mismatches = 0;
    let firstBad: LinkReport['first'] = null;
    const note = (index: number, inputIndex: number | null, mv: Record<string, unknown> | null, rv: Record<string, unknown> | null) => {
      mismatches++;
      firstBad ??= { index, inputIndex, model: mv && recordToJson(rec, mv), rtl: rv && recordToJson(rec, rv) };
    };
    const c = compareRecords(mData, s.data, rec.bytes);
    if (c.first !== null) {
      const j = c.first;
      // The first difference, decoded; the count is the comparison's.
      note(j, j < m.length ? m[j].input : null, j < m.length ? m[j].value : null, j < nRtl ? unpackFrom(rec, s.data, j * rec.bytes) : null);
      mismatches = c.mismatches;
    }
    // Channel integrity: delivered = sent minus dropped, in order, unchanged.
    let j = 0;
    for (let q = 0; q < d.cycles!.length; q++) {
      while (j < nRtl && s.drops![j]) j++;
      if (j >= nRtl || !same(s.data, j * rec.bytes, d.data, q * rec.bytes, rec.bytes)) {
        note(q, null, null, unpackFrom(rec, d.data, q * rec.bytes));
        break;
      }
      j++;
    }
    let dropped = 0;
    for (const x of s.drops!) dropped += x;
    return { name: l.name, from: sys.units[l.from].name, to: sys.units[l.to].name, channel: l.channel.type === 'fifo' ? `fifo(${l.channel.depth})` : l.channel.type, entered: { model: m.length, rtl: nRtl }, delivered: d.cycles!.length, dropped, compared: c.compared, mismatches, first: firstBad };
  });

  // The edge.
  const edge = compareRecords(outBuf, rtlRun.outputs, wire.bytes);
  const edgeCompared = edge.compared;
  const edgeMismatches = edge.mismatches;
  let edgeFirst: SystemCosimReport['firstDivergence'] = null;
  if (edge.first !== null) {
    const j = edge.first;
    const mv = j < outFrom.length ? unpackFrom(wire, outBuf, j * wire.bytes) : null;
    const rv = j < rtlOutputs ? unpackFrom(wire, rtlRun.outputs, j * wire.bytes) : null;
    edgeFirst = { channel: 'output', unit: last.name, executor: 'rtl', index: j, inputIndex: j < outFrom.length ? outFrom[j] : null, model: mv && recordToJson(wire, mv), rtl: rv && recordToJson(wire, rv) };
  }
  // HLS: each unit's kernel C-simulated (a unit executor) on the records the model says it took (equal to the RTL's
  // where the channels compared clean), at the cycles the RTL's unit accepted them; its outputs against the model's.
  const hls: HlsUnitReport[] = [];
  const hlsStatus: Array<ReadonlyMap<string, bigint> | null> = sys.units.map(() => null);
  // C-simulation time only, as the RTL's is the simulation's (builds are reported per unit).
  let hlsSeconds = 0;
  if (o.hls !== false) {
    for (const [k, u] of sys.units.entries()) {
      // What the unit took, in the order it took it, at the RTL's cycles (an event for a unit with several inputs).
      const took = model.unitInputs(k);
      const inRecs = took.map((t) => t.value);
      const now = new BigUint64Array(inRecs.length);
      took.forEach((t, i) => (now[i] = BigInt(t.cycle)));
      const ins = new Uint8Array(inRecs.length * u.input.bytes);
      inRecs.forEach((x, i) => packInto(u.input, x, ins, i * u.input.bytes));
      const outRec = wireOutput(u);
      const expected = k < sys.links.length ? modelRun.taps.get(sys.links[k].name)!.data : outBuf;
      const r = await hlsExecutor(u, { log: o.verbose ? log : undefined, verbose: o.verbose }).run({ record: u.input, records: inRecs, packed: ins, cycles: now, params: initial[k], workDir: path.join(workDir, `hls-${u.name}`) });
      hlsStatus[k] = r.status;
      hlsSeconds += r.seconds;
      const nm = expected.length / outRec.bytes;
      const nh = r.outputs.length / outRec.bytes;
      const c = compareRecords(expected, r.outputs, outRec.bytes);
      let first: HlsUnitReport['first'] = null;
      if (c.first !== null) {
        const j = c.first;
        first = { index: j, model: j < nm ? recordToJson(outRec, unpackFrom(outRec, expected, j * outRec.bytes)) : null, hls: j < nh ? recordToJson(outRec, unpackFrom(outRec, r.outputs, j * outRec.bytes)) : null };
      }
      hls.push({ unit: u.name, channel: k < sys.links.length ? sys.links[k].name : 'output', inputs: inRecs.length, outputs: { model: nm, hls: nh }, compared: c.compared, mismatches: c.mismatches, first, buildSeconds: r.build.buildSeconds, buildCached: r.build.buildCached });
      log(`hls ${u.name}: ${inRecs.length} inputs, ${nh} outputs, ${c.mismatches} mismatches (${r.build.buildCached ? 'cached build' : `built in ${r.build.buildSeconds.toFixed(1)} s`})`);
    }
  }

  // The HLS top: the DATAFLOW of every kernel, C-simulated as one executor on the system's stimulus, compared with
  // the composed model told the schedule it ran (its own, not the RTL's: a C-sim call is one cycle of every unit).
  let hlsTop: SystemCsimReport | undefined;
  if (o.hlsTop) {
    const t1 = performance.now();
    const r = await systemHlsExecutor(system, sys, { log: o.verbose ? log : undefined, params: initial }).run({ ...stim, workDir: path.join(workDir, 'hls-top') });
    hlsTop = compareHlsTop(system, sys, records, r, csimSchedule(system, records, initial), { input: o.input, seed: o.seed, t0: t1 }, initial);
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

  // Latency: input beat accepted -> first beat of the output it produced (outputs matched one to one).
  const lat: number[] = [];
  for (let j = 0; j < Math.min(outFrom.length, rtlOutputs); j++) if (firstBeat[j]) lat.push(Number(rtlRun.outCycles[j] - rtlRun.inCycles[outFrom[j]]));
  lat.sort((a, b) => a - b);
  const clockMHz = first.schedule.clockMHz;
  const toNs = (p: Percentiles): Percentiles => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Math.round((v * 1e4) / clockMHz) / 10])) as unknown as Percentiles;
  const cyc = lat.length ? percentiles(lat) : null;

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
      const mval = modelRun.status.get(`${u.name}.${r.name}`)!;
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
    outputs: { model: outFrom.length, rtl: rtlOutputs },
    compared: edgeCompared,
    mismatches,
    firstDivergence,
    drops,
    status,
    latency: cyc && { clockMHz, samples: lat.length, cycles: cyc, ns: toNs(cyc), histogram: histogram(lat) },
    pipelineLatencyCycles: systemLatency(sys),
    ...(outputPcap ? { outputPcap } : {}),
    inputStallCycles: rtlRun.inStalls,
    cycles: rtlRun.cycles,
    rtl: rtlRun.build,
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
    return model.tap(l.name).filter((r) => !r.dropped).map((r) => recordToJson(l.record as RecordSpec, r.value));
  };
  return Object.assign(report, { tap });
}

/**
 * Writes the bytes of a packet output's beats (lanes in `keep`, a packet ending at `last`) to a pcap as one TCP
 * stream, a segment per packet, timed by the cycle its last beat left at `clockMHz`: `tickforge decode` reads it
 * (an OUCH encoder's output decodes as the SoupBinTCP session it is).
 */
function writeStreamPcap(file: string, wire: RecordSpec, data: Uint8Array, cycles: ArrayLike<number | bigint>, clockMHz: number): { file: string; packets: number; bytes: number } {
  const w = new PcapWriter();
  let cur: number[] = [];
  let seq = 1;
  let packets = 0;
  let bytes = 0;
  for (let j = 0; j < data.length / wire.bytes; j++) {
    const b = unpackFrom(wire, data, j * wire.bytes) as { data: number | bigint; keep: number; last: boolean };
    const d = BigInt(b.data);
    for (let lane = 0; (b.keep >> lane) !== 0; lane++) if ((b.keep >> lane) & 1) cur.push(Number((d >> BigInt(8 * lane)) & 0xffn));
    if (!b.last) continue;
    const ns = BigInt(Math.round((Number(cycles[j]) * 1000) / clockMHz));
    w.add(tcpFrame(OUCH_ENDPOINT, Uint8Array.from(cur), seq, packets & 0xffff), ns);
    seq += cur.length;
    bytes += cur.length;
    packets++;
    cur = [];
  }
  fs.writeFileSync(file, w.bytes());
  return { file, packets, bytes };
}

/** The card's order-entry side: client (the card) to the exchange's OUCH port. */
const OUCH_ENDPOINT = { srcMac: '02:00:00:00:00:02', dstMac: '02:00:00:00:00:03', src: '10.0.0.2', dst: '10.0.0.3', srcPort: 40000, dstPort: 15000 };

