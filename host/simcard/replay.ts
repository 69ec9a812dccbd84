// The model's account of a sim card run: the journal lists every input handshake, output handshake and register
// write with its clock cycle, so the design's model (the DSL file itself) can take the same records at the same
// cycles, and every register write (params, host memories, COMMIT, CONTROL) before the first record accepted after
// its edge (docs/regmap.md: a record accepted at the write's edge still sees the old values). Its outputs must equal
// the card's pcap. A system's journal goes through the composed model the same way (replaySystemJournal).
import fs from 'node:fs';
import { wireOutput, type UnitIR } from '../../codegen/ir.ts';
import { fieldValue, packInto, unpackFrom } from '../../dsl/record.ts';
import { type PacketSpec, wireRecords } from '../../dsl/packet.ts';
import { loadDesign, loadSystem } from '../../sim/design.ts';
import { windowMap, type RegMap, type SystemMap } from '../../regmap/index.ts';
import type { SystemIR } from '../../codegen/system.ts';

export interface Journal {
  /** Cycle of each accepted input, by input index. */
  inputs: number[];
  outputs: number[];
  writes: Array<{ cycle: number; offset: number; value: number }>;
}

export function readJournal(file: string): Journal {
  const j: Journal = { inputs: [], outputs: [], writes: [] };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'I') j.inputs[Number(f[1])] = Number(f[2]);
    else if (f[0] === 'O') j.outputs[Number(f[1])] = Number(f[2]);
    else if (f[0] === 'W') j.writes.push({ cycle: Number(f[1]), offset: Number.parseInt(f[2], 16), value: Number.parseInt(f[3], 16) >>> 0 });
  }
  return j;
}

/** Payloads and time stamps (ns) of the sim card's output pcap (LINKTYPE_USER0, one output record each). */
export function readOutputPcap(file: string): Array<{ ns: bigint; data: Uint8Array }> {
  const b = fs.readFileSync(file);
  if (b.length < 24 || b.readUInt32LE(0) !== 0xa1b23c4d) throw new Error(`${file}: not a nanosecond pcap`);
  const out: Array<{ ns: bigint; data: Uint8Array }> = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const len = b.readUInt32LE(o + 8);
    if (o + 16 + len > b.length) break; // a packet the daemon is still writing
    out.push({ ns: BigInt(b.readUInt32LE(o)) * 1_000_000_000n + BigInt(b.readUInt32LE(o + 4)), data: new Uint8Array(b.subarray(o + 16, o + 16 + len)) });
    o += 16 + len;
  }
  return out;
}

export interface Replay {
  /** Output records of the model, packed as the RTL emits them, in order. */
  outputs: Uint8Array[];
  /** For each model output, the input index that produced it. */
  from: number[];
  /** Model state of each status register at the end (unsigned bits, decimal). */
  status: Record<string, string>;
}

export async function replayJournal(designFile: string, ir: UnitIR, map: RegMap, inputs: Uint8Array, j: Journal): Promise<Replay> {
  const { unit } = await loadDesign(designFile);
  const model = unit.model();
  const on = unitWrites(ir, map, model as never);
  const apply = (w: { offset: number; value: number }) => on.get(w.offset)?.(w.value);
  const wire = wireOutput(ir);
  const outputs: Uint8Array[] = [];
  const from: number[] = [];
  let k = 0;
  for (let i = 0; i < j.inputs.length; i++) {
    const c = j.inputs[i];
    while (k < j.writes.length && j.writes[k].cycle < c) apply(j.writes[k++]);
    const out = model.stepAll(unpackFrom(ir.input, inputs, i * ir.input.bytes) as never, c) as readonly Record<string, unknown>[];
    for (const w of wireRecords(ir.output, ir.packet as PacketSpec | null, out)) {
      const buf = new Uint8Array(wire.bytes);
      packInto(wire, w, buf, 0);
      outputs.push(buf);
      from.push(i);
    }
  }
  const status: Record<string, string> = {};
  for (const r of ir.regs) {
    if (!r.status) continue;
    const mv = (model.state as Record<string, unknown>)[r.name];
    status[r.name] = BigInt.asUintN(r.spec.width, typeof mv === 'boolean' ? (mv ? 1n : 0n) : BigInt(mv as number | bigint)).toString();
  }
  return { outputs, from, status };
}

export interface SystemReplay {
  /** Output beats of the composed model, packed as the top emits them, in order. */
  outputs: Uint8Array[];
  /** For each beat, the system input index that produced it. */
  from: number[];
  /** For each beat, whether it is the first of its record (a packet output's record is several beats). */
  first: boolean[];
  /** Every unit's status registers at the end, by `<unit>.<reg>` (unsigned bits, decimal). */
  status: Record<string, string>;
}

/** One unit's register writes as the composed model takes them: param shadows, memory shadow banks, COMMIT, CONTROL. */
function unitWrites(ir: UnitIR, map: RegMap, model: { commit(v: never): void; control(w: number): void }): Map<number, (v: number) => void> {
  const on = new Map<number, (v: number) => void>();
  const std = (n: string) => map.standard.find((r) => r.name === n)!.offset;
  const shadow = new Map<number, number>();
  const ps = map.windows.flatMap((w) => w.params);
  for (const p of ps) for (const w of p.words) (shadow.set(w.offset, w.reset), on.set(w.offset, (v) => shadow.set(w.offset, v)));
  // A host memory: ADDR, the DATA words (the last one writes the entry to the shadow bank and advances ADDR). A
  // COMMIT after any entry was written switches the banks: the shadow becomes live and holds the old live contents
  // (docs/regmap.md), both banks starting at the memory's init.
  const mems = map.windows.flatMap((w) => w.memories).map((m) => {
    const t = ir.tables.find((x) => x.host && x.name === m.name)!;
    const st = { m, spec: t.value, addr: 0, data: m.data.map(() => 0), live: [...t.host!.init], shadow: [...t.host!.init], written: false };
    on.set(m.offset, (v) => (st.addr = v & (m.entries - 1)));
    m.data.forEach((off, k) =>
      on.set(off, (v) => {
        st.data[k] = v;
        if (k < m.data.length - 1) return;
        st.shadow[st.addr] = st.data.reduce((acc, d, i) => acc | (BigInt(d) << BigInt(32 * i)), 0n) & ((1n << BigInt(m.width)) - 1n);
        st.written = true;
        st.addr = (st.addr + 1) & (m.entries - 1);
      }),
    );
    return st;
  });
  let generation = 0;
  on.set(std('CONTROL'), (v) => model.control(v));
  on.set(std('COMMIT'), (v) => {
    if (v === generation) return;
    generation = v;
    const values: Record<string, unknown> = {};
    for (const p of ps) {
      let bits = 0n;
      for (const wd of p.words) bits |= BigInt(shadow.get(wd.offset)! & wd.mask) << BigInt(wd.lsb);
      const q = ir.params.find((x) => x.name === p.name)!;
      const value = fieldValue({ name: p.name, spec: q.spec, lsb: 0 }, bits);
      if (q.vec) ((values[q.vec.name] ??= new Array(q.vec.length)) as unknown[])[q.vec.index] = value;
      else values[p.name] = value;
    }
    for (const st of mems) {
      if (!st.written) continue;
      [st.live, st.shadow] = [st.shadow, st.live];
      st.written = false;
      values[st.m.name] = st.live.map((c) => fieldValue({ name: st.m.name, spec: st.spec, lsb: 0 }, BigInt.asUintN(st.m.width, c)));
    }
    model.commit(values as never);
  });
  return on;
}

/**
 * A system sim card's journal replayed through the composed model (the system file itself): the merged or single
 * input records at the cycles the card took them, each unit's register writes (params, memory loads, COMMIT,
 * CONTROL; offsets by windowMap) applied before the first system input taken after their edge. A write lands in the
 * model between two system inputs, so it is exact while no record is inside the pipeline at its edge (a held feed,
 * or a quiet moment); a record in flight at a COMMIT may see other params in the model than in the RTL.
 */
export async function replaySystemJournal(designFile: string, sys: SystemIR, map: SystemMap, inputs: Uint8Array, j: Journal): Promise<SystemReplay> {
  const { system } = await loadSystem(designFile);
  const model = system.model();
  const on = new Map<number, (v: number) => void>();
  sys.units.forEach((u, k) => {
    for (const [off, f] of unitWrites(u, windowMap(map, u.name), model.models[k] as never)) on.set(off, f);
  });
  const inRec = system.merged ? system.merged.record : sys.units[0].input;
  const last = sys.units[sys.units.length - 1];
  const wire = wireOutput(last);
  const out: SystemReplay = { outputs: [], from: [], first: [], status: {} };
  let w = 0;
  for (let i = 0; i < j.inputs.length; ) {
    while (w < j.writes.length && j.writes[w].cycle < j.inputs[i]) on.get(j.writes[w].offset)?.(j.writes[w++].value);
    // The inputs up to the next write, in one run (the model keeps its state across runs, numbering each from 0).
    let end = i + 1;
    while (end < j.inputs.length && !(w < j.writes.length && j.writes[w].cycle < j.inputs[end])) end++;
    const recs = Array.from({ length: end - i }, (_, k) => unpackFrom(inRec, inputs, (i + k) * inRec.bytes) as Record<string, unknown>);
    for (const o of model.run(recs, j.inputs.slice(i, end))) {
      wireRecords(last.output, last.packet as PacketSpec | null, o.rec).forEach((b, k) => {
        const buf = new Uint8Array(wire.bytes);
        packInto(wire, b, buf, 0);
        out.outputs.push(buf);
        out.from.push(i + o.from);
        out.first.push(k === 0);
      });
    }
    i = end;
  }
  sys.units.forEach((u, k) => {
    for (const r of u.regs) {
      if (!r.status) continue;
      const mv = (model.models[k].state as Record<string, unknown>)[r.name];
      out.status[`${u.name}.${r.name}`] = BigInt.asUintN(r.spec.width, typeof mv === 'boolean' ? (mv ? 1n : 0n) : BigInt(mv as number | bigint)).toString();
    }
  });
  return out;
}
