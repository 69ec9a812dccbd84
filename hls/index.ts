// Vitis HLS back end: kernel sources, a C-simulation test bench with vectors from the model, a Makefile (g++
// C-simulation here) and run_hls.tcl (Vitis HLS for users who have it), plus the C-sim support headers.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { UnitIR } from '../codegen/ir.ts';
import { NOW_WIDTH, wireOutput } from '../codegen/ir.ts';
import { describeSpec } from '../dsl/types.ts';
import { emitHls, beatType, initPrefix, int64Literal } from './emit.ts';
import { legalize } from '../codegen/names.ts';
export { emitHls } from './emit.ts';
export { emitSystemHls, buildSystemHls, streamDepth } from './system.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const HLS_INCLUDE = path.join(HERE, 'include');

/** Cards and their FPGA parts (check yours with `xbutil examine`; override with --part). */
export const TARGETS: Record<string, { part: string; card: string }> = {
  'alveo-u55c': { part: 'xcu55c-fsvh2892-2L-e', card: 'AMD Alveo U55C' },
  'alveo-ul3422': { part: 'xcvu2p-fsvj2104-3-e', card: 'AMD Alveo UL3422' },
  'alveo-x3522': { part: 'xcux35-vsva1365-3-e', card: 'AMD Alveo X3522' },
};
export const CLOCK_MHZ = 322.265625;

const template = (name: string) => Handlebars.compile(fs.readFileSync(path.join(HERE, 'templates', name), 'utf8'), { noEscape: true, strict: true });

export interface HlsVectors {
  inputs: Uint8Array;
  now: BigUint64Array;
  expected: Uint8Array;
  params: Record<string, bigint>;
}

export interface HlsBuildOptions {
  target?: string;
  part?: string;
  vectors?: HlsVectors;
}

/** A Xilinx part name: letters, digits, `-`, `_`, `.` (it lands in run_hls.tcl and the Makefile unquoted). */
export const PART_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function hlsTemplateContext(dslIr: UnitIR, target: string, part: string) {
  // Identifiers from the legalized unit (codegen/names.ts); the param and status files keep the DSL names (`key`,
  // a C string literal) because the host side writes and reads them by those.
  const ir = legalize(dslIr);
  const key = (s: string) => JSON.stringify(s);
  const field = (f: UnitIR['input']['fields'][number]) => ({
    name: f.name,
    lsb: f.lsb,
    width: f.spec.width,
    type: `${f.spec.kind === 'sint' ? 'ap_int' : 'ap_uint'}<${f.spec.width}>`,
  });
  return {
    file: ir.file,
    top: ir.name,
    inStruct: ir.input.name,
    outStruct: ir.packet ? beatType(ir.packet.beatBytes) : ir.output.name,
    inBytes: ir.input.bytes,
    outBytes: wireOutput(ir).bytes,
    inFields: ir.input.fields.map(field),
    // Several inputs: the test bench reads merged events and writes each to its input's stream (dsl/inputs.ts).
    inPorts: (ir.inputs?.ports ?? []).map((p, k) => ({ index: k, name: p.name, struct: p.record.name, fields: p.record.fields.map((f, j) => ({ name: f.name, merged: p.fields[j] })) })),
    inStreams: (ir.inputs ? ir.inputs.ports.map((p) => `s_axis_${p.name}`) : ['s_axis']).join(', '),
    outFields: wireOutput(ir).fields.map(field),
    nowWidth: NOW_WIDTH,
    params: ir.params.map((p, i) => ({
      name: p.name,
      key: key(dslIr.params[i].name),
      type: `${p.spec.kind === 'sint' ? 'ap_int' : 'ap_uint'}<${p.spec.width}>`,
      signed: p.spec.kind === 'sint',
      init: int64Literal(p.init, p.spec.kind === 'sint'),
      doc: p.doc ?? describeSpec(p.spec),
    })),
    // Host-written memories (dsl/parammem.ts): the kernel's array arguments; params.txt lines `<name>[<i>] <value>`.
    mems: ir.tables
      .map((t, i) => ({ t, dsl: dslIr.tables[i].name }))
      .filter(({ t }) => t.host)
      .map(({ t, dsl }) => ({
        name: t.name,
        keyPrefix: key(`${dsl}[`),
        prefixLen: dsl.length + 1,
        entries: t.capacity,
        type: `${t.value.kind === 'sint' ? 'ap_int' : 'ap_uint'}<${t.value.width}>`,
        signed: t.value.kind === 'sint',
        init: initPrefix(t.host!.init).map((v) => `${t.value.kind === 'sint' ? 'ap_int' : 'ap_uint'}<${t.value.width}>(${int64Literal(v, t.value.kind === 'sint')})`).join(', '),
      })),
    status: ir.regs
      .map((r, i) => ({ r, dsl: dslIr.regs[i].name }))
      .filter(({ r }) => r.status)
      .map(({ r, dsl }) => ({ name: r.name, key: key(dsl), type: `${r.spec.kind === 'sint' ? 'ap_int' : 'ap_uint'}<${r.spec.width}>` })),
    target,
    part,
    // The clock the design was scheduled for (compile()); the Verilog meets it under the delay model.
    clockMhz: ir.schedule?.clockMHz ?? CLOCK_MHZ,
    clockPeriodNs: (1000 / (ir.schedule?.clockMHz ?? CLOCK_MHZ)).toFixed(3),
  };
}

/** Writes `<dir>` (kernel, tb.cpp, Makefile, run_hls.tcl, include/, vectors/); returns the file names. */
export function buildHls(ir: UnitIR, dir: string, opts: HlsBuildOptions = {}): string[] {
  const target = opts.target ?? 'alveo-u55c';
  const t = TARGETS[target];
  if (!t && !opts.part) throw new Error(`unknown target ${target}; known: ${Object.keys(TARGETS).join(', ')} (or give --part)`);
  const part = opts.part ?? t.part;
  if (!PART_RE.test(part)) throw new Error(`--part ${JSON.stringify(part)} is not a part name (letters, digits, '-', '_', '.'); it would be written unquoted into run_hls.tcl`);
  const out = emitHls(ir);
  const ctx = hlsTemplateContext(ir, target, part);
  const files = new Map(out.files);
  files.set('tb.cpp', template('tb.cpp.hbs')(ctx));
  files.set('Makefile', template('Makefile.hbs')(ctx));
  files.set('run_hls.tcl', template('run_hls.tcl.hbs')(ctx));
  fs.mkdirSync(path.join(dir, 'include'), { recursive: true });
  for (const [f, text] of files) fs.writeFileSync(path.join(dir, f), text);
  for (const h of fs.readdirSync(HLS_INCLUDE).filter((f) => f.endsWith('.h')).sort()) {
    fs.copyFileSync(path.join(HLS_INCLUDE, h), path.join(dir, 'include', h));
  }
  if (opts.vectors) writeVectors(ir, path.join(dir, 'vectors'), opts.vectors);
  return [...files.keys()];
}

export function writeVectors(ir: UnitIR, dir: string, v: HlsVectors): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'inputs.bin'), v.inputs);
  fs.writeFileSync(path.join(dir, 'now.bin'), new Uint8Array(v.now.buffer, v.now.byteOffset, v.now.byteLength));
  fs.writeFileSync(path.join(dir, 'expected.bin'), v.expected);
  fs.writeFileSync(path.join(dir, 'params.txt'), ir.params.map((p) => `${p.name} ${v.params[p.name] ?? p.init}\n`).join(''));
}
