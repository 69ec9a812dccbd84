// The tickforge command line (yargs): build, cosim, test, bench.
import path from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CompileError } from '../codegen/diagnostics.ts';
import { DEFAULT_CLOCK_MHZ } from '../codegen/timing/schedule.ts';
import { build } from './build.ts';
import { BUNDLE_TARGETS } from '../package/index.ts';
import { cosim, BACKENDS, type Backend } from '../sim/cosim.ts';
import { readParamsFile } from '../sim/params.ts';
import { bench, SECTIONS, type Section } from './bench.ts';
import { testCommand, testDescription, testBuilder, runTest } from './test.ts';
import { decodeCommand } from './decode.ts';
import { genCommand } from './gen.ts';
import { fuzzCommand } from './fuzz.ts';
import { intOption, MAX_GENERATED } from '../sim/stimulus/input.ts';
import { proveCommand } from './prove.ts';
import { setupCommand, doctorCommand, lintCommand } from './toolchain.ts';
import { initCommand } from './init.ts';
import { buildSystem, printSystemBuild, runSystemCosim } from './system.ts';
import { isSystemFile } from '../codegen/frontend/system.ts';
import { deployCommand, cardCommand } from './deploy.ts';
import { ctlCommand } from './ctl.ts';

const say = (s: string) => process.stderr.write(`tickforge: ${s}\n`);

/** `--update 2000:maxQty=500,maxNotional=1000000000` */
function parseUpdate(spec: string): { at: number; values: Record<string, bigint> } {
  const m = /^(\d+):(.+)$/.exec(spec);
  if (!m) throw new Error(`--update ${spec}: expected <input>:<param>=<value>[,...]`);
  const values: Record<string, bigint> = {};
  for (const kv of m[2].split(',')) {
    const e = /^([A-Za-z_][A-Za-z0-9_]*)=(-?(?:0x[0-9a-fA-F]+|\d+))$/.exec(kv.trim());
    if (!e) throw new Error(`--update ${spec}: ${kv} is not <param>=<integer>`);
    values[e[1]] = e[2].startsWith('-') ? -BigInt(e[2].slice(1)) : BigInt(e[2]);
  }
  return { at: Number(m[1]), values };
}

async function run(f: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await f();
  } catch (err) {
    if (err instanceof CompileError) {
      process.stderr.write(err.message + '\n');
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`tickforge: error: ${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}

await yargs(hideBin(process.argv))
  .scriptName('tickforge')
  .usage('$0 <command> [options]\n\nOne TypeScript DSL source -> bit-exact model, Verilog, co-simulation.')
  .command(
    'build <file>',
    'Compile a design: writes <out>/rtl/*.v and <out>/report.json',
    (y) =>
      y
        .positional('file', { type: 'string', demandOption: true, describe: 'design file (default export: unit({...}))' })
        .option('out', { type: 'string', demandOption: true, describe: 'output directory' })
        .option('target', { type: 'string', default: 'alveo-u55c', describe: `card: writes <out>/bundle/<target>/ (vendor-flow sources) and sets the HLS part: ${Object.keys(BUNDLE_TARGETS).join(', ')}` })
        .option('part', { type: 'string', describe: 'FPGA part, overriding the target\'s' })
        .option('clock', { type: 'number', default: DEFAULT_CLOCK_MHZ, describe: 'clock in MHz: every stage must meet it under the delay model' })
        .option('timing', { type: 'string', choices: ['error', 'warn'], default: 'error', describe: 'a design that cannot meet the clock: reject it (error) or build it and report (warn)' })
        .option('hls', { type: 'boolean', default: true, describe: 'write the Vitis HLS output (--no-hls skips it)' })
        .option('resources', { type: 'boolean', default: false, describe: 'add a Yosys resource estimate for the target to report.json and the bundle README (seconds to a minute)' })
        .option('check', { type: 'boolean', default: true, describe: 'lint the Verilog (Verilator -Wall) and parse the HLS C++ (g++) before writing them; --no-check skips it' }),
    (a) =>
      run(async () => {
        if (isSystemFile(a.file)) {
          printSystemBuild(await buildSystem(a.file, a.out, { clockMHz: a.clock, timing: a.timing as 'error' | 'warn', check: a.check, hls: a.hls, target: a.target, part: a.part }), a.out);
          return 0;
        }
        const r = await build(a.file, a.out, { target: a.target, part: a.part, noHls: !a.hls, resources: a.resources, clockMHz: a.clock, timing: a.timing as 'error' | 'warn', check: a.check });
        console.log(`built ${r.design}: ${r.files.filter((f) => !f.startsWith('bundle/')).join(', ')}; ${r.params.length} params (${r.seconds.toFixed(2)} s)`);
        console.log(`build hash ${r.buildHash} (BUILD_HASH register)`);
        if (r.bundle) console.log(`bundle for ${r.bundle.target} (${r.bundle.kind}, ${r.bundle.part}) in ${path.join(a.out, r.bundle.dir)}`);
        console.log(`latency ${r.pipelineLatencyCycles} cycles = ${r.latencyNs.toFixed(1)} ns at ${r.clock.mhz} MHz, II ${r.initiationInterval}; estimated stage delays (${r.clock.family} delay model, period ${r.clock.periodNs} ns):`);
        for (const s of r.stages) {
          const worst = s.criticalPath.length ? `  ${s.criticalPath[0]}${s.criticalPath.length > 1 ? ` .. ${s.criticalPath[s.criticalPath.length - 1]}` : ''}` : '';
          console.log(`  stage ${String(s.stage).padStart(2)}: ${s.delayNs.toFixed(2)} ns, ${s.logicLevels} levels${s.slackNs < 0 ? ' (VIOLATED)' : ''}${s.state.length ? `  state: ${s.state.join(', ')}` : ''}${worst}`);
        }
        for (const m of r.memories) console.log(`  table ${m.table}: ${m.kind}, ${m.read} read, stage ${m.stage}, ${m.wordBits}-bit words`);
        if (r.sweepCycles) console.log(`  after reset the input waits ${r.sweepCycles} cycles while the tables are swept empty`);
        for (const v of r.timingViolations) console.log(v);
        for (const c of r.checks) console.log(c.skipped ? `  check ${c.check}: skipped (${c.skipped})` : `  checked: ${c.check} (${c.seconds.toFixed(2)} s)`);
        return 0;
      }),
  )
  .command(
    'cosim <file>',
    'Run the same stimulus through the model and the Verilated RTL and compare every output',
    (y) =>
      y
        .positional('file', { type: 'string', demandOption: true })
        .option('input', { type: 'string', default: 'synthetic:100000', describe: 'stimulus: synthetic:<N>' })
        .option('seed', { type: 'number', default: 1 })
        .option('out', { type: 'string', default: 'build/cosim', describe: 'directory for cosim.json, RTL, waveform' })
        .option('backends', { type: 'string', default: 'model,rtl,hls', describe: 'executors to compare, of model, rtl, hls (the first listed is the reference)' })
        .option('rtl-dir', { type: 'string', describe: 'co-simulate this (possibly hand-edited) Verilog instead of regenerating it' })
        .option('hls-dir', { type: 'string', describe: 'co-simulate these (possibly hand-edited) HLS kernel sources instead of regenerating them' })
        .option('verbose', { type: 'boolean', default: false, describe: 'show Verilator and compiler output' })
        .option('accept-input-errors', { type: 'boolean', default: false, describe: 'co-simulate what the stimulus reader could read even when it reported errors in the input (listed either way)' })
        .option('valid-prob', { type: 'number', default: 0.9, describe: 'probability the input is offered in a cycle' })
        .option('ready-prob', { type: 'number', default: 0.8, describe: 'probability the output is taken in a cycle' })
        .option('params', { type: 'string', describe: 'JSON file of param, paramVec and paramMem values every executor starts from (host writes + COMMIT before the first record; docs/regmap.md)' })
        .option('update', { type: 'string', array: true, describe: 'a param update while records flow, <input>:<param>=<value>[,<param>=<value>...]: shadow writes then one COMMIT (docs/regmap.md); repeatable' })
        .option('tap', { type: 'string', describe: 'system: print the records on this channel (e.g. risk_gate_to_route), or leaving this unit (e.g. book), after the run' })
        .option('jsonl', { type: 'boolean', default: false, describe: 'with --tap: one JSON object a line' })
        .option('clock', { type: 'number', describe: 'system: schedule the units for this clock in MHz (default 322.27), as `build --clock` does: latencies are in its cycles' })
        .option('hls-top', { type: 'boolean', default: false, describe: 'system: also C-simulate the HLS top (DATAFLOW of every kernel) and compare every channel with the model told its schedule' }),
    (a) =>
      run(async () => {
        if (isSystemFile(a.file)) {
          const bs = a.backends.split(',').map((b) => b.trim());
          if (!bs.includes('model') || !bs.includes('rtl')) throw new Error('a system co-simulates model and rtl, and hls unless --backends model,rtl');
          return runSystemCosim({ file: a.file, input: a.input, seed: a.seed, out: a.out, validProb: a['valid-prob'], readyProb: a['ready-prob'], verbose: a.verbose, acceptInputErrors: a['accept-input-errors'], rtlDir: a['rtl-dir'], hls: bs.includes('hls'), hlsTop: a['hls-top'], tap: a.tap, jsonl: a.jsonl, clockMHz: a.clock, ...(a.params ? { params: readParamsFile(a.params) } : {}) }, say);
        }
        if (a.tap) throw new Error('--tap names a channel of a system; this file is a unit');
        if (a['hls-top']) throw new Error('--hls-top C-simulates the HLS top of a system; this file is a unit (its kernel is the hls backend)');
        if (a.clock) throw new Error('--clock applies to a system; a unit is co-simulated at its build clock (322.27 MHz)');
        const backends = a.backends.split(',').map((b) => b.trim()).filter(Boolean);
        for (const b of backends) if (!(BACKENDS as string[]).includes(b)) throw new Error(`unknown backend ${b}; valid: ${BACKENDS.join(', ')}`);
        const r = await cosim({ file: a.file, input: a.input, seed: a.seed, out: a.out, backends: backends as Backend[], rtlDir: a['rtl-dir'], hlsDir: a['hls-dir'], validProb: a['valid-prob'], readyProb: a['ready-prob'], verbose: a.verbose, acceptInputErrors: a['accept-input-errors'], log: say, updates: (a.update ?? []).map(parseUpdate), ...(a.params ? { params: readParamsFile(a.params) } : {}) });
        console.log(`compared ${r.compared} outputs, ${r.mismatches} mismatches`);
        for (const b of r.backends) {
          if (b === r.reference) continue;
          const e = r.executors[b]!;
          console.log(`  ${b} vs ${r.reference}: compared ${e.compared} outputs, ${e.mismatches} mismatches`);
        }
        if (r.firstMismatch) {
          const m = r.firstMismatch;
          const agree = r.backends.filter((b) => !m.disagree.includes(b));
          console.log(`first mismatch: output ${m.outputIndex} (input ${m.inputIndex}${m.cycle !== null ? `, cycle ${m.cycle}` : ''}): ${m.disagree.join(' and ')} disagree${m.disagree.length === 1 ? 's' : ''} with ${agree.join(' and ')}`);
          console.log(`  input: ${JSON.stringify(m.input)}`);
          for (const b of r.backends) console.log(`  ${(b + ':').padEnd(6)} ${JSON.stringify(m.values[b])}`);
          if (m.waveform) console.log(`  waveform: ${m.waveform}`);
        }
        for (const st of r.status) {
          console.log(`  status ${st.name}: model ${st.model}${st.rtl !== undefined ? `, rtl ${st.rtl}` : ''}${st.hls !== undefined ? `, hls ${st.hls}` : ''}${st.match ? '' : '  MISMATCH'}`);
        }
        const pv = r.propertyViolations.first;
        if (pv) console.log(`property ${pv.property} violated ${r.propertyViolations.count} times; first at input ${pv.inputIndex}: ${JSON.stringify(pv.input)} -> ${JSON.stringify(pv.output)}`);
        if (r.latencyCycles) console.log(`latency cycles: min ${r.latencyCycles.min}, median ${r.latencyCycles.median}, max ${r.latencyCycles.max}`);
        if (r.arbitration) console.log(`inputs: ${Object.entries(r.arbitration.perInput).map(([k, v]) => `${k} ${v}`).join(', ')}; ${r.arbitration.reordered} records taken out of stimulus order by the arbiter (the model and HLS ran in the RTL's order)`);
        for (const c of r.commits) console.log(`update at input ${c.at}: COMMIT taken at cycle ${c.cycle ?? "-"}; the model and HLS apply it from input ${c.firstInput ?? "-"}`);
        console.log(`report: ${a.out}/cosim.json, ${a.out}/report.html`);
        return r.mismatches === 0 ? 0 : 1;
      }),
  )
  .command(testCommand, testDescription, testBuilder, (a) => run(() => runTest(a, say)))
  .command(
    'bench',
    'Measure model, build and co-simulation figures; print them and write docs/BENCHMARKS.md',
    (y) =>
      y
        .option('records', { type: 'number', default: 1_000_000 })
        .option('only', { type: 'string', array: true, choices: SECTIONS, describe: 'run only these parts (gate: risk gate; feed: ITCH feed build and cosim; feed-model: ITCH feed model decode throughput; timing: every example schedule against Yosys sta; system: the pipeline system build, per-channel cosim, end-to-end latency and Yosys; market-maker: the tick-to-trade system, per-unit timing, cosim, tick-to-trade latency, Yosys) and update only their rows' })
        .option('mm-messages', { type: 'number', default: 200_000, describe: 'synthetic messages of the market-maker cosim' })
        .option('mm-model-messages', { type: 'number', default: 10_000_000, describe: 'synthetic messages of the market-maker composed-model throughput run' })
        .option('mm-cosim-messages', { type: 'number', default: 10_000_000, describe: 'synthetic messages of the market-maker long three-way cosim, streamed in chunks (0 skips it)' })
        .option('feed-messages', { type: 'number', default: 10_000_000, describe: 'synthetic messages of the feed-model decode benchmark' })
        .option('write', { type: 'boolean', default: true, describe: 'update docs/BENCHMARKS.md' })
        .option('yosys', { type: 'boolean', default: true, describe: 'run Yosys synthesis and sta (--no-yosys skips it and keeps those rows as they are)' }),
    (a) =>
      run(() => {
        intOption('--records', a.records, 1, MAX_GENERATED);
        intOption('--feed-messages', a.feedMessages, 1, MAX_GENERATED);
        intOption('--mm-messages', a.mmMessages, 1, MAX_GENERATED);
        intOption('--mm-model-messages', a.mmModelMessages, 1, MAX_GENERATED);
        intOption('--mm-cosim-messages', a.mmCosimMessages, 0, MAX_GENERATED);
        return bench({ records: a.records, only: a.only as Section[] | undefined, feedMessages: a.feedMessages, mmMessages: a.mmMessages, mmModelMessages: a.mmModelMessages, mmCosimMessages: a.mmCosimMessages, write: a.write, yosys: a.yosys, log: say });
      }),
  )
  .command(decodeCommand)
  .command(genCommand)
  .command(fuzzCommand)
  .command(proveCommand)
  .command(deployCommand)
  .command(cardCommand)
  .command(ctlCommand)
  .command(setupCommand)
  .command(doctorCommand)
  .command(lintCommand)
  .command(initCommand)
  .demandCommand(1)
  .strict()
  .help()
  .parseAsync();
