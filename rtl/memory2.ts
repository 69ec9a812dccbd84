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
// Reads: the record directly ahead's two writes are forwarded as the table words they wrote (they never share a
// slot), with their tag compares registered a stage early as in rtl/memory.ts; otherwise the word is the XOR of the
// two banks' (older in-flight writes merged into each). Its tag compare stays as wide as a one-write table's: LUT-RAM
// compares A[s] ^ B[s] a stage early; block RAM and UltraRAM register B's tag XOR the key's tag with B's word (the
// same LUT as that register's merge) and compare A's tag with it in the state stage.
//
// Cost: a second bank per read port (one bit a slot when its port only deletes: see `narrow`), an XOR on the write
// data, and one LUT level more in each read's select (8 to 11 inputs a bit): the timing model adds it
// (codegen/timing/schedule.ts, `dual`).
import type { Node, NodeId, TableIR, TableWrite } from '../codegen/ir.ts';
import type { MemoryPlan } from '../codegen/timing/schedule.ts';
import { lit, decl } from './expr.ts';
import { type MemoryCtx, type TableRtl, keyBits } from './memory.ts';
import { deletesOnly } from '../codegen/timing/memory.ts';

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
  // A port that only ever deletes needs to change the valid bit alone: nothing reads an empty slot's tag or value
  // (has/free/lookup test the valid bit; get, peek and owner give the zero when it is clear: the front end selects
  // them by it), so after a delete the slot's other bits may stay whatever bank B holds. Its bank is one bit a slot,
  // padded with zeros where it is read. In an UltraRAM table that bank is block RAM (UltraRAM is 72 bits wide
  // whatever is used; block RAM is 1 bit wide at 32K deep; both read in two cycles here).
  const narrow = writes.map((x) => deletesOnly(c.u.nodes, x));
  // With one valid-bit bank the slot's tag is the other bank's alone (the `tagBank`): when the schedule fits it
  // (m.earlyTag), each read's tag compare is registered in the cycle before stage S, from that bank's word with its
  // older in-flight write merged; that write's own tag is its key's (its partner bank holds no tag bits), compared
  // a cycle earlier still. The state stage then sees a 1-bit match instead of a tag compare on its loop.
  const tagBank = m.earlyTag && m.tagBits ? narrow.indexOf(false) : -1;
  mem.forEach((x, i) => {
    const style = narrow[i] && m.kind === 'uram' ? 'block' : RAM_STYLE[m.kind];
    L.push(`  (* ram_style = "${style}" *) reg ${narrow[i] ? '' : `[${W - 1}:0] `}${x} [0:${t.capacity - 1}];${narrow[i] ? '  // deletes only: the valid bit' : ''}`);
  });
  /** Bank x's word at `addr` as a full word (a valid-bit bank padded with zeros). */
  const bankAt = (x: number, addr: string) => (narrow[x] ? `{${mem[x]}[${addr}], ${lit(W - 1, 0n)}}` : `${mem[x]}[${addr}]`);
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

  // Per read port: each bank's word in stage S with its own port's in-flight writes forwarded, as rtl/memory.ts does
  // for a one-write table (what the other port's write XORs with); and the slot's word for the reads: the table
  // word the record directly ahead wrote (its two writes never share a slot), else the XOR of the two banks' words
  // (older in-flight writes merged into them), with the tag compares of the forwarded words made a stage early.
  const ports = new Map<NodeId, { vm: string; free: string; value: string; tag: string }>();
  const bankWord = new Map<NodeId, string[]>();
  const vwSel = (word: string) => (vw === 1 ? `${word}[0]` : `${word}[${vw - 1}:0]`);
  const tagSel = (word: string) => (m.tagBits === 1 ? `${word}[${vw}]` : `${word}[${W - 2}:${vw}]`);
  m.readKeys.forEach((key, i) => {
    const sfx = m.readKeys.length > 1 ? `${i}` : '';
    const f: string[] = [];
    type Cap = { we: string; eq: string; match: string; word: string };
    const caps: Cap[] = [];
    let memWord: string;
    let memMatch: string;
    if (m.read === 'async') {
      memWord = c.names.fresh(`${t.name}_memword${sfx}`);
      L.push(`  wire [${W - 1}:0] ${memWord} = ${bankAt(0, slot(key, S))} ^ ${bankAt(1, slot(key, S))};`);
      bankNames.forEach((b, x) => {
        const nm = c.names.fresh(`${t.name}_bank${b}${sfx}`);
        L.push(`  wire [${W - 1}:0] ${nm} = ${bankAt(x, slot(key, S))};`);
        c.truncated.add(nm); // read only where it is the other write's partner
        f.push(nm);
      });
      memMatch = m.tagBits ? `(${tagSel(memWord)} == ${tagOf(key, S)})` : "1'b1";
    } else {
      const ra = c.names.fresh(`${t.name}_raddr${sfx}`);
      L.push(`  wire [${ib - 1}:0] ${ra} = ${slot(key, S - R)};  // stage ${S - R}`);
      const last: string[] = [];
      const regs: string[] = [];
      let xB: string | null = null;
      let early: string | null = null;
      bankNames.forEach((b, x) => {
        const rd: string[] = [];
        for (let k = 1; k <= R; k++) {
          rd.push(c.names.fresh(`${t.name}_rd${b}${sfx}${R > 1 ? `_${k}` : ''}`));
          L.push(`  reg [${W - 1}:0] ${rd[k - 1]};`);
        }
        regs.push(`    ${rd[0]} <= ${bankAt(x, ra)};`);
        let fw = rd[R - 1];
        for (let j = S - R; j <= S - 1; j++) {
          const d = S - j;
          const nm = (y: string) => c.names.fresh(`${t.name}${b}${sfx}_fwd${d}_${y}`);
          const cap = { we: nm('we'), eq: nm('eq'), raw: nm('raw') };
          L.push(`  reg ${cap.we}, ${cap.eq};`, `  reg [${W - 1}:0] ${cap.raw};`);
          regs.push(`    ${cap.we} <= ${recWe[x]};`, `    ${cap.eq} <= ${recSlot[x]} == ${slot(key, j)};`, `    ${cap.raw} <= ${recRaw[x]};`);
          if (d === 1) {
            fw = `(${cap.we} & ${cap.eq}) ? ${cap.raw} : ${rd[R - 1]}`;
            // The table word it wrote, and whether its key's tag is this read's (compared now, used in stage S).
            const word = nm('word');
            const match = m.tagBits ? nm('match') : "1'b1";
            L.push(`  reg [${W - 1}:0] ${word};`);
            regs.push(`    ${word} <= ${recWord[x]};`);
            if (m.tagBits) {
              L.push(`  reg ${match};`);
              regs.push(`    ${match} <= ${tagOf(writes[x].key, S)} == ${tagOf(key, j)};`);
            }
            caps.push({ we: cap.we, eq: cap.eq, match, word });
            c.truncated.add(word);
          } else {
            const k = R - d + 2;
            regs.push(`    if (${c.valid(j + 1)}) ${rd[k - 1]} <= (${cap.we} & ${cap.eq}) ? ${cap.raw} : ${rd[k - 2]};`);
            if (x === tagBank && k === R) {
              // The tag bank's word in stage S holds this read's key: the older write's key tag (compared as it is
              // captured), else the memory word's tag (compared after its clock-to-out).
              const fm = nm('match');
              early = c.names.fresh(`${t.name}_match${sfx}`);
              L.push(`  reg ${fm}, ${early};`);
              regs.push(`    ${fm} <= ${tagOf(writes[x].key, S)} == ${tagOf(key, j)};`);
              regs.push(`    if (${c.valid(j + 1)}) ${early} <= (${cap.we} & ${cap.eq}) ? ${fm} : (${tagSel(rd[k - 2])} == ${tagOf(key, j + 1)});`);
            } else if (x === 1 && k === R && m.tagBits && tagBank < 0) {
              // Bank B's tag XOR this read's, registered with B's word: the compare in stage S is then A's tag
              // against it, as wide as a one-write table's (not the XOR of three).
              xB = c.names.fresh(`${t.name}_xtag${sfx}`);
              L.push(`  reg ${decl(m.tagBits)}${xB};`);
              regs.push(`    if (${c.valid(j + 1)}) ${xB} <= ((${cap.we} & ${cap.eq}) ? ${tagSel(cap.raw)} : ${tagSel(rd[k - 2])}) ^ ${tagOf(key, j + 1)};`);
            }
          }
        }
        const fwn = c.names.fresh(`${t.name}_bank${b}${sfx}`);
        L.push(`  wire [${W - 1}:0] ${fwn} = ${fw};  // stage ${S}: bank ${b}'s word, its in-flight write forwarded`);
        c.truncated.add(fwn); // read only where it is the other write's partner
        f.push(fwn);
        last.push(rd[R - 1]);
      });
      memWord = c.names.fresh(`${t.name}_memword${sfx}`);
      L.push(`  wire [${W - 1}:0] ${memWord} = ${last[0]} ^ ${last[1]};`);
      if (m.tagBits && m.kind === 'lutram' && R === 1) {
        // LUT-RAM reads in the stage before: compare the tag there, as the one-write table does.
        memMatch = c.names.fresh(`${t.name}_mem_match${sfx}`);
        L.push(`  reg ${memMatch};`);
        const tags = [0, 1].filter((x) => !narrow[x]).map((x) => tagSel(`${mem[x]}[${ra}]`));
        regs.push(`    ${memMatch} <= ${tags.length > 1 ? `(${tags.join(' ^ ')})` : tags.length ? tags[0] : lit(m.tagBits, 0n)} == ${tagOf(key, S - 1)};`);
      } else if (early) {
        memMatch = early;
      } else if (xB) {
        memMatch = `(${tagSel(last[0])} == ${xB})`;
        c.truncated.add(`${last[1]}${m.tagBits === 1 ? `[${vw}]` : `[${W - 2}:${vw}]`}`);
      } else {
        memMatch = m.tagBits ? `(${tagSel(memWord)} == ${tagOf(key, S)})` : "1'b1";
      }
      L.push('  always @(posedge aclk) begin', ...regs, '  end');
    }
    bankWord.set(key, f);
    c.truncated.add(memWord);
    // The record directly ahead's writes over the memory's word (B outermost: the later write).
    const sel = (fn: (x: Cap) => string, mem0: string) => caps.reduce((acc, x) => `(${x.we} & ${x.eq}) ? ${fn(x)} : ${acc}`, mem0);
    ports.set(key, {
      vm: sel((x) => `${x.word}[${W - 1}] & ${x.match}`, `${memWord}[${W - 1}] & ${memMatch}`),
      free: sel((x) => `~${x.word}[${W - 1}] | ${x.match}`, `~${memWord}[${W - 1}] | ${memMatch}`),
      value: sel((x) => vwSel(x.word), vwSel(memWord)),
      tag: m.tagBits ? sel((x) => tagSel(x.word), tagSel(memWord)) : "1'b0",
    });
  });
  // The bank words: the table word XOR the other bank's word at the written slot (its read port, stage S).
  writes.forEach((x, i) => {
    const p = bankWord.get(x.key);
    if (!p) throw new Error(`tickforge internal: table ${t.name}: write ${bankNames[i]}'s key is not one of its read keys`);
    if (narrow[i]) {
      // Only the valid bit is stored; the rest of the bank word is zero (the table word's bits there are B's).
      L.push(`  assign ${recRaw[i]} = {~${c.ref(x.del, S)} ^ ${p[1 - i]}[${W - 1}], ${lit(W - 1, 0n)}};`);
      c.truncated.add(`${recRaw[i]}[${W - 2}:0]`);
    } else L.push(`  assign ${recRaw[i]} = ${recWord[i]} ^ ${p[1 - i]};`);
  });
  bankNames.forEach((b, x) => {
    L.push(
      '  always @(posedge aclk) begin',
      `    if (${sweeping} | ${recWe[x]}) ${mem[x]}[${sweeping} ? ${sweepAddr} : ${recSlot[x]}] <= ${sweeping} ? ${lit(narrow[x] ? 1 : W, 0n)} : ${narrow[x] ? `${recRaw[x]}[${W - 1}]` : recRaw[x]};`,
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
