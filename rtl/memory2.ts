// A table written at two places in one event (docs/semantics.md §8, §11): two write ports in the state stage, and
// the table's read ports as before, at the full clock.
//
// Why not a true-dual-port block RAM: a block RAM or UltraRAM has two ports in all, and this table needs two writes
// (the record in the state stage) and its reads (the record R stages behind, one port per distinct key) in every
// cycle: 2 + R accesses. Two ports could only do that double-pumped, at twice the 322 MHz clock, past UltraRAM's
// Fmax and with a second clock this toolkit does not have. Nor a live-value table: its 1 bit per slot needs two
// writes and R reads itself, which for a 2^20-slot table is a multi-ported megabit again.
//
// So XOR banking (LaForest & Steffan, "Efficient multi-ported memories for FPGAs", FPGA 2010): two banks A and B,
// each an ordinary memory with ONE write port (bank A written by the event's first write, B by its second) and the
// table's read ports, so each bank is built exactly like a one-write table (rtl/memory.ts: the same memory kinds,
// the same registered reads, the same forwarding of in-flight writes, one bank at a time). A slot's word is
// A[s] ^ B[s]. Port A writes word ^ B[s] into A (B[s] as it is now, read with its forwarding), so the XOR gives the
// new word; likewise port B. The two never write one slot in one cycle: when both writes of an event hit one slot the
// front end turns the first off (the later write wins), so B's write reads A's old word, which is right. The
// partner read costs no extra port: every write's key is also a read key of the table (set reads `free`, delete
// `has`, replace `free`), so it is that read port's word. The sweep after reset zeroes both banks: every word 0,
// every slot empty.
//
// Cost: twice the memory (two banks per read port), an XOR on the read word and on the write data, and the tag
// compare on the XOR-ed word in the state stage (the one-write LUT-RAM table compares a stage early): the timing
// model adds those (codegen/timing/schedule.ts, `dualWrite`).
import type { Node, NodeId, TableIR, TableWrite } from '../codegen/ir.ts';
import type { MemoryPlan } from '../codegen/timing/schedule.ts';
import { lit, decl } from './expr.ts';
import { type MemoryCtx, type TableRtl, keyBits } from './memory.ts';

const RAM_STYLE = { lutram: 'distributed', bram: 'block', uram: 'ultra' } as const;

export function emitTable2(c: MemoryCtx, t: TableIR, m: MemoryPlan, sweeping: string, sweepAddr: string, w: TableWrite): TableRtl {
  const L: string[] = [];
  const S = m.stage;
  const R = m.readLatency;
  const W = m.wordBits;
  const ib = m.indexBits;
  const vw = t.value.width;
  const slot = (key: NodeId, st: number) => keyBits(c, key, ib - 1, 0, st);
  const tagOf = (key: NodeId, st: number) => keyBits(c, key, t.key.width - 1, ib, st);
  const writes = [w, w.next!];
  const bankNames = ['A', 'B'];
  L.push(
    `  // ---- table ${t.name}: ${t.capacity} slots of {valid, ${m.tagBits ? `tag key[${t.key.width - 1}:${ib}], ` : ''}value} (${W} bits), ` +
      `direct mapped on key[${ib - 1}:0]; two write ports as two XOR banks (rtl/memory2.ts), each ${m.kind === 'lutram' ? 'LUT-RAM' : m.kind === 'bram' ? 'block RAM' : 'UltraRAM'}, ` +
      `${m.read === 'sync' ? `read in ${R} cycle${R > 1 ? 's' : ''} (key in stage ${S - R}, word in stage ${S})` : `read asynchronously in stage ${S}`}, written in stage ${S}`,
  );
  const mem = bankNames.map((b) => c.names.fresh(`${t.name}_mem${b}`));
  for (const x of mem) L.push(`  (* ram_style = "${RAM_STYLE[m.kind]}" *) reg [${W - 1}:0] ${x} [0:${t.capacity - 1}];`);
  // Per write port: whether the record in stage S writes, where, the table word it writes, and the bank word.
  const recWe = writes.map((x, i) => {
    const nm = c.names.fresh(`${t.name}_rec_we${bankNames[i]}`);
    L.push(`  wire ${nm} = ${c.valid(S)} & ${c.ref(x.en, S)};  // the record in stage ${S} writes port ${bankNames[i]}`);
    return nm;
  });
  const recSlot = writes.map((x) => slot(x.key, S));
  const recWord = writes.map((x) => `{~${c.ref(x.del, S)}, ${m.tagBits ? `${tagOf(x.key, S)}, ` : ''}${c.ref(x.value, S, vw)}}`);
  const recRaw = writes.map((_, i) => c.names.fresh(`${t.name}_raw${bankNames[i]}`)); // the bank word: word ^ partner
  for (const x of recRaw) L.push(`  wire [${W - 1}:0] ${x};`);

  // Per read port, per bank: the bank's word in stage S with its own port's in-flight writes forwarded (as
  // rtl/memory.ts does for a one-write table); the table's word is their XOR.
  const ports = new Map<NodeId, { vm: string; free: string; value: string; tag: string }>();
  const bankWord = new Map<NodeId, string[]>();
  m.readKeys.forEach((key, i) => {
    const sfx = m.readKeys.length > 1 ? `${i}` : '';
    const f: string[] = [];
    if (m.read === 'async') {
      bankNames.forEach((b, x) => {
        const nm = c.names.fresh(`${t.name}_bank${b}${sfx}`);
        L.push(`  wire [${W - 1}:0] ${nm} = ${mem[x]}[${slot(key, S)}];`);
        f.push(nm);
      });
    } else {
      const ra = c.names.fresh(`${t.name}_raddr${sfx}`);
      L.push(`  wire [${ib - 1}:0] ${ra} = ${slot(key, S - R)};  // stage ${S - R}`);
      bankNames.forEach((b, x) => {
        const rd: string[] = [];
        for (let k = 1; k <= R; k++) {
          rd.push(c.names.fresh(`${t.name}_rd${b}${sfx}${R > 1 ? `_${k}` : ''}`));
          L.push(`  reg [${W - 1}:0] ${rd[k - 1]};`);
        }
        const regs = [`    ${rd[0]} <= ${mem[x]}[${ra}];`];
        let last = rd[R - 1];
        for (let j = S - R; j <= S - 1; j++) {
          const d = S - j;
          const nm = (y: string) => c.names.fresh(`${t.name}${b}${sfx}_fwd${d}_${y}`);
          const cap = { we: nm('we'), eq: nm('eq'), word: nm('word') };
          L.push(`  reg ${cap.we}, ${cap.eq};`, `  reg [${W - 1}:0] ${cap.word};`);
          regs.push(`    ${cap.we} <= ${recWe[x]};`, `    ${cap.eq} <= ${recSlot[x]} == ${slot(key, j)};`, `    ${cap.word} <= ${recRaw[x]};`);
          if (d === 1) {
            last = `(${cap.we} & ${cap.eq}) ? ${cap.word} : ${rd[R - 1]}`;
          } else {
            const k = R - d + 2;
            regs.push(`    if (${c.valid(j + 1)}) ${rd[k - 1]} <= (${cap.we} & ${cap.eq}) ? ${cap.word} : ${rd[k - 2]};`);
          }
        }
        L.push('  always @(posedge aclk) begin', ...regs, '  end');
        const fw = c.names.fresh(`${t.name}_bank${b}${sfx}`);
        L.push(`  wire [${W - 1}:0] ${fw} = ${last};  // stage ${S}: bank ${b}'s word, its in-flight write forwarded`);
        f.push(fw);
      });
    }
    bankWord.set(key, f);
    const word = c.names.fresh(`${t.name}_word${sfx}`);
    L.push(`  wire [${W - 1}:0] ${word} = ${f[0]} ^ ${f[1]};  // the slot's word`);
    // Not every read uses every bit of the word: the sink takes it whole (lint), the reads below select.
    c.truncated.add(word);
    const match = m.tagBits ? `(${m.tagBits === 1 ? `${word}[${vw}]` : `${word}[${W - 2}:${vw}]`} == ${tagOf(key, S)})` : "1'b1";
    ports.set(key, {
      vm: `${word}[${W - 1}] & ${match}`,
      free: `~${word}[${W - 1}] | ${match}`,
      value: vw === 1 ? `${word}[0]` : `${word}[${vw - 1}:0]`,
      tag: m.tagBits ? (m.tagBits === 1 ? `${word}[${vw}]` : `${word}[${W - 2}:${vw}]`) : "1'b0",
    });
  });
  // The bank words: the table word XOR the other bank's word at the written slot (its read port, stage S).
  writes.forEach((x, i) => {
    const p = bankWord.get(x.key);
    if (!p) throw new Error(`tickforge internal: table ${t.name}: write ${bankNames[i]}'s key is not one of its read keys`);
    L.push(`  assign ${recRaw[i]} = ${recWord[i]} ^ ${p[1 - i]};`);
  });
  bankNames.forEach((b, x) => {
    L.push(
      '  always @(posedge aclk) begin',
      `    if (${sweeping} | ${recWe[x]}) ${mem[x]}[${sweeping} ? ${sweepAddr} : ${recSlot[x]}] <= ${sweeping} ? ${lit(W, 0n)} : ${recRaw[x]};`,
      '  end',
    );
  });
  // A wire per read that is used (lint: nothing unused), declared after the ports.
  const D: string[] = [];
  const wires = new Map<string, string>();
  const read = (n: Extract<Node, { op: 'tread' }>): string => {
    const id = `${n.key}:${n.what}`;
    let nm = wires.get(id);
    if (nm === undefined) {
      const p = ports.get(n.key)!;
      const e = n.what === 'has' ? p.vm : n.what === 'free' ? p.free : n.what === 'tag' ? p.tag : p.value;
      const width = n.what === 'value' ? vw : n.what === 'tag' ? Math.max(1, m.tagBits) : 1;
      nm = c.names.fresh(`${t.name}_${n.what === 'has' ? 'hit' : n.what}${m.readKeys.length > 1 ? m.readKeys.indexOf(n.key) : ''}`);
      D.push(`  wire ${decl(width)}${nm} = ${e};`);
      wires.set(id, nm);
    }
    return nm;
  };
  return { lines: () => [...L, ...D], read };
}
