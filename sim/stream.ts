// Record files read and written a piece at a time, so a co-simulation of tens of millions of records keeps its
// memory bounded (docs/systems.md "Long runs"): the Verilated harness writes its outputs, taps and cycle stamps to
// files (sim/verilator), the system cosim streams them back chunk by chunk, and writes what the composed model sent
// on each channel for the HLS kernels to read. Little-endian u64 cycle stamps, records back to back.
import fs from 'node:fs';

const BLOCK = 1 << 22;

/** Fixed-size records of a file, read in order: `take(n)` returns the next n (fewer at the end) as one view. */
export class RecordReader {
  private readonly fd: number;
  readonly count: number;
  private buf: Uint8Array = new Uint8Array(0);
  /** Records consumed so far. */
  pos = 0;

  constructor(
    readonly file: string,
    readonly bytes: number,
  ) {
    this.fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(this.fd).size;
    if (size % bytes) throw new Error(`${file}: ${size} bytes is not a whole number of ${bytes}-byte records`);
    this.count = size / bytes;
  }

  /** The next `n` records (fewer at the end of the file), valid until the next call. */
  take(n: number): Uint8Array {
    const k = Math.max(0, Math.min(n, this.count - this.pos));
    const need = k * this.bytes;
    if (this.buf.length < need) this.buf = new Uint8Array(Math.max(need, BLOCK));
    let got = 0;
    while (got < need) {
      const r = fs.readSync(this.fd, this.buf, got, need - got, this.pos * this.bytes + got);
      if (r <= 0) throw new Error(`${this.file}: short read at record ${this.pos}`);
      got += r;
    }
    this.pos += k;
    return this.buf.subarray(0, need);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/**
 * A window over a file of u64 cycle stamps (or of 1-byte flags), indexed by the record's global index: `at(i)` for
 * any i >= the window's start, loading forward as needed; `release(i)` forgets everything before i.
 */
export class StampWindow {
  private readonly reader: RecordReader;
  private lo = 0;
  private vals: Float64Array = new Float64Array(1 << 16);
  private n = 0;

  constructor(file: string, readonly width: 1 | 8) {
    this.reader = new RecordReader(file, width);
  }

  get count(): number {
    return this.reader.count;
  }

  /** The value at global index i (cycles fit a double exactly: the harness's counter is 48 bits). */
  at(i: number): number {
    if (i < this.lo) throw new Error(`${this.reader.file}: record ${i} was released (window starts at ${this.lo})`);
    while (i >= this.lo + this.n) {
      if (this.reader.pos >= this.reader.count) throw new RangeError(`${this.reader.file}: no record ${i} (${this.reader.count} in the file)`);
      this.load();
    }
    return this.vals[i - this.lo];
  }

  private load(): void {
    const b = this.reader.take(1 << 16);
    const k = b.length / this.width;
    if (this.n + k > this.vals.length) {
      const g = new Float64Array(Math.max(2 * this.vals.length, this.n + k));
      g.set(this.vals.subarray(0, this.n));
      this.vals = g;
    }
    if (this.width === 1) for (let j = 0; j < k; j++) this.vals[this.n + j] = b[j];
    else {
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let j = 0; j < k; j++) this.vals[this.n + j] = dv.getUint32(8 * j, true) + dv.getUint32(8 * j + 4, true) * 2 ** 32;
    }
    this.n += k;
  }

  /** Forgets the values before global index i (they are not asked for again). */
  release(i: number): void {
    const drop = Math.min(Math.max(0, i - this.lo), this.n);
    if (drop === 0) return;
    this.vals.copyWithin(0, drop, this.n);
    this.n -= drop;
    this.lo += drop;
  }

  close(): void {
    this.reader.close();
  }
}

/** Appends bytes to a file through a buffer. */
export class FileSink {
  private readonly fd: number;
  private buf = new Uint8Array(BLOCK);
  private used = 0;
  /** Bytes written so far. */
  bytes = 0;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  write(b: Uint8Array): void {
    if (this.used + b.length > this.buf.length) this.flush();
    if (b.length > this.buf.length) {
      fs.writeSync(this.fd, b);
    } else {
      this.buf.set(b, this.used);
      this.used += b.length;
    }
    this.bytes += b.length;
  }

  private readonly scratch = new Uint8Array(8);
  private readonly scratchView = new DataView(this.scratch.buffer);

  /** One little-endian u64 (a cycle stamp: below 2^53). */
  u64(v: number): void {
    this.scratchView.setUint32(0, v % 2 ** 32, true);
    this.scratchView.setUint32(4, Math.floor(v / 2 ** 32), true);
    this.write(this.scratch);
  }

  flush(): void {
    if (this.used) fs.writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** Integer samples counted by value: exact nearest-rank percentiles and the report's histogram without a sort. */
export class Histogram {
  private counts = new Float64Array(256);
  samples = 0;

  add(v: number): void {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`histogram sample ${v} is not a non-negative integer`);
    if (v >= this.counts.length) {
      const g = new Float64Array(Math.max(2 * this.counts.length, v + 1));
      g.set(this.counts);
      this.counts = g;
    }
    this.counts[v]++;
    this.samples++;
  }

  /** The smallest value whose cumulative count reaches `rank` (1-based). */
  private valueAt(rank: number): number {
    let acc = 0;
    for (let v = 0; v < this.counts.length; v++) {
      acc += this.counts[v];
      if (acc >= rank) return v;
    }
    throw new RangeError('rank beyond the samples');
  }

  /** As percentiles() of the sorted samples (sim/system.ts): nearest rank. */
  percentiles(): { min: number; p50: number; p99: number; p999: number; max: number } {
    const n = this.samples;
    const at = (q: number) => this.valueAt(Math.min(n, Math.max(1, Math.ceil(q * n))));
    return { min: this.valueAt(1), p50: at(0.5), p99: at(0.99), p999: at(0.999), max: this.valueAt(n) };
  }

  /** As histogram() of the sorted samples: at most ~40 equal bins from min to max. */
  bins(): Array<{ from: number; to: number; count: number }> {
    const lo = this.valueAt(1);
    const hi = this.valueAt(this.samples);
    const w = Math.max(1, Math.ceil((hi - lo + 1) / 40));
    const bins: Array<{ from: number; to: number; count: number }> = [];
    for (let f = lo; f <= hi; f += w) bins.push({ from: f, to: f + w - 1, count: 0 });
    for (let v = lo; v <= hi; v++) bins[Math.floor((v - lo) / w)].count += this.counts[v];
    return bins;
  }
}
