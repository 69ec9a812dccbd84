// Resource estimates from Yosys (opt-in: `tickforge build --resources`; Yosys takes seconds to a minute). Alveo:
// synth_xilinx -family xcup, the UltraScale+ mapping `tickforge bench` reports. Agilex: no open Agilex model
// exists, so Yosys's Intel ALM flow for Cyclone V stands in, labelled as a proxy.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function runYosys(rtlDir: string, synth: string, statFile: string): string | null {
  const files = fs.readdirSync(rtlDir).filter((f) => f.endsWith('.v')).sort().map((f) => path.join(rtlDir, f));
  try {
    execFileSync('yosys', ['-q', '-p', `read_verilog ${files.join(' ')}; ${synth}; tee -q -o ${statFile} stat`], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const out = fs.readFileSync(statFile, 'utf8');
  return out.slice(out.lastIndexOf('Number of cells'));
}

const count = (stat: string, re: RegExp) => [...stat.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);

/**
 * LUT/FF/CARRY/DSP/BRAM counts from Yosys's UltraScale+ mapping, or null when Yosys is not installed. `fsm: false`
 * runs synth_xilinx's script without its fsm pass: FSM extraction takes tens of minutes on the ITCH feed's state
 * machine (Yosys 0.23), the rest of the flow about a minute.
 */
export function yosysResources(rtlDir: string, top: string, o: { fsm: boolean } = { fsm: true }): string | null {
  const synth = o.fsm
    ? `synth_xilinx -family xcup -flatten -top ${top}`
    : `synth_xilinx -family xcup -flatten -top ${top} -run begin:prepare; proc; flatten; tribuf -logic; deminout; opt_expr; opt_clean; check; ` +
      `opt -nodffe -nosdff; opt; wreduce; peepopt; opt_clean; pmux2shiftx; clean; synth_xilinx -family xcup -flatten -top ${top} -run map_dsp:check`;
  const stat = runYosys(rtlDir, synth, path.join(rtlDir, '..', `yosys-${top}.stat`));
  if (stat === null) return null;
  return `${count(stat, /LUT\d\s+(\d+)/g)} / ${count(stat, /FD[A-Z]{2}\s+(\d+)/g)} / ${count(stat, /CARRY\d\s+(\d+)/g)} / ${count(stat, /DSP48E2\s+(\d+)/g)} / ${count(stat, /RAMB(?:18|36)E2\s+(\d+)/g)}`;
}

/** One README/report line of resources for a bundle kind, or null without Yosys. */
export function resourceEstimate(rtlDir: string, top: string, kind: 'vitis' | 'quartus'): string | null {
  if (kind === 'vitis') {
    const r = yosysResources(rtlDir, top);
    return r && `resources (Yosys 0.23 synth_xilinx -family xcup, an estimate, not Vivado's): LUT / FF / CARRY / DSP48E2 / BRAM = ${r}`;
  }
  const stat = runYosys(rtlDir, `synth_intel_alm -family cyclonev -top ${top}`, path.join(rtlDir, '..', `yosys-intel-${top}.stat`));
  if (stat === null) return null;
  const luts = count(stat, /MISTRAL_ALUT\d\s+(\d+)/g);
  const arith = count(stat, /MISTRAL_ALUT_ARITH\s+(\d+)/g);
  const ffs = count(stat, /MISTRAL_FF\s+(\d+)/g);
  const m10k = count(stat, /MISTRAL_M10K\s+(\d+)/g);
  const mlab = count(stat, /MISTRAL_MLAB\s+(\d+)/g);
  const mul = count(stat, /MISTRAL_MUL\w+\s+(\d+)/g);
  return `resources, ALM proxy (no open Agilex model exists: Yosys 0.23 synth_intel_alm -family cyclonev, Cyclone V cells): ALUT / ALUT_ARITH / FF / M10K / MLAB / MUL = ${luts} / ${arith} / ${ffs} / ${m10k} / ${mlab} / ${mul}`;
}
