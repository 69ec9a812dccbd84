// The streaming parts of a system cosim (sim/system.ts, docs/systems.md "Long runs"): the system's inputs cut into
// chunks for the composed model, and packed record streams compared a chunk at a time against the RTL's files, so
// memory stays bounded by the chunk, not the run.
import { type RecordSpec, unpackFrom } from '../dsl/record.ts';
import type { System } from '../dsl/system.ts';
import { RecordReader, StampWindow } from './stream.ts';

/** Records of a file read forward by global index (each index at or after the last one asked for). */
class ForwardRecords {
  private readonly reader: RecordReader;
  private block: Uint8Array = new Uint8Array(0);
  private base = 0;
  private k = 0;

  constructor(file: string, readonly bytes: number) {
    this.reader = new RecordReader(file, bytes);
  }

  get count(): number {
    return this.reader.count;
  }

  /** The bytes of record j, valid until the next call. */
  at(j: number): Uint8Array {
    while (j >= this.base + this.k) {
      this.base += this.k;
      this.block = this.reader.take(1 << 16);
      this.k = this.block.length / this.bytes;
      if (this.k === 0) throw new RangeError(`${this.reader.file}: no record ${j}`);
    }
    if (j < this.base) throw new RangeError(`${this.reader.file}: record ${j} is behind the reader`);
    return this.block.subarray((j - this.base) * this.bytes, (j - this.base + 1) * this.bytes);
  }

  close(): void {
    this.reader.close();
  }
}

const same = (a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number) => {
  for (let k = 0; k < n; k++) if (a[ai + k] !== b[bi + k]) return false;
  return true;
};

export interface StreamMismatch {
  index: number;
  inputIndex: number | null;
  model: Record<string, unknown> | null;
  rtl: Record<string, unknown> | null;
}

/**
 * The model's records of one stream (a channel, the edge), fed a chunk at a time, against the RTL's file, as
 * compareRecords (sim/executor.ts) compares two whole arrays: a missing or extra record counts as a mismatch, and the
 * first difference keeps both records.
 */
export class StreamCompare {
  private readonly rtl: RecordReader;
  private model = 0;
  private compared = 0;
  private mismatches = 0;
  private first: StreamMismatch | null = null;
  /** The first model record beyond the RTL's last. */
  private extra: { index: number; input: number; value: Record<string, unknown> } | null = null;

  constructor(
    readonly rec: RecordSpec,
    rtlFile: string,
  ) {
    this.rtl = new RecordReader(rtlFile, rec.bytes);
  }

  /** The next records of the model, packed; `info(i)` names record i's value and system input. */
  feed(packed: Uint8Array, info: (i: number) => { value: Record<string, unknown>; input: number }): void {
    const b = this.rec.bytes;
    const k = packed.length / b;
    const r = this.rtl.take(k);
    const kr = r.length / b;
    for (let j = 0; j < kr; j++) {
      if (same(packed, j * b, r, j * b, b)) continue;
      this.mismatches++;
      if (!this.first) {
        const x = info(j);
        this.first = { index: this.model + j, inputIndex: x.input, model: x.value, rtl: unpackFrom(this.rec, r, j * b) };
      }
    }
    this.compared += kr;
    if (kr < k && !this.extra) {
      const x = info(kr);
      this.extra = { index: this.model + kr, input: x.input, value: x.value };
    }
    this.model += k;
  }

  finish(): { model: number; rtl: number; compared: number; mismatches: number; first: StreamMismatch | null } {
    const nr = this.rtl.count;
    let first = this.first;
    if (!first && this.model !== nr) {
      if (this.extra) first = { index: this.extra.index, inputIndex: this.extra.input, model: this.extra.value, rtl: null };
      else first = { index: this.model, inputIndex: null, model: null, rtl: unpackFrom(this.rec, this.rtl.take(1), 0) };
    }
    this.rtl.close();
    return { model: this.model, rtl: nr, compared: this.compared, mismatches: this.mismatches + Math.abs(this.model - nr), first };
  }
}

/** Two files of packed records, streamed, as compareRecords compares them; the first difference decoded. */
export function compareFiles(rec: RecordSpec, aFile: string, bFile: string): { a: number; b: number; compared: number; mismatches: number; first: null | { index: number; a: Record<string, unknown> | null; b: Record<string, unknown> | null } } {
  const A = new RecordReader(aFile, rec.bytes);
  const B = new RecordReader(bFile, rec.bytes);
  const n = Math.min(A.count, B.count);
  const bytes = rec.bytes;
  let mismatches = Math.abs(A.count - B.count);
  let first: null | { index: number; a: Record<string, unknown> | null; b: Record<string, unknown> | null } = null;
  for (let j0 = 0; j0 < n; ) {
    const k = Math.min(1 << 16, n - j0);
    const a = A.take(k).slice();
    const b = B.take(k);
    for (let j = 0; j < k; j++) {
      if (same(a, j * bytes, b, j * bytes, bytes)) continue;
      mismatches++;
      first ??= { index: j0 + j, a: unpackFrom(rec, a, j * bytes), b: unpackFrom(rec, b, j * bytes) };
    }
    j0 += k;
  }
  if (!first && A.count !== B.count) first = { index: n, a: A.count > n ? unpackFrom(rec, A.take(1), 0) : null, b: B.count > n ? unpackFrom(rec, B.take(1), 0) : null };
  A.close();
  B.close();
  return { a: A.count, b: B.count, compared: n, mismatches, first };
}

/**
 * A channel's integrity in the RTL, from its two taps' files: what the consumer took is what the producer sent,
 * in order, minus the records flagged dropped. The first record taken that breaks it, and the drops counted.
 */
export function channelIntegrity(rec: RecordSpec, src: { data: string; drops: string; count: number }, dst: { data: string; count: number }): { dropped: number; bad: null | { index: number; rtl: Record<string, unknown> } } {
  const s = new ForwardRecords(src.data, rec.bytes);
  const drops = new StampWindow(src.drops, 1);
  const d = new ForwardRecords(dst.data, rec.bytes);
  let bad: null | { index: number; rtl: Record<string, unknown> } = null;
  let j = 0;
  for (let q = 0; q < d.count; q++) {
    while (j < s.count && drops.at(j) === 1) j++;
    const dq = d.at(q);
    if (j >= s.count || !same(s.at(j), 0, dq, 0, rec.bytes)) {
      bad = { index: q, rtl: unpackFrom(rec, dq, 0) };
      break;
    }
    j++;
    if ((q & 0xffff) === 0) drops.release(j);
  }
  s.close();
  d.close();
  drops.close();
  let dropped = 0;
  const flags = new RecordReader(src.drops, 1);
  for (let b = flags.take(1 << 20); b.length; b = flags.take(1 << 20)) for (const x of b) dropped += x;
  flags.close();
  return { dropped, bad };
}

interface Entry {
  index: number;
  cycle: number;
  rec: Record<string, unknown>;
}

/** The inputs of one system input (port), in order, with the cycles the RTL took them. */
class PortCursor {
  private readonly data: RecordReader;
  private readonly cycles: RecordReader;
  private queue: Entry[] = [];
  private head = 0;
  private next = 0;

  constructor(
    readonly port: number,
    private readonly rec: RecordSpec,
    inputsFile: string,
    inCyclesFile: string,
    private readonly portMask: number,
  ) {
    this.data = new RecordReader(inputsFile, rec.bytes);
    this.cycles = new RecordReader(inCyclesFile, 8);
  }

  peek(): Entry | null {
    while (this.head >= this.queue.length) {
      if (this.data.pos >= this.data.count) return null;
      const d = this.data.take(1 << 16).slice();
      const c = this.cycles.take(d.length / this.rec.bytes);
      const dv = new DataView(c.buffer, c.byteOffset, c.byteLength);
      this.queue = [];
      this.head = 0;
      for (let j = 0; j < d.length / this.rec.bytes; j++, this.next++) {
        if (this.portMask >= 0 && (d[j * this.rec.bytes] & this.portMask) !== this.port) continue;
        this.queue.push({ index: this.next, cycle: dv.getUint32(8 * j, true) + dv.getUint32(8 * j + 4, true) * 2 ** 32, rec: unpackFrom(this.rec, d, j * this.rec.bytes) });
      }
    }
    return this.queue[this.head];
  }

  take(): Entry {
    const e = this.peek()!;
    this.head++;
    return e;
  }

  close(): void {
    this.data.close();
    this.cycles.close();
  }
}

export interface InputChunk {
  /** System input values in input order, the cycle each was taken, and each one's index in the run. */
  records: Array<Record<string, unknown>>;
  cycles: Float64Array;
  index: Float64Array;
  /** Per unit with several inputs (after the first): the earliest cycle it took an outside record in this chunk. */
  firstOutside: Map<number, number>;
}

/**
 * The system's inputs cut into chunks of about `size` by the cycle the RTL took them: a chunk is every input taken
 * before a cycle C (inputs of different system inputs run apart: a unit's outside input can be taken far ahead of the
 * beats). C is moved past outside records into a later unit that come within `margin` cycles after it, so the
 * channel records the chunk still gives that unit are taken before them (checked exactly by the caller).
 */
export class InputChunks {
  private readonly cursors: PortCursor[];
  /** Port -> the unit with several inputs it feeds (after the first), for the ports that do. */
  private readonly late = new Map<number, number>();

  constructor(
    system: System,
    rec: RecordSpec,
    inputsFile: string,
    inCyclesFile: string,
    private readonly size: number,
    private readonly margin: number,
  ) {
    const m = system.merged;
    this.cursors = m ? m.ports.map((_, p) => new PortCursor(p, rec, inputsFile, inCyclesFile, (1 << m.portBits) - 1)) : [new PortCursor(0, rec, inputsFile, inCyclesFile, -1)];
    if (m) system.externals.forEach((x, p) => x.unit > 0 && system.units[x.unit].merged && this.late.set(p, x.unit));
  }

  private earliest(ports: Iterable<PortCursor>): PortCursor | null {
    let best: PortCursor | null = null;
    for (const c of ports) {
      const e = c.peek();
      if (e && (!best || e.cycle < best.peek()!.cycle)) best = c;
    }
    return best;
  }

  next(): InputChunk | null {
    const taken: Entry[] = [];
    const takeBefore = (C: number) => {
      for (const c of this.cursors) while (c.peek() && c.peek()!.cycle < C) taken.push(c.take());
    };
    while (taken.length < this.size) {
      const c = this.earliest(this.cursors);
      if (!c) break;
      taken.push(c.take());
    }
    if (taken.length === 0) return null;
    let C = taken[taken.length - 1].cycle + 1;
    takeBefore(C);
    const lateCursors = [...this.late.keys()].map((p) => this.cursors[p]);
    for (;;) {
      const c = this.earliest(lateCursors);
      if (!c || c.peek()!.cycle >= C + this.margin || taken.length > 2 * this.size) break;
      C = c.peek()!.cycle + 1;
      takeBefore(C);
    }
    taken.sort((a, b) => a.index - b.index);
    const firstOutside = new Map<number, number>();
    for (const [p, u] of this.late) {
      // The cursor of port p took its entries in cycle order: the first of this chunk's is the earliest.
      let min = Infinity;
      for (const e of taken) if (portOf(e, p, this.cursors) && e.cycle < min) min = e.cycle;
      if (min < Infinity) firstOutside.set(u, Math.min(firstOutside.get(u) ?? Infinity, min));
    }
    return { records: taken.map((e) => e.rec), cycles: Float64Array.from(taken, (e) => e.cycle), index: Float64Array.from(taken, (e) => e.index), firstOutside };
  }

  close(): void {
    for (const c of this.cursors) c.close();
  }
}

/** Whether entry e came from port p (a merged event names its input in its `port` field). */
function portOf(e: Entry, p: number, cursors: PortCursor[]): boolean {
  return cursors.length > 1 && (e.rec as { port?: number }).port === p;
}
