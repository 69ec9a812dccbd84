// Streaming ITCH 5.0 parser over MoldUDP64, one 64-bit AXI-Stream beat of a UDP payload per cycle (II = 1). The
// output is a valid strobe with no TREADY (flow 'strobe'), so the input is never stalled: s_axis_tready is high
// whenever the parser is out of reset. Build and co-simulate (from the repository root):
//   npx tickforge build examples/itch-feed/feed.ts --out /tmp/feed
//   npx tickforge cosim examples/itch-feed/feed.ts --input synthetic:20000 --seed 1 --out /tmp/feedc
//
// INPUT  Beat { data u64, keep u8, last bool }: byte b of the beat is data[8b+7:8b] (lane 0 = first byte on the
//        wire), keep[b] marks lane b valid, last ends the UDP datagram (= one MoldUDP64 packet).
// OUTPUT ItchMsg, one decoded ITCH message, at most one per beat (a well-formed message is >= 12 + 2 bytes long, so
//        two never end in one 8-byte beat). It carries every byte of the message once: bytes 0..10 (the common
//        header) decoded, bytes 11..49 as they are. Layout, LSB first (472 bits, 59 bytes of tdata):
//          sequence       [63:0]    MoldUDP64 sequence number of the message (header sequence + index in packet)
//          p0..p3         [319:64]  message bytes 11..42: byte 11+j at word j>>3, bits [8(j%8)+7 : 8(j%8)]
//          p4 (56 bits)   [375:320] message bytes 43..49 likewise (every ITCH 5.0 message is <= 50 bytes)
//          type           [383:376] byte 0, the type character (ASCII)
//          timestamp      [431:384] bytes 5..10 big-endian (ns since midnight)
//          stockLocate    [447:432] bytes 1..2 big-endian
//          trackingNumber [463:448] bytes 3..4 big-endian
//          length         [471:464] message length in bytes (the type's size)
//        p bytes at or beyond `length` are zero. A message field at ITCH offset o (o >= 11) is p byte o - 11: the
//        type-specific part starts on a 64-bit boundary (e.g. an 'A''s order reference number is p0 byte-swapped).
//        Why not seven raw words w0..w6 plus the decoded header: that is 76 bytes, and the cosim harness takes
//        records of at most 64 bytes ("records must be 1 to 64 bytes"); this layout loses nothing.
//
// DESIGN The 20-byte MoldUDP64 header always starts at lane 0 of a packet's first beat, so it is parsed by beat
//        number: beat 0 = session bytes 0..7, beat 1 = session 8..9 + sequence bytes 0..5, beat 2 lanes 0..3 =
//        sequence bytes 6..7 + message count. From lane 4 of beat 2 on, a byte-level state machine runs over the 8
//        lanes of each beat in one step (an unrolled loop; its variables chain from lane to lane):
//          LENHI  (high byte of a block's u16 length)  -> LENLO
//          LENLO  (low byte)  -> BODY, or back to LENHI for a zero length
//          BODY   (message byte k, written into w[k>>3]; at k = length-1 the message ends) -> LENHI
//          SKIP   (the rest of the packet is ignored)
//        The type (byte 0) and the length fix the message's class (ok / unknown type / short / long) at byte 0.
//        A message that ends well-formed and not a duplicate is snapshotted in the lane where it ends and emitted
//        by that beat's step: the record leaves the output register 2 cycles after the handshake of the beat
//        holding the message's last byte (input register -> state stage -> output register).
//
// SEQUENCING  `expected` is the next sequence number wanted. The first packet after reset (or after an
//        end-of-session) sets it without counting a gap. Then, per packet header:
//          sequence > expected: `gaps` + 1 and `lostMessages` + (sequence - expected) (saturating); expected jumps
//                               to sequence (the missing messages are not waited for);
//          sequence < expected: a data packet counts in `dupPackets`; its messages below `expected` are dropped,
//                               each counting in `dupMessages` (a packet overlapping the expected number delivers
//                               the new messages after the duplicates).
//        Every complete block (emitted, dropped as duplicate, or bad, zero-length included) consumes its sequence
//        number: expected = max(expected, its sequence + 1). A block cut by the packet end does not.
//        Count 0 = heartbeat (`heartbeats` + 1; its sequence is checked for a gap like any header). Count 0xFFFF =
//        end of session (`endOfSession` + 1; gap-checked; the next packet re-synchronizes without a gap count).
//        `packets` counts datagrams (beats with last), `messages` records emitted.
//
// BAD INPUT  Every fault is counted once in its status register; no record decoded from a faulty message is ever
//        emitted; the parser is back in sync at the next packet's first beat whatever happened before.
//          badKeep       a beat whose keep is not contiguous from lane 0 (0x01, 0x03, ... 0xFF), or not 0xFF on a
//                        beat without last (a last beat may have keep 0: a null beat that only ends the packet; an
//                        empty datagram is such a beat, counted in truncHeader): the beat is ignored, the message in progress is not emitted and
//                        the rest of the packet is ignored (counted once per packet). Messages already emitted
//                        from the packet stand.
//          truncHeader   last arrives before the 20 header bytes are complete: the packet is ignored.
//          truncMessage  last arrives inside a block (after 1 length byte, after both, or inside the message
//                        body), i.e. a length prefix runs past the packet end (a streaming parser learns the end
//                        from last only): that message is not emitted, its sequence number is not consumed.
//          zeroLength    a block of length 0: its 2 bytes are skipped, it consumes a sequence number and counts
//                        as a block of the packet; parsing goes on with the next block.
//          unknownType   type code not one of the 23 ITCH 5.0 types: the message (its length taken from the
//                        prefix) is skipped, parsing goes on with the next block.
//          shortMessage  known type, length below its size: skipped likewise.
//          longMessage   known type, length above its size: skipped likewise.
//          countMismatch the packet ends on a block boundary with fewer blocks than its count (the blocks present
//                        were processed), or bytes follow the count-th block (they are ignored; for heartbeat and
//                        end-of-session packets any byte after the header): counted once per packet.
//        These outcomes are those of the reference framing (sim/stimulus/framing.ts readMoldPacket + the ITCH
//        decoder); test/itch-feed/feed.test.ts checks them against it on corrupted packets.
//
// ITCH 5.0 sizes (April 2023): S 12, R 39, H 25, Y 20, L 26, V 35, W 12, K 28, J 35, h 21, A 36, F 40, E 31, C 36,
// X 23, D 19, U 35, P 44, Q 40, B 19, I 50, N 20, O 48 (the test checks them against dsl/protocols/itch50.ts).
import { record, unit, reg, u, bool, char, wrap, sat, min, bits, bitsBig, bit } from 'tickforge/dsl';

export const Beat = record('Beat', { data: u(64), keep: u(8), last: bool() });

export const ItchMsg = record('ItchMsg', {
  sequence: u(64),
  p0: u(64),
  p1: u(64),
  p2: u(64),
  p3: u(64),
  p4: u(56),
  type: char(),
  timestamp: u(48),
  stockLocate: u(16),
  trackingNumber: u(16),
  length: u(8),
});

// Block-level phases.
const LENHI = 0;
const LENLO = 1;
const BODY = 2;
const SKIP = 3;
// Message classes, fixed at byte 0.
const OK = 0;
const UNKNOWN = 1;
const SHORT = 2;
const LONG = 3;

const MAX_BYTES = 50; // the largest ITCH 5.0 message ('I'); bytes beyond are not stored
const Counter = u(32);

/** The size of ITCH 5.0 message type `t` (an ASCII code), 0 for an unknown type. */
function itchSize(t: number): number {
  if (t === 0x41) return 36; // A
  if (t === 0x55) return 35; // U
  if (t === 0x46) return 40; // F
  if (t === 0x44) return 19; // D
  if (t === 0x45) return 31; // E
  if (t === 0x58) return 23; // X
  if (t === 0x43) return 36; // C
  if (t === 0x50) return 44; // P
  if (t === 0x51) return 40; // Q
  if (t === 0x49) return 50; // I
  if (t === 0x53) return 12; // S
  if (t === 0x52) return 39; // R
  if (t === 0x48) return 25; // H
  if (t === 0x59) return 20; // Y
  if (t === 0x4c) return 26; // L
  if (t === 0x56) return 35; // V
  if (t === 0x57) return 12; // W
  if (t === 0x4b) return 28; // K
  if (t === 0x4a) return 35; // J
  if (t === 0x68) return 21; // h
  if (t === 0x42) return 19; // B
  if (t === 0x4e) return 20; // N
  if (t === 0x4f) return 48; // O
  return 0;
}

/** The type character of a known type code (only well-formed messages are emitted). */
function typeChar(t: number): string {
  if (t === 0x41) return 'A';
  if (t === 0x55) return 'U';
  if (t === 0x46) return 'F';
  if (t === 0x44) return 'D';
  if (t === 0x45) return 'E';
  if (t === 0x58) return 'X';
  if (t === 0x43) return 'C';
  if (t === 0x50) return 'P';
  if (t === 0x51) return 'Q';
  if (t === 0x49) return 'I';
  if (t === 0x53) return 'S';
  if (t === 0x52) return 'R';
  if (t === 0x48) return 'H';
  if (t === 0x59) return 'Y';
  if (t === 0x4c) return 'L';
  if (t === 0x56) return 'V';
  if (t === 0x57) return 'W';
  if (t === 0x4b) return 'K';
  if (t === 0x4a) return 'J';
  if (t === 0x68) return 'h';
  if (t === 0x42) return 'B';
  if (t === 0x4e) return 'N';
  if (t === 0x4f) return 'O';
  return '?';
}

/** The class of a message of type byte `t` and length `len`. */
function classify(t: number, len: number): number {
  const size = itchSize(t);
  if (size === 0) return UNKNOWN;
  if (len < size) return SHORT;
  if (len > size) return LONG;
  return OK;
}

/** Word `word` with message byte `k` (= `byte`) ORed into its lane when k falls in this word. */
function put(w: bigint, word: number, k: number, byte: number): bigint {
  let r = w;
  for (let p = 0; p < 8; p++) {
    if (k === word * 8 + p && word * 8 + p < MAX_BYTES) r = r | (BigInt(byte) << BigInt(8 * p));
  }
  return r;
}

/** The low `n` bytes of `x` in reverse order (little-endian lanes to a big-endian number). */
function bswap(x: bigint, n: number): bigint {
  let r = 0n;
  for (let i = 0; i < 8; i++) {
    if (i < n) r = r | (bitsBig(x, 8 * i + 7, 8 * i) << BigInt(8 * (n - 1 - i)));
  }
  return r;
}

/** keep is 0x01, 0x03, ..., 0xFF. */
function contiguous(keep: number): boolean {
  return keep === 0x01 || keep === 0x03 || keep === 0x07 || keep === 0x0f || keep === 0x1f || keep === 0x3f || keep === 0x7f || keep === 0xff;
}

export default unit({
  name: 'itch_feed',
  input: Beat,
  output: ItchMsg,
  flow: 'strobe',
  state: {
    // ---- per-packet parser state (reset by every beat with last)
    beat: reg(u(2), 0), // beat number within the packet, saturating at 3
    drop: reg(bool(), false), // a malformed beat was seen: ignore the rest of the packet
    seqHi: reg(u(48), 0), // beat 1 lanes 2..7 as they are (sequence bytes 0..5, byte 0 lowest)
    hdrSeq: reg(u(64), 0n), // header sequence number
    cnt: reg(u(16), 0), // blocks announced (0 for heartbeat and end of session)
    dupBelow: reg(u(16), 0), // the first dupBelow blocks of this packet are duplicates
    ph: reg(u(2), LENHI),
    idx: reg(u(16), 0), // blocks completed in this packet
    lenHi: reg(u(8), 0),
    len: reg(u(16), 0),
    k: reg(u(16), 0), // index of the next message byte
    cls: reg(u(2), OK),
    w0: reg(u(64), 0n),
    w1: reg(u(64), 0n),
    w2: reg(u(64), 0n),
    w3: reg(u(64), 0n),
    w4: reg(u(64), 0n),
    w5: reg(u(64), 0n),
    w6: reg(u(64), 0n),
    // ---- sequence tracking
    synced: reg(bool(), false),
    expected: reg(u(64), 0n),
    // ---- status registers (host-readable)
    packets: reg(Counter, 0, { status: true, doc: 'UDP datagrams received (beats with last)' }),
    messages: reg(Counter, 0, { status: true, doc: 'ITCH messages emitted' }),
    gaps: reg(Counter, 0, { status: true, doc: 'packets whose sequence number was above the expected one' }),
    lostMessages: reg(Counter, 0, { status: true, doc: 'sequence numbers skipped by gaps (saturating)' }),
    dupPackets: reg(Counter, 0, { status: true, doc: 'data packets starting below the expected sequence number' }),
    dupMessages: reg(Counter, 0, { status: true, doc: 'well-formed messages below the expected sequence number, dropped' }),
    heartbeats: reg(Counter, 0, { status: true, doc: 'heartbeat packets (count 0)' }),
    endOfSession: reg(Counter, 0, { status: true, doc: 'end-of-session packets (count 0xFFFF)' }),
    badKeep: reg(Counter, 0, { status: true, doc: 'packets with a malformed keep (rest of the packet ignored)' }),
    truncHeader: reg(Counter, 0, { status: true, doc: 'packets ending inside the 20-byte MoldUDP64 header' }),
    truncMessage: reg(Counter, 0, { status: true, doc: 'packets ending inside a block (length prefix past the end)' }),
    zeroLength: reg(Counter, 0, { status: true, doc: 'blocks of length 0, skipped' }),
    unknownType: reg(Counter, 0, { status: true, doc: 'messages of an unknown type, skipped' }),
    shortMessage: reg(Counter, 0, { status: true, doc: 'messages shorter than their type, skipped' }),
    longMessage: reg(Counter, 0, { status: true, doc: 'messages longer than their type, skipped' }),
    countMismatch: reg(Counter, 0, { status: true, doc: 'packets whose message count disagrees with the blocks present' }),
  },
  step(x, { state: s }) {
    const keepOk = x.last ? x.keep === 0 || contiguous(x.keep) : x.keep === 0xff; // keep 0 + last: a null end beat
    const live = !s.drop && keepOk; // this beat is parsed
    if (!s.drop && !keepOk) {
      s.badKeep = sat(s.badKeep + 1, Counter);
      s.drop = true;
    }

    // ---- MoldUDP64 header, by beat number
    let hdrDone = false; // the header completed in this beat (beat 2, lanes 0..3 present)
    if (live && s.beat === 1) {
      s.seqHi = bits(x.data, 63, 16); // raw lanes 2..7 = sequence bytes 0..5
    }
    if (live && s.beat === 2 && bit(x.keep, 3)) {
      hdrDone = true;
      const seq = (bswap(BigInt(s.seqHi), 6) << 16n) | bswap(bitsBig(x.data, 15, 0), 2);
      const rawCnt = Number(bswap(bitsBig(x.data, 31, 16), 2));
      s.hdrSeq = seq;
      s.cnt = rawCnt === 0xffff ? 0 : rawCnt;
      if (rawCnt === 0) s.heartbeats = sat(s.heartbeats + 1, Counter);
      if (rawCnt === 0xffff) s.endOfSession = sat(s.endOfSession + 1, Counter);
      if (!s.synced) {
        s.synced = true;
        s.expected = seq;
      } else if (seq > s.expected) {
        s.gaps = sat(s.gaps + 1, Counter);
        const missing = min(wrap(seq - s.expected, u(64)), 0xffff_ffffn);
        s.lostMessages = sat(s.lostMessages + Number(missing), Counter);
        s.expected = seq;
      }
      s.dupBelow = seq < s.expected ? Number(min(wrap(s.expected - seq, u(64)), 0xffffn)) : 0;
      if (s.dupBelow !== 0 && s.cnt !== 0) s.dupPackets = sat(s.dupPackets + 1, Counter);
      if (rawCnt === 0xffff) s.synced = false; // the next packet starts a new session
    }

    // ---- blocks: a byte-level state machine over the 8 lanes
    let ph = s.ph;
    let idx = s.idx;
    let lenHi = s.lenHi;
    let len = s.len;
    let k = s.k;
    let cls = s.cls;
    let w0 = s.w0;
    let w1 = s.w1;
    let w2 = s.w2;
    let w3 = s.w3;
    let w4 = s.w4;
    let w5 = s.w5;
    let w6 = s.w6;
    let emit = false;
    let eIdx = 0;
    let eLen = 0;
    let e0 = 0n;
    let e1 = 0n;
    let e2 = 0n;
    let e3 = 0n;
    let e4 = 0n;
    let e5 = 0n;
    let e6 = 0n;
    let nZero = 0;
    let nUnknown = 0;
    let nShort = 0;
    let nLong = 0;
    let nDup = 0;
    let extra = false; // bytes after the count-th block
    const blocks = s.beat === 3 || hdrDone; // beat 2 carries blocks from lane 4 on
    for (let b = 0; b < 8; b++) {
      if (live && blocks && (b >= 4 || s.beat === 3) && bit(x.keep, b)) {
        const byte = bits(x.data, 8 * b + 7, 8 * b);
        if (ph === LENHI) {
          if (idx >= s.cnt) {
            extra = true;
            ph = SKIP;
          } else {
            lenHi = byte;
            ph = LENLO;
          }
        } else if (ph === LENLO) {
          len = lenHi * 256 + byte;
          if (len === 0) {
            nZero = nZero + 1;
            idx = wrap(idx + 1, u(16));
            ph = LENHI;
          } else {
            k = 0;
            w0 = 0n;
            w1 = 0n;
            w2 = 0n;
            w3 = 0n;
            w4 = 0n;
            w5 = 0n;
            w6 = 0n;
            ph = BODY;
          }
        } else if (ph === BODY) {
          if (k === 0) cls = classify(byte, len);
          w0 = put(w0, 0, k, byte);
          w1 = put(w1, 1, k, byte);
          w2 = put(w2, 2, k, byte);
          w3 = put(w3, 3, k, byte);
          w4 = put(w4, 4, k, byte);
          w5 = put(w5, 5, k, byte);
          w6 = put(w6, 6, k, byte);
          if (k + 1 === len) {
            if (cls === UNKNOWN) nUnknown = nUnknown + 1;
            else if (cls === SHORT) nShort = nShort + 1;
            else if (cls === LONG) nLong = nLong + 1;
            else if (idx < s.dupBelow) nDup = nDup + 1;
            else {
              emit = true;
              eIdx = idx;
              eLen = len;
              e0 = w0;
              e1 = w1;
              e2 = w2;
              e3 = w3;
              e4 = w4;
              e5 = w5;
              e6 = w6;
            }
            idx = wrap(idx + 1, u(16));
            ph = LENHI;
          } else {
            k = wrap(k + 1, u(16));
          }
        }
      }
    }
    s.ph = ph;
    s.idx = idx;
    s.lenHi = lenHi;
    s.len = len;
    s.k = k;
    s.cls = cls;
    s.w0 = w0;
    s.w1 = w1;
    s.w2 = w2;
    s.w3 = w3;
    s.w4 = w4;
    s.w5 = w5;
    s.w6 = w6;
    s.zeroLength = sat(s.zeroLength + nZero, Counter);
    s.unknownType = sat(s.unknownType + nUnknown, Counter);
    s.shortMessage = sat(s.shortMessage + nShort, Counter);
    s.longMessage = sat(s.longMessage + nLong, Counter);
    s.dupMessages = sat(s.dupMessages + nDup, Counter);
    if (extra) s.countMismatch = sat(s.countMismatch + 1, Counter);

    // Every complete block consumed its sequence number.
    if (idx !== 0) {
      const next = wrap(s.hdrSeq + BigInt(idx), u(64));
      if (next > s.expected) s.expected = next;
    }

    // ---- packet end
    if (x.last) {
      s.packets = sat(s.packets + 1, Counter);
      if (live) {
        if (!blocks) s.truncHeader = sat(s.truncHeader + 1, Counter);
        else if (ph === LENLO || ph === BODY) s.truncMessage = sat(s.truncMessage + 1, Counter);
        else if (ph === LENHI && idx < s.cnt) s.countMismatch = sat(s.countMismatch + 1, Counter);
      }
      s.beat = 0;
      s.drop = false;
      s.ph = LENHI;
      s.idx = 0;
      s.cnt = 0;
      s.dupBelow = 0;
    } else if (s.beat !== 3) {
      s.beat = wrap(s.beat + 1, u(2));
    }

    if (!emit) return undefined;
    s.messages = sat(s.messages + 1, Counter);
    return {
      sequence: wrap(s.hdrSeq + BigInt(eIdx), u(64)),
      p0: bitsBig(e1, 63, 24) | (bitsBig(e2, 23, 0) << 40n),
      p1: bitsBig(e2, 63, 24) | (bitsBig(e3, 23, 0) << 40n),
      p2: bitsBig(e3, 63, 24) | (bitsBig(e4, 23, 0) << 40n),
      p3: bitsBig(e4, 63, 24) | (bitsBig(e5, 23, 0) << 40n),
      p4: bitsBig(e5, 63, 24) | (bitsBig(e6, 15, 0) << 40n),
      timestamp: Number((bswap(bitsBig(e0, 63, 40), 3) << 24n) | bswap(bitsBig(e1, 23, 0), 3)),
      stockLocate: Number(bswap(bitsBig(e0, 23, 8), 2)),
      trackingNumber: Number(bswap(bitsBig(e0, 39, 24), 2)),
      type: typeChar(bits(e0, 7, 0)),
      length: wrap(eLen, u(8)),
    };
  },
});

// Host-side stimulus for cosim (ordinary JavaScript, never compiled): examples/itch-feed/stimulus.ts.
export { stimulus, beatsOf, moldPayloads, pcapPayloads, type BeatValue } from './stimulus.ts';
