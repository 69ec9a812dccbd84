// OUCH 5.0 order encoder: one order action in, one SoupBinTCP unsequenced-data packet ('U') carrying the OUCH 5.0
// inbound message out, as 64-bit AXI-Stream beats with tkeep and tlast (a `packet` output: docs/semantics.md §10;
// no state). Build and co-simulate (from the repository root):
//   npx tickforge build examples/ouch-encoder/encoder.ts --out /tmp/ouch
//   npx tickforge cosim examples/ouch-encoder/encoder.ts --input synthetic:20000 --seed 1 --out /tmp/ouchc
//   npx tickforge cosim examples/ouch-encoder/encoder.ts --input ../shared/data/pcap/ouch50-soupbintcp/EnterOrderMessage.pcap --seed 1 --out /tmp/ouchp
//
// INPUT  Action (425 bits, 54 bytes of tdata), one per beat:
//          kind           'O' Enter Order, 'U' Replace Order Request, 'X' Cancel Order Request, 'M' Modify Order Request
//          userRefNum     u32: the order's UserRefNum ('U': the replacement's new UserRefNum)
//          origUserRefNum u32: 'U' only, the UserRefNum of the order being replaced (ignored otherwise)
//          side           ASCII code ('B' 'S' 'T' 'E'); 'O' and 'M'
//          quantity       u32: 'O', 'U', 'M' the order quantity; 'X' the quantity to leave (0 = cancel all)
//          symbol         8 ASCII bytes, byte 0 (first character) in bits 7..0, padded with spaces; 'O'
//          price          8-byte Price, 4 implied decimals; 'O' and 'U'. The spec (section 1.2) says prices are
//                         unsigned unless designated otherwise (only PegOffset-like fields are signed), and the
//                         protocol library declares it price(8, 4), unsigned: so ufixed(64, 4), not sfixed
//          timeInForce, display, capacity, interMarketSweepEligibility, crossType   ASCII codes ('O'; 'U' uses
//                         timeInForce, display and interMarketSweepEligibility)
//          clOrdIdLo/Hi   14 ASCII bytes: bytes 0..7 in clOrdIdLo (byte 0 in bits 7..0), bytes 8..13 in clOrdIdHi
//          hasFirm, firm  the optional Firm appendage (tag 2): 4 ASCII bytes, byte 0 in bits 7..0
//        Character fields are u(8) ASCII codes, not char(): step cannot turn a char() into its code (there is no
//        charCodeAt; String.fromCharCode only goes the other way), and the code is what the wire needs.
//
// OUTPUT Packet { w0..w6 u64, length u6 } (the model's output record): the SoupBinTCP packet in wire order, byte b
//        of the packet in word b >> 3, bits [8(b%8)+7 : 8(b%8)] (byte 0, the high byte of the SoupBinTCP length,
//        in the least significant byte of w0). `length` is the number of valid bytes; bytes at and beyond it are
//        zero. On the wire (`packet: { beatBytes: 8, length: 'length' }`) the packet leaves as ceil(length / 8)
//        64-bit beats, w0 first: tkeep 0xFF on all but the last, whose tkeep has the low length - 8(beats - 1)
//        bits set, and tlast on it. The encoder takes its next action as the last beat leaves, so back-to-back
//        actions keep the MAC stream busy on every cycle (a 56-byte Enter Order is 7 beats = 7 cycles).
//
// MESSAGES (packet = 2-byte SoupBinTCP length + 'U' + message; the SoupBinTCP length counts 'U' + message):
//          kind  message                    without Firm     with Firm (appendage length 6 + [5, 2, firm])
//          'O'   Enter Order                47 -> 50 bytes   53 -> 56 bytes   (appendage length field 0 without)
//          'U'   Replace Order Request      40 -> 43         46 -> 49         (appendage length field 0 without)
//          'X'   Cancel Order Request        9 -> 12         17 -> 20         (no appendage length field without:
//          'M'   Modify Order Request       10 -> 13         18 -> 21          the spec makes it optional; the
//                                                                              real Cancel capture is 9 bytes)
//        Everything fits the 56-byte beat: the largest packet, an Enter Order with a Firm appendage, is exactly 56.
//        Left out: other appendage options (only Firm is carried), an empty appendage on 'X'/'M' (length field 0,
//        11/12 bytes), and the inbound types C, D, E, Q (mass cancel, order entry disable/enable, account query).
//        A kind code that is none of O U X M (only possible in hardware: the model's enum cannot hold one) gives an
//        all-zero record with length 0, which sends no beat at all.
//
// DESIGN Pure combinational packing in the state stage: every field sits at a constant byte offset per message type,
//        so each output word is, per type, an OR of byte lanes selected by constant positions (`at` below, unrolled
//        by the compiler), followed by a 4-way multiplexer on the kind. Numeric fields are big-endian on the wire:
//        `bswap` reverses their bytes first. No intermediate exceeds 64 bits (the HLS back end's limit). Latency 2
//        cycles to the first beat (input register -> state stage -> output shift register).
import { record, unit, u, ufixed, bool, enumOf, bitsBig, type RecordValue } from 'tickforge/dsl';

export enum Kind {
  Enter = 'O',
  Replace = 'U',
  Cancel = 'X',
  Modify = 'M',
}

export const Action = record('Action', {
  kind: enumOf('Kind', Kind),
  userRefNum: u(32),
  origUserRefNum: u(32),
  side: u(8),
  quantity: u(32),
  symbol: u(64),
  price: ufixed(64, 4),
  timeInForce: u(8),
  display: u(8),
  capacity: u(8),
  interMarketSweepEligibility: u(8),
  crossType: u(8),
  clOrdIdLo: u(64),
  clOrdIdHi: u(48),
  hasFirm: bool(),
  firm: u(32),
});

export const Packet = record('Packet', {
  w0: u(64),
  w1: u(64),
  w2: u(64),
  w3: u(64),
  w4: u(64),
  w5: u(64),
  w6: u(64),
  length: u(6),
});

/** 'U', the SoupBinTCP unsequenced-data packet type, at packet byte 2. */
const SOUP_U = 0x55;
/** Packet byte offset of OUCH message byte 0. */
const M = 3;
/** Wire bytes [0x00, 0x06, 0x05, 0x02] (appendage length 6; TagValue length 5, tag 2 = Firm), byte 0 lowest. */
const FIRM_HEAD = 0x02050600n;

/** The low `n` bytes of `x` in reverse order: a big-endian number to wire byte order (wire byte 0 lowest). */
function bswap(x: bigint, n: number): bigint {
  let r = 0n;
  for (let i = 0; i < 8; i++) {
    if (i < n) r = r | (bitsBig(x, 8 * i + 7, 8 * i) << BigInt(8 * (n - 1 - i)));
  }
  return r;
}

/** What packet word `k` gets from the `n` (<= 8) wire-ordered bytes of `v` (byte 0 lowest) placed at packet offset `off`. */
function at(v: bigint, off: number, n: number, k: number): bigint {
  let r = 0n;
  for (let i = 0; i < 8; i++) {
    const p = off + i;
    if (i < n && p >= 8 * k && p < 8 * k + 8) r = r | (bitsBig(v, 8 * i + 7, 8 * i) << BigInt(8 * (p - 8 * k)));
  }
  return r;
}

/** A big-endian numeric field of `n` bytes at packet offset `off`, word `k`. */
function be(x: bigint, off: number, n: number, k: number): bigint {
  return at(bswap(x, n), off, n, k);
}

/** SoupBinTCP header: big-endian length (type byte + message) and 'U', packet bytes 0..2. */
function header(msgLen: number, k: number): bigint {
  return be(BigInt(msgLen + 1), 0, 2, k) | at(BigInt(SOUP_U), 2, 1, k);
}

/** The 14-byte ClOrdID at packet offset `off`. */
function clOrdId(lo: bigint, hi: number, off: number, k: number): bigint {
  return at(lo, off, 8, k) | at(BigInt(hi), off + 8, 6, k);
}

function enterWord(x: ActionIn, k: number): bigint {
  const f = x.hasFirm;
  return (
    header(f ? 53 : 47, k) |
    at(0x4fn, M, 1, k) |
    be(BigInt(x.userRefNum), M + 1, 4, k) |
    at(BigInt(x.side), M + 5, 1, k) |
    be(BigInt(x.quantity), M + 6, 4, k) |
    at(x.symbol, M + 10, 8, k) |
    be(x.price, M + 18, 8, k) |
    at(BigInt(x.timeInForce), M + 26, 1, k) |
    at(BigInt(x.display), M + 27, 1, k) |
    at(BigInt(x.capacity), M + 28, 1, k) |
    at(BigInt(x.interMarketSweepEligibility), M + 29, 1, k) |
    at(BigInt(x.crossType), M + 30, 1, k) |
    clOrdId(x.clOrdIdLo, x.clOrdIdHi, M + 31, k) |
    // appendage length @45 (0 without the Firm), then [5, 2, firm] @47
    at(f ? FIRM_HEAD : 0n, M + 45, 4, k) |
    at(f ? BigInt(x.firm) : 0n, M + 49, 4, k)
  );
}

function replaceWord(x: ActionIn, k: number): bigint {
  const f = x.hasFirm;
  return (
    header(f ? 46 : 40, k) |
    at(0x55n, M, 1, k) |
    be(BigInt(x.origUserRefNum), M + 1, 4, k) |
    be(BigInt(x.userRefNum), M + 5, 4, k) |
    be(BigInt(x.quantity), M + 9, 4, k) |
    be(x.price, M + 13, 8, k) |
    at(BigInt(x.timeInForce), M + 21, 1, k) |
    at(BigInt(x.display), M + 22, 1, k) |
    at(BigInt(x.interMarketSweepEligibility), M + 23, 1, k) |
    clOrdId(x.clOrdIdLo, x.clOrdIdHi, M + 24, k) |
    at(f ? FIRM_HEAD : 0n, M + 38, 4, k) |
    at(f ? BigInt(x.firm) : 0n, M + 42, 4, k)
  );
}

function cancelWord(x: ActionIn, k: number): bigint {
  const f = x.hasFirm;
  return (
    header(f ? 17 : 9, k) |
    at(0x58n, M, 1, k) |
    be(BigInt(x.userRefNum), M + 1, 4, k) |
    be(BigInt(x.quantity), M + 5, 4, k) |
    at(f ? FIRM_HEAD : 0n, M + 9, 4, k) |
    at(f ? BigInt(x.firm) : 0n, M + 13, 4, k)
  );
}

function modifyWord(x: ActionIn, k: number): bigint {
  const f = x.hasFirm;
  return (
    header(f ? 18 : 10, k) |
    at(0x4dn, M, 1, k) |
    be(BigInt(x.userRefNum), M + 1, 4, k) |
    at(BigInt(x.side), M + 5, 1, k) |
    be(BigInt(x.quantity), M + 6, 4, k) |
    at(f ? FIRM_HEAD : 0n, M + 10, 4, k) |
    at(f ? BigInt(x.firm) : 0n, M + 14, 4, k)
  );
}

/** Packet word `k` for any kind. */
function word(x: ActionIn, k: number): bigint {
  if (x.kind === Kind.Enter) return enterWord(x, k);
  if (x.kind === Kind.Replace) return replaceWord(x, k);
  if (x.kind === Kind.Cancel) return cancelWord(x, k);
  if (x.kind === Kind.Modify) return modifyWord(x, k);
  return 0n;
}

/** Packet length in bytes: 3 + the message length. */
function packetLength(x: ActionIn): number {
  const f = x.hasFirm;
  if (x.kind === Kind.Enter) return f ? 56 : 50;
  if (x.kind === Kind.Replace) return f ? 49 : 43;
  if (x.kind === Kind.Cancel) return f ? 20 : 12;
  if (x.kind === Kind.Modify) return f ? 21 : 13;
  return 0;
}

type ActionIn = RecordValue<typeof Action>;

export default unit({
  name: 'ouch_encoder',
  input: Action,
  output: Packet,
  packet: { beatBytes: 8, length: 'length' },
  step(x) {
    return {
      w0: word(x, 0),
      w1: word(x, 1),
      w2: word(x, 2),
      w3: word(x, 3),
      w4: word(x, 4),
      w5: word(x, 5),
      w6: word(x, 6),
      length: packetLength(x),
    };
  },
});

// Host-side stimulus for cosim (ordinary JavaScript, never compiled): examples/ouch-encoder/stimulus.ts.
export { stimulus, randomAction, toAction, toMessage, libraryPacket, packetBytes, capturedInbound, type ActionValue, type PacketValue } from './stimulus.ts';
