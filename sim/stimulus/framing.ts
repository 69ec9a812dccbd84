// Session-layer framing inside captures: MoldUDP64 packets (one per UDP datagram) and SoupBinTCP packets (a byte
// stream per TCP direction, reassembled from segments that may carry several packets or part of one).
import { MOLD_HEADER_BYTES, MOLD_END_OF_SESSION_COUNT } from '../../dsl/protocols/moldudp64.ts';
import type { Diagnostics } from './errors.ts';

export interface MoldHeader {
  session: string;
  sequenceNumber: bigint;
  messageCount: number;
}

/**
 * Parses the MoldUDP64 packet in b[o..o+len) (file offset `base` + o). Calls `onHeader` once, then `onBlock` for
 * each complete message block with its sequence number. Returns false if the packet was unusable.
 */
export function readMoldPacket(
  b: Uint8Array,
  o: number,
  len: number,
  base: number,
  diag: Diagnostics,
  onHeader: (h: MoldHeader, offset: number) => void,
  onBlock: (o: number, len: number, seq: bigint) => void,
): boolean {
  if (len < MOLD_HEADER_BYTES) {
    diag.add('mold-truncated-header', base + o, `MoldUDP64: ${len}-byte payload, shorter than the 20-byte header`);
    return false;
  }
  let session = '';
  for (let k = 0; k < 10; k++) session += String.fromCharCode(b[o + k]!);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const sequenceNumber = dv.getBigUint64(o + 10);
  const messageCount = dv.getUint16(o + 18);
  onHeader({ session, sequenceNumber, messageCount }, base + o);
  const end = o + len;
  let p = o + MOLD_HEADER_BYTES;
  const expect = messageCount === MOLD_END_OF_SESSION_COUNT ? 0 : messageCount;
  let k = 0;
  for (; k < expect && p < end; k++) {
    if (p + 2 > end) {
      diag.add('length-past-end', base + p, `MoldUDP64: block ${k} length cut: 1 byte left in the packet`);
      return true;
    }
    const n = (b[p]! << 8) | b[p + 1]!;
    if (p + 2 + n > end) {
      diag.add('length-past-end', base + p, `MoldUDP64: block ${k} of ${n} bytes runs ${p + 2 + n - end} bytes past the end of the packet`);
      return true;
    }
    if (n === 0) diag.add('zero-length', base + p, `MoldUDP64: block ${k} has length 0`);
    else onBlock(p + 2, n, sequenceNumber + BigInt(k));
    p += 2 + n;
  }
  if (k < expect) diag.add('mold-count-mismatch', base + o + 18, `MoldUDP64: count ${messageCount}, the packet holds ${k} blocks`);
  else if (p < end) diag.add('mold-count-mismatch', base + p, `MoldUDP64: count ${messageCount}${messageCount === MOLD_END_OF_SESSION_COUNT ? ' (end of session)' : ''}, but ${end - p} bytes follow the last block`);
  return true;
}

/**
 * One direction of a TCP connection carrying SoupBinTCP: segments in, whole packets out. Retransmitted bytes are
 * dropped; a sequence gap drops the partial packet (counted) and restarts at the new segment.
 */
export class SoupStream {
  private buf = new Uint8Array(0);
  /** File offset of buf[0] and of later segment starts: [bufferPosition, fileOffset] pairs. */
  private marks: Array<[number, number]> = [];
  private next: number | undefined;

  constructor(
    private readonly diag: Diagnostics,
    private readonly onPacket: (b: Uint8Array, o: number, len: number, fileOffset: number) => void,
  ) {}

  private fileOffsetOf(pos: number): number {
    let off = 0;
    for (const [p, f] of this.marks) {
      if (p > pos) break;
      off = f + (pos - p);
    }
    return off;
  }

  /** A segment with sequence number `seq` and payload d[o..o+len) at file offset `fileOffset`. */
  push(seq: number, syn: boolean, d: Uint8Array, o: number, len: number, fileOffset: number): void {
    if (syn) {
      this.next = (seq + 1) >>> 0;
      return;
    }
    if (len === 0) return;
    if (this.next !== undefined) {
      const ahead = (seq - this.next) | 0;
      if (ahead < 0) {
        // Retransmission: keep only bytes not seen yet.
        if (len <= -ahead) return;
        o += -ahead;
        len += ahead;
        fileOffset += -ahead;
        seq = this.next;
      } else if (ahead > 0) {
        this.diag.add('tcp-gap', fileOffset, `SoupBinTCP: ${ahead} bytes of the TCP stream are missing${this.buf.length ? `; a partial packet of ${this.buf.length} bytes is dropped` : ''}`);
        this.buf = new Uint8Array(0);
        this.marks = [];
      }
    }
    this.next = (seq + len) >>> 0;
    const joined = new Uint8Array(this.buf.length + len);
    joined.set(this.buf, 0);
    joined.set(d.subarray(o, o + len), this.buf.length);
    this.marks.push([this.buf.length, fileOffset]);
    this.buf = joined;
    this.drain();
  }

  private drain(): void {
    const b = this.buf;
    let p = 0;
    while (p + 2 <= b.length) {
      const n = (b[p]! << 8) | b[p + 1]!;
      if (n === 0) {
        this.diag.add('zero-length', this.fileOffsetOf(p), 'SoupBinTCP: packet of length 0');
        p += 2;
        continue;
      }
      if (p + 2 + n > b.length) break;
      this.onPacket(b, p + 2, n, this.fileOffsetOf(p));
      p += 2 + n;
    }
    if (p > 0) {
      const marks: Array<[number, number]> = [[0, this.fileOffsetOf(p)]];
      for (const [q, f] of this.marks) if (q > p) marks.push([q - p, f]);
      this.marks = marks;
      this.buf = b.slice(p);
    }
  }

  /** End of capture: a partial packet left is an error. */
  end(): void {
    if (this.buf.length > 0) {
      const need = this.buf.length >= 2 ? 2 + ((this.buf[0]! << 8) | this.buf[1]!) : 2;
      this.diag.add('truncated-stream', this.fileOffsetOf(0), `SoupBinTCP: stream ends inside a packet (${this.buf.length} of ${need} bytes)`);
      this.buf = new Uint8Array(0);
    }
  }
}
