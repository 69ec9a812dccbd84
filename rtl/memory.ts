// Tables as memories (docs/semantics.md §11). One word per slot, {valid, tag, value}; one write port in the table's
// state stage; one read port per distinct key. A synchronous read takes its key one stage ahead, registers the word
// (the memory's own read register in block RAM and UltraRAM) and forwards the write of the record one stage ahead
// when it hits the same slot, so back-to-back updates of one key are exact. After reset a sweep writes every slot
// empty (UltraRAM has no initial contents); the input is not ready until it ends.
import type { Node, NodeId, TableIR, UnitIR } from '../codegen/ir.ts';
import type { MemoryPlan } from '../codegen/timing/schedule.ts';
import { lit, decl } from './expr.ts';
import type { Names } from './names.ts';

const RAM_STYLE = { lutram: 'distributed', bram: 'block', uram: 'ultra' } as const;

export interface MemoryCtx {
  u: UnitIR;
  names: Names;
  truncated: Set<string>;
  ref(id: NodeId, st: number, w?: number): string;
  valid(st: number): string;
}

/** Bits hi..lo of a key node as seen from stage `st` (zero above its width), as one expression. */
export function keyBits(c: MemoryCtx, key: NodeId, hi: number, lo: number, st: number): string {
  const k = c.u.nodes[key];
  const w = k.width;
  const n = hi - lo + 1;
  if (k.op === 'const') return lit(n, k.value >> BigInt(lo));
  if (lo >= w) return `${n}'d0`;
  const base = c.ref(key, st);
  const top = Math.min(hi, w - 1);
  const sel = w === 1 ? base : lo === 0 && top === w - 1 ? base : top === lo ? `${base}[${lo}]` : `${base}[${top}:${lo}]`;
  if (top < w - 1) c.truncated.add(`${base}[${w - 1}:${top + 1}]`);
  if (lo > 0) c.truncated.add(`${base}[${lo - 1}:0]`);
  return top === hi ? sel : `{${hi - top}'d0, ${sel}}`;
}

export interface TableRtl {
  /** Declarations and logic of the table (memory, ports, forwarding). */
  lines: string[];
  /** Expression of a read node in its state stage. */
  read(n: Extract<Node, { op: 'tread' }>, st: number): string;
}

export function emitTable(c: MemoryCtx, t: TableIR, m: MemoryPlan, sweeping: string | null, sweepAddr: string): TableRtl {
  const L: string[] = [];
  const S = m.stage;
  const W = m.wordBits;
  const ib = m.indexBits;
  const vw = t.value.width;
  const slot = (key: NodeId, st: number) => keyBits(c, key, ib - 1, 0, st);
  const tagOf = (key: NodeId, st: number) => keyBits(c, key, t.key.width - 1, ib, st);
  const mem = c.names.fresh(`${t.name}_mem`);
  L.push(
    `  // ---- table ${t.name}: ${t.capacity} slots of {valid, ${m.tagBits ? `tag key[${t.key.width - 1}:${ib}], ` : ''}value} (${W} bits), ` +
      `direct mapped on key[${ib - 1}:0]; ${m.kind === 'lutram' ? 'LUT-RAM' : m.kind === 'bram' ? 'block RAM' : 'UltraRAM'}, ` +
      `${m.read === 'sync' ? `read registered (key in stage ${S - 1}, word in stage ${S})` : `read asynchronously in stage ${S}`}, written in stage ${S}`,
  );
  L.push(`  (* ram_style = "${RAM_STYLE[m.kind]}" *) reg [${W - 1}:0] ${mem} [0:${t.capacity - 1}];`);
  const w = c.u.tableWrites.get(t.name);
  const we = c.names.fresh(`${t.name}_we`);
  const wa = c.names.fresh(`${t.name}_waddr`);
  const wd = c.names.fresh(`${t.name}_wdata`);
  const recWe = w ? `${c.valid(S)} & ${c.ref(w.en, S)}` : "1'b0";
  const recWord = w
    ? `{~${c.ref(w.del, S)}, ${m.tagBits ? `${tagOf(w.key, S)}, ` : ''}${c.ref(w.value, S, vw)}}`
    : lit(W, 0n);
  if (sweeping) {
    L.push(`  wire ${we} = ${sweeping} | (${recWe});`);
    L.push(`  wire [${ib - 1}:0] ${wa} = ${sweeping} ? ${sweepAddr} : ${w ? slot(w.key, S) : lit(ib, 0n)};`);
    L.push(`  wire [${W - 1}:0] ${wd} = ${sweeping} ? ${lit(W, 0n)} : ${recWord};`);
  }
  L.push('  always @(posedge aclk) begin', `    if (${we}) ${mem}[${wa}] <= ${wd};`, '  end');
  // The word the record in the state stage wrote, for the read one stage behind it.
  const lastW = c.names.fresh(`${t.name}_lastw`);
  const recWeW = c.names.fresh(`${t.name}_rec_we`);
  const reads = new Map<NodeId, string>();
  if (m.read === 'sync') {
    L.push(`  wire ${recWeW} = ${recWe};`);
    L.push(`  reg [${W - 1}:0] ${lastW};`);
    L.push('  always @(posedge aclk) begin', `    if (${recWeW}) ${lastW} <= ${wd};`, '  end');
  }
  m.readKeys.forEach((key, i) => {
    const sfx = m.readKeys.length > 1 ? `${i}` : '';
    const word = c.names.fresh(`${t.name}_word${sfx}`);
    if (m.read === 'async') {
      L.push(`  wire [${W - 1}:0] ${word} = ${mem}[${slot(key, S)}];`);
    } else {
      const ra = c.names.fresh(`${t.name}_raddr${sfx}`);
      const rd = c.names.fresh(`${t.name}_rd${sfx}`);
      const hit = c.names.fresh(`${t.name}_fwd${sfx}`);
      L.push(`  wire [${ib - 1}:0] ${ra} = ${slot(key, S - 1)};  // stage ${S - 1}`);
      L.push(`  reg [${W - 1}:0] ${rd};`);
      L.push(`  reg ${hit};  // the record ahead wrote this slot as this one read it: take its word`);
      L.push('  always @(posedge aclk) begin');
      L.push(`    ${rd} <= ${mem}[${ra}];`);
      L.push(`    ${hit} <= ${recWeW} & (${wa} == ${ra});`);
      L.push('  end');
      L.push(`  wire [${W - 1}:0] ${word} = ${hit} ? ${lastW} : ${rd};  // stage ${S}`);
    }
    reads.set(key, word);
  });
  const read = (n: Extract<Node, { op: 'tread' }>, st: number): string => {
    const word = reads.get(n.key)!;
    const valid = `${word}[${W - 1}]`;
    const match = m.tagBits ? `(${word}[${W - 2}:${vw}] == ${tagOf(n.key, st)})` : "1'b1";
    if (n.what === 'has') return `${valid} & ${match}`;
    if (n.what === 'free') return `~${valid} | ${match}`;
    const value = vw === 1 ? `${word}[0]` : `${word}[${vw - 1}:0]`;
    return `(${valid} & ${match}) ? ${value} : ${lit(n.width, 0n)}`;
  };
  if (!sweeping) throw new Error('internal: a table without the post-reset sweep');
  return { lines: L, read };
}
