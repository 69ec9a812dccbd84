// `tickforge bench`: figures users read in docs/BENCHMARKS.md, with the command that reproduces them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Rng } from '../dsl/rng.ts';
import { REPO_ROOT } from '../sim/tools.ts';
import { build } from './build.ts';
import { cosim, loadDesign } from '../sim/cosim.ts';

const GATE = path.join(REPO_ROOT, 'examples/risk-gate/gate.ts');

export async function bench(o: { records: number; write: boolean; log: (s: string) => void }): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tickforge-bench-'));
  const rows: Array<[string, string]> = [];

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

  // ITCH 5.0 feed parser (examples/itch-feed): real data for latency, synthetic messages for throughput.
  const FEED = path.join(REPO_ROOT, 'examples/itch-feed/feed.ts');
  const feedBuild = await build(FEED, path.join(tmp, 'feed-build'));
  rows.push(['ITCH feed: `tickforge build` (compile, Verilog, HLS, vectors)', `${feedBuild.seconds.toFixed(2)} s`]);
  const snippet = path.join(REPO_ROOT, '..', 'shared', 'data', 'itch', '12302019_SNIPPET.NASDAQ_ITCH50');
  if (fs.existsSync(snippet)) {
    const real = await cosim({ file: FEED, input: snippet, seed: 1, out: path.join(tmp, 'feed-real'), log: o.log });
    const l = real.latencyCycles!;
    rows.push(['ITCH feed: real snippet (1,000 messages), three-way mismatches', `${real.mismatches} of ${real.compared} compared`]);
    rows.push(['ITCH decode latency: beat with the last byte -> message out (min/median/max, under back-pressure)', `${l.min} / ${l.median} / ${l.max} cycles`]);
  }
  const feedMsgs = Math.max(10_000, Math.floor(o.records / 5));
  const feed = await cosim({ file: FEED, input: `synthetic:${feedMsgs}`, seed: 1, out: path.join(tmp, 'feed-syn'), log: o.log });
  const beats = feed.inputs;
  const msgRate = (s?: number) => `${Math.round(feedMsgs / (s ?? 1)).toLocaleString('en-US')} msg/s (${Math.round(beats / (s ?? 1)).toLocaleString('en-US')} beats/s)`;
  rows.push([`ITCH feed cosim, ${feedMsgs.toLocaleString('en-US')} synthetic messages: mismatches`, `${feed.mismatches} of ${feed.compared} compared`]);
  rows.push(['ITCH feed: DSL model (the design file run in Node)', msgRate(feed.seconds.model)]);
  rows.push(['ITCH feed: Verilated RTL', msgRate(feed.seconds.rtl)]);
  rows.push(['ITCH feed: HLS C-simulation', msgRate(feed.seconds.hls)]);

  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  if (o.write) {
    const md = [
      '# Benchmarks',
      '',
      'Reproduce with `npx tickforge bench` (add `--records N` to change the stimulus size). Figures from the machine',
      `that last ran it: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
      '',
      'The protocol library\'s own decoder (host side, not a DSL unit) is measured separately: see docs/protocols.md.',
      '',
      '| what | figure |',
      '|---|---|',
      ...rows.map(([k, v]) => `| ${k} | ${v} |`),
      '',
    ].join('\n');
    fs.writeFileSync(path.join(REPO_ROOT, 'docs/BENCHMARKS.md'), md);
    o.log('wrote docs/BENCHMARKS.md');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return cold.mismatches + warm.mismatches + feed.mismatches === 0 ? 0 : 1;
}

/** LUT/FF/CARRY4/DSP/BRAM counts from Yosys's UltraScale+ mapping, or null when Yosys is not installed. */
function yosysResources(rtlDir: string, top: string): string | null {
  const files = fs.readdirSync(rtlDir).filter((f) => f.endsWith('.v')).map((f) => path.join(rtlDir, f));
  let out: string;
  try {
    out = execFileSync('yosys', ['-p', `read_verilog ${files.join(' ')}; synth_xilinx -family xcup -flatten -top ${top}; stat`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  } catch {
    return null;
  }
  const stat = out.slice(out.lastIndexOf('Number of cells'));
  const count = (re: RegExp) => [...stat.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  const luts = count(/LUT\d\s+(\d+)/g);
  const ffs = count(/FD[A-Z]{2}\s+(\d+)/g);
  const carry = count(/CARRY\d\s+(\d+)/g);
  const dsp = count(/DSP48E2\s+(\d+)/g);
  const bram = count(/RAMB(?:18|36)E2\s+(\d+)/g);
  return `${luts} / ${ffs} / ${carry} / ${dsp} / ${bram}`;
}
