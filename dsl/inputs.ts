// Units with several inputs (docs/semantics.md §10, "Several inputs"). Each input is its own AXI-Stream; an
// arbiter takes at most one record per cycle from them, and the unit sees one stream of *events*: the merged
// record { port, <port>_<field>... } whose `port` says which input the event came from and whose fields for that
// port hold its record (the other ports' fields are zero and never read). The merged layout is the port index in
// the low bits, then each port's record in declaration order, each laid out exactly as on its own stream, so a
// port's record is a contiguous slice of the event. Written once here; the model and the compiler both use it.
import { type RecordSpec, type RecordValue, record } from './record.ts';
import { type EnumSpec, type ScalarSpec, enumCode, u } from './types.ts';

/** The most inputs one unit may have (the arbiter is a rotating priority over them). */
export const MAX_INPUTS = 4;

export interface InputPort {
  readonly name: string;
  readonly record: RecordSpec;
  /** Bit offset of the port's record in the merged event. */
  readonly lsb: number;
  /** The merged record's field for each field of the port's record, in order. */
  readonly fields: readonly string[];
}

export interface MergedInput {
  readonly record: RecordSpec;
  readonly ports: readonly InputPort[];
  /** Width of the `port` field. */
  readonly portBits: number;
}

/** What is wrong with these input declarations, or null. */
export function inputsProblem(ports: ReadonlyArray<readonly [string, RecordSpec]>): string | null {
  if (ports.length < 2) return 'inputs declares at least two ports (a unit with one input declares input: Record)';
  if (ports.length > MAX_INPUTS) return `a unit has at most ${MAX_INPUTS} inputs, not ${ports.length}`;
  for (const [name] of ports) if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) return `input name ${JSON.stringify(name)} must be letters and digits (it names ports and fields)`;
  return null;
}

/**
 * The merged event record of a unit named `unit` with these input ports. An enum field is carried as its code
 * (u(width)) so that the zero-filled fields of the other ports always decode; the handler sees the port's own types.
 */
export function mergedInput(unit: string, ports: ReadonlyArray<readonly [string, RecordSpec]>): MergedInput {
  const portBits = Math.max(1, Math.ceil(Math.log2(ports.length)));
  const fields: Record<string, ScalarSpec> = { port: u(portBits) };
  const out: InputPort[] = [];
  let lsb = portBits;
  for (const [name, rec] of ports) {
    out.push({ name, record: rec, lsb, fields: rec.fields.map((f) => `${name}_${f.name}`) });
    for (const f of rec.fields) {
      const key = `${name}_${f.name}`;
      if (key in fields) throw new TypeError(`tickforge: unit ${unit}: input field ${key} is named twice (port ${name}, field ${f.name})`);
      fields[key] = f.spec.kind === 'enum' ? u(f.spec.width) : f.spec;
    }
    lsb += rec.width;
  }
  return { record: record(`${unit}_in`, fields), ports: out, portBits };
}

/** The event for a record arriving on `port`: the other ports' fields are zero. */
export function eventOf(m: MergedInput, port: string, rec: Record<string, unknown>): Record<string, unknown> {
  const k = m.ports.findIndex((p) => p.name === port);
  if (k < 0) throw new Error(`no input ${port} (inputs: ${m.ports.map((p) => p.name).join(', ')})`);
  const ev: Record<string, unknown> = { port: k };
  m.ports.forEach((p, j) => {
    for (const f of p.record.fields) {
      const v = j === k ? rec[f.name] : undefined;
      if (j === k && v === undefined) throw new TypeError(`input ${port}: record lacks ${f.name}`);
      ev[`${p.name}_${f.name}`] = j === k ? (f.spec.kind === 'enum' ? enumCodeOf(f.spec, v) : v) : zeroOf(f.spec);
    }
  });
  return ev;
}

/**
 * A stimulus value of a unit with several inputs as its event: `{ <input>: record }` (what `synthetic()` and
 * `stimulus()` return), or an event already.
 */
export function toEvent(m: MergedInput, v: Record<string, unknown>): Record<string, unknown> {
  if (typeof v.port === 'number') return v;
  const keys = Object.keys(v);
  if (keys.length !== 1) throw new TypeError(`a stimulus value of a unit with inputs ${m.ports.map((p) => p.name).join(', ')} is { <input>: record }, one input; got keys ${keys.join(', ') || '(none)'}`);
  return eventOf(m, keys[0], v[keys[0]] as Record<string, unknown>);
}

/** The port and record an event carries. */
export function portRecord(m: MergedInput, ev: Record<string, unknown>): { port: InputPort; rec: Record<string, unknown> } {
  const port = m.ports[ev.port as number];
  if (!port) throw new RangeError(`event port ${String(ev.port)}: the unit has inputs 0..${m.ports.length - 1}`);
  const rec: Record<string, unknown> = {};
  for (const f of port.record.fields) {
    const v = ev[`${port.name}_${f.name}`];
    rec[f.name] = f.spec.kind === 'enum' ? enumValueOf(f.spec, v as number) : v;
  }
  return { port, rec };
}

function zeroOf(s: ScalarSpec): unknown {
  switch (s.kind) {
    case 'bool':
      return false;
    case 'char':
      return '\0';
    case 'enum':
      return 0;
    default:
      return s.width > 53 ? 0n : 0;
  }
}

function enumCodeOf(s: EnumSpec, v: unknown): number {
  if (!s.members.some((x) => x.value === v)) throw new TypeError(`${String(v)} is not a member of ${s.name}`);
  return enumCode(s, v);
}

function enumValueOf(s: EnumSpec, code: number): unknown {
  const m = s.members.find((x) => enumCode(s, x.value) === code);
  if (!m) throw new RangeError(`code ${code} is not a member of ${s.name}`);
  return m.value;
}

/** The records of each port, by port name. */
export type PortRecords<Ports> = { [K in keyof Ports]: RecordValue<Ports[K]> };

/**
 * eventOf and portRecord compiled for one merged layout (what the composed model calls for every record): per port,
 * one function building the event and one building the port's record, each an object literal with the field names
 * and conversions written in, so neither computes a key string nor searches the ports per call. Each gives exactly
 * what eventOf / portRecord give, and on a value they reject calls them, so the error is theirs.
 */
export interface PortCodec {
  /** Port index by name. */
  readonly index: ReadonlyMap<string, number>;
  /** event[k](rec): eventOf(m, ports[k].name, rec). */
  readonly event: ReadonlyArray<(rec: Record<string, unknown>) => Record<string, unknown>>;
  /** record[k](ev): portRecord(m, ev).rec for an event of port k. */
  readonly record: ReadonlyArray<(ev: Record<string, unknown>) => Record<string, unknown>>;
  /**
   * pass[k](rec): portRecord(m, eventOf(m, ports[k].name, rec)).rec without building the event: the record a
   * handler of port k sees for `rec` (checked as eventOf checks it).
   */
  readonly pass: ReadonlyArray<(rec: Record<string, unknown>) => Record<string, unknown>>;
  /** passes[k](rec): pass[k](rec) returns (does not throw); nothing is built. */
  readonly passes: ReadonlyArray<(rec: Record<string, unknown>) => boolean>;
  /** reads[k](ev): record[k](ev) returns (does not throw); nothing is built. */
  readonly reads: ReadonlyArray<(ev: Record<string, unknown>) => boolean>;
}

const CODECS = new WeakMap<MergedInput, PortCodec>();

export function portCodec(m: MergedInput): PortCodec {
  let c = CODECS.get(m);
  if (!c) CODECS.set(m, (c = compileCodec(m)));
  return c;
}

function compileCodec(m: MergedInput): PortCodec {
  if (m.ports.some((p) => p.name === '__proto__' || p.record.fields.some((f) => f.name === '__proto__'))) return slowCodec(m); // a literal would set the prototype
  const key = JSON.stringify;
  const event: Array<(rec: Record<string, unknown>) => Record<string, unknown>> = [];
  const recordOf: Array<(ev: Record<string, unknown>) => Record<string, unknown>> = [];
  const pass: Array<(rec: Record<string, unknown>) => Record<string, unknown>> = [];
  const passes: Array<(rec: Record<string, unknown>) => boolean> = [];
  const reads: Array<(ev: Record<string, unknown>) => boolean> = [];
  m.ports.forEach((port, k) => {
    // Enum fields: value -> code (eventOf) and code -> value (portRecord), as tables built once from the members.
    const codeOf: Array<Map<unknown, number> | null> = [];
    const valueOf: Array<Map<unknown, unknown> | null> = [];
    const roundTrip: Array<Map<unknown, unknown> | null> = [];
    for (const f of port.record.fields) {
      if (f.spec.kind !== 'enum') {
        codeOf.push(null);
        valueOf.push(null);
        roundTrip.push(null);
        continue;
      }
      const s = f.spec;
      const codes = new Map<unknown, number>();
      for (const x of s.members) if (!codes.has(x.value)) codes.set(x.value, enumCode(s, x.value));
      const values = new Map<unknown, unknown>();
      for (const x of s.members) {
        const code = enumCode(s, x.value);
        if (!values.has(code)) values.set(code, enumValueOf(s, code));
      }
      codeOf.push(codes);
      valueOf.push(values);
      roundTrip.push(new Map([...codes].map(([v, code]) => [v, values.get(code)])));
    }
    const slow = (rec: Record<string, unknown>) => eventOf(m, port.name, rec);
    const slowRec = (ev: Record<string, unknown>) => portRecord(m, ev).rec;
    const slowPass = (rec: Record<string, unknown>) => portRecord(m, eventOf(m, port.name, rec)).rec;
    // event: every field of every port, this port's from rec, the others' zeros (constants: zeroOf gives primitives).
    const evParts: string[] = [`port: ${k}`];
    const guards: string[] = [];
    const zeros: unknown[] = [];
    m.ports.forEach((p, j) =>
      p.record.fields.forEach((f, n) => {
        const name = key(`${p.name}_${f.name}`);
        if (j !== k) {
          zeros.push(zeroOf(f.spec));
          evParts.push(`${name}: z[${zeros.length - 1}]`);
        } else if (f.spec.kind === 'enum') {
          guards.push(`!c${n}.has(r[${key(f.name)}])`);
          evParts.push(`${name}: c${n}.get(r[${key(f.name)}])`);
        } else {
          guards.push(`r[${key(f.name)}] === undefined`);
          evParts.push(`${name}: r[${key(f.name)}]`);
        }
      }),
    );
    const maps = port.record.fields.map((_, n) => `c${n}`);
    const tables = (list: Array<Map<unknown, unknown> | null>) => list.map((x) => x ?? null);
    event.push(new Function('slow', 'z', ...maps, `return (r) => { if (${guards.join(' || ') || 'false'}) return slow(r); return { ${evParts.join(', ')} }; };`)(slow, zeros, ...tables(codeOf)));
    // record: the port's fields read back from an event; an enum code that names no member goes to portRecord.
    const recParts: string[] = [];
    const recGuards: string[] = [];
    port.record.fields.forEach((f, n) => {
      const ev = `e[${key(`${port.name}_${f.name}`)}]`;
      if (f.spec.kind === 'enum') {
        recGuards.push(`!c${n}.has(${ev})`);
        recParts.push(`${key(f.name)}: c${n}.get(${ev})`);
      } else recParts.push(`${key(f.name)}: ${ev}`);
    });
    recordOf.push(new Function('slow', ...maps, `return (e) => { if (${recGuards.join(' || ') || 'false'}) return slow(e); return { ${recParts.join(', ')} }; };`)(slowRec, ...tables(valueOf)));
    reads.push(new Function(...maps, `return (e) => !(${recGuards.join(' || ') || 'false'});`)(...tables(valueOf)));
    // pass: both at once (an enum member maps to the member its code decodes to).
    const passParts: string[] = [];
    const passGuards: string[] = [];
    port.record.fields.forEach((f, n) => {
      const r = `r[${key(f.name)}]`;
      if (f.spec.kind === 'enum') {
        passGuards.push(`!c${n}.has(${r})`);
        passParts.push(`${key(f.name)}: c${n}.get(${r})`);
      } else {
        passGuards.push(`${r} === undefined`);
        passParts.push(`${key(f.name)}: ${r}`);
      }
    });
    pass.push(new Function('slow', ...maps, `return (r) => { if (${passGuards.join(' || ') || 'false'}) return slow(r); return { ${passParts.join(', ')} }; };`)(slowPass, ...tables(roundTrip)));
    passes.push(new Function(...maps, `return (r) => !(${passGuards.join(' || ') || 'false'});`)(...tables(roundTrip)));
  });
  return { index: new Map(m.ports.map((p, k) => [p.name, k])), event, record: recordOf, pass, passes, reads };
}

/** The codec as plain calls of eventOf / portRecord. */
function slowCodec(m: MergedInput): PortCodec {
  return {
    index: new Map(m.ports.map((p, k) => [p.name, k])),
    event: m.ports.map((p) => (rec: Record<string, unknown>) => eventOf(m, p.name, rec)),
    record: m.ports.map(() => (ev: Record<string, unknown>) => portRecord(m, ev).rec),
    pass: m.ports.map((p) => (rec: Record<string, unknown>) => portRecord(m, eventOf(m, p.name, rec)).rec),
    passes: m.ports.map((p) => (rec: Record<string, unknown>) => (portRecord(m, eventOf(m, p.name, rec)), true)),
    reads: m.ports.map(() => (ev: Record<string, unknown>) => (portRecord(m, ev), true)),
  };
}
