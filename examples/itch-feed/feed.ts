// Streaming ITCH 5.0 parser over MoldUDP64, one 64-bit AXI-Stream beat of a UDP payload per cycle (II = 1). The
// output is a valid strobe with no TREADY (flow 'strobe'), so the input is never stalled: s_axis_tready is high
// whenever the parser is out of reset. At 322.27 MHz: 20 cycles from the beat holding a message's last byte to the
// message out (62.1 ns), every stage within the 3.103 ns period under the delay model, Yosys 2,726 ps
// (docs/BENCHMARKS.md). Build and co-simulate (from the repository root):
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
// DESIGN (written so that the state->state logic of a beat is shallow once the scheduler pipelines the rest; see
//        test/itch-feed/reformulation.test.ts for the check that it behaves exactly as the byte-by-byte parser it
//        replaced, test/itch-feed/feed-v1.ts.) The 20-byte MoldUDP64 header always starts at lane 0 of a packet's
//        first beat, so it is parsed by beat number: beat 0 = session bytes 0..7, beat 1 = session 8..9 + sequence
//        bytes 0..5, beat 2 lanes 0..3 = sequence bytes 6..7 + message count. From lane 4 of beat 2 on, blocks
//        ([u16 length][message]) are found from their lengths, not byte by byte:
//        - The state says where the parse of the next beat starts (`key`): 0..7 = a length prefix starts at that
//          lane, with the block in progress ending at lane key - 1 (8: at lane 7, no prefix starts); K_LENLO /
//          K_LBIG = the prefix's high byte was lane 7 of the previous beat (0 / not 0: a block of >= 256 bytes);
//          K_HDR = the header beat, prefixes from lane 4. A beat wholly inside a block (`near` false) only counts
//          `far` down. `left` (and min(left, 4), `lim`) = prefixes the count still allows.
//        - From the beat alone, for every key, chain() follows the lengths through the beat (at most 4 prefixes
//          and 3 bodies: zero-length and 1..5-byte blocks can end in the beat that starts them) and packs what
//          happens: blocks ended, their classes (zero / unknown / short; a block that starts and ends in one beat
//          is shorter than 8 bytes), the same counts before the prefix of index 0..3 (for a count that runs out in
//          the beat), prefixes started, and the block left in progress (class, type-byte lane, the next key, beats
//          to go). It is written without `if` (pure expressions), so it stays a function of the input wherever it
//          is called: the hardware computes every key's chain before the state stage, and the state only picks one
//          with mux trees on the bits of key and lim (the model evaluates only the picked chain).
//        - The state stage then does small updates: the class of the block in progress is counted when it ends
//          (it was classified at its type byte, or from lane 0 of this beat when its prefix ended the last beat);
//          counters that may grow by several per beat add 4 bits and pick a precomputed high word on the carry
//          (counterPlus); differences and sums for the 0..5 blocks that may end in a beat are formed beside the
//          parse and picked by the count (left, dupLeft, the sequence sums, below).
//        The body is not moved byte by byte: every beat is kept as it arrived, in raw registers r0..r6 (32-bit
//        halves), r0 being the beat that holds byte 0 (at lane `st`); byte k is then lane (st + k) % 8 of raw beat
//        (st + k) / 8. A message that ends well-formed and not a duplicate is emitted by the step of the beat
//        holding its last byte: bytes 0..10 and p0..p4 are cut out of its raw beats and the current one by a
//        byte-granular funnel shift by st (8 cases), bytes at or beyond the length zeroed (an emitted message is
//        >= 12 bytes, so it began in an earlier beat: r0..r6 are still its own); this depends on the state only
//        through registers, so the scheduler pipelines it after the state stage. The step has no `if` statement
//        but the output's (the compiler carries an if's condition into every later statement).
//
// SEQUENCING  `expected` is the next sequence number wanted. The first packet after reset (or after an
//        end-of-session) sets it without counting a gap. Then, per packet header:
//          sequence > expected: `gaps` + 1 and `lostMessages` + (sequence - expected) (saturating); expected jumps
//                               to sequence (the missing messages are not waited for);
//          sequence < expected: a data packet counts in `dupPackets`; its messages below `expected` are dropped,
//                               each counting in `dupMessages` (a packet overlapping the expected number delivers
//                               the new messages after the duplicates).
//        Implementation: expected and lostMessages do not change before a header completes, so beat 0 forms
//        lostMessages - expected[32:0] and beat 1 compares the sequence's high 48 bits with expected's; beat 2
//        finishes with 16-bit comparisons and a carry-select add. Within a packet, header sequence + blocks
//        completed is kept as 16 bits + a carry over precomputed high words (seqHi, seqHiP1).
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
// PROTOCOL  Message sizes, the common header's fields (offsets, sizes, types) and the type codes come from the ITCH 5.0
//        declarations (tickforge/protocols: dsl/protocols/itch50.ts) through compile-time queries (typeCodeOf,
//        L.length, lengthBitmap, fieldOffset, fieldSize, fieldSpec; docs/dsl.md §14). Written for the 11-byte common
//        header by hand: the body funnel (low6, top2: body byte 0 is lane (st + 3) % 8) and the MoldUDP64 header
//        parse by beat and lane.
import { record, unit, reg, u, i, bool, char, wrap, sat, min, max, bits, bit } from 'tickforge/dsl';
import { itch, ITCH50_LAYOUTS, typeCodeOf, lengthBitmap, fieldOffset, fieldSize, fieldSpec } from 'tickforge/protocols';

/** The type code and common header every ITCH message starts with (dsl/protocols/itch50.ts). */
const Hdr = itch.CommonHeader;

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
  timestamp: fieldSpec(itch.CommonHeader, 'timestamp'),
  stockLocate: fieldSpec(itch.CommonHeader, 'stockLocate'),
  trackingNumber: fieldSpec(itch.CommonHeader, 'trackingNumber'),
  length: u(8),
});

// Message classes, fixed at byte 0 (type and length).
const OK = 0;
const UNKNOWN = 1;
const SHORT = 2;
const LONG = 3;

// Hypothesis keys: where the block parse of a beat starts (see DESIGN).
//   0..8   the next length prefix starts at lane key; for key >= 1 the block in progress ends at lane key - 1 (8: at
//          lane 7, and no prefix starts in this beat)
const K_LENLO = 9; // the prefix's high byte was lane 7 of the previous beat and is 0: its low byte is lane 0
const K_LBIG = 10; // ... and is not 0: a block of 256 bytes or more, nothing else happens in this beat
const K_HDR = 11; // the beat that completes the MoldUDP64 header: the first prefix starts at lane 4

const Counter = u(32);
const CounterX = u(29);
const U3 = u(3);
const U13 = u(13);
const U16 = u(16);

/** The size of ITCH 5.0 message type `t` (an ASCII code), 0 for an unknown type: the declarations' lengths (the
 * order of the tests is the hardware's priority, most frequent types first). */
export function itchSize(t: number): number {
  if (t === typeCodeOf(itch.AddOrder)) return itch.AddOrder.length; // A
  if (t === typeCodeOf(itch.OrderReplace)) return itch.OrderReplace.length; // U
  if (t === typeCodeOf(itch.AddOrderMpid)) return itch.AddOrderMpid.length; // F
  if (t === typeCodeOf(itch.OrderDelete)) return itch.OrderDelete.length; // D
  if (t === typeCodeOf(itch.OrderExecuted)) return itch.OrderExecuted.length; // E
  if (t === typeCodeOf(itch.OrderCancel)) return itch.OrderCancel.length; // X
  if (t === typeCodeOf(itch.OrderExecutedWithPrice)) return itch.OrderExecutedWithPrice.length; // C
  if (t === typeCodeOf(itch.Trade)) return itch.Trade.length; // P
  if (t === typeCodeOf(itch.CrossTrade)) return itch.CrossTrade.length; // Q
  if (t === typeCodeOf(itch.Noii)) return itch.Noii.length; // I
  if (t === typeCodeOf(itch.SystemEvent)) return itch.SystemEvent.length; // S
  if (t === typeCodeOf(itch.StockDirectory)) return itch.StockDirectory.length; // R
  if (t === typeCodeOf(itch.StockTradingAction)) return itch.StockTradingAction.length; // H
  if (t === typeCodeOf(itch.RegShoRestriction)) return itch.RegShoRestriction.length; // Y
  if (t === typeCodeOf(itch.MarketParticipantPosition)) return itch.MarketParticipantPosition.length; // L
  if (t === typeCodeOf(itch.MwcbDeclineLevel)) return itch.MwcbDeclineLevel.length; // V
  if (t === typeCodeOf(itch.MwcbStatus)) return itch.MwcbStatus.length; // W
  if (t === typeCodeOf(itch.IpoQuotingPeriodUpdate)) return itch.IpoQuotingPeriodUpdate.length; // K
  if (t === typeCodeOf(itch.LuldAuctionCollar)) return itch.LuldAuctionCollar.length; // J
  if (t === typeCodeOf(itch.OperationalHalt)) return itch.OperationalHalt.length; // h
  if (t === typeCodeOf(itch.BrokenTrade)) return itch.BrokenTrade.length; // B
  if (t === typeCodeOf(itch.RetailPriceImprovement)) return itch.RetailPriceImprovement.length; // N
  if (t === typeCodeOf(itch.DirectListingCapitalRaise)) return itch.DirectListingCapitalRaise.length; // O
  return 0;
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

/** itchSize(t) as a pure expression (no `if`: it stays a function of its argument wherever it is called, see
 * chain) and with few operations in the model: bit b of the size of type 0x40 + i (i = 0..31) is bit i of SIZE_BITb,
 * a constant the compiler computes from the declarations (lengthBitmap); the only type outside 0x40..0x5F is 'h'.
 * Every length is below 64 (6 bits). test/itch-feed/reformulation.test.ts checks it against itchSize. */
const SIZE_BIT0 = lengthBitmap(ITCH50_LAYOUTS, 0, 0x40);
const SIZE_BIT1 = lengthBitmap(ITCH50_LAYOUTS, 1, 0x40);
const SIZE_BIT2 = lengthBitmap(ITCH50_LAYOUTS, 2, 0x40);
const SIZE_BIT3 = lengthBitmap(ITCH50_LAYOUTS, 3, 0x40);
const SIZE_BIT4 = lengthBitmap(ITCH50_LAYOUTS, 4, 0x40);
const SIZE_BIT5 = lengthBitmap(ITCH50_LAYOUTS, 5, 0x40);
export function sizeOf(t: number): number {
  const i = bits(t, 4, 0);
  return bits(t, 7, 5) === 2
    ? bits(SIZE_BIT0 >>> i, 0, 0) +
        bits(SIZE_BIT1 >>> i, 0, 0) * 2 +
        bits(SIZE_BIT2 >>> i, 0, 0) * 4 +
        bits(SIZE_BIT3 >>> i, 0, 0) * 8 +
        bits(SIZE_BIT4 >>> i, 0, 0) * 16 +
        bits(SIZE_BIT5 >>> i, 0, 0) * 32
    : t === typeCodeOf(itch.OperationalHalt)
      ? itch.OperationalHalt.length
      : 0;
}
/** classify(t, len) as a pure expression. */
function classOf(t: number, len: number): number {
  const size = sizeOf(t);
  return size === 0 ? UNKNOWN : len < size ? SHORT : len > size ? LONG : OK;
}

/** sat(c + n, u(32)) for n = 0..7, given cx = (c >> 4) + 1 (a register kept beside c): the low 4 bits are added, and
 * their carry picks cx or c >> 4 for the rest, so no 32-bit carry chain follows n (which comes late, from the parse). */
function counterPlus(c: number, cx: number, n: number): number {
  const t = bits(c, 3, 0) + n; // 0..22: bit 4 is the carry
  // (bits(t, 3, 0), not t, in the no-carry case: the same value there, and a concatenation, not a 32-bit add)
  return !bit(t, 4) ? bits(c, 31, 4) * 16 + bits(t, 3, 0) : bit(cx, 28) ? 0xffff_ffff : wrap(cx * 16 + bits(t, 3, 0), Counter);
}
/** The matching next value of cx (given the counter's value before the add). */
function counterXPlus(c: number, cx: number, n: number): number {
  return bit(bits(c, 3, 0) + n, 4) && !bit(cx, 28) ? wrap(cx + 1, CounterX) : cx;
}
/** min(expected - sequence, 0xFFFF) - j, at least 0, for a header below the expected number (j = 0..2): el, sl the
 * low 16 bits of expected and of the sequence, hiEq / hiEqP1: their high 48 bits are equal / expected's is one more
 * (else expected is at least 2^16 + 1 above), slj = sl + j (formed from the beat before the state stage). One 18-bit
 * difference of the state with a value of the beat. */
function dupMinus(el: number, sl: number, slj: number, hiEq: boolean, hiEqP1: boolean, j: number): number {
  const d = wrap((hiEq ? el : el | 0x10000) - slj, i(18)); // (el | 0x10000 = el + 2^16)
  return dupCapped(el, sl, hiEq, hiEqP1) ? 0xffff - j : bit(d, 17) ? 0 : wrap(d, U16); // (below 0xFFFF there)
}
/** expected - sequence >= 0xFFFF (for a header below the expected number). */
function dupCapped(el: number, sl: number, hiEq: boolean, hiEqP1: boolean): boolean {
  return hiEq ? el === 0xffff && sl === 0 : !hiEqP1 || el >= sl - 1;
}
/** left - n for n = 1..4 (a mux tree on the bits of n over differences formed beside it; the model forms one). */
function leftDown(left: number, n: number): number {
  return bit(n, 2) ? wrap(left - 4, U16) : bit(n, 1) ? (bit(n, 0) ? wrap(left - 3, U16) : wrap(left - 2, U16)) : wrap(left - 1, U16);
}
/** The sequence number's bytes 0..5 (beat 1 lanes 2..7), big-endian. */
function seqHiOf(lo: number, hi: number): number {
  return ((((bits(lo, 23, 16) * 256 + bits(lo, 31, 24)) * 256 + bits(hi, 7, 0)) * 256 + bits(hi, 15, 8)) * 256 + bits(hi, 23, 16)) * 256 + bits(hi, 31, 24);
}
/** min(left - n, 4) for n = 1..4 <= left, without a wide subtract: 4 unless left < n + 4 (< 8), then 3-bit
 * arithmetic. */
function limDown(left: number, n: number): number {
  return bits(left, 15, 3) !== 0 || bits(left, 2, 0) >= n + 4 ? 4 : wrap(bits(left, 2, 0) - n, U3);
}
/** The number of lanes a contiguous keep marks (0x00 -> 0, 0x01 -> 1, ..., 0xFF -> 8). */
function keepLanes(keep: number): number {
  if (keep === 0xff) return 8;
  if (keep === 0x7f) return 7;
  if (keep === 0x3f) return 6;
  if (keep === 0x1f) return 5;
  if (keep === 0x0f) return 4;
  if (keep === 0x07) return 3;
  if (keep === 0x03) return 2;
  if (keep === 0x01) return 1;
  return 0;
}

/** Byte `p` (lane 0..7) of the beat lo (lanes 0..3), hi (lanes 4..7). */
function byteAt(lo: number, hi: number, p: number): number {
  const w = p < 4 ? lo : hi;
  return bits(w >>> ((p & 3) * 8), 7, 0);
}

// ---- the block parse of one beat from a given start `k` (a hypothesis key, a constant at every call site), as a
// function of the beat alone (lanes 0..nk-1 are present), written without `if` so that it stays a function of the
// beat wherever it is called: the state picks one of these values with mux trees, and the model evaluates only
// the chosen branch. `which` (a constant) selects what is returned, packed into one number (bit fields: a
// concatenation, wiring in hardware):
//   which 0: [2:0] blocks ended (the one in progress before the beat included)  [5:3] length prefixes started
//     [6] a block is in progress at the end of the beat  [7] ... its prefix's low byte is lane 0 of the next beat
//     [8] ... its type byte is lane 0 of the next beat  [10:9] its class (type byte in this beat)  [11] its type
//     byte is in this beat  [14:12] at lane  [18:15] the next beat's key  [19] the next beat holds the end of that
//     block (or a prefix start)  [20] blocks ended before the first prefix  [33:21] else the beats before it
//   which 1: counts of blocks ended in this beat that started in it (shorter than 8 bytes: zero-length, unknown
//     type or short, never well-formed nor long) as 7-bit fields [zero 2:0, unknown 4:3, short 6:5]: [6:0] all of
//     them, [13:7] + 7 L for L = 0..3: those before the prefix of index L started (the limit of the packet's count)
function chain(k: number, lo: number, hi: number, nk: number, which: number): number {
  const isLo = k === K_LENLO;
  let p = isLo ? 0 : k; // lane of the next length prefix
  let j = 0; // prefixes started
  let nEnd = !isLo && k >= 1 && k - 1 < nk ? 1 : 0;
  let done = (!isLo && k >= 1 && k - 1 >= nk) || (isLo && nk === 0);
  let inBlock = done;
  let lenLo = isLo && nk === 0;
  let tp = false;
  let cls = OK;
  let started = false;
  let st = 0;
  let lb = 0; // offset of the last byte of the block in progress from lane 0 of the next beat
  // K_LENLO: the block's length is lane 0 (its high byte was 0); its body is parsed in the first iteration
  const len0 = bits(lo, 7, 0);
  const zero0 = isLo && nk !== 0 && len0 === 0;
  let nZero = zero0 ? 1 : 0;
  nEnd = nEnd + (zero0 ? 1 : 0);
  p = zero0 ? 1 : p;
  let hasBody = isLo && nk !== 0 && len0 !== 0; // a body of `blen` >= 1 bytes starts at lane bq
  let bq = 1;
  let blen = len0;
  let nUnknown = 0;
  let nShort = 0;
  let base = 0;
  let snaps = 0;
  for (let i = 0; i < 5; i++) {
    // the body of the last prefix (or of the K_LENLO block)
    const bOn = !done && hasBody;
    const bIn = bOn && bq < nk; // its type byte is present
    const bCls = bIn ? classOf(byteAt(lo, hi, bq), blen) : OK;
    const bE = bq + blen - 1; // lane of its last byte
    // bE < nk (<= 8) needs blen < 16: tested on the length's bits, and the lane sum is 4 bits, not 17
    const bEnds = bIn && bits(blen, 15, 4) === 0 && bq + bits(blen, 3, 0) - 1 < nk;
    const bPend = bOn && !bEnds;
    nUnknown = nUnknown + (bEnds && bCls === UNKNOWN ? 1 : 0);
    nShort = nShort + (bEnds && bCls !== UNKNOWN ? 1 : 0);
    nEnd = nEnd + (bEnds ? 1 : 0);
    p = bEnds ? wrap(bq + bits(blen, 3, 0), u(4)) : p; // (bE + 1, at most 8 there: the lane arithmetic stays 4 bits wide)
    tp = bPend ? !bIn && bq === 8 : tp;
    lb = bPend ? bE - 8 : lb;
    cls = bPend && bIn ? bCls : cls;
    st = bPend && bIn ? bq : st;
    started = started || (bPend && bIn);
    inBlock = inBlock || bPend;
    done = done || bPend;
    // counts before the prefix of index i starts
    base = i === 0 ? nEnd : base;
    snaps = i < 4 ? snaps + (nZero + nUnknown * 8 + nShort * 32) * (i === 0 ? 128 : i === 1 ? 16384 : i === 2 ? 2097152 : 268435456) : snaps;
    // the prefix at lane p
    const pOn = !done && p < nk;
    const pLo = pOn && p + 1 >= nk; // its low byte is not in this beat
    const pLen = pOn && !pLo ? byteAt(lo, hi, p) * 256 + byteAt(lo, hi, p + 1) : 0;
    const pZero = pOn && !pLo && pLen === 0;
    j = j + (pOn ? 1 : 0);
    nZero = nZero + (pZero ? 1 : 0);
    nEnd = nEnd + (pZero ? 1 : 0);
    hasBody = pOn && !pLo && !pZero;
    bq = p + 2;
    blen = pLen;
    p = pZero ? p + 2 : p;
    lenLo = lenLo || pLo;
    inBlock = inBlock || pLo;
    done = done || !pOn || pLo;
  }
  const lbw = wrap(lb, U16);
  const rb = lenLo ? 0 : bits(lbw, 15, 3);
  const nextKey = !inBlock ? 0 : lenLo ? (bits(hi, 31, 24) === 0 ? K_LENLO : K_LBIG) : bits(lbw, 2, 0) + 1;
  const near = !inBlock || lenLo || rb === 0;
  return which === 1
    ? nZero + nUnknown * 8 + nShort * 32 + snaps
    : (
    nEnd +
    j * 8 +
    (inBlock ? 64 : 0) +
    (lenLo ? 128 : 0) +
    (tp ? 256 : 0) +
    cls * 512 +
    (started ? 2048 : 0) +
    st * 4096 +
    nextKey * 32768 +
    (near ? 524288 : 0) +
    base * 1048576 +
    rb * 2097152
  );
}
/** K_HDR: the prefixes from lane 4, no block in progress before them: chain 4 without that block's end (at the
 * header beat nk >= 4). */
function hdrChain(lo: number, hi: number, nk: number, which: number): number {
  return which === 1 ? chain(4, lo, hi, nk, 1) : chain(4, lo, hi, nk, 0) - 1 - 1048576;
}
/** K_LBIG: a block of 256 bytes or more whose type byte is lane 1 (its end is placed from lenHi by the caller). */
function lbigFields(lo: number, nk: number, which: number): number {
  return which === 1 ? 0 : nk >= 2 ? 64 + (sizeOf(bits(lo, 15, 8)) === 0 ? UNKNOWN : LONG) * 512 + 2048 + 4096 : 64;
}
/** chain(k, ..., which) for k picked by the state's key: a mux tree on its bits. */
function pickChain(key: number, lo: number, hi: number, nk: number, which: number): number {
  return bit(key, 3)
    ? bit(key, 1)
      ? bit(key, 0)
        ? hdrChain(lo, hi, nk, which)
        : lbigFields(lo, nk, which)
      : bit(key, 0)
        ? chain(K_LENLO, lo, hi, nk, which)
        : chain(8, lo, hi, nk, which)
    : bit(key, 2)
      ? bit(key, 1)
        ? bit(key, 0)
          ? chain(7, lo, hi, nk, which)
          : chain(6, lo, hi, nk, which)
        : bit(key, 0)
          ? chain(5, lo, hi, nk, which)
          : chain(4, lo, hi, nk, which)
      : bit(key, 1)
        ? bit(key, 0)
          ? chain(3, lo, hi, nk, which)
          : chain(2, lo, hi, nk, which)
        : bit(key, 0)
          ? chain(1, lo, hi, nk, which)
          : chain(0, lo, hi, nk, which);
}

/** Byte i (0..10, the common header) of a message whose byte 0 is lane st of raw beat 0: raw beats 0..2 as 32-bit
 * halves. */
function hdrByte(b0l: number, b0h: number, b1l: number, b1h: number, b2l: number, st: number, i: number): number {
  const pos = st + i; // 0..17
  const w = pos < 4 ? b0l : pos < 8 ? b0h : pos < 12 ? b1l : pos < 16 ? b1h : b2l;
  return bits(w >>> ((pos & 3) * 8), 7, 0);
}

/** The big-endian common-header field at byte `off`, `n` bytes (<= 6; from the declaration: fieldOffset, fieldSize)
 * of the same message, put together as two 3-byte halves (the form the feed was timed with: each half a
 * concatenation of byte lanes). */
function hdrField(b0l: number, b0h: number, b1l: number, b1h: number, b2l: number, st: number, off: number, n: number): number {
  let hi = 0; // bytes 0 .. n - 4 (n > 3)
  let lo = 0; // the last min(n, 3) bytes
  for (let k = 0; k < 6; k++) {
    if (k < n) {
      const b = hdrByte(b0l, b0h, b1l, b1h, b2l, st, off + k);
      if (k < n - 3) hi = k === 0 ? b : hi * 256 + b;
      else lo = k === 0 || k === n - 3 ? b : lo * 256 + b;
    }
  }
  return n > 3 ? hi * 0x1000000 + lo : lo;
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
    seqHi: reg(u(48), 0), // the header sequence number's high 48 bits (beat 1 lanes 2..7, big-endian)
    seqHiP1: reg(u(48), 0), // seqHi + 1 (mod 2^48)
    hiOnes: reg(bool(), false), // seqHi is all ones
    // header sequence number + blocks completed in this packet = {sqC ? seqHiP1 : seqHi, sqLo}
    sqLo: reg(u(16), 0),
    sqC: reg(bool(), false),
    // the header's comparisons with `expected`, prepared over beats 0 and 1 (expected and lostMessages do not
    // change before the header completes): see the header code
    lostMinusExp: reg(i(34), 0), // lostMessages - expected[32:0] (beat 0)
    hiGt: reg(bool(), false), // seqHi > expected[63:16] (beat 1)
    hiEq: reg(bool(), false), // seqHi = expected[63:16]
    hiEqP1: reg(bool(), false), // seqHi + 1 = expected[63:16]
    dBig: reg(bool(), false), // seqHi - expected[63:16] > 0x10000
    lostPart: reg(i(37), 0), // lostMessages - expected[32:0] + seqHi[16:0] * 2^16 (+ 2^33, see the header code)
    lostPartHiP1: reg(u(21), 0), // bits 36..16 of lostPart + 2^16
    dupLeft: reg(u(16), 0), // blocks still to complete before the duplicates end (dupBelow - completed, >= 0)
    dupBig: reg(bool(), false), // the packet starts 0xFFFF or more below the expected number
    left: reg(u(16), 0), // length prefixes that may still start (count - blocks started)
    lim: reg(u(3), 0), // min(left, 4)
    skip: reg(bool(), false), // a prefix beyond the count was seen: the rest of the packet is ignored
    // ---- where the block parse of the next beat starts (see DESIGN)
    near: reg(bool(), true), // the next beat holds the end of the block in progress, or a prefix start: key applies
    key: reg(u(4), 0), // hypothesis key of that beat
    far: reg(U13, 0), // beats wholly inside the block in progress before it
    tp: reg(bool(), false), // the block in progress has its type byte at lane 0 of the next beat
    tlen: reg(u(16), 0), // ... and this length
    lenHi: reg(u(8), 0), // the high byte of a length prefix that ended a beat (key K_LENLO / K_LBIG)
    cls: reg(u(2), OK), // class of the block in progress
    // ---- the message in progress: the raw beats it arrived in
    st: reg(u(3), 0), // lane of byte 0 in its beat (raw beat 0)
    tb: reg(u(3), 0), // raw beat index of the next beat (saturating at 7)
    // raw beats 0..6 of the message as 32-bit halves (rNl lanes 0..3, rNh lanes 4..7): byte k is lane (st + k) % 8
    // of raw beat (st + k) / 8.
    r0l: reg(u(32), 0),
    r0h: reg(u(32), 0),
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
    // (counter >> 4) + 1 of the counters that may grow by several in one beat (see counterPlus)
    zeroLengthX: reg(CounterX, 1),
    unknownTypeX: reg(CounterX, 1),
    shortMessageX: reg(CounterX, 1),
  },
  step(x, { state: s }) {
    // The step is written without `if` statements (ternaries and unconditional state writes), the output's last: the
    // compiler carries each `if`'s condition into the statements after it, which would make everything after the
    // first test of the state depend on it (and put it on the recurrence).
    // ---- from the beat alone
    const keepOk = x.last ? x.keep === 0 || contiguous(x.keep) : x.keep === 0xff; // keep 0 + last: a null end beat
    const lo = x.dataLo;
    const hi = x.dataHi;
    const y0 = bits(lo, 7, 0);
    const y7 = bits(hi, 31, 24);
    const nk = x.last ? keepLanes(x.keep) : 8; // lanes present
    // beat 1: sequence bytes 0..5 (lanes 2..7, big-endian); beat 2: bytes 6..7 (lanes 0..1), count (lanes 2..3)
    // (formed in beat 1 only: the model skips them in other beats; in hardware they are still functions of the beat)
    const b1 = s.beat === 1;
    const shIn = b1 ? seqHiOf(lo, hi) : 0;
    const shInP1 = b1 ? wrap(seqHiOf(lo, hi) + 1, u(48)) : 0;
    const shInOnes = b1 && seqHiOf(lo, hi) === 0xffff_ffff_ffff;
    const shInM = b1 ? seqHiOf(lo, hi) - 0x10001 : 0;
    const seqLoIn = y0 * 256 + bits(lo, 15, 8);
    const rawCnt = bits(lo, 23, 16) * 256 + bits(lo, 31, 24);
    const cntIn = rawCnt === 0xffff ? 0 : rawCnt;

    // ---- the state before this beat, as the output stage reads it
    const tb0 = s.tb;
    const seqHi0 = s.seqHi;
    const seqHiP10 = s.seqHiP1;
    const lostMinusExp0 = s.lostMinusExp;
    const st0 = s.st;
    const r0l = s.r0l;
    const r0h = s.r0h;
    const r1l = s.r1l;
    const r1h = s.r1h;
    const r2l = s.r2l;
    const r2h = s.r2h;
    const r3l = s.r3l;
    const r3h = s.r3h;
    const r4l = s.r4l;
    const r4h = s.r4h;
    const r5l = s.r5l;
    const r5h = s.r5h;
    const r6l = s.r6l;
    const r6h = s.r6h;
    const sqC0 = s.sqC;
    const sqLo0 = s.sqLo;

    const live = !s.drop && keepOk; // this beat is parsed
    const badNow = !s.drop && !keepOk;

    // ---- MoldUDP64 header, by beat number. expected and lostMessages do not change before the header completes, so
    // beats 0 and 1 prepare the comparisons with the sequence number: the high 48 bits (beat 1) and lostMessages -
    // expected (beat 0); beat 2 adds 16-bit ones.
    const beat0 = s.beat === 0;
    const hdr1 = live && s.beat === 1;
    const hdrDone = live && s.beat === 2 && bit(x.keep, 3); // the header completed in this beat
    // (slices of the 64-bit expected taken only in the beats that use them: bigint work in the model)
    const eh = hdr1 ? bits(s.expected, 63, 16) : 0;
    const e17 = hdr1 ? bits(s.expected, 32, 16) : 0;
    const h17 = bits(shIn, 16, 0);
    const el = s.beat === 2 ? bits(s.expected, 15, 0) : 0;
    const gt = s.hiGt || (s.hiEq && seqLoIn > el); // sequence > expected
    const lt = (!s.hiGt && !s.hiEq) || (s.hiEq && seqLoIn < el); // sequence < expected
    const dupHdr = s.synced && lt && !gt; // a packet (partly) below the expected number: dupBelow > 0
    const resync = hdrDone && !s.synced; // the first packet after reset or end of session sets expected
    const gap = hdrDone && s.synced && gt;
    // lostMessages + min(sequence - expected, 2^32 - 1), saturated, is min(lostMessages + sequence - expected, 2^32 - 1):
    // lostPart + bytes 6..7 when the high words differ by at most 0x10000 (else dBig: saturated)
    // (lostPart + bytes 6..7 as its low 16 bits + bytes 6..7, whose carry picks lostPart's high part or that + 1)
    const lostLo = bits(s.lostPart, 15, 0) + seqLoIn;
    const lostHi = bit(lostLo, 16) ? s.lostPartHiP1 : bits(s.lostPart, 36, 16); // (the carry: lostLo < 2^17)
    const lostSat = s.dBig || bits(lostHi, 20, 16) !== 0; // the sum is 2^32 or more (it is positive)
    const expHdr = resync || gap ? (BigInt(seqHi0) << 16n) | BigInt(seqLoIn) : s.expected; // the sequence: a concatenation

    // ---- blocks: one precomputed hypothesis per start, selected by the state
    const blocks = s.beat === 3 || hdrDone; // beat 2 carries blocks from lane 4 on
    const parse = live && (hdrDone || (s.beat === 3 && !s.skip));
    const atKey = parse && (hdrDone || s.near); // a beat where the parse starts at `key`
    const key = hdrDone ? K_HDR : s.key;
    const left0 = hdrDone ? cntIn : s.left;
    const lim = hdrDone ? min(cntIn, 4) : s.lim; // (min(left, 4), kept beside left)
    // The state picks one hypothesis (mux trees on its bits over values of the beat alone; pure expressions, so
    // the model evaluates only the chosen branch): the counts by key, then by the limit.
    const hA = atKey ? pickChain(key, lo, hi, nk, 0) : 0;
    // (the counts are 0 unless a block that started in this beat, or the K_LENLO one, ended in it: more ends than the
    // block in progress before the beat; the model skips the second chain then)
    const hB = atKey && bits(hA, 2, 0) > (key >= 1 && key <= 8 ? 1 : 0) ? pickChain(key, lo, hi, nk, 1) : 0;
    const counts = bit(lim, 2)
      ? bits(hB, 6, 0)
      : bit(lim, 1)
        ? bit(lim, 0)
          ? bits(hB, 34, 28)
          : bits(hB, 27, 21)
        : bit(lim, 0)
          ? bits(hB, 20, 14)
          : bits(hB, 13, 7);
    const nZero = bits(counts, 2, 0);
    const nStartAll = bits(hA, 5, 3);
    const extra = nStartAll > lim; // a prefix beyond the packet's count: the rest of the packet is ignored
    const nEnd = extra ? bits(hA, 20, 20) + lim : bits(hA, 2, 0);
    const inBlock = !atKey || (!extra && bit(hA, 6)); // a block is in progress at the end of the beat (far: always)
    // The block in progress before this beat ends in it (at lane key - 1). Its class is from its type byte; with s.tp
    // that is lane 0 of this beat, and the block is then shorter than 9 bytes: unknown or short.
    const pend = atKey && !hdrDone && key >= 1 && key <= 8 && key - 1 < nk;
    const pcls = s.tp ? (sizeOf(y0) === 0 ? UNKNOWN : SHORT) : s.cls;
    const nUnknown = bits(counts, 4, 3) + (pend && pcls === UNKNOWN ? 1 : 0);
    const nShort = bits(counts, 6, 5) + (pend && pcls === SHORT ? 1 : 0);
    const okEnd = pend && pcls === OK;
    const emit = okEnd && s.dupLeft === 0;

    // Every complete block consumed its sequence number: expected = max(expected, header sequence + completed). After
    // the header, expected = header sequence + max(D, completed) with dupBelow = min(D, 0xFFFF), so the new number
    // is above expected exactly when the blocks completed in this beat outnumber dupLeft (and D < 0xFFFF), unless
    // the sum wraps past 2^64. The sums header sequence + completed + n for n = 0..5 are formed beside the parse
    // (small adds on the state) and picked by n: no 64-bit add or compare on this path.
    const sqBase = hdrDone ? seqLoIn : s.sqLo;
    const cBase = !hdrDone && s.sqC;
    const bigBase = hdrDone ? dupHdr && dupCapped(el, seqLoIn, s.hiEq, s.hiEqP1) : s.dupBig;
    const sqSum = bit(nEnd, 2) ? (bit(nEnd, 0) ? sqBase + 5 : sqBase + 4) : bit(nEnd, 1) ? (bit(nEnd, 0) ? sqBase + 3 : sqBase + 2) : bit(nEnd, 0) ? sqBase + 1 : sqBase;
    const carry = cBase || sqSum >= 0x10000;
    const sqNew = bits(sqSum, 15, 0);
    // At the header beat (at most 2 blocks end, in lanes 4..7) from the sequence's low 16 bits directly.
    const dl = s.dupLeft;
    const hdrBelow1 = s.hiEq ? el === seqLoIn + 1 : s.hiEqP1 && el === 0 && seqLoIn === 0xffff; // expected - sequence = 1
    const outnumber = hdrDone ? !dupHdr || (nEnd === 2 && hdrBelow1) : nEnd > dl;
    const raise = nEnd !== 0 && outnumber && !bigBase && !(carry && s.hiOnes);
    // (nEnd and the subtrahends come from the beat and state picked stages earlier: one subtract on this path, where
    // a pick over five differences would put a mux tree after them; nEnd is at most 5, nD keeps 6 and 7 as 4 and 5)
    const nD = bit(nEnd, 2) && bit(nEnd, 1) ? nEnd - 2 : nEnd;
    const dlNew = hdrDone ? (!dupHdr || nEnd > 2 ? 0 : dupMinus(el, seqLoIn, seqLoIn + nEnd, s.hiEq, s.hiEqP1, nEnd)) : sat(dl - nD, U16);
    // (a prefix beyond the count leaves none: lim < nStartAll <= 4, so lim = left0)
    const leftNew = !atKey || nStartAll === 0 ? left0 : extra ? 0 : leftDown(left0, nStartAll);
    // (limDown for each count, from left0 alone, picked by the count's bits: no add or compare after the pick)
    const limPick = bit(nStartAll, 2) ? limDown(left0, 4) : bit(nStartAll, 1) ? (bit(nStartAll, 0) ? limDown(left0, 3) : limDown(left0, 2)) : limDown(left0, 1);
    const limNew = !atKey || nStartAll === 0 ? lim : extra ? 0 : limPick;
    const skipNow = s.skip || extra;

    // ---- where the next beat's parse starts (K_LBIG: the block holds lenHi * 256 + y0 >= 256 bytes from lane 1: its
    // last byte is lenHi * 256 + y0 - 8 lanes past lane 0 of the next beat)
    const big = key === K_LBIG;
    const farDown = wrap(s.far - 1, U13);
    const nextFar = !parse ? s.far : !atKey ? farDown : big ? wrap(s.lenHi * 32 + (y0 >> 3) - 1, U13) : bits(hA, 33, 21);
    const nextNear = !parse ? s.near : !atKey ? farDown === 0 : big ? false : bit(hA, 19);
    const nextKey = parse && atKey ? (big ? bits(y0, 2, 0) + 1 : bits(hA, 18, 15)) : s.key;
    const startHere = bit(hA, 11); // the block in progress at the end has its type byte in this beat
    const started = parse && (startHere || s.tp); // this beat holds byte 0 of the block in progress (at lane st)
    const st = startHere ? bits(hA, 14, 12) : 0;

    // ---- packet end
    const endTruncHeader = x.last && live && !blocks;
    const endCheck = x.last && live && blocks && !skipNow;
    const endTruncMessage = endCheck && inBlock;
    const endMismatch = endCheck && !inBlock && leftNew !== 0;

    // ---- state updates
    s.badKeep = badNow ? sat(s.badKeep + 1, Counter) : s.badKeep;
    s.drop = !x.last && (s.drop || !keepOk);
    s.lostMinusExp = beat0 ? s.lostMessages - bits(s.expected, 32, 0) : s.lostMinusExp;
    s.seqHi = hdr1 ? shIn : s.seqHi;
    s.seqHiP1 = hdr1 ? shInP1 : s.seqHiP1;
    s.hiOnes = hdr1 ? shInOnes : s.hiOnes;
    s.hiGt = hdr1 ? shIn > eh : s.hiGt;
    s.hiEq = hdr1 ? shIn === eh : s.hiEq;
    s.hiEqP1 = hdr1 ? !shInOnes && shInP1 === eh : s.hiEqP1;
    s.dBig = hdr1 ? shIn >= 0x10001 && shInM >= eh : s.dBig;
    // lostPart = lostMessages - expected[32:0] + seqHi[16:0] * 2^16 + (seqHi[16:0] < expected[32:16] ? 2^33 : 0): when
    // 0 <= seqHi - expected[63:16] <= 0x10000, lostPart + bytes 6..7 = lostMessages + sequence - expected.
    // (each sum is one add of the state with a value of the beat, the compare with the state picks one: h17 * 2^16 +
    // 2^33 is a concatenation, (h17 + 1) * 2^16 + 2^33 is formed from the beat alone)
    const wrapFlag = h17 < e17;
    const h16 = h17 * 0x10000;
    const h16P1 = (h17 + 1) * 0x10000;
    const lostPart = wrapFlag ? lostMinusExp0 + (h16 + 0x200000000) : lostMinusExp0 + h16;
    s.lostPart = hdr1 ? lostPart : s.lostPart;
    // lostPart's bits 36..16, + 1 (formed beside lostPart, from the same operands)
    s.lostPartHiP1 = hdr1 ? bits(wrapFlag ? lostMinusExp0 + (h16P1 + 0x200000000) : lostMinusExp0 + h16P1, 36, 16) : s.lostPartHiP1;
    s.heartbeats = hdrDone && rawCnt === 0 ? sat(s.heartbeats + 1, Counter) : s.heartbeats;
    s.endOfSession = hdrDone && rawCnt === 0xffff ? sat(s.endOfSession + 1, Counter) : s.endOfSession;
    s.synced = hdrDone ? rawCnt !== 0xffff : s.synced; // an end of session: the next packet starts a new session
    s.gaps = gap ? sat(s.gaps + 1, Counter) : s.gaps;
    s.lostMessages = gap ? (lostSat ? 0xffff_ffff : bits(lostHi, 15, 0) * 0x10000 + bits(lostLo, 15, 0)) : s.lostMessages;
    s.dupPackets = hdrDone && dupHdr && cntIn !== 0 ? sat(s.dupPackets + 1, Counter) : s.dupPackets;
    s.expected = raise ? (BigInt(carry ? seqHiP10 : seqHi0) << 16n) | BigInt(sqNew) : expHdr; // a concatenation
    // (the counters' guards change no value; they spare the model the work when nothing is counted)
    const zl = s.zeroLength;
    s.zeroLength = nZero !== 0 ? counterPlus(zl, s.zeroLengthX, nZero) : zl;
    s.zeroLengthX = nZero !== 0 ? counterXPlus(zl, s.zeroLengthX, nZero) : s.zeroLengthX;
    const ut = s.unknownType;
    s.unknownType = nUnknown !== 0 ? counterPlus(ut, s.unknownTypeX, nUnknown) : ut;
    s.unknownTypeX = nUnknown !== 0 ? counterXPlus(ut, s.unknownTypeX, nUnknown) : s.unknownTypeX;
    const sm = s.shortMessage;
    s.shortMessage = nShort !== 0 ? counterPlus(sm, s.shortMessageX, nShort) : sm;
    s.shortMessageX = nShort !== 0 ? counterXPlus(sm, s.shortMessageX, nShort) : s.shortMessageX;
    s.longMessage = pend && pcls === LONG ? sat(s.longMessage + 1, Counter) : s.longMessage;
    s.dupMessages = okEnd && s.dupLeft !== 0 ? sat(s.dupMessages + 1, Counter) : s.dupMessages;
    s.messages = emit ? sat(s.messages + 1, Counter) : s.messages;
    s.countMismatch = extra || endMismatch ? sat(s.countMismatch + 1, Counter) : s.countMismatch;
    s.truncHeader = endTruncHeader ? sat(s.truncHeader + 1, Counter) : s.truncHeader;
    s.truncMessage = endTruncMessage ? sat(s.truncMessage + 1, Counter) : s.truncMessage;
    s.packets = x.last ? sat(s.packets + 1, Counter) : s.packets;
    s.sqLo = sqNew;
    s.sqC = carry;
    s.dupLeft = x.last ? 0 : dlNew;
    s.dupBig = !x.last && bigBase;
    s.left = x.last ? 0 : leftNew;
    s.lim = x.last ? 0 : limNew;
    s.skip = !x.last && skipNow;
    s.far = x.last ? 0 : nextFar;
    s.near = x.last || nextNear;
    s.key = x.last ? 0 : nextKey;
    s.cls = parse && startHere ? bits(hA, 10, 9) : parse && s.tp ? classify(y0, s.tlen) : s.cls;
    s.tlen = parse && bit(hA, 8) ? bits(hi, 23, 16) * 256 + y7 : s.tlen; // the length of lanes 6, 7
    s.tp = !x.last && (parse ? bit(hA, 8) : s.tp);
    s.lenHi = parse && atKey && !big && bit(hA, 7) ? y7 : s.lenHi;
    s.beat = x.last ? 0 : s.beat === 3 ? 3 : wrap(s.beat + 1, u(2));
    // raw beats: this beat is raw beat 0 of the message whose byte 0 it holds, else raw beat tb of the current one
    s.st = started ? st : st0;
    s.tb = started ? 1 : sat(tb0 + 1, U3);
    s.r0l = started ? lo : r0l;
    s.r0h = started ? hi : r0h;
    s.r1l = !started && tb0 === 1 ? lo : r1l;
    s.r1h = !started && tb0 === 1 ? hi : r1h;
    s.r2l = !started && tb0 === 2 ? lo : r2l;
    s.r2h = !started && tb0 === 2 ? hi : r2h;
    s.r3l = !started && tb0 === 3 ? lo : r3l;
    s.r3h = !started && tb0 === 3 ? hi : r3h;
    s.r4l = !started && tb0 === 4 ? lo : r4l;
    s.r4h = !started && tb0 === 4 ? hi : r4h;
    s.r5l = !started && tb0 === 5 ? lo : r5l;
    s.r5h = !started && tb0 === 5 ? hi : r5h;
    s.r6l = !started && tb0 === 6 ? lo : r6l;
    s.r6h = !started && tb0 === 6 ? hi : r6h;

    // ---- the emitted message (output only): bytes 0..10 and p0..p4 = bytes 11..49, cut out of its raw beats (bN =
    // raw beat N as 32-bit halves; the current beat is raw beat tb, the beats after it are never read for bytes below
    // the length)
    if (!emit) return undefined;
    const b1l = tb0 > 1 ? r1l : lo;
    const b1h = tb0 > 1 ? r1h : hi;
    const b2l = tb0 > 2 ? r2l : lo;
    const b2h = tb0 > 2 ? r2h : hi;
    const b3l = tb0 > 3 ? r3l : lo;
    const b3h = tb0 > 3 ? r3h : hi;
    const b4l = tb0 > 4 ? r4l : lo;
    const b4h = tb0 > 4 ? r4h : hi;
    const b5l = tb0 > 5 ? r5l : lo;
    const b5h = tb0 > 5 ? r5h : hi;
    const b6l = tb0 > 6 ? r6l : lo;
    const b6h = tb0 > 6 ? r6h : hi;
    // (raw beat 7, needed by p4 for st >= 6, can only be the current one)
    const eTyp = hdrField(r0l, r0h, b1l, b1h, b2l, st0, fieldOffset(Hdr, 'messageType'), fieldSize(Hdr, 'messageType'));
    const eLen = sizeOf(eTyp); // a well-formed message: its length is its type's size
    const n = eLen - Hdr.length; // bytes of p0..p4
    return {
      // the ending block is the first to end in this beat: header sequence + blocks completed before it
      sequence: (BigInt(sqC0 ? seqHiP10 : seqHi0) << 16n) | BigInt(sqLo0),
      p0: n <= 0 ? 0n : word(low6(b1l, b1h, b2l, b2h, st0), top2(b2l, b2h, b3l, st0), n),
      p1: n <= 8 ? 0n : word(low6(b2l, b2h, b3l, b3h, st0), top2(b3l, b3h, b4l, st0), n - 8),
      p2: n <= 16 ? 0n : word(low6(b3l, b3h, b4l, b4h, st0), top2(b4l, b4h, b5l, st0), n - 16),
      p3: n <= 24 ? 0n : word(low6(b4l, b4h, b5l, b5h, st0), top2(b5l, b5h, b6l, st0), n - 24),
      p4: n <= 32 ? 0n : word7(low6(b5l, b5h, b6l, b6h, st0), top2(b6l, b6h, lo, st0), n - 32),
      timestamp: hdrField(r0l, r0h, b1l, b1h, b2l, st0, fieldOffset(Hdr, 'timestamp'), fieldSize(Hdr, 'timestamp')),
      stockLocate: hdrField(r0l, r0h, b1l, b1h, b2l, st0, fieldOffset(Hdr, 'stockLocate'), fieldSize(Hdr, 'stockLocate')),
      trackingNumber: hdrField(r0l, r0h, b1l, b1h, b2l, st0, fieldOffset(Hdr, 'trackingNumber'), fieldSize(Hdr, 'trackingNumber')),
      type: String.fromCharCode(bits(eTyp, 6, 0)), // (a known type: an ASCII letter)
      length: eLen,
    };
  },
});

// Host-side stimulus for cosim (ordinary JavaScript, never compiled): examples/itch-feed/stimulus.ts.
export { stimulus, beatsOf, moldPayloads, pcapPayloads, type BeatValue } from './stimulus.ts';
