// IR -> Verilog-2005. The steps: schedule, assign names, emit the input stage, the pre-compute stage, the
// state stage (combinational nodes, state and table updates), the output register; the AXI-Lite register file
// is a module of its own (regs.ts). Widths are explicit everywhere so `verilator -Wall` has nothing to say.
import { type Node, type NodeId, type UnitIR, NOW_WIDTH, assertNever, wireOutput } from '../codegen/ir.ts';
import { type Schedule, schedule } from '../codegen/passes/schedule.ts';
import { Names } from './names.ts';
import { emitRegs, axilAddrBits, statusRegs } from './regs.ts';

export interface RtlOutput {
  files: Map<string, string>;
  top: string;
  schedule: Schedule;
  inBytes: number;
  outBytes: number;
  addrBits: number;
}

const lit = (w: number, v: bigint): string => {
  const u = BigInt.asUintN(w, v);
  return w <= 32 || u < 1n << 32n ? `${w}'d${u}` : `${w}'h${u.toString(16)}`;
};

export function emitVerilog(u: UnitIR, opts: { srcLocs?: boolean } = {}): RtlOutput {
  const sched = schedule(u);
  const top = u.name;
  const inBits = u.input.bytes * 8;
  const outBits = u.output.bytes * 8;
  const A = axilAddrBits(u);
  const names = new Names();
  names.reserve(top, `${top}_regs`, 'regs', 'aclk', 'aresetn', 'cycle', 'stall', 's0_valid', 's1_valid', 'fire', 's0_now', 'out_valid', 'out_valid_q', 'unused_ok');

  const nodes = u.nodes;
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
  const s1name = new Map<NodeId, string>();
  for (const id of sched.cut) s1name.set(id, names.fresh(`s1_${name.get(id)}`));

  // High bits dropped by a narrowing read; listed in the unused sink so lint knows they are dropped on purpose.
  const truncated = new Set<string>();
  const decl = (w: number) => (w === 1 ? '' : `[${w - 1}:0] `);
  /** Reference to node `id` as seen from stage `st`, extended to `w` bits by the node's signedness. */
  const ref = (id: NodeId, st: 1 | 2, w?: number): string => {
    const n = nodes[id];
    const tw = w ?? n.width;
    if (n.op === 'const') return lit(tw, n.value);
    const base = st === 2 && s1name.has(id) ? s1name.get(id)! : name.get(id)!;
    if (tw === n.width) return base;
    if (tw < n.width) {
      truncated.add(`${base}[${n.width - 1}:${tw}]`);
      return `${base}[${tw - 1}:0]`;
    }
    const fill = n.signed ? (n.width === 1 ? `{${tw - n.width}{${base}}}` : `{${tw - n.width}{${base}[${n.width - 1}]}}`) : `{${tw - n.width}{1'b0}}`;
    return `{${fill}, ${base}}`;
  };
  const maxW = (...ids: NodeId[]) => Math.max(...ids.map((i) => nodes[i].width + (nodes[i].signed ? 0 : 1)));

  const body: string[] = [];
  const wires: string[] = [];
  const loc = (n: Node) => (opts.srcLocs === false ? '' : `  // ${n.loc.file}:${n.loc.line}`);
  const tables = new Map(u.tables.map((t) => [t.name, t]));
  // A table nothing reads or writes (after DCE) is left out: it would be flops no logic uses.
  const usedTables = u.tables.filter((t) => u.tableWrites.has(t.name) || nodes.some((n) => n.op === 'tread' && n.table === t.name));
  const idxBits = (cap: number) => Math.log2(cap);
  /** Bits hi..lo of a key (unsigned: zero above its node's width), as an expression (no select of a concatenation). */
  const keyBits = (key: NodeId, hi: number, lo: number, st: 1 | 2): string => {
    const w = nodes[key].width;
    const n = hi - lo + 1;
    if (nodes[key].op === 'const') return lit(n, (nodes[key] as { value: bigint }).value >> BigInt(lo));
    if (lo >= w) return `${n}'d0`;
    const base = ref(key, st);
    const top = Math.min(hi, w - 1);
    const sel = lo === 0 && top === w - 1 ? base : top === lo ? `${base}[${lo}]` : `${base}[${top}:${lo}]`;
    if (top < w - 1) truncated.add(`${base}[${w - 1}:${top + 1}]`);
    if (lo > 0) truncated.add(`${base}[${lo - 1}:0]`);
    return top === hi ? sel : `{${hi - top}'d0, ${sel}}`;
  };
  /** The slot a key maps to: its low log2(capacity) bits (direct mapped). */
  const slotOf = (t: { capacity: number }, key: NodeId, st: 1 | 2): string => keyBits(key, idxBits(t.capacity) - 1, 0, st);

  /**
   * x (an expression of `w` bits) shifted by the variable amount node `amt` (<<, logical >>, or arithmetic >> for
   * 'sra'), as one 2:1 mux per bit of the amount: a barrel shifter, written out. The stage wires go to `wires`; the
   * last stage is returned. Not `x << amt`: Verilator 5.048 to 5.050 miscompiles chained variable shifts. Its DFG
   * peephole rewrites (x << a) << b as x << (a + b) with the sum computed at the amounts' width, where it wraps
   * (patterns REPLACE_SHIFTL_SHIFTL and REPLACE_SHIFTR_SHIFTR; verilator/verilator#7955, fixed after 5.050 by
   * #7977). Chains form after Verilator's own simplifications, e.g. a low-bit select pushed through a padded shift,
   * so they cannot be ruled out here, and users build with their own Verilator. Stages shift by constants, which
   * Verilator rewrites with 32-bit amounts that never wrap. Test: test/fuzz/regressions/verilator-shift-select.ts.
   */
  const shiftStages = (nm: string, kind: 'shl' | 'shr' | 'sra', x: string, w: number, amt: NodeId, st: 1 | 2): string => {
    const a = ref(amt, st);
    const aw = nodes[amt].width;
    const op = kind === 'shl' ? '<<' : kind === 'shr' ? '>>' : '>>>';
    wires.push(`  // ${nm} = ${x} ${op} ${a}, one stage per bit of ${a}`);
    // The stages select bits of their input: it must be a name (Verilog has no select of a concatenation).
    let prev = x;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(x)) {
      prev = names.fresh(`${nm}_sh0`);
      wires.push(`  wire ${decl(w)}${prev} = ${x};`);
    }
    for (let i = 0; i < aw; i++) {
      const s = 2 ** i;
      let shifted: string;
      if (s >= w) shifted = kind === 'sra' ? (w === 1 ? prev : `{${w}{${prev}[${w - 1}]}}`) : lit(w, 0n);
      else if (kind === 'shl') shifted = `{${prev}[${w - 1 - s}:0], ${s}'d0}`;
      else if (kind === 'shr') shifted = `{${s}'d0, ${prev}[${w - 1}:${s}]}`;
      else shifted = `{${s === 1 ? `${prev}[${w - 1}]` : `{${s}{${prev}[${w - 1}]}}`}, ${prev}[${w - 1}:${s}]}`;
      const e = `${aw === 1 ? a : `${a}[${i}]`} ? ${shifted} : ${prev}`;
      if (i === aw - 1) return e;
      const stage = names.fresh(`${nm}_sh${i + 1}`);
      wires.push(`  wire ${decl(w)}${stage} = ${e};`);
      prev = stage;
    }
    throw new Error(`internal: a variable shift amount of ${aw} bits`);
  };

  const exprOf = (n: Node, st: 1 | 2, nm: string): string => {
    const W = n.width;
    switch (n.op) {
      case 'bin': {
        switch (n.kind) {
          case 'add':
            return `${ref(n.a, st, W)} + ${ref(n.b, st, W)}`;
          case 'sub':
            return `${ref(n.a, st, W)} - ${ref(n.b, st, W)}`;
          case 'mul':
            return `${ref(n.a, st, W)} * ${ref(n.b, st, W)}`;
          case 'and':
          case 'or':
          case 'xor': {
            const X = Math.max(W, nodes[n.a].width, nodes[n.b].width);
            const op = n.kind === 'and' ? '&' : n.kind === 'or' ? '|' : '^';
            if (X === W) return `${ref(n.a, st, W)} ${op} ${ref(n.b, st, W)}`;
            wires.push(`  wire [${X - 1}:0] ${nm}_full = ${ref(n.a, st, X)} ${op} ${ref(n.b, st, X)};`);
            truncated.add(`${nm}_full[${X - 1}:${W}]`);
            return `${nm}_full[${W - 1}:0]`;
          }
          case 'shl': {
            const k = nodes[n.b].op === 'const' ? Number((nodes[n.b] as { value: bigint }).value) : -1;
            if (k === 0) return ref(n.a, st, W);
            if (k >= W) {
              // Shifted past the node's width: the exact value is 0 (its range says so).
              if (nodes[n.a].op !== 'const') truncated.add(ref(n.a, st));
              return lit(W, 0n);
            }
            if (k > 0) return `{${ref(n.a, st, W - k)}, ${k}'d0}`;
            return shiftStages(nm, 'shl', ref(n.a, st, W), W, n.b, st);
          }
          case 'shr': {
            const k = nodes[n.b].op === 'const' ? Number((nodes[n.b] as { value: bigint }).value) : -1;
            const A = nodes[n.a];
            if (k >= 0) {
              if (k === 0) return ref(n.a, st, W);
              wires.push(`  wire [${W + k - 1}:0] ${nm}_full = ${ref(n.a, st, W + k)};`);
              truncated.add(`${nm}_full[${k - 1}:0]`);
              return `${nm}_full[${W + k - 1}:${k}]`;
            }
            const X = Math.max(W, A.width);
            const e = shiftStages(nm, A.signed ? 'sra' : 'shr', ref(n.a, st, X), X, n.b, st);
            if (X === W) return e;
            wires.push(`  wire [${X - 1}:0] ${nm}_full = ${e};`);
            truncated.add(`${nm}_full[${X - 1}:${W}]`);
            return `${nm}_full[${W - 1}:0]`;
          }
          case 'div':
          case 'mod': {
            const X = maxW(n.a, n.b, n.id);
            wires.push(`  wire signed [${X - 1}:0] ${nm}_a = ${ref(n.a, st, X)};`);
            wires.push(`  wire signed [${X - 1}:0] ${nm}_b = ${ref(n.b, st, X)};`);
            // x / 0 = 0 and x % 0 = x (docs/semantics.md); Verilog would give x.
            const q = n.kind === 'div' ? `(${nm}_b == ${X}'sd0) ? ${X}'sd0 : ${nm}_a / ${nm}_b` : `(${nm}_b == ${X}'sd0) ? ${nm}_a : ${nm}_a % ${nm}_b`;
            wires.push(`  wire signed [${X - 1}:0] ${nm}_full = ${q};`);
            if (X > W) truncated.add(`${nm}_full[${X - 1}:${W}]`);
            return X === W ? `${nm}_full` : `${nm}_full[${W - 1}:0]`;
          }
          case 'min':
          case 'max': {
            const X = maxW(n.a, n.b);
            const U = Math.max(nodes[n.a].width, nodes[n.b].width);
            const both = !nodes[n.a].signed && !nodes[n.b].signed;
            const cmpOp = n.kind === 'min' ? '<' : '>';
            const c = both ? `${ref(n.a, st, U)} ${cmpOp} ${ref(n.b, st, U)}` : `$signed(${ref(n.a, st, X)}) ${cmpOp} $signed(${ref(n.b, st, X)})`;
            return `(${c}) ? ${ref(n.a, st, W)} : ${ref(n.b, st, W)}`;
          }
          default:
            return assertNever(n as never);
        }
      }
      case 'cmp': {
        const op = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' }[n.kind];
        if (!nodes[n.a].signed && !nodes[n.b].signed) {
          const U = Math.max(nodes[n.a].width, nodes[n.b].width); // both unsigned: a plain comparison
          return `${ref(n.a, st, U)} ${op} ${ref(n.b, st, U)}`;
        }
        const X = maxW(n.a, n.b);
        if (n.kind === 'eq' || n.kind === 'ne') return `${ref(n.a, st, X)} ${op} ${ref(n.b, st, X)}`;
        return `$signed(${ref(n.a, st, X)}) ${op} $signed(${ref(n.b, st, X)})`;
      }
      case 'un':
        if (n.kind === 'neg') return `-${ref(n.a, st, W)}`;
        if (n.kind === 'not') return `~${ref(n.a, st, W)}`;
        return `~${ref(n.a, st)}`;
      case 'and2':
        return `${ref(n.a, st)} & ${ref(n.b, st)}`;
      case 'or2':
        return `${ref(n.a, st)} | ${ref(n.b, st)}`;
      case 'mux':
        return `${ref(n.c, st)} ? ${ref(n.t, st, W)} : ${ref(n.f, st, W)}`;
      case 'slice': {
        const a = ref(n.a, st);
        const aw = nodes[n.a].width;
        if (aw === 1) return a; // a 1-bit wire is declared without a range: no bit-select of it
        if (n.msb < aw - 1) truncated.add(`${a}[${aw - 1}:${n.msb + 1}]`);
        if (n.lsb > 0) truncated.add(`${a}[${n.lsb - 1}:0]`);
        return n.msb === n.lsb ? `${a}[${n.msb}]` : `${a}[${n.msb}:${n.lsb}]`;
      }
      case 'wrap':
        return ref(n.a, st, W);
      case 'sat': {
        const X = Math.max(maxW(n.a), W + 1);
        const a = `$signed(${ref(n.a, st, X)})`;
        return `(${a} < $signed(${lit(X, n.lo)})) ? ${lit(W, n.lo)} : (${a} > $signed(${lit(X, n.hi)})) ? ${lit(W, n.hi)} : ${ref(n.a, st, W)}`;
      }
      case 'tread': {
        const t = tables.get(n.table)!;
        const ib = idxBits(t.capacity);
        const kw = t.key.width;
        const idx = slotOf(t, n.key, st);
        const tagMatch = kw > ib ? `${t.name}_tag[${idx}] == ${keyBits(n.key, kw - 1, ib, st)}` : `1'b1`;
        if (n.what === 'has') return `${t.name}_valid[${idx}] & (${tagMatch})`;
        if (n.what === 'free') return `~${t.name}_valid[${idx}] | (${tagMatch})`;
        return `(${t.name}_valid[${idx}] & (${tagMatch})) ? ${t.name}_value[${idx}] : ${lit(W, 0n)}`;
      }
      case 'const':
      case 'input':
      case 'param':
      case 'reg':
      case 'now':
        throw new Error(`internal: ${n.op} has no expression`);
      default:
        return assertNever(n);
    }
  };

  // Combinational nodes, in topological order, each as a named wire with its DSL source line.
  const comb: Record<1 | 2, string[]> = { 1: [], 2: [] };
  for (const n of nodes) {
    if (['const', 'input', 'param', 'reg', 'now'].includes(n.op)) continue;
    const st = sched.stage.get(n.id)!;
    const nm = name.get(n.id)!;
    const before = wires.length;
    const e = exprOf(n, st, nm);
    const extra = wires.splice(before);
    comb[st].push(...extra, `  wire ${decl(n.width)}${nm} = ${e};${loc(n)}`);
  }

  // ---- module text
  const L: string[] = [];
  const portList = [
    '  input  wire aclk,',
    '  input  wire aresetn,',
    '  // input stream: one ' + u.input.name + ' record per beat',
    '  input  wire s_axis_tvalid,',
    '  output wire s_axis_tready,',
    `  input  wire [${inBits - 1}:0] s_axis_tdata,`,
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
  L.push(`// Generated by tickforge from ${u.file}; do not edit. Pipeline latency ${sched.latency} cycles, II = 1.`);
  L.push('`default_nettype none', '', `module ${top} (`, ...portList, ');', '');
  if (u.regs.length) L.push('  // ---- module state');
  for (const r of u.regs) L.push(`  reg ${decl(r.spec.width)}${regNames.get(r.name)};${r.status ? '  // status: host-readable' : ''}`);
  L.push('  // ---- params (AXI-Lite register file)');
  for (const p of u.params) L.push(`  wire ${decl(p.spec.width)}p_${p.name};`);
  L.push(`  ${top}_regs regs (`);
  L.push('    .aclk(aclk), .aresetn(aresetn),');
  const axil = ['awaddr', 'awvalid', 'awready', 'wdata', 'wstrb', 'wvalid', 'wready', 'bresp', 'bvalid', 'bready', 'araddr', 'arvalid', 'arready', 'rdata', 'rresp', 'rvalid', 'rready'];
  const conns = axil
    .map((s) => `.s_axil_${s}(s_axil_${s})`)
    .concat(u.params.map((p) => `.p_${p.name}(p_${p.name})`))
    .concat(statusRegs(u).map((r) => `.st_${r.name}(${regNames.get(r.name)})`));
  L.push(conns.map((c, i) => `    ${c}${i < conns.length - 1 ? ',' : ''}`).join('\n'));
  L.push('  );', '');
  L.push('  // ---- cycle counter: `now` of the DSL is its value when a record is accepted');
  L.push(`  reg [${NOW_WIDTH - 1}:0] cycle;`);
  L.push(`  always @(posedge aclk) cycle <= aresetn ? cycle + ${NOW_WIDTH}'d1 : ${NOW_WIDTH}'d0;`, '');
  if (u.flow === 'strobe') {
    L.push('  // ---- no stall: the output has no TREADY (flow strobe), so the pipeline moves every cycle');
    L.push('  reg out_valid_q;');
    L.push("  wire stall = 1'b0;");
  } else if (u.packet) {
    L.push('  // ---- global stall: the whole pipeline holds until the last beat of the packet on the output is taken');
    L.push('  reg out_valid_q;');
    L.push('  wire pkt_last;');
    L.push('  wire stall = out_valid_q & ~(m_axis_tready & pkt_last);');
  } else {
    L.push('  // ---- global stall: the whole pipeline holds while the output is not taken');
    L.push('  reg out_valid_q;');
    L.push('  wire stall = out_valid_q & ~m_axis_tready;');
  }
  L.push('  // No handshake while in reset: a record offered then would be discarded unseen.');
  L.push('  assign s_axis_tready = aresetn & ~stall;');
  L.push('  // AXI-Stream: TVALID low during reset.');
  L.push('  assign m_axis_tvalid = aresetn & out_valid_q;', '');
  L.push(`  // ---- stage 0: input register (${u.input.name})`);
  L.push('  reg s0_valid;');
  L.push(`  reg [${NOW_WIDTH - 1}:0] s0_now;`);
  for (const f of u.input.fields) L.push(`  reg ${decl(f.spec.width)}in_${f.name};`);
  // Params are sampled with the record: a record sees the param values current when it is accepted.
  const usedParams = u.params.filter((p) => nodes.some((n) => n.op === 'param' && n.name === p.name));
  for (const p of usedParams) L.push(`  reg ${decl(p.spec.width)}s0_p_${p.name};`);
  const inPad = inBits - u.input.width;
  L.push('  always @(posedge aclk) begin');
  L.push("    if (!aresetn) s0_valid <= 1'b0;");
  L.push('    else if (!stall) s0_valid <= s_axis_tvalid;');
  L.push('    if (!stall && s_axis_tvalid) begin');
  L.push('      s0_now <= cycle;');
  for (const p of usedParams) L.push(`      s0_p_${p.name} <= p_${p.name};`);
  for (const f of u.input.fields) {
    const hi = f.lsb + f.spec.width - 1;
    L.push(`      in_${f.name} <= s_axis_tdata[${hi === f.lsb ? `${hi}` : `${hi}:${f.lsb}`}];`);
  }
  L.push('    end', '  end');
  const usedIn = new Set(nodes.filter((n) => n.op === 'input').map((n) => (n as { field: string }).field));
  const usesNow = nodes.some((n) => n.op === 'now');
  const unused: string[] = [];
  if (inPad > 0) unused.push(`s_axis_tdata[${inBits - 1}:${u.input.width}]`);
  for (const f of u.input.fields) if (!usedIn.has(f.name)) unused.push(`in_${f.name}`);
  if (!usesNow) unused.push('s0_now');
  for (const p of u.params) if (!nodes.some((n) => n.op === 'param' && n.name === p.name)) unused.push(`p_${p.name}`);
  // A register the design writes but never reads still holds state (e.g. for the host to inspect later).
  for (const r of u.regs) if (!r.status && !nodes.some((n) => n.op === 'reg' && n.name === r.name)) unused.push(regNames.get(r.name)!);
  L.push('');

  let last = 's0_valid';
  if (sched.hasPreStage) {
    L.push('  // ---- stage 1: pre-compute (depends only on the input and params)');
    L.push(...comb[1]);
    L.push('  reg s1_valid;');
    for (const id of sched.cut) L.push(`  reg ${decl(nodes[id].width)}${s1name.get(id)};`);
    L.push('  always @(posedge aclk) begin');
    L.push("    if (!aresetn) s1_valid <= 1'b0;");
    L.push('    else if (!stall) s1_valid <= s0_valid;');
    L.push('    if (!stall) begin');
    for (const id of sched.cut) L.push(`      ${s1name.get(id)} <= ${ref(id, 1)};`);
    L.push('    end', '  end', '');
    last = 's1_valid';
  }

  L.push('  // ---- stage 2: state, tables, decision');
  for (const t of usedTables) {
    const ib = idxBits(t.capacity);
    L.push(`  // table ${t.name}: ${t.capacity} slots, direct mapped on key[${ib - 1}:0]${t.key.width > ib ? `, tag key[${t.key.width - 1}:${ib}]` : ''}`);
    L.push(`  reg [${t.capacity - 1}:0] ${t.name}_valid;`);
    if (t.key.width > ib) L.push(`  reg [${t.key.width - ib - 1}:0] ${t.name}_tag [0:${t.capacity - 1}];`);
    L.push(`  reg ${decl(t.value.width)}${t.name}_value [0:${t.capacity - 1}];`);
  }
  L.push(...comb[2]);
  L.push(`  wire fire = ${last} & ~stall;`, '');

  // State registers.
  L.push('  always @(posedge aclk) begin');
  L.push('    if (!aresetn) begin');
  const regName = (r: string) => regNames.get(r)!;
  for (const r of u.regs) L.push(`      ${regName(r.name)} <= ${lit(r.spec.width, r.init)};`);
  for (const t of usedTables) L.push(`      ${t.name}_valid <= ${lit(t.capacity, 0n)};`);
  L.push('    end else if (fire) begin');
  for (const r of u.regs) L.push(`      ${regName(r.name)} <= ${ref(u.regNext.get(r.name)!, 2, r.spec.width)};`);
  for (const t of u.tables) {
    const w = u.tableWrites.get(t.name);
    if (!w) continue;
    L.push(`      if (${ref(w.en, 2)}) ${t.name}_valid[${slotOf(t, w.key, 2)}] <= ~${ref(w.del, 2)};`);
  }
  L.push('    end', '  end');
  // Table contents (no reset: a slot's contents matter only while its valid bit is set).
  for (const t of u.tables) {
    const w = u.tableWrites.get(t.name);
    if (!w) continue;
    const ib = idxBits(t.capacity);
    const kw = t.key.width;
    const idx = slotOf(t, w.key, 2);
    L.push('  always @(posedge aclk) begin');
    L.push(`    if (fire & ${ref(w.en, 2)}) begin`);
    if (kw > ib) L.push(`      ${t.name}_tag[${idx}] <= ${keyBits(w.key, kw - 1, ib, 2)};`);
    L.push(`      ${t.name}_value[${idx}] <= ${ref(w.value, 2, t.value.width)};`);
    L.push('    end', '  end');
  }
  L.push('');

  // Output register.
  if (u.packet) L.push(...packetStage(u, ref, `  wire out_valid = ${ref(u.outValid, 2)};`));
  else {
    const parts: string[] = [];
    for (const f of [...u.output.fields].reverse()) parts.push(ref(u.outFields.get(f.name)!, 2, f.spec.width));
    const outPad = outBits - u.output.width;
    if (outPad > 0) parts.unshift(`${outPad}'d0`);
    L.push(`  // ---- output register (${u.output.name}; first field in the least significant bits)`);
    L.push(`  wire out_valid = ${ref(u.outValid, 2)};`);
    L.push('  always @(posedge aclk) begin');
    L.push("    if (!aresetn) out_valid_q <= 1'b0;");
    L.push('    else if (!stall) out_valid_q <= fire & out_valid;');
    L.push('    if (fire) begin');
    L.push(`      m_axis_tdata <= {${parts.join(', ')}};`);
    L.push('    end', '  end');
  }
  unused.push(...[...truncated].sort());
  if (unused.length) {
    L.push('', '  // Inputs the design does not read (kept for the fixed record layout).');
    L.push(`  wire unused_ok = &{1'b0, ${unused.join(', ')}};`);
  }
  L.push('', 'endmodule', '`default_nettype wire', '');

  const files = new Map<string, string>();
  files.set(`${top}.v`, L.join('\n'));
  files.set(`${top}_regs.v`, emitRegs(u));
  return { files, top, schedule: sched, inBytes: u.input.bytes, outBytes: wireOutput(u).bytes, addrBits: A };
}

/** The output stream's ports: per flow (TREADY or not) and per beat shape (one record, or packet beats). */
function outputPorts(u: UnitIR): string[] {
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
  return [`  // output stream: one ${u.output.name} record ${what}`, '  output wire m_axis_tvalid,', ...ready, `  output reg  [${u.output.bytes * 8 - 1}:0] m_axis_tdata,`];
}

/**
 * The packet output stage (docs/semantics.md §10): the payload fields are loaded into a shift register with
 * n = min(length, capacity); each accepted beat shifts out `beatBytes` bytes; lanes at and past n read as zero.
 */
function packetStage(u: UnitIR, ref: (id: NodeId, st: 1 | 2, w?: number) => string, outValid: string): string[] {
  const p = u.packet!;
  const B = p.beatBytes;
  const capBits = 8 * p.capacity;
  const lenF = u.output.fields[u.output.fields.length - 1];
  const LW = lenF.spec.width;
  const PW = Math.max(LW, Math.ceil(Math.log2(B + 1)) + 1, Math.ceil(Math.log2(p.capacity + 1)));
  const lenRef = ref(u.outFields.get(lenF.name)!, 2, PW);
  const parts: string[] = [];
  for (const f of [...u.output.fields].reverse()) if (f !== lenF) parts.push(ref(u.outFields.get(f.name)!, 2, f.spec.width));
  const L: string[] = [];
  L.push(`  // ---- output: ${u.output.name} as a packet (length ${lenF.name}, at most ${p.capacity} bytes) of ${B}-byte beats`);
  L.push(outValid);
  L.push(`  reg [${capBits - 1}:0] pkt_data;  // bytes not sent yet, the next beat's in the low ${8 * B} bits`);
  L.push(`  reg [${PW - 1}:0] pkt_left;  // bytes not sent yet`);
  L.push(`  wire [${PW - 1}:0] pkt_len = (${lenRef} > ${lit(PW, BigInt(p.capacity))}) ? ${lit(PW, BigInt(p.capacity))} : ${lenRef};`);
  L.push(`  assign pkt_last = pkt_left <= ${lit(PW, BigInt(B))};`);
  L.push(`  assign m_axis_tkeep = ~({${B}{1'b1}} << pkt_left);  // the first min(pkt_left, ${B}) lanes`);
  const lanes = Array.from({ length: B }, (_, b) => `{8{m_axis_tkeep[${B - 1 - b}]}}`);
  L.push(`  assign m_axis_tdata = pkt_data[${8 * B - 1}:0] & {${lanes.join(', ')}};`);
  L.push('  assign m_axis_tlast = pkt_last;');
  L.push('  always @(posedge aclk) begin');
  L.push("    if (!aresetn) out_valid_q <= 1'b0;");
  L.push(`    else if (!stall) out_valid_q <= fire & out_valid & (pkt_len != ${lit(PW, 0n)});`);
  L.push('    if (fire) begin');
  L.push(`      pkt_data <= {${parts.join(', ')}};`);
  L.push('      pkt_left <= pkt_len;');
  L.push('    end else if (stall & m_axis_tready) begin  // a beat before the last was taken');
  L.push(capBits > 8 * B ? `      pkt_data <= {${8 * B}'d0, pkt_data[${capBits - 1}:${8 * B}]};` : `      pkt_data <= ${lit(capBits, 0n)};`);
  L.push(`      pkt_left <= pkt_left - ${lit(PW, BigInt(B))};`);
  L.push('    end', '  end');
  return L;
}
