// The input side of a unit with several inputs (docs/semantics.md §10, "Several inputs"): one AXI-Stream per
// input, and an arbiter that offers at most one of them to the pipeline per cycle as the merged event stream
// `s_axis_*` (internal wires here, ports in a one-input unit), so the rest of the module is the same for both.
// Rotating priority: the input after the one taken last goes first, so no input waits more than K - 1 takes.
// The arbiter is in front of the input register: it adds nothing to any pipeline stage.
import type { UnitIR } from '../codegen/ir.ts';
import { lit } from './expr.ts';

export const INPUT_NAMES = ['arb_last', 'arb_port', 's_axis_tvalid', 's_axis_tready', 's_axis_tdata'];

/** The input ports: the one stream, or one per input (`s_axis_<input>_*`). */
export function inputPorts(u: UnitIR): string[] {
  if (!u.inputs) {
    return [`  // input stream: one ${u.input.name} record per beat`, '  input  wire s_axis_tvalid,', '  output wire s_axis_tready,', `  input  wire [${u.input.bytes * 8 - 1}:0] s_axis_tdata,`];
  }
  return u.inputs.ports.flatMap((p, k) => [
    `  // input ${k}, ${p.name}: one ${p.record.name} record per beat`,
    `  input  wire s_axis_${p.name}_tvalid,`,
    `  output wire s_axis_${p.name}_tready,`,
    `  input  wire [${p.record.bytes * 8 - 1}:0] s_axis_${p.name}_tdata,`,
  ]);
}

/** The arbiter and the merged event stream; empty for a one-input unit. `unused` collects the port bits no one reads. */
export function emitArbiter(u: UnitIR, unused: string[]): string[] {
  const m = u.inputs;
  if (!m) return [];
  const K = m.ports.length;
  const B = m.portBits;
  const inBits = u.input.bytes * 8;
  const v = (k: number) => `s_axis_${m.ports[k].name}_tvalid`;
  const L: string[] = [];
  L.push(`  // ---- input arbiter: at most one record per cycle from ${m.ports.map((p) => p.name).join(', ')}; rotating priority,`);
  L.push('  // the input after the one taken last first. s_axis_* is the merged event stream the pipeline takes:');
  L.push(`  // ${u.input.name} = {${[...m.ports].reverse().map((p) => p.record.name).join(', ')}, port}, each record as on its own stream.`);
  L.push('  wire s_axis_tvalid;', '  wire s_axis_tready;', `  wire [${inBits - 1}:0] s_axis_tdata;`);
  L.push(`  reg [${B - 1}:0] arb_last;  // the input taken last`);
  for (let k = 0; k < K; k++) {
    // Taken when valid and no input ahead of it in this cycle's order is: for each `last`, the inputs after it.
    const terms = [];
    for (let last = 0; last < K; last++) {
      const ahead: number[] = [];
      for (let j = (last + 1) % K; j !== k; j = (j + 1) % K) ahead.push(j);
      terms.push(`(arb_last == ${lit(B, BigInt(last))}${ahead.map((j) => ` & ~${v(j)}`).join('')})`);
    }
    L.push(`  wire arb_${m.ports[k].name} = ${v(k)} & (${terms.join(' | ')});`);
  }
  let port = lit(B, 0n);
  for (let k = 1; k < K; k++) port = `arb_${m.ports[k].name} ? ${lit(B, BigInt(k))} : ${k === 1 ? port : `(${port})`}`;
  L.push(`  wire [${B - 1}:0] arb_port = ${port};`);
  L.push(`  assign s_axis_tvalid = ${m.ports.map((_, k) => v(k)).join(' | ')};`);
  for (const p of m.ports) L.push(`  assign s_axis_${p.name}_tready = s_axis_tready & arb_${p.name};`);
  const parts = [...m.ports].reverse().map((p) => `s_axis_${p.name}_tdata[${p.record.width - 1}:0]`);
  const width = B + m.ports.reduce((s, p) => s + p.record.width, 0);
  L.push(`  assign s_axis_tdata = {${inBits > width ? `${inBits - width}'d0, ` : ''}${parts.join(', ')}, arb_port};`);
  L.push('  always @(posedge aclk) begin');
  L.push(`    if (!aresetn) arb_last <= ${lit(B, BigInt(K - 1))};  // input 0 first`);
  L.push('    else if (s_axis_tvalid & s_axis_tready) arb_last <= arb_port;');
  L.push('  end', '');
  for (const p of m.ports) if (p.record.bytes * 8 > p.record.width) unused.push(`s_axis_${p.name}_tdata[${p.record.bytes * 8 - 1}:${p.record.width}]`);
  return L;
}
