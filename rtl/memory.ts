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
  if (m.read === 'sync') {
    L.push(`  wire ${recWeW} = ${recWe};`);
    L.push(`  reg [${W - 1}:0] ${lastW};`);
    L.push('  always @(posedge aclk) begin', `    if (${recWeW}) ${lastW} <= ${wd};`, '  end');
  }
  // Per read port: `vm` (the slot holds this key), `free` (empty or this key's) and the word's value, in stage S.
  const ports = new Map<NodeId, { vm: string; free: string; value: string }>();
  const vwSel = (word: string) => (vw === 1 ? `${word}[0]` : `${word}[${vw - 1}:0]`);
  const validOf = (word: string) => `${word}[${W - 1}]`;
  m.readKeys.forEach((key, i) => {
    const sfx = m.readKeys.length > 1 ? `${i}` : '';
    if (m.read === 'async') {
      const word = c.names.fresh(`${t.name}_word${sfx}`);
      L.push(`  wire [${W - 1}:0] ${word} = ${mem}[${slot(key, S)}];`);
      const match = m.tagBits ? `(${word}[${W - 2}:${vw}] == ${tagOf(key, S)})` : "1'b1";
      ports.set(key, { vm: `${validOf(word)} & ${match}`, free: `~${validOf(word)} | ${match}`, value: vwSel(word) });
      return;
    }
    const ra = c.names.fresh(`${t.name}_raddr${sfx}`);
    const rd = c.names.fresh(`${t.name}_rd${sfx}`);
    const hit = c.names.fresh(`${t.name}_fwd${sfx}`);
    L.push(`  wire [${ib - 1}:0] ${ra} = ${slot(key, S - 1)};  // stage ${S - 1}`);
    L.push(`  reg [${W - 1}:0] ${rd};`);
    L.push(`  reg ${hit};  // the record ahead wrote this slot as this one read it: its word, not the memory's`);
    const regs = [`    ${rd} <= ${mem}[${ra}];`, `    ${hit} <= ${recWeW} & (${wa} == ${ra});`];
    // Tag compares one stage early where the data is there (LUT-RAM reads in stage S-1; the forwarded word's tag is
    // the write key of the record in stage S), so stage S only selects.
    let memMatch = "1'b1";
    let fwdMatch = "1'b1";
    if (m.tagBits) {
      fwdMatch = c.names.fresh(`${t.name}_fwd_match${sfx}`);
      L.push(`  reg ${fwdMatch};`);
      regs.push(`    ${fwdMatch} <= ${w ? tagOf(w.key, S) : lit(m.tagBits, 0n)} == ${tagOf(key, S - 1)};`);
      if (m.kind === 'lutram') {
        memMatch = c.names.fresh(`${t.name}_mem_match${sfx}`);
        L.push(`  reg ${memMatch};`);
        regs.push(`    ${memMatch} <= ${mem}[${ra}][${W - 2}:${vw}] == ${tagOf(key, S - 1)};`);
      } else {
        memMatch = `(${rd}[${W - 2}:${vw}] == ${tagOf(key, S)})`;
      }
    }
    L.push('  always @(posedge aclk) begin', ...regs, '  end');
    // Bits this port does not read: the tags compared early, and the forwarded word's tag (its key is compared).
    if (m.tagBits && m.kind === 'lutram') c.truncated.add(`${rd}[${W - 2}:${vw}]`);
    if (m.tagBits) c.truncated.add(`${lastW}[${W - 2}:${vw}]`);
    const vm = c.names.fresh(`${t.name}_hit${sfx}`);
    const free = c.names.fresh(`${t.name}_free${sfx}`);
    const value = c.names.fresh(`${t.name}_value${sfx}`);
    L.push(`  wire ${vm} = ${hit} ? ${validOf(lastW)} & ${fwdMatch} : ${validOf(rd)} & ${memMatch};  // stage ${S}: the slot holds this key`);
    L.push(`  wire ${free} = ${hit} ? ~${validOf(lastW)} | ${fwdMatch} : ~${validOf(rd)} | ${memMatch};`);
    L.push(`  wire ${decl(vw)}${value} = ${hit} ? ${vwSel(lastW)} : ${vwSel(rd)};`);
    ports.set(key, { vm, free, value });
  });
  const read = (n: Extract<Node, { op: 'tread' }>, st: number): string => {
    void st;
    const p = ports.get(n.key)!;
    if (n.what === 'has') return p.vm;
    if (n.what === 'free') return p.free;
    return p.value;
  };
  if (!sweeping) throw new Error('internal: a table without the post-reset sweep');
  return { lines: L, read };
}
