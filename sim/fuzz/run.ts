// The differential fuzzer's driver: generate a program per seed, compile it, co-simulate it three-way (model,
// Verilated RTL, HLS C-simulation) on its own edge-heavy stimulus, and keep and minimize every program on which
// the executors disagree. docs/fuzz.md describes the outcomes and how to replay them.
import fs from 'node:fs';
import path from 'node:path';
import { compile } from '../../codegen/index.ts';
import { CompileError } from '../../codegen/diagnostics.ts';
import { emitHls } from '../../hls/emit.ts';
import { type Backend, BACKENDS, cosim } from '../cosim.ts';
import { type Program, renderProgram } from './ast.ts';
import { type GenOptions, generateProgram, programStats } from './gen.ts';
import { minimizeProgram } from './minimize.ts';

/**
 * pass: every executor agrees. divergence: a mismatch between executors (a compiler or executor bug).
 * rejected: the compiler refused the program with a TFxxx diagnostic (the generator wrote something outside the
 * accepted subset, or the compiler rejects valid code). crash: an internal error while compiling or co-simulating.
 */
export type Outcome = 'pass' | 'divergence' | 'rejected' | 'crash';

export interface FuzzOptions {
  /** Programs to run: seeds seed, seed+1, ..., seed+count-1 (a program's seed is also its stimulus seed). */
  count: number;
  seed: number;
  /** Input records per program (default 3000). */
  records?: number;
  /** Output directory: programs/, work/, repro-<seed>.ts, fuzz.json. */
  out: string;
  backends?: Backend[];
  /** Minimize failing programs (default true); at most `maxMinimize` divergences (default 4), each within
   *  `minimizeSeconds` (default 600), plus the first program of every distinct rejection or crash. */
  minimize?: boolean;
  maxMinimize?: number;
  minimizeSeconds?: number;
  gen?: GenOptions;
  log?: (s: string) => void;
}

export interface ProgramResult {
  seed: number;
  file: string;
  outcome: Outcome;
  outputs: number;
  expressions: number;
  nodes: number;
  /** Outputs compared, mismatches (outputs and status registers) and who disagreed with the model. */
  compared?: number;
  mismatches?: number;
  disagree?: Backend[];
  /** The first differing output (pass/divergence), or the diagnostic / error message. */
  detail?: unknown;
  message?: string;
  replay: string;
  repro?: { file: string; replay: string; tests: number; timedOut: boolean; outputs: number; statements: number };
  seconds: number;
}

export interface FuzzReport {
  seed: number;
  count: number;
  records: number;
  programs: ProgramResult[];
  /** `vacuous`: passes that compared no output at all (only status registers, if any): weak evidence, counted apart. */
  totals: Record<Outcome, number> & { programs: number; expressions: number; nodes: number; outputs: number; seconds: number; vacuous: number };
}

/** Compiles the file as cosim would, plus the HLS back end's checks (TF120): throws what the compiler throws. */
export function compileChecked(file: string): void {
  const ir = compile(file, { timing: { enforce: false } });
  emitHls(ir);
}

/** The first line of an error, and for a failed build (g++, Verilator) its first error line too. */
function headline(err: unknown): string {
  const lines = String((err as Error)?.message ?? err).split('\n');
  const first = lines[0];
  const e = lines.slice(1).find((l) => /%Error|error:/.test(l));
  return e ? `${first} ${e.trim()}` : first;
}
/** A message with paths, positions, names and numbers taken out: programs with one signature hit one check. */
export function signature(outcome: Outcome, msg: string): string {
  const s = msg
    .replace(/\S*\/\S+/g, 'P') // paths
    .replace(/\S+\.(ts|v|cpp|h):\d+(:\d+)?:?/g, 'L')
    .replace(/[‘'`][^’'`]*[’'`]/g, 'Q')
    .replace(/\b(fz|repro)\d+\b/g, 'D')
    .replace(/-?\d+/g, 'N');
  return `${outcome}:${s.slice(0, 160)}`;
}

export interface Verdict {
  outcome: Outcome;
  compared?: number;
  mismatches?: number;
  disagree?: Backend[];
  detail?: unknown;
  message?: string;
}

/** One program through the compiler and cosim. */
export async function checkFile(file: string, seed: number, records: number, work: string, backends: Backend[] = BACKENDS): Promise<Verdict> {
  try {
    compileChecked(file);
  } catch (err) {
    return { outcome: err instanceof CompileError ? 'rejected' : 'crash', message: headline(err), detail: String((err as Error).stack ?? err).split('\n').slice(0, 6).join('\n') };
  }
  try {
    const r = await cosim({ file, input: `synthetic:${records}`, seed, out: work, backends });
    const disagree = new Set<Backend>(r.firstMismatch?.disagree ?? []);
    for (const st of r.status) {
      if (st.match) continue;
      if (st.rtl !== undefined && st.rtl !== st.model) disagree.add('rtl');
      if (st.hls !== undefined && st.hls !== st.model) disagree.add('hls');
    }
    for (const b of r.backends) if (r.executors[b]!.mismatches > 0 && b !== r.reference) disagree.add(b);
    const bad = r.status.filter((s) => !s.match);
    return {
      outcome: r.mismatches > 0 ? 'divergence' : 'pass',
      compared: r.compared,
      mismatches: r.mismatches,
      disagree: [...disagree],
      detail: r.firstMismatch ? { first: r.firstMismatch, status: bad.length ? bad : undefined } : bad.length ? { status: bad } : undefined,
    };
  } catch (err) {
    return { outcome: err instanceof CompileError ? 'rejected' : 'crash', message: headline(err), detail: String((err as Error).stack ?? err).split('\n').slice(0, 6).join('\n') };
  }
}

function countStatements(p: Program): number {
  const n = (ss: Program['body']): number => ss.reduce((k, s) => k + 1 + (s.s === 'if' ? n(s.then) + n(s.else ?? []) : s.s === 'for' ? n(s.body) : 0), 0);
  return n(p.body) + (p.helper ? n(p.helper.body) : 0);
}

export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const log = o.log ?? (() => {});
  const records = o.records ?? 3000;
  const out = path.resolve(o.out);
  const progDir = path.join(out, 'programs');
  fs.mkdirSync(progDir, { recursive: true });
  const rel = (f: string) => path.relative(process.cwd(), f) || '.';
  const backends = o.backends ?? BACKENDS;
  const results: ProgramResult[] = [];
  const seen = new Set<string>();
  let minimized = 0;
  const t0 = performance.now();
  const totals: FuzzReport['totals'] = { programs: 0, expressions: 0, nodes: 0, outputs: 0, seconds: 0, pass: 0, divergence: 0, rejected: 0, crash: 0, vacuous: 0 };

  for (let k = 0; k < o.count; k++) {
    const seed = o.seed + k;
    const t1 = performance.now();
    const prog = generateProgram(seed, o.gen);
    const stats = programStats(prog);
    const file = path.join(progDir, `fz${seed}.ts`);
    fs.writeFileSync(file, renderProgram(prog));
    const work = path.join(out, 'work', `fz${seed}`);
    const v = await checkFile(file, seed, records, work, backends);
    const g = o.gen ?? {};
    const genFlags = `${g.avoid?.length ? ` --avoid ${g.avoid.join(',')}` : ''}${g.minOutputs !== undefined && g.minOutputs === g.maxOutputs ? ` --outputs ${g.minOutputs}` : ''}`;
    const replay = `npx tickforge fuzz --count 1 --seed ${seed} --records ${records} --out ${rel(out)}${genFlags}`;
    const res: ProgramResult = { seed, file: rel(file), outcome: v.outcome, ...stats, compared: v.compared, mismatches: v.mismatches, disagree: v.disagree, detail: v.detail, message: v.message, replay, seconds: 0 };
    totals.programs++;
    totals.expressions += stats.expressions;
    totals.nodes += stats.nodes;
    totals.outputs += stats.outputs;
    totals[v.outcome]++;
    if (v.outcome === 'pass' && !v.compared) totals.vacuous++;
    const what =
      v.outcome === 'pass'
        ? `pass (${v.compared} outputs compared${v.compared ? '' : ': vacuous, no output to compare'})`
        : v.outcome === 'divergence'
          ? `DIVERGENCE: ${v.disagree!.join(' and ')} disagree${v.disagree!.length === 1 ? 's' : ''} with the model (${v.mismatches} mismatches)`
          : `${v.outcome.toUpperCase()}: ${v.message}`;
    log(`fz${seed}: ${stats.outputs} outputs, ${stats.expressions} expressions, ${stats.nodes} nodes: ${what}`);

    const sig = v.outcome === 'divergence' ? `divergence:${minimized}` : signature(v.outcome, v.message ?? '');
    const wantMin =
      o.minimize !== false &&
      v.outcome !== 'pass' &&
      (v.outcome === 'divergence' ? minimized < (o.maxMinimize ?? 4) : !seen.has(sig));
    seen.add(sig);
    if (wantMin) {
      if (v.outcome === 'divergence') minimized++;
      // The cheaper executor that shows it: g++ builds faster than Verilator.
      const who: Backend | null =
        v.outcome === 'divergence' ? (v.disagree!.includes('hls') ? 'hls' : 'rtl') : /HLS/.test(v.message ?? '') ? 'hls' : /Verilator/.test(v.message ?? '') ? 'rtl' : null;
      const mbackends: Backend[] = who ? ['model', who] : backends;
      const candDir = path.join(progDir, `min-${seed}`);
      fs.mkdirSync(candDir, { recursive: true });
      let n = 0;
      const test = async (c: Program): Promise<boolean> => {
        // A fresh file name per candidate: Node caches imported modules by URL.
        const f = path.join(candDir, `c${n++}.ts`);
        fs.writeFileSync(f, renderProgram(c));
        if (v.outcome === 'rejected' || v.outcome === 'crash') {
          // Cheap first: a compile-stage failure reproduces without cosim.
          try {
            compileChecked(f);
          } catch (err) {
            return (err instanceof CompileError ? 'rejected' : 'crash') === v.outcome && signature(v.outcome, headline(err)) === sig;
          }
          if (v.outcome === 'rejected') return false;
        }
        const w = await checkFile(f, seed, records, path.join(out, 'work', `min-${seed}`), mbackends);
        if (v.outcome === 'divergence') return w.outcome === 'divergence' && (who === null || w.disagree!.includes(who));
        return w.outcome === v.outcome && signature(w.outcome, w.message ?? '') === sig;
      };
      const secs = o.minimizeSeconds ?? 600;
      log(`fz${seed}: minimizing (${v.outcome === 'divergence' ? `model vs ${who}` : v.outcome}, at most ${secs} s)`);
      const m = await minimizeProgram(prog, test, { deadline: Date.now() + secs * 1000, log: (s) => log(`fz${seed}: ${s}`), exprs: v.outcome !== 'rejected' });
      const reproFile = path.join(out, `repro-${seed}.ts`);
      const mp = { ...m.program, name: `repro${seed}` };
      fs.writeFileSync(reproFile, renderProgram(mp));
      fs.rmSync(candDir, { recursive: true, force: true });
      const reproReplay =
        v.outcome !== 'rejected'
          ? `npx tickforge cosim ${rel(reproFile)} --input synthetic:${records} --seed ${seed} --backends ${mbackends.join(',')} --out ${rel(path.join(out, 'work', `repro-${seed}`))}`
          : `npx tickforge build ${rel(reproFile)} --out ${rel(path.join(out, 'work', `repro-${seed}`))}`;
      res.repro = { file: rel(reproFile), replay: reproReplay, tests: m.tests, timedOut: m.timedOut, outputs: mp.outputs.length, statements: countStatements(mp) };
      log(`fz${seed}: minimized to ${rel(reproFile)} (${mp.outputs.length} outputs, ${countStatements(mp)} statements; ${m.tests} tests${m.timedOut ? ', stopped by the time limit' : ''}); replay: ${reproReplay}`);
    }
    res.seconds = (performance.now() - t1) / 1000;
    results.push(res);
    totals.seconds = (performance.now() - t0) / 1000;
    writeReport(out, { seed: o.seed, count: o.count, records, programs: results, totals }); // so far, for long runs
    const bad = totals.divergence;
    log(`fuzz: ${k + 1}/${o.count} programs, ${bad} divergence${bad === 1 ? '' : 's'}${totals.rejected ? `, ${totals.rejected} rejected` : ''}${totals.crash ? `, ${totals.crash} crashes` : ''}`);
  }
  totals.seconds = (performance.now() - t0) / 1000;
  const report: FuzzReport = { seed: o.seed, count: o.count, records, programs: results, totals };
  writeReport(out, report);
  return report;
}

function writeReport(out: string, r: FuzzReport): void {
  fs.writeFileSync(path.join(out, 'fuzz.json'), JSON.stringify(r, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2) + '\n');
}

/** The one-line summary the CLI prints last. */
export function summaryLine(r: FuzzReport, out: string): string {
  const t = r.totals;
  return (
    `fuzz: ${t.programs} programs (seeds ${r.seed}..${r.seed + r.count - 1}), ${t.outputs} output fields, ${t.expressions} expressions (${t.nodes} nodes), ` +
    `${r.records} records each: ${t.pass} pass${t.vacuous ? ` (${t.vacuous} of them with no output compared)` : ''}, ${t.divergence} divergence${t.divergence === 1 ? '' : 's'}, ${t.rejected} rejected by the compiler, ${t.crash} crash${t.crash === 1 ? '' : 'es'} ` +
    `in ${t.seconds.toFixed(0)} s; report ${path.join(out, 'fuzz.json')}`
  );
}
