// A system's executors (sim/executor.ts): the Verilated top with taps on both sides of every channel, and the
// composed model told the RTL's timing facts (the cycle each unit took each record, which records a full FIFO
// dropped), as a unit's model is told `now`. Each unit's HLS kernel runs as a unit executor (./hls.ts) on exactly
// what the model says that unit took.
import fs from 'node:fs';
import path from 'node:path';
import type { RecordSpec } from '../../dsl/record.ts';
import type { MergedInput } from '../../dsl/inputs.ts';
import type { System, SystemModel, TapRecord } from '../../dsl/system.ts';
import { type PacketSpec, packetCapacity } from '../../dsl/packet.ts';
import { wireOutput } from '../../codegen/ir.ts';
import { type SystemIR, systemLatency } from '../../codegen/system.ts';
import { type SystemRtl, emitSystemVerilog } from '../../rtl/system.ts';
import { commitWrites, statusWords, stdReg, systemParamWrites } from '../../regmap/index.ts';
import { givenSources, requireTop } from '../check.ts';
import { type HarnessFiles, type RtlDesign, type TapSpec, buildHarness, runHarnessFiles } from '../verilator/index.ts';
import { statusBits } from '../executor.ts';
import { StampWindow } from '../stream.ts';
import type { InitialParams } from '../params.ts';

/** The taps of a system's RTL: `<link>:src` (what the producer sent, drops flagged) and `<link>:dst` (what the consumer took). */
function tapsOf(s: SystemIR): TapSpec[] {
  const sig = (n: string) => `${s.top}__DOT__${n}`;
  return s.links.flatMap((l) => [
    // Producer side: a strobe producer's transfer is every valid cycle (it has no TREADY).
    { name: `${l.name}:src`, bytes: l.record.bytes, valid: sig(`${l.name}_src_tvalid`), ...(l.strobe ? {} : { ready: sig(`${l.name}_src_tready`) }), data: sig(`${l.name}_src_tdata`), drop: sig(`${l.name}_drop`) },
    { name: `${l.name}:dst`, bytes: l.record.bytes, valid: sig(`${l.name}_dst_tvalid`), ready: sig(`${l.name}_dst_tready`), data: sig(`${l.name}_dst_tdata`) },
  ]);
}

/** A system input stream already packed in a file (written a piece at a time: a long run's stimulus never sits in memory). */
export interface StimulusFile {
  /** The system input record: the first unit's, or the merged event of several inputs (dsl/inputs.ts). */
  readonly record: RecordSpec;
  readonly file: string;
  readonly count: number;
  readonly workDir: string;
}

/**
 * The Verilated top's run, left in the harness's files (sim/verilator runHarnessFiles) to be streamed: outputs and
 * their cycles, every input's cycle, and per tap `<link>:src` / `<link>:dst` its records, cycles and drop flags.
 */
export interface SystemRtlRun {
  readonly executor: 'rtl';
  readonly files: HarnessFiles;
  readonly outBytes: number;
  /** Taps by name, as files. */
  readonly taps: ReadonlyMap<string, { bytes: number; data: string; cycles: string; drops: string; count: number }>;
  /** Status registers by `<unit>.<reg>`, each channel's DROPS register by `drops.<link>`. */
  readonly status: ReadonlyMap<string, bigint>;
  readonly cycles: number;
  readonly seconds: number;
  readonly inStalls: number;
  readonly build: { dir: string; regenerated: boolean; buildSeconds: number; buildCached: boolean; peakRssMB: number };
  readonly rtl: SystemRtl;
}

export interface SystemRtlOptions {
  out: string;
  rtlDir?: string;
  /** The merged event of several system inputs (dsl/system.ts), else null. */
  merged: MergedInput | null;
  seed: number;
  validProb?: number;
  readyProb?: number;
  verbose?: boolean;
  log?: (s: string) => void;
  /** Per unit (stage order), the params it starts from (`--params`, sim/params.ts systemInitialParams); default: declared. */
  params?: readonly InitialParams[];
}

/** The Verilated top: status registers by `<unit>.<reg>`, each channel's DROPS register by `drops.<link>`. */
export function systemRtlExecutor(sys: SystemIR, o: SystemRtlOptions): { name: 'rtl'; run(s: StimulusFile): Promise<SystemRtlRun> } {
  const log = o.log ?? (() => {});
  return {
    name: 'rtl',
    async run(s: StimulusFile): Promise<SystemRtlRun> {
      const rtl = emitSystemVerilog(sys);
      let rtlDir: string;
      let files: string[];
      if (o.rtlDir) {
        rtlDir = path.resolve(o.rtlDir);
        files = givenSources(rtlDir, /\.s?v$/, 'Verilog', '--rtl-dir');
        requireTop(rtlDir, files, sys.top, 'module', (t) => new RegExp(`^\\s*module\\s+${t}\\b`, 'm'), log);
      } else {
        rtlDir = path.join(o.out, 'rtl');
        fs.rmSync(rtlDir, { recursive: true, force: true });
        fs.mkdirSync(rtlDir, { recursive: true });
        for (const [name, text] of rtl.files) fs.writeFileSync(path.join(rtlDir, name), text);
        files = [...rtl.files.keys()].sort();
      }
      const last = sys.units[sys.units.length - 1];
      const wire = wireOutput(last);
      const latency = systemLatency(sys);
      const backlog = sys.links.reduce((a, l) => a + l.channel.depth, 0);
      const design: RtlDesign = {
        rtlDir,
        top: sys.top,
        files,
        inBytes: s.record.bytes,
        ...(o.merged ? { inPorts: { portBits: o.merged.portBits, ports: o.merged.ports.map((p) => ({ name: p.name, lsb: p.lsb, width: p.record.width, bytes: p.record.bytes })) } } : {}),
        outBytes: wire.bytes,
        axilAddrBits: rtl.map.addrBits,
        outReady: last.flow === 'ready',
        beatBytes: last.packet?.beatBytes ?? 0,
        maxBeats: last.packet ? Math.ceil(packetCapacity(last.output, last.packet as unknown as PacketSpec) / last.packet.beatBytes) : 1,
        startupCycles: Math.max(0, ...sys.units.map((u) => u.schedule.sweepCycles)),
        taps: tapsOf(sys),
      };
      const build = await buildHarness(design, { log: o.verbose ? log : undefined });
      log(`verilator: ${build.cached ? 'cached build' : `built in ${build.seconds.toFixed(1)} s`}`);
      const dropWords = rtl.map.block.filter((w) => w.link !== undefined);
      // Every unit's status words, at its window (read after one SNAPSHOT per unit, so each unit's are from one edge).
      const statusReads = rtl.map.windows.flatMap((w) => statusWords(w.map).map((x) => w.base + x.word.offset));
      const res = await runHarnessFiles(build, design, {
        inputs: new Uint8Array(0),
        inputsFile: s.file,
        params: systemParamWrites(rtl.map, (m, k) => commitWrites(m, o.params?.[k]?.codes)),
        seed: o.seed,
        validProb: o.validProb,
        readyProb: o.readyProb,
        workDir: s.workDir,
        // The drain outlasts the pipeline and whatever the channels may still hold.
        drainCycles: Math.max(64, 2 * latency + 2 * backlog + 16),
        readAfter: [...dropWords.map((w) => w.offset), ...statusReads],
        snapshot: rtl.map.windows.filter((w) => statusWords(w.map).length).map((w) => w.base + stdReg(w.map, 'SNAPSHOT').offset),
      });
      log(`rtl: ${s.count} inputs, ${res.summary.outputs} outputs in ${res.cycles} cycles (${res.seconds.toFixed(2)} s)`);
      const taps = new Map<string, SystemRtlRun['taps'] extends ReadonlyMap<string, infer T> ? T : never>();
      design.taps!.forEach((t, k) => taps.set(t.name, { bytes: t.bytes, ...res.taps[k] }));
      const status = new Map<string, bigint>();
      dropWords.forEach((w, k) => status.set(`drops.${sys.links[w.link!].name}`, BigInt(res.readback[k] >>> 0)));
      let w = dropWords.length;
      for (const u of sys.units) {
        for (const r of u.regs) {
          if (!r.status) continue;
          let v = 0n;
          for (let j = 0; j < r.status.words; j++) v |= BigInt(res.readback[w++] >>> 0) << BigInt(32 * j);
          status.set(`${u.name}.${r.name}`, v);
        }
      }
      return {
        executor: 'rtl',
        files: res,
        outBytes: wire.bytes,
        taps,
        status,
        cycles: res.cycles,
        seconds: res.seconds,
        inStalls: res.inStalls,
        build: { dir: rtlDir, regenerated: !o.rtlDir, buildSeconds: build.seconds, buildCached: build.cached, peakRssMB: Math.round(res.maxRssKb / 1024) },
        rtl,
      };
    },
  };
}

/**
 * The composed model run chunk by chunk (SystemModel.run keeps every unit's state across calls), told the RTL's
 * timing facts streamed from its tap files: the cycle each unit took each record of its channel (`<link>:dst`), which
 * records a full FIFO dropped (`<link>:src`). SystemModel.run numbers a call's records from 0 on every channel; the
 * chunk's offsets (records already through each channel) turn them into the run's indices.
 */
export class ChunkedSystemModel {
  readonly model: SystemModel;
  private readonly accept: StampWindow[];
  private readonly drops: StampWindow[];
  /** Per unit: the latest cycle it was told it took a channel record (a unit with several inputs is checked on it). */
  readonly lastChainCycle: number[];

  constructor(
    system: System,
    readonly sys: SystemIR,
    rtl: SystemRtlRun,
    params?: readonly InitialParams[],
  ) {
    this.model = system.model();
    commitInitial(this.model, params);
    this.model.enableTaps();
    this.accept = sys.links.map((l) => new StampWindow(rtl.taps.get(`${l.name}:dst`)!.cycles, 8));
    this.drops = sys.links.map((l) => new StampWindow(rtl.taps.get(`${l.name}:src`)!.drops, 1));
    this.lastChainCycle = sys.units.map(() => -1);
  }

  /**
   * One chunk of system inputs (in input order) with the cycles they were taken: what the last unit emitted (`from`
   * the chunk's index), what entered every channel (dropped ones flagged) and what every unit took, with cycles.
   * Each unit's records of a channel are its next ones in the channel's order, so chunks only need to keep every
   * record a unit with several inputs took from outside after the channel records the previous chunks gave it
   * (the caller picks chunk ends so, and checks it with lastChainCycle).
   */
  run(inputs: readonly Record<string, unknown>[], cycles: Float64Array): {
    outputs: Array<{ from: number; rec: Record<string, unknown> }>;
    links: Array<readonly TapRecord[]>;
    unitInputs: Array<ReadonlyArray<{ input: number; value: Record<string, unknown>; cycle: number }>>;
  } {
    const m = this.model;
    // Records already delivered by (and entered into) each channel before this chunk.
    const delivered = this.sys.links.map((_, l) => m.entered[l] - m.drops[l]);
    const entered = [...m.entered];
    m.timing = {
      acceptCycle: (u, k, now) => {
        const i = delivered[u - 1] + k;
        if (i >= this.accept[u - 1].count) return now;
        const c = this.accept[u - 1].at(i);
        if (c > this.lastChainCycle[u]) this.lastChainCycle[u] = c;
        return c;
      },
      dropped: (l, k) => {
        const i = entered[l] + k;
        return i < this.drops[l].count && this.drops[l].at(i) === 1;
      },
    };
    const outputs = m.run(inputs, cycles);
    const links = this.sys.links.map((l) => m.tap(l.name));
    const unitInputs = this.sys.units.map((_, k) => m.unitInputs(k));
    return { outputs, links, unitInputs };
  }

  /** Forgets the chunk's taps (after the caller compared and wrote them) and the stamps behind it. */
  release(): void {
    const m = this.model;
    // The taps' arrays are the model's own: emptied in place, so the next chunk's start at 0.
    for (const l of this.sys.links) (m.tap(l.name) as TapRecord[]).length = 0;
    this.sys.units.forEach((_, k) => ((m.unitInputs(k) as unknown[]).length = 0));
    this.sys.links.forEach((_, l) => {
      this.accept[l].release(m.entered[l] - m.drops[l]);
      this.drops[l].release(m.entered[l]);
    });
  }

  /** Every unit's status registers (raw bits) by `<unit>.<reg>`, after the last chunk. */
  status(): Map<string, bigint> {
    const status = new Map<string, bigint>();
    this.sys.units.forEach((u, k) => {
      for (const r of u.regs) if (r.status) status.set(`${u.name}.${r.name}`, statusBits(r.spec.width, (this.model.models[k].state as Record<string, unknown>)[r.name]));
    });
    return status;
  }

  close(): void {
    for (const w of [...this.accept, ...this.drops]) w.close();
  }
}

/** Every unit's model starts from its initial params (one COMMIT before the first record, as the host's writes). */
export function commitInitial(model: ReturnType<System['model']>, params?: readonly InitialParams[]): void {
  params?.forEach((p, k) => {
    if (Object.keys(p.model).length) model.models[k].commit(p.model as never);
  });
}
