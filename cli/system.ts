// `tickforge build` and `tickforge cosim` of a system file (docs/systems.md): the unit commands dispatch here when
// the file's default export is `system({...})`.
import fs from 'node:fs';
import path from 'node:path';
import { compileSystem, systemLatency } from '../codegen/system.ts';
import { emitSystemVerilog } from '../rtl/system.ts';
import { regMapFiles } from '../regmap/index.ts';
import { lintVerilog, syntaxCheckHls, type CheckResult } from '../sim/check.ts';
import { buildSystemHls, streamDepth } from '../hls/system.ts';
import { TARGETS } from '../hls/index.ts';
import { BUNDLE_TARGETS } from '../package/index.ts';
import { systemCsimVectors, systemStimulus } from '../sim/hls-system.ts';
import { loadSystem } from '../sim/system.ts';
import { cosimSystem } from '../sim/system.ts';
import { forgetDir, removeOnExit } from '../sim/tools.ts';

export interface SystemBuildReport {
  kind: 'system';
  design: string;
  file: string;
  buildHash: string;
  clockMHz: number;
  /** Input handshake to first output beat without back-pressure. */
  pipelineLatencyCycles: number;
  latencyNs: number;
  units: Array<{ name: string; file: string; latencyCycles: number; sweepCycles: number; worstStageNs: number; buildHash: string | undefined }>;
  channels: Array<{ name: string; kind: string; depth: number; record: string; bits: number }>;
  addressMap: { addrBits: number; windowBits: number; windows: Array<{ unit: string; base: string }> };
  /** The Vitis HLS top (hls/system.ts), null with --no-hls. */
  hls: null | { top: string; target: string; part: string; streams: Array<{ name: string; depth: number }>; vectors: number };
  /** Why there is no HLS top though one was asked for. */
  hlsSkipped?: string;
  files: string[];
  checks: CheckResult[];
  seconds: number;
}

/** Records of the composed model written as `<out>/hls/vectors/` for the system's `make csim`. */
export const SYSTEM_HLS_VECTORS = 2_000;

/**
 * Writes `<out>/rtl/` (the top, its channels, every unit), `<out>/regmap/` (system.json and each unit's map) and,
 * unless `hls` is false, `<out>/hls/` (the DATAFLOW top, every unit's kernel, the C-sim test bench with the composed
 * model's vectors, Makefile, run_hls.tcl).
 */
export async function buildSystem(file: string, out: string, opts: { clockMHz?: number; timing?: 'error' | 'warn'; check?: boolean; hls?: boolean; target?: string; part?: string } = {}): Promise<SystemBuildReport> {
  const t0 = performance.now();
  const sys = compileSystem(file, { timing: { clockMHz: opts.clockMHz, enforce: opts.timing !== 'warn' } });
  const rtl = emitSystemVerilog(sys);
  fs.mkdirSync(out, { recursive: true });
  // Through a temporary folder, as a unit's build: a failed build leaves the previous output whole.
  const tmp = removeOnExit(fs.mkdtempSync(path.join(out, '.tickforge-build-')));
  try {
    const files: string[] = [];
    fs.mkdirSync(path.join(tmp, 'rtl'));
    for (const [name, text] of rtl.files) {
      fs.writeFileSync(path.join(tmp, 'rtl', name), text);
      files.push(`rtl/${name}`);
    }
    fs.mkdirSync(path.join(tmp, 'regmap'));
    fs.writeFileSync(path.join(tmp, 'regmap', 'system.json'), JSON.stringify(rtl.map, null, 2) + '\n');
    files.push('regmap/system.json');
    for (const w of rtl.map.windows) {
      fs.mkdirSync(path.join(tmp, 'regmap', w.unit));
      for (const [f, text] of regMapFiles(w.map)) {
        fs.writeFileSync(path.join(tmp, 'regmap', w.unit, f), text);
        files.push(`regmap/${w.unit}/${f}`);
      }
    }
    let hls: SystemBuildReport['hls'] = null;
    let hlsSources: string[] = [];
    const target = opts.target ?? 'alveo-u55c';
    // The HLS route is AMD's: an Agilex target has none (as for a unit).
    const hlsSkipped: string | undefined = undefined;
    if (opts.hls !== false && !hlsSkipped && BUNDLE_TARGETS[target]?.kind !== 'quartus') {
      const part = opts.part ?? TARGETS[target]?.part;
      if (!part) throw new Error(`unknown HLS target ${target}; known: ${Object.keys(TARGETS).join(', ')} (or give --part, or --no-hls)`);
      // make csim's vectors: the composed model run as the C-simulation runs the top (sim/hls-system.ts).
      const { system, design } = await loadSystem(file);
      const records = systemStimulus(system, design, sys, `synthetic:${SYSTEM_HLS_VECTORS}`, 1);
      const v = systemCsimVectors(system, sys, records);
      const dir = path.join(tmp, 'hls');
      for (const f of buildSystemHls(sys, dir, { target, part, vectors: v })) files.push(`hls/${f}`);
      files.push('hls/vectors/inputs.bin', 'hls/vectors/expected.bin');
      hlsSources = [`${sys.top}.cpp`, ...fs.readdirSync(dir).filter((f) => f.endsWith('.cpp') && f !== 'tb.cpp' && f !== `${sys.top}.cpp`).sort()];
      hls = { top: sys.top, target, part, streams: sys.links.map((l) => ({ name: l.name, depth: streamDepth(l.channel) })), vectors: records.length };
    }
    const checks: CheckResult[] = [];
    if (opts.check !== false) {
      // Both at once, as a unit's build: the lint and the C++ parse are independent.
      const settled = await Promise.allSettled([lintVerilog(file, path.join(tmp, 'rtl'), sys.top), ...(hls ? [syntaxCheckHls(file, path.join(tmp, 'hls'), sys.top, hlsSources)] : [])]);
      for (const x of settled) if (x.status === 'rejected') throw x.reason;
      for (const x of settled) if (x.status === 'fulfilled') checks.push(x.value);
    }
    const clockMHz = sys.units[0].schedule.clockMHz;
    const lat = systemLatency(sys);
    const report: SystemBuildReport = {
      kind: 'system',
      ...(hlsSkipped ? { hlsSkipped } : {}),
      design: sys.name,
      file: sys.file,
      buildHash: sys.buildHash,
      clockMHz,
      pipelineLatencyCycles: lat,
      latencyNs: (lat * 1000) / clockMHz,
      units: sys.units.map((u, k) => ({
        name: u.name,
        file: path.relative(process.cwd(), sys.unitFiles[k]),
        latencyCycles: u.schedule.latency,
        sweepCycles: u.schedule.sweepCycles,
        worstStageNs: Math.max(...u.schedule.stages.map((s) => s.delayNs)),
        buildHash: u.buildHash,
      })),
      channels: sys.links.map((l) => ({ name: l.name, kind: l.channel.type, depth: l.channel.depth, record: l.record.name, bits: l.record.width })),
      addressMap: { addrBits: rtl.map.addrBits, windowBits: rtl.map.windowBits, windows: rtl.map.windows.map((w) => ({ unit: w.unit, base: `0x${w.base.toString(16)}` })) },
      hls,
      files,
      checks,
      seconds: (performance.now() - t0) / 1000,
    };
    fs.writeFileSync(path.join(tmp, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    fs.rmSync(path.join(out, 'report.json'), { force: true });
    fs.rmSync(path.join(out, 'hls'), { recursive: true, force: true });
    for (const f of ['rtl', 'regmap', ...(hls ? ['hls'] : [])]) {
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

export function printSystemBuild(r: SystemBuildReport, out: string): void {
  console.log(`built system ${r.design}: ${r.units.map((u) => u.name).join(' -> ')} (${r.seconds.toFixed(2)} s); rtl in ${path.join(out, 'rtl')}`);
  console.log(`build hash ${r.buildHash} (system block BUILD_HASH)`);
  console.log(`latency ${r.pipelineLatencyCycles} cycles = ${r.latencyNs.toFixed(1)} ns at ${r.clockMHz} MHz without back-pressure (input handshake to first output beat):`);
  for (const u of r.units) console.log(`  ${u.name.padEnd(14)} ${String(u.latencyCycles).padStart(3)} cycles, worst stage ${u.worstStageNs.toFixed(2)} ns${u.sweepCycles ? `, sweep ${u.sweepCycles} cycles after reset` : ''}  (${u.file})`);
  for (const c of r.channels) console.log(`  channel ${c.name}: ${c.kind}${c.kind === 'fifo' ? `(${c.depth})` : ''}, ${c.record} (${c.bits} bits)`);
  console.log(`AXI-Lite: ${r.addressMap.addrBits} address bits; system block at 0x0, ${r.addressMap.windows.map((w) => `${w.unit} at ${w.base}`).join(', ')}`);
  if (r.hlsSkipped) console.log(`HLS: ${r.hlsSkipped}`);
  if (r.hls) console.log(`HLS top ${r.hls.top} in ${path.join(out, 'hls')} (${r.hls.part}): DATAFLOW of the unit kernels, streams ${r.hls.streams.map((s) => `${s.name} depth ${s.depth}`).join(', ')}; \`make csim\` there runs ${r.hls.vectors} model vectors`);
  for (const c of r.checks) console.log(c.skipped ? `  check ${c.check}: skipped (${c.skipped})` : `  checked: ${c.check} (${c.seconds.toFixed(2)} s)`);
}

/** `tickforge cosim <system>`: prints per-channel counts and latency; with --tap, the channel's records as JSON lines. */
export async function runSystemCosim(
  a: { file: string; input: string; seed: number; out: string; validProb?: number; readyProb?: number; verbose?: boolean; acceptInputErrors?: boolean; rtlDir?: string; hls?: boolean; hlsTop?: boolean; tap?: string; jsonl?: boolean; clockMHz?: number; params?: Record<string, unknown> },
  say: (s: string) => void,
): Promise<number> {
  const r = await cosimSystem({ file: a.file, input: a.input, seed: a.seed, out: a.out, validProb: a.validProb, readyProb: a.readyProb, verbose: a.verbose, acceptInputErrors: a.acceptInputErrors, rtlDir: a.rtlDir, hls: a.hls, hlsTop: a.hlsTop, log: say, clockMHz: a.clockMHz, ...(a.params ? { params: a.params } : {}) });
  if (a.tap) {
    const recs = r.tap(a.tap);
    const bigints = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
    if (a.jsonl) for (const x of recs) process.stdout.write(JSON.stringify(x, bigints) + '\n');
    else console.log(JSON.stringify(recs, bigints, 2));
    say(`tap ${a.tap}: ${recs.length} records (model, compared with the RTL: ${r.mismatches} mismatches in the run)`);
    return r.mismatches === 0 ? 0 : 1;
  }
  console.log(`system ${r.design}: ${r.inputs} inputs; every channel compared, model vs rtl${r.hls.length ? ' (and each unit\'s HLS kernel vs model)' : ''}:`);
  for (const l of r.links) {
    console.log(`  ${l.name.padEnd(28)} ${l.channel.padEnd(9)} ${String(l.compared).padStart(8)} compared, ${l.mismatches} mismatches${l.dropped ? `, ${l.dropped} dropped (FIFO full)` : ''}, ${l.delivered} delivered`);
  }
  console.log(`  ${'output'.padEnd(28)} ${''.padEnd(9)} ${String(r.compared).padStart(8)} compared (model ${r.outputs.model}, rtl ${r.outputs.rtl})`);
  for (const h of r.hls) console.log(`  hls ${h.unit.padEnd(24)} ${String(h.compared).padStart(8)} compared on ${h.channel}, ${h.mismatches} mismatches (kernel C-simulated on the ${h.inputs} records the unit took)`);
  if (r.hlsTop) {
    const t = r.hlsTop;
    for (const c of t.channels) console.log(`  hls top ${c.name.padEnd(20)} ${String(c.compared).padStart(8)} compared, ${c.mismatches} mismatches`);
    console.log(`  hls top output ${String(t.compared).padStart(21)} compared; schedule ${t.schedule.match ? 'as predicted' : `differs from the prediction at ${t.schedule.first!.unit}[${t.schedule.first!.index}]`}; status ${t.status.filter((x) => x.match).length}/${t.status.length} equal; build hash ${t.buildHash.match ? 'equal' : 'DIFFERS'}; ${t.mismatches} mismatches`);
  }
  const bad = r.status.filter((x) => !x.match);
  if (r.status.length) console.log(`  status registers: ${r.status.length} across ${new Set(r.status.map((x) => x.unit)).size} units, ${bad.length} mismatches`);
  for (const x of bad) console.log(`    ${x.unit}.${x.name}: model ${x.model}, rtl ${x.rtl}${x.hls !== undefined ? `, hls ${x.hls}` : ''}  MISMATCH`);
  for (const d of r.drops) console.log(`  DROPS ${d.link}: register ${d.register}, seen on the channel ${d.tapped}${d.match ? '' : '  MISMATCH'}`);
  console.log(`compared ${r.links.reduce((s, l) => s + l.compared, 0) + r.compared} records, ${r.mismatches} mismatches`);
  if (r.firstDivergence) {
    const f = r.firstDivergence;
    console.log(`first divergence: channel ${f.channel}, produced by unit ${f.unit} (${f.executor} vs model), record ${f.index}${f.inputIndex !== null ? ` (system input ${f.inputIndex})` : ''}`);
    const j = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
    console.log(`  model: ${j(f.model)}`);
    console.log(`  ${f.executor}:   ${j(f.executor === 'rtl' ? f.rtl : f.hls)}`);
  }
  if (r.latency) {
    const c = r.latency.cycles;
    const n = r.latency.ns;
    console.log(`latency, input beat -> first output beat (${r.latency.samples} outputs, ${r.latency.clockMHz} MHz): min ${c.min}, P50 ${c.p50}, P99 ${c.p99}, P99.9 ${c.p999}, max ${c.max} cycles (${n.min} / ${n.p50} / ${n.p99} / ${n.p999} / ${n.max} ns); without back-pressure ${r.pipelineLatencyCycles}`);
  }
  if (r.outputPcap) console.log(`output as sent by the RTL: ${r.outputPcap.packets} packets, ${r.outputPcap.bytes} bytes in ${r.outputPcap.file} (read it with: tickforge decode ${r.outputPcap.file})`);
  console.log(`input stall cycles ${r.inputStallCycles}; report: ${path.join(a.out, 'cosim.json')}, ${path.join(a.out, 'report.html')}`);
  return r.mismatches === 0 ? 0 : 1;
}
