// The typed IR: one event of a streaming unit as a dataflow graph (if-converted, loops unrolled, calls inlined).
//
//   UnitIR
//   ├── input / output      record layouts (bit offsets of every field)
//   ├── params / regs / tables
//   ├── nodes: Node[]       topologically ordered; every node has a type (width, signedness), its exact value
//   │                       range, and the DSL source location it came from
//   ├── outValid, outFields the output record (and whether there is one)
//   ├── regNext             each register's value at the end of the event
//   └── tableWrites         at most two write ports per table: enable, key, value (or delete); the second as `next`
//
// Every value is an exact integer: a node's width is the smallest two's-complement width holding its range,
// so evaluating a node at that width never wraps. Narrowing happens only in `wrap` and `sat` nodes, and in
// `modular` arithmetic nodes: the builder rewrites wrap(a + b) as a + b computed modulo 2^W (the low W bits of a
// sum, difference, product or bitwise result depend only on the low W bits of the operands), so a wrapping
// 64-bit accumulator never needs a 65-bit adder.
import type { Loc } from './diagnostics.ts';
import type { FieldLayout, RecordSpec } from '../dsl/record.ts';
import type { ScalarSpec } from '../dsl/types.ts';
import type { MemoryKind } from '../dsl/table.ts';
import type { MergedInput } from '../dsl/inputs.ts';
import type { Schedule } from './timing/schedule.ts';
import type { PropertyIR } from './frontend/properties.ts';

export type NodeId = number;

export type BinOp = 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'shl' | 'shr' | 'div' | 'mod' | 'min' | 'max';
export type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type UnOp = 'neg' | 'not' | 'lnot';

export type NodeKind =
  | { op: 'const'; value: bigint }
  | { op: 'input'; field: string }
  | { op: 'param'; name: string }
  | { op: 'reg'; name: string }
  | { op: 'now' }
  | { op: 'bin'; kind: BinOp; a: NodeId; b: NodeId; modular?: true }
  | { op: 'cmp'; kind: CmpOp; a: NodeId; b: NodeId }
  | { op: 'un'; kind: UnOp; a: NodeId; modular?: true }
  | { op: 'and2' | 'or2'; a: NodeId; b: NodeId } // boolean and/or
  | { op: 'mux'; c: NodeId; t: NodeId; f: NodeId }
  | { op: 'slice'; a: NodeId; msb: number; lsb: number } // bits msb..lsb
  | { op: 'wrap'; a: NodeId }
  | { op: 'sat'; a: NodeId }
  | { op: 'tread'; table: string; what: 'has' | 'value' | 'free' | 'tag'; key: NodeId }; // value / tag: the slot's, whoever holds it

export type Node = NodeKind & {
  readonly id: NodeId;
  readonly width: number;
  readonly signed: boolean;
  readonly lo: bigint;
  readonly hi: bigint;
  readonly loc: Loc;
  /** DSL name the value was bound to, for readable RTL. */
  label?: string;
};

export interface ParamIR {
  readonly name: string;
  readonly spec: ScalarSpec;
  readonly init: bigint;
  readonly doc?: string;
  /** 32-bit words in the register file (offsets: regmap/, computed once from the IR). */
  readonly words: number;
  /** Set on the elements of a host-written vector (dsl/paramvec.ts): param `<name>_<index>` is element `index`. */
  readonly vec?: { readonly name: string; readonly index: number; readonly length: number };
}
export interface RegIR {
  readonly name: string;
  readonly spec: ScalarSpec;
  readonly init: bigint;
  /** Host-readable status register: its read-only words in the AXI-Lite register file (offsets: regmap/). */
  readonly status?: { words: number; doc?: string };
}
export interface TableIR {
  readonly name: string;
  readonly key: ScalarSpec;
  readonly value: ScalarSpec;
  readonly capacity: number;
  /** The memory kind the DSL asked for (codegen/timing/memory.ts chooses one by size otherwise). */
  readonly memory?: MemoryKind;
  /**
   * Set on a host-written memory (dsl/parammem.ts): a read-only table from the unit's side (key: the index,
   * u(log2 capacity); only `value` reads, never written by step), two banks the host fills through the register
   * file's address/data window and COMMIT switches. `init` is its contents in both banks (one value per entry, as
   * integer codes).
   */
  readonly host?: { readonly init: readonly bigint[]; readonly doc?: string };
}
export interface TableWrite {
  readonly en: NodeId;
  readonly key: NodeId;
  readonly value: NodeId;
  readonly del: NodeId; // true: invalidate the slot instead of writing
  readonly loc: Loc;
  /**
   * The table's second write in the event, made after this one (docs/semantics.md §8): program order, so when both
   * are enabled on one slot this one's `en` is already off (the front end gates it) and the two never collide.
   */
  readonly next?: TableWrite;
}

/** A table's writes in program order: one, or two when `next` is set. */
export function writesOf(w: TableWrite | undefined): TableWrite[] {
  return w ? (w.next ? [w, w.next] : [w]) : [];
}

export interface UnitIR {
  readonly name: string;
  readonly file: string;
  /** The input record; with several inputs, the merged event record (dsl/inputs.ts), and `inputs` set. */
  readonly input: RecordSpec;
  /** Several inputs: the ports, each its own AXI-Stream, in declaration order (the arbiter's order); else null. */
  readonly inputs: MergedInput | null;
  readonly output: RecordSpec;
  /** Output flow control (docs/semantics.md §10): 'ready' has TREADY; 'strobe' has none and never stalls. */
  readonly flow: 'ready' | 'strobe';
  /** Set when each output record leaves as a packet of beats (dsl/packet.ts). */
  readonly packet: PacketIR | null;
  readonly params: ParamIR[];
  readonly regs: RegIR[];
  readonly tables: TableIR[];
  nodes: Node[];
  /** The first output record: whether there is one, and its fields. */
  outValid: NodeId;
  outFields: Map<string, NodeId>;
  /**
   * Records 2..N of a unit declaring `outputs: N` (empty otherwise), in the order they leave; record k is valid only
   * when record k-1 is (docs/semantics.md §10, "Several outputs").
   */
  moreOutputs: OutputSlot[];
  regNext: Map<string, NodeId>;
  tableWrites: Map<string, TableWrite>;
  /** Set by the timing pass in compile(): the one schedule every back end and the report use. */
  schedule?: Schedule;
  /** Set by compile(): hash of the DSL sources and compiler version (regmap/map.ts buildHashOf), 8 hex digits. */
  buildHash?: string;
  /** Declared properties (dsl/property.ts): not part of the datapath; sim/formal proves them. */
  readonly properties?: readonly PropertyIR[];
}

/** One output record of an event: whether there is one, and its fields (meaningful when valid). */
export interface OutputSlot {
  valid: NodeId;
  fields: Map<string, NodeId>;
}

export interface PacketIR {
  readonly beatBytes: number;
  /** The output field holding the packet's length in bytes (the record's last field). */
  readonly length: string;
  /** Payload bytes: the fields before the length field. */
  readonly capacity: number;
  /** The wire record of one beat: { data, keep, last }. */
  readonly beat: RecordSpec;
}

/** The record one output handshake carries: the output record, or one beat of a packet. */
export function wireOutput(u: Pick<UnitIR, 'output' | 'packet'>): RecordSpec {
  return u.packet ? u.packet.beat : u.output;
}

export const NOW_WIDTH = 48;

export function bitsFor(lo: bigint, hi: bigint): { width: number; signed: boolean } {
  if (lo >= 0n) return { width: Math.max(1, hi.toString(2).length), signed: false };
  const bitlen = (x: bigint) => (x === 0n ? 0 : x.toString(2).length);
  const need = (v: bigint) => (v >= 0n ? bitlen(v) + 1 : bitlen(-v - 1n) + 1);
  return { width: Math.max(need(lo), need(hi)), signed: true };
}

/** Field layout helpers shared by back ends. */
export function fieldOf(r: RecordSpec, name: string): FieldLayout {
  const f = r.fields.find((x) => x.name === name);
  if (!f) throw new Error(`internal: record ${r.name} has no field ${name}`);
  return f;
}

/** Text form of the IR, for tests and `tickforge build --dump-ir`. */
export function printIR(u: UnitIR): string {
  const lines: string[] = [`unit ${u.name}`];
  const ref = (id: NodeId) => `%${id}`;
  for (const n of u.nodes) {
    let rhs: string;
    switch (n.op) {
      case 'const':
        rhs = `const ${n.value}`;
        break;
      case 'input':
        rhs = `input.${n.field}`;
        break;
      case 'param':
        rhs = `param.${n.name}`;
        break;
      case 'reg':
        rhs = `reg.${n.name}`;
        break;
      case 'now':
        rhs = 'now';
        break;
      case 'bin':
        rhs = `${n.kind}${n.modular ? '.mod' : ''} ${ref(n.a)}, ${ref(n.b)}`;
        break;
      case 'cmp':
        rhs = `${n.kind} ${ref(n.a)}, ${ref(n.b)}`;
        break;
      case 'un':
        rhs = `${n.kind}${n.modular ? '.mod' : ''} ${ref(n.a)}`;
        break;
      case 'and2':
      case 'or2':
        rhs = `${n.op} ${ref(n.a)}, ${ref(n.b)}`;
        break;
      case 'mux':
        rhs = `mux ${ref(n.c)} ? ${ref(n.t)} : ${ref(n.f)}`;
        break;
      case 'slice':
        rhs = `slice ${ref(n.a)}[${n.msb}:${n.lsb}]`;
        break;
      case 'wrap':
      case 'sat':
        rhs = `${n.op} ${ref(n.a)}`;
        break;
      case 'tread':
        rhs = `${n.table}.${n.what} ${ref(n.key)}`;
        break;
      default:
        return assertNever(n);
    }
    lines.push(`  ${ref(n.id)}: ${n.signed ? 's' : 'u'}${n.width} [${n.lo}..${n.hi}] = ${rhs}${n.label ? `  ; ${n.label}` : ''}`);
  }
  lines.push(`  out.valid = ${ref(u.outValid)}`);
  for (const [k, v] of u.outFields) lines.push(`  out.${k} = ${ref(v)}`);
  u.moreOutputs.forEach((o, j) => {
    lines.push(`  out${j + 1}.valid = ${ref(o.valid)}`);
    for (const [k, v] of o.fields) lines.push(`  out${j + 1}.${k} = ${ref(v)}`);
  });
  for (const [k, v] of u.regNext) lines.push(`  reg.${k} <= ${ref(v)}`);
  for (const [k, w0] of u.tableWrites) for (const w of writesOf(w0)) lines.push(`  ${k}[${ref(w.key)}] <= ${ref(w.value)} if ${ref(w.en)} (delete if ${ref(w.del)})`);
  return lines.join('\n') + '\n';
}

export function assertNever(x: never): never {
  throw new Error(`internal: unexpected ${JSON.stringify(x)}`);
}

/** Operands of a node, for passes that walk the graph. */
export function operands(n: Node): NodeId[] {
  switch (n.op) {
    case 'const':
    case 'input':
    case 'param':
    case 'reg':
    case 'now':
      return [];
    case 'bin':
    case 'cmp':
    case 'and2':
    case 'or2':
      return [n.a, n.b];
    case 'un':
    case 'slice':
    case 'wrap':
    case 'sat':
      return [n.a];
    case 'mux':
      return [n.c, n.t, n.f];
    case 'tread':
      return [n.key];
    default:
      return assertNever(n);
  }
}
