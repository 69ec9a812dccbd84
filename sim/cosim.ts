// Co-simulation: the same stimulus through the native model (the DSL file itself, run in Node) and the
// Verilated RTL; outputs compared in order, byte for byte. The RTL decides when each input is accepted (random
// stalls and back-pressure); the model is told that cycle as `now`, which is the DSL's definition of time.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Rng } from '../dsl/rng.ts';
import { type RecordSpec, packInto, unpackFrom, recordToJson } from '../dsl/record.ts';
import type { Unit } from '../dsl/unit.ts';
import type { UnitIR } from '../codegen/ir.ts';
import { compile } from '../codegen/index.ts';
import { buildRtl } from '../rtl/index.ts';
import { axilAddrBits as axilBits } from '../rtl/regs.ts';
import { type RtlDesign, buildHarness, runHarness } from './verilator/index.ts';

export interface CosimOptions {
  file: string;
  input: string; // synthetic:<N>
  seed: number;
  out: string;
  rtlDir?: string;
  validProb?: number;
  readyProb?: number;
  log?: (s: string) => void;
  verbose?: boolean;
}

export interface CosimReport {
  design: string;
  file: string;
  input: string;
  seed: number;
  inputs: number;
  outputs: { model: number; rtl: number };
  compared: number;
  mismatches: number;
  firstMismatch: null | {
    outputIndex: number;
    inputIndex: number | null;
    cycle: number | null;
    input: Record<string, unknown> | null;
    model: Record<string, unknown> | null;
    rtl: Record<string, unknown> | null;
    modelHex: string | null;
    rtlHex: string | null;
    waveform: string | null;
  };
  latencyCycles: { min: number; median: number; max: number } | null;
  outputCounts: Record<string, Record<string, number>>;
  rtl: { dir: string; regenerated: boolean; buildSeconds: number; buildCached: boolean };
  seconds: { model: number; rtl: number; total: number };
  throughput: { modelRecordsPerSecond: number; rtlRecordsPerSecond: number };
  cycles: number;
}

/** Loads a design module with its unit (default export) and optional `synthetic(rng, index)` generator. */
export async function loadDesign(file: string): Promise<{ unit: Unit; synthetic?: (rng: Rng, i: number) => Record<string, unknown> }> {
  const mod = await import(pathToFileURL(path.resolve(file)).href);
  const unit = mod.default as Unit;
  if (!unit || unit.kind !== 'unit') throw new Error(`${file}: the default export is not a unit`);
  return { unit, synthetic: mod.synthetic };
}

/** Uniformly random record of a layout: the stimulus of a design that brings no generator of its own. */
export function randomRecord(r: RecordSpec, rng: Rng): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const f of r.fields) {
    const s = f.spec;
    if (s.kind === 'bool') v[f.name] = rng.chance(0.5);
    else if (s.kind === 'char') v[f.name] = String.fromCharCode(32 + rng.below(95));
    else if (s.kind === 'enum') v[f.name] = s.members[rng.below(s.members.length)].value;
    else {
      const b = rng.bits(s.width);
      const x = s.kind === 'sint' ? BigInt.asIntN(s.width, b) : b;
      v[f.name] = s.width > 53 ? x : Number(x);
    }
  }
  return v;
}

export function parseInput(spec: string): number {
  const m = /^synthetic:(\d+)$/.exec(spec);
  if (!m) throw new Error(`unsupported --input ${spec}: expected synthetic:<N>`);
  return Number(m[1]);
}

/** Param register writes (32-bit words, low word first, so wide params commit on their high word). */
export function paramWrites(u: UnitIR, values?: Record<string, bigint>): Array<{ offset: number; value: number }> {
  const out: Array<{ offset: number; value: number }> = [];
  for (const p of u.params) {
    const v = BigInt.asUintN(p.spec.width, values?.[p.name] ?? p.init);
    for (let k = 0; k < p.words; k++) out.push({ offset: p.offset + 4 * k, value: Number((v >> BigInt(32 * k)) & 0xffffffffn) });
  }
  return out;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export async function cosim(opts: CosimOptions): Promise<CosimReport> {
  const o = { ...opts, out: path.resolve(opts.out) };
  const log = o.log ?? (() => {});
  const t0 = performance.now();
  fs.mkdirSync(o.out, { recursive: true });
  const ir = compile(o.file);
  const { unit, synthetic } = await loadDesign(o.file);
  const n = parseInput(o.input);

  // Stimulus.
  const rng = new Rng(o.seed);
  const inRec = ir.input;
  const inputs = new Uint8Array(n * inRec.bytes);
  const records: Array<Record<string, unknown>> = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = synthetic ? synthetic(rng, i) : randomRecord(inRec, rng);
    records[i] = r;
    packInto(inRec, r, inputs, i * inRec.bytes);
  }
  log(`stimulus: ${n} ${inRec.name} records (seed ${o.seed})`);

  // RTL.
  let rtlDir: string;
  let regenerated = false;
  if (o.rtlDir) rtlDir = path.resolve(o.rtlDir);
  else {
    rtlDir = path.join(o.out, 'rtl');
    buildRtl(ir, rtlDir);
    regenerated = true;
  }
  const files = fs.readdirSync(rtlDir).filter((f) => f.endsWith('.v')).sort();
  const rtl = buildRtlDesign(ir, rtlDir, files);
  const build = await buildHarness(rtl, { log: o.verbose ? log : undefined });
  log(`verilator: ${build.cached ? 'cached build' : `built in ${build.seconds.toFixed(1)} s`}`);
  const params = paramWrites(ir);
  const runArgs = { inputs, params, seed: o.seed, validProb: o.validProb, readyProb: o.readyProb, workDir: path.join(o.out, 'work') };
  const res = await runHarness(build, rtl, runArgs);
  log(`rtl: ${n} inputs, ${res.outputs.length / ir.output.bytes} outputs in ${res.cycles} cycles (${res.seconds.toFixed(2)} s)`);

  // Model, told the cycle at which the RTL accepted each input.
  const model = unit.model();
  const outBytes = ir.output.bytes;
  const modelOut = new Uint8Array(n * outBytes);
  const modelFrom: number[] = [];
  const tm = performance.now();
  for (let i = 0; i < n; i++) {
    const out = model.step(records[i] as never, Number(res.inCycles[i]));
    if (out !== undefined) {
      packInto(ir.output, out as Record<string, unknown>, modelOut, modelFrom.length * outBytes);
      modelFrom.push(i);
    }
  }
  const modelSeconds = (performance.now() - tm) / 1000;

  // Compare in order, byte for byte.
  const rtlCount = res.outputs.length / outBytes;
  const modelCount = modelFrom.length;
  const compared = Math.min(rtlCount, modelCount);
  let mismatches = Math.abs(rtlCount - modelCount);
  let first = -1;
  for (let j = 0; j < compared; j++) {
    const a = j * outBytes;
    let same = true;
    for (let b = 0; b < outBytes; b++) if (modelOut[a + b] !== res.outputs[a + b]) same = false;
    if (!same) {
      mismatches++;
      if (first < 0) first = j;
    }
  }
  if (first < 0 && rtlCount !== modelCount) first = compared;

  // Latency of each compared output: its output handshake minus its input's.
  const lat: number[] = [];
  for (let j = 0; j < compared; j++) lat.push(Number(res.outCycles[j] - res.inCycles[modelFrom[j]]));
  lat.sort((a, b) => a - b);

  // Distribution of enum-typed output fields (e.g. reject reasons), from the model's outputs.
  const outputCounts: Record<string, Record<string, number>> = {};
  for (const f of ir.output.fields) {
    if (f.spec.kind !== 'enum' && f.spec.kind !== 'bool') continue;
    const counts: Record<string, number> = {};
    const spec = f.spec;
    if (spec.kind === 'enum') for (const m of spec.members) counts[m.name] = 0;
    for (let j = 0; j < modelCount; j++) {
      const v = unpackFrom(ir.output, modelOut, j * outBytes)[f.name];
      const key = spec.kind === 'enum' ? (spec.members.find((m) => m.value === v)?.name ?? String(v)) : String(v);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    outputCounts[f.name] = counts;
  }

  let firstMismatch: CosimReport['firstMismatch'] = null;
  if (first >= 0) {
    const inIdx = first < modelCount ? modelFrom[first] : null;
    const cycle = first < rtlCount ? Number(res.outCycles[first]) : null;
    const slice = (buf: Uint8Array, j: number, count: number) => (j < count ? buf.subarray(j * outBytes, (j + 1) * outBytes) : null);
    const m = slice(modelOut, first, modelCount);
    const r = slice(res.outputs, first, rtlCount);
    const decode = (b: Uint8Array | null) => {
      if (!b) return null;
      try {
        return recordToJson(ir.output, unpackFrom(ir.output, b, 0));
      } catch (err) {
        return { undecodable: (err as Error).message };
      }
    };
    let waveform: string | null = null;
    const around = cycle ?? (inIdx !== null ? Number(res.inCycles[inIdx]) : res.cycles);
    try {
      waveform = path.join(o.out, 'mismatch.fst');
      await runHarness(build, rtl, { ...runArgs, trace: { path: waveform, from: Math.max(0, around - 200), to: around + 20 } });
    } catch (err) {
      log(`waveform: ${(err as Error).message}`);
      waveform = null;
    }
    firstMismatch = {
      outputIndex: first,
      inputIndex: inIdx,
      cycle,
      input: inIdx !== null ? recordToJson(inRec, records[inIdx]) : null,
      model: decode(m),
      rtl: decode(r),
      modelHex: m ? hex(m) : null,
      rtlHex: r ? hex(r) : null,
      waveform,
    };
  }

  const report: CosimReport = {
    design: ir.name,
    file: ir.file,
    input: o.input,
    seed: o.seed,
    inputs: n,
    outputs: { model: modelCount, rtl: rtlCount },
    compared,
    mismatches,
    firstMismatch,
    latencyCycles: lat.length ? { min: lat[0], median: lat[Math.floor(lat.length / 2)], max: lat[lat.length - 1] } : null,
    outputCounts,
    rtl: { dir: rtlDir, regenerated, buildSeconds: build.seconds, buildCached: build.cached },
    seconds: { model: modelSeconds, rtl: res.seconds, total: (performance.now() - t0) / 1000 },
    throughput: { modelRecordsPerSecond: n / modelSeconds, rtlRecordsPerSecond: n / res.seconds },
    cycles: res.cycles,
  };
  fs.writeFileSync(path.join(o.out, 'cosim.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}

export function buildRtlDesign(ir: UnitIR, rtlDir: string, files: string[]): RtlDesign {
  return { rtlDir, top: ir.name, files, inBytes: ir.input.bytes, outBytes: ir.output.bytes, axilAddrBits: axilBits(ir) };
}

