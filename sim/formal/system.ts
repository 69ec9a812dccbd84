// `tickforge prove <system>`: every unit's properties and stream rules, proved on the unit's module as the system
// instantiates it (scheduled at the system's clock), and the system theorems composed from steps proved on single
// units. A system theorem is never solved on the flattened top: the whole market maker unrolled for the ~30
// cycles the induction needs is millions of variables per step and did not close (measured, docs/proofs.md).
// Instead each step is a small induction on one unit and the steps chain through wire links, where the producer's
// m_axis is the consumer's s_axis.
//
// The theorem generated so far, `system.silent_<unit>_<param>`: for a unit property of the form
// `implies(params.P, Q(out))` with Q over output fields only, "while <unit>'s param P is set, the system sends
// nothing". Steps: prop_<name> on the unit (Q at the record-producing point); port_<name> (Q on every record
// leaving its m_axis); on the next unit, silent given inputs satisfying Q; on every later unit, silent given no
// input. Proved when every step is; failed when one fails (that step's counterexample); else unknown.
import fs from 'node:fs';
import path from 'node:path';
import { compileSystem, type SystemIR, type ScheduledUnit } from '../../codegen/system.ts';
import { emitSystemVerilog } from '../../rtl/system.ts';
import type { PropExpr } from '../../codegen/index.ts';
import { wrapUnit, type ChainStep } from './wrapper.ts';
import { DEFAULT_MAX_STEPS, declaredNames, explain, proveOne, type ProveOptions, type ProveReport, type PropertyResult } from './index.ts';

/** A system theorem and the steps that prove it, by unit index; `unsupported` says why it cannot be chained. */
export interface SystemTheorem {
  readonly id: string;
  readonly text: string;
  readonly steps: Map<number, ChainStep[]>;
  /** Ids of every step's result (`<unit>.<step id>`), in proof order. */
  readonly pieces: string[];
  readonly unsupported?: string;
}

const usesParam = (e: PropExpr): boolean =>
  e.k === 'param' || (e.k === 'not' && usesParam(e.a)) || (e.k === 'bin' && (usesParam(e.a) || usesParam(e.b))) || (e.k === 'cond' && (usesParam(e.c) || usesParam(e.a) || usesParam(e.b)));

/** The silence theorems of a system: one per unit property `implies(params.P, Q)` (docs/proofs.md "Systems"). */
export function silenceTheorems(s: SystemIR): SystemTheorem[] {
  const out: SystemTheorem[] = [];
  s.units.forEach((u, k) => {
    for (const p of u.properties ?? []) {
      const e = p.expr;
      // implies(a, b) reads as !a || b (codegen/frontend/properties.ts).
      if (!(e.k === 'bin' && e.op === '||' && e.a.k === 'not' && e.a.a.k === 'param' && e.a.a.spec.kind === 'bool')) continue;
      const param = e.a.a.name;
      const q = e.b;
      const id = `system.silent_${u.name}_${param}`;
      const text = `while ${u.name}'s param ${param} is set, the system sends nothing (from ${u.name}'s property ${p.name}: ${p.text})`;
      const qText = p.text.replace(/^implies\([^,]+,\s*/, '').replace(/\)$/, '');
      const steps = new Map<number, ChainStep[]>();
      const pieces = [`${u.name}.prop_${p.name}`];
      const add = (j: number, step: ChainStep) => {
        steps.set(j, [...(steps.get(j) ?? []), step]);
        pieces.push(`${s.units[j].name}.${step.id}`);
      };
      let why: string | undefined;
      if (usesParam(q)) why = `${p.name}'s conclusion reads params, which the next unit does not see`;
      else if (k === s.units.length - 1) why = `${u.name} is the system's last unit: its port_${p.name} is the statement`;
      add(k, { kind: 'port', id: `port_${p.name}`, property: p });
      for (let j = k + 1; j < s.units.length && !why; j++) {
        const link = s.links.find((l) => l.from === j - 1 && l.to === j);
        if (!link || link.channel.type !== 'wire') why = `the link into ${s.units[j].name} is ${link ? `a ${link.channel.type} channel` : 'missing'}: only wire links are chained yet`;
        else if (s.units[j].inputs) why = `${s.units[j].name} has several inputs: not chained yet`;
        else if (s.externals.some((x) => x.unit === j)) why = `${s.units[j].name} also takes a system input`;
        else add(j, { kind: 'silent', id: `silent_${u.name}_${param}`, given: j === k + 1 ? { rec: s.units[j].input, expr: q, text: qText } : 'idle' });
      }
      out.push({ id, text, steps, pieces, unsupported: why });
    }
  });
  return out;
}

export async function proveSystem(opts: ProveOptions): Promise<ProveReport> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const sys = compileSystem(opts.file, { timing: { enforce: false, ...(opts.clockMHz ? { clockMHz: opts.clockMHz } : {}) } });
  const emitted = emitSystemVerilog(sys).files;
  const text = (name: string): string | undefined => {
    if (opts.rtlDir) {
      const p = path.join(opts.rtlDir, name);
      return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
    }
    return emitted.get(name);
  };
  // The chain's composition step is the top's wiring: each chained link must be the plain assigns rtl/system.ts
  // emits (a hand-edited top that reroutes a link is not silently trusted).
  const top = text(`${sys.top}.v`) ?? '';
  const wired = (name: string) => ['tvalid', 'tdata', 'tready'].every((x) => top.includes(x === 'tready' ? `assign ${name}_src_tready = ${name}_dst_tready;` : `assign ${name}_dst_${x} = ${name}_src_${x};`));
  const theorems = silenceTheorems(sys).map((t) => {
    const bad = t.unsupported ? undefined : sys.links.find((l) => t.steps.has(l.from) && t.steps.has(l.to) && !wired(l.name));
    return bad ? { ...t, unsupported: `${sys.top}.v does not connect ${bad.name} as a wire (assign ${bad.name}_dst_* = ${bad.name}_src_*)` } : t;
  });
  const wanted = (id: string) => !opts.only || opts.only.includes(id);
  // A selected theorem brings its steps along.
  const needed = new Set(theorems.filter((t) => wanted(t.id) && !t.unsupported).flatMap((t) => t.pieces));
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const results: PropertyResult[] = [];
  for (const [k, u] of sys.units.entries()) {
    const unitText = text(`${u.name}.v`);
    if (!unitText) throw new Error(`prove: no ${u.name}.v${opts.rtlDir ? ` in ${opts.rtlDir}` : ''}`);
    const steps = theorems.filter((t) => !t.unsupported).flatMap((t) => t.steps.get(k) ?? []);
    const w = wrapUnit(u, unitText, text(`${u.name}_regs.v`), steps);
    const dir = path.resolve(opts.out, u.name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${u.name}.v`), w.unit);
    if (w.regs) fs.writeFileSync(path.join(dir, `${u.name}_regs.v`), w.regs);
    const declared = declaredNames(w.unit);
    for (const p of w.properties) {
      const id = `${u.name}.${p.id}`;
      if (!wanted(id) && !needed.has(id)) continue;
      const why = w.unsupported.get(p.id);
      let r: PropertyResult;
      if (why) r = { ...p, status: 'unknown', seconds: 0, reason: why };
      else {
        r = await proveOne(u as ScheduledUnit, p, dir, maxSteps, Boolean(w.regs), declared, opts.timeoutSeconds);
        if (r.status === 'failed' && r.vcd && (p.kind === 'dsl' || p.kind === 'chain')) await explain(r, u, u.file);
      }
      log(`${id}: ${r.status} in ${r.seconds.toFixed(1)} s`);
      results.push({ ...r, id });
    }
  }
  for (const t of theorems) {
    if (!wanted(t.id)) continue;
    if (t.unsupported) {
      results.push({ id: t.id, kind: 'chain', module: 'unit', text: t.text, status: 'unknown', seconds: 0, reason: `not chained: ${t.unsupported}` });
      continue;
    }
    const parts = t.pieces.map((id) => results.find((r) => r.id === id)!);
    const failed = parts.find((r) => r.status === 'failed');
    const open = parts.find((r) => r.status === 'unknown');
    const seconds = parts.reduce((a, r) => a + r.seconds, 0);
    const status = failed ? 'failed' : open ? 'unknown' : 'proved';
    const reason = failed ? `step ${failed.id} failed` : open ? `step ${open.id} is unknown` : `steps ${t.pieces.join(', ')}`;
    results.push({ id: t.id, kind: 'chain', module: 'unit', text: t.text, status, seconds, reason });
  }
  const report: ProveReport = { design: sys.name, yosys: 'Yosys 0.23 sat -tempinduct (MiniSat)', maxSteps, properties: results, seconds: (performance.now() - t0) / 1000 };
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, 'prove.json'), JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
  return report;
}
