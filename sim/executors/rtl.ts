// The Verilated RTL of a unit as an executor: the harness (sim/verilator) drives the AXI-Stream input with random
// stalls and the output with random back-pressure, writes the params over AXI-Lite, and reads the status registers
// after one SNAPSHOT. It decides time: the cycle each input was taken is `now` for every other executor.
import fs from 'node:fs';
import path from 'node:path';
import { type UnitIR, wireOutput } from '../../codegen/ir.ts';
import { legalize } from '../../codegen/names.ts';
import { buildRtl } from '../../rtl/index.ts';
import { axilAddrBits as axilBits } from '../../rtl/regs.ts';
import { type RegMap, commitWrites, regMapOf, statusWords, stdReg } from '../../regmap/index.ts';
import { type RtlDesign, type HarnessRun, buildHarness, runHarness } from '../verilator/index.ts';
import type { Executor, ExecutorRun, ParamUpdate, Stimulus } from '../executor.ts';

export interface RtlOptions {
  /** Where the regenerated Verilog goes (`<out>/rtl`). */
  out: string;
  /** Run this (possibly hand-edited) Verilog instead of regenerating it. */
  rtlDir?: string;
  seed: number;
  validProb?: number;
  readyProb?: number;
  verbose?: boolean;
  log?: (s: string) => void;
}

export interface RtlRun extends ExecutorRun {
  readonly outCycles: BigUint64Array;
  readonly cycles: number;
  /** Cycles an input record was offered and not taken. */
  readonly inStalls: number;
  readonly build: { dir: string; regenerated: boolean; buildSeconds: number; buildCached: boolean };
  /** Re-runs the same run traced, writing an FST of cycles around `around` to `file`; false if it did not replay exactly. */
  waveform(file: string, around: number): Promise<boolean>;
}

/** Param register writes from the register map: every param word to its shadow, then one COMMIT (regmap/). */
export function paramWrites(u: UnitIR, values?: Record<string, bigint>): ReturnType<typeof commitWrites> {
  return commitWrites(regMapOf(u), values);
}

export function paramWidth(ir: UnitIR, name: string): number {
  const p = ir.params.find((x) => x.name === name);
  if (!p) throw new Error(`update: ${ir.name} has no param ${name}`);
  return p.spec.width;
}

/** The AXI-Lite writes of `updates`: each param's shadow words, then COMMIT with the next generation. */
function updateWrites(map: RegMap, updates: ReadonlyArray<ParamUpdate>): Array<{ at: number; offset: number; value: number }> {
  const out: Array<{ at: number; offset: number; value: number }> = [];
  updates.forEach((u, j) => {
    for (const [name, bits] of Object.entries(u.values)) {
      const r = map.windows[0].params.find((p) => p.name === name);
      if (!r) throw new Error(`update: no param ${name}`);
      for (const w of r.words) out.push({ at: u.at, offset: w.offset, value: Number((BigInt.asUintN(r.width, bits) >> BigInt(w.lsb)) & BigInt(w.mask)) });
    }
    out.push({ at: u.at, offset: stdReg(map, 'COMMIT').offset, value: j + 2 }); // generation 1 is the initial COMMIT
  });
  return out;
}

export function buildRtlDesign(ir: UnitIR, rtlDir: string, files: string[]): RtlDesign {
  return {
    rtlDir,
    top: legalize(ir).name,
    files,
    inBytes: ir.input.bytes,
    outBytes: wireOutput(ir).bytes,
    axilAddrBits: axilBits(ir),
    outReady: ir.flow !== 'strobe',
    beatBytes: ir.packet?.beatBytes ?? 0,
    maxBeats: ir.packet ? Math.ceil(ir.packet.capacity / ir.packet.beatBytes) : ir.moreOutputs.length + 1,
    ...(ir.inputs ? { inPorts: { portBits: ir.inputs.portBits, ports: ir.inputs.ports.map((p) => ({ name: p.name, lsb: p.lsb, width: p.record.width, bytes: p.record.bytes })) } } : {}),
    // The post-reset sweep of the tables (rtl/memory.ts): one cycle per slot of the largest.
    startupCycles: ir.schedule?.sweepCycles ?? 0,
  };
}

export function rtlExecutor(ir: UnitIR, o: RtlOptions): Executor<RtlRun> {
  const log = o.log ?? (() => {});
  return {
    name: 'rtl',
    async run(s: Stimulus): Promise<RtlRun> {
      let rtlDir: string;
      let regenerated = false;
      if (o.rtlDir) rtlDir = path.resolve(o.rtlDir);
      else {
        rtlDir = path.join(o.out, 'rtl');
        buildRtl(ir, rtlDir);
        regenerated = true;
      }
      const files = fs.readdirSync(rtlDir).filter((f) => f.endsWith('.v')).sort();
      const design = buildRtlDesign(ir, rtlDir, files);
      const build = await buildHarness(design, { log: o.verbose ? log : undefined });
      log(`verilator: ${build.cached ? 'cached build' : `built in ${build.seconds.toFixed(1)} s`}`);
      // Status words from the register map, read after one SNAPSHOT write so every counter is from the same edge.
      const map = regMapOf(ir);
      const readAfter = statusWords(map).map((w) => w.word.offset);
      const snapshot = readAfter.length ? stdReg(map, 'SNAPSHOT').offset : undefined;
      // The drain window outlasts the pipeline: the output stays silent for `latency` cycles before a record appears.
      const drainCycles = Math.max(64, 2 * (ir.schedule?.latency ?? 0) + 16);
      const updates = s.updates ?? [];
      const args: HarnessRun = { inputs: s.packed, params: paramWrites(ir, s.params?.codes), seed: o.seed, validProb: o.validProb, readyProb: o.readyProb, workDir: s.workDir, readAfter, snapshot, drainCycles, writes: updateWrites(map, updates) };
      const res = await runHarness(build, design, args);
      const outBytes = wireOutput(ir).bytes;
      log(`rtl: ${s.records.length} inputs, ${res.outputs.length / outBytes} outputs in ${res.cycles} cycles (${res.seconds.toFixed(2)} s)`);
      const status = new Map<string, bigint>();
      let k = 0;
      for (const r of ir.regs) {
        if (!r.status) continue;
        let v = 0n;
        for (let w = 0; w < r.status.words; w++) v |= BigInt(res.readback[k++] >>> 0) << BigInt(32 * w);
        status.set(r.name, v);
      }
      // The edge of each update's COMMIT: the last of its writes.
      let w = -1;
      const commitCycles = updates.map((u) => res.writeCycles[(w += Object.keys(u.values).reduce((m, name) => m + Math.ceil(paramWidth(ir, name) / 32), 0) + 1)]);
      return {
        executor: 'rtl',
        outputs: res.outputs,
        outBytes,
        inCycles: res.inCycles,
        outCycles: res.outCycles,
        taps: new Map(),
        status,
        updates: commitCycles.map((c) => ({ cycle: c ?? null, input: null })),
        cycles: res.cycles,
        seconds: res.seconds,
        inStalls: res.inStalls,
        build: { dir: rtlDir, regenerated, buildSeconds: build.seconds, buildCached: build.cached },
        async waveform(file: string, around: number): Promise<boolean> {
          // The waveform comes from the design's traced build (a separate executable, built now unless cached); it
          // must replay the untraced run exactly, or it would not show what it is meant to explain.
          const traced = await runHarness(build, design, { ...args, trace: { path: file, from: Math.max(0, around - 200), to: around + 20 } }, { log: o.verbose ? log : undefined });
          const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
          return bytes(traced.outputs).equals(bytes(res.outputs)) && bytes(traced.outCycles).equals(bytes(res.outCycles));
        },
      };
    },
  };
}
