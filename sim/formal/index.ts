// `tickforge prove`: proves a unit's declared properties and the generated stream-protocol rules on its emitted
// Verilog by k-induction with Debian's Yosys 0.23 (`sat -tempinduct`, its built-in MiniSat: no external solver
// to pin), one Yosys run per property so each gets a status and a time; on a failure, the counterexample as a
// VCD and the input records of the trace replayed through the model. docs/proofs.md says what this proves.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile, type UnitIR } from '../../codegen/index.ts';
import { emitVerilog } from '../../rtl/index.ts';
import { unpackBits, recordToJson, type Unit } from '../../dsl/index.ts';
import { wrapUnit, type FormalProperty } from './wrapper.ts';
import { readVcd, type Vcd } from './vcd.ts';
import { isSystemFile } from '../../codegen/frontend/system.ts';
import { proveSystem } from './system.ts';

export type { FormalProperty } from './wrapper.ts';

export interface ProveOptions {
  file: string;
  out: string;
  /** Prove this (possibly hand-edited) Verilog instead of regenerating it: `<dir>/<name>.v`, `<dir>/<name>_regs.v`. */
  rtlDir?: string;
  /** Largest induction length (and base-case depth) tried; a property not proved by then is `unknown`. */
  maxSteps?: number;
  /** Solver time limit per property, in seconds: past it the property is `unknown` (default: none). */
  timeoutSeconds?: number;
  /** Only these property ids (default: all). */
  only?: string[];
  /** Schedule the unit (or a system's units) for this clock in MHz, as `build --clock` (default 322.27). */
  clockMHz?: number;
  log?: (s: string) => void;
}

export interface ReplayStep {
  /** Cycle (the DUT's `now`) at which the record was accepted. */
  readonly cycle: number;
  readonly input: Record<string, unknown>;
  /** The model's output for it (undefined: no output), and the model's property violations on it. */
  readonly model: Record<string, unknown> | undefined;
  readonly violated: string[];
}

export interface PropertyResult extends FormalProperty {
  status: 'proved' | 'failed' | 'unknown';
  seconds: number;
  /** proved: the induction length that closed the proof; failed: the length of the counterexample trace. */
  depth?: number;
  reason?: string;
  /** failed: the counterexample waveform, the params of the run, the output the RTL produced, the replay. */
  vcd?: string;
  params?: Record<string, unknown>;
  rtlOutput?: Record<string, unknown>;
  replay?: ReplayStep[];
}

export interface ProveReport {
  design: string;
  yosys: string;
  maxSteps: number;
  properties: PropertyResult[];
  seconds: number;
}

export const DEFAULT_MAX_STEPS = 16;

export async function prove(opts: ProveOptions): Promise<ProveReport> {
  if (isSystemFile(opts.file)) return proveSystem(opts);
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const u = compile(opts.file, opts.clockMHz ? { timing: { clockMHz: opts.clockMHz } } : {});
  const emitted = emitVerilog(u);
  const text = (name: string): string | undefined => {
    if (opts.rtlDir) {
      const p = path.join(opts.rtlDir, name);
      return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
    }
    return emitted.files.get(name);
  };
  const unitText = text(`${u.name}.v`);
  if (!unitText) throw new Error(`prove: no ${u.name}.v${opts.rtlDir ? ` in ${opts.rtlDir}` : ''}`);
  const w = wrapUnit(u, unitText, text(`${u.name}_regs.v`));
  const dir = path.resolve(opts.out);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${u.name}.v`), w.unit);
  if (w.regs) fs.writeFileSync(path.join(dir, `${u.name}_regs.v`), w.regs);
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  // Signals the unit's Verilog declares (a unit that never reads `now` has no cycle counter, for one).
  const declared = declaredNames(w.unit);
  const results: PropertyResult[] = [];
  for (const p of w.properties) {
    if (opts.only && !opts.only.includes(p.id)) continue;
    const why = w.unsupported.get(p.id);
    if (why) {
      results.push({ ...p, status: 'unknown', seconds: 0, reason: why });
      continue;
    }
    const r = await proveOne(u, p, dir, maxSteps, Boolean(w.regs), declared, opts.timeoutSeconds);
    log(`${p.id}: ${r.status}${r.depth !== undefined ? ` (${r.status === 'proved' ? 'induction length' : 'trace length'} ${r.depth})` : ''} in ${r.seconds.toFixed(1)} s`);
    if (r.status === 'failed' && r.vcd) await explain(r, u, opts.file);
    results.push(r);
  }
  const report: ProveReport = { design: u.name, yosys: 'Yosys 0.23 sat -tempinduct (MiniSat)', maxSteps, properties: results, seconds: (performance.now() - t0) / 1000 };
  fs.writeFileSync(path.join(dir, 'prove.json'), JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
  return report;
}

/** Signals and memories a Verilog text declares (a unit that never reads `now` has no cycle counter, for one). */
export function declaredNames(text: string): Set<string> {
  return new Set([...text.matchAll(/\b(?:wire|reg)\s+(?:\[[^\]]+\]\s*)?(\w+)/g)].map((m) => m[1]));
}

/** The Yosys script proving one property (commands as data, so a test can read them). */
export function proveScript(u: UnitIR, p: FormalProperty, maxSteps: number, hasRegs: boolean, vcd: string, declared: ReadonlySet<string>): string[] {
  const files = hasRegs ? `${u.name}_regs.v ${u.name}.v` : `${u.name}.v`;
  const top = p.module === 'regs' ? `${u.name}_regs` : u.name;
  const s = [`read_verilog -formal -DTF_PROVE_${p.id} ${files}`, `hierarchy -top ${top}`];
  // A declared property's counterexample is replayed through the model: keep what the replay reads (the
  // cycle counter, the input handshake, the params, the record produced); all but the counter are in the
  // property's cone anyway.
  const shown = p.kind === 'dsl' || p.kind === 'chain' ? ['cycle', 's_axis_tready', 'out_rec_valid', 'out_rec_data', ...u.params.map((q) => `p_${q.name}`)].filter((x) => declared.has(x)) : [];
  if (shown.length) s.push(`setattr -set keep 1 ${shown.map((x) => `${top}/w:${x}`).join(' ')}`);

  if (p.module === 'unit') {
    // Abstractions, each sound for these properties (a proof holds for the real design; docs/proofs.md):
    //  - the register file is cut: params are free values, held by the wrapper's assumption;
    //  - table contents are cut: every read returns any value, so a proof holds whatever the tables hold;
    //  - `sweeping` is cut: the post-reset sweep may end at any time (the real one takes thousands of cycles,
    //    which a bounded search from reset could never get past).
    if (hasRegs) s.push(`cutpoint ${top}/regs`);
    if (p.cuts?.length) s.push(`cutpoint ${p.cuts.map((w) => `${top}/w:${w}`).join(' ')}`);
    // Outputs are no longer ports: logic that only drives them, and no assertion, is removed before solving.
    s.push(`delete -port ${top}/o:*`, 'proc', 'flatten', 'memory -nomap');
    s.push(`cutpoint ${top}/w:sweeping`);
    // A table is one memory `<t>_mem`, or two (`<t>_memA`, `<t>_memB`) when it has two write sites (rtl/memory2.ts).
    for (const t of u.tables) for (const m of [...declared].filter((d) => new RegExp(`^${t.name}_mem[AB]?$`).test(d)).sort()) s.push(`cutpoint ${top}/${m}`);
  } else s.push('proc', 'flatten', 'memory -nomap');
  s.push('memory_map', 'opt -keepdc -fast', 'wreduce -keepdc', 'opt_clean');
  s.push(`sat -tempinduct -prove-asserts -set-assumes -set-init-zero -maxsteps ${maxSteps} -show-inputs ${shown.map((x) => `-show ${x}`).join(' ')} -dump_vcd ${vcd}`.replace(/\s+/g, ' '));
  return s;
}

export async function proveOne(u: UnitIR, p: FormalProperty, dir: string, maxSteps: number, hasRegs: boolean, declared: ReadonlySet<string>, timeoutSeconds?: number): Promise<PropertyResult> {
  const t0 = performance.now();
  const vcd = `${p.id}.vcd`;
  fs.rmSync(path.join(dir, vcd), { force: true });
  const script = proveScript(u, p, maxSteps, hasRegs, vcd, declared);
  fs.writeFileSync(path.join(dir, `${p.id}.ys`), script.join('\n') + '\n');
  const { code, out, timedOut } = await run('yosys', ['-q', '-l', `${p.id}.log`, `${p.id}.ys`], dir, timeoutSeconds);
  const seconds = (performance.now() - t0) / 1000;
  const logText = fs.existsSync(path.join(dir, `${p.id}.log`)) ? fs.readFileSync(path.join(dir, `${p.id}.log`), 'utf8') : out;
  const lengths = [...logText.matchAll(/Trying induction with length (\d+)/g)].map((m) => Number(m[1]));
  const last = lengths.length ? lengths[lengths.length - 1] : undefined;
  if (/Induction step proven: SUCCESS!/.test(logText)) return { ...p, status: 'proved', seconds, depth: last };
  const base = /Base case for induction length (\d+) failed/.exec(logText) ?? /\[base case (\d+)\][^\n]*\n[^\n]*SAT temporal induction proof finished - model found/.exec(logText);
  if (/model found: FAIL!/.test(logText) || base) {
    return { ...p, status: 'failed', seconds, depth: base ? Number(base[1]) : last, vcd: fs.existsSync(path.join(dir, vcd)) ? path.join(dir, vcd) : undefined };
  }
  if (timedOut) return { ...p, status: 'unknown', seconds, depth: last, reason: `no proof or counterexample within the ${timeoutSeconds} s limit (reached induction length ${last ?? 0})` };
  if (/Reached maximum number of time steps/.test(logText)) return { ...p, status: 'unknown', seconds, depth: last, reason: `induction did not close within ${maxSteps} steps (no counterexample that deep either)` };
  return { ...p, status: 'unknown', seconds, reason: `yosys exited ${code}: ${(/ERROR: .*/.exec(logText) ?? [out.slice(-300)])[0]}` };
}

/** Reads the counterexample: the params, the records the trace feeds in, and what the model makes of them. */
export async function explain(r: PropertyResult, u: UnitIR, file: string): Promise<void> {
  let v: Vcd;
  try {
    v = readVcd(fs.readFileSync(r.vcd!, 'utf8'));
  } catch {
    return;
  }
  const steps = v.length;
  const at = (name: string, t: number): bigint | undefined => v.value(name, t);
  const params: Record<string, unknown> = {};
  for (const p of u.params) {
    const b = at(`p_${p.name}`, Math.max(0, steps - 1));
    if (b !== undefined) params[p.name] = p.spec.kind === 'bool' ? b === 1n : p.spec.width > 48 ? b : Number(b);
  }
  r.params = params;
  const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { default: Unit };
  const model = mod.default.model();
  for (const [k, val] of Object.entries(params)) model.setParam(k as never, val);
  const replay: ReplayStep[] = [];
  for (let t = 0; t < steps; t++) {
    if (at('aresetn', t) !== 1n || at('s_axis_tvalid', t) !== 1n || at('s_axis_tready', t) !== 1n) continue;
    const bits = at('s_axis_tdata', t) ?? 0n;
    const input = unpackBits(u.input, bits & ((1n << BigInt(u.input.width)) - 1n));
    const cycle = Number(at('cycle', t) ?? 0n);
    const before = model.violations.length;
    const out = model.stepAll(input as never, cycle)[0] as Record<string, unknown> | undefined; // properties of a unit with several outputs are not proved (reported unknown)
    replay.push({ cycle, input: recordToJson(u.input, input) as Record<string, unknown>, model: out && (recordToJson(u.output, out) as Record<string, unknown>), violated: model.violations.slice(before).map((x) => x.property) });
  }
  r.replay = replay;
  for (let t = steps - 1; t >= 0; t--) {
    if (at('out_rec_valid', t) === 1n) {
      r.rtlOutput = recordToJson(u.output, unpackBits(u.output, at('out_rec_data', t) ?? 0n)) as Record<string, unknown>;
      break;
    }
  }
}

export function run(cmd: string, args: string[], cwd: string, timeoutSeconds?: number): Promise<{ code: number; out: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    const timer = timeoutSeconds ? setTimeout(() => ((timedOut = true), p.kill('SIGKILL')), timeoutSeconds * 1000) : undefined;
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', (e) => reject(new Error(`prove: cannot run ${cmd} (${e.message}); run \`bash scripts/setup.sh\` (installs yosys)`)));
    p.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? 1, out, timedOut });
    });
  });
}
