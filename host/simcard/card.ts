// The simulated card: a build directory's Verilated RTL compiled into the daemon of daemon.cpp.hbs (cached by
// content hash, like the cosim harness, but its own template and cache folder: the cosim harness is a batch run,
// this is a server), then started on an explicit Unix socket with the design's stimulus as its input feed. A
// unit's build and a system's build (its top: the first unit's input, the last unit's output, one AXI-Lite
// aperture for the system block and every unit's window) give the same daemon its ports' shape (CardTop).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Handlebars from 'handlebars';
import { compile } from '../../codegen/index.ts';
import { wireOutput, type UnitIR } from '../../codegen/ir.ts';
import { legalize } from '../../codegen/names.ts';
import { packInto } from '../../dsl/record.ts';
import { loadDesign, loadSystem, stimulusRecords } from '../../sim/design.ts';
import { compileSystem, type SystemIR } from '../../codegen/system.ts';
import { systemStimulus } from '../../sim/hls-system.ts';
import type { RecordSpec } from '../../dsl/record.ts';
import type { MergedInput } from '../../dsl/inputs.ts';
import { Diagnostics } from '../../sim/stimulus/errors.ts';
import { verilatorCommand, verilatorVersion } from '../../sim/tools.ts';
import { ContentKey, cacheRoot, dropEntry, endWithParent, newEntry, publishEntry, runChild, usableEntry } from '../../sim/runner.ts';
import { isSystemBuild, loadBuild, loadSystemBuild, type BuildInfo } from '../build.ts';

const templatePath = new URL('./daemon.cpp.hbs', import.meta.url);
const EXE = 'Vsimcard';

export interface SimCardOptions {
  /** The build directory (`tickforge build --out`). */
  build: string;
  /** Unix socket path; must not exist. */
  socket: string;
  /** Stimulus: `synthetic:<N>` or a file the design's `stimulus` reads. */
  input: string;
  seed?: number;
  /** Cycles from one record's handshake to the next record's offer (1 = back to back). */
  gap?: number;
  /** Simulated cycles per millisecond of wall time. */
  cyclesPerMs?: number;
  /** Output pcap and journal; default next to the socket. */
  pcap?: string;
  journal?: string;
  log?: (s: string) => void;
  /** The design file, when the build's report.json path (relative to where it was built) does not resolve. */
  designFile?: string;
  /** Offer no record until a `FEED` request (the host loads params and memories first); default: feed from reset. */
  holdFeed?: boolean;
}

/** What the daemon needs of a Verilog top: its module, the stream ports' bytes, the AXI-Lite aperture, the clock. */
export interface CardTop {
  /** The design's or system's name. */
  name: string;
  module: string;
  rtlDir: string;
  inBytes: number;
  outBytes: number;
  /** m_axis_tready exists (the last unit is not a strobe producer). */
  outReady: boolean;
  axilAddrBits: number;
  periodPs: number;
  /** A packet output: bytes of a beat's tdata (the output record is then { data, keep, last }); 0 otherwise. */
  beatBytes: number;
  /** Several inputs (a system's): the merged event's port bits and each input's slice of it. */
  inPorts?: { portBits: number; ports: Array<{ name: string; lsb: number; width: number; bytes: number }> };
}

/** A unit build's top. */
export function unitTop(b: BuildInfo, ir: UnitIR): CardTop {
  if (ir.packet) throw new Error(`${ir.name}: the sim card takes designs whose output is one record per handshake; packet outputs (tkeep/tlast) are not supported yet`);
  return { name: ir.name, module: legalize(ir).name, rtlDir: path.join(b.dir, 'rtl'), inBytes: ir.input.bytes, outBytes: wireOutput(ir).bytes, outReady: ir.flow !== 'strobe', axilAddrBits: b.map.addrBits, periodPs: Math.round(1e6 / b.clockMHz), beatBytes: 0 };
}

/**
 * A system build's top: its input (the first unit's, or the merged event of several system inputs, each record
 * offered on its own input in the file's order), the last unit's output (a packet's beats as { data, keep, last }).
 */
export function systemTop(dir: string, sys: SystemIR, merged: MergedInput | null, addrBits: number, clockMHz: number): CardTop {
  const last = sys.units[sys.units.length - 1];
  return {
    name: sys.name, module: sys.top, rtlDir: path.join(dir, 'rtl'), inBytes: (merged?.record ?? sys.units[0].input).bytes, outBytes: wireOutput(last).bytes, outReady: last.flow !== 'strobe', axilAddrBits: addrBits, periodPs: Math.round(1e6 / clockMHz),
    beatBytes: last.packet?.beatBytes ?? 0,
    ...(merged ? { inPorts: { portBits: merged.portBits, ports: merged.ports.map((p) => ({ name: p.name, lsb: p.lsb, width: p.record.width, bytes: p.record.bytes })) } } : {}),
  };
}


/** The design as compiled for the build (its IR gives the port widths); the build hash must agree with the map. */
export function designOf(b: BuildInfo): UnitIR {
  const ir = compile(b.designFile, { timing: { enforce: false } });
  return ir;
}

/** Compiles (or finds in the cache) the daemon for a build's RTL top. */
export async function buildSimCard(top: CardTop, log?: (s: string) => void): Promise<{ exe: string; cached: boolean }> {
  const rtlDir = top.rtlDir;
  const files = fs.readdirSync(rtlDir).filter((f) => f.endsWith('.v')).sort();
  if (!files.length) throw new Error(`${rtlDir}: no Verilog files (run tickforge build first)`);
  const src = Handlebars.compile(fs.readFileSync(templatePath, 'utf8'), { noEscape: true, strict: true })({
    top: top.module,
    inBytes: top.inBytes,
    outBytes: top.outBytes,
    axilAddrBits: top.axilAddrBits,
    outReady: top.outReady,
    periodPs: top.periodPs,
    beatBytes: top.beatBytes,
    inPorts: top.inPorts?.ports ?? [],
    portBits: top.inPorts?.portBits ?? 0,
  });
  const k = new ContentKey().field(verilatorVersion()).field(src);
  for (const f of files) k.field(f).file(path.join(rtlDir, f));
  const key = k.digest();
  const root = cacheRoot('simcard');
  const dir = path.join(root, key);
  const exe = path.join(dir, 'obj', EXE);
  if (usableEntry(dir, [path.join('obj', EXE)], 'sim card')) return { exe, cached: true };
  const tmp = newEntry(root, key);
  try {
    fs.mkdirSync(path.join(tmp, 'rtl'), { recursive: true });
    for (const f of files) fs.copyFileSync(path.join(rtlDir, f), path.join(tmp, 'rtl', f));
    fs.writeFileSync(path.join(tmp, 'simcard.cpp'), src);
    const { cmd, env } = verilatorCommand();
    const obj = path.join(tmp, 'obj');
    const steps: string[][] = [
      [cmd, '--cc', '--exe', '-O3', '--x-assign', 'fast', '--x-initial', 'fast', '-Wno-fatal', '--top-module', top.module, '--prefix', 'Vdut', '-Mdir', obj, '-o', EXE, '-CFLAGS', '-std=c++17', `-I${path.join(tmp, 'rtl')}`, path.join(tmp, 'simcard.cpp'), ...files.map((f) => path.join(tmp, 'rtl', f))],
      ['make', '-C', obj, '-f', 'Vdut.mk', '-j', String(Math.max(1, os.availableParallelism())), 'OPT_FAST=-O1', 'VM_PARALLEL_BUILDS=0', 'PYTHON3=python3', 'CFG_CXXFLAGS_PCH_I=-include'],
    ];
    log?.(`sim card: building the daemon for ${top.name} with Verilator`);
    for (const [c, ...args] of steps) {
      const r = await runChild(c, args, tmp, env);
      if (r.status !== 0) throw new Error(`sim card build failed: ${c} ${args.slice(0, 3).join(' ')} ...\n${r.output.slice(-3000)}`);
    }
  } catch (e) {
    dropEntry(tmp);
    throw e;
  }
  publishEntry(tmp, dir, ['obj/' + EXE]);
  return { exe, cached: false };
}

/** The design's input records for `input`, packed as the RTL takes them. */
export async function packStimulus(b: BuildInfo, ir: UnitIR, input: string, seed: number): Promise<{ bytes: Uint8Array; count: number }> {
  const design = await loadDesign(b.designFile);
  const diag = new Diagnostics();
  const records = stimulusRecords(design, ir.input, input, seed, diag);
  if (diag.total) throw new Error(`the stimulus reader reported ${diag.total} error(s) in ${input}`);
  return pack(ir.input, records);
}

function pack(rec: RecordSpec, records: ReadonlyArray<Record<string, unknown>>): { bytes: Uint8Array; count: number } {
  const bytes = new Uint8Array(records.length * rec.bytes);
  records.forEach((r, i) => packInto(rec, r, bytes, i * rec.bytes));
  return { bytes, count: records.length };
}

/** A system's input records for `input` (its file's stimulus, as `tickforge cosim <system>` reads it), packed. */
export async function packSystemStimulus(file: string, sys: SystemIR, input: string, seed: number): Promise<{ bytes: Uint8Array; count: number }> {
  const { system, design } = await loadSystem(file);
  const diag = new Diagnostics();
  const records = systemStimulus(system, design, sys, input, seed, diag);
  if (diag.total) throw new Error(`the stimulus reader reported ${diag.total} error(s) in ${input}`);
  return pack(system.merged?.record ?? sys.units[0].input, records);
}

export interface RunningCard {
  child: ChildProcess;
  socket: string;
  pcap: string;
  journal: string;
  inputs: string;
  /** Resolves with the exit code when the daemon ends. */
  exited: Promise<number | null>;
}

/** Builds and starts the sim card; resolves once its socket is listening. */
export async function startSimCard(o: SimCardOptions): Promise<RunningCard> {
  let top: CardTop;
  let stimulus: (input: string, seed: number) => Promise<{ bytes: Uint8Array; count: number }>;
  let b: { dir: string; designFile: string; buildHash: string };
  if (isSystemBuild(o.build)) {
    const sb = loadSystemBuild(o.build, o.designFile);
    const sys = compileSystem(sb.designFile, { timing: { enforce: false } });
    if (sb.system.buildHash !== sys.buildHash) throw new Error(`${sb.dir}: built from other sources (build hash ${sb.system.buildHash}, ${sb.designFile} now ${sys.buildHash}); rebuild it`);
    const { system } = await loadSystem(sb.designFile);
    top = systemTop(sb.dir, sys, system.merged, sb.system.addrBits, sb.clockMHz);
    stimulus = (input, seed) => packSystemStimulus(sb.designFile, sys, input, seed);
    b = { dir: sb.dir, designFile: sb.designFile, buildHash: sb.system.buildHash };
  } else {
    const ub = loadBuild(o.build, o.designFile);
    const ir = designOf(ub);
    if (ir.inputs) throw new Error(`${ub.dir}: ${ir.name} has several inputs (${ir.inputs.ports.map((p) => p.name).join(', ')}); the sim card replays one input stream so far`);
    if (ub.map.buildHash !== (ir.buildHash ?? ub.map.buildHash)) throw new Error(`${ub.dir}: built from other sources (build hash ${ub.map.buildHash}, ${ub.designFile} now ${ir.buildHash}); rebuild it`);
    top = unitTop(ub, ir);
    stimulus = (input, seed) => packStimulus(ub, ir, input, seed);
    b = { dir: ub.dir, designFile: ub.designFile, buildHash: ub.map.buildHash };
  }
  const socket = path.resolve(o.socket);
  if (fs.existsSync(socket)) throw new Error(`${socket} exists: give a path that does not (a stale socket is yours to remove)`);
  const { exe, cached } = await buildSimCard(top, o.log);
  o.log?.(`sim card: daemon ${cached ? 'cached' : 'built'} (${exe})`);
  const stem = socket.replace(/\.sock$/, '');
  const pcap = path.resolve(o.pcap ?? `${stem}.pcap`);
  const journal = path.resolve(o.journal ?? `${stem}.journal`);
  const inputs = `${stem}.inputs`;
  const { bytes, count } = await stimulus(o.input, o.seed ?? 1);
  fs.writeFileSync(inputs, bytes);
  o.log?.(`sim card: ${count} input records of ${top.name} from ${o.input} (seed ${o.seed ?? 1}), one every ${o.gap ?? 1} cycles after the last was taken${o.holdFeed ? ', from the first FEED request' : ''}`);
  const info = JSON.stringify({ build: b.dir, designFile: b.designFile, design: top.name, buildHash: b.buildHash, input: o.input, seed: o.seed ?? 1, pcap, journal });
  const args = ['--socket', socket, '--inputs', inputs, '--pcap', pcap, '--journal', journal, '--gap', String(o.gap ?? 1), '--cycles-per-ms', String(o.cyclesPerMs ?? 1000), '--hold-feed', o.holdFeed ? '1' : '0', '--info', info];
  const child = endWithParent(spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY ')) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the sim card exited (${code}) before listening: ${err.trim()}`)));
  });
  return { child, socket, pcap, journal, inputs, exited };
}
