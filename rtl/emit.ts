// IR -> Verilog-2005, following the one schedule compile() computed (codegen/timing). The steps: names; the input
// register; per stage, the combinational nodes (each a named wire with its DSL line) and the registers that carry
// values to later stages; tables (rtl/memory.ts) and state registers, each written in its state stage; the output
// (rtl/output.ts). The pipeline never stalls: a record advances one stage per cycle, and back-pressure is absorbed
// by an output FIFO whose free slots are counted as credits, so s_axis_tready is a register function and no
// combinational path runs from m_axis_tready to s_axis_tready. The AXI-Lite register file is a module of its own
// (regs.ts).
import { type NodeId, type UnitIR, NOW_WIDTH, wireOutput } from '../codegen/ir.ts';
import { type Schedule, scheduleUnit } from '../codegen/timing/schedule.ts';
import { Names } from './names.ts';
import { legalize } from '../codegen/names.ts';
import { emitRegs, axilAddrBits, statusRegs } from './regs.ts';
import { type ExprCtx, decl, exprOf, lit } from './expr.ts';
import { emitTable, type TableRtl } from './memory.ts';
import { emitHostMem, hostPortDecls, hostPorts } from './hostmem.ts';
import { OUTPUT_NAMES, emitOutput, outputPorts } from './output.ts';
import { INPUT_NAMES, emitArbiter, inputPorts } from './inputs.ts';

export interface RtlOutput {
  files: Map<string, string>;
  top: string;
  schedule: Schedule;
  inBytes: number;
  outBytes: number;
  addrBits: number;
  /** Cycles after reset during which the input is not ready (the tables' post-reset sweep). */
  sweepCycles: number;
}

export function emitVerilog(dslUnit: UnitIR, opts: { srcLocs?: boolean } = {}): RtlOutput {
  // Every identifier legal in Verilog, SystemVerilog and C++, shared with the HLS back end (codegen/names.ts).
  const u = legalize(dslUnit);
  // The schedule comes from compile(); an IR built by hand is scheduled here with the defaults, unenforced.
  const sched = u.schedule ?? scheduleUnit(u, { enforce: false });
  const top = u.name;
  const inBits = u.input.bytes * 8;
  const A = axilAddrBits(u);
  const nodes = u.nodes;
  const E = sched.lastStage;
  const names = new Names();
  names.reserve(top, `${top}_regs`, 'regs', 'aclk', 'aresetn', 'ctl_kill', 'cycle', 's0_now', 'unused_ok', 'sweeping', 'sweep_addr', 'in_hs', ...OUTPUT_NAMES, ...INPUT_NAMES, ...(u.inputs?.ports.map((p) => `arb_${p.name}`) ?? []));
  for (let k = 0; k <= E; k++) names.reserve(`s${k}_valid`);

  // ---- names: sources, state registers, nodes; a value used k stages later is carried in <name>_s<stage>
  const name = new Map<NodeId, string>();
  for (const f of u.input.fields) names.reserve(`in_${f.name}`);
  for (const p of u.params) names.reserve(`p_${p.name}`, `s0_p_${p.name}`);
  const regNames = new Map(u.regs.map((r) => [r.name, names.fresh(r.name)]));
  for (const n of nodes) {
    if (n.op === 'const') continue;
    if (n.op === 'input') name.set(n.id, `in_${n.field}`);
    else if (n.op === 'param') name.set(n.id, `s0_p_${n.name}`);
    else if (n.op === 'now') name.set(n.id, 's0_now');
    else if (n.op === 'reg') name.set(n.id, regNames.get(n.name)!);
    else name.set(n.id, names.fresh(n.label ?? `t${n.id}`));
  }
  const stageOf = (id: NodeId) => sched.stage.get(id)!;
  const carried = new Map<NodeId, number>(); // node -> last stage it is carried to
  const copyName = new Map<string, string>(); // `${id}@${stage}` -> register name
  const copyOf = (id: NodeId, st: number): string => {
    const key = `${id}@${st}`;
    let nm = copyName.get(key);
    if (!nm) copyName.set(key, (nm = names.fresh(`${name.get(id)}_s${st}`)));
    return nm;
  };
  const truncated = new Set<string>();
  const ref = (id: NodeId, st: number, w?: number): string => {
    const n = nodes[id];
    const tw = w ?? n.width;
    if (n.op === 'const') return lit(tw, n.value);
    const own = stageOf(id);
    if (st < own) throw new Error(`internal: node ${id} (stage ${own}) read in stage ${st}`);
    if (st > own) carried.set(id, Math.max(carried.get(id) ?? own, st));
    const base = st === own ? name.get(id)! : copyOf(id, st);
    if (tw === n.width) return base;
    if (tw < n.width) {
      truncated.add(n.width === 1 ? base : `${base}[${n.width - 1}:${tw}]`);
      return n.width === 1 ? base : `${base}[${tw - 1}:0]`;
    }
    const fill = n.signed ? (n.width === 1 ? `{${tw - n.width}{${base}}}` : `{${tw - n.width}{${base}[${n.width - 1}]}}`) : `{${tw - n.width}{1'b0}}`;
    return `{${fill}, ${base}}`;
  };
  const valid = (k: number) => `s${k}_valid`;
  const maxW = (...ids: NodeId[]) => Math.max(...ids.map((i) => nodes[i].width + (nodes[i].signed ? 0 : 1)));
  const loc = (id: NodeId) => (opts.srcLocs === false ? '' : `  // ${nodes[id].loc.file}:${nodes[id].loc.line}`);

  // ---- tables
  // Host-written memories (rtl/hostmem.ts) are built whether or not step reads them (the host can write and read
  // them back); they are not swept.
  const usedTables = u.tables.filter((t) => sched.memories.has(t.name) && !t.host);
  const hostMems = u.tables.filter((t) => t.host);
  for (const t of hostMems) names.reserve(...hostPorts(t.name));
  const sweepCycles = sched.sweepCycles;
  const sweepBits = Math.max(1, Math.ceil(Math.log2(Math.max(2, sweepCycles))));
  const tableRtl = new Map<string, TableRtl>();
  const memCtx = { u, names, truncated, ref, valid };
  for (const t of usedTables) tableRtl.set(t.name, emitTable(memCtx, t, sched.memories.get(t.name)!, 'sweeping', `sweep_addr[${Math.log2(t.capacity) - 1}:0]`));
  for (const t of hostMems) tableRtl.set(t.name, emitHostMem(memCtx, t, sched.memories.get(t.name)));

  // ---- combinational nodes per stage, in topological order
  const wires: string[] = [];
  const ctx: ExprCtx = { nodes, names, wires, truncated, ref, maxW, tread: (n) => tableRtl.get(n.table)!.read(n) };
  const comb: string[][] = Array.from({ length: E + 1 }, () => []);
  const multi: string[] = [];
  for (const n of nodes) {
    if (['const', 'input', 'param', 'reg', 'now'].includes(n.op)) continue;
    const nm = name.get(n.id)!;
    const cycles = sched.multi.get(n.id);
    if (cycles !== undefined) {
      // A pipelined operator (a DSP multiply): operands registered at its first stage, the product registered
      // `cycles` times (the DSP's M and P registers, then the cascade); synthesis retimes them into the DSPs.
      const s0 = stageOf(n.id) - cycles;
      const before = wires.length;
      const e = exprOf(ctx, n, s0, nm);
      const prod = names.fresh(`${nm}_prod`);
      comb[s0].push(...wires.splice(before), `  wire ${decl(n.width)}${prod} = ${e};${loc(n.id)}`);
      let prev = prod;
      for (let i = 1; i <= cycles; i++) {
        const r = i === cycles ? nm : names.fresh(`${nm}_p${i}`);
        multi.push(`  reg ${decl(n.width)}${r};`, `  always @(posedge aclk) if (${valid(s0 + i - 1)}) ${r} <= ${prev};`);
        prev = r;
      }
      continue;
    }
    const st = stageOf(n.id);
    const before = wires.length;
    const e = exprOf(ctx, n, st, nm);
    comb[st].push(...wires.splice(before), `  wire ${decl(n.width)}${nm} = ${e};${loc(n.id)}`);
  }

  // ---- state registers, written in their state stage by a valid record
  const stateLines: string[] = ['  always @(posedge aclk) begin', '    if (!aresetn) begin'];
  for (const r of u.regs) stateLines.push(`      ${regNames.get(r.name)} <= ${lit(r.spec.width, r.init)};`);
  stateLines.push('    end else begin');
  for (const r of u.regs) {
    const S = sched.stateStage.get(r.name);
    if (S === undefined) continue; // never read nor written: holds its reset value
    stateLines.push(`      if (${valid(S)}) ${regNames.get(r.name)} <= ${ref(u.regNext.get(r.name)!, S, r.spec.width)};`);
  }
  stateLines.push('    end', '  end');

  // ---- output
  const out = emitOutput(u, { ref, valid, names, E, latency: sched.latency, truncated, sweeping: usedTables.length > 0 });

  // ---- pipeline registers carrying values to later stages (collected while the logic above referenced them)
  // Each is loaded only when a record enters its stage: that saves power, and registers with different enables do
  // not form a shift-register chain (synthesis would pack one into SRLs, whose clock-to-out is 1.5 ns, not 0.3).
  const carry: string[] = [];
  const carryAssign = new Map<number, string[]>();
  for (const [id, last] of [...carried].sort((a, b) => a[0] - b[0])) {
    const own = stageOf(id);
    let prev = name.get(id)!;
    for (let st = own + 1; st <= last; st++) {
      const nm = copyOf(id, st);
      carry.push(`  reg ${decl(nodes[id].width)}${nm};`);
      if (!carryAssign.has(st)) carryAssign.set(st, []);
      carryAssign.get(st)!.push(`      ${nm} <= ${prev};`);
      prev = nm;
    }
  }

  // ---- module text
  const L: string[] = [];
  const portList = [
    '  input  wire aclk,',
    '  input  wire aresetn,',
    ...inputPorts(u),
    ...outputPorts(u),
    '  // AXI4-Lite register file (params)',
    `  input  wire [${A - 1}:0] s_axil_awaddr,`,
    '  input  wire s_axil_awvalid,',
    '  output wire s_axil_awready,',
    '  input  wire [31:0] s_axil_wdata,',
    '  input  wire [3:0] s_axil_wstrb,',
    '  input  wire s_axil_wvalid,',
    '  output wire s_axil_wready,',
    '  output wire [1:0] s_axil_bresp,',
    '  output wire s_axil_bvalid,',
    '  input  wire s_axil_bready,',
    `  input  wire [${A - 1}:0] s_axil_araddr,`,
    '  input  wire s_axil_arvalid,',
    '  output wire s_axil_arready,',
    '  output wire [31:0] s_axil_rdata,',
    '  output wire [1:0] s_axil_rresp,',
    '  output wire s_axil_rvalid,',
    '  input  wire s_axil_rready',
  ];
  const ns = (c: number) => ((c * 1000) / sched.clockMHz).toFixed(1);
  L.push(`// Generated by tickforge from ${u.file}; do not edit.`);
  L.push(
    `// Pipeline: ${E + 1} stage${E ? 's' : ''}, latency ${sched.latency} cycles = ${ns(sched.latency)} ns at ${sched.clockMHz} MHz (input handshake to output handshake), II = 1.`,
  );
  for (const s of sched.stages) {
    L.push(`//   stage ${s.stage}: estimated ${s.delayNs.toFixed(2)} ns of ${sched.periodNs.toFixed(3)}${s.state.length ? `; state: ${s.state.join(', ')}` : ''}`);
  }
  L.push('`default_nettype none', '', `module ${top} (`, ...portList, ');', '');
  if (u.regs.length) L.push('  // ---- module state');
  for (const r of u.regs) {
    const S = sched.stateStage.get(r.name);
    L.push(`  reg ${decl(r.spec.width)}${regNames.get(r.name)};${S !== undefined ? `  // stage ${S}` : ''}${r.status ? '; status: host-readable' : ''}`);
  }
  L.push('  // ---- params (AXI-Lite register file, regmap/); ctl_kill: CONTROL.KILL, latched until reset');
  L.push('  wire ctl_kill;');
  for (const p of u.params) L.push(`  wire ${decl(p.spec.width)}p_${p.name};`);
  for (const t of hostMems) L.push(`  // host-written memory ${t.name}: its host port (the register file's window; rtl/hostmem.ts)`, ...hostPortDecls(t));
  L.push(`  ${top}_regs regs (`);
  L.push('    .aclk(aclk), .aresetn(aresetn),');
  const axil = ['awaddr', 'awvalid', 'awready', 'wdata', 'wstrb', 'wvalid', 'wready', 'bresp', 'bvalid', 'bready', 'araddr', 'arvalid', 'arready', 'rdata', 'rresp', 'rvalid', 'rready'];
  const conns = axil
    .map((s) => `.s_axil_${s}(s_axil_${s})`)
    .concat(['.ctl_kill(ctl_kill)'])
    .concat(u.params.map((p) => `.p_${p.name}(p_${p.name})`))
    .concat(statusRegs(u).map((r) => `.st_${r.name}(${regNames.get(r.name)})`))
    .concat(hostMems.flatMap((t) => hostPorts(t.name).map((s) => `.${s}(${s})`)));
  L.push(conns.map((c, i) => `    ${c}${i < conns.length - 1 ? ',' : ''}`).join('\n'));
  L.push('  );', '');
  L.push('  // ---- cycle counter: `now` of the DSL is its value when a record is accepted');
  L.push(`  reg [${NOW_WIDTH - 1}:0] cycle;`);
  L.push(`  always @(posedge aclk) cycle <= aresetn ? cycle + ${NOW_WIDTH}'d1 : ${NOW_WIDTH}'d0;`, '');
  if (usedTables.length) {
    L.push(`  // ---- post-reset sweep: ${sweepCycles} cycles writing every table slot empty; the input waits for it`);
    L.push('  reg sweeping;');
    L.push(`  reg [${sweepBits - 1}:0] sweep_addr;`);
    L.push('  always @(posedge aclk) begin');
    L.push(`    if (!aresetn) begin sweeping <= 1'b1; sweep_addr <= ${lit(sweepBits, 0n)}; end`);
    L.push(`    else if (sweeping) begin sweep_addr <= sweep_addr + ${lit(sweepBits, 1n)}; if (sweep_addr == ${lit(sweepBits, BigInt(sweepCycles - 1))}) sweeping <= 1'b0; end`);
    L.push('  end', '');
  }
  const unused: string[] = [];
  L.push(...emitArbiter(u, unused));
  L.push(...out.flow, '');
  L.push(`  // ---- input register (${u.input.name}); params are sampled with the record`);
  L.push(`  wire in_hs = s_axis_tvalid & s_axis_tready;`);
  for (let k = 0; k <= E; k++) L.push(`  reg ${valid(k)};`);
  L.push(`  reg [${NOW_WIDTH - 1}:0] s0_now;`);
  for (const f of u.input.fields) L.push(`  reg ${decl(f.spec.width)}in_${f.name};`);
  const usedParams = u.params.filter((p) => nodes.some((n) => n.op === 'param' && n.name === p.name));
  for (const p of usedParams) L.push(`  reg ${decl(p.spec.width)}s0_p_${p.name};`);
  L.push('  always @(posedge aclk) begin');
  L.push('    if (in_hs) begin');
  L.push('      s0_now <= cycle;');
  for (const p of usedParams) L.push(`      s0_p_${p.name} <= p_${p.name};`);
  for (const f of u.input.fields) {
    const hi = f.lsb + f.spec.width - 1;
    L.push(`      in_${f.name} <= s_axis_tdata[${hi === f.lsb ? `${hi}` : `${hi}:${f.lsb}`}];`);
  }
  L.push('    end', '  end');
  L.push('  // A record moves one stage per cycle: the pipeline never stalls.');
  L.push('  always @(posedge aclk) begin');
  L.push(`    if (!aresetn) begin`);
  for (let k = 0; k <= E; k++) L.push(`      ${valid(k)} <= 1'b0;`);
  L.push('    end else begin');
  L.push(`      ${valid(0)} <= in_hs & ~ctl_kill; // killed: a record is still accepted, and dropped (no event)`);
  for (let k = 1; k <= E; k++) L.push(`      ${valid(k)} <= ${valid(k - 1)};`);
  L.push('    end', '  end', '');
  if (carry.length) {
    L.push('  // ---- pipeline registers: values carried to the later stages that read them');
    L.push(...carry);
    L.push('  always @(posedge aclk) begin');
    for (const [st, lines] of [...carryAssign].sort((a, b) => a[0] - b[0])) L.push(`    if (${valid(st - 1)}) begin`, ...lines, '    end');
    L.push('  end', '');
  }
  if (multi.length) L.push('  // ---- pipelined operators', ...multi, '');
  for (const t of [...usedTables, ...hostMems]) L.push(...tableRtl.get(t.name)!.lines(), '');
  for (let k = 0; k <= E; k++) {
    const s = sched.stages[k];
    if (!comb[k].length && !s.state.length) continue;
    L.push(`  // ---- stage ${k}${s.state.length ? ` (state: ${s.state.join(', ')})` : ''}: estimated ${s.delayNs.toFixed(2)} ns`);
    L.push(...comb[k], '');
  }
  L.push('  // ---- state updates', ...stateLines, '');
  L.push(...out.lines);

  // Inputs and bits the design does not read, in a sink so lint knows they are dropped on purpose.
  const inPad = inBits - u.input.width;
  if (inPad > 0) unused.push(`s_axis_tdata[${inBits - 1}:${u.input.width}]`);
  const usedIn = new Set(nodes.filter((n) => n.op === 'input').map((n) => (n as { field: string }).field));
  for (const f of u.input.fields) if (!usedIn.has(f.name)) unused.push(`in_${f.name}`);
  if (!nodes.some((n) => n.op === 'now')) unused.push('s0_now');
  for (const p of u.params) if (!nodes.some((n) => n.op === 'param' && n.name === p.name)) unused.push(`p_${p.name}`);
  // A register the design writes but never reads still holds state (e.g. for the host to inspect later).
  for (const r of u.regs) if (!r.status && !nodes.some((n) => n.op === 'reg' && n.name === r.name)) unused.push(regNames.get(r.name)!);
  unused.push(...[...truncated].sort());
  if (unused.length) {
    L.push('', '  // Inputs the design does not read (kept for the fixed record layout).');
    L.push(`  wire unused_ok = &{1'b0, ${unused.join(', ')}};`);
  }
  L.push('', 'endmodule', '`default_nettype wire', '');

  const files = new Map<string, string>();
  files.set(`${top}.v`, L.join('\n'));
  files.set(`${top}_regs.v`, emitRegs(u));
  return { files, top, schedule: sched, inBytes: u.input.bytes, outBytes: wireOutput(u).bytes, addrBits: A, sweepCycles };
}
