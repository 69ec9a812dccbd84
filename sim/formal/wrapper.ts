// The formal wrapper: assertions and assumptions spliced into the emitted Verilog of a unit (read by Yosys with
// `read_verilog -formal`; never part of the synthesized design). Properties are checked where the record is
// produced (out_rec_valid/out_rec_data, the output FIFO's input), so their proof does not depend on how long
// back-pressure keeps a record in the FIFO; the stream rules are checked on the ports.
// It relies on names rtl/emit.ts gives: p_<param>, out_rec_valid, out_rec_data, sweeping, <table>_mem, and the
// AXI port names; a renamed signal makes Yosys fail on the script, never prove something else.
import type { UnitIR, PropExpr } from '../../codegen/index.ts';

/** One property the prover checks: `id` selects its assertion (`ifdef TF_PROVE_<id>`). */
export interface FormalProperty {
  readonly id: string;
  /** 'dsl': declared in the unit; 'axis' / 'axil': generated stream-protocol rules. */
  readonly kind: 'dsl' | 'axis' | 'axil';
  readonly text: string;
  /** Which module it is proved on: the unit's top or its AXI-Lite register file. */
  readonly module: 'unit' | 'regs';
}

export interface Wrapped {
  readonly properties: FormalProperty[];
  /** The unit's Verilog with the formal block before its `endmodule`. */
  readonly unit: string;
  /** The register file's Verilog with its formal block, or undefined when the unit has no params. */
  readonly regs: string | undefined;
  /** Why a declared property cannot be proved on this design (listed as unknown), by id. */
  readonly unsupported: Map<string, string>;
}

const ports = (text: string): Set<string> => new Set([...text.matchAll(/^\s*(?:input|output)\s+(?:wire|reg)\s+(?:\[[^\]]+\]\s*)?(\w+)/gm)].map((m) => m[1]));

/** Splices the formal blocks into the unit's (possibly hand-edited) Verilog. */
export function wrapUnit(u: UnitIR, unitText: string, regsText: string | undefined): Wrapped {
  const props: FormalProperty[] = [];
  const unsupported = new Map<string, string>();
  const L: string[] = ['', '`ifdef FORMAL', '  // ---- formal wrapper (tickforge prove, sim/formal): assumptions, then one assertion per property'];
  L.push("  reg f_past_valid = 1'b0;", "  always @(posedge aclk) f_past_valid <= 1'b1;");
  L.push('  // The run starts in reset.', '  always @(*) if (!f_past_valid) assume(!aresetn);');
  if (u.params.length) {
    L.push('  // Params are any values, held for the whole run (the host does not change them while records are in flight).');
    for (const p of u.params) {
      L.push(`  reg ${p.spec.width > 1 ? `[${p.spec.width - 1}:0] ` : ''}f_q_${p.name};`, `  always @(posedge aclk) f_q_${p.name} <= p_${p.name};`);
      L.push(`  always @(*) if (f_past_valid) assume(p_${p.name} == f_q_${p.name});`);
    }
  }
  const assertions: Array<[string, string]> = [];
  const have = ports(unitText);
  const recOk = /\bwire\s+out_rec_valid\b/.test(unitText) && /\bwire\s+\[\d+:0\]\s+out_rec_data\b/.test(unitText);
  for (const p of u.properties ?? []) {
    const id = `prop_${p.name}`;
    props.push({ id, kind: 'dsl', text: p.text, module: 'unit' });
    if (u.packet) unsupported.set(id, 'properties of packet outputs are not translated yet');
    else if (u.moreOutputs.length) unsupported.set(id, 'properties of a unit with several outputs per input are not translated yet (only its first record is at out_rec_data)');
    else if (!recOk) unsupported.set(id, 'the Verilog has no out_rec_valid/out_rec_data (hand-edited?)');
    else assertions.push([id, `!out_rec_valid || (${verilog(p.expr, u, width(p.expr))})`]);
  }
  // AXI-Stream rules on the ports.
  props.push({ id: 'axis_in_reset', kind: 'axis', text: 's_axis_tready is low while aresetn is low', module: 'unit' });
  assertions.push(['axis_in_reset', 'aresetn || !s_axis_tready']);
  props.push({ id: 'axis_out_reset', kind: 'axis', text: 'm_axis_tvalid is low while aresetn is low', module: 'unit' });
  assertions.push(['axis_out_reset', 'aresetn || !m_axis_tvalid']);
  if (have.has('m_axis_tready')) {
    const held = ['m_axis_tdata', 'm_axis_tkeep', 'm_axis_tlast'].filter((s) => have.has(s));
    props.push({ id: 'axis_out_hold', kind: 'axis', text: `once m_axis_tvalid is high without m_axis_tready, it stays high and ${held.join(', ')} stay stable until the handshake`, module: 'unit' });
    L.push('  reg f_out_stall;');
    for (const s of held) L.push(`  reg [$bits(${s})-1:0] f_q_${s};`.replace(`[$bits(${s})-1:0] `, widthDecl(unitText, s)));
    L.push('  always @(posedge aclk) begin', '    f_out_stall <= aresetn && m_axis_tvalid && !m_axis_tready;');
    for (const s of held) L.push(`    f_q_${s} <= ${s};`);
    L.push('  end');
    assertions.push(['axis_out_hold', `!(f_past_valid && aresetn && f_out_stall) || (m_axis_tvalid${held.map((s) => ` && ${s} == f_q_${s}`).join('')})`]);
  }
  // CONTROL.KILL (regmap/, docs/regmap.md "Kill"): records accepted while it is set are dropped, so once it has
  // been set for the pipeline's latency, no record is produced. The register file is cut here, so the kill bit is
  // any input; its latching is proved on the register file (kill_latched).
  const latency = u.schedule?.latency;
  if (/\bwire\s+ctl_kill\b/.test(unitText) && recOk && latency) {
    props.push({ id: 'kill_blocks', kind: 'axis', text: `once CONTROL.KILL has been set for ${latency} cycles (the latency), no record is produced`, module: 'unit' });
    L.push('  reg [7:0] f_kill_run;  // cycles CONTROL.KILL has been set, up to 255');
    L.push("  always @(posedge aclk) f_kill_run <= (!aresetn || !ctl_kill) ? 8'd0 : (f_kill_run == 8'd255 ? 8'd255 : f_kill_run + 8'd1);");
    assertions.push(['kill_blocks', `!(ctl_kill && f_kill_run >= 8'd${latency - 1}) || !out_rec_valid`]);
  }
  L.push('  always @(*) begin');
  for (const [id, cond] of assertions) L.push(`\`ifdef TF_PROVE_${id}`, `    assert(${cond});`, '`endif');
  L.push('  end', '`endif', '');
  const unit = splice(unitText, u.name, L.join('\n'));

  let regs: string | undefined;
  if (regsText) {
    const R: string[] = ['', '`ifdef FORMAL', '  // ---- formal wrapper (tickforge prove): AXI4-Lite handshake rules of the register file'];
    R.push("  reg f_past_valid = 1'b0;", "  always @(posedge aclk) f_past_valid <= 1'b1;", '  always @(*) if (!f_past_valid) assume(!aresetn);');
    R.push('  reg f_b_stall, f_r_stall, f_in_reset;', '  reg [1:0] f_q_bresp, f_q_rresp;', '  reg [31:0] f_q_rdata;');
    R.push('  always @(posedge aclk) begin');
    R.push('    f_b_stall <= aresetn && s_axil_bvalid && !s_axil_bready;', '    f_r_stall <= aresetn && s_axil_rvalid && !s_axil_rready;', '    f_in_reset <= !aresetn;');
    R.push('    f_q_bresp <= s_axil_bresp;', '    f_q_rresp <= s_axil_rresp;', '    f_q_rdata <= s_axil_rdata;', '  end');
    const rules: Array<[string, string, string]> = [
      ['axil_ready_reset', 'no AWREADY, WREADY or ARREADY while aresetn is low', 'aresetn || !(s_axil_awready || s_axil_wready || s_axil_arready)'],
      ['axil_valid_after_reset', 'BVALID and RVALID are low in the cycle after reset', '!(f_past_valid && f_in_reset) || !(s_axil_bvalid || s_axil_rvalid)'],
      ['axil_b_hold', 'BVALID and BRESP hold until BREADY', '!(f_past_valid && aresetn && f_b_stall) || (s_axil_bvalid && s_axil_bresp == f_q_bresp)'],
      ['axil_r_hold', 'RVALID, RDATA and RRESP hold until RREADY', '!(f_past_valid && aresetn && f_r_stall) || (s_axil_rvalid && s_axil_rdata == f_q_rdata && s_axil_rresp == f_q_rresp)'],
      ['axil_aw_w_together', 'AWREADY and WREADY are given together (a write takes address and data in one handshake)', 's_axil_awready == s_axil_wready'],
    ];
    if (/\breg\s+kill_q\b/.test(regsText) && /\bwire\s+arm_clear\b/.test(regsText)) {
      // Reset is sampled at the clock edge: the kill must survive every edge at which aresetn was high, except one
      // that took a write of the arm key (docs/regmap.md "Kill, hold and arm").
      R.push('  reg f_q_kill, f_q_aresetn, f_q_arm;', '  always @(posedge aclk) begin f_q_kill <= kill_q; f_q_aresetn <= aresetn; f_q_arm <= arm_clear; end');
      rules.push(['kill_latched', 'CONTROL.KILL, once set, stays set until reset or a write of the arm key', '!(f_past_valid && f_q_aresetn && f_q_kill && !f_q_arm) || kill_q']);
    } else if (/\boutput\s+reg\s+ctl_kill\b/.test(regsText)) {
      // A register file from before the arm key: the kill is cleared only by reset.
      R.push('  reg f_q_ctl_kill, f_q_aresetn;', '  always @(posedge aclk) begin f_q_ctl_kill <= ctl_kill; f_q_aresetn <= aresetn; end');
      rules.push(['kill_latched', 'CONTROL.KILL, once set, stays set until reset', '!(f_past_valid && f_q_aresetn && f_q_ctl_kill) || ctl_kill']);
    }
    R.push('  always @(*) begin');
    for (const [id, text, cond] of rules) {
      props.push({ id, kind: 'axil', text, module: 'regs' });
      R.push(`\`ifdef TF_PROVE_${id}`, `    assert(${cond});`, '`endif');
    }
    R.push('  end', '`endif', '');
    regs = splice(regsText, `${u.name}_regs`, R.join('\n'));
  }
  return { properties: props, unit, regs, unsupported };
}

function splice(text: string, module: string, block: string): string {
  const start = text.search(new RegExp(`^module\\s+${module}\\b`, 'm'));
  if (start < 0) throw new Error(`formal: no module ${module} in the Verilog`);
  const end = text.indexOf('\nendmodule', start);
  if (end < 0) throw new Error(`formal: module ${module} has no endmodule`);
  return text.slice(0, end) + block + text.slice(end);
}

function widthDecl(text: string, port: string): string {
  const m = new RegExp(`^\\s*(?:input|output)\\s+(?:wire|reg)\\s+(\\[[^\\]]+\\])?\\s*${port}\\b`, 'm').exec(text);
  return m?.[1] ? `${m[1]} ` : '';
}

/** Bits of a two's-complement signed vector holding every value of the expression tree. */
function width(e: PropExpr): number {
  const own = signedBits(e.lo, e.hi);
  switch (e.k) {
    case 'out':
    case 'param':
    case 'const':
      return own;
    case 'not':
      return Math.max(own, width(e.a));
    case 'bin':
      return Math.max(own, width(e.a), width(e.b));
    case 'cond':
      return Math.max(own, width(e.c), width(e.a), width(e.b));
  }
}

function signedBits(lo: bigint, hi: bigint): number {
  const bits = (x: bigint) => (x < 0n ? (-x - 1n).toString(2).length : x.toString(2).length) + 1;
  return Math.max(2, bits(lo), bits(hi));
}

/**
 * The expression as Verilog: every integer value is a W-bit signed vector (W wide enough that no operation
 * wraps, so the result is the exact integer the model's JavaScript computes); every boolean is 1 bit.
 */
function verilog(e: PropExpr, u: UnitIR, W: number): string {
  const isBool = (x: PropExpr) => x.k === 'not' || (x.k === 'bin' && !'+-*'.includes(x.op)) || (x.lo >= 0n && x.hi <= 1n && (x.k === 'out' || x.k === 'param') && x.spec.kind === 'bool');
  const int = (x: PropExpr): string => {
    switch (x.k) {
      case 'const':
        return x.lo < 0n ? `-${W}'sd${-x.lo}` : `${W}'sd${x.lo}`;
      case 'out':
      case 'param': {
        const bits = leafBits(x, u);
        const w = x.spec.width;
        const signed = x.spec.kind === 'sint' || (x.spec.kind as string) === 'sfixed';
        const pad = W - w;
        return signed ? `$signed({{${pad}{${bits}[${w - 1}]}}, ${bits}})` : `$signed({${pad}'d0, ${bits}})`;
      }
      case 'bin':
        if ('+-*'.includes(x.op)) return `(${int(x.a)} ${x.op} ${int(x.b)})`;
        return `$signed({${W - 1}'d0, ${bool(x)}})`;
      case 'cond':
        return `(${bool(x.c)} ? ${int(x.a)} : ${int(x.b)})`;
      case 'not':
        return `$signed({${W - 1}'d0, ${bool(x)}})`;
    }
  };
  const bool = (x: PropExpr): string => {
    if (x.k === 'not') return `!${bool(x.a)}`;
    if (x.k === 'bin' && (x.op === '&&' || x.op === '||')) return `(${bool(x.a)} ${x.op} ${bool(x.b)})`;
    if (x.k === 'bin' && !'+-*'.includes(x.op)) {
      const a = isBool(x.a) && isBool(x.b) ? bool(x.a) : int(x.a);
      const b = isBool(x.a) && isBool(x.b) ? bool(x.b) : int(x.b);
      return `(${a} ${x.op} ${b})`;
    }
    if (x.k === 'cond') return `(${bool(x.c)} ? ${bool(x.a)} : ${bool(x.b)})`;
    if ((x.k === 'out' || x.k === 'param') && x.spec.width === 1) return leafBits(x, u);
    return `(${int(x)} != ${W}'sd0)`;
  };
  return bool(e);
}

function leafBits(x: Extract<PropExpr, { k: 'out' | 'param' }>, u: UnitIR): string {
  if (x.k === 'param') return `p_${x.name}`;
  const f = u.output.fields.find((g) => g.name === x.field)!;
  return f.spec.width === 1 ? `out_rec_data[${f.lsb}]` : `out_rec_data[${f.lsb + f.spec.width - 1}:${f.lsb}]`;
}
