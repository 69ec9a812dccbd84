// `tickforge fuzz`: the differential fuzzer (docs/fuzz.md). Random valid designs x edge-heavy stimulus through the
// model, the Verilated RTL and the HLS C-simulation; every divergence is kept and minimized into <out>/repro-<seed>.ts.
import type { Argv, CommandModule } from 'yargs';
import { BACKENDS, type Backend } from '../sim/cosim.ts';
import { fuzz, summaryLine } from '../sim/fuzz/run.ts';
import { AVOIDABLE } from '../sim/fuzz/gen.ts';
import { intOption, seedOption, MAX_GENERATED } from '../sim/stimulus/input.ts';

const say = (s: string) => process.stderr.write(`tickforge: ${s}\n`);

export interface FuzzArgs {
  count: number;
  seed: number;
  records: number;
  out: string;
  backends: string;
  minimize: boolean;
  'max-minimize': number;
  'minimize-seconds': number;
  outputs?: number;
  avoid?: string;
}

export async function runFuzz(a: FuzzArgs): Promise<number> {
  for (const [k, v] of [['count', a.count], ['records', a.records]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(a.seed) || a.seed < 0) throw new Error(`--seed must be a non-negative integer, got ${a.seed}`);
  const backends = a.backends.split(',').map((b) => b.trim()).filter(Boolean);
  for (const b of backends) if (!(BACKENDS as string[]).includes(b)) throw new Error(`unknown backend ${b}; valid: ${BACKENDS.join(', ')}`);
  const gen = {
    ...(a.outputs ? { minOutputs: a.outputs, maxOutputs: a.outputs } : {}),
    avoid: a.avoid ? a.avoid.split(',').map((x) => x.trim()).filter(Boolean) : [],
  };
  const r = await fuzz({
    count: a.count,
    seed: a.seed,
    records: a.records,
    out: a.out,
    backends: backends as Backend[],
    minimize: a.minimize,
    maxMinimize: a['max-minimize'],
    minimizeSeconds: a['minimize-seconds'],
    gen,
    log: say,
  });
  for (const p of r.programs) {
    if (p.outcome === 'pass') continue;
    console.log(`${p.outcome} fz${p.seed}: ${p.outcome === 'divergence' ? `${p.disagree!.join(' and ')} disagree${p.disagree!.length === 1 ? 's' : ''} with the model` : p.message}`);
    console.log(`  program: ${p.file}; replay: ${p.replay}`);
    if (p.repro) console.log(`  minimized: ${p.repro.file}; replay: ${p.repro.replay}`);
  }
  console.log(summaryLine(r, a.out));
  return r.totals.divergence + r.totals.crash + r.totals.rejected === 0 ? 0 : 1;
}

export const fuzzCommand: CommandModule<object, FuzzArgs> = {
  command: 'fuzz',
  describe: 'Differential fuzzing: random valid designs through model, RTL and HLS; divergences minimized to <out>/repro-<seed>.ts',
  builder: (y: Argv) =>
    y
      .option('count', { type: 'number', default: 20, describe: 'programs to generate (seeds seed..seed+count-1)' })
      .option('seed', { type: 'number', default: 1, describe: 'first program seed (also its stimulus seed)' })
      .option('records', { type: 'number', default: 3000, describe: 'input records per program' })
      .option('out', { type: 'string', default: 'build/fuzz', describe: 'directory for programs, reproducers and fuzz.json (inside the project, so designs resolve tickforge/dsl)' })
      .option('backends', { type: 'string', default: 'model,rtl,hls', describe: 'executors to compare (the first listed is the reference)' })
      .option('minimize', { type: 'boolean', default: true, describe: 'minimize failing programs (--no-minimize skips it)' })
      .option('max-minimize', { type: 'number', default: 4, describe: 'divergences to minimize per run' })
      .option('minimize-seconds', { type: 'number', default: 600, describe: 'time limit per minimization' })
      .option('outputs', { type: 'number', describe: 'output fields per program (default: 8..14 at random)' })
      .option('avoid', { type: 'string', describe: `constructs to leave out while a known bug is open: ${Object.keys(AVOIDABLE).join(', ') || '(none now)'}` }) as unknown as Argv<FuzzArgs>,
  handler: async (a) => {
    try {
      seedOption(a.seed);
      intOption('--count', a.count, 1, 1_000_000);
      intOption('--records', a.records, 1, MAX_GENERATED);
      intOption('--max-minimize', a['max-minimize'], 0, 1_000_000);
      if (a.outputs !== undefined) intOption('--outputs', a.outputs, 1, 64);
      if (!(a['minimize-seconds'] > 0)) throw new Error(`--minimize-seconds must be a positive number, got ${String(a['minimize-seconds'])}`);
      process.exitCode = await runFuzz(a);
    } catch (err) {
      process.stderr.write(`tickforge: error: ${(err as Error).message}\n`);
      process.exitCode = 2;
    }
  },
};
