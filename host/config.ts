// A config (limits.json) checked against the register map before anything is written: every key a param, every
// value of the param's type and within its range. All errors are reported together; a config with any is applied
// not at all.
import type { MemWindow, RegMap, ValueReg } from '../regmap/index.ts';

export class ConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(`config rejected, nothing written:\n${errors.map((e) => `  ${e}`).join('\n')}`);
  }
}

export function params(map: RegMap): ValueReg[] {
  return map.windows.flatMap((w) => w.params);
}

const INT = /^-?(?:0x[0-9a-fA-F]+|\d+)$/;

/** The register bits (unsigned, `width` wide) for a JSON value of a param, or an error message. */
export function paramBits(r: ValueReg, v: unknown): bigint | string {
  const what = `${r.name} (${r.type})`;
  if (r.kind === 'bool') {
    if (typeof v !== 'boolean') return `${what}: ${JSON.stringify(v)} is not true or false`;
    return v ? 1n : 0n;
  }
  if (r.kind === 'enum') {
    const m = r.members ?? [];
    const hit = typeof v === 'string' ? m.find((x) => x.name === v) : typeof v === 'number' ? m.find((x) => x.code === v) : undefined;
    if (!hit) return `${what}: ${JSON.stringify(v)} is not one of ${m.map((x) => x.name).join(', ')}`;
    return BigInt(hit.code);
  }
  if (r.kind === 'char') {
    if (typeof v !== 'string' || v.length !== 1 || v.charCodeAt(0) > 255) return `${what}: ${JSON.stringify(v)} is not one character`;
    return BigInt(v.charCodeAt(0));
  }
  let n: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) return `${what}: ${v} is not an integer (or beyond 2^53: give it as a string)`;
    n = BigInt(v);
  } else if (typeof v === 'string' && INT.test(v.trim())) {
    const t = v.trim();
    n = t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
  } else return `${what}: ${JSON.stringify(v)} is not an integer`;
  const lo = r.signed ? -(1n << BigInt(r.width - 1)) : 0n;
  const hi = r.signed ? (1n << BigInt(r.width - 1)) - 1n : (1n << BigInt(r.width)) - 1n;
  if (n < lo || n > hi) return `${what}: ${n} is outside ${lo}..${hi}`;
  return BigInt.asUintN(r.width, n);
}

/** The value a host shows for register bits: booleans, enum names, numbers (decimal strings beyond 2^53). */
export function bitsValue(r: ValueReg, bits: bigint): unknown {
  if (r.kind === 'bool') return bits !== 0n;
  if (r.kind === 'enum') return r.members?.find((m) => BigInt(m.code) === bits)?.name ?? Number(bits);
  if (r.kind === 'char') return String.fromCharCode(Number(bits));
  const v = r.signed ? BigInt.asIntN(r.width, bits) : bits;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** Checks a whole config; throws ConfigError with every problem, else returns the bits of each param it sets. */
export function validateConfig(map: RegMap, config: unknown): Map<string, bigint> {
  const errors: string[] = [];
  const out = new Map<string, bigint>();
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new ConfigError(['the config is not a JSON object of param: value']);
  const all = params(map);
  const byName = new Map(all.map((r) => [r.name, r]));
  for (const [k, v] of Object.entries(config as Record<string, unknown>)) {
    const r = byName.get(k);
    if (!r) {
      errors.push(`${k}: not a param of ${map.top} (params: ${all.map((p) => p.name).join(', ')})`);
      continue;
    }
    const b = paramBits(r, v);
    if (typeof b === 'string') errors.push(b);
    else out.set(k, b);
  }
  if (errors.length) throw new ConfigError(errors);
  return out;
}

/** `name=value` assignments of `ctl set`, values parsed as JSON when they are JSON (true, 12, "x"), else as strings. */
export function parseAssignments(args: string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const a of args) {
    // A system's params are `<unit>.<param>`.
    const m = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)=(.*)$/.exec(a);
    if (!m) throw new ConfigError([`${a}: expected <param>=<value> (<unit>.<param>=<value> on a system)`]);
    let v: unknown = m[2];
    try {
      // Integers stay strings (exact beyond 2^53); true, false and quoted strings are JSON.
      if (!INT.test(m[2].trim())) v = JSON.parse(m[2]);
    } catch {
      /* a bare string: an enum member or a hex number */
    }
    o[m[1]] = v;
  }
  return o;
}

/**
 * A host memory's contents from a file's JSON: an array of every entry's value, or an object holding that array
 * under one of `keys` (`<unit>.<memory>` or `<memory>`: the shape `tickforge cosim --params` takes, so one params
 * file serves both). Each value as a param of the entry's type takes it (paramBits); every error is listed.
 */
export function memoryCodes(mem: MemWindow, json: unknown, keys: string[]): bigint[] {
  let v = json;
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const k = keys.find((x) => x in (json as Record<string, unknown>));
    if (!k) throw new ConfigError([`the file is an object without ${keys.map((x) => `"${x}"`).join(' or ')}: give a JSON array of ${mem.entries} entries, or a params file holding one under the memory's name`]);
    v = (json as Record<string, unknown>)[k];
  }
  if (!Array.isArray(v) || v.length !== mem.entries) throw new ConfigError([`${keys[0]} is a memory of ${mem.entries} entries (${mem.type}); the file gives ${Array.isArray(v) ? `${v.length} values` : 'no array'}`]);
  const entry: ValueReg = { name: '', type: mem.type, kind: mem.kind, width: mem.width, signed: mem.signed, reset: '0', offset: mem.offset, words: [] };
  const errors: string[] = [];
  const out = v.map((x, i) => {
    const b = paramBits({ ...entry, name: `${keys[0]}[${i}]` }, x);
    if (typeof b === 'string') errors.push(b);
    return typeof b === 'string' ? 0n : b;
  });
  if (errors.length) throw new ConfigError(errors.length > 20 ? [...errors.slice(0, 20), `... and ${errors.length - 20} more`] : errors);
  return out;
}
