// The messages the ITCH feed parser (examples/itch-feed/feed.ts) emits for a stream of beats, with their MoldUDP64
// sequence numbers, computed independently of the parser: UDP payloads put back together from the beats' valid
// lanes up to `last`, then the MoldUDP64 blocks walked and decoded with the ITCH 5.0 declarations' codec, under the
// parser's documented sequencing rules (feed.ts, SEQUENCING and BAD INPUT). So the reference book reads exactly the
// messages the DSL book reads, for any input string and seed of the feed's stimulus. test/market-maker/
// reference-book.test.ts checks that against the parser's model on clean and hostile streams.
import { itch50, type ItchMessage } from '../../dsl/protocols/itch50.ts';
import { MOLD_END_OF_SESSION_COUNT, MOLD_HEADER_BYTES } from '../../dsl/protocols/moldudp64.ts';
import type { BeatValue } from '../../examples/itch-feed/stimulus.ts';

/** One ITCH message as the book sees it: the MoldUDP64 sequence number (header sequence + block index) and the
 * decoded message. */
export interface SeqMessage {
  seq: bigint;
  message: ItchMessage;
}

/** keep marks lanes 0..n-1 (n >= 1). */
const CONTIGUOUS = new Set([0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, 0xff]);

/**
 * The UDP payloads of a beat stream, as far as the parser reads them: the bytes of the valid lanes of each beat up
 * to the one with `last`. A beat with a malformed keep (not contiguous from lane 0, or not 0xFF without `last`;
 * a `last` beat may have keep 0) ends what is read of its packet: the payload is the bytes before it (the parser
 * ignores the rest of the packet, and the messages it completed before stand).
 */
export function* payloadsOfBeats(beats: Iterable<BeatValue>): Generator<Uint8Array> {
  let buf = new Uint8Array(1536);
  let n = 0;
  let bad = false;
  for (const b of beats) {
    const ok = b.last ? b.keep === 0 || CONTIGUOUS.has(b.keep) : b.keep === 0xff;
    if (!ok) bad = true;
    if (!bad) {
      const lanes = b.keep === 0 ? 0 : 32 - Math.clz32(b.keep);
      if (n + 8 > buf.length) {
        const g = new Uint8Array(buf.length * 2);
        g.set(buf);
        buf = g;
      }
      for (let k = 0; k < lanes; k++) buf[n + k] = (k < 4 ? b.dataLo >>> (8 * k) : b.dataHi >>> (8 * (k - 4))) & 0xff;
      n += lanes;
    }
    if (b.last) {
      yield buf.slice(0, n);
      n = 0;
      bad = false;
    }
  }
}

/**
 * The (sequence number, message) pairs of the well-formed messages of a beat stream, as the feed parser emits them.
 * Per packet: shorter than the 20-byte header, nothing happens. Else the first header after the start (or after
 * an end of session) sets `expected`; a sequence above it moves it there (a gap: nothing is waited for). Blocks
 * ([u16 length][message]) follow up to the header's count (0: heartbeat, 0xFFFF: end of session, no blocks);
 * a block cut by the packet's end ends the packet and consumes nothing. Every complete block, zero-length or
 * malformed included, consumes its sequence number (expected = max(expected, its number + 1)); a block whose number
 * is below `expected` is a duplicate and is dropped; a block that is not one well-formed ITCH 5.0 message of its
 * type's exact length is skipped.
 */
export function* messagesOfBeats(beats: Iterable<BeatValue>): Generator<SeqMessage> {
  const set = itch50();
  let expected: bigint | undefined; // undefined: not synchronized (start, or after an end of session)
  for (const p of payloadsOfBeats(beats)) {
    if (p.length < MOLD_HEADER_BYTES) continue;
    const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const seq0 = dv.getBigUint64(10);
    const count = dv.getUint16(18);
    if (expected === undefined || seq0 > expected) expected = seq0;
    if (count === MOLD_END_OF_SESSION_COUNT) {
      expected = undefined;
      continue;
    }
    let o = MOLD_HEADER_BYTES;
    for (let k = 0; k < count; k++) {
      if (o + 2 > p.length) break;
      const len = (p[o]! << 8) | p[o + 1]!;
      if (o + 2 + len > p.length) break;
      const seq = seq0 + BigInt(k);
      if (seq >= expected) {
        const m = len === 0 ? undefined : set.decode(p, o + 2, len);
        if (m) yield { seq, message: m };
        expected = seq + 1n;
      }
      o += 2 + len;
    }
  }
}
