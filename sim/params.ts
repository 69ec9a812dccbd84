// `tickforge cosim --params file.json`: param and host-written vector values every executor starts from. The RTL
// host writes them to the shadow registers and COMMITs before the first record (the harness's initial writes),
// the HLS test bench passes them as the kernel's param arguments, and the model commits them before its first
// step, so a design is co-simulated with non-default, host-written contents (weights, thresholds, limits).
//
// The file is a JSON object: param name -> value. A value is an integer (a JSON number, or a string holding a
// decimal or 0x-hex integer for values beyond 2^53), a boolean, a one-character string (char), an enum member's
// name or value, or for a paramVec an array of such values, one per element; for a host-written memory (paramMem)
// an array of every entry's value. A memory's entries travel as codes named `<name>[<i>]`: the register map
// writes them through the memory's address/data window (regmap/map.ts memoryWrites) before the COMMIT, and the HLS
// test bench fills the kernel's array argument with them.
import fs from 'node:fs';
import { fieldValue } from '../dsl/record.ts';
import { type ScalarSpec, describeSpec, enumCode, specRange } from '../dsl/types.ts';
import type { ParamIR, UnitIR } from '../codegen/ir.ts';

export interface InitialParams {
  /** Per IR param (vector elements by their param name `<vec>_<i>`): its value as an integer code (signed for
   * signed types), what the register map writes (two's complement) and the HLS test bench reads. */
  codes: Record<string, bigint>;
  /** The same values as the model holds them (vectors as arrays), for Model.commit. */
  model: Record<string, unknown>;
}

export function readParamsFile(file: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`--params ${file}: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`--params ${file}: expected a JSON object of param name -> value`);
  return v as Record<string, unknown>;
}

/** Checks `values` against the design's params and converts them for every executor. */
export function initialParams(ir: UnitIR, values: Record<string, unknown>): InitialParams {
  const codes: Record<string, bigint> = {};
  const model: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(values)) {
    const mem = ir.tables.find((t) => t.host && t.name === name);
    if (mem) {
      if (!Array.isArray(v) || v.length !== mem.capacity) throw new Error(`param ${name} is a paramMem of ${mem.capacity} entries; give an array of ${mem.capacity}`);
      const p = { name, spec: mem.value, init: 0n, words: 0 };
      model[name] = v.map((x, i) => modelValue(p, (codes[`${name}[${i}]`] = codeOf(`${name}[${i}]`, mem.value, x))));
      continue;
    }
    const elems = ir.params.filter((p) => p.vec?.name === name).sort((a, b) => a.vec!.index - b.vec!.index);
    if (elems.length) {
      if (!Array.isArray(v) || v.length !== elems.length) throw new Error(`param ${name} is a paramVec of ${elems.length} values; give an array of ${elems.length}`);
      model[name] = elems.map((p, i) => {
        codes[p.name] = codeOf(`${name}[${i}]`, p.spec, v[i]);
        return modelValue(p, codes[p.name]);
      });
      continue;
    }
    const p = ir.params.find((x) => x.name === name && !x.vec);
    if (!p) throw new Error(`${ir.name} has no param ${name} (params: ${[...new Set([...ir.params.map((x) => x.vec?.name ?? x.name), ...ir.tables.filter((t) => t.host).map((t) => t.name)])].join(', ') || 'none'})`);
    codes[name] = codeOf(name, p.spec, v);
    model[name] = modelValue(p, codes[name]);
  }
  return { codes, model };
}

/**
 * `--params` of a system: keys `<unit>.<param>` (DSL names; a paramVec or paramMem by its name, an array), each
 * unit's values checked and converted as its own cosim does. Per unit in stage order (empty for a unit not named).
 */
export function systemInitialParams(units: readonly UnitIR[], values: Record<string, unknown>): InitialParams[] {
  const per = units.map(() => ({}) as Record<string, unknown>);
  for (const [key, v] of Object.entries(values)) {
    const dot = key.indexOf('.');
    const k = dot < 0 ? -1 : units.findIndex((u) => u.name === key.slice(0, dot));
    if (k < 0) throw new Error(`param ${key}: a system's params are named <unit>.<param>, with a unit of ${units.map((u) => u.name).join(', ')}`);
    per[k][key.slice(dot + 1)] = v;
  }
  return units.map((u, k) => initialParams(u, per[k]));
}

/** A system's initial params as the HLS top's test bench reads them: `<unit>.<code>` (sim/params.ts codes). */
export function systemParamCodes(units: readonly UnitIR[], initial: readonly InitialParams[]): Record<string, bigint> {
  return Object.fromEntries(units.flatMap((u, k) => Object.entries(initial[k]?.codes ?? {}).map(([n, v]) => [`${u.name}.${n}`, v])));
}

function modelValue(p: ParamIR, code: bigint): unknown {
  return fieldValue({ name: p.name, spec: p.spec, lsb: 0 }, BigInt.asUintN(p.spec.width, code));
}

/** A JSON value as the integer code of `spec`, or an error naming the param. */
function codeOf(what: string, spec: ScalarSpec, v: unknown): bigint {
  const bad = (why: string): never => {
    throw new Error(`param ${what}: ${JSON.stringify(v)} ${why} (${describeSpec(spec)})`);
  };
  switch (spec.kind) {
    case 'bool':
      return typeof v === 'boolean' ? (v ? 1n : 0n) : bad('is not a boolean');
    case 'char':
      return typeof v === 'string' && v.length === 1 && v.charCodeAt(0) < 128 ? BigInt(v.charCodeAt(0)) : bad('is not a one-character ASCII string');
    case 'enum': {
      const m = spec.members.find((x) => x.name === v || x.value === v);
      return m ? BigInt(enumCode(spec, m.value)) : bad('is not a member name or value');
    }
    default: {
      let x: bigint;
      if (typeof v === 'number' && Number.isSafeInteger(v)) x = BigInt(v);
      else if (typeof v === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(v.trim())) x = v.trim().startsWith('-') ? -BigInt(v.trim().slice(1)) : BigInt(v.trim());
      else return bad('is not an integer (a JSON number up to 2^53, or a decimal or 0x-hex string)');
      const [lo, hi] = specRange(spec);
      if (x < lo || x > hi) bad(`is outside ${lo}..${hi}`);
      return x;
    }
  }
}

/**
 * Param values by IR name (raw bits, as `cosim --update` gives them) as a Model.commit argument: a vector element
 * `<v>_<i>` becomes the whole vector `v`, `current` (the model's values) with those elements replaced, so an update
 * may write some elements of a vector and leave the others as they are.
 */
export function modelCommitOf(ir: UnitIR, bits: Record<string, bigint>, current: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, b] of Object.entries(bits)) {
    const p = ir.params.find((x) => x.name === name);
    if (!p) throw new Error(`update: ${ir.name} has no param ${name}`);
    const v = fieldValue({ name, spec: p.spec, lsb: 0 }, BigInt.asUintN(p.spec.width, b));
    if (!p.vec) {
      out[name] = v;
      continue;
    }
    const arr = (out[p.vec.name] ??= [...(current[p.vec.name] as unknown[])]) as unknown[];
    arr[p.vec.index] = v;
  }
  return out;
}
