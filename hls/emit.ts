// IR -> Vitis HLS C++ (UG1399 conventions): a free-running kernel (ap_ctrl_none) that takes at most one record
// per call from an AXI-Stream (`hls::stream<In>`), pipelined at II = 1; params are s_axilite registers, module
// state is `static`, tables are static arrays. Every IR node becomes one `const` of its exact type, named after
// the DSL variable it came from, so the C++ reads like the Verilog and like the DSL.
//
// Widths: the C-simulation header (hls/include) supports ap_[u]int<W> up to W = 64, as do the emitted
// expressions; wider intermediates are reported as unsupported by this back end.
import { memoryKind } from '../codegen/timing/memory.ts';
import type { RecordSpec } from '../dsl/record.ts';
import type { ScalarSpec } from '../dsl/types.ts';
import { type Node, type NodeId, type UnitIR, NOW_WIDTH, assertNever, writesOf } from '../codegen/ir.ts';
import { Names, RESERVED, legalize } from '../codegen/names.ts';
import { CompileError } from '../codegen/diagnostics.ts';
import { ARM_KEY, regMapOf } from '../regmap/index.ts';

/** A construct the HLS back end cannot express yet: a diagnostic at the DSL source of the node. */
function unsupported(n: Node, message: string): never {
  throw new CompileError([{ code: 'TF120', loc: n.loc, message, hint: 'narrow the value (wrap/sat) before this point, or build with --no-hls (the Verilog back end has no such limit)' }]);
}


export interface HlsOutput {
  /** kernel header and source, keyed by file name */
  files: Map<string, string>;
  top: string;
  inStruct: string;
  outStruct: string;
}

const typeOf = (w: number, signed: boolean) => `${signed ? 'ap_int' : 'ap_uint'}<${w}>`;
const specType = (s: ScalarSpec) => typeOf(s.width, s.kind === 'sint');

/**
 * v as a C++ integer literal of type long long (signed) or unsigned long long. -2^63 is INT64_MIN (<cstdint>):
 * `-9223372036854775808ll` is the negation of a literal too large for long long, which g++ rejects.
 */
export function int64Literal(v: bigint, signed: boolean): string {
  if (!signed) return `${v}ull`;
  return v === -(1n << 63n) ? 'INT64_MIN' : `${v}ll`;
}

function lit(w: number, signed: boolean, v: bigint): string {
  const t = typeOf(w, signed);
  if (v >= 0n) return `${t}(${v <= 0xffffffffn ? `${v}u` : `0x${v.toString(16)}ull`})`;
  return `${t}(${int64Literal(v, true)})`;
}

export function recordStruct(r: RecordSpec): string {
  const L = [`// ${r.name}: ${r.width} bits; the first field is the least significant (the AXI-Stream TDATA layout).`];
  L.push(`struct ${r.name} {`);
  for (const f of r.fields) L.push(`  ${specType(f.spec)} ${f.name};`);
  L.push('};');
  return L.join('\n');
}

export function emitHls(dslUnit: UnitIR): HlsOutput {
  // Every identifier legal in C++ and shared with the Verilog back end (codegen/names.ts).
  const u = legalize(dslUnit);
  for (const n of u.nodes) if (n.width > 64) unsupported(n, `this ${n.width}-bit value is wider than the 64 bits the HLS back end supports`);
  const names = new Names();
  names.reserve(...RESERVED, u.name, `${u.name}_beat`, u.input.name, u.output.name, 'got', 'arb_last', ...(u.inputs?.ports.flatMap((p) => [p.record.name, `s_axis_${p.name}`]) ?? []));
  const nodes = u.nodes;
  const name = new Map<NodeId, string>();
  for (const p of u.params) names.reserve(p.name, `live_${p.name}`);
  for (const r of u.regs) names.reserve(r.name, `${r.name}_status`);
  for (const t of u.tables) names.reserve(`${t.name}_valid`, `${t.name}_tag`, `${t.name}_value`);
  // Host-written memories (dsl/parammem.ts): the argument array is the shadow bank, live_<m> the live one.
  const hostMems = u.tables.filter((t) => t.host);
  for (const t of hostMems) names.reserve(t.name, `live_${t.name}`, 'hm_i');
  for (const n of nodes) {
    if (n.op === 'const') continue;
    if (n.op === 'input') name.set(n.id, `in.${n.field}`);
    else if (n.op === 'param') name.set(n.id, `live_${n.name}`); // the committed value (the argument is the shadow)
    else if (n.op === 'reg') name.set(n.id, names.fresh(`${n.name}_q`)); // the value at the start of the event
    else if (n.op === 'now') name.set(n.id, 'now');
    else name.set(n.id, names.fresh(n.label ?? `t${n.id}`));
  }
  const T = (n: Node) => typeOf(n.width, n.signed);
  /** Node `id` as a value of type ap_[u]int<w> with the given signedness (default: its own type). */
  const ref = (id: NodeId, w?: number, signed?: boolean): string => {
    const n = nodes[id];
    const tw = w ?? n.width;
    const ts = signed ?? n.signed;
    if (n.op === 'const') return lit(tw, ts, tw < n.width || !ts ? BigInt.asUintN(tw, n.value) : BigInt.asIntN(tw, n.value));
    const base = name.get(id)!;
    // Input fields, params and registers have their declared types; cast whenever the IR type differs.
    if (tw === n.width && ts === n.signed && n.op !== 'input' && n.op !== 'param' && n.op !== 'reg' && n.op !== 'now') return base;
    return `${typeOf(tw, ts)}(${base})`;
  };
  const tables = new Map(u.tables.map((t) => [t.name, t]));
  const ib = (cap: number) => Math.log2(cap);
  const idxOf = (table: string, key: NodeId) => {
    const t = tables.get(table)!;
    return t.key.width > ib(t.capacity) ? `${ref(key, t.key.width, false)}.range(${ib(t.capacity) - 1}, 0)` : `${ref(key, ib(t.capacity), false)}`;
  };
  const tagOf = (table: string, key: NodeId) => {
    const t = tables.get(table)!;
    return `${ref(key, t.key.width, false)}.range(${t.key.width - 1}, ${ib(t.capacity)})`;
  };
  const raw64 = (id: NodeId, W: number, s: boolean) => `${ref(id, W, s)}.to_uint64()`;

  const cmpExpr = (op: string, a: NodeId, b: NodeId): string => {
    const A = nodes[a];
    const B = nodes[b];
    if (A.signed === B.signed) {
      const w = Math.max(A.width, B.width);
      return `${ref(a, w, A.signed)} ${op} ${ref(b, w, A.signed)}`;
    }
    const X = Math.max(A.width + (A.signed ? 0 : 1), B.width + (B.signed ? 0 : 1));
    if (X > 64) unsupported(A, 'comparing a 64-bit unsigned value with a signed one needs 65 bits, more than the HLS back end supports');
    return `${ref(a, X, true)} ${op} ${ref(b, X, true)}`;
  };

  const expr = (n: Node): string => {
    const W = n.width;
    const S = n.signed;
    switch (n.op) {
      case 'bin':
        switch (n.kind) {
          case 'add':
          case 'sub':
            // Computed modulo 2^W at the result type, which holds the exact value.
            if (W < 64) return `${T(n)}(${ref(n.a, W, S)} ${n.kind === 'add' ? '+' : '-'} ${ref(n.b, W, S)})`;
            return `${T(n)}(${raw64(n.a, W, S)} ${n.kind === 'add' ? '+' : '-'} ${raw64(n.b, W, S)})`;
          case 'mul':
            if (2 * W <= 64) return `${T(n)}(${ref(n.a, W, S)} * ${ref(n.b, W, S)})`;
            return `${T(n)}(${raw64(n.a, W, S)} * ${raw64(n.b, W, S)})`;
          case 'and':
          case 'or':
          case 'xor': {
            const X = Math.max(W, nodes[n.a].width, nodes[n.b].width);
            const s = nodes[n.a].signed || nodes[n.b].signed;
            const op = n.kind === 'and' ? '&' : n.kind === 'or' ? '|' : '^';
            return `${T(n)}(${ref(n.a, X, s)} ${op} ${ref(n.b, X, s)})`;
          }
          case 'shl':
            return `${T(n)}(${ref(n.a, W, S)} << ${ref(n.b, nodes[n.b].width, false)})`;
          case 'shr': {
            const X = Math.max(W, nodes[n.a].width);
            return `${T(n)}(${ref(n.a, X, nodes[n.a].signed)} >> ${ref(n.b, nodes[n.b].width, false)})`;
          }
          case 'div':
          case 'mod': {
            // X signed bits hold both operands and the result (as in rtl/emit.ts): div(-2^22, -1) of an i(23)
            // dividend is 2^22, which needs 24 bits. A dividend that may be -2^63 divided by a divisor that may be
            // negative gives a 65-bit quotient range: rejected above (the node is wider than 64 bits).
            const X = Math.max(...[n.a, n.b, n.id].map((i) => nodes[i].width + (nodes[i].signed ? 0 : 1)));
            if (X > 64) unsupported(n, `this division needs ${X} bits, more than the 64 the HLS back end supports`);
            if (X === 64 && n.kind === 'div') {
              // ap_int<64> / ap_int<64> has a 65-bit Vitis result type; the quotient fits 64 bits (X holds it, so
              // the operands are never -2^63 and -1), so divide the 64-bit images (truncating toward zero, as C++
              // does). The remainder of ap_int<64> % ap_int<64> is 64 bits wide: it takes the general path below,
              // exact for -2^63 % -1 too, where int64_t % would trap.
              const a64 = `${ref(n.a, 64, true)}.to_int64()`;
              const b64 = `${ref(n.b, 64, true)}.to_int64()`;
              return `${T(n)}(${b64} == 0 ? 0 : ${a64} / ${b64})`;
            }
            const a = ref(n.a, X, true);
            const b = ref(n.b, X, true);
            // x / 0 = 0 and x % 0 = x (docs/semantics.md); C++ would be undefined.
            return n.kind === 'div' ? `${T(n)}(${b} == 0 ? ${typeOf(X, true)}(0) : ${typeOf(X, true)}(${a} / ${b}))` : `${T(n)}(${b} == 0 ? ${a} : ${typeOf(X, true)}(${a} % ${b}))`;
          }
          case 'min':
          case 'max':
            return `${T(n)}((${cmpExpr(n.kind === 'min' ? '<' : '>', n.a, n.b)}) ? ${ref(n.a, W, S)} : ${ref(n.b, W, S)})`;
          default:
            return assertNever(n as never);
        }
      case 'cmp':
        return `ap_uint<1>(${cmpExpr({ eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' }[n.kind], n.a, n.b)})`;
      case 'un':
        if (n.kind === 'neg') return W < 64 ? `${T(n)}(-${ref(n.a, W, S)})` : `${T(n)}(0 - ${raw64(n.a, W, S)})`;
        if (n.kind === 'not') return `${T(n)}(~${ref(n.a, W, S)})`;
        return `ap_uint<1>(!${ref(n.a)})`;
      case 'and2':
        return `ap_uint<1>(${ref(n.a)} & ${ref(n.b)})`;
      case 'or2':
        return `ap_uint<1>(${ref(n.a)} | ${ref(n.b)})`;
      case 'mux':
        return `${ref(n.c)} ? ${ref(n.t, W, S)} : ${ref(n.f, W, S)}`;
      case 'slice':
        return n.msb === n.lsb ? `ap_uint<1>(${ref(n.a)}[${n.msb}])` : `${T(n)}(${ref(n.a, nodes[n.a].width, false)}.range(${n.msb}, ${n.lsb}))`;
      case 'wrap':
        return ref(n.a, W, S);
      case 'sat': {
        const A = nodes[n.a];
        const X = Math.max(A.width + (A.signed ? 0 : 1), W + 1);
        if (X > 64) unsupported(n, 'this saturation compares at 65 bits, more than the HLS back end supports');
        const a = ref(n.a, X, true);
        return `${a} < ${lit(X, true, n.lo)} ? ${lit(W, S, n.lo)} : ${a} > ${lit(X, true, n.hi)} ? ${lit(W, S, n.hi)} : ${ref(n.a, W, S)}`;
      }
      case 'tread': {
        const t = tables.get(n.table)!;
        const idx = idxOf(n.table, n.key);
        if (t.host) return `${T(n)}(live_${t.name}[${idx}])`;
        const tag = t.key.width > ib(t.capacity) ? `${t.name}_tag[${idx}] == ${tagOf(n.table, n.key)}` : 'true';
        if (n.what === 'has') return `ap_uint<1>(${t.name}_valid[${idx}] && ${tag})`;
        if (n.what === 'free') return `ap_uint<1>(!${t.name}_valid[${idx}] || ${tag})`;
        if (n.what === 'tag') return t.key.width > ib(t.capacity) ? `${T(n)}(${t.name}_tag[${idx}])` : `${T(n)}(0)`;
        return `${T(n)}(${t.name}_value[${idx}])`;
      }
      case 'const':
      case 'input':
      case 'param':
      case 'reg':
      case 'now':
        throw new Error(`internal: ${n.op} is not an expression node`);
      default:
        return assertNever(n);
    }
  };

  const body: string[] = [];
  for (const n of nodes) {
    if (['const', 'input', 'param', 'reg', 'now'].includes(n.op)) continue;
    body.push(`  const ${T(n)} ${name.get(n.id)} = ${expr(n)};  // ${n.loc.file}:${n.loc.line}`);
  }

  const top = u.name;
  const H: string[] = [];
  H.push(`// Generated by tickforge from ${u.file}; do not edit.`);
  H.push(`#ifndef TICKFORGE_${top.toUpperCase()}_H`, `#define TICKFORGE_${top.toUpperCase()}_H`, '');
  H.push('#include <ap_int.h>', '#include <hls_stream.h>', ...(u.packet ? ['#include <ap_axi_sdata.h>'] : []), '');
  for (const pr of u.inputs?.ports ?? []) H.push(recordStruct(pr.record), '');
  H.push(recordStruct(u.input), '');
  if (u.output.name !== u.input.name) H.push(recordStruct(u.output), '');
  const status = u.regs.filter((r) => r.status);
  const args = [
    ...(u.inputs ? u.inputs.ports.map((pr) => `hls::stream<${pr.record.name}>& s_axis_${pr.name}`) : [`hls::stream<${u.input.name}>& s_axis`]),
    `hls::stream<${u.packet ? beatType(u.packet.beatBytes) : u.output.name}>& m_axis`,
    `ap_uint<${NOW_WIDTH}> now`,
    ...u.params.map((p) => `${specType(p.spec)} ${p.name}`),
    ...hostMems.map((t) => `const ${specType(t.value)} ${t.name}[${t.capacity}]`),
    'ap_uint<32> commit',
    'ap_uint<32> control',
    ...status.map((r) => `${specType(r.spec)}* ${r.name}_status`),
    'ap_uint<32>* generation',
    'ap_uint<32>* build_hash',
  ];
  const map = regMapOf(u);
  const hlsOff = new Map([...map.windows[0].params, ...map.windows[0].status].map((r) => [r.name, r.words[0].hlsOffset]));
  const off = (x: number) => `0x${x.toString(16)}`;
  const sig = `void ${top}(${args.join(', ')})`;
  const inStreams = u.inputs ? u.inputs.ports.map((pr) => `s_axis_${pr.name}`) : ['s_axis'];
  if (u.packet) {
    const p = u.packet;
    const nb = Math.ceil(p.capacity / p.beatBytes);
    H.push(`// One call takes at most one record from s_axis and writes its ${u.output.name} to m_axis as a packet of`);
    H.push(`// min(${p.length}, ${p.capacity}) bytes in ${p.beatBytes}-byte beats with keep and last (up to ${nb} beats: the kernel is pipelined at`);
    H.push(`// II = ${nb}, where the Verilog back end takes the next record after the last beat). \`now\` is a free-running cycle`);
    H.push('// counter (wire a 48-bit counter to this port).');
  } else if (u.moreOutputs.length) {
    const n = u.moreOutputs.length + 1;
    H.push(`// One call takes at most one record from s_axis and writes up to ${n} records to m_axis, in order (the kernel is`);
    H.push(`// pipelined at II = ${n}, where the Verilog back end takes the next record while they go out, one per cycle).`);
    H.push('// `now` is a free-running cycle counter (wire a 48-bit counter to this port).');
  } else {
    H.push('// One call = one clock cycle of the free-running kernel: takes at most one record from s_axis and writes at');
    H.push('// most one record to m_axis. `now` is a free-running cycle counter (wire a 48-bit counter to this port).');
  }
  if (u.schedule) {
    const s = u.schedule;
    H.push(`// Scheduled for ${s.clockMHz} MHz: the Verilog of this design has ${s.lastStage + 1} stage${s.lastStage ? 's' : ''}, latency ${s.latency} cycles`);
    H.push('// (report.json); Vitis schedules this kernel itself at the run_hls.tcl clock, with the tables bound as below.');
  }
  if (u.flow === 'strobe') {
    H.push('// Flow strobe: the design has no output back-pressure. Vitis gives m_axis a TREADY all the same: tie it high, as');
    H.push('// the Verilog back end has none.');
  }
  H.push(`${sig};`, '', '#endif', '');

  const C: string[] = [];
  C.push(`// Generated by tickforge from ${u.file}; do not edit.`);
  C.push(`#include "${top}.h"`, '');
  C.push(`${sig} {`);
  // g++ rejects unknown pragmas under -Wall -Werror (and `#pragma GCC diagnostic` cannot silence them in C++),
  // so the HLS pragmas are seen by Vitis synthesis only; C-simulation ignores them either way.
  C.push('#ifdef __SYNTHESIS__');
  for (const s of inStreams) C.push(`#pragma HLS INTERFACE mode=axis port=${s}`);
  C.push('#pragma HLS INTERFACE mode=axis port=m_axis');
  for (const s of inStreams) C.push(`#pragma HLS AGGREGATE variable=${s} compact=bit`);
  C.push('#pragma HLS AGGREGATE variable=m_axis compact=bit');
  C.push('#pragma HLS INTERFACE mode=ap_none port=now');
  // Offsets from the register map (regmap/): the HLS route's map, documented next to the RTL's in docs/regmap.md.
  for (const p of u.params) C.push(`#pragma HLS INTERFACE mode=s_axilite port=${p.name} offset=${off(hlsOff.get(p.name)!)} bundle=control`);
  // A host-written memory is an s_axilite array: Vitis places it in the bundle itself (its driver header names the
  // offset), so it has no offset here (docs/regmap.md "The HLS route").
  for (const t of hostMems) C.push(`#pragma HLS INTERFACE mode=s_axilite port=${t.name} bundle=control`);
  C.push(`#pragma HLS INTERFACE mode=s_axilite port=commit offset=${off(map.hls.commit)} bundle=control`);
  C.push(`#pragma HLS INTERFACE mode=s_axilite port=control offset=${off(map.hls.control)} bundle=control`);
  for (const r of status) C.push(`#pragma HLS INTERFACE mode=s_axilite port=${r.name}_status offset=${off(hlsOff.get(r.name)!)} bundle=control`);
  C.push(`#pragma HLS INTERFACE mode=s_axilite port=generation offset=${off(map.hls.generation)} bundle=control`);
  C.push(`#pragma HLS INTERFACE mode=s_axilite port=build_hash offset=${off(map.hls.buildHash)} bundle=control`);
  C.push('#pragma HLS INTERFACE mode=ap_ctrl_none port=return');
  // II: the handshakes one input may need on m_axis (the beats of a packet, or `outputs` records).
  C.push(`#pragma HLS PIPELINE II=${u.packet ? Math.ceil(u.packet.capacity / u.packet.beatBytes) : u.moreOutputs.length + 1} style=flp`, '#endif', '');
  // COMMIT (docs/regmap.md): the param arguments are the shadow registers; a call that sees commit differ from the
  // generation copies every one of them into the live params at once, before it takes a record.
  C.push('  static ap_uint<32> gen_q = 0;', '  static bool killed = false;');
  for (const p of u.params) C.push(`  static ${specType(p.spec)} live_${p.name} = ${lit(p.spec.width, p.spec.kind === 'sint', p.init)};`);
  for (const t of hostMems) {
    // Up to the last non-zero entry: C++ zero-fills the rest (a 65,536-entry map with 1,024 set stays short).
    const init = initPrefix(t.host!.init);
    const vals = init.map((v) => lit(t.value.width, t.value.kind === 'sint', v)).join(', ');
    C.push(`  static ${specType(t.value)} live_${t.name}[${t.capacity}] = {${vals}};  // host-written memory: the live bank`);
  }
  C.push('  if (commit != gen_q) {');
  for (const p of u.params) C.push(`    live_${p.name} = ${p.name};`);
  // A host-written memory's live bank takes the argument's contents (a copy of every entry: Vitis schedules the
  // loop, so the call that applies a COMMIT takes N cycles; the Verilog switches banks in one).
  for (const t of hostMems) C.push(`    for (int hm_i = 0; hm_i < ${t.capacity}; hm_i++) live_${t.name}[hm_i] = ${t.name}[hm_i];`);
  C.push('    gen_q = commit;', '  }');
  // CONTROL (docs/regmap.md "Kill, hold and arm"): the s_axilite word holds the last value written, so the kill
  // latches on bit 0 and the arm key clears it while the word reads ARM_KEY<<8 | HOLD; HOLD is a level.
  C.push('  if (control[0]) killed = true;  // CONTROL.KILL latches', `  else if (control[1] && control(31, 8) == 0x${ARM_KEY.toString(16).toUpperCase()}) killed = false;  // the arm key`, '  *generation = gen_q;', `  *build_hash = 0x${map.buildHash}u;`);
  if (u.regs.length) C.push('  // module state');
  for (const r of u.regs) C.push(`  static ${specType(r.spec)} ${r.name} = ${lit(r.spec.width, r.spec.kind === 'sint', r.init)};`);
  // A table nothing reads or writes (after DCE) is left out (g++ -Werror would reject its unused arrays).
  const usedTables = u.tables.filter((t) => !t.host && (u.tableWrites.has(t.name) || nodes.some((n) => n.op === 'tread' && n.table === t.name)));
  for (const t of usedTables) {
    const b = ib(t.capacity);
    C.push(`  // table ${t.name}: ${t.capacity} slots, direct mapped on key[${b - 1}:0]${t.key.width > b ? `, tag key[${t.key.width - 1}:${b}]` : ''}`);
    C.push(`  static bool ${t.name}_valid[${t.capacity}] = {};`);
    if (t.key.width > b) C.push(`  static ap_uint<${t.key.width - b}> ${t.name}_tag[${t.capacity}];`);
    C.push(`  static ${specType(t.value)} ${t.name}_value[${t.capacity}];`);
    // The memory the schedule chose (docs/semantics.md §11), with its one-cycle registered read. UltraRAM has no
    // initial contents, so the valid bits (zero at start) go to block RAM when the table is in UltraRAM.
    const kind = u.schedule?.memories.get(t.name)?.kind ?? memoryKind(t);
    const impl = { lutram: 'lutram', bram: 'bram', uram: 'uram' }[kind];
    // Written at two places (rtl/memory2.ts): a true dual-port RAM, both ports for the two writes; Vitis schedules
    // the reads around them (it may not reach II=1: the RTL's XOR banks have more ports than one RAM).
    const ty = u.tableWrites.get(t.name)?.next ? 'ram_t2p' : 'ram_2p';
    C.push('#ifdef __SYNTHESIS__');
    C.push(`#pragma HLS BIND_STORAGE variable=${t.name}_valid type=${ty} impl=${kind === 'uram' ? 'bram' : impl} latency=1`);
    if (t.key.width > b) C.push(`#pragma HLS BIND_STORAGE variable=${t.name}_tag type=${ty} impl=${impl} latency=1`);
    C.push(`#pragma HLS BIND_STORAGE variable=${t.name}_value type=${ty} impl=${impl} latency=1`);
    C.push('#endif');
  }
  const unread = [
    ...(nodes.some((n) => n.op === 'now') ? [] : ['now']),
    ...u.params.filter((p) => !nodes.some((n) => n.op === 'param' && n.name === p.name)).map((p) => `live_${p.name}`),
  ];
  if (unread.length) C.push('', `  // ports this design does not read (kept for a uniform interface)`, ...unread.map((x) => `  (void)${x};`));
  C.push('', `  ${u.input.name} in;`);
  if (u.inputs) C.push(...arbiterReads(u));
  else C.push('  if (!s_axis.read_nb(in)) return;');
  C.push('  if (killed || control[1]) return;  // accepted and dropped (kill or hold): no event', '');
  // Registers are read once, before any is written: every expression sees the state at the start of the event.
  for (const n of nodes) if (n.op === 'reg') C.push(`  const ${specType(u.regs.find((r) => r.name === n.name)!.spec)} ${name.get(n.id)} = ${n.name};`);
  if (nodes.some((n) => n.op === 'reg')) C.push('');
  C.push(...body, '');
  C.push('  // commit: state registers, then table writes (one write port each)');
  for (const r of u.regs) C.push(`  ${r.name} = ${ref(u.regNext.get(r.name)!, r.spec.width, r.spec.kind === 'sint')};`);
  for (const t of u.tables.filter((x) => !x.host)) {
    // One write, or two in program order (docs/semantics.md §8: the later wins a shared slot; the front end has
    // already turned the first off then).
    for (const w of writesOf(u.tableWrites.get(t.name))) {
      const idx = idxOf(t.name, w.key);
      C.push(`  if (${ref(w.en)}) {`);
      C.push(`    ${t.name}_valid[${idx}] = !${ref(w.del)};`);
      if (t.key.width > ib(t.capacity)) C.push(`    ${t.name}_tag[${idx}] = ${tagOf(t.name, w.key)};`);
      C.push(`    ${t.name}_value[${idx}] = ${ref(w.value, t.value.width, t.value.kind === 'sint')};`);
      C.push('  }');
    }
  }
  for (const r of status) C.push(`  *${r.name}_status = ${r.name};  // status register, host-readable`);
  // Output records in order; record k is written only when record k-1 was (docs/semantics.md §10).
  const slots = [{ valid: u.outValid, fields: u.outFields }, ...u.moreOutputs];
  slots.forEach((s, k) => {
    C.push(`${'  '.repeat(k + 1)}if (${ref(s.valid)}) {`);
    const ind = '  '.repeat(k + 2);
    C.push(`${ind}${u.output.name} out${k || ''};`);
    for (const f of u.output.fields) C.push(`${ind}out${k || ''}.${f.name} = ${ref(s.fields.get(f.name)!, f.spec.width, f.spec.kind === 'sint')};`);
    if (u.packet) C.push(...packetWrites(u));
    else C.push(`${ind}m_axis.write(out${k || ''});`);
  });
  for (let k = slots.length - 1; k >= 0; k--) C.push(`${'  '.repeat(k + 1)}}`);
  C.push('}', '');
  if (u.packet) C.splice(C.indexOf(`${sig} {`), 0, ...beatDataFn(u), '');

  const files = new Map<string, string>();
  files.set(`${top}.h`, H.join('\n'));
  files.set(`${top}.cpp`, C.join('\n'));
  return { files, top, inStruct: u.input.name, outStruct: u.output.name };
}

/**
 * Several inputs: the record of at most one input per call, into the merged event `in` (dsl/inputs.ts), by the
 * Verilog arbiter's rotating priority (the input after the one taken last first).
 */
function arbiterReads(u: UnitIR): string[] {
  const m = u.inputs!;
  const K = m.ports.length;
  const L = [`  static ap_uint<${m.portBits}> arb_last = ${K - 1};  // the input taken last (input 0 first)`, '  bool got = false;'];
  L.push(`  for (int j = 1; j <= ${K}; j++) {`, `    const int p = (arb_last.to_int() + j) % ${K};`);
  m.ports.forEach((pr, k) => {
    L.push(`    if (!got && p == ${k}) {`, `      ${pr.record.name} r;`, `      if (s_axis_${pr.name}.read_nb(r)) {`, '        in = {};', `        in.port = ${k};`);
    pr.record.fields.forEach((f, j) => L.push(`        in.${pr.fields[j]} = r.${f.name};`));
    L.push('        got = true;', '      }', '    }');
  });
  L.push('  }', '  if (!got) return;', '  arb_last = in.port;');
  return L;
}

/** The C++ type of one packet beat: Vitis's AXI-Stream side-channel struct (data, keep, strb, last). */
export function beatType(beatBytes: number): string {
  return `hls::axis<ap_uint<${8 * beatBytes}>, 0, 0, 0>`;
}

/** `<top>_beat(out, j)`: bytes j*B .. j*B+B-1 of the packet, gathered from the payload fields (no value above 64 bits). */
function beatDataFn(u: UnitIR): string[] {
  const p = u.packet!;
  const W = 8 * p.beatBytes;
  const nb = Math.ceil(p.capacity / p.beatBytes);
  const payload = u.output.fields.slice(0, -1);
  const L = [`// Beat j of the packet: payload bytes ${p.beatBytes}j..${p.beatBytes}j+${p.beatBytes - 1} (byte b at bits 8b+7..8b of the packed ${u.output.name}).`];
  L.push(`static ap_uint<${W}> ${u.name}_beat(const ${u.output.name}& out, int j) {`);
  L.push(`  ap_uint<${W}> d = 0;`, '  switch (j) {');
  for (let j = 0; j < nb; j++) {
    const lo = j * W;
    const hi = lo + W;
    L.push(`    case ${j}:`);
    for (const f of payload) {
      const fl = f.lsb;
      const fh = f.lsb + f.spec.width;
      if (fh <= lo || fl >= hi) continue;
      // The field's bit pattern (a signed field goes through its own unsigned width: no sign extension), shifted
      // into place at the field's width before it is cut to the beat's.
      const raw = f.spec.kind !== 'sint' && f.spec.width === W ? `out.${f.name}` : `ap_uint<${f.spec.width}>(out.${f.name})`;
      const bits = fl >= lo ? `ap_uint<${W}>(${raw})${fl > lo ? ` << ${fl - lo}` : ''}` : `ap_uint<${W}>(${raw} >> ${lo - fl})`;
      L.push(`      d |= ${bits};`);
    }
    L.push('      break;');
  }
  L.push('    default:', '      break;', '  }', '  return d;', '}');
  return L;
}

/** Writes the packet's beats: min(length, capacity) bytes; lanes past the end are zero, keep marks the valid ones. */
function packetWrites(u: UnitIR): string[] {
  const p = u.packet!;
  const B = p.beatBytes;
  const nb = Math.ceil(p.capacity / B);
  const lw = u.output.fields[u.output.fields.length - 1].spec.width;
  const L = [`    // packet: min(${p.length}, ${p.capacity}) bytes as ${B}-byte beats; nothing when that is 0`];
  L.push(`    const int n = out.${p.length} > ap_uint<${lw}>(${Math.min(p.capacity, 2 ** lw - 1)}u) ? ${p.capacity} : int(out.${p.length});`);
  L.push(`    for (int j = 0; j < ${nb}; ++j) {`);
  L.push('#ifdef __SYNTHESIS__', '#pragma HLS UNROLL', '#endif');
  L.push(`      const int rest = n - ${B} * j;`, '      if (rest <= 0) break;');
  L.push(`      const int lanes = rest < ${B} ? rest : ${B};`);
  L.push(`      ${beatType(B)} beat;`);
  L.push(`      const ap_uint<${8 * B}> mask = ~ap_uint<${8 * B}>(0) >> (8 * (${B} - lanes));`);
  L.push(`      beat.data = ${u.name}_beat(out, j) & mask;`);
  L.push(`      beat.keep = ap_uint<${B}>((1u << lanes) - 1);`);
  L.push('      beat.strb = beat.keep;');
  L.push(`      beat.last = rest <= ${B} ? 1 : 0;`);
  L.push('      m_axis.write(beat);', '    }');
  return L;
}

/** A memory's initial contents up to its last non-zero entry (an aggregate initializer zero-fills the rest). */
export function initPrefix(init: readonly bigint[]): readonly bigint[] {
  let n = init.length;
  while (n > 0 && init[n - 1] === 0n) n--;
  return init.slice(0, n);
}
