// NASDAQ BinaryFILE: [u16 big-endian length][message] repeated, no file header.
import type { Diagnostics } from './errors.ts';

/**
 * Calls `onMessage(o, len)` for every record's message b[o..o+len) (`base` is added to offsets in errors). Returns
 * the number of records delivered.
 */
export function readBinaryFile(b: Uint8Array, onMessage: (o: number, len: number) => void, diag: Diagnostics, base = 0): number {
  let o = 0;
  let n = 0;
  const end = b.length;
  while (o < end) {
    if (o + 2 > end) {
      diag.add('truncated-record', base + o, `BinaryFILE: 1 byte left at the end where a 2-byte length belongs`);
      break;
    }
    const len = (b[o]! << 8) | b[o + 1]!;
    if (len === 0) {
      diag.add('zero-length', base + o, 'BinaryFILE: record of length 0');
      o += 2;
      continue;
    }
    if (o + 2 + len > end) {
      diag.add('length-past-end', base + o, `BinaryFILE: record length ${len} runs ${o + 2 + len - end} bytes past the end of the file`);
      break;
    }
    onMessage(o + 2, len);
    n++;
    o += 2 + len;
  }
  return n;
}

/** Appends records to a growing buffer; `bytes()` is the BinaryFILE. */
export class BinaryFileWriter {
  private buf = new Uint8Array(1 << 16);
  private n = 0;
  /** Reserves room for a message of up to `max` bytes; call `commit(len)` after writing it at `at()`. */
  reserve(max: number): Uint8Array {
    if (this.n + 2 + max > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + 2 + max));
      next.set(this.buf.subarray(0, this.n));
      this.buf = next;
    }
    return this.buf;
  }
  at(): number {
    return this.n + 2;
  }
  commit(len: number): void {
    if (len < 1 || len > 0xffff) throw new RangeError(`BinaryFILE: message length ${len} outside 1..65535`);
    this.buf[this.n] = len >> 8;
    this.buf[this.n + 1] = len & 0xff;
    this.n += 2 + len;
  }
  add(msg: Uint8Array): void {
    const b = this.reserve(msg.length);
    b.set(msg, this.at());
    this.commit(msg.length);
  }
  get size(): number {
    return this.n;
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }
}
