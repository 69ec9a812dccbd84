// A system's executors (sim/executor.ts): the Verilated top with taps on both sides of every channel, and the
// composed model told the RTL's timing facts (the cycle each unit took each record, which records a full FIFO
// dropped), as a unit's model is told `now`. Each unit's HLS kernel runs as a unit executor (./hls.ts) on exactly
// what the model says that unit took.
import fs from 'node:fs';
import path from 'node:path';
import { type RecordSpec, packInto } from '../../dsl/record.ts';
import type { MergedInput } from '../../dsl/inputs.ts';
import type { System, Timing } from '../../dsl/system.ts';
import { type PacketSpec, wireRecords, packetCapacity } from '../../dsl/packet.ts';
import { wireOutput } from '../../codegen/ir.ts';
import { type SystemIR, systemLatency } from '../../codegen/system.ts';
import { type SystemRtl, emitSystemVerilog } from '../../rtl/system.ts';
import { commitWrites, statusWords, stdReg, systemParamWrites } from '../../regmap/index.ts';
import { givenSources, requireTop } from '../check.ts';
import { type RtlDesign, type TapSpec, buildHarness, runHarness } from '../verilator/index.ts';
import { progress } from '../../report/progress.ts';
import { type Executor, type ExecutorRun, type Stimulus, type Tap, statusBits } from '../executor.ts';
import type { ModelRun } from './model.ts';
import type { RtlRun } from './rtl.ts';
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

export interface SystemRtlRun extends RtlRun {
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
export function systemRtlExecutor(sys: SystemIR, o: SystemRtlOptions): Executor<SystemRtlRun> {
  const log = o.log ?? (() => {});
  return {
    name: 'rtl',
    async run(s: Stimulus): Promise<SystemRtlRun> {
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
      const args = {
        inputs: s.packed,
        params: systemParamWrites(rtl.map, (m, k) => commitWrites(m, o.params?.[k]?.codes)),
        seed: o.seed,
        validProb: o.validProb,
        readyProb: o.readyProb,
        workDir: s.workDir,
        // The drain outlasts the pipeline and whatever the channels may still hold.
        drainCycles: Math.max(64, 2 * latency + 2 * backlog + 16),
        readAfter: [...dropWords.map((w) => w.offset), ...statusReads],
        snapshot: rtl.map.windows.filter((w) => statusWords(w.map).length).map((w) => w.base + stdReg(w.map, 'SNAPSHOT').offset),
      };
      const res = await runHarness(build, design, args);
      log(`rtl: ${s.records.length} inputs, ${res.outputs.length / wire.bytes} outputs in ${res.cycles} cycles (${res.seconds.toFixed(2)} s)`);
      const taps = new Map<string, Tap>();
      design.taps!.forEach((t, k) => taps.set(t.name, { bytes: t.bytes, data: res.taps[k].data, cycles: res.taps[k].cycles, drops: res.taps[k].drops }));
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
        outputs: res.outputs,
        outBytes: wire.bytes,
        inCycles: res.inCycles,
        outCycles: res.outCycles,
        taps,
        status,
        updates: [],
        cycles: res.cycles,
        seconds: res.seconds,
        inStalls: res.inStalls,
        build: { dir: rtlDir, regenerated: !o.rtlDir, buildSeconds: build.seconds, buildCached: build.cached },
        rtl,
        async waveform(file: string, around: number): Promise<boolean> {
          const traced = await runHarness(build, design, { ...args, trace: { path: file, from: Math.max(0, around - 200), to: around + 20 } }, { log: o.verbose ? log : undefined });
          return Buffer.from(traced.outputs).equals(Buffer.from(res.outputs));
        },
      };
    },
  };
}

/** The timing facts of an RTL run of the system, as the composed model takes them (dsl/system.ts Timing). */
export function rtlTiming(sys: SystemIR, rtl: ExecutorRun): Timing {
  const src = (l: number) => rtl.taps.get(`${sys.links[l].name}:src`)!;
  const dst = (l: number) => rtl.taps.get(`${sys.links[l].name}:dst`)!;
  return {
    acceptCycle: (u, k, now) => {
      const c = u === 0 ? rtl.inCycles : dst(u - 1).cycles!;
      return k < c.length ? Number(c[k]) : now;
    },
    dropped: (l, k) => k < src(l).drops!.length && src(l).drops![k] === 1,
  };
}

export interface SystemModelRun extends ModelRun {
  /** The composed model after the run: its taps, what each unit took, each unit's model. */
  readonly system: ReturnType<System['model']>;
}

/**
 * The composed model, unit after unit over the whole run (SystemModel.run): a unit with several inputs takes its
 * records in the order `timing` says (the RTL's arbiter). Taps: `<link>` (every record that entered the channel,
 * dropped ones included, flagged in `drops`). Status registers by `<unit>.<reg>`.
 */
export function systemModelExecutor(system: System, sys: SystemIR, timing: Timing = {}, params?: readonly InitialParams[]): Executor<SystemModelRun> {
  return {
    name: 'model',
    async run(s: Stimulus): Promise<SystemModelRun> {
      const t0 = performance.now();
      const last = sys.units[sys.units.length - 1];
      const wire = wireOutput(last);
      const model = system.model();
      commitInitial(model, params);
      model.enableTaps();
      model.timing = timing;
      const from: number[] = [];
      const firstBeat: boolean[] = [];
      let buf = new Uint8Array(Math.max(1, s.records.length) * wire.bytes);
      const seen = new Set<number>();
      const bar = progress(`${sys.name}: composed model, units run`, sys.units.length);
      const outs = model.run(s.records, s.cycles, () => bar.tick());
      bar.done();
      for (const out of outs) {
        wireRecords(last.output, last.packet as PacketSpec | null, out.rec).forEach((w) => {
          if ((from.length + 1) * wire.bytes > buf.length) {
            const g = new Uint8Array(buf.length * 2);
            g.set(buf);
            buf = g;
          }
          packInto(wire, w, buf, from.length * wire.bytes);
          from.push(out.from);
          firstBeat.push(!seen.has(out.from));
          seen.add(out.from);
        });
      }
      const taps = new Map<string, Tap>();
      for (const l of sys.links) {
        const t = model.tap(l.name);
        const data = new Uint8Array(t.length * l.record.bytes);
        t.forEach((x, i) => packInto(l.record as RecordSpec, x.value, data, i * l.record.bytes));
        taps.set(l.name, { bytes: l.record.bytes, data, drops: Uint8Array.from(t, (x) => (x.dropped ? 1 : 0)) });
      }
      const status = new Map<string, bigint>();
      sys.units.forEach((u, k) => {
        for (const r of u.regs) if (r.status) status.set(`${u.name}.${r.name}`, statusBits(r.spec.width, (model.models[k].state as Record<string, unknown>)[r.name]));
      });
      return {
        executor: 'model',
        outputs: buf.subarray(0, from.length * wire.bytes),
        outBytes: wire.bytes,
        inCycles: s.cycles ?? new BigUint64Array(0),
        outCycles: null,
        taps,
        status,
        updates: [],
        cycles: null,
        seconds: (performance.now() - t0) / 1000,
        from,
        firstBeat,
        model: model.models[sys.units.length - 1],
        system: model,
      };
    },
  };
}

/** Every unit's model starts from its initial params (one COMMIT before the first record, as the host's writes). */
export function commitInitial(model: ReturnType<System['model']>, params?: readonly InitialParams[]): void {
  params?.forEach((p, k) => {
    if (Object.keys(p.model).length) model.models[k].commit(p.model as never);
  });
}
