// A design as the executors load it: the module's unit (default export), its `synthetic(rng, index)` generator and
// its `stimulus(input, rng, diag)` reader, and the input records of a run (`--input`). Shared by cosim, the system
// cosim, the HLS system runner, the cocotb model server, bench and the sim card; no compiler here.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Rng } from '../dsl/rng.ts';
import type { RecordSpec } from '../dsl/record.ts';
import type { Unit } from '../dsl/unit.ts';
import type { System } from '../dsl/system.ts';
import { type MergedInput, eventOf, toEvent } from '../dsl/inputs.ts';
import { Diagnostics } from './stimulus/errors.ts';
import { generatedSpec } from './stimulus/input.ts';

/** Loads a design module with its unit (default export) and optional `synthetic(rng, index)` generator. */
export interface Design {
  unit: Unit;
  /** `synthetic(rng, index)`: the input record number `index` of `--input synthetic:N`. */
  synthetic?: (rng: Rng, i: number) => Record<string, unknown>;
  /** `stimulus(input, rng, diag)`: every input record for an `--input` value (a file, synthetic:N, ...); faults in
   * the input are counted in `diag` (sim/stimulus/errors.ts), which cosim reports. */
  stimulus?: (input: string, rng: Rng, diag?: Diagnostics) => Iterable<Record<string, unknown>>;
}

export async function loadDesign(file: string): Promise<Design> {
  const mod = await import(pathToFileURL(path.resolve(file)).href);
  const unit = mod.default as Unit;
  if (!unit || unit.kind !== 'unit') throw new Error(`${file}: the default export is not a unit`);
  return { unit, synthetic: mod.synthetic, stimulus: mod.stimulus };
}

/** Loads a system module (default export) with the stimulus readers of its file, as a design of its first unit. */
export async function loadSystem(file: string): Promise<{ system: System; design: Design }> {
  const mod = await import(pathToFileURL(path.resolve(file)).href);
  const system = mod.default as System;
  if (!system || system.kind !== 'system') throw new Error(`${file}: the default export is not a system`);
  return { system, design: { unit: system.units[0], synthetic: mod.synthetic, stimulus: mod.stimulus } };
}

/** The input records of a run: the design's own `stimulus`, else `synthetic:N` from `synthetic()` or random. */
export function stimulusRecords(d: Design, r: RecordSpec, input: string, seed: number, diag = new Diagnostics()): Array<Record<string, unknown>> {
  return [...stimulusStream(d, r, input, seed, diag)];
}

/** stimulusRecords one record at a time (a long run's stimulus, packed as it comes, never held as objects). */
export function* stimulusStream(d: Design, r: RecordSpec, input: string, seed: number, diag = new Diagnostics()): Generator<Record<string, unknown>> {
  const rng = new Rng(seed);
  const m = d.unit.merged;
  // Several inputs: each value is { <input>: record } (or an event), taken to the merged event (dsl/inputs.ts).
  const ev = m ? (v: Record<string, unknown>) => toEvent(m, v) : (v: Record<string, unknown>) => v;
  if (d.stimulus) {
    for (const v of d.stimulus(input, rng, diag)) yield ev(v);
    return;
  }
  const n = parseInput(input);
  for (let i = 0; i < n; i++) yield d.synthetic ? ev(d.synthetic(rng, i)) : randomInput(r, m ?? null, rng);
}

/** A random input of a design without a generator: a random record, or (several inputs) a random input's. */
export function randomInput(r: RecordSpec, m: MergedInput | null, rng: Rng): Record<string, unknown> {
  if (!m) return randomRecord(r, rng);
  const p = m.ports[rng.below(m.ports.length)];
  return eventOf(m, p.name, randomRecord(p.record, rng));
}

/** Uniformly random record of a layout: the stimulus of a design that brings no generator of its own. */
export function randomRecord(r: RecordSpec, rng: Rng): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const f of r.fields) {
    const s = f.spec;
    if (s.kind === 'bool') v[f.name] = rng.chance(0.5);
    else if (s.kind === 'char') v[f.name] = String.fromCharCode(32 + rng.below(95));
    else if (s.kind === 'enum') v[f.name] = s.members[rng.below(s.members.length)].value;
    else {
      const b = rng.bits(s.width);
      const x = s.kind === 'sint' ? BigInt.asIntN(s.width, b) : b;
      v[f.name] = s.width > 53 ? x : Number(x);
    }
  }
  return v;
}

export function parseInput(spec: string): number {
  const g = generatedSpec(spec, ['synthetic']);
  if (!g) throw new Error(`unsupported --input ${spec}: this design takes synthetic:<N> (export stimulus(input, rng) from the design to accept files)`);
  return g.count;
}

