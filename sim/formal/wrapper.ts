// The formal wrapper: assertions and assumptions spliced into the emitted Verilog of a unit (read by Yosys with
// `read_verilog -formal`; never part of the synthesized design). Properties are checked where the record is
// produced (out_rec_valid/out_rec_data, the output FIFO's input), so their proof does not depend on how long
// back-pressure keeps a record in the FIFO; the stream rules are checked on the ports.
// It relies on names rtl/emit.ts gives: p_<param>, out_rec_valid, out_rec_data, sweeping, <table>_mem[AB], and the
// AXI port names; a renamed signal makes Yosys fail on the script, never prove something else. The FIFO rules
// (fifo_no_overflow, the port_ steps of system theorems) read rtl/output.ts's output FIFO and credit loop
// (out_fifo, out_fifo_wr/rd, out_valid_q, out_credit*); another shape makes them unknown with a reason.
import type { UnitIR, PropExpr, PropertyIR } from '../../codegen/index.ts';
import type { RecordSpec } from '../../dsl/record.ts';

/** One property the prover checks: `id` selects its assertion (`ifdef TF_PROVE_<id>`). */
export interface FormalProperty {
  readonly id: string;
  /** 'dsl': declared in the unit; 'axis' / 'axil': generated stream-protocol rules; 'fifo': the output FIFO's credit
   * loop; 'chain': a step of a system theorem. */
  readonly kind: 'dsl' | 'axis' | 'axil' | 'fifo' | 'chain';
  readonly text: string;
  /** Which module it is proved on: the unit's top or its AXI-Lite register file. */
  readonly module: 'unit' | 'regs';
  /** Wires of the unit's module cut (made free inputs) before solving: an assumption constrains them instead. */
  readonly cuts?: readonly string[];
}

/**
 * A step of a system theorem (sim/formal/system.ts) proved on one unit:
 *  - 'port': the unit's declared property `property`, proved at out_rec as prop_<name>, holds for every record
 *    on the unit's m_axis port: assumed at out_rec (cut there), asserted on the port register and on every
 *    occupied output-FIFO entry (the entries make the statement inductive: a record can wait in the FIFO for any
 *    number of cycles);
 *  - 'silent': given input records that satisfy `given` (a predicate over the input record) or no input at all
 *    ('idle'), the unit produces no record, its output FIFO stays empty and its m_axis_tvalid stays low.
 */
export type ChainStep =
  | { readonly kind: 'port'; readonly id: string; readonly property: PropertyIR }
  | { readonly kind: 'silent'; readonly id: string; readonly given: { readonly rec: RecordSpec; readonly expr: PropExpr; readonly text: string } | 'idle' };

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
export function wrapUnit(u: UnitIR, unitText: string, regsText: string | undefined, chain: readonly ChainStep[] = []): Wrapped {
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
    else {
      const g = ghosts(p.expr, u, unitText, `f_g_${p.name}`);
      L.push(...g.decls);
      const held = g.fields.map(([f, reg]) => `${reg} == ${leafBits({ k: 'out', field: f } as OutLeaf, u.output, 'out_rec_data')} && `).join('');
      assertions.push([id, `!out_rec_valid || (${held}${verilog(p.expr, u.output, 'out_rec_data', width(p.expr), g.terms)})`]);
    }
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
  const fifo = outputFifo(unitText);
  const credits = creditLoop(unitText);
  // The credit loop (rtl/output.ts): every place of the output FIFO and its port register is a credit, a record in
  // flight that took one, an entry, or the port register, so a record is never written into a full FIFO whatever
  // the back-pressure. Stated with the count that makes it inductive.
  const creditsHeld = credits ? `!f_past_valid || (${['{8\'d0, out_credit}', ...credits.stages.map((i) => `s${i}_valid`), 'f_fifo_count', 'out_valid_q'].join(' + ')} == 8'd${credits.capacity})` : '';
  if (fifo) L.push(`  wire [${fifo.ptr - 1}:0] f_fifo_count = out_fifo_wr - out_fifo_rd;  // entries in the output FIFO`);
  if (fifo && credits && recOk) {
    props.push({ id: 'fifo_no_overflow', kind: 'fifo', text: `the output FIFO (${fifo.depth} records) is never written when full, and credits + records in flight + entries + port register = ${credits.capacity}`, module: 'unit' });
    assertions.push(['fifo_no_overflow', `(${creditsHeld}) && !(out_push && f_fifo_count == ${fifo.ptr}'d${fifo.depth})`]);
  }
  for (const c of chain) {
    if (c.kind === 'port') {
      const text = `every record on m_axis satisfies ${c.property.name} (${c.property.text})`;
      props.push({ id: c.id, kind: 'chain', text, module: 'unit', cuts: ['out_rec_data'] });
      if (!fifo || !credits || u.packet || !/\bm_axis_tdata <= (?:\{\d+'d0, out_next\}|out_next);/.test(unitText)) unsupported.set(c.id, 'the unit has no record output FIFO of the expected shape (out_fifo, out_valid_q, out_credit, m_axis_tdata <= out_next)');
      else if (!recOk) unsupported.set(c.id, 'the Verilog has no out_rec_valid/out_rec_data (hand-edited?)');
      else {
        // prop_<name> (proved separately) is assumed where records are produced; its proof covers that point.
        const P = (vec: string) => verilog(c.property.expr, u.output, vec, width(c.property.expr));
        // With the credit loop (fifo_no_overflow) in the statement: without it the solver may push into a full FIFO
        // from an unreachable state and overwrite an entry.
        const conds = [creditsHeld, `!out_valid_q || ${P('m_axis_tdata')}`]; // the record is in m_axis_tdata's low bits
        for (let j = 0; j < fifo.depth; j++) conds.push(`!(((${fifo.ptr}'d${j} - out_fifo_rd) & ${fifo.ptr}'d${fifo.depth - 1}) < f_fifo_count) || ${P(`out_fifo[${j}]`)}`);
        L.push(`\`ifdef TF_PROVE_${c.id}`, `  always @(*) assume(!out_rec_valid || ${P('out_rec_data')});`, '`endif');
        assertions.push([c.id, conds.map((x) => `(${x})`).join(' &&\n      ')]);
      }
    } else {
      const given = c.given === 'idle' ? 'no input record' : `input records satisfying ${c.given.text}`;
      props.push({ id: c.id, kind: 'chain', text: `given ${given}, no record is produced, the output FIFO stays empty and m_axis_tvalid stays low`, module: 'unit' });
      if (!fifo || !recOk || !have.has('s_axis_tvalid')) unsupported.set(c.id, 'the unit has no single input stream and record output FIFO of the expected shape');
      else {
        const assume = c.given === 'idle' ? '!s_axis_tvalid' : `!s_axis_tvalid || ${verilog(c.given.expr, c.given.rec, 's_axis_tdata', width(c.given.expr))}`;
        L.push(`\`ifdef TF_PROVE_${c.id}`, `  always @(*) assume(${assume});`, '`endif');
        assertions.push([c.id, '!out_rec_valid && out_fifo_wr == out_fifo_rd && !out_valid_q && !m_axis_tvalid']);
      }
    }
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

/** The output FIFO rtl/output.ts emits: its depth and pointer width, or undefined when the text has another shape. */
function outputFifo(text: string): { depth: number; ptr: number } | undefined {
  const mem = /\breg\s+\[\d+:0\]\s+out_fifo\s+\[0:(\d+)\];/.exec(text);
  const ptr = /\breg\s+\[(\d+):0\]\s+out_fifo_wr,\s*out_fifo_rd;/.exec(text);
  if (!mem || !ptr || !/\breg\s+out_valid_q;/.test(text)) return undefined;
  const depth = Number(mem[1]) + 1;
  const bits = Number(ptr[1]) + 1;
  return 2 ** (bits - 1) === depth ? { depth, ptr: bits } : undefined;
}

/**
 * The output FIFO's credit loop (rtl/output.ts): the counter's capacity and the stage-valid registers of the records
 * holding a credit (s0 to the stage that produces or drops the record).
 */
function creditLoop(text: string): { capacity: number; stages: number[] } | undefined {
  const cap = /if \(!aresetn\) out_credit <= \d+'d(\d+);\s*\n\s*else out_credit <= out_credit - \{\d+'d0, out_credit_take\} \+ \{\d+'d0, out_credit_drop\} \+ \{\d+'d0, out_credit_ret\};/.exec(text);
  const drop = /assign out_credit_drop = s(\d+)_valid & ~out_rec_valid;/.exec(text);
  const take = /assign out_credit_take = s_axis_tvalid & s_axis_tready & ~ctl_kill;/.test(text) && /s0_valid <= in_hs & ~ctl_kill;/.test(text);
  const ret = /assign out_credit_ret = out_done;/.test(text);
  if (!cap || !drop || !take || !ret) return undefined;
  const last = Number(drop[1]);
  const stages = Array.from({ length: last + 1 }, (_, i) => i);
  if (!stages.every((i) => new RegExp(`\\bs${i + 1}_valid <= s${i}_valid;`).test(text) || i === last)) return undefined;
  return { capacity: Number(cap[1]), stages };
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

type OutLeaf = Extract<PropExpr, { k: 'out' }>;

/**
 * Ghost products. A property's product of output fields (`out.qty * out.price`) is the product the design computed
 * when the record entered, recomputed at the output. Proving the two equal makes the solver show two multipliers
 * agree (it gives up on 32x32: prop_maxNotional stayed unknown). So when each operand is an output field that the
 * step copies from an input field (or a param, or a constant), the wrapper computes the product at stage 0 from the
 * stage-0 input registers, written as the design writes it (Yosys merges the two multipliers into one), and carries
 * it, with the fields it read, down a delay line that moves exactly as the pipeline's stage-valid chain. The
 * assertion then reads the carried product and also asserts that each carried field equals the output field.
 * Sound by construction: every stage of the delay line is loaded as a whole from the one before, so carried
 * product = carried operands' product holds in every reachable state, and with the asserted equalities it is
 * the product of the output fields. Not applicable (the plain product is asserted) when the pipeline is not the
 * s0..sN valid chain ending at out_rec_valid, or an operand is computed.
 */
function ghosts(e: PropExpr, u: UnitIR, text: string, prefix: string): { decls: string[]; terms: Map<PropExpr, { name: string; width: number }>; fields: Array<[string, string]> } {
  const none = { decls: [], terms: new Map(), fields: [] };
  const last = /\bwire\s+out_rec_valid\s*=\s*s(\d+)_valid\b/.exec(text);
  if (!last) return none;
  const S = Number(last[1]);
  for (let i = 0; i < S; i++) if (!new RegExp(`\\breg\\s+s${i}_valid\\b`).test(text)) return none;
  // An output field the step copies unchanged from an input field: its stage-0 register is in_<field>.
  const source = (x: PropExpr): { bits: string; width: number; field?: string } | undefined => {
    if (x.k === 'param' && x.spec.kind === 'uint') return { bits: `p_${x.name}`, width: x.spec.width };
    if (x.k !== 'out' || x.spec.kind !== 'uint') return undefined;
    const n = u.nodes[u.outFields.get(x.field) ?? -1];
    if (n?.op !== 'input') return undefined;
    const f = u.input.fields.find((g) => g.name === n.field);
    if (!f || f.spec.width !== x.spec.width || !new RegExp(`\\breg\\s+(?:\\[\\d+:0\\]\\s+)?in_${n.field}\\s*;`).test(text)) return undefined;
    return { bits: `in_${n.field}`, width: x.spec.width, field: x.field };
  };
  const decls: string[] = [];
  const terms = new Map<PropExpr, { name: string; width: number }>();
  const fields = new Map<string, { bits: string; width: number }>();
  const line = (name: string, width: number, src: string) => {
    const w = width > 1 ? `[${width - 1}:0] ` : '';
    decls.push(`  wire ${w}${name}_s0 = ${src};`);
    for (let i = 1; i <= S; i++) decls.push(`  reg ${w}${name}_s${i};`, `  always @(posedge aclk) if (s${i - 1}_valid) ${name}_s${i} <= ${name}_s${i - 1};`);
  };
  const walk = (x: PropExpr): void => {
    if (x.k === 'bin' && x.op === '*') {
      const a = source(x.a);
      const b = source(x.b);
      if (a && b) {
        const name = `${prefix}_t${terms.size}`;
        const w = a.width + b.width;
        if (terms.size === 0) decls.push(`  // ghost products of ${prefix.slice(4)} (sim/formal/wrapper.ts ghosts): computed at stage 0 as the design does, carried to stage ${S}`);
        line(name, w, `{{${b.width}{1'b0}}, ${a.bits}} * {{${a.width}{1'b0}}, ${b.bits}}`);
        terms.set(x, { name: `${name}_s${S}`, width: w });
        for (const s of [a, b]) if (s.field) fields.set(s.field, s);
        return;
      }
    }
    if (x.k === 'not') walk(x.a);
    else if (x.k === 'bin') [x.a, x.b].forEach(walk);
    else if (x.k === 'cond') [x.c, x.a, x.b].forEach(walk);
  };
  walk(e);
  const held: Array<[string, string]> = [];
  for (const [f, s] of fields) {
    line(`${prefix}_${f}`, s.width, s.bits);
    held.push([f, `${prefix}_${f}_s${S}`]);
  }
  return { decls, terms, fields: held };
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
function verilog(e: PropExpr, rec: RecordSpec, vec: string, W: number, ghost: ReadonlyMap<PropExpr, { name: string; width: number }> = new Map()): string {
  const isBool = (x: PropExpr) => x.k === 'not' || (x.k === 'bin' && !'+-*'.includes(x.op)) || (x.lo >= 0n && x.hi <= 1n && (x.k === 'out' || x.k === 'param') && x.spec.kind === 'bool');
  const int = (x: PropExpr): string => {
    switch (x.k) {
      case 'const':
        return x.lo < 0n ? `-${W}'sd${-x.lo}` : `${W}'sd${x.lo}`;
      case 'out':
      case 'param': {
        const bits = leafBits(x, rec, vec);
        const w = x.spec.width;
        const signed = x.spec.kind === 'sint' || (x.spec.kind as string) === 'sfixed';
        const pad = W - w;
        return signed ? `$signed({{${pad}{${bits}[${w - 1}]}}, ${bits}})` : `$signed({${pad}'d0, ${bits}})`;
      }
      case 'bin': {
        const g = ghost.get(x);
        if (g) return `$signed({${W - g.width}'d0, ${g.name}})`;
        if ('+-*'.includes(x.op)) return `(${int(x.a)} ${x.op} ${int(x.b)})`;
        return `$signed({${W - 1}'d0, ${bool(x)}})`;
      }
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
    if ((x.k === 'out' || x.k === 'param') && x.spec.width === 1) return leafBits(x, rec, vec);
    return `(${int(x)} != ${W}'sd0)`;
  };
  return bool(e);
}

/** A leaf's bits: a param's register, or an output field's bits within `vec`, a vector holding the record `rec`. */
function leafBits(x: Extract<PropExpr, { k: 'out' | 'param' }>, rec: RecordSpec, vec: string): string {
  if (x.k === 'param') return `p_${x.name}`;
  const f = rec.fields.find((g) => g.name === x.field)!;
  return f.spec.width === 1 ? `${vec}[${f.lsb}]` : `${vec}[${f.lsb + f.spec.width - 1}:${f.lsb}]`;
}
