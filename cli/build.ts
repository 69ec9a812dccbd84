// `tickforge build`: design file -> <out>/rtl/*.v and <out>/report.json.
import fs from 'node:fs';
import path from 'node:path';
import { compile, formatDiagnostic } from '../codegen/index.ts';
import { describeSpec } from '../dsl/types.ts';
import { buildRtl } from '../rtl/index.ts';
import { buildHls, PART_RE, TARGETS } from '../hls/index.ts';
import { packInto } from '../dsl/record.ts';
import { type PacketSpec, wireRecords } from '../dsl/packet.ts';
import { wireOutput } from '../codegen/ir.ts';
import { loadDesign, stimulusRecords } from '../sim/design.ts';
import { hexOffset, regMapFiles, regMapOf } from '../regmap/index.ts';
import { BUNDLE_TARGETS, writeBundle } from '../package/index.ts';
import { resourceEstimate } from '../package/estimate.ts';
import { legalize } from '../codegen/names.ts';
import { type CheckResult, lintVerilog, syntaxCheckHls } from '../sim/check.ts';
import { removeOnExit, forgetDir } from '../sim/tools.ts';

/** Records in the HLS test bench's vectors (stimulus from the design's synthetic(), expected from the model). */
export const HLS_VECTORS = 10_000;

interface RecordLayout {
  record: string;
  bits: number;
  bytes: number;
  fields: Array<{ name: string; type: string; lsb: number; width: number }>;
}

export interface BuildReport {
  design: string;
  file: string;
  top: string;
  /** The clock the design is built for; every latency below holds at it. */
  clock: { mhz: number; periodNs: number; family: string; delayModel: string };
  pipelineLatencyCycles: number;
  /** pipelineLatencyCycles at the clock. */
  latencyNs: number;
  initiationInterval: number;
  /** Per pipeline stage: estimated delay under the delay model, its critical path (DSL lines), the state it updates. */
  stages: Array<{ stage: number; delayNs: number; slackNs: number; logicLevels: number; state: string[]; criticalPath: string[] }>;
  /** Tables as memories: kind, read mode, state stage, word width. */
  memories: Array<{ table: string; kind: string; read: string; stage: number; wordBits: number }>;
  /** Cycles after reset the input waits while tables are swept empty. */
  sweepCycles: number;
  /** Timing problems (only with --timing warn; by default they stop the build). */
  timingViolations: string[];
  input: RecordLayout;
  output: RecordLayout;
  /** 'ready' (AXI-Stream with TREADY) or 'strobe' (no TREADY; the input is never stalled). */
  outputFlow: 'ready' | 'strobe';
  /** A packet output: each output record leaves as beats of this shape (docs/semantics.md §10). */
  packet?: { beatBytes: number; length: string; capacityBytes: number; beat: RecordLayout };
  params: Array<{ name: string; type: string; width: number; offset: string; words: number; default: string; doc?: string }>;
  state: Array<{ name: string; type: string; reset: string; status?: { offset: string; words: number; doc?: string } }>;
  tables: Array<{ name: string; key: string; value: string; capacity: number }>;
  /** Hash of the DSL sources and compiler version; the BUILD_HASH register returns it (regmap/). */
  buildHash: string;
  /** The bitstream-source bundle written for the target (package/), if the target has one. */
  bundle: { target: string; dir: string; kind: string; part: string; estimates: string[] } | null;
  files: string[];
  hls: { target: string; part: string } | null;
  /** What `build` checked (Verilator lint, g++ syntax) and how long it took; not in report.json (timings). */
  checks: CheckResult[];
  seconds: number;
}

export interface BuildOptions {
  /** Clock in MHz (default 322.27). */
  clockMHz?: number;
  /** 'error' (default): a design that cannot meet the clock is rejected; 'warn': built anyway, violations reported. */
  timing?: 'error' | 'warn';
  target?: string;
  part?: string;
  /** Skip the HLS output (e.g. a design the HLS back end does not support yet). */
  noHls?: boolean;
  /** Run Yosys for a resource estimate of the target (package/estimate.ts; seconds to a minute). */
  resources?: boolean;
  /** Check the outputs with Verilator lint and g++ -fsyntax-only when the tools are present (default true). */
  check?: boolean;
}

export async function build(file: string, out: string, opts: BuildOptions = {}): Promise<BuildReport> {
  const t0 = performance.now();
  // Options first, before any work: the part lands unquoted in run_hls.tcl and the Makefile.
  if (opts.part !== undefined && !PART_RE.test(opts.part)) throw new Error(`--part ${JSON.stringify(opts.part)} is not a part name (letters, digits, '-', '_', '.')`);
  if (opts.clockMHz !== undefined && !(opts.clockMHz > 0 && opts.clockMHz <= 1000)) throw new Error(`--clock must be a frequency in (0, 1000] MHz, got ${String(opts.clockMHz)}`);
  const target = opts.target ?? 'alveo-u55c';
  if (!BUNDLE_TARGETS[target] && !TARGETS[target] && !opts.part) throw new Error(`unknown target ${target}; known: ${Object.keys(BUNDLE_TARGETS).join(', ')} (or give --part)`);
  const ir = compile(file, { timing: { clockMHz: opts.clockMHz, enforce: opts.timing !== 'warn' } });
  // Everything is written to a temporary folder inside <out>, checked, then renamed into place: a build that fails
  // at any step leaves the previous output as it was, never half of a new one.
  fs.mkdirSync(out, { recursive: true });
  const tmp = removeOnExit(fs.mkdtempSync(path.join(out, '.tickforge-build-')));
  try {
    const report = await buildInto(file, ir, tmp, target, opts, t0);
    // Into place: the old report first (so a crash in between leaves no report of a build that is not there), then
    // every folder and file the build wrote, then the new report.
    fs.rmSync(path.join(out, 'report.json'), { force: true });
    for (const f of fs.readdirSync(tmp).filter((x) => x !== 'report.json').sort()) {
      fs.rmSync(path.join(out, f), { recursive: true, force: true });
      fs.renameSync(path.join(tmp, f), path.join(out, f));
    }
    fs.renameSync(path.join(tmp, 'report.json'), path.join(out, 'report.json'));
    return report;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    forgetDir(tmp);
  }
}

async function buildInto(file: string, ir: ReturnType<typeof compile>, out: string, target: string, opts: BuildOptions, t0: number): Promise<BuildReport> {
  const sched = ir.schedule;
  const rtlDir = path.join(out, 'rtl');
  const rtl = buildRtl(ir, rtlDir);
  const map = regMapOf(ir);
  const regmapDir = path.join(out, 'regmap');
  fs.mkdirSync(regmapDir, { recursive: true });
  const regmapFiles = regMapFiles(map);
  for (const [f, text] of regmapFiles) fs.writeFileSync(path.join(regmapDir, f), text);
  const where = new Map([...map.windows[0].params, ...map.windows[0].status].map((r) => [r.name, r.offset]));
  let hlsFiles: string[] = [];
  let hls: BuildReport['hls'] = null;
  // The HLS route is AMD's: an Agilex target has none.
  if (!opts.noHls && BUNDLE_TARGETS[target]?.kind !== 'quartus') {
    if (!TARGETS[target] && !opts.part) throw new Error(`unknown target ${target}; known: ${Object.keys(TARGETS).join(', ')} (or give --part)`);
    hlsFiles = buildHls(ir, path.join(out, 'hls'), { target, part: opts.part, vectors: await modelVectors(file, ir) });
    hls = { target, part: opts.part ?? TARGETS[target].part };
  }
  const checks: CheckResult[] = [];
  if (opts.check !== false) {
    // Both at once: the lint and the C++ parse are independent, and each takes seconds on a large design.
    const lint = lintVerilog(ir.file, rtlDir, rtl.top);
    const cxx = hls ? syntaxCheckHls(ir.file, path.join(out, 'hls'), legalize(ir).name) : null;
    const settled = await Promise.allSettled([lint, ...(cxx ? [cxx] : [])]);
    for (const x of settled) if (x.status === 'rejected') throw x.reason;
    for (const x of settled) if (x.status === 'fulfilled') checks.push(x.value);
  }
  const layout = (r: typeof ir.input) => ({
    record: r.name,
    bits: r.width,
    bytes: r.bytes,
    fields: r.fields.map((f) => ({ name: f.name, type: describeSpec(f.spec), lsb: f.lsb, width: f.spec.width })),
  });
  const report: BuildReport = {
    design: ir.name,
    file: ir.file,
    top: rtl.top,
    clock: { mhz: sched.clockMHz, periodNs: round3(sched.periodNs), family: sched.family, delayModel: 'estimate: codegen/timing/data/' + sched.family + '.json (docs/delay-model.md)' },
    pipelineLatencyCycles: sched.latency,
    latencyNs: round3(sched.latency * sched.periodNs),
    initiationInterval: 1,
    stages: sched.stages.map((s) => ({
      stage: s.stage,
      delayNs: s.delayNs,
      slackNs: round3(sched.periodNs - s.delayNs),
      logicLevels: s.levels,
      state: s.state,
      criticalPath: s.critical.map((id) => ir.nodes[id]).filter((n, i, a) => i === 0 || a[i - 1].loc.line !== n.loc.line).map((n) => `${n.loc.file}:${n.loc.line}${n.label ? ` ${n.label}` : ''}`),
    })),
    memories: [...sched.memories].map(([table, m]) => ({ table, kind: m.kind, read: m.read, stage: m.stage, wordBits: m.wordBits })),
    sweepCycles: rtl.sweepCycles,
    timingViolations: sched.violations.map((v) => formatDiagnostic(v).replace(': error ', ': warning ')),
    input: layout(ir.input),
    output: layout(ir.output),
    outputFlow: ir.flow,
    ...(ir.packet ? { packet: { beatBytes: ir.packet.beatBytes, length: ir.packet.length, capacityBytes: ir.packet.capacity, beat: layout(ir.packet.beat) } } : {}),
    params: ir.params.map((p) => ({
      name: p.name,
      type: describeSpec(p.spec),
      width: p.spec.width,
      offset: hexOffset(where.get(p.name)!),
      words: p.words,
      default: p.init.toString(),
      doc: p.doc,
    })),
    state: ir.regs.map((r) => ({
      name: r.name,
      type: describeSpec(r.spec),
      reset: r.init.toString(),
      ...(r.status ? { status: { offset: hexOffset(where.get(r.name)!), words: r.status.words, doc: r.status.doc } } : {}),
    })),
    tables: ir.tables.map((t) => ({ name: t.name, key: describeSpec(t.key), value: describeSpec(t.value), capacity: t.capacity })),
    buildHash: map.buildHash,
    bundle: null,
    files: [...[...rtl.files.keys()].map((f) => `rtl/${f}`), ...hlsFiles.map((f) => `hls/${f}`), ...[...regmapFiles.keys()].map((f) => `regmap/${f}`)],
    hls,
    checks,
    seconds: 0,
  };
  const bt = BUNDLE_TARGETS[target];
  if (bt) {
    const estimates = [
      `pipeline: ${sched.stages.length} stage(s), latency ${sched.latency} cycles = ${round3(sched.latency * sched.periodNs)} ns at ${sched.clockMHz} MHz, II 1`,
      `worst stage: ${Math.max(...sched.stages.map((s) => s.delayNs)).toFixed(3)} ns of ${round3(sched.periodNs)} ns (stage delays in report.json "stages")`,
      ...(bt.kind === 'quartus' ? ['Agilex: no open timing model exists; these are UltraScale+ delay-model figures, a proxy'] : []),
    ];
    if (opts.resources) estimates.push(resourceEstimate(rtlDir, rtl.top, bt.kind) ?? 'resources: Yosys not found (scripts/setup.sh installs it)');
    const dir = path.join(out, 'bundle', target);
    const written = writeBundle({ ir, target, map, rtl: rtl.files, hlsDir: hls ? path.join(out, 'hls') : undefined, clockMHz: sched.clockMHz, periodNs: sched.periodNs, estimate: estimates }, dir);
    report.files.push(...written.filter((f) => !f.startsWith('hls/vectors/')).map((f) => `bundle/${target}/${f}`));
    report.bundle = { target, dir: `bundle/${target}`, kind: bt.kind, part: bt.part, estimates };
  }
  report.seconds = (performance.now() - t0) / 1000;
  const { seconds: _s, checks: _c, ...stable } = report; // report.json is deterministic: no timings in it
  void _s;
  void _c;
  fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify(stable, null, 2) + '\n');
  return report;
}

/** Test vectors for the HLS C-simulation: the design's own stimulus, one record every third cycle, run through the model. */
async function modelVectors(file: string, ir: ReturnType<typeof compile>) {
  const design = await loadDesign(file);
  const records = stimulusRecords(design, ir.input, `synthetic:${HLS_VECTORS}`, 1);
  const n = records.length;
  const inputs = new Uint8Array(n * ir.input.bytes);
  const now = new BigUint64Array(n);
  const expected: number[] = [];
  const model = design.unit.model();
  const wire = wireOutput(ir);
  const rec = new Uint8Array(wire.bytes);
  for (let i = 0; i < n; i++) {
    packInto(ir.input, records[i], inputs, i * ir.input.bytes);
    now[i] = BigInt(3 * i);
    const o = model.stepAll(records[i] as never, 3 * i) as readonly Record<string, unknown>[];
    for (const w of wireRecords(ir.output, ir.packet as PacketSpec | null, o)) {
      packInto(wire, w, rec, 0);
      expected.push(...rec);
    }
  }
  return { inputs, now, expected: Uint8Array.from(expected), params: {} };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
