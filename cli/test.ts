// `tickforge test`: the cocotb verification layer (sim/cocotb/). Compiles the design (or takes --rtl-dir Verilog),
// generates a cocotb bench and runs it on Verilator; prints `cocotb: <N> tests, <F> failed` and exits non-zero on
// any failure. JUnit XML (cocotb's results.xml), the simulator log and cocotb.json land in --out.
import type { Argv } from 'yargs';
import { cocotbTest } from '../sim/cocotb/index.ts';
import { intOption, seedOption, MAX_GENERATED } from '../sim/stimulus/input.ts';

export interface TestArgs {
  file: string;
  out: string;
  'rtl-dir'?: string;
  waves: boolean;
  seed: number;
  records: number;
  input?: string;
  filter?: string;
  verbose: boolean;
}

export const testCommand = 'test <file>';
export const testDescription = 'Run the cocotb bench (AXI-Stream stalls and back-pressure, params over AXI-Lite, reset mid-traffic) on Verilator against the model';

export function testBuilder(y: Argv): Argv<TestArgs> {
  return y
    .positional('file', { type: 'string', demandOption: true, describe: 'design file (default export: unit({...}))' })
    .option('out', { type: 'string', default: 'build/test', describe: 'directory for results.xml (JUnit), sim.log, cocotb.json, the bench, waves' })
    .option('rtl-dir', { type: 'string', describe: 'test this (possibly hand-edited) Verilog instead of regenerating it' })
    .option('waves', { type: 'boolean', default: false, describe: 'keep an FST waveform (<out>/dump.fst)' })
    .option('seed', { type: 'number', default: 1, describe: 'seed of stimulus, stalls, back-pressure and host writes' })
    .option('records', { type: 'number', default: 3000, describe: 'input records per test' })
    .option('input', { type: 'string', describe: "a capture the design's stimulus reads (e.g. an ITCH file or pcap), as cosim takes it; each test sends up to --records of it, as one stream from its start (again after a reset)" })
    .option('filter', { type: 'string', describe: 'run only the tests whose name matches this regular expression' })
    .option('verbose', { type: 'boolean', default: false, describe: 'echo the runner and simulator output' }) as unknown as Argv<TestArgs>;
}

/** Runs the bench and prints the outcome; returns the exit code (0: every test passed). */
export async function runTest(a: TestArgs, say: (s: string) => void): Promise<number> {
  seedOption(a.seed);
  intOption('--records', a.records, 8, MAX_GENERATED);
  const r = await cocotbTest({ file: a.file, out: a.out, rtlDir: a['rtl-dir'], waves: a.waves, seed: a.seed, records: a.records, input: a.input, filter: a.filter, verbose: a.verbose, log: say });
  for (const t of r.tests) {
    console.log(`${t.status === 'passed' ? 'PASS' : t.status === 'skipped' ? 'SKIP' : 'FAIL'} ${t.name} (${t.seconds.toFixed(1)} s)`);
    if (t.status === 'failed') console.log(`${t.message.replace(/^/gm, '    ')}\n    log: ${t.log}`);
    if (t.waves) console.log(`    waveform: ${t.waves}`);
  }
  console.log(`cocotb: ${r.tests.length} tests, ${r.failed} failed`);
  console.log(`results: ${r.results}`);
  return r.failed === 0 && r.tests.length > 0 ? 0 : 1;
}
