// The ITCH feed parser as it was before the reformulation for the clock (commit f7f2e81, byte-by-byte state machine),
// kept as the differential reference of test/itch-feed/reformulation.test.ts. Not built; only its model runs.
// Streaming ITCH 5.0 parser over MoldUDP64, one 64-bit AXI-Stream beat of a UDP payload per cycle (II = 1). The
// output is a valid strobe with no TREADY (flow 'strobe'), so the input is never stalled: s_axis_tready is high
// whenever the parser is out of reset. Build and co-simulate (from the repository root):
//   npx tickforge build examples/itch-feed/feed.ts --out /tmp/feed
//   npx tickforge cosim examples/itch-feed/feed.ts --input synthetic:20000 --seed 1 --out /tmp/feedc
//
// INPUT  Beat { dataLo u32, dataHi u32, keep u8, last bool }: the 64 data bits are tdata[63:0] = {dataHi, dataLo};
//        byte b of the beat is tdata[8b+7:8b] (lane 0 = first byte on the wire; lanes 0..3 in dataLo, 4..7 in dataHi:
//        two `number`s in the model rather than one u64 bigint), keep[b] marks lane b valid, last ends the UDP
//        datagram (= one MoldUDP64 packet).
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
//          BODY   (message byte k; at k = length-1 the message ends) -> LENHI
//          SKIP   (the rest of the packet is ignored)
//        The type (byte 0) and the length fix the message's class (ok / unknown type / short / long) at byte 0.
//        Bytes 0..10 (type, stock locate, tracking number, timestamp) are shifted into small registers as they pass.
//        The body is not moved byte by byte: every beat is kept as it arrived, in raw registers r0..r6 (32-bit
//        halves), r0 being the beat that holds byte 0 (at lane `st`); byte k is then lane (st + k) % 8 of raw beat
//        (st + k) / 8. A message that ends well-formed and not a duplicate is snapshotted (header fields, length,
//        index) in the lane where it ends and emitted by that beat's step, p0..p4 cut out of its raw beats and the
//        current one by a byte-granular funnel shift by st (8 cases), bytes at or beyond the length zeroed (an
//        emitted message is >= 12 bytes, so it began in an earlier beat: r0..r6 are still its own). The record
//        leaves the output register 2 cycles after the handshake of the beat holding the message's last byte
//        (input register -> state stage -> output register).
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
import { record, unit, reg, u, bool, char, wrap, sat, min, bits, bit } from 'tickforge/dsl';

// The 64 data bits as two 32-bit halves: the same tdata bits as one u(64) field would be, but `number`s in the model,
// where a u(64) is a bigint to take apart on every beat.
export const Beat = record('Beat', { dataLo: u(32), dataHi: u(32), keep: u(8), last: bool() });

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

const Counter = u(32);
const U3 = u(3);
const U64 = u(64);

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

/** The low `n` bytes of the 48-bit number x (n <= 6). */
function lowBytes6(x: number, n: number): number {
  if (n <= 0) return 0;
  if (n === 1) return bits(x, 7, 0);
  if (n === 2) return bits(x, 15, 0);
  if (n === 3) return bits(x, 23, 0);
  if (n === 4) return bits(x, 31, 0);
  if (n === 5) return bits(x, 39, 0);
  return x;
}
/** The u64 of bytes 0..5 (`lo`, 48 bits) and 6..7 (`top`, 16 bits), keeping only the low `n` bytes (p bytes at or
 * beyond the message length are zero). */
function word(lo: number, top: number, n: number): bigint {
  if (n >= 8) return BigInt(lo) | (BigInt(top) << 48n);
  return word7(lo, top, n);
}
/** The same for at most 7 bytes (p4: 56 bits). */
function word7(lo: number, top: number, n: number): bigint {
  if (n >= 7) return BigInt(lo) | (BigInt(bits(top, 7, 0)) << 48n);
  return BigInt(lowBytes6(lo, n));
}
// The p word that starts at byte 11 + 8j of a message whose byte 0 is at lane st of raw beat 0 starts at lane
// (st + 3) % 8 of raw beat j + 1 + (st + 3) / 8: it lies in the 20 bytes w0..w4 = raw beats j + 1, j + 2 (32-bit
// halves) and the first half of raw beat j + 3, from byte st + 3 on. One case per value of st (a mux of wirings).
// Byte-aligned concatenations are written x + y * 2^k with x < 2^k: no carry, so the hardware is wiring (the
// constant multiply is a shift), and the model stays in exact double arithmetic (every value below 2^48).
/** Bytes st+3 .. st+8 of the 20 bytes w0 (bytes 0..3), w1, w2, w3, (w4), as a 48-bit number. */
function low6(w0: number, w1: number, w2: number, w3: number, st: number): number {
  if (st === 0) return bits(w0, 31, 24) + w1 * 0x100 + bits(w2, 7, 0) * 0x10000000000;
  if (st === 1) return w1 + bits(w2, 15, 0) * 0x100000000;
  if (st === 2) return bits(w1, 31, 8) + bits(w2, 23, 0) * 0x1000000;
  if (st === 3) return bits(w1, 31, 16) + w2 * 0x10000;
  if (st === 4) return bits(w1, 31, 24) + w2 * 0x100 + bits(w3, 7, 0) * 0x10000000000;
  if (st === 5) return w2 + bits(w3, 15, 0) * 0x100000000;
  if (st === 6) return bits(w2, 31, 8) + bits(w3, 23, 0) * 0x1000000;
  return bits(w2, 31, 16) + w3 * 0x10000;
}
/** Bytes st+9 .. st+10 of the same 20 bytes (w2 = bytes 8..11, w3, w4 = bytes 16..19), as a 16-bit number. */
function top2(w2: number, w3: number, w4: number, st: number): number {
  if (st === 0) return bits(w2, 23, 8);
  if (st === 1) return bits(w2, 31, 16);
  if (st === 2) return bits(w2, 31, 24) + bits(w3, 7, 0) * 0x100;
  if (st === 3) return bits(w3, 15, 0);
  if (st === 4) return bits(w3, 23, 8);
  if (st === 5) return bits(w3, 31, 16);
  if (st === 6) return bits(w3, 31, 24) + bits(w4, 7, 0) * 0x100;
  return bits(w4, 15, 0);
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
    // ---- the message in progress: header bytes as they pass, the body as the raw beats it arrived in
    typ: reg(u(8), 0), // byte 0
    sl: reg(u(16), 0), // bytes 1..2 (big-endian)
    tn: reg(u(16), 0), // bytes 3..4
    tsHi: reg(u(24), 0), // bytes 5..7
    tsLo: reg(u(24), 0), // bytes 8..10
    st: reg(u(3), 0), // lane of byte 0 in its beat (raw beat 0)
    tb: reg(u(3), 0), // raw beat index of the next beat (saturating at 7)
    // raw beats 1..6 of the message as 32-bit halves (rNl lanes 0..3, rNh lanes 4..7): byte k is lane (st + k) % 8
    // of raw beat (st + k) / 8. Raw beat 0 (holding byte 0) is not kept: bytes 0..10 are in the registers above.
    r1l: reg(u(32), 0),
    r1h: reg(u(32), 0),
    r2l: reg(u(32), 0),
    r2h: reg(u(32), 0),
    r3l: reg(u(32), 0),
    r3h: reg(u(32), 0),
    r4l: reg(u(32), 0),
    r4h: reg(u(32), 0),
    r5l: reg(u(32), 0),
    r5h: reg(u(32), 0),
    r6l: reg(u(32), 0),
    r6h: reg(u(32), 0),
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
    // The beat's bytes as numbers: lanes 0..3 and 4..7 as 32-bit halves, then one byte per lane.
    const lo = x.dataLo;
    const hi = x.dataHi;
    const q0 = bits(lo, 15, 0);
    const q1 = lo >>> 16;
    const q2 = bits(hi, 15, 0);
    const q3 = hi >>> 16;
    const y0 = q0 & 0xff;
    const y1 = q0 >> 8;
    const y2 = q1 & 0xff;
    const y3 = q1 >> 8;
    const y4 = q2 & 0xff;
    const y5 = q2 >> 8;
    const y6 = q3 & 0xff;
    const y7 = q3 >> 8;

    // ---- MoldUDP64 header, by beat number
    let hdrDone = false; // the header completed in this beat (beat 2, lanes 0..3 present)
    if (live && s.beat === 1) {
      s.seqHi = bits(lo, 31, 16) + hi * 0x10000; // raw lanes 2..7 = sequence bytes 0..5 (a concatenation)
    }
    if (live && s.beat === 2 && bit(x.keep, 3)) {
      hdrDone = true;
      // Big-endian sequence bytes 0..2, 3..5 (seqHi, byte 0 lowest) and 6..7 (lanes 0..1).
      const sq = s.seqHi;
      const sqA = (bits(sq, 7, 0) << 16) | (bits(sq, 15, 8) << 8) | bits(sq, 23, 16);
      const sqB = (bits(sq, 31, 24) << 16) | (bits(sq, 39, 32) << 8) | bits(sq, 47, 40);
      const seq = (BigInt(sqA * 0x1000000 + sqB) << 16n) | BigInt((y0 << 8) | y1);
      const rawCnt = (y2 << 8) | y3;
      s.hdrSeq = seq;
      s.cnt = rawCnt === 0xffff ? 0 : rawCnt;
      if (rawCnt === 0) s.heartbeats = sat(s.heartbeats + 1, Counter);
      if (rawCnt === 0xffff) s.endOfSession = sat(s.endOfSession + 1, Counter);
      if (!s.synced) {
        s.synced = true;
        s.expected = seq;
      } else if (seq > s.expected) {
        s.gaps = sat(s.gaps + 1, Counter);
        const missing = min(wrap(seq - s.expected, U64), 0xffff_ffffn);
        s.lostMessages = sat(s.lostMessages + Number(missing), Counter);
        s.expected = seq;
      }
      s.dupBelow = seq < s.expected ? Number(min(wrap(s.expected - seq, U64), 0xffffn)) : 0;
      if (s.dupBelow !== 0 && s.cnt !== 0) s.dupPackets = sat(s.dupPackets + 1, Counter);
      if (rawCnt === 0xffff) s.synced = false; // the next packet starts a new session
    }

    // ---- blocks: a byte-level state machine over the 8 lanes
    const blocks = s.beat === 3 || hdrDone; // beat 2 carries blocks from lane 4 on
    const lanes = live && blocks ? (s.beat === 3 ? x.keep : x.keep & 0xf0) : 0; // the lanes parsed
    let ph = s.ph;
    let idx = s.idx;
    let lenHi = s.lenHi;
    let len = s.len;
    let k = s.k;
    let cls = s.cls;
    let typ = s.typ;
    let sl = s.sl;
    let tn = s.tn;
    let tsHi = s.tsHi;
    let tsLo = s.tsLo;
    let started = false; // a message's byte 0 is in this beat
    let st = s.st;
    let emit = false;
    let eIdx = 0;
    let eLen = 0;
    let eTyp = 0;
    let eSl = 0;
    let eTn = 0;
    let eTsHi = 0;
    let eTsLo = 0;
    let nZero = 0;
    let nUnknown = 0;
    let nShort = 0;
    let nLong = 0;
    let nDup = 0;
    let extra = false; // bytes after the count-th block
    for (let b = 0; b < 8; b++) {
      if (((lanes >> b) & 1) === 1) {
        const byte = b === 0 ? y0 : b === 1 ? y1 : b === 2 ? y2 : b === 3 ? y3 : b === 4 ? y4 : b === 5 ? y5 : b === 6 ? y6 : y7;
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
            idx = (idx + 1) & 0xffff;
            ph = LENHI;
          } else {
            k = 0;
            ph = BODY;
          }
        } else if (ph === BODY) {
          if (k < 11) {
            if (k === 0) {
              cls = classify(byte, len);
              typ = byte;
              started = true;
              st = b;
            } else if (k < 3) sl = ((sl & 0xff) << 8) | byte;
            else if (k < 5) tn = ((tn & 0xff) << 8) | byte;
            else if (k < 8) tsHi = ((tsHi & 0xffff) << 8) | byte;
            else tsLo = ((tsLo & 0xffff) << 8) | byte;
          }
          if (k + 1 === len) {
            if (cls === UNKNOWN) nUnknown = nUnknown + 1;
            else if (cls === SHORT) nShort = nShort + 1;
            else if (cls === LONG) nLong = nLong + 1;
            else if (idx < s.dupBelow) nDup = nDup + 1;
            else {
              emit = true;
              eIdx = idx;
              eLen = len;
              eTyp = typ;
              eSl = sl;
              eTn = tn;
              eTsHi = tsHi;
              eTsLo = tsLo;
            }
            idx = (idx + 1) & 0xffff;
            ph = LENHI;
          } else {
            k = (k + 1) & 0xffff;
          }
        }
      }
    }
    s.ph = ph;
    s.len = len;
    s.lenHi = lenHi;
    s.k = k;
    s.cls = cls;
    s.typ = typ;
    s.sl = sl;
    s.tn = tn;
    s.tsHi = tsHi;
    s.tsLo = tsLo;
    // (sat(x + 0) is x: the guards change no value; they spare the model five calls per beat, and the Yosys
    // mapping is no larger with them.)
    if (nZero !== 0) s.zeroLength = sat(s.zeroLength + nZero, Counter);
    if (nUnknown !== 0) s.unknownType = sat(s.unknownType + nUnknown, Counter);
    if (nShort !== 0) s.shortMessage = sat(s.shortMessage + nShort, Counter);
    if (nLong !== 0) s.longMessage = sat(s.longMessage + nLong, Counter);
    if (nDup !== 0) s.dupMessages = sat(s.dupMessages + nDup, Counter);
    if (extra) s.countMismatch = sat(s.countMismatch + 1, Counter);

    // Every complete block consumed its sequence number. Within a packet idx only grows and `expected` only rises
    // after the header, so comparing in the beats where a block completed (idx changed) is enough.
    if (idx !== s.idx && idx !== 0) {
      const next = wrap(s.hdrSeq + BigInt(idx), U64);
      if (next > s.expected) s.expected = next;
    }
    s.idx = idx;

    // ---- the emitted message's body: p0..p4 = bytes 11..49, cut out of its raw beats (bN = raw beat N as 32-bit
    // halves; the current beat is raw beat tb, the beats after it are never read for bytes below the length).
    let p0 = 0n;
    let p1 = 0n;
    let p2 = 0n;
    let p3 = 0n;
    let p4 = 0n;
    if (emit) {
      const cur = s.tb;
      const b1l = cur > 1 ? s.r1l : lo;
      const b1h = cur > 1 ? s.r1h : hi;
      const b2l = cur > 2 ? s.r2l : lo;
      const b2h = cur > 2 ? s.r2h : hi;
      const b3l = cur > 3 ? s.r3l : lo;
      const b3h = cur > 3 ? s.r3h : hi;
      const b4l = cur > 4 ? s.r4l : lo;
      const b4h = cur > 4 ? s.r4h : hi;
      const b5l = cur > 5 ? s.r5l : lo;
      const b5h = cur > 5 ? s.r5h : hi;
      const b6l = cur > 6 ? s.r6l : lo;
      const b6h = cur > 6 ? s.r6h : hi;
      // (raw beat 7, needed by p4 for st >= 6, can only be the current one)
      const st0 = s.st;
      const n = eLen - 11; // bytes of p0..p4
      p0 = n <= 0 ? 0n : word(low6(b1l, b1h, b2l, b2h, st0), top2(b2l, b2h, b3l, st0), n);
      p1 = n <= 8 ? 0n : word(low6(b2l, b2h, b3l, b3h, st0), top2(b3l, b3h, b4l, st0), n - 8);
      p2 = n <= 16 ? 0n : word(low6(b3l, b3h, b4l, b4h, st0), top2(b4l, b4h, b5l, st0), n - 16);
      p3 = n <= 24 ? 0n : word(low6(b4l, b4h, b5l, b5h, st0), top2(b5l, b5h, b6l, st0), n - 24);
      p4 = n <= 32 ? 0n : word7(low6(b5l, b5h, b6l, b6h, st0), top2(b6l, b6h, lo, st0), n - 32);
    }

    // ---- raw beats: this beat is raw beat 0 of the message whose byte 0 it holds, else raw beat tb of the current one
    if (started) {
      s.st = st;
      s.tb = 1;
    } else {
      const cur = s.tb;
      if (cur === 1) {
        s.r1l = lo;
        s.r1h = hi;
      } else if (cur === 2) {
        s.r2l = lo;
        s.r2h = hi;
      } else if (cur === 3) {
        s.r3l = lo;
        s.r3h = hi;
      } else if (cur === 4) {
        s.r4l = lo;
        s.r4h = hi;
      } else if (cur === 5) {
        s.r5l = lo;
        s.r5h = hi;
      } else if (cur === 6) {
        s.r6l = lo;
        s.r6h = hi;
      }
      s.tb = sat(cur + 1, U3);
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
      s.beat = (s.beat + 1) & 3;
    }

    if (!emit) return undefined;
    s.messages = sat(s.messages + 1, Counter);
    return {
      sequence: wrap(s.hdrSeq + BigInt(eIdx), U64),
      p0,
      p1,
      p2,
      p3,
      p4,
      timestamp: eTsHi * 0x1000000 + eTsLo, // a concatenation: eTsLo < 2^24
      stockLocate: eSl,
      trackingNumber: eTn,
      type: typeChar(eTyp),
      length: eLen & 0xff,
    };
  },
});

