// Tables as memories (docs/semantics.md §11). One word per slot, {valid, tag, value}; one write port in the table's
// state stage; one read port per distinct key. A synchronous read takes its key one stage ahead, registers the word
// (the memory's own read register in block RAM and UltraRAM) and forwards the write of the record one stage ahead
// when it hits the same slot, so back-to-back updates of one key are exact. After reset a sweep writes every slot
// empty (UltraRAM has no initial contents); the input is not ready until it ends.
import type { Node, NodeId, TableIR, UnitIR } from '../codegen/ir.ts';
import type { MemoryPlan } from '../codegen/timing/schedule.ts';
import { lit, decl } from './expr.ts';
import type { Names } from './names.ts';
import { emitTable2 } from './memory2.ts';

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
  /** Declarations and logic of the table (memory, ports, forwarding), once every read has been emitted. */
  lines(): string[];
  /** Expression of a read node in its state stage. */
  read(n: Extract<Node, { op: 'tread' }>): string;
}

export function emitTable(c: MemoryCtx, t: TableIR, m: MemoryPlan, sweeping: string, sweepAddr: string): TableRtl {
  const w2 = c.u.tableWrites.get(t.name);
  if (w2?.next) return emitTable2(c, t, m, sweeping, sweepAddr, w2); // written at two places: rtl/memory2.ts
  const L: string[] = [];
  const S = m.stage;
  const R = m.readLatency;
  const W = m.wordBits;
  const ib = m.indexBits;
  const vw = t.value.width;
  const slot = (key: NodeId, st: number) => keyBits(c, key, ib - 1, 0, st);
  const tagOf = (key: NodeId, st: number) => keyBits(c, key, t.key.width - 1, ib, st);
  const mem = c.names.fresh(`${t.name}_mem`);
  L.push(
    `  // ---- table ${t.name}: ${t.capacity} slots of {valid, ${m.tagBits ? `tag key[${t.key.width - 1}:${ib}], ` : ''}value} (${W} bits), ` +
      `direct mapped on key[${ib - 1}:0]; ${m.kind === 'lutram' ? 'LUT-RAM' : m.kind === 'bram' ? 'block RAM' : 'UltraRAM'}, ` +
      `${m.read === 'sync' ? `read in ${R} cycle${R > 1 ? 's' : ''} (key in stage ${S - R}, word in stage ${S})` : `read asynchronously in stage ${S}`}, written in stage ${S}`,
  );
  L.push(`  (* ram_style = "${RAM_STYLE[m.kind]}" *) reg [${W - 1}:0] ${mem} [0:${t.capacity - 1}];`);
  const w = c.u.tableWrites.get(t.name);
  const we = c.names.fresh(`${t.name}_we`);
  const wa = c.names.fresh(`${t.name}_waddr`);
  const wd = c.names.fresh(`${t.name}_wdata`);
  const recWeW = c.names.fresh(`${t.name}_rec_we`);
  const recWe = w ? `${c.valid(S)} & ${c.ref(w.en, S)}` : "1'b0";
  const recWord = w ? `{~${c.ref(w.del, S)}, ${m.tagBits ? `${tagOf(w.key, S)}, ` : ''}${c.ref(w.value, S, vw)}}` : lit(W, 0n);
  const recSlot = w ? slot(w.key, S) : lit(ib, 0n);
  L.push(`  wire ${recWeW} = ${recWe};  // the record in stage ${S} writes`);
  L.push(`  wire ${we} = ${sweeping} | ${recWeW};`);
  L.push(`  wire [${ib - 1}:0] ${wa} = ${sweeping} ? ${sweepAddr} : ${recSlot};`);
  L.push(`  wire [${W - 1}:0] ${wd} = ${sweeping} ? ${lit(W, 0n)} : ${recWord};`);
  L.push('  always @(posedge aclk) begin', `    if (${we}) ${mem}[${wa}] <= ${wd};`, '  end');

  // Per read port: `vm` (the slot holds this key), `free` (empty or this key's), the slot's value and its tag
  // (the key bits above the slot index of whoever holds it: Table.owner), in stage S.
  const ports = new Map<NodeId, { vm: string; free: string; value: string; tag: string }>();
  const tagSel = (word: string) => (m.tagBits === 1 ? `${word}[${vw}]` : `${word}[${W - 2}:${vw}]`);
  const used = new Set<string>();
  const deferred: Array<() => string[]> = [];
  const vwSel = (word: string) => (vw === 1 ? `${word}[0]` : `${word}[${vw - 1}:0]`);
  const validOf = (word: string) => `${word}[${W - 1}]`;
  m.readKeys.forEach((key, i) => {
    const sfx = m.readKeys.length > 1 ? `${i}` : '';
    if (m.read === 'async') {
      const word = c.names.fresh(`${t.name}_word${sfx}`);
      L.push(`  wire [${W - 1}:0] ${word} = ${mem}[${slot(key, S)}];`);
      const match = m.tagBits ? `(${word}[${W - 2}:${vw}] == ${tagOf(key, S)})` : "1'b1";
      ports.set(key, { vm: `${validOf(word)} & ${match}`, free: `~${validOf(word)} | ${match}`, value: vwSel(word), tag: m.tagBits ? tagSel(word) : "1'b0" });
      return;
    }
    // The read: address in stage S-R, the word registered R times (the memory's read register, then its output
    // registers), each register loaded as its record moves on.
    const ra = c.names.fresh(`${t.name}_raddr${sfx}`);
    L.push(`  wire [${ib - 1}:0] ${ra} = ${slot(key, S - R)};  // stage ${S - R}`);
    const rd: string[] = [];
    for (let k = 1; k <= R; k++) {
      rd.push(c.names.fresh(`${t.name}_rd${sfx}${R > 1 ? `_${k}` : ''}`));
      L.push(`  reg [${W - 1}:0] ${rd[k - 1]};`);
    }
    // Forwarding: in each of the R cycles between its read and its state stage, a record misses the write of the
    // record then in stage S (the memory reads old data on a same-cycle write). It captures that write as registers
    // (its enable, whether the slot is its own, the word; no logic after the write enable). A capture made before
    // stage S-1 is merged into the word as it passes the next read register (UltraRAM's output feeds a fabric
    // register, not its OREG, for that); the one made in stage S-1 is selected in stage S, over the memory's word.
    const regs = [`    ${rd[0]} <= ${mem}[${ra}];`];
    const caps: Array<{ we: string; eq: string; match: string; word: string }> = [];
    for (let j = S - R; j <= S - 1; j++) {
      const d = S - j; // the writer is d records ahead
      const nm = (x: string) => c.names.fresh(`${t.name}${sfx}_fwd${d}_${x}`);
      const cap = { we: nm('we'), eq: nm('eq'), match: m.tagBits && d === 1 ? nm('match') : "1'b1", word: nm('word') };
      L.push(`  reg ${cap.we}, ${cap.eq}${cap.match !== "1'b1" ? `, ${cap.match}` : ''};`, `  reg [${W - 1}:0] ${cap.word};`);
      regs.push(`    ${cap.we} <= ${recWeW};`, `    ${cap.eq} <= ${recSlot} == ${slot(key, j)};`, `    ${cap.word} <= ${recWord};`);
      if (cap.match !== "1'b1") regs.push(`    ${cap.match} <= ${w ? tagOf(w.key, S) : lit(m.tagBits, 0n)} == ${tagOf(key, j)};`);
      if (d === 1) {
        caps.push(cap);
        // Only the forwarded word's valid bit and value are read (its tag was compared when captured).
        if (m.tagBits) c.truncated.add(`${cap.word}[${W - 2}:${vw}]`);
      } else {
        const k = R - d + 2; // rd[k-1] is loaded as the record leaves stage j + 1
        regs.push(`    if (${c.valid(j + 1)}) ${rd[k - 1]} <= (${cap.we} & ${cap.eq}) ? ${cap.word} : ${rd[k - 2]};`);
      }
    }
    // LUT-RAM reads asynchronously in stage S-1, so its tag compare is done there too (R = 1).
    let memMatch = "1'b1";
    const data = rd[R - 1];
    if (m.tagBits) {
      if (m.kind === 'lutram' && R === 1) {
        memMatch = c.names.fresh(`${t.name}_mem_match${sfx}`);
        L.push(`  reg ${memMatch};`);
        regs.push(`    ${memMatch} <= ${mem}[${ra}][${W - 2}:${vw}] == ${tagOf(key, S - 1)};`);
        c.truncated.add(`${data}[${W - 2}:${vw}]`);
      } else {
        memMatch = `(${data}[${W - 2}:${vw}] == ${tagOf(key, S)})`;
      }
    }
    L.push('  always @(posedge aclk) begin', ...regs, '  end');
    // Newest first: the capture made one stage before S is the record directly ahead.
    const sel = (f: (x: { we: string; eq: string; match: string; word: string }) => string, mem0: string) =>
      caps.reduce((acc, x) => `(${x.we} & ${x.eq}) ? ${f(x)} : ${acc}`, mem0);
    const vm = c.names.fresh(`${t.name}_hit${sfx}`);
    const free = c.names.fresh(`${t.name}_free${sfx}`);
    const value = c.names.fresh(`${t.name}_value${sfx}`);
    const tag = m.tagBits ? c.names.fresh(`${t.name}_tag${sfx}`) : "1'b0";
    // Only the selects a read uses are declared (lint: nothing unused); the word bits no read uses go to the sink.
    deferred.push(() => {
      const words = [data, ...caps.map((x) => x.word)];
      const bits = (hi: number, lo: number) => (hi === lo ? `[${hi}]` : `[${hi}:${lo}]`);
      if (!used.has(value)) for (const x of words) c.truncated.add(`${x}${bits(vw - 1, 0)}`);
      if (!used.has(vm) && !used.has(free)) {
        for (const x of words) c.truncated.add(`${x}[${W - 1}]`);
        if (m.tagBits && !(m.kind === 'lutram' && R === 1)) c.truncated.add(`${data}${bits(W - 2, vw)}`);
      }
      return [
      ...(used.has(vm) ? [`  wire ${vm} = ${sel((x) => `${validOf(x.word)} & ${x.match}`, `${validOf(data)} & ${memMatch}`)};  // stage ${S}: the slot holds this key`] : []),
      ...(used.has(free) ? [`  wire ${free} = ${sel((x) => `~${validOf(x.word)} | ${x.match}`, `~${validOf(data)} | ${memMatch}`)};`] : []),
      ...(used.has(value) ? [`  wire ${decl(vw)}${value} = ${sel((x) => vwSel(x.word), vwSel(data))};`] : []),
      // The forwarded words' tags are otherwise unread (listed as such above); a port reading the tag reads them here.
      ...(used.has(tag) ? [`  wire ${decl(m.tagBits)}${tag} = ${sel((x) => tagSel(x.word), tagSel(data))};`] : []),
      ];
    });
    ports.set(key, { vm, free, value, tag });
  });
  const read = (n: Extract<Node, { op: 'tread' }>): string => {
    const p = ports.get(n.key)!;
    const nm = n.what === 'has' ? p.vm : n.what === 'free' ? p.free : n.what === 'tag' ? p.tag : p.value;
    used.add(nm);
    return nm;
  };
  return { lines: () => [...L, ...deferred.flatMap((f) => f())], read };
}
