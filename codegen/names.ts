// Names for every emitted language, decided once in the middle end: Verilog and the Vitis HLS C++ both read the
// result of `legalize()`, so a DSL name becomes the same identifier in the module, the kernel, the test benches and
// the scripts (docs/reliability.md, "Names").
//
// A DSL name is kept as it is when it is already legal where it is emitted: ASCII `[A-Za-z_][A-Za-z0-9_]*`, and not
// a word reserved where the name appears bare (see RESERVED_FOR: a keyword of Verilog-2005, SystemVerilog or C++, or
// a name the generated code, the C-simulation test bench or the Verilator harness declare themselves). Otherwise it
// is rewritten: each non-ASCII character becomes `_uXXXX` (its code point), a reserved word gets a `_` suffix, and a
// clash gets `_1`, `_2`, ... Names legal from the start are placed first, so a rewritten name never takes the
// spelling of a legal one.
//
// Clash-free by construction: unit, records, params, state registers and tables share one namespace together
// with every name the back ends derive from them (`<table>_valid`, `<reg>_status`, `p_<param>`, ...), so a state
// register can no longer be called like a table's generated signal, nor a param like a register (C++ declares
// both in one function scope). Fields have a namespace per record.
import type { UnitIR, Node } from './ir.ts';
import type { RecordSpec } from '../dsl/record.ts';

// IEEE 1364-2005 and IEEE 1800-2017 (SystemVerilog) reserved words: Verilator parses .v files as Verilog-2005
// (its `--default-language` is 1800-2017 for unknown extensions), and users import the modules into SV projects.
const VERILOG = `always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config deassign default
defparam design disable edge else end endcase endconfig endfunction endgenerate endmodule endprimitive endspecify
endtable endtask event for force forever fork function generate genvar highz0 highz1 if ifnone incdir include initial
inout input instance integer join large liblist library localparam macromodule medium module nand negedge nmos nor
noshowcancelled not notif0 notif1 or output parameter pmos posedge primitive pull0 pull1 pulldown pullup
pulsestyle_onevent pulsestyle_ondetect rcmos real realtime reg release repeat rnmos rpmos rtran rtranif0 rtranif1
scalared showcancelled signed small specify specparam strong0 strong1 supply0 supply1 table task time tran tranif0
tranif1 tri tri0 tri1 triand trior trireg unsigned use uwire vectored wait wand weak0 weak1 while wire wor xnor xor`;
const SYSTEMVERILOG = `accept_on alias always_comb always_ff always_latch assert assume before bind bins binsof bit
break byte chandle checker class clocking const constraint context continue cover covergroup coverpoint cross
dist do endchecker endclass endclocking endgroup endinterface endpackage endprogram endproperty endsequence enum
eventually expect export extends extern final first_match foreach forkjoin global iff ignore_bins illegal_bins
implements implies import inside int interconnect interface intersect join_any join_none let local logic longint
matches modport nettype new nexttime null package packed priority program property protected pure rand randc
randcase randsequence ref reject_on restrict return s_always s_eventually s_nexttime s_until s_until_with sequence
shortint shortreal soft solve static string strong struct super sync_accept_on sync_reject_on tagged this
throughout timeprecision timeunit type typedef union unique unique0 until until_with untyped var virtual void
wait_order weak wildcard with within`;
// C++20 keywords and alternative tokens, identifiers with special meaning, and the names the HLS headers
// (hls/include, Vitis) put in the global namespace.
const CPP = `alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t char32_t class
compl concept const consteval constexpr constinit const_cast continue co_await co_return co_yield decltype default
delete do double dynamic_cast else enum explicit export extern false float for friend goto if inline int long
mutable namespace new noexcept not not_eq nullptr operator or or_eq private protected public register
reinterpret_cast requires return short signed sizeof static static_assert static_cast struct switch template this
thread_local throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t while xor
xor_eq final override import module main std hls ap_int ap_uint ap_fixed ap_ufixed ap_axis ap_axiu ap_range_ref
ap_bit_ref qdma_axis size_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t INT64_MIN INT64_MAX
NULL assert errno printf`;
// Names the generated code declares itself: Verilog module internals (rtl/emit.ts, rtl/output.ts, rtl/regs.ts),
// the HLS kernel's locals and the C-simulation test bench (hls/templates/tb.cpp.hbs).
const GENERATED = `aclk aresetn cycle sweeping sweep_addr in_hs unused_ok regs wr wa ra wmask in out now s_axis m_axis d j n
rest lanes beat mask argc argv read_file get_bits set_bits unpack_input pack_output tb harness top dut commit control
generation build_hash gen_q killed`;

const words = (...lists: string[]) => new Set(lists.join(' ').split(/\s+/).filter(Boolean));
/** Every reserved word of every emitted language, and the names the generated code uses. */
export const RESERVED: ReadonlySet<string> = words(VERILOG, SYSTEMVERILOG, CPP, GENERATED);
/** Reserved where a name is emitted bare in C++ (struct, member, argument, static) but only prefixed in Verilog. */
const RESERVED_CPP: ReadonlySet<string> = words(CPP, GENERATED);
// The C-simulation test bench's main() declares these, then names the record types and calls the kernel there.
const TB_LOCALS = `inputs nows params expected status commits k i nw staged Staged at cname cvalue next_staged outputs rec
set_param st b f pname pvalue got want exp`;

/** Every word some kind of name must avoid (the hostile-names corpus, test/reliability, uses each of them). */
export const ALL_RESERVED: ReadonlySet<string> = words(VERILOG, SYSTEMVERILOG, CPP, GENERATED, TB_LOCALS);

/**
 * What a DSL name becomes in each language decides which words it must avoid. The unit is a Verilog module and a
 * C++ function; records, fields, params and registers appear bare only in C++ (Verilog reads them as `in_<field>`,
 * `p_<param>`, or through a fresh wire name); tables only with a suffix (`<table>_mem`, `<table>_valid`), so any
 * ASCII identifier does.
 */
export type NameKind = 'unit' | 'record' | 'field' | 'param' | 'reg' | 'table';
const RESERVED_FOR: Record<NameKind, ReadonlySet<string>> = {
  unit: words(VERILOG, SYSTEMVERILOG, CPP, GENERATED, TB_LOCALS),
  record: words(CPP, GENERATED, TB_LOCALS),
  field: RESERVED_CPP,
  param: RESERVED_CPP,
  reg: RESERVED_CPP,
  table: new Set(),
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when a name of this kind can be emitted unchanged in every language (no clash considered). */
export function isLegalName(name: string, kind: NameKind = 'unit'): boolean {
  // C++ reserves `__x` and `_X` for the implementation.
  return IDENT.test(name) && !RESERVED_FOR[kind].has(name) && !/^_[A-Z_]/.test(name);
}

/** ASCII, not reserved: `_uXXXX` per non-ASCII character, a `_` suffix on a reserved word. */
function asciiLegal(name: string, kind: NameKind): string {
  let b = '';
  for (const ch of name) b += /[A-Za-z0-9_]/.test(ch) ? ch : `_u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`;
  if (!/^[A-Za-z]/.test(b)) b = `n${/^_/.test(b) ? '' : '_'}${b}`;
  if (RESERVED_FOR[kind].has(b)) b = `${b}_`;
  return b;
}

// What the back ends derive from each kind of name (rtl/emit.ts, rtl/regs.ts, rtl/memory.ts, hls/emit.ts, tb.cpp).
const DERIVED: Record<NameKind, (n: string) => string[]> = {
  unit: (n) => [n, `${n}_regs`, `${n}_beat`, `${n}_prj`, `test_${n}`],
  record: (n) => [n],
  field: (n) => [n],
  param: (n) => [n, `p_${n}`, `${n}_lo`, `live_${n}`],
  reg: (n) => [n, `${n}_q`, `${n}_hi`, `${n}_status`, `st_${n}`],
  table: (n) => [n, `${n}_valid`, `${n}_tag`, `${n}_value`, `${n}_mem`, `${n}_we`, `${n}_waddr`, `${n}_wdata`, `${n}_rec_we`],
};

/** Assigns names in one namespace: every derived name of a kept or rewritten name is taken with it. */
class Namespace {
  private readonly taken = new Set<string>();
  constructor(private readonly derived: (kind: NameKind, n: string) => string[]) {}

  /** `name` itself if it is legal and none of its derived names is taken; else null. */
  keep(kind: NameKind, name: string): string | null {
    if (!isLegalName(name, kind)) return null;
    const d = this.derived(kind, name);
    if (d.some((x) => this.taken.has(x))) return null;
    for (const x of d) this.taken.add(x);
    return name;
  }

  fresh(kind: NameKind, name: string): string {
    const b = asciiLegal(name, kind);
    let n = b;
    for (let i = 1; this.derived(kind, n).some((x) => this.taken.has(x)); i++) n = `${b}_${i}`;
    for (const x of this.derived(kind, n)) this.taken.add(x);
    return n;
  }
}

export interface NameMap {
  unit: string;
  /** DSL record name -> emitted name. */
  records: Map<string, string>;
  /** Per record (DSL record name): DSL field name -> emitted name. */
  fields: Map<string, Map<string, string>>;
  params: Map<string, string>;
  regs: Map<string, string>;
  tables: Map<string, string>;
  /** True when some name was rewritten. */
  changed: boolean;
}

/** The emitted name of every DSL name of a unit (see the top of this file). Deterministic: declaration order. */
export function nameMap(u: UnitIR): NameMap {
  const ns = new Namespace((k, n) => DERIVED[k](n));
  const records = [u.input, u.output, ...(u.packet ? [u.packet.beat] : [])].filter((r, i, a) => a.findIndex((x) => x.name === r.name) === i);
  const items: Array<{ kind: NameKind; name: string; set: (n: string) => void }> = [];
  const m: NameMap = { unit: '', records: new Map(), fields: new Map(), params: new Map(), regs: new Map(), tables: new Map(), changed: false };
  items.push({ kind: 'unit', name: u.name, set: (n) => (m.unit = n) });
  for (const r of records) items.push({ kind: 'record', name: r.name, set: (n) => m.records.set(r.name, n) });
  for (const p of u.params) items.push({ kind: 'param', name: p.name, set: (n) => m.params.set(p.name, n) });
  for (const r of u.regs) items.push({ kind: 'reg', name: r.name, set: (n) => m.regs.set(r.name, n) });
  for (const t of u.tables) items.push({ kind: 'table', name: t.name, set: (n) => m.tables.set(t.name, n) });
  // Legal names first (kept as written), then the rest rewritten around them.
  const later: typeof items = [];
  for (const it of items) {
    const k = ns.keep(it.kind, it.name);
    if (k === null) later.push(it);
    else it.set(k);
  }
  for (const it of later) it.set(ns.fresh(it.kind, it.name));
  for (const r of records) {
    // A field is not named like a record type (C++ members would hide the struct's name in kernel code).
    const fns = new Namespace((_k, n) => [n]);
    for (const x of m.records.values()) fns.keep('field', x);
    const fm = new Map<string, string>();
    const rest: string[] = [];
    for (const f of r.fields) {
      const k = fns.keep('field', f.name);
      if (k === null) rest.push(f.name);
      else fm.set(f.name, k);
    }
    for (const f of rest) fm.set(f, fns.fresh('field', f));
    m.fields.set(r.name, fm);
  }
  m.changed = later.length > 0 || [...m.fields.values()].some((fm) => [...fm].some(([a, b]) => a !== b));
  return m;
}

const cache = new WeakMap<UnitIR, UnitIR>();

/**
 * The unit with every name legal in Verilog, SystemVerilog and C++ (see nameMap): the IR both back ends emit from.
 * The unit itself when nothing needs rewriting (the common case: DSL names are kept). Values keep their DSL names
 * where the host side meets the generated code (vectors, param files, cosim): only identifiers change.
 */
export function legalize(u: UnitIR): UnitIR {
  const hit = cache.get(u);
  if (hit) return hit;
  const m = nameMap(u);
  if (!m.changed) {
    cache.set(u, u);
    return u;
  }
  const param = (n: string) => m.params.get(n) ?? n;
  const reg = (n: string) => m.regs.get(n) ?? n;
  const table = (n: string) => m.tables.get(n) ?? n;
  const rec = (r: RecordSpec): RecordSpec => {
    const fm = m.fields.get(r.name)!;
    return { ...r, name: m.records.get(r.name)!, fields: r.fields.map((f) => ({ ...f, name: fm.get(f.name)! })) };
  };
  const inF = m.fields.get(u.input.name)!;
  const outF = m.fields.get(u.output.name)!;
  const nodes = u.nodes.map((n): Node => {
    switch (n.op) {
      case 'input':
        return { ...n, field: inF.get(n.field)! };
      case 'param':
        return { ...n, name: param(n.name) };
      case 'reg':
        return { ...n, name: reg(n.name) };
      case 'tread':
        return { ...n, table: table(n.table) };
      default:
        return n;
    }
  });
  const mapKeys = <V>(mp: Map<string, V>, f: (k: string) => string) => new Map([...mp].map(([k, v]) => [f(k), v] as [string, V]));
  const stateName = (k: string) => (m.regs.has(k) ? reg(k) : table(k));
  const s = u.schedule;
  const out: UnitIR = {
    ...u,
    name: m.unit,
    input: rec(u.input),
    output: rec(u.output),
    packet: u.packet ? { ...u.packet, length: outF.get(u.packet.length)!, beat: rec(u.packet.beat) } : null,
    params: u.params.map((p) => ({ ...p, name: param(p.name) })),
    regs: u.regs.map((r) => ({ ...r, name: reg(r.name) })),
    tables: u.tables.map((t) => ({ ...t, name: table(t.name) })),
    nodes,
    outFields: mapKeys(u.outFields, (k) => outF.get(k)!),
    moreOutputs: u.moreOutputs.map((o) => ({ ...o, fields: mapKeys(o.fields, (k) => outF.get(k)!) })),
    regNext: mapKeys(u.regNext, reg),
    tableWrites: mapKeys(u.tableWrites, table),
    schedule: s && {
      ...s,
      stateStage: mapKeys(s.stateStage, stateName),
      memories: mapKeys(s.memories, table),
      stages: s.stages.map((st) => ({ ...st, state: st.state.map(stateName) })),
    },
  };
  cache.set(u, out);
  cache.set(out, out);
  return out;
}

const VERILOG_WORDS = words(VERILOG, SYSTEMVERILOG);

/**
 * Fresh names inside one emitted scope (wires, C++ locals), derived from DSL labels: legal, unique, deterministic.
 * A Verilog or SystemVerilog keyword gets a `_v` suffix; a scope reserves its other words itself (`reserve`), which
 * gives them `_1`, `_2`, ... (the HLS back end reserves RESERVED).
 */
export class Names {
  private readonly used = new Set<string>();

  reserve(...names: string[]): void {
    for (const n of names) this.used.add(n);
  }

  /** A fresh legal identifier derived from `base` (first come, first served; `x_1` on a clash). */
  fresh(base: string): string {
    let b = base.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(b)) b = `n_${b}`;
    if (VERILOG_WORDS.has(b)) b = `${b}_v`;
    let name = b;
    for (let i = 1; this.used.has(name); i++) name = `${b}_${i}`;
    this.used.add(name);
    return name;
  }
}
