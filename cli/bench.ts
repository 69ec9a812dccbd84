// `tickforge bench`: figures users read in docs/BENCHMARKS.md, with the command that reproduces them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Rng } from '../dsl/rng.ts';
import { REPO_ROOT } from '../sim/tools.ts';
import { build } from './build.ts';
import { yosysResources } from '../package/estimate.ts';
import { cosim } from '../sim/cosim.ts';
import { loadDesign } from '../sim/design.ts';
import { writeBenchReport } from '../report/index.ts';
import { cosimSystem, loadSystem } from '../sim/system.ts';
import { progress } from '../report/progress.ts';
import { Diagnostics } from '../sim/stimulus/errors.ts';
import { decodeInput } from '../sim/stimulus/decode.ts';
import { buildSystem } from './system.ts';
import { compileSystem } from '../codegen/system.ts';
import { CompileError } from '../codegen/diagnostics.ts';

const GATE = path.join(REPO_ROOT, 'examples/risk-gate/gate.ts');
const FEED = path.join(REPO_ROOT, 'examples/itch-feed/feed.ts');
const PIPELINE = path.join(REPO_ROOT, 'examples/pipeline/system.ts');
const MARKET_MAKER = path.join(REPO_ROOT, 'examples/market-maker/system.ts');
const SNIPPET = path.join(REPO_ROOT, '..', 'shared', 'data', 'itch', '12302019_SNIPPET.NASDAQ_ITCH50');
/** Designs whose timing `bench` reports: the examples, and the 2^20-slot read-modify-write table test design. */
const TIMED = ['examples/risk-gate/gate.ts', 'examples/itch-feed/feed.ts', 'examples/ouch-encoder/encoder.ts', 'test/timing/designs/rmw-tables.ts'];

/** Parts of the bench that `--only` can select; the full bench runs them all. */
export const SECTIONS = ['gate', 'feed', 'feed-model', 'timing', 'system', 'market-maker'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  records: number;
  /** Messages of the ITCH feed model decode benchmark (feed-model). */
  feedMessages?: number;
  /** Synthetic ITCH messages of the system section's cosim (default 200,000). */
  systemMessages?: number;
  /** Synthetic ITCH messages of the market-maker section's cosim (default 200,000). */
  mmMessages?: number;
  /** Synthetic messages of the market-maker composed-model throughput (default 10,000,000). */
  mmModelMessages?: number;
  /** Synthetic messages of the market-maker long cosim, three-way, streamed in chunks (default 10,000,000; 0 skips it). */
  mmCosimMessages?: number;
  /** Run Yosys (default true); without it the Yosys rows are left as they are in docs/BENCHMARKS.md. */
  yosys?: boolean;
  /** Run only these sections and update only their rows in docs/BENCHMARKS.md. */
  only?: Section[];
  write: boolean;
  log: (s: string) => void;
}

/** bench --no-yosys: every Yosys step skipped (its rows kept). */
let yosysOn = true;

export async function bench(o: BenchOptions): Promise<number> {
  yosysOn = o.yosys !== false;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tickforge-bench-'));
  const rows: Array<[string, string]> = [];
  const runs = (s: Section) => !o.only || o.only.includes(s);
  let failed = false;

  if (runs('gate')) {
    // Model throughput: the DSL file itself, run natively.
    const { unit, synthetic } = await loadDesign(GATE);
    const rng = new Rng(7);
    const recs = Array.from({ length: o.records }, (_, i) => synthetic!(rng, i));
    const m = unit.model();
    const t0 = performance.now();
    for (let i = 0; i < recs.length; i++) m.step(recs[i] as never, i * 4);
    const modelRate = recs.length / ((performance.now() - t0) / 1000);
    rows.push(['model throughput (risk gate, one core)', `${Math.round(modelRate).toLocaleString('en-US')} records/s`]);

    // Build time (front end + IR + Verilog), in a fresh process as a user runs it.
    const tb = performance.now();
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'bin/tickforge.mjs'), 'build', GATE, '--out', path.join(tmp, 'build')], { stdio: 'ignore' });
    rows.push(['`tickforge build` of the risk gate (wall, new process)', `${((performance.now() - tb) / 1000).toFixed(2)} s`]);
    const inproc = await build(GATE, path.join(tmp, 'build2'));
    rows.push(['compile in process (front end, passes, Verilog)', `${inproc.seconds.toFixed(2)} s`]);
    rows.push(['pipeline latency (input handshake to output handshake, no back-pressure)', `${inproc.pipelineLatencyCycles} cycles, II = 1`]);

    // Verilator build, cold (empty cache) and cached; co-simulation throughput.
    process.env.TICKFORGE_CACHE = path.join(tmp, 'cache');
    const cold = await cosim({ file: GATE, input: `synthetic:${o.records}`, seed: 7, out: path.join(tmp, 'c1'), log: o.log });
    const warm = await cosim({ file: GATE, input: `synthetic:${o.records}`, seed: 7, out: path.join(tmp, 'c2'), log: o.log });
    delete process.env.TICKFORGE_CACHE;
    const rate = (x?: number) => `${Math.round(x ?? 0).toLocaleString('en-US')} records/s`;
    rows.push(['Verilator build, cold', `${cold.rtl!.buildSeconds.toFixed(1)} s`]);
    rows.push(['Verilator build, cached (content hash hit)', `${warm.rtl!.buildCached ? 'hit' : 'miss'}, ${warm.rtl!.buildSeconds.toFixed(2)} s`]);
    rows.push(['HLS C-simulation build (g++), cold', `${cold.hls!.buildSeconds.toFixed(1)} s`]);
    rows.push(['co-simulation throughput: Verilated RTL (random stalls)', rate(warm.throughput.rtl)]);
    rows.push(['co-simulation throughput: HLS C-simulation (g++ -O2)', rate(warm.throughput.hls)]);
    rows.push(['co-simulation throughput: model inside cosim', rate(warm.throughput.model)]);
    rows.push(['three-way co-simulation end to end (stimulus, RTL, model, HLS, compare)', `${(warm.seconds.total ?? 0).toFixed(1)} s for ${o.records.toLocaleString('en-US')} records, ${warm.mismatches} mismatches`]);
    if (warm.latencyCycles) rows.push(['measured latency under back-pressure (min/median/max)', `${warm.latencyCycles.min} / ${warm.latencyCycles.median} / ${warm.latencyCycles.max} cycles`]);

    // Resource estimate: Yosys maps the gate's Verilog to UltraScale+ primitives (no timing model: cells only).
    const ys = yosysResources(path.join(tmp, 'build2', 'rtl'), inproc.top);
    if (ys) rows.push(['Yosys synth_xilinx -family xcup (risk gate): LUT / FF / CARRY4 / DSP48E2 / BRAM', ys]);
    failed ||= cold.mismatches + warm.mismatches !== 0;
  }

  if (runs('feed')) {
    // ITCH 5.0 feed parser (examples/itch-feed): real data for latency, synthetic messages for throughput.
    const feedBuild = await build(FEED, path.join(tmp, 'feed-build'));
    rows.push(['ITCH feed: `tickforge build` (compile, Verilog, HLS, vectors)', `${feedBuild.seconds.toFixed(2)} s`]);
    const feedYs = yosysResources(path.join(tmp, 'feed-build', 'rtl'), feedBuild.top, { fsm: false });
    if (feedYs) rows.push(['Yosys synth_xilinx -family xcup without its fsm pass (ITCH feed): LUT / FF / CARRY4 / DSP48E2 / BRAM', feedYs]);
    const snippet = path.join(REPO_ROOT, '..', 'shared', 'data', 'itch', '12302019_SNIPPET.NASDAQ_ITCH50');
    if (fs.existsSync(snippet)) {
      const real = await cosim({ file: FEED, input: snippet, seed: 1, out: path.join(tmp, 'feed-real'), log: o.log });
      const l = real.latencyCycles!;
      rows.push(['ITCH feed: real snippet (1,000 messages), three-way mismatches', `${real.mismatches} of ${real.compared} compared`]);
      rows.push(['ITCH decode latency: beat with the last byte -> message out (min/median/max; flow strobe: the input is never stalled)', `${l.min} / ${l.median} / ${l.max} cycles`]);
    }
    const feedMsgs = Math.max(10_000, Math.floor(o.records / 5));
    const feed = await cosim({ file: FEED, input: `synthetic:${feedMsgs}`, seed: 1, out: path.join(tmp, 'feed-syn'), log: o.log });
    const beats = feed.inputs;
    const msgRate = (s?: number) => `${Math.round(feedMsgs / (s ?? 1)).toLocaleString('en-US')} msg/s (${Math.round(beats / (s ?? 1)).toLocaleString('en-US')} beats/s)`;
    rows.push([`ITCH feed cosim, ${feedMsgs.toLocaleString('en-US')} synthetic messages: mismatches`, `${feed.mismatches} of ${feed.compared} compared`]);
    rows.push(['ITCH feed: DSL model (the design file run in Node)', `${msgRate(feed.seconds.model)} inside cosim (outputs packed)`]);
    rows.push(['ITCH feed: Verilated RTL', msgRate(feed.seconds.rtl)]);
    rows.push(['ITCH feed: HLS C-simulation', msgRate(feed.seconds.hls)]);
    failed ||= feed.mismatches !== 0;
  }

  // ITCH feed model decode throughput: the design file run in Node on a long synthetic stream, Model.step only.
  if (runs('feed-model')) {
    const n = o.feedMessages ?? 10_000_000;
    const r = await feedModelDecode(n, o.log);
    const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    rows.push([
      `ITCH feed: model decode throughput, ${n.toLocaleString('en-US')} synthetic messages (Model.step only, one thread; \`npx tickforge bench --only feed-model\`)`,
      `${fmtRate(n, r.modelMs, 'msg/s')} (${fmtRate(r.beats, r.modelMs, 'beats/s')}): ${secs(r.modelMs)} wall for ${r.beats.toLocaleString('en-US')} beats; ` +
        `per CPU second of the process (${secs(r.modelCpuMs)}): ${fmtRate(n, r.modelCpuMs, 'msg/s')}`,
    ]);
    rows.push([
      `ITCH feed: stimulus for that run (generate ${n.toLocaleString('en-US')} messages, packetize, split into beats; not in the figure above)`,
      `${secs(r.genMs)} (${fmtRate(n, r.genMs, 'msg/s')})`,
    ]);
    if (r.outputs !== n) {
      o.log(`feed-model: ${r.outputs} messages decoded of ${n}`);
      failed = true;
    }
  }

  // The pipeline system (examples/pipeline/system.ts): build, three-way per-channel cosim on the real snippet and on
  // synthetic messages, end-to-end latency, and Yosys on the whole top.
  if (runs('system')) {
    const out = path.join(tmp, 'pipeline');
    const b = await buildSystem(PIPELINE, out);
    rows.push(['system examples/pipeline/system.ts: `tickforge build` (5 units, one top, lint)', `${b.seconds.toFixed(1)} s; latency without back-pressure ${b.pipelineLatencyCycles} cycles = ${b.latencyNs.toFixed(1)} ns at ${b.clockMHz} MHz (${b.units.map((u) => `${u.name} ${u.latencyCycles}`).join(' + ')} + channels)`]);
    const n = o.systemMessages ?? 200_000;
    const inputs: Array<[string, string]> = [...(fs.existsSync(SNIPPET) ? [['real snippet', SNIPPET] as [string, string]] : []), [`${n.toLocaleString('en-US')} synthetic messages`, `synthetic:${n}`]];
    for (const [what, input] of inputs) {
      o.log(`system: cosim on ${what}`);
      const r = await cosimSystem({ file: PIPELINE, input, seed: 1, out: path.join(tmp, 'pipeline-cosim'), log: o.log });
      const ch = r.links.map((l) => `${l.name} ${l.compared.toLocaleString('en-US')}`).join(', ');
      rows.push([`system pipeline, ${what}: records compared per channel (model vs RTL; each unit's HLS kernel too), mismatches`, `${ch}; ${r.compared.toLocaleString('en-US')} output beats; ${r.mismatches} mismatches; ${r.links.reduce((a, l) => a + l.dropped, 0)} dropped (FIFO full)`]);
      if (r.latency) {
        const c = r.latency.cycles;
        const ns = r.latency.ns;
        rows.push([`system pipeline, ${what}: input beat -> first OUCH beat, min / P50 / P99 / P99.9 / max (${r.latency.samples.toLocaleString('en-US')} orders, random stalls and back-pressure)`, `${c.min} / ${c.p50} / ${c.p99} / ${c.p999} / ${c.max} cycles = ${ns.min} / ${ns.p50} / ${ns.p99} / ${ns.p999} / ${ns.max} ns at ${r.latency.clockMHz} MHz`]);
      }
      rows.push([`system pipeline, ${what}: composed model, Verilated RTL, HLS kernels`, `${r.seconds.model.toFixed(2)} s, ${r.seconds.rtl.toFixed(2)} s, ${r.seconds.hls.toFixed(2)} s for ${r.inputs.toLocaleString('en-US')} beats`]);
      failed ||= r.mismatches !== 0;
    }
    o.log('system: Yosys synthesis and sta of the whole top (several minutes)');
    const ys = yosysSta(path.join(out, 'rtl'), b.design);
    if (ys) rows.push([`system pipeline: Yosys 0.23 xcup sta longest arrival of the whole top (\`scripts/yosys-sta.sh\`), ${YOSYS_CELLS}`, fmtYosys(ys, 1e6 / b.clockMHz)]);
  }

  // The market maker (examples/market-maker/system.ts), tick to trade: per-unit worst stage at 322.27 MHz under the
  // delay model and Yosys; the system built and co-simulated three-way at the fastest clock every unit meets; the
  // latency from the beat completing an ITCH message to the first OUCH beat; Yosys on the whole top.
  if (runs('market-maker')) {
    const at322 = await buildSystem(MARKET_MAKER, path.join(tmp, 'mm322'), { timing: 'warn', hls: false });
    const worst = Math.max(...at322.units.map((u) => u.worstStageNs));
    rows.push([
      `market maker at ${at322.clockMHz} MHz (delay model): worst stage per unit, ns (over the ${(1000 / at322.clockMHz).toFixed(3)} ns period: MISSES)`,
      at322.units.map((u) => `${u.name} ${u.worstStageNs.toFixed(2)}${u.worstStageNs > 1000 / at322.clockMHz ? ' MISSES' : ''}`).join(', '),
    ]);
    for (const u of at322.units) {
      if (u.worstStageNs <= 1000 / at322.clockMHz) continue;
      if (yosysOn) o.log(`market-maker: Yosys synthesis and sta of ${u.name} at ${at322.clockMHz} MHz (minutes for the 2^20-order table)`);
      else continue;
      const b = await build(path.join(REPO_ROOT, u.file), path.join(tmp, 'mm-unit', u.name), { noHls: true, timing: 'warn' });
      const ys = yosysSta(path.join(tmp, 'mm-unit', u.name, 'rtl'), b.top);
      if (ys) rows.push([`market maker: ${u.name} at ${at322.clockMHz} MHz: Yosys 0.23 xcup sta longest arrival, ${YOSYS_CELLS}`, fmtYosys(ys, 1e6 / at322.clockMHz)]);
    }
    // The fastest whole MHz every stage meets under the delay model. Searched, not read off the 322.27 MHz build: a
    // unit's schedule depends on the clock (the level store's worst stage is 4.98 ns when scheduled for 322.27 MHz and
    // 4.06 ns when scheduled for 245), so 1000 / worst is only where the search starts.
    o.log('market-maker: the fastest clock every stage meets (a compile a try)');
    const clockMHz = fastestClockMHz(MARKET_MAKER, Math.floor(1000 / worst), Math.floor(at322.clockMHz));
    const out = path.join(tmp, 'mm');
    const b = await buildSystem(MARKET_MAKER, out, { clockMHz });
    rows.push([`market maker: \`tickforge build examples/market-maker/system.ts --clock ${clockMHz}\` (${b.units.length} units, one top, lint)`, `${b.seconds.toFixed(1)} s; latency without back-pressure ${b.pipelineLatencyCycles} cycles = ${b.latencyNs.toFixed(1)} ns at ${b.clockMHz} MHz (${b.units.map((u) => `${u.name} ${u.latencyCycles}`).join(' + ')} + channels)`]);
    const n = o.mmMessages ?? 200_000;
    const inputs: Array<[string, string]> = [...(fs.existsSync(SNIPPET) ? [['real snippet', SNIPPET] as [string, string]] : []), [`${n.toLocaleString('en-US')} synthetic messages`, `synthetic:${n}`]];
    for (const [what, input] of inputs) {
      o.log(`market-maker: cosim on ${what} at ${clockMHz} MHz`);
      const r = await cosimSystem({ file: MARKET_MAKER, input, seed: 1, out: path.join(tmp, 'mm-cosim'), log: o.log, clockMHz, readyProb: 0.8 });
      const ch = r.links.map((l) => `${l.name} ${l.compared.toLocaleString('en-US')}`).join(', ');
      const st = (name: string) => r.status.find((x) => x.name === name)?.model ?? '?';
      rows.push([`market maker, ${what}: records compared per channel (model vs RTL; each unit's HLS kernel too), mismatches`, `${ch}; ${r.compared.toLocaleString('en-US')} output beats; ${r.mismatches} mismatches; OUCH messages ${r.outputPcap?.packets.toLocaleString('en-US') ?? 0}; book: ${st('updates')} top records, ${st('degradedTops')} degraded, ${st('refills')} refills, ${st('refillMisses')} refill misses; level store: ${st('lostLevels')} adds not held; orders: ${st('unknownRefs')} unknown references, ${st('overflows')} overflows, ${st('oversize')} oversize, ${st('wideRefs')} wide references`]);
      if (r.latency) {
        const c = r.latency.cycles;
        const ns = r.latency.ns;
        rows.push([`market maker, ${what}: tick to trade, beat completing the ITCH message -> first OUCH beat, min / P50 / P99 / P99.9 / max (${r.latency.samples.toLocaleString('en-US')} orders, random stalls, OUCH side ready 80 %)`, `${c.min} / ${c.p50} / ${c.p99} / ${c.p999} / ${c.max} cycles = ${ns.min} / ${ns.p50} / ${ns.p99} / ${ns.p999} / ${ns.max} ns at ${r.latency.clockMHz} MHz`]);
      }
      rows.push([`market maker, ${what}: composed model, Verilated RTL, HLS kernels`, `${r.seconds.model.toFixed(2)} s, ${r.seconds.rtl.toFixed(2)} s, ${r.seconds.hls.toFixed(2)} s for ${r.inputs.toLocaleString('en-US')} inputs`]);
      failed ||= r.mismatches !== 0;
    }
    // The composed model alone, one core: the 10M-message figure the issue asks for (--mm-model-messages).
    const mn = o.mmModelMessages ?? 10_000_000;
    o.log(`market-maker: composed model on ${mn.toLocaleString('en-US')} synthetic messages`);
    const mr = await marketMakerModel(mn);
    rows.push([`market maker: composed model (${b.units.length} units), ${mn.toLocaleString('en-US')} synthetic messages (${mr.inputs.toLocaleString('en-US')} beats and fills), one core`, `${(mr.ms / 1000).toFixed(1)} s = ${fmtRate(mn, mr.ms, 'msg/s')} (${fmtRate(mr.inputs, mr.ms, 'inputs/s')}); per CPU second of the process (${(mr.cpuMs / 1000).toFixed(1)} s): ${fmtRate(mn, mr.cpuMs, 'msg/s')}; ${mr.outputs.toLocaleString('en-US')} OUCH messages; stimulus not timed`]);
    // The long cosim (--mm-cosim-messages): the three-way system cosim streamed in chunks (bounded memory), its OUCH
    // output decoded as `tickforge decode` decodes it, and the peak RSS of this process and of the Verilated harness.
    const cn = o.mmCosimMessages ?? 10_000_000;
    if (cn > 0) rows.push(...(await marketMakerLongCosim(cn, clockMHz, path.join(tmp, 'mm-cosim-long'), o.log)));
    if (yosysOn) o.log('market-maker: Yosys synthesis and sta of the whole top (many minutes: the 2^20-order table)');
    const ys = yosysSta(path.join(out, 'rtl'), b.design);
    if (ys) rows.push([`market maker at ${clockMHz} MHz: Yosys 0.23 xcup sta longest arrival of the whole top, ${YOSYS_CELLS}`, fmtYosys(ys, 1e6 / clockMHz)]);
  }

  // Timing: the schedule's estimate against the independent Yosys figure, per design, at the default clock.
  if (runs('timing')) {
    for (const rel of TIMED) {
      const file = path.join(REPO_ROOT, rel);
      const b = await build(file, path.join(tmp, 'timing', path.basename(rel, '.ts')), { noHls: true, timing: 'warn' });
      for (const v of b.timingViolations) o.log(`timing: ${v.split('\n')[0]}`);
      const worst = Math.max(...b.stages.map((s) => s.delayNs));
      o.log(`timing: ${rel}: Yosys synthesis and sta (a minute or two)`);
      const ys = yosysSta(path.join(tmp, 'timing', path.basename(rel, '.ts'), 'rtl'), b.top);
      rows.push([
        `timing: ${rel} at ${b.clock.mhz} MHz (${b.clock.periodNs} ns): stages, latency; worst stage estimated (delay model) and its Fmax; Yosys 0.23 xcup sta longest arrival (\`scripts/yosys-sta.sh\`), ${YOSYS_CELLS}`,
        `${b.stages.length} stages, ${b.pipelineLatencyCycles} cycles = ${b.latencyNs.toFixed(1)} ns; estimate ${worst.toFixed(2)} ns, Fmax ${Math.floor(1000 / worst)} MHz; ` +
          (ys ? `Yosys ${fmtYosys(ys, b.clock.periodNs * 1000)}` : 'Yosys not installed'),
      ]);
      if (ys && ys.ps > b.clock.periodNs * 1000) failed = true;
    }
  }

  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  o.log(`wrote ${writeBenchReport(path.resolve('build', 'bench'), rows)}`);
  if (o.write) {
    const file = path.join(REPO_ROOT, 'docs/BENCHMARKS.md');
    // A partial run (--only) replaces its own rows and keeps the others; a full run writes every row.
    let all = rows;
    if (o.only && fs.existsSync(file)) {
      const old: Array<[string, string]> = [];
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const m = /^\| (.*) \| (.*) \|$/.exec(line);
        if (m && m[1] !== 'what' && m[1] !== '---') old.push([m[1]!, m[2]!]);
      }
      // A row measured at another size is the same row, and so is one whose Yosys cells were listed differently.
      const key = (k: string) => k.replace(/\d[\d,]*/g, 'N').replace(/LUT \/ FF( \/ [A-Z-]+)*$/, 'cells');
      const fresh = new Map(rows.map((r) => [key(r[0]), r]));
      all = old.map((r) => fresh.get(key(r[0])) ?? r);
      for (const r of rows) if (!old.some((x) => key(x[0]) === key(r[0]))) all.push(r);
    }
    const cpu = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`;
    const md = [
      '# Benchmarks',
      '',
      'Reproduce with `npx tickforge bench` (add `--records N` to change the stimulus size; `--only feed-model` runs only',
      'the ITCH feed model decode throughput, `--feed-messages N` sets its size; `--no-yosys` keeps the Yosys rows). Figures from the machine that last ran',
      `it: ${cpu}, ${new Date().toISOString().slice(0, 10)}${o.only ? ` (this run: ${o.only.join(', ')}; other rows from earlier runs)` : ''}.`,
      'Wall-clock figures: the machine is shared, so they move with its load (1-minute load average at the end of',
      `the last run: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores).`,
      '',
      'The protocol library\'s own decoder (host side, not a DSL unit) is measured separately: see docs/protocols.md.',
      '',
      '| what | figure |',
      '|---|---|',
      ...all.map(([k, v]) => `| ${k} | ${v} |`),
      '',
    ].join('\n');
    fs.writeFileSync(file, md);
    o.log('wrote docs/BENCHMARKS.md');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return failed ? 1 : 0;
}

/** What scripts/yosys-sta.sh prints: the longest register-to-register arrival, then the synthesized cells. */
interface YosysFigures {
  ps: number;
  luts: number;
  ffs: number;
  lutram: number;
  ramb36: number;
  ramb18: number;
  uram: number;
  dsp: number;
}

/** scripts/yosys-sta.sh on one top, or null without Yosys. */
function yosysSta(rtlDir: string, top: string): YosysFigures | null {
  if (!yosysOn) return null;
  try {
    execFileSync('yosys', ['-V'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/yosys-sta.sh'), rtlDir, top], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const [ps, luts, ffs, lutram, ramb36, ramb18, uram, dsp] = out.split(/\s+/).map(Number);
  if (![ps, luts, ffs, lutram, ramb36, ramb18, uram, dsp].every(Number.isFinite)) throw new Error(`scripts/yosys-sta.sh ${top}: ${out}`);
  return { ps: ps!, luts: luts!, ffs: ffs!, lutram: lutram!, ramb36: ramb36!, ramb18: ramb18!, uram: uram!, dsp: dsp! };
}

/** The label's end and the figure of a Yosys row: arrival against the period, then every kind of cell counted. */
const YOSYS_CELLS = 'LUT / FF / LUT-RAM / RAMB36 / RAMB18 / URAM / DSP';
function fmtYosys(ys: YosysFigures, periodPs: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `${n(ys.ps)} ps (${ys.ps <= periodPs ? 'meets' : 'MISSES'} ${n(Math.round(periodPs))} ps), ${[ys.luts, ys.ffs, ys.lutram, ys.ramb36, ys.ramb18, ys.uram, ys.dsp].map(n).join(' / ')}`;
}

const fmtRate = (n: number, ms: number, unit: string) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} ${unit}`;

/**
 * Model decode throughput of the ITCH feed: `n` synthetic messages from the design's own stimulus (`synthetic:n`,
 * seed 1), fed to one model instance as the co-simulation does without an RTL (one beat per cycle). Beats are
 * pulled from the stimulus generator in batches; only the loop of Model.step calls over each batch is timed as
 * model time, the generator (message generation, packetizing, splitting into beats) as stimulus time.
 */
export async function feedModelDecode(n: number, log: (s: string) => void): Promise<{ modelMs: number; modelCpuMs: number; genMs: number; beats: number; outputs: number }> {
  const { unit, stimulus } = await loadDesign(FEED);
  if (!stimulus) throw new Error(`${FEED}: no stimulus export`);
  const BATCH = 1 << 20;
  const batch: Array<Record<string, unknown>> = new Array(BATCH);
  const model = unit.model();
  let genMs = 0;
  let modelMs = 0;
  let modelCpuMs = 0;
  let beats = 0;
  let outputs = 0;
  let shown = 0;
  log(`feed-model: ${n.toLocaleString('en-US')} synthetic messages`);
  const it = stimulus(`synthetic:${n}`, new Rng(1))[Symbol.iterator]();
  // Progress in messages decoded, a batch at a time (outside the timed loop).
  const bar = progress('feed-model: messages decoded', n);
  for (;;) {
    const g0 = performance.now();
    let k = 0;
    for (; k < BATCH; k++) {
      const r = it.next();
      if (r.done) break;
      batch[k] = r.value;
    }
    const m0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < k; i++) if (model.step(batch[i] as never, beats + i) !== undefined) outputs++;
    const c1 = process.cpuUsage(c0);
    const m1 = performance.now();
    modelCpuMs += (c1.user + c1.system) / 1000;
    genMs += m0 - g0;
    modelMs += m1 - m0;
    bar.tick(outputs - shown);
    shown = outputs;
    beats += k;
    if (k < BATCH) break;
  }
  bar.done();
  log(`feed-model: ${beats.toLocaleString('en-US')} beats, ${outputs.toLocaleString('en-US')} messages out; model ${(modelMs / 1000).toFixed(1)} s (process CPU ${(modelCpuMs / 1000).toFixed(1)} s), stimulus ${(genMs / 1000).toFixed(1)} s`);
  return { modelMs, modelCpuMs, genMs, beats, outputs };
}

/**
 * The market maker's composed model (every unit, in stream order) on `n` synthetic messages of its own stimulus,
 * streamed in chunks of 2^20 inputs (the stimulus of a 10M-message run does not fit in memory as objects), with a
 * progress line. Only SystemModel.run is timed.
 */
/** The highest whole MHz in lo..hi at which every unit of the system meets its clock under the delay model (lo if none does). */
function fastestClockMHz(file: string, lo: number, hi: number): number {
  const meets = (mhz: number): boolean => {
    try {
      compileSystem(file, { timing: { enforce: true, clockMHz: mhz } });
      return true;
    } catch (e) {
      if (e instanceof CompileError && e.diagnostics.every((d) => d.code === 'TF130')) return false;
      throw e;
    }
  };
  let best = lo;
  for (let a = lo + 1, b = hi; a <= b; ) {
    const m = Math.floor((a + b) / 2);
    if (meets(m)) (best = m), (a = m + 1);
    else b = m - 1;
  }
  return best;
}

export async function marketMakerModel(n: number): Promise<{ ms: number; cpuMs: number; inputs: number; outputs: number }> {
  const { system: sys, design } = await loadSystem(MARKET_MAKER);
  const m = sys.model();
  const bar = progress('market maker model, inputs', Math.round(n * 4.7));
  const CHUNK = 1 << 20;
  let ms = 0;
  let cpuMs = 0; // on a shared machine the wall clock moves with the load; the process's CPU time much less
  let inputs = 0;
  let outputs = 0;
  let chunk: Record<string, unknown>[] = [];
  const flush = () => {
    const cycles = Float64Array.from(chunk, (_, k) => inputs + k);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    outputs += m.run(chunk, cycles).length;
    const c1 = process.cpuUsage(c0);
    ms += performance.now() - t0;
    cpuMs += (c1.user + c1.system) / 1000;
    inputs += chunk.length;
    bar.tick(chunk.length);
    chunk = [];
  };
  for (const v of design.stimulus!(`synthetic:${n}`, new Rng(1)) as Iterable<Record<string, unknown>>) {
    chunk.push(v);
    if (chunk.length === CHUNK) flush();
  }
  if (chunk.length) flush();
  bar.done();
  return { ms, cpuMs, inputs, outputs };
}

/**
 * The market maker co-simulated three-way on `n` synthetic messages (random packetization, random stalls, OUCH side
 * ready 80 %), streamed in chunks: records compared per channel, mismatches, the OUCH messages of output.pcap by type
 * (decoded as `tickforge decode` decodes them), tick to trade, seconds per executor, peak RSS.
 */
export async function marketMakerLongCosim(n: number, clockMHz: number, out: string, log: (s: string) => void): Promise<Array<[string, string]>> {
  const what = `${n.toLocaleString('en-US')} synthetic messages (\`npx tickforge cosim examples/market-maker/system.ts --input synthetic:${n} --clock ${clockMHz} --ready-prob 0.8\`, streamed in chunks)`;
  log(`market-maker: cosim on ${what}`);
  const r = await cosimSystem({ file: MARKET_MAKER, input: `synthetic:${n}`, seed: 1, out, log, clockMHz, readyProb: 0.8 });
  const rows: Array<[string, string]> = [];
  const ch = r.links.map((l) => `${l.name} ${l.compared.toLocaleString('en-US')}`).join(', ');
  const hls = r.hls.map((h) => `${h.unit} ${h.compared.toLocaleString('en-US')}`).join(', ');
  rows.push([`market maker, ${what}: records compared per channel (model vs RTL), per unit (HLS kernel vs model), mismatches`, `${ch}; ${r.compared.toLocaleString('en-US')} output beats; HLS ${hls}; ${r.mismatches} mismatches; ${r.status.length} status registers equal: ${r.status.every((x) => x.match)}`]);
  const diag = new Diagnostics(20);
  const d = decodeInput(r.outputPcap!.file, { soupApp: 'ouch' }, () => {}, diag);
  const types = [...d.messages].map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ');
  rows.push([`market maker, ${what}: OUCH messages in output.pcap (\`tickforge decode\`), by type; decode errors`, `${r.outputPcap!.packets.toLocaleString('en-US')} packets: ${types}; ${diag.total} errors`]);
  if (r.latency) {
    const c = r.latency.cycles;
    const ns = r.latency.ns;
    rows.push([`market maker, ${what}: tick to trade, min / P50 / P99 / P99.9 / max (${r.latency.samples.toLocaleString('en-US')} orders)`, `${c.min} / ${c.p50} / ${c.p99} / ${c.p999} / ${c.max} cycles = ${ns.min} / ${ns.p50} / ${ns.p99} / ${ns.p999} / ${ns.max} ns at ${r.latency.clockMHz} MHz`]);
  }
  rows.push([`market maker, ${what}: seconds (composed model + comparison, Verilated RTL, HLS kernels, total), peak RSS`, `${r.seconds.model.toFixed(1)} s, ${r.seconds.rtl.toFixed(1)} s, ${r.seconds.hls.toFixed(1)} s, ${r.seconds.total.toFixed(1)} s for ${r.inputs.toLocaleString('en-US')} inputs; peak RSS ${r.peakRssMB.toLocaleString('en-US')} MB (node), ${r.rtl.peakRssMB.toLocaleString('en-US')} MB (Verilated harness)`]);
  return rows;
}

