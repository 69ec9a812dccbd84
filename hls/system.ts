// Vitis HLS top of a system (docs/systems.md "The HLS top"): one free-running DATAFLOW function that calls every
// unit's own kernel (emitHls, unchanged) in stage order, joined by one hls::stream per channel. The model of what it
// builds is the Verilog top (rtl/system.ts): the same `<producer>_to_<consumer>` channel names, AXI-Stream at the
// edges, every unit's params, COMMIT/CONTROL words and status registers on one s_axilite bundle, prefixed by the unit.
//
// Why DATAFLOW and not hls::task: the unit kernels take scalars (now, params, commit, control) and write status
// through pointers, which hls::task bodies cannot take (their arguments are streams); a DATAFLOW region calls them
// as they are, one process each, and `ap_ctrl_none` on the region makes it free-running (UG1399 "Using ap_ctrl_none
// Inside the Dataflow"). The channel streams are `static` so that, in C-simulation, records a call leaves in a
// channel are still there at the next call, as they stay in the hardware FIFO. C-simulation only (#ifndef
// __SYNTHESIS__), the top reports to a test bench which input each unit took a record from and what entered each
// channel, so the composed model can be told the schedule the C-simulation ran (sim/hls-system.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { UnitIR } from '../codegen/ir.ts';
import { NOW_WIDTH } from '../codegen/ir.ts';
import type { SystemIR } from '../codegen/system.ts';
import type { ChannelSpec } from '../dsl/system.ts';
import type { ScalarSpec } from '../dsl/types.ts';
import { legalize } from '../codegen/names.ts';
import { beatType, emitHls, initPrefix, int64Literal, recordStruct } from './emit.ts';
import { mergedInput } from '../dsl/inputs.ts';
import { CLOCK_MHZ, HLS_INCLUDE, PART_RE, TARGETS, hlsTemplateContext } from './index.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const template = (name: string) => Handlebars.compile(fs.readFileSync(path.join(HERE, 'templates', name), 'utf8'), { noEscape: true, strict: true });

const specType = (s: ScalarSpec) => `${s.kind === 'sint' ? 'ap_int' : 'ap_uint'}<${s.width}>`;

/**
 * The hls::stream depth a channel becomes. Every channel is a FIFO in a DATAFLOW region; wire, slice and skid get 2
 * (Vitis's default and the smallest depth at which producer and consumer both run at full rate: a wire has no
 * zero-depth counterpart between processes, and a slice or skid holds at most 2 records), fifo(N) keeps its N.
 */
export function streamDepth(c: ChannelSpec): number {
  return c.type === 'fifo' ? c.depth : 2;
}

/** One top argument: its C++ declaration, the name and what a test bench passes for it. */
interface TopArg {
  decl: string;
  name: string;
  /** s_axilite (params, commit, control, status, identity) or not (streams, now). */
  axilite: boolean;
}

export interface SystemHlsOutput {
  top: string;
  /** `<top>.h`, `<top>.cpp` and every unit's kernel `<unit>.h`/`<unit>.cpp`, keyed by file name. */
  files: Map<string, string>;
  /** The C++ sources to compile: the top's, then the units' in stage order. */
  sources: string[];
}

/** The unit kernel's prototype, as its own header declares it (emitHls writes `void <unit>(...);` on one line). */
function prototypeOf(header: string, fn: string): string {
  const line = header.split('\n').find((l) => l.startsWith(`void ${fn}(`) && l.endsWith(');'));
  if (!line) throw new Error(`internal: no prototype of ${fn} in its HLS header`);
  return line;
}

/** Per unit, the top's arguments passed through to its kernel, in the kernel's own order after (streams, now). */
function unitArgs(u: UnitIR): Array<TopArg & { spec?: ScalarSpec; kind: 'param' | 'mem' | 'word' | 'status' | 'ident'; dsl?: string }> {
  const p = u.name;
  return [
    ...u.params.map((x) => ({ decl: `${specType(x.spec)} ${p}_${x.name}`, name: `${p}_${x.name}`, axilite: true, spec: x.spec, kind: 'param' as const })),
    // Host-written memories (dsl/parammem.ts): the kernel's shadow-bank array, an s_axilite array of the top's bundle.
    ...u.tables.filter((t) => t.host).map((t) => ({ decl: `const ${specType(t.value)} ${p}_${t.name}[${t.capacity}]`, name: `${p}_${t.name}`, axilite: true, spec: t.value, kind: 'mem' as const })),
    { decl: `ap_uint<32> ${p}_commit`, name: `${p}_commit`, axilite: true, kind: 'word' as const },
    { decl: `ap_uint<32> ${p}_control`, name: `${p}_control`, axilite: true, kind: 'word' as const },
    ...u.regs.filter((r) => r.status).map((r) => ({ decl: `${specType(r.spec)}* ${p}_${r.name}_status`, name: `${p}_${r.name}_status`, axilite: true, spec: r.spec, kind: 'status' as const })),
    { decl: `ap_uint<32>* ${p}_generation`, name: `${p}_generation`, axilite: true, kind: 'ident' as const },
    { decl: `ap_uint<32>* ${p}_build_hash`, name: `${p}_build_hash`, axilite: true, kind: 'ident' as const },
  ];
}

/** A unit's input record on a channel: its only input's, or (several inputs) its first port's (dsl/system.ts). */
const channelInput = (u: UnitIR) => (u.inputs ? u.inputs.ports[0].record : u.input);

/**
 * The system inputs as top arguments (dsl/system.ts externalInputs): `s_axis` when there is one (the first unit's),
 * else `s_axis_<name>` for each, as the Verilog top names its AXI-Stream ports.
 */
export function externalStreams(s: SystemIR, units: readonly UnitIR[] = s.units.map((u) => legalize(u))): Array<{ arg: string; name: string; unit: number; port: number; record: UnitIR['input'] }> {
  return s.externals.map((e) => {
    const u = units[e.unit];
    const port = e.input === null ? 0 : u.inputs!.ports.findIndex((p) => p.name === e.input);
    return { arg: s.externals.length === 1 ? 's_axis' : `s_axis_${e.name}`, name: e.name, unit: e.unit, port, record: e.input === null ? u.input : u.inputs!.ports[port].record };
  });
}

export function emitSystemHls(s: SystemIR): SystemHlsOutput {
  const units = s.units.map((u) => legalize(u));
  const last = units[units.length - 1];
  const top = s.top;
  const files = new Map<string, string>();
  const kernels = s.units.map((u) => emitHls(u));
  for (const k of kernels) for (const [f, text] of k.files) files.set(f, text);
  const exts = externalStreams(s, units);

  // File-scope names of the top's translation unit: one definition each (the unit headers are not included there:
  // each defines its own records, and two units share a channel's record).
  const structs = new Map<string, string>();
  const defineStruct = (text: string, name: string, where: string) => {
    const had = structs.get(name);
    if (had !== undefined && had !== text) throw new Error(`system ${s.name}: the HLS top needs two different records named ${name} (${where}); rename one`);
    structs.set(name, text);
  };
  for (const e of exts) defineStruct(recordStruct(e.record), e.record.name, `system input ${e.name}`);
  // TF151 lets the two records of a channel differ in name only; one C++ stream has one type, so such a channel gets
  // a copy process between two streams (`<link>` of the producer's record, `<link>_dst` of the consumer's).
  const renamed = s.links.map((l) => units[l.from].output.name !== channelInput(units[l.to]).name);
  s.links.forEach((l, k) => {
    defineStruct(recordStruct(units[l.from].output), units[l.from].output.name, `channel ${l.name}`);
    if (renamed[k]) defineStruct(recordStruct(channelInput(units[l.to])), channelInput(units[l.to]).name, `channel ${l.name}`);
  });
  if (!last.packet) defineStruct(recordStruct(last.output), last.output.name, `${last.name}'s output`);
  const outType = last.packet ? beatType(last.packet.beatBytes) : last.output.name;

  const args: TopArg[] = [
    ...exts.map((e) => ({ decl: `hls::stream<${e.record.name}>& ${e.arg}`, name: e.arg, axilite: false })),
    { decl: `hls::stream<${outType}>& m_axis`, name: 'm_axis', axilite: false },
    { decl: `ap_uint<${NOW_WIDTH}> now`, name: 'now', axilite: false },
    ...units.flatMap((u) => unitArgs(u)),
    { decl: 'ap_uint<32>* build_hash', name: 'build_hash', axilite: true },
  ];
  // Each unit's input streams in its kernel's order: the channel (port 0 of a unit after the first), the top's
  // s_axis* for the others.
  const inStreams = units.map((u, k) =>
    (u.inputs ? u.inputs.ports : [null]).map((_, j) => {
      if (k > 0 && j === 0) return renamed[k - 1] ? `${s.links[k - 1].name}_dst` : s.links[k - 1].name;
      return exts.find((e) => e.unit === k && e.port === j)!.arg;
    }),
  );
  const ident = `${top}_sysblock`;
  const took = `${top}_took`;
  const tapOf = (l: { name: string }) => `${top}_tap_${l.name}`;
  const taken = new Map<string, string>();
  const claim = (n: string, what: string) => {
    const had = taken.get(n);
    if (had) throw new Error(`system ${s.name}: the HLS top would use the name ${n} for ${had} and for ${what}; rename one`);
    taken.set(n, what);
  };
  claim(top, 'the top function');
  claim(ident, 'the system block process');
  claim(took, 'the C-simulation take tap');
  claim(`${top}_tap`, 'the C-simulation channel tap');
  for (const n of structs.keys()) claim(n, `record ${n}`);
  for (const u of units) claim(u.name, `unit ${u.name}'s kernel`);
  for (const a of args) claim(a.name, `argument ${a.name}`);
  s.links.forEach((l, k) => {
    claim(l.name, `channel ${l.name}`);
    claim(tapOf(l), `channel ${l.name}'s C-simulation tap`);
    if (renamed[k]) for (const x of [`${l.name}_dst`, `${l.name}_adapt`]) claim(x, `channel ${l.name}'s record copy`);
  });
  inStreams.forEach((ins, k) => {
    ins.forEach((_, j) => claim(`tf_in_${k}_${j}`, `unit ${units[k].name}'s input count`));
    claim(`tf_out_${k}`, `unit ${units[k].name}'s output count`);
  });

  const sig = `void ${top}(${args.map((a) => a.decl).join(', ')})`;
  const H: string[] = [];
  H.push(`// Generated by tickforge from ${s.file}; do not edit.`);
  H.push(`#ifndef TICKFORGE_SYSTEM_${top.toUpperCase()}_H`, `#define TICKFORGE_SYSTEM_${top.toUpperCase()}_H`, '');
  H.push('#include <ap_int.h>', '#include <hls_stream.h>', ...(last.packet ? ['#include <ap_axi_sdata.h>'] : []), '');
  for (const text of structs.values()) H.push(text, '');
  H.push('// The unit kernels (each defined in its own <unit>.cpp, declared with its records in its own <unit>.h).');
  units.forEach((u, k) => H.push(prototypeOf(kernels[k].files.get(`${kernels[k].top}.h`)!, u.name)));
  H.push('');
  H.push(`// System ${s.name}: ${units.map((u) => u.name).join(' -> ')}, one DATAFLOW process per unit, one hls::stream per channel:`);
  s.links.forEach((l, k) => H.push(`//   ${l.name}: ${l.channel.type}${l.channel.type === 'fifo' ? `(${l.channel.depth})` : ''} -> hls::stream<${l.record.name}> depth ${streamDepth(l.channel)}${renamed[k] ? `, copied into ${l.name}_dst (${channelInput(units[l.to]).name}, depth 2) by ${l.name}_adapt` : ''}`));
  if (exts.length > 1) {
    H.push('// System inputs (one AXI-Stream each, as the Verilog top):');
    for (const e of exts) H.push(`//   ${e.arg}: ${units[e.unit].name}'s input ${units[e.unit].inputs ? units[e.unit].inputs!.ports[e.port].name : ''}`.trimEnd());
  }
  H.push('// Free-running (ap_ctrl_none). In C-simulation one call is one clock cycle of every process: each unit takes at');
  H.push('// most one record from its input streams per call (several inputs: by its rotating-priority arbiter), in stage');
  H.push('// order, so a record can cross several units in one call, and writes what it emits; call it repeatedly to drain');
  H.push('// the channels. `now` is a free-running cycle counter.');
  H.push('// Every argument after `now` is the s_axilite register of the unit its name starts with (docs/regmap.md).');
  H.push(`${sig};`, '');
  H.push('#ifndef __SYNTHESIS__');
  H.push('// C-simulation taps for a test bench (sim/hls-system.ts); null, the default, leaves them off. Not synthesized.');
  H.push(`// ${took}(u, p): unit u (stage order) took a record from its input p (declaration order; 0 with one input) in`);
  H.push(`// this call. ${top}_tap_<channel>(r): record r entered the channel, in order.`);
  H.push(`extern void (*${took})(int unit, int input);`);
  s.links.forEach((l) => H.push(`extern void (*${tapOf(l)})(const ${units[l.from].output.name}& r);`));
  H.push('#endif', '', '#endif', '');

  const C: string[] = [];
  C.push(`// Generated by tickforge from ${s.file}; do not edit.`);
  C.push(`#include "${top}.h"`, '');
  C.push('#ifndef __SYNTHESIS__', '#include <cstddef>', '', `void (*${took})(int, int) = nullptr;`);
  s.links.forEach((l) => C.push(`void (*${tapOf(l)})(const ${units[l.from].output.name}&) = nullptr;`));
  C.push('', '// The records a process wrote in this call are the last of its stream (its consumer runs later in the call): one');
  C.push('// full turn (read each, write it back, in order) shows them to the tap and leaves the stream as it was.');
  C.push('template <class T>', `static void ${top}_tap(hls::stream<T>& s, std::size_t before, void (*tap)(const T&)) {`);
  C.push('  const std::size_t n = s.size();', '  for (std::size_t j = 0; j < n; j++) {', '    const T r = s.read();', '    if (j >= before) tap(r);', '    s.write(r);', '  }', '}', '#endif', '');
  C.push(`// The system block: the build hash of the system file and every unit (the Verilog top's BUILD_HASH).`);
  C.push(`static void ${ident}(ap_uint<32>* build_hash) {`, '#ifdef __SYNTHESIS__', '#pragma HLS INLINE off', '#endif', `  *build_hash = 0x${s.buildHash}u;`, '}', '');
  s.links.forEach((l, k) => {
    if (!renamed[k]) return;
    const p = units[l.from].output;
    const c = channelInput(units[l.to]);
    C.push(`// ${l.name}: ${p.name} and ${c.name} are the same record under two names (TF151); copied field by field.`);
    C.push(`static void ${l.name}_adapt(hls::stream<${p.name}>& src, hls::stream<${c.name}>& dst) {`, '#ifdef __SYNTHESIS__', '#pragma HLS INLINE off', '#pragma HLS PIPELINE II=1 style=flp', '#endif');
    C.push(`  ${p.name} in;`, '  if (!src.read_nb(in)) return;', `  ${c.name} out;`);
    c.fields.forEach((f, j) => C.push(`  out.${f.name} = in.${p.fields[j].name};`));
    C.push('  dst.write(out);', '}', '');
  });
  C.push(`${sig} {`);
  // The pragmas are seen by Vitis only: g++ -Wall -Werror rejects unknown pragmas (hls/emit.ts).
  C.push('#ifdef __SYNTHESIS__');
  for (const e of exts) C.push(`#pragma HLS INTERFACE mode=axis port=${e.arg}`);
  C.push('#pragma HLS INTERFACE mode=axis port=m_axis');
  for (const e of exts) C.push(`#pragma HLS AGGREGATE variable=${e.arg} compact=bit`);
  C.push('#pragma HLS AGGREGATE variable=m_axis compact=bit');
  C.push('#pragma HLS INTERFACE mode=ap_none port=now');
  for (const a of args) if (a.axilite) C.push(`#pragma HLS INTERFACE mode=s_axilite port=${a.name} bundle=control`);
  C.push('#pragma HLS INTERFACE mode=ap_ctrl_none port=return', '#pragma HLS DATAFLOW', '#endif', '');
  s.links.forEach((l, k) => {
    if (renamed[k]) {
      C.push(`  // ${l.name}_dst: ${l.name}'s records as ${channelInput(units[l.to]).name}, for ${units[l.to].name}`);
      C.push(`  static hls::stream<${channelInput(units[l.to]).name}> ${l.name}_dst("${l.name}_dst");`);
      C.push('#ifdef __SYNTHESIS__', `#pragma HLS STREAM variable=${l.name}_dst depth=2`, '#endif');
    }
    const port = units[l.to].inputs ? ` (its input ${units[l.to].inputs!.ports[0].name})` : '';
    C.push(`  // ${l.name}: ${units[l.from].name} -> ${units[l.to].name}${port}, ${l.channel.type}${l.channel.type === 'fifo' ? `(${l.channel.depth})` : ''}${l.strobe ? ' (strobe producer: here it is back-pressured, not dropped)' : ''}`);
    C.push(`  static hls::stream<${l.record.name}> ${l.name}("${l.name}");`);
    C.push('#ifdef __SYNTHESIS__', `#pragma HLS STREAM variable=${l.name} depth=${streamDepth(l.channel)}`, '#endif');
  });
  C.push('');
  units.forEach((u, k) => {
    if (k > 0 && renamed[k - 1]) C.push(`  ${s.links[k - 1].name}_adapt(${s.links[k - 1].name}, ${s.links[k - 1].name}_dst);`);
    const ins = inStreams[k];
    const outs = k === units.length - 1 ? 'm_axis' : s.links[k].name;
    // C-simulation only: which input the unit took a record from, and what it wrote to its channel, for the taps.
    C.push('#ifndef __SYNTHESIS__');
    ins.forEach((x, j) => C.push(`  const std::size_t tf_in_${k}_${j} = ${x}.size();`));
    if (k < units.length - 1) C.push(`  const std::size_t tf_out_${k} = ${outs}.size();`);
    C.push('#endif');
    C.push(`  ${u.name}(${[...ins, outs, 'now', ...unitArgs(u).map((a) => a.name)].join(', ')});`);
    C.push('#ifndef __SYNTHESIS__');
    C.push(`  if (${took}) {`);
    ins.forEach((x, j) => C.push(`    if (${x}.size() < tf_in_${k}_${j}) ${took}(${k}, ${j});`));
    C.push('  }');
    if (k < units.length - 1) C.push(`  if (${tapOf(s.links[k])}) ${top}_tap(${outs}, tf_out_${k}, ${tapOf(s.links[k])});`);
    C.push('#endif');
  });
  C.push(`  ${ident}(build_hash);`, '}', '');
  files.set(`${top}.h`, H.join('\n'));
  files.set(`${top}.cpp`, C.join('\n'));
  return { top, files, sources: [`${top}.cpp`, ...kernels.map((k) => `${k.top}.cpp`)] };
}

/**
 * Upper bound of the records entering all channels per system input: unit i emits at most F_i records per record
 * (outputs: N), so channel j carries at most F_0 ... F_j per input. The test bench calls the top this many times per
 * input after the last one (plus one per unit): each call with a non-empty channel takes at least one record out of
 * the channels, so the system is drained by then.
 */
export function drainCallsPerInput(s: SystemIR): number {
  let per = 1;
  let sum = 0;
  for (const l of s.links) {
    per *= s.units[l.from].moreOutputs.length + 1;
    sum += per;
  }
  return sum;
}

export function systemTbContext(s: SystemIR, target: string, part: string) {
  const units = s.units.map((u) => legalize(u));
  const key = (x: string) => JSON.stringify(x);
  const ctxs = s.units.map((u) => hlsTemplateContext(u, target, part));
  // Param file keys are `<unit>.<param>` with the DSL names (the C++ names may be legalized).
  const params = s.units.flatMap((dsl, k) =>
    ctxs[k].params.map((p, i) => ({ name: `${units[k].name}_${p.name}`, key: key(`${dsl.name}.${dsl.params[i].name}`), type: p.type, signed: p.signed, init: p.init })),
  );
  // Host-written memories: `<unit>.<memory>[<i>] <value>` lines (sim/params.ts names an entry `<memory>[<i>]`).
  const mems = s.units.flatMap((dsl, k) =>
    units[k].tables
      .map((t, i) => ({ t, d: dsl.tables[i].name }))
      .filter(({ t }) => t.host)
      .map(({ t, d }) => ({
        name: `${units[k].name}_${t.name}`,
        keyPrefix: key(`${dsl.name}.${d}[`),
        prefixLen: dsl.name.length + d.length + 2,
        entries: t.capacity,
        type: specType(t.value),
        signed: t.value.kind === 'sint',
        init: initPrefix(t.host!.init).map((v) => `${specType(t.value)}(${int64Literal(v, t.value.kind === 'sint')})`).join(', '),
      })),
  );
  const status = s.units.flatMap((dsl, k) =>
    units[k].regs
      .map((r, i) => ({ r, d: dsl.regs[i].name }))
      .filter(({ r }) => r.status)
      .map(({ r, d }) => ({ name: `${units[k].name}_${r.name}`, key: key(`${dsl.name}.${d}`), type: specType(r.spec) })),
  );
  const exts = externalStreams(s, units);
  const ev = exts.length > 1 ? mergedInput(s.name, s.externals.map((e) => [e.name, e.record] as const)) : null;
  const callArgs = [...exts.map((e) => e.arg), 'm_axis', `ap_uint<${NOW_WIDTH}>(call)`];
  for (const u of units) {
    for (const a of unitArgs(u)) {
      if (a.kind === 'param') callArgs.push(`p_${a.name}`);
      else if (a.kind === 'mem') callArgs.push(`m_${a.name}`);
      else if (a.kind === 'word') callArgs.push(a.name.endsWith('_commit') ? 'commit' : 'control');
      else if (a.kind === 'status') callArgs.push(`&st_${a.name.replace(/_status$/, '')}`);
      else callArgs.push(`&${a.name}`);
    }
  }
  callArgs.push('&build_hash');
  return {
    file: s.file,
    top: s.top,
    units: units.map((u) => u.name),
    idents: units.flatMap((u) => [`${u.name}_generation`, `${u.name}_build_hash`]),
    sources: [`${s.top}.cpp`, ...units.map((u) => `${u.name}.cpp`)],
    // Several system inputs: the input file holds merged events (dsl/inputs.ts mergedInput over the system inputs,
    // as `tickforge cosim` packs them), each written to its input's stream.
    several: exts.length > 1,
    streams: exts.map((e) => ({ arg: e.arg, struct: e.record.name })),
    events: !ev
      ? []
      : exts.map((e, k) => ({
        index: k,
        name: e.name,
        arg: e.arg,
        struct: e.record.name,
        fields: e.record.fields.map((f) => ({ name: f.name, lsb: ev.ports[k].lsb + f.lsb, width: f.spec.width, type: `${f.spec.kind === 'sint' ? 'ap_int' : 'ap_uint'}<${f.spec.width}>` })),
      })),
    portBits: ev?.portBits ?? 0,
    // The C-simulation taps (the top's, C-sim only): one file per channel of the records that entered it.
    taps: s.links.map((l, k) => ({ index: k, name: l.name, tap: `${s.top}_tap_${l.name}`, struct: units[l.from].output.name, bytes: ctxs[l.from].outBytes, fields: ctxs[l.from].outFields })),
    inStruct: ctxs[0].inStruct,
    inBytes: ev ? ev.record.bytes : ctxs[0].inBytes,
    inFields: ctxs[0].inFields,
    outStruct: ctxs[ctxs.length - 1].outStruct,
    outBytes: ctxs[ctxs.length - 1].outBytes,
    outFields: ctxs[ctxs.length - 1].outFields,
    params,
    mems,
    status,
    callArgs: callArgs.join(', '),
    drainPerInput: drainCallsPerInput(s),
    unitCount: units.length,
    target,
    part,
    clockMhz: s.units[0].schedule.clockMHz ?? CLOCK_MHZ,
    clockPeriodNs: (1000 / (s.units[0].schedule.clockMHz ?? CLOCK_MHZ)).toFixed(3),
  };
}

export interface SystemHlsBuildOptions {
  target?: string;
  part?: string;
  /** Model vectors for `make csim`: packed inputs, the expected packed outputs (hls/templates/system_tb.cpp.hbs). */
  vectors?: { inputs: Uint8Array; expected: Uint8Array };
}

/** Writes `<dir>`: the top, every unit's kernel, tb.cpp, Makefile, run_hls.tcl, include/ (and vectors/); returns the file names. */
export function buildSystemHls(s: SystemIR, dir: string, opts: SystemHlsBuildOptions = {}): string[] {
  const target = opts.target ?? 'alveo-u55c';
  const t = TARGETS[target];
  if (!t && !opts.part) throw new Error(`unknown target ${target}; known: ${Object.keys(TARGETS).join(', ')} (or give --part)`);
  const part = opts.part ?? t.part;
  if (!PART_RE.test(part)) throw new Error(`--part ${JSON.stringify(part)} is not a part name (letters, digits, '-', '_', '.'); it would be written unquoted into run_hls.tcl`);
  const out = emitSystemHls(s);
  const ctx = systemTbContext(s, target, part);
  const files = new Map(out.files);
  files.set('tb.cpp', template('system_tb.cpp.hbs')(ctx));
  files.set('Makefile', template('system_Makefile.hbs')(ctx));
  files.set('run_hls.tcl', template('system_run_hls.tcl.hbs')(ctx));
  fs.mkdirSync(path.join(dir, 'include'), { recursive: true });
  for (const [f, text] of files) fs.writeFileSync(path.join(dir, f), text);
  for (const h of fs.readdirSync(HLS_INCLUDE).filter((f) => f.endsWith('.h')).sort()) fs.copyFileSync(path.join(HLS_INCLUDE, h), path.join(dir, 'include', h));
  if (opts.vectors) {
    fs.mkdirSync(path.join(dir, 'vectors'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'vectors', 'inputs.bin'), opts.vectors.inputs);
    fs.writeFileSync(path.join(dir, 'vectors', 'expected.bin'), opts.vectors.expected);
  }
  return [...files.keys()];
}
