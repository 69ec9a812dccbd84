// The simulated card: a build directory's Verilated RTL compiled into the daemon of daemon.cpp.hbs (cached by
// content hash, like the cosim harness, but its own template and cache folder: the cosim harness is a batch run,
// this is a server), then started on an explicit Unix socket with the design's stimulus as its input feed.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Handlebars from 'handlebars';
import { compile } from '../../codegen/index.ts';
import { wireOutput, type UnitIR } from '../../codegen/ir.ts';
import { legalize } from '../../codegen/names.ts';
import { packInto } from '../../dsl/record.ts';
import { loadDesign, stimulusRecords } from '../../sim/design.ts';
import { Diagnostics } from '../../sim/stimulus/errors.ts';
import { verilatorCommand, verilatorVersion } from '../../sim/tools.ts';
import { ContentKey, cacheRoot, dropEntry, endWithParent, newEntry, publishEntry, runChild, usableEntry } from '../../sim/runner.ts';
import { loadBuild, type BuildInfo } from '../build.ts';

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
}


/** The design as compiled for the build (its IR gives the port widths); the build hash must agree with the map. */
export function designOf(b: BuildInfo): UnitIR {
  const ir = compile(b.designFile, { timing: { enforce: false } });
  return ir;
}

/** Compiles (or finds in the cache) the daemon for a build's RTL. */
export async function buildSimCard(b: BuildInfo, ir: UnitIR, log?: (s: string) => void): Promise<{ exe: string; cached: boolean }> {
  if (ir.packet) throw new Error(`${ir.name}: the sim card takes designs whose output is one record per handshake; packet outputs (tkeep/tlast) are not supported yet`);
  const rtlDir = path.join(b.dir, 'rtl');
  const files = fs.readdirSync(rtlDir).filter((f) => f.endsWith('.v')).sort();
  if (!files.length) throw new Error(`${rtlDir}: no Verilog files (run tickforge build first)`);
  const src = Handlebars.compile(fs.readFileSync(templatePath, 'utf8'), { noEscape: true, strict: true })({
    top: legalize(ir).name,
    inBytes: ir.input.bytes,
    outBytes: wireOutput(ir).bytes,
    axilAddrBits: b.map.addrBits,
    outReady: ir.flow !== 'strobe',
    periodPs: Math.round(1e6 / b.clockMHz),
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
      [cmd, '--cc', '--exe', '-O3', '--x-assign', 'fast', '--x-initial', 'fast', '-Wno-fatal', '--top-module', legalize(ir).name, '--prefix', 'Vdut', '-Mdir', obj, '-o', EXE, '-CFLAGS', '-std=c++17', `-I${path.join(tmp, 'rtl')}`, path.join(tmp, 'simcard.cpp'), ...files.map((f) => path.join(tmp, 'rtl', f))],
      ['make', '-C', obj, '-f', 'Vdut.mk', '-j', String(Math.max(1, os.availableParallelism())), 'OPT_FAST=-O1', 'VM_PARALLEL_BUILDS=0', 'PYTHON3=python3', 'CFG_CXXFLAGS_PCH_I=-include'],
    ];
    log?.(`sim card: building the daemon for ${ir.name} with Verilator`);
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
  const bytes = new Uint8Array(records.length * ir.input.bytes);
  records.forEach((r, i) => packInto(ir.input, r, bytes, i * ir.input.bytes));
  return { bytes, count: records.length };
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
  const b = loadBuild(o.build, o.designFile);
  const ir = designOf(b);
  if (ir.inputs) throw new Error(`${b.dir}: ${ir.name} has several inputs (${ir.inputs.ports.map((p) => p.name).join(', ')}); the sim card replays one input stream so far`);
  if (b.map.buildHash !== (ir.buildHash ?? b.map.buildHash)) throw new Error(`${b.dir}: built from other sources (build hash ${b.map.buildHash}, ${b.designFile} now ${ir.buildHash}); rebuild it`);
  const socket = path.resolve(o.socket);
  if (fs.existsSync(socket)) throw new Error(`${socket} exists: give a path that does not (a stale socket is yours to remove)`);
  const { exe, cached } = await buildSimCard(b, ir, o.log);
  o.log?.(`sim card: daemon ${cached ? 'cached' : 'built'} (${exe})`);
  const stem = socket.replace(/\.sock$/, '');
  const pcap = path.resolve(o.pcap ?? `${stem}.pcap`);
  const journal = path.resolve(o.journal ?? `${stem}.journal`);
  const inputs = `${stem}.inputs`;
  const { bytes, count } = await packStimulus(b, ir, o.input, o.seed ?? 1);
  fs.writeFileSync(inputs, bytes);
  o.log?.(`sim card: ${count} ${ir.input.name} records from ${o.input} (seed ${o.seed ?? 1}), one every ${o.gap ?? 1} cycles after the last was taken`);
  const info = JSON.stringify({ build: b.dir, designFile: b.designFile, design: ir.name, buildHash: b.map.buildHash, input: o.input, seed: o.seed ?? 1, pcap, journal });
  const args = ['--socket', socket, '--inputs', inputs, '--pcap', pcap, '--journal', journal, '--gap', String(o.gap ?? 1), '--cycles-per-ms', String(o.cyclesPerMs ?? 1000), '--info', info];
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
