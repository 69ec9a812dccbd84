// Bitstream-source bundles (`tickforge build --target <t>`): `<out>/bundle/<target>/`, a folder a user with the
// vendor tools runs their flow on. Alveo targets get a Vitis RTL kernel (kernel.xml, package_kernel.tcl, gen_xo.tcl,
// connectivity.cfg, an .xdc, a Makefile for v++ -l) plus the HLS route; agilex7 gets a Platform Designer component
// (_hw.tcl), a Quartus project and an .sdc. Wrapper files come from the handlebars templates next to this file;
// every width and name in them is read from the IR, the RTL and the register map, never restated.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { type UnitIR, wireOutput } from '../codegen/ir.ts';
import type { RegMap } from '../regmap/index.ts';
import { regMapFiles, paramWords } from '../regmap/index.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface BundleTarget {
  kind: 'vitis' | 'quartus';
  card: string;
  /** FPGA part (Alveo) or device (Agilex); `assumed` says it is not confirmed for the card. */
  part: string;
  partNote: string;
  /** Vitis platform for v++ -l ('' when this generator knows none). */
  platform?: string;
}

/** Tool versions the bundles are written for (README); nothing here runs them. */
export const TOOL_VERSIONS = { vitis: '2023.2', vivado: '2023.2', quartus: '23.4 (Quartus Prime Pro)', ofs: '2023.3 (OFS for Agilex 7 PCIe Attach)' };

export const BUNDLE_TARGETS: Record<string, BundleTarget> = {
  'alveo-u55c': { kind: 'vitis', card: 'AMD Alveo U55C', part: 'xcu55c-fsvh2892-2L-e', partNote: 'the U55C data sheet part', platform: 'xilinx_u55c_gen3x16_xdma_3_202210_1' },
  'alveo-ul3422': { kind: 'vitis', card: 'AMD Alveo UL3422', part: 'xcvu2p-fsvj2104-3-e', partNote: 'ASSUMPTION: the part tickforge uses for the UL3422 (hls/index.ts TARGETS); check it with `xbutil examine`', platform: '' },
  'alveo-x3522': { kind: 'vitis', card: 'AMD Alveo X3522', part: 'xcux35-vsva1365-3-e', partNote: 'ASSUMPTION: the part tickforge uses for the X3522 (hls/index.ts TARGETS); check it with `xbutil examine`', platform: '' },
  agilex7: { kind: 'quartus', card: 'Intel Agilex 7 (agilex7-fm family)', part: 'AGFB014R24B2E2V', partNote: 'ASSUMPTION: the Agilex 7 F-Series FPGA development kit device; set your card\'s device in the .qsf' },
};

const templates = new Map<string, Handlebars.TemplateDelegate>();
function render(name: string, ctx: object): string {
  let t = templates.get(name);
  if (!t) templates.set(name, (t = Handlebars.compile(fs.readFileSync(path.join(HERE, 'templates', name), 'utf8'), { noEscape: true, strict: true })));
  return t(ctx);
}

const AXIL = ['awaddr', 'awvalid', 'awready', 'wdata', 'wstrb', 'wvalid', 'wready', 'bresp', 'bvalid', 'bready', 'araddr', 'arvalid', 'arready', 'rdata', 'rresp', 'rvalid', 'rready'];

export interface BundleInput {
  ir: UnitIR;
  target: string;
  map: RegMap;
  /** The generated Verilog, by file name. */
  rtl: Map<string, string>;
  /** The HLS output directory to copy (Alveo targets), if one was written. */
  hlsDir?: string;
  clockMHz: number;
  periodNs: number;
  /** Timing estimate lines for the README (from report.json). */
  estimate: string[];
}

export function bundleFiles(b: BundleInput): Map<string, string> {
  const t = BUNDLE_TARGETS[b.target];
  if (!t) throw new Error(`unknown target ${b.target}; known: ${Object.keys(BUNDLE_TARGETS).join(', ')}`);
  const u = b.ir;
  const top = u.name;
  const out = wireOutput(u);
  const files = new Map<string, string>();
  const base = {
    file: u.file,
    top,
    addrBits1: b.map.addrBits - 1,
    inBits: u.input.bytes * 8,
    inBits1: u.input.bytes * 8 - 1,
    // A packet beat's TDATA is beatBytes wide; a record's is the record's bytes.
    outBits: u.packet ? 8 * u.packet.beatBytes : out.bytes * 8,
    outBits1: (u.packet ? 8 * u.packet.beatBytes : out.bytes * 8) - 1,
    keepBits1: u.packet ? u.packet.beatBytes - 1 : 0,
    packet: !!u.packet,
    hasReady: u.flow !== 'strobe',
    inRecord: u.input.name,
    axil: AXIL,
    clockMhz: b.clockMHz,
    periodNs: b.periodNs.toFixed(3),
    buildHash: b.map.buildHash,
  };
  for (const [f, text] of b.rtl) files.set(`rtl/${f}`, text);
  for (const [f, text] of regMapFiles(b.map)) files.set(`regmap/${f}`, text);
  const rtlCore = [...b.rtl.keys()].sort();

  if (t.kind === 'vitis') {
    const kernel = `${top}_kernel`;
    files.set(`rtl/${kernel}.v`, render('kernel_top.v.hbs', { ...base, kernel }));
    const rtlFiles = [`${kernel}.v`, ...rtlCore];
    const args = paramWords(b.map).map((w, i) => ({ name: w.reg.words.length > 1 ? `${w.reg.name}_w${w.index}` : w.reg.name, id: i + 2, offsetHex: w.word.offset.toString(16) }));
    const ctx = { ...base, kernel, card: t.card, part: t.part, rangeHex: (1 << b.map.addrBits).toString(16), args, rtlFiles, rtlPaths: rtlFiles.map((f) => `rtl/${f}`).join(' '), network: 'networklayer_0', platform: t.platform ?? '', clockMhz: Math.round(b.clockMHz) };
    files.set('kernel.xml', render('kernel.xml.hbs', ctx));
    files.set('package_kernel.tcl', render('package_kernel.tcl.hbs', ctx));
    files.set('gen_xo.tcl', render('gen_xo.tcl.hbs', ctx));
    files.set('connectivity.cfg', render('connectivity.cfg.hbs', ctx));
    files.set(`${kernel}.xdc`, render('kernel.xdc.hbs', { ...ctx, clockMhz: b.clockMHz }));
    files.set('Makefile', render('Makefile.hbs', ctx));
    if (b.hlsDir && fs.existsSync(b.hlsDir)) {
      const copy = (rel: string) => {
        const abs = path.join(b.hlsDir!, rel);
        if (fs.statSync(abs).isDirectory()) for (const x of fs.readdirSync(abs).sort()) copy(path.join(rel, x));
        else if (!rel.startsWith('build')) files.set(path.join('hls', rel), fs.readFileSync(abs, 'latin1'));
      };
      for (const x of fs.readdirSync(b.hlsDir).sort()) copy(x);
    }
    files.set('README.md', vitisReadme(b, t, kernel, rtlFiles));
  } else {
    const wrapper = `${top}_agilex`;
    files.set(`rtl/${wrapper}.v`, render('agilex_top.v.hbs', { ...base, wrapper }));
    const rtlFiles = [`${wrapper}.v`, ...rtlCore];
    const A = b.map.addrBits;
    const sig = (signal: string, role: string, dir: string, width: number) => ({ signal, role, dir, width });
    const csr = [
      sig('s_axil_awaddr', 'awaddr', 'Input', A), sig('s_axil_awprot', 'awprot', 'Input', 3), sig('s_axil_awvalid', 'awvalid', 'Input', 1), sig('s_axil_awready', 'awready', 'Output', 1),
      sig('s_axil_wdata', 'wdata', 'Input', 32), sig('s_axil_wstrb', 'wstrb', 'Input', 4), sig('s_axil_wvalid', 'wvalid', 'Input', 1), sig('s_axil_wready', 'wready', 'Output', 1),
      sig('s_axil_bresp', 'bresp', 'Output', 2), sig('s_axil_bvalid', 'bvalid', 'Output', 1), sig('s_axil_bready', 'bready', 'Input', 1),
      sig('s_axil_araddr', 'araddr', 'Input', A), sig('s_axil_arprot', 'arprot', 'Input', 3), sig('s_axil_arvalid', 'arvalid', 'Input', 1), sig('s_axil_arready', 'arready', 'Output', 1),
      sig('s_axil_rdata', 'rdata', 'Output', 32), sig('s_axil_rresp', 'rresp', 'Output', 2), sig('s_axil_rvalid', 'rvalid', 'Output', 1), sig('s_axil_rready', 'rready', 'Input', 1),
    ];
    const sAxis = [sig('s_axis_tvalid', 'tvalid', 'Input', 1), sig('s_axis_tready', 'tready', 'Output', 1), sig('s_axis_tdata', 'tdata', 'Input', base.inBits)];
    const mAxis = [
      sig('m_axis_tvalid', 'tvalid', 'Output', 1),
      ...(base.hasReady ? [sig('m_axis_tready', 'tready', 'Input', 1)] : []),
      sig('m_axis_tdata', 'tdata', 'Output', base.outBits),
      ...(u.packet ? [sig('m_axis_tkeep', 'tkeep', 'Output', u.packet.beatBytes), sig('m_axis_tlast', 'tlast', 'Output', 1)] : []),
    ];
    const ctx = { ...base, wrapper, rtlFiles, csr, sAxis, mAxis, clockHz: Math.round(b.clockMHz * 1e6), device: t.part, quartus: '23.4.0' };
    files.set(`${wrapper}_hw.tcl`, render('hw.tcl.hbs', ctx));
    files.set(`${wrapper}.qpf`, render('qpf.hbs', ctx));
    files.set(`${wrapper}.qsf`, render('qsf.hbs', ctx));
    files.set(`${wrapper}.sdc`, render('sdc.hbs', ctx));
    files.set('README.md', agilexReadme(b, t, wrapper));
  }
  return files;
}

export function writeBundle(b: BundleInput, dir: string): string[] {
  const files = bundleFiles(b);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [f, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text, f.startsWith('hls/vectors/') ? 'latin1' : 'utf8');
  }
  return [...files.keys()];
}

function vitisReadme(b: BundleInput, t: BundleTarget, kernel: string, rtlFiles: string[]): string {
  const u = b.ir;
  return `# ${u.name} for ${t.card} (Vitis RTL kernel)

Generated by tickforge ${b.map.compilerVersion} from \`${u.file}\`, build hash \`${b.map.buildHash}\` (the BUILD_HASH
register at 0x08 returns it). Written for **Vitis/Vivado ${TOOL_VERSIONS.vitis}**; tickforge checks these files
structurally (every file a script names exists, kernel.xml ports equal the wrapper's, Tcl parses, the RTL lints
clean under Verilator) but has not run the vendor tools on them.

- Part: \`${t.part}\` (${t.partNote}).
- Platform: ${t.platform ? `\`${t.platform}\` (Makefile default; override with PLATFORM=)` : 'none known to tickforge for this card: set PLATFORM= to the platform `xbutil examine` / your shell documentation names (ASSUMPTION-free: the Makefile refuses to guess)'}.
- Clock: ${b.clockMHz} MHz (period ${b.periodNs.toFixed(3)} ns); the design was pipelined for it (below).

## Commands

\`\`\`sh
make xo                                  # vivado -mode batch -source gen_xo.tcl: packages rtl/ as ${kernel}.xo
make xclbin NETWORK_XO="<VNx networklayer.xo cmac_0.xo>"   # v++ -l with connectivity.cfg
make hls_xo                              # the HLS route: vitis_hls -f hls/run_hls.tcl -tclargs xo
\`\`\`

## Files

| file | what |
|---|---|
| \`rtl/${kernel}.v\` | the kernel top: ap_clk, ap_rst_n, s_axi_control, s_axis_in, m_axis_out around the generated design |
${rtlFiles.slice(1).map((f) => `| \`rtl/${f}\` | generated design |`).join('\n')}
| \`kernel.xml\` | kernel description: hwControlProtocol ap_ctrl_none, s_axi_control, AXI-Stream args, one scalar arg per param word at its register-map offset |
| \`package_kernel.tcl\`, \`gen_xo.tcl\` | IP packaging and \`package_xo\` |
| \`connectivity.cfg\` | \`stream_connect\` to xup_vitis_network_example's network layer (see the ASSUMPTION in it) |
| \`${kernel}.xdc\` | the build's clock, for out-of-context runs |
| \`regmap/\` | the register map: C header, TypeScript client, JSON, SystemRDL, Markdown, HTML |
| \`hls/\` | the same design as Vitis HLS C++ (run_hls.tcl; its s_axilite offsets are in regmap/*.md "HLS route") |

## Register map

The host controls the kernel through s_axi_control (ap_ctrl_none: no start bit; use \`xrt::ip\` read/write_register):
write params to their shadow registers, then COMMIT with a new generation; see \`regmap/${u.name}_regs.md\`.

## Estimates (tickforge's delay model of UltraScale+, not a Vivado result)

${b.estimate.map((l) => `- ${l}`).join('\n')}
- Resources: run \`npx tickforge bench\` for Yosys (synth_xilinx -family xcup) figures (docs/BENCHMARKS.md).
`;
}

function agilexReadme(b: BundleInput, t: BundleTarget, wrapper: string): string {
  const u = b.ir;
  return `# ${u.name} for ${t.card} (Quartus / Platform Designer)

Generated by tickforge ${b.map.compilerVersion} from \`${u.file}\`, build hash \`${b.map.buildHash}\` (BUILD_HASH register,
0x08). Written for **Quartus Prime Pro ${TOOL_VERSIONS.quartus}** and **${TOOL_VERSIONS.ofs}**; tickforge checks these files
structurally (the _hw.tcl interface signals exist in the wrapper, Tcl parses, the RTL lints clean) but has not run
Quartus on them.

- Device: \`${t.part}\` (${t.partNote}).
- Clock: ${b.clockMHz} MHz (period ${b.periodNs.toFixed(3)} ns, \`${wrapper}.sdc\`).

## Commands

\`\`\`sh
quartus_sh --flow compile ${wrapper}     # the unit alone (out of context): fit and timing
# Platform Designer: add this folder to the IP search path; the component is ${wrapper} (${wrapper}_hw.tcl)
\`\`\`

## Placing it in an OFS AFU

The component has one clock, an active-low reset, an AXI4-Lite CSR slave (the register map) and AXI4-Stream in/out.
In an OFS PCIe-attach AFU (afu_main / port_afu_instances), connect the CSR to the host channel's AXI4-Lite MMIO (via
the PIM's MMIO-to-AXI-Lite shim), the streams to the HSSI subsystem's Ethernet AXI-Stream (through clock-crossing
FIFOs when the Ethernet clock differs from this clock), and keep the reset synchronous to \`aclk\`. These are notes,
not a generated AFU: the OFS version and its HSSI configuration decide the names.

## Estimates

${b.estimate.map((l) => `- ${l}`).join('\n')}
- The timing figures come from tickforge's UltraScale+ delay model: **no open timing model of Agilex exists**, so they
  are a proxy only; Quartus's Timing Analyzer is the authority.
- Resources: no open Agilex resource model exists either; Yosys's Intel flow (synth_intel_alm) counts ALMs as a proxy
  when run by hand.
`;
}
