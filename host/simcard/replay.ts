// The model's account of a sim card run: the journal lists every input handshake, output handshake and register
// write with its clock cycle, so the design's model (the DSL file itself) can take the same records at the same
// cycles, and every COMMIT and CONTROL write before the first record accepted after its edge (docs/regmap.md: a
// record accepted at the write's edge still sees the old values). Its outputs must equal the card's pcap.
import fs from 'node:fs';
import { wireOutput, type UnitIR } from '../../codegen/ir.ts';
import { fieldValue, packInto, unpackFrom } from '../../dsl/record.ts';
import { type PacketSpec, wireRecords } from '../../dsl/packet.ts';
import { loadDesign } from '../../sim/design.ts';
import type { RegMap } from '../../regmap/index.ts';

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
  const shadow = new Map<number, number>();
  const control = map.standard.find((r) => r.name === 'CONTROL')!.offset;
  const commit = map.standard.find((r) => r.name === 'COMMIT')!.offset;
  const ps = map.windows.flatMap((w) => w.params);
  for (const p of ps) for (const w of p.words) shadow.set(w.offset, w.reset);
  let generation = 0;
  const apply = (w: { offset: number; value: number }) => {
    if (w.offset === control) model.control(w.value);
    else if (w.offset === commit) {
      if (w.value === generation) return;
      generation = w.value;
      const values: Record<string, unknown> = {};
      for (const p of ps) {
        let bits = 0n;
        for (const wd of p.words) bits |= BigInt(shadow.get(wd.offset)! & wd.mask) << BigInt(wd.lsb);
        const spec = ir.params.find((q) => q.name === p.name)!.spec;
        values[p.name] = fieldValue({ name: p.name, spec, lsb: 0 }, bits);
      }
      model.commit(values as never);
    } else if (shadow.has(w.offset)) shadow.set(w.offset, w.value);
  };
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
