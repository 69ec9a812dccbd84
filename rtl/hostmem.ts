// Host-written memories (dsl/parammem.ts, docs/regmap.md "Host-written memories") in the unit's module: one block
// RAM of two banks (bank b at entries b*N .. b*N+N-1). Port A is the host's: it writes the shadow bank (the one
// the unit does not read) at ADDR and reads it back, registered (the register file reads hm_<m>_rdata). Port B is
// the pipeline's: a record samples the live bank bit when it is accepted, as it samples params, and carries it to
// the stage that presents the index, so a COMMIT that switches the banks is seen by records accepted after its edge
// and by none before, even though the read happens stages later. The read is the table read's (rtl/memory.ts): the
// address in stage S-2, the memory's read register, a fabric register, the value in stage S. There is no write from
// the pipeline, so nothing is forwarded, and no sweep: both banks start with the declared contents (an initial
// block: the FPGA's configuration loads block RAM), and reset does not change them.
import type { Node, NodeId, TableIR } from '../codegen/ir.ts';
import type { MemoryPlan } from '../codegen/timing/schedule.ts';
import { decl, lit } from './expr.ts';
import type { MemoryCtx, TableRtl } from './memory.ts';

/** The host port signals of memory `name` between the register file and the unit (regmap/rtl.ts). */
export const hostPorts = (name: string) => ['we', 'addr', 'wdata', 'bank', 'rdata'].map((s) => `hm_${name}_${s}`);

/** Their declarations in the unit's module (before the register file's instance connects them). */
export function hostPortDecls(t: TableIR): string[] {
  const h = (s: string) => `hm_${t.name}_${s}`;
  const W = t.value.width;
  return [`  wire ${h('we')};`, `  wire ${decl(Math.log2(t.capacity))}${h('addr')};`, `  wire ${decl(W)}${h('wdata')};`, `  wire ${h('bank')};`, `  reg ${decl(W)}${h('rdata')};`];
}

export function emitHostMem(c: MemoryCtx, t: TableIR, m: MemoryPlan | undefined): TableRtl {
  const N = t.capacity;
  const ib = Math.log2(N);
  const W = t.value.width;
  const h = (s: string) => `hm_${t.name}_${s}`;
  const mem = c.names.fresh(`${t.name}_mem`);
  const L: string[] = [];
  L.push(`  // ---- host-written memory ${t.name}: ${N} x ${W} bits in two banks (block RAM); the host writes the bank the unit does not read`);
  L.push(`  (* ram_style = "block" *) reg ${decl(W)}${mem} [0:${2 * N - 1}];`);
  // Initial contents in both banks: a loop for the common value, a line for each other entry. A common value of 0 is
  // what block RAM holds after configuration anyway, so synthesis skips its loop: Yosys unrolls such a loop into a
  // memory-init cell per entry (a 65,536-entry map took it over an hour), while simulators, which may start a memory
  // at X, still run it.
  const init = t.host!.init.map((v) => BigInt.asUintN(W, v));
  const counts = new Map<bigint, number>();
  for (const v of init) counts.set(v, (counts.get(v) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  const iv = c.names.fresh(`${t.name}_i`);
  const loop = `    for (${iv} = 0; ${iv} < ${2 * N}; ${iv} = ${iv} + 1) ${mem}[${iv}] = ${lit(W, common)};`;
  L.push(`  integer ${iv};`, '  initial begin');
  if (common === 0n) L.push('`ifndef SYNTHESIS  // block RAM is configured to 0', loop, '`endif');
  else L.push(loop);
  init.forEach((v, i) => {
    if (v !== common) L.push(`    ${mem}[${i}] = ${lit(W, v)}; ${mem}[${N + i}] = ${lit(W, v)};`);
  });
  L.push('  end');
  const sh = `{~${h('bank')}, ${h('addr')}}`;
  L.push('  always @(posedge aclk) begin  // port A: the host (shadow bank)', `    if (${h('we')}) ${mem}[${sh}] <= ${h('wdata')};`, `    ${h('rdata')} <= ${mem}[${sh}];`, '  end');
  let value = '';
  if (m) {
    const S = m.stage;
    const R = m.readLatency;
    const key = m.readKeys[0];
    if (m.readKeys.length !== 1 || m.read !== 'sync') throw new Error(`internal: host memory ${t.name} read ${m.read} at ${m.readKeys.length} keys`);
    // The live bank as the record saw it when accepted, carried to stage S-R with the record.
    const banks: string[] = [];
    for (let k = 0; k <= S - R; k++) banks.push(c.names.fresh(`${t.name}_bank_s${k}`));
    L.push(`  reg ${banks.join(', ')};  // the live bank each record saw when accepted`);
    L.push('  always @(posedge aclk) begin', `    if (in_hs) ${banks[0]} <= ${h('bank')};`);
    for (let k = 1; k <= S - R; k++) L.push(`    if (${c.valid(k - 1)}) ${banks[k]} <= ${banks[k - 1]};`);
    L.push('  end');
    const ra = c.names.fresh(`${t.name}_raddr`);
    L.push(`  wire [${ib}:0] ${ra} = {${banks[S - R]}, ${keyBits(c, key, ib, S - R)}};  // stage ${S - R}`);
    const rd: string[] = [];
    for (let k = 1; k <= R; k++) rd.push(c.names.fresh(`${t.name}_rd${R > 1 ? `_${k}` : ''}`));
    L.push(`  reg ${decl(W)}${rd.join(', ')};`);
    L.push('  always @(posedge aclk) begin  // port B: the pipeline (live bank)', `    ${rd[0]} <= ${mem}[${ra}];`);
    for (let k = 2; k <= R; k++) L.push(`    if (${c.valid(S - R + k - 1)}) ${rd[k - 1]} <= ${rd[k - 2]};`);
    L.push('  end');
    value = rd[R - 1];
  }
  const read = (n: Extract<Node, { op: 'tread' }>): string => {
    if (n.what !== 'value' || !value) throw new Error(`internal: host memory ${t.name}: ${n.what} read`);
    return value;
  };
  return { lines: () => L, read };
}

/** The index: the key node's low bits as seen in stage `st` (zero-extended when narrower). */
function keyBits(c: MemoryCtx, key: NodeId, ib: number, st: number): string {
  const k = c.u.nodes[key];
  if (k.op === 'const') return lit(ib, k.value);
  return c.ref(key, st, ib);
}
