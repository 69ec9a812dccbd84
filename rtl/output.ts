// The output side of a unit (docs/semantics.md §10): the record leaving the last stage goes to an output register,
// directly or through a FIFO.
//   flow 'strobe'  no TREADY: the output register takes every record; the input is ready whenever out of reset.
//   flow 'ready'   a FIFO absorbs back-pressure. The pipeline never stalls, so the input may only take a record the
//                  FIFO is sure to hold: `out_credit` counts free places (FIFO depth minus records accepted and not yet
//                  gone), and s_axis_tready = out_credit != 0, a function of registers only: no combinational path
//                  from m_axis_tready to s_axis_tready, and no stall net fanning out over the pipeline. The FIFO
//                  is deep enough (latency + 2, rounded up to a power of two) for one record per cycle.
//   packet         the same FIFO, and a serializer that sends the head record as beats (a shift register).
//   outputs: N     the same FIFO, one entry per input holding its N records and their count; the serializer sends
//                  them one per handshake. A credit is one entry, so the input waits only when the FIFO is full.
import type { NodeId, UnitIR } from '../codegen/ir.ts';
import { lit } from './expr.ts';
import type { Names } from './names.ts';

/** Names the output stage declares (reserved before any DSL name is given out). */
export const OUTPUT_NAMES = [
  'out_valid', 'out_valid_q', 'out_credit', 'out_credit_take', 'out_credit_drop', 'out_credit_ret', 'out_fifo', 'out_fifo_wr',
  'out_fifo_rd', 'out_fifo_empty', 'out_done', 'out_free', 'out_load_fifo', 'out_load_pipe', 'out_push', 'out_next',
  'out_rec_valid', 'out_rec_data', 'pkt_len', 'pkt_len_raw', 'pkt_data', 'pkt_left', 'pkt_last',
  'burst_count', 'burst_data', 'burst_left', 'burst_last',
];

export interface OutputCtx {
  ref(id: NodeId, st: number, w?: number): string;
  valid(st: number): string;
  names: Names;
  /** The last stage: the output record is complete at its end. */
  E: number;
  latency: number;
  truncated: Set<string>;
  /** Tables are being swept after reset: the input waits. */
  sweeping: boolean;
}

/** The output stream's ports: per flow (TREADY or not) and per beat shape (one record, or packet beats). */
export function outputPorts(u: UnitIR): string[] {
  const ready = u.flow === 'strobe' ? [] : ['  input  wire m_axis_tready,'];
  if (u.packet) {
    const B = u.packet.beatBytes;
    return [
      `  // output stream: one ${u.output.name} per packet, up to ${u.packet.capacity} bytes as ${B}-byte beats (lane 0 first)`,
      '  output wire m_axis_tvalid,',
      ...ready,
      `  output wire [${8 * B - 1}:0] m_axis_tdata,`,
      `  output wire [${B - 1}:0] m_axis_tkeep,`,
      '  output wire m_axis_tlast,',
    ];
  }
  const what = u.flow === 'strobe' ? 'per valid strobe (no TREADY: the downstream takes every record)' : 'per beat';
  const n = u.moreOutputs.length + 1;
  const many = n > 1 ? ` (up to ${n} per input, in the order step returns them)` : '';
  return [`  // output stream: one ${u.output.name} record ${what}${many}`, '  output wire m_axis_tvalid,', ...ready, `  output ${n > 1 ? 'wire' : 'reg '} [${u.output.bytes * 8 - 1}:0] m_axis_tdata,`];
}

/** Depth of the output FIFO: every record in flight plus the round trip of a credit, a power of two. */
export function fifoDepth(latency: number): number {
  let d = 2;
  while (d < latency + 2) d *= 2;
  return d;
}

export function emitOutput(u: UnitIR, c: OutputCtx): { flow: string[]; lines: string[] } {
  const E = c.E;
  const notSweeping = c.sweeping ? ' & ~sweeping' : '';
  // The output record as it leaves stage E: payload bits (first field in the least significant bits).
  const fields = u.packet ? u.output.fields.slice(0, -1) : u.output.fields;
  const parts = [...fields].reverse().map((f) => c.ref(u.outFields.get(f.name)!, E, f.spec.width));
  const dataBits = fields.reduce((s, f) => s + f.spec.width, 0);
  const L: string[] = [];
  const flow: string[] = [];
  if (u.flow === 'strobe') {
    const outBits = u.output.bytes * 8;
    if (outBits > dataBits) parts.unshift(`${outBits - dataBits}'d0`);
    flow.push("  // ---- flow strobe: the output has no TREADY, so the input is ready whenever out of reset");
    flow.push(`  assign s_axis_tready = aresetn${notSweeping};`);
    L.push(`  // ---- output register (${u.output.name}), loaded by every record that has an output`);
    L.push(`  wire out_valid = ${c.valid(E)} & ${c.ref(u.outValid, E)};`);
    L.push('  reg out_valid_q;');
    L.push('  always @(posedge aclk) begin');
    L.push("    if (!aresetn) out_valid_q <= 1'b0;");
    L.push('    else out_valid_q <= out_valid;');
    L.push(`    if (out_valid) m_axis_tdata <= {${parts.join(', ')}};`);
    L.push('  end');
    L.push('  // AXI-Stream: TVALID low during reset.');
    L.push('  assign m_axis_tvalid = aresetn & out_valid_q;');
    return { flow, lines: L };
  }

  const D = fifoDepth(c.latency);
  const AW = Math.log2(D);
  const CW = AW + 1;
  const p = u.packet;
  const N = u.moreOutputs.length + 1;
  // A packet record also carries its clamped length: min(length, capacity) bytes.
  let recBits = dataBits;
  let lenBits = 0;
  let recData = `{${parts.join(', ')}}`;
  L.push(`  // ---- output FIFO (${D} records) and output register; credits keep the pipeline from overrunning the FIFO`);
  if (p) {
    const lenF = u.output.fields[u.output.fields.length - 1];
    lenBits = Math.max(Math.ceil(Math.log2(p.capacity + 1)), Math.ceil(Math.log2(p.beatBytes + 1)) + 1);
    const LW = Math.max(lenF.spec.width, lenBits);
    const lenRef = c.ref(u.outFields.get(lenF.name)!, E, LW);
    L.push(`  wire [${LW - 1}:0] pkt_len_raw = ${lenRef};`);
    if (LW > lenBits) c.truncated.add(`pkt_len_raw[${LW - 1}:${lenBits}]`);
    L.push(`  wire [${lenBits - 1}:0] pkt_len = (pkt_len_raw > ${lit(LW, BigInt(p.capacity))}) ? ${lit(lenBits, BigInt(p.capacity))} : pkt_len_raw[${lenBits - 1}:0];`);
    recBits = dataBits + lenBits;
    recData = `{pkt_len, ${parts.join(', ')}}`;
    L.push(`  wire out_rec_valid = ${c.valid(E)} & ${c.ref(u.outValid, E)} & (pkt_len != ${lit(lenBits, 0n)});  // an empty packet sends nothing`);
  } else if (N > 1) {
    // One FIFO entry per input: {count, record N-1, ..., record 0}; record k is valid only when record k-1 is.
    const cntBits = Math.ceil(Math.log2(N + 1));
    lenBits = cntBits;
    const slotData = (fs: Map<string, NodeId>) => `{${[...fields].reverse().map((f) => c.ref(fs.get(f.name)!, E, f.spec.width)).join(', ')}}`;
    const slots = [{ valid: u.outValid, fields: u.outFields }, ...u.moreOutputs];
    let count = lit(cntBits, 0n);
    slots.forEach((s, k) => (count = `${c.ref(s.valid, E)} ? ${lit(cntBits, BigInt(k + 1))} : ${k === 0 ? count : `(${count})`}`));
    L.push(`  wire [${cntBits - 1}:0] burst_count = ${count};  // records this input produced`);
    recBits = N * dataBits + cntBits;
    recData = `{burst_count, ${[...slots].reverse().map((s) => slotData(s.fields)).join(', ')}}`;
    L.push(`  wire out_rec_valid = ${c.valid(E)} & ${c.ref(u.outValid, E)};`);
  } else {
    L.push(`  wire out_rec_valid = ${c.valid(E)} & ${c.ref(u.outValid, E)};`);
  }
  L.push(`  wire [${recBits - 1}:0] out_rec_data = ${recData};`);
  L.push(`  (* ram_style = "distributed" *) reg [${recBits - 1}:0] out_fifo [0:${D - 1}];`);
  L.push(`  reg [${AW}:0] out_fifo_wr, out_fifo_rd;`);
  L.push('  wire out_fifo_empty = out_fifo_wr == out_fifo_rd;');
  L.push('  reg out_valid_q;');
  // `out_free`: the output register is empty or gives up its record (its last beat) this cycle.
  if (p) {
    const B = p.beatBytes;
    const capBits = 8 * p.capacity;
    L.push(`  reg [${capBits - 1}:0] pkt_data;  // bytes not sent yet, the next beat's in the low ${8 * B} bits`);
    L.push(`  reg [${lenBits - 1}:0] pkt_left;  // bytes not sent yet`);
    L.push(`  wire pkt_last = pkt_left <= ${lit(lenBits, BigInt(B))};`);
    L.push('  wire out_done = out_valid_q & m_axis_tready & pkt_last;');
  } else if (N > 1) {
    L.push(`  reg [${N * dataBits - 1}:0] burst_data;  // records not sent yet, the next in the low ${dataBits} bits`);
    L.push(`  reg [${lenBits - 1}:0] burst_left;  // records not sent yet`);
    L.push(`  wire burst_last = burst_left <= ${lit(lenBits, 1n)};`);
    L.push('  wire out_done = out_valid_q & m_axis_tready & burst_last;');
  } else {
    L.push('  wire out_done = out_valid_q & m_axis_tready;');
  }
  L.push('  wire out_free = ~out_valid_q | out_done;');
  L.push('  wire out_load_fifo = out_free & ~out_fifo_empty;');
  L.push('  wire out_load_pipe = out_free & out_fifo_empty & out_rec_valid;  // bypass: the FIFO is empty');
  L.push('  wire out_push = out_rec_valid & ~out_load_pipe;');
  L.push(`  wire [${recBits - 1}:0] out_next = out_load_fifo ? out_fifo[out_fifo_rd[${AW - 1}:0]] : out_rec_data;`);
  L.push('  always @(posedge aclk) begin');
  L.push("    if (!aresetn) begin out_valid_q <= 1'b0; out_fifo_wr <= " + lit(AW + 1, 0n) + '; out_fifo_rd <= ' + lit(AW + 1, 0n) + '; end');
  L.push('    else begin');
  L.push('      if (out_free) out_valid_q <= out_load_fifo | out_load_pipe;');
  L.push(`      if (out_load_fifo) out_fifo_rd <= out_fifo_rd + ${lit(AW + 1, 1n)};`);
  L.push(`      if (out_push) out_fifo_wr <= out_fifo_wr + ${lit(AW + 1, 1n)};`);
  L.push('    end', '  end');
  L.push('  always @(posedge aclk) begin');
  L.push(`    if (out_push) out_fifo[out_fifo_wr[${AW - 1}:0]] <= out_rec_data;`);
  if (p) {
    const B = p.beatBytes;
    const capBits = 8 * p.capacity;
    L.push(`    if (out_load_fifo | out_load_pipe) begin pkt_data <= out_next[${capBits - 1}:0]; pkt_left <= out_next[${recBits - 1}:${capBits}]; end`);
    L.push('    else if (out_valid_q & m_axis_tready) begin  // a beat before the last was taken');
    L.push(capBits > 8 * B ? `      pkt_data <= {${8 * B}'d0, pkt_data[${capBits - 1}:${8 * B}]};` : `      pkt_data <= ${lit(capBits, 0n)};`);
    L.push(`      pkt_left <= pkt_left - ${lit(lenBits, BigInt(B))};`);
    L.push('    end');
  } else if (N > 1) {
    const bits = N * dataBits;
    L.push(`    if (out_load_fifo | out_load_pipe) begin burst_data <= out_next[${bits - 1}:0]; burst_left <= out_next[${recBits - 1}:${bits}]; end`);
    L.push('    else if (out_valid_q & m_axis_tready) begin  // a record before the last was taken');
    L.push(`      burst_data <= {${dataBits}'d0, burst_data[${bits - 1}:${dataBits}]};`);
    L.push(`      burst_left <= burst_left - ${lit(lenBits, 1n)};`);
    L.push('    end');
  } else {
    const outBits = u.output.bytes * 8;
    L.push(`    if (out_load_fifo | out_load_pipe) m_axis_tdata <= ${outBits > recBits ? `{${outBits - recBits}'d0, out_next}` : 'out_next'};`);
  }
  L.push('  end');
  if (N > 1) {
    const outBits = u.output.bytes * 8;
    L.push(`  assign m_axis_tdata = ${outBits > dataBits ? `{${outBits - dataBits}'d0, burst_data[${dataBits - 1}:0]}` : `burst_data[${dataBits - 1}:0]`};`);
  }
  if (p) {
    const B = p.beatBytes;
    L.push(`  assign m_axis_tkeep = ~({${B}{1'b1}} << pkt_left);  // the first min(pkt_left, ${B}) lanes`);
    const lanes = Array.from({ length: B }, (_, b) => `{8{m_axis_tkeep[${B - 1 - b}]}}`);
    L.push(`  assign m_axis_tdata = pkt_data[${8 * B - 1}:0] & {${lanes.join(', ')}};`);
    L.push('  assign m_axis_tlast = pkt_last;');
  }
  L.push('  // AXI-Stream: TVALID low during reset.');
  L.push('  assign m_axis_tvalid = aresetn & out_valid_q;');

  flow.push(`  // ---- credits: FIFO places not promised to a record in flight (${D} at reset)`);
  flow.push(`  reg [${CW - 1}:0] out_credit;`);
  flow.push('  wire out_credit_take;  // a record was accepted');
  flow.push('  wire out_credit_drop;  // a record left the pipeline without an output');
  flow.push('  wire out_credit_ret;  // a record left the output register');
  flow.push('  always @(posedge aclk) begin');
  flow.push(`    if (!aresetn) out_credit <= ${lit(CW, BigInt(D))};`);
  flow.push(`    else out_credit <= out_credit - {${CW - 1}'d0, out_credit_take} + {${CW - 1}'d0, out_credit_drop} + {${CW - 1}'d0, out_credit_ret};`);
  flow.push('  end');
  flow.push('  // No handshake while in reset: a record offered then would be discarded unseen.');
  flow.push(`  assign s_axis_tready = aresetn${notSweeping} & (out_credit != ${lit(CW, 0n)});`);
  // A record taken while CONTROL.KILL or HOLD drops it (ctl_kill) never enters the pipeline, so it must not take a
  // place either: it would never give it back, and after as many dropped records as places s_axis_tready would stay
  // low for good (the input backing up into the network, and a disarmed card never flowing again once armed).
  L.push('  assign out_credit_take = s_axis_tvalid & s_axis_tready & ~ctl_kill;');
  L.push(`  assign out_credit_drop = ${c.valid(E)} & ~out_rec_valid;`);
  L.push('  assign out_credit_ret = out_done;');
  return { flow, lines: L };
}
