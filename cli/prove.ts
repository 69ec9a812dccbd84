// `tickforge prove <design>`: every property of the unit (declared ones and the generated stream rules) proved by
// k-induction on the emitted Verilog; exit 1 when one fails, 3 when one stays unknown (docs/proofs.md).
import type { CommandModule } from 'yargs';
import { prove, type PropertyResult } from '../sim/formal/index.ts';

interface ProveArgs {
  file: string;
  out: string;
  'rtl-dir'?: string;
  'max-steps': number;
  only?: string;
  timeout?: number;
  clock?: number;
}

export function formatResult(r: PropertyResult): string[] {
  const depth = r.depth === undefined ? '' : r.status === 'proved' ? `, induction length ${r.depth}` : r.status === 'failed' ? `, trace of ${r.depth} cycles` : '';
  const L = [`${r.status.padEnd(7)} ${r.id.padEnd(24)} ${r.seconds.toFixed(1).padStart(6)} s${depth}  ${r.text}${r.reason ? `  (${r.reason})` : ''}`];
  if (r.status !== 'failed') return L;
  if (r.vcd) L.push(`        counterexample: ${r.vcd} (VCD; Yosys writes no FST)`);
  if (r.params) L.push(`        params: ${JSON.stringify(r.params, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  for (const s of r.replay ?? []) {
    L.push(`        cycle ${s.cycle}: input ${JSON.stringify(s.input)} -> model ${s.model ? JSON.stringify(s.model) : 'no output'}${s.violated.length ? ` (model violates ${s.violated.join(', ')})` : ''}`);
  }
  if (r.rtlOutput) L.push(`        RTL produced ${JSON.stringify(r.rtlOutput)}`);
  return L;
}

export const proveCommand: CommandModule<object, ProveArgs> = {
  command: 'prove <file>',
  describe: 'Prove a unit\'s (or every unit of a system\'s) properties and AXI-Stream/AXI-Lite rules on its Verilog, and a system\'s theorems (k-induction, Yosys)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'design file (default export: unit({...}))' })
      .option('out', { type: 'string', default: 'build/prove', describe: 'directory for the wrapped Verilog, Yosys scripts and logs, counterexamples, prove.json' })
      .option('rtl-dir', { type: 'string', describe: 'prove this (possibly hand-edited) Verilog instead of regenerating it' })
      .option('max-steps', { type: 'number', default: 16, describe: 'largest induction length / counterexample depth tried' })
      .option('timeout', { type: 'number', describe: 'solver time limit per property in seconds (past it: unknown)' })
      .option('only', { type: 'string', describe: 'comma-separated property ids (default: all); a system theorem brings its steps' })
      .option('clock', { type: 'number', describe: 'schedule the unit (or the system\'s units) for this clock in MHz, as `build --clock` (default 322.27)' }) as never,
  handler: async (a) => {
    try {
      const r = await prove({ file: a.file, out: a.out, rtlDir: a['rtl-dir'], maxSteps: a['max-steps'], timeoutSeconds: a.timeout, clockMHz: a.clock, only: a.only?.split(',').map((s) => s.trim()).filter(Boolean) });
      for (const p of r.properties) for (const line of formatResult(p)) console.log(line);
      const n = (s: string) => r.properties.filter((p) => p.status === s).length;
      console.log(`${r.design}: ${n('proved')} proved, ${n('failed')} failed, ${n('unknown')} unknown in ${r.seconds.toFixed(1)} s (${r.yosys}); ${a.out}/prove.json`);
      process.exitCode = n('failed') ? 1 : n('unknown') ? 3 : 0;
    } catch (err) {
      process.stderr.write(`tickforge: error: ${(err as Error).message}\n`);
      process.exitCode = 2;
    }
  },
};
