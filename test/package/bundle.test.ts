// Structural checks of the `--target` bundles (no vendor tools here): every file a script names exists, kernel.xml
// ports equal the kernel top's ports and widths, the _hw.tcl interface signals exist in the wrapper with their
// widths, every Tcl file runs under tclsh with stub vendor commands, the bundle's RTL lints clean.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { build } from '../../cli/build.ts';
import { verilatorLint } from '../helpers/lint.ts';

const GATE = 'examples/risk-gate/gate.ts';
const TCL_CHECK = path.resolve('test/package/tcl-check.tcl');
let tmp: string;

/** Ports of a Verilog module: name -> { dir, width }. */
export function verilogPorts(text: string, module: string): Map<string, { dir: string; width: number }> {
  const m = new RegExp(`module\\s+${module}\\s*\\(([\\s\\S]*?)\\);`).exec(text);
  if (!m) throw new Error(`no module ${module}`);
  const ports = new Map<string, { dir: string; width: number }>();
  for (const line of m[1].split('\n')) {
    const p = /^\s*(input|output)\s+(?:wire|reg)?\s*(?:\[(\d+):0\])?\s*(\w+)/.exec(line);
    if (p) ports.set(p[3], { dir: p[1], width: p[2] ? Number(p[2]) + 1 : 1 });
  }
  return ports;
}

function tclRun(script: string, calls: string[] = []): { files: string[]; ports: Array<{ iface: string; signal: string; dir: string; width: number }> } {
  const r = spawnSync('tclsh', [TCL_CHECK, script, ...calls], { encoding: 'utf8' });
  expect(r.stderr, `${script}: ${r.stderr}`).toBe('');
  expect(r.stdout.trim().split('\n').pop(), `${script}:\n${r.stdout}`).toBe('OK');
  const lines = r.stdout.split('\n');
  return {
    files: lines.filter((l) => l.startsWith('FILE ')).map((l) => l.slice(5)),
    ports: lines.filter((l) => l.startsWith('PORT ')).map((l) => {
      const [, iface, signal, dir, width] = l.split(' ');
      return { iface, signal, dir, width: Number(width) };
    }),
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-bundle-'));
  await build(GATE, path.join(tmp, 'a'), { target: 'alveo-u55c' });
  await build(GATE, path.join(tmp, 'b'), { target: 'agilex7' });
}, 240_000);

describe('alveo-u55c bundle', () => {
  const dir = () => path.join(tmp, 'a', 'bundle', 'alveo-u55c');

  test('every file the Tcl scripts and the Makefile name exists; the scripts run under tclsh with stub vendor commands', () => {
    const named: string[] = [];
    named.push(...tclRun(path.join(dir(), 'gen_xo.tcl')).files); // sources package_kernel.tcl and runs it
    named.push(...tclRun(path.join(dir(), 'hls', 'run_hls.tcl')).files);
    tclRun(path.join(dir(), 'risk_gate_kernel.xdc'));
    expect(named.some((f) => f.endsWith('rtl/risk_gate_kernel.v'))).toBe(true);
    expect(named.some((f) => f.endsWith('risk_gate_kernel.xdc'))).toBe(true);
    for (const f of named) expect(fs.existsSync(f), f).toBe(true);
    const mk = fs.readFileSync(path.join(dir(), 'Makefile'), 'utf8');
    const prereq = /^\$\(KERNEL\)\.xo: (.*)$/m.exec(mk)![1].split(/\s+/);
    for (const f of prereq) expect(fs.existsSync(path.join(dir(), f)), f).toBe(true);
    expect(fs.readFileSync(path.join(dir(), 'README.md'), 'utf8')).toMatch(/Vitis\/Vivado 2023\.2/);
  });

  test('kernel.xml ports and widths equal the kernel top\'s; scalar args sit at the register map\'s offsets', () => {
    const xml = fs.readFileSync(path.join(dir(), 'kernel.xml'), 'utf8');
    expect(xml).toContain('hwControlProtocol="ap_ctrl_none"');
    const ports = verilogPorts(fs.readFileSync(path.join(dir(), 'rtl', 'risk_gate_kernel.v'), 'utf8'), 'risk_gate_kernel');
    const xmlPorts = [...xml.matchAll(/<port name="(\w+)" mode="(\w+)"(?: range="0x([0-9a-f]+)")? dataWidth="(\d+)"/g)].map((m) => ({ name: m[1], mode: m[2], range: m[3], width: Number(m[4]) }));
    expect(xmlPorts.map((p) => p.name)).toEqual(['s_axi_control', 's_axis_in', 'm_axis_out']);
    // Every RTL port belongs to a kernel.xml interface or is the kernel clock or reset.
    for (const name of ports.keys()) expect(['ap_clk', 'ap_rst_n'].includes(name) || xmlPorts.some((p) => name.startsWith(`${p.name}_`)), name).toBe(true);
    expect(ports.get('s_axis_in_tdata')!.width).toBe(xmlPorts[1].width);
    expect(ports.get('m_axis_out_tdata')!.width).toBe(xmlPorts[2].width);
    expect(ports.get('s_axi_control_wdata')!.width).toBe(xmlPorts[0].width);
    const map = JSON.parse(fs.readFileSync(path.join(dir(), 'regmap', 'regmap.json'), 'utf8'));
    expect(parseInt(xmlPorts[0].range!, 16)).toBe(2 ** ports.get('s_axi_control_awaddr')!.width);
    expect(ports.get('s_axi_control_awaddr')!.width).toBe(map.addrBits);
    const args = [...xml.matchAll(/<arg name="(\w+)" addressQualifier="0"[^>]*offset="0x([0-9a-f]+)"/g)].map((m) => [m[1], parseInt(m[2], 16)]);
    const words = map.windows[0].params.flatMap((p: { name: string; words: Array<{ offset: number }> }) => p.words.map((w, k) => [p.words.length > 1 ? `${p.name}_w${k}` : p.name, w.offset]));
    expect(args).toEqual(words);
    const cfg = fs.readFileSync(path.join(dir(), 'connectivity.cfg'), 'utf8');
    expect(cfg).toMatch(/^stream_connect=networklayer_0\.M_AXIS_nl2sk:risk_gate_kernel_0\.s_axis_in$/m);
    expect(cfg).toMatch(/^stream_connect=risk_gate_kernel_0\.m_axis_out:networklayer_0\.S_AXIS_sk2nl$/m);
  });

  test('the bundle RTL lints clean with the kernel top', () => {
    expect(verilatorLint(path.join(dir(), 'rtl'), 'risk_gate_kernel')).toBe('');
  });
});

describe('agilex7 bundle', () => {
  const dir = () => path.join(tmp, 'b', 'bundle', 'agilex7');

  test('_hw.tcl interface signals exist in the wrapper with their directions and widths; named files exist', () => {
    const hw = tclRun(path.join(dir(), 'risk_gate_agilex_hw.tcl'));
    const ports = verilogPorts(fs.readFileSync(path.join(dir(), 'rtl', 'risk_gate_agilex.v'), 'utf8'), 'risk_gate_agilex');
    expect(hw.ports.length).toBe(ports.size);
    for (const p of hw.ports) {
      const v = ports.get(p.signal);
      expect(v, p.signal).toBeDefined();
      expect([v!.dir, v!.width], p.signal).toEqual([p.dir.toLowerCase(), p.width]);
    }
    expect(new Set(hw.ports.map((p) => p.iface))).toEqual(new Set(['clock', 'reset', 'csr', 's_axis', 'm_axis']));
    const qsf = tclRun(path.join(dir(), 'risk_gate_agilex.qsf'));
    tclRun(path.join(dir(), 'risk_gate_agilex.sdc'));
    for (const f of [...hw.files, ...qsf.files]) expect(fs.existsSync(f), f).toBe(true);
    expect(qsf.files.some((f) => f.endsWith('.sdc'))).toBe(true);
    const readme = fs.readFileSync(path.join(dir(), 'README.md'), 'utf8');
    expect(readme).toMatch(/no open timing model of Agilex exists/);
    expect(readme).toMatch(/OFS/);
  });

  test('the bundle RTL lints clean with the wrapper top', () => {
    expect(verilatorLint(path.join(dir(), 'rtl'), 'risk_gate_agilex')).toBe('');
  });

  test('report.json names the bundle and its estimates', () => {
    const r = JSON.parse(fs.readFileSync(path.join(tmp, 'b', 'report.json'), 'utf8'));
    expect(r.bundle.target).toBe('agilex7');
    expect(r.bundle.estimates.join('\n')).toMatch(/no open timing model/);
    expect(r.hls).toBeNull();
  });
});

describe('resource estimates (--resources)', () => {
  test('Yosys figures per target kind: xcup cells for Alveo, the labelled ALM proxy for Agilex, in report.json and the README', async () => {
    const out = path.join(tmp, 'res');
    const a = await build('test/docs/examples/tagger.ts', path.join(out, 'a'), { target: 'alveo-u55c', noHls: true, resources: true });
    const xcup = a.bundle!.estimates.find((e) => e.startsWith('resources'))!;
    const [luts, ffs] = /= (\d+) \/ (\d+) \/ \d+ \/ \d+ \/ \d+$/.exec(xcup)!.slice(1).map(Number);
    expect(luts).toBeGreaterThan(0);
    expect(ffs).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(out, 'a', 'bundle', 'alveo-u55c', 'README.md'), 'utf8')).toContain(xcup);
    const b = await build('test/docs/examples/tagger.ts', path.join(out, 'b'), { target: 'agilex7', resources: true });
    const alm = b.bundle!.estimates.find((e) => e.startsWith('resources'))!;
    expect(alm).toMatch(/ALM proxy \(no open Agilex model exists/);
    expect(Number(/= (\d+) \//.exec(alm)![1])).toBeGreaterThan(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'b', 'report.json'), 'utf8')).bundle.estimates).toContain(alm);
  }, 240_000);
});
