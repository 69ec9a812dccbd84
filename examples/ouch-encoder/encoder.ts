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
// DESIGN Pure combinational packing in the state stage. Every field is written by name from the protocol library's
//        declarations (tickforge/protocols: ouch.EnterOrder, ..., soup.PacketLength, soup.UnsequencedData,
//        ouch.TagValueHead, OUCH50_OPTIONS), which give its offset, size and byte order; no offset or length is written
//        here. encodeWord(layout, { field: value, ... }, at, k) is what packet word k gets from a message whose byte 0
//        is packet byte `at`: per type, each output word is an OR of byte lanes at constant positions (numeric fields
//        byte-reversed: big-endian on the wire), followed by a 4-way multiplexer on the kind. No intermediate exceeds
//        64 bits (the HLS back end's limit): the 14-byte ClOrdID is written as two chunks. Latency 2 cycles to the
//        first beat (input register -> state stage -> output shift register).
import { record, unit, u, bool, enumOf, bitsBig, type RecordValue } from 'tickforge/dsl';
import { ouch, soup, encodeWord, writeField, fieldOffset, fieldSize, fieldSpec, optionTag, optionSize, OUCH50_OPTIONS } from 'tickforge/protocols';

export enum Kind {
  Enter = 'O',
  Replace = 'U',
  Cancel = 'X',
  Modify = 'M',
}

/** The ClOrdID (alpha(14)) as two chunks: bytes 0..7, and the rest. */
const CLORDID_HI_BYTES = fieldSize(ouch.EnterOrder, 'clOrdId') - 8;
const FIRM_TAG = optionTag(OUCH50_OPTIONS, 'firm');
const FIRM_SIZE = optionSize(OUCH50_OPTIONS, 'firm');
/** The only appendage carried: one TagValue, the Firm option. */
const FIRM_BYTES = ouch.TagValueHead.length + FIRM_SIZE;

export const Action = record('Action', {
  kind: enumOf('Kind', Kind),
  userRefNum: fieldSpec(ouch.EnterOrder, 'userRefNum'),
  origUserRefNum: fieldSpec(ouch.ReplaceOrder, 'origUserRefNum'),
  side: fieldSpec(ouch.EnterOrder, 'side'),
  quantity: fieldSpec(ouch.EnterOrder, 'quantity'),
  symbol: fieldSpec(ouch.EnterOrder, 'symbol'),
  price: fieldSpec(ouch.EnterOrder, 'price'),
  timeInForce: fieldSpec(ouch.EnterOrder, 'timeInForce'),
  display: fieldSpec(ouch.EnterOrder, 'display'),
  capacity: fieldSpec(ouch.EnterOrder, 'capacity'),
  interMarketSweepEligibility: fieldSpec(ouch.EnterOrder, 'interMarketSweepEligibility'),
  crossType: fieldSpec(ouch.EnterOrder, 'crossType'),
  clOrdIdLo: u(64),
  clOrdIdHi: u(8 * CLORDID_HI_BYTES),
  hasFirm: bool(),
  firm: u(8 * FIRM_SIZE),
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

/** Packet byte offset of OUCH message byte 0: after the SoupBinTCP length and the packet type. */
const M = soup.PacketLength.length + fieldOffset(soup.UnsequencedData, 'message');

/** What packet word `k` gets from the `n` (<= 8) wire-ordered bytes of `v` (byte 0 lowest) placed at packet offset `off`. */
function at(v: bigint, off: number, n: number, k: number): bigint {
  let r = 0n;
  for (let i = 0; i < 8; i++) {
    const p = off + i;
    if (i < n && p >= 8 * k && p < 8 * k + 8) r = r | (bitsBig(v, 8 * i + 7, 8 * i) << BigInt(8 * (p - 8 * k)));
  }
  return r;
}

/** SoupBinTCP header, packet bytes 0..M-1: the length (packet type + message) and the type 'U'. */
function header(msgLen: number, k: number): bigint {
  return writeField(soup.PacketLength, 'packetLength', msgLen + (M - soup.PacketLength.length), 0, k) | encodeWord(soup.UnsequencedData, {}, soup.PacketLength.length, k);
}

/** The Firm appendage element at packet offset `off` (all zero without the Firm). */
function firmOption(f: boolean, firm: number, off: number, k: number): bigint {
  return (
    encodeWord(ouch.TagValueHead, { length: f ? FIRM_BYTES - 1 : 0, tag: f ? FIRM_TAG : 0 }, off, k) |
    at(f ? BigInt(firm) : 0n, off + ouch.TagValueHead.length, FIRM_SIZE, k)
  );
}

function enterWord(x: ActionIn, k: number): bigint {
  const f = x.hasFirm;
  const L = ouch.EnterOrder;
  return (
    header(f ? L.length + FIRM_BYTES : L.length, k) |
    encodeWord(
      L,
      {
        userRefNum: x.userRefNum,
        side: x.side,
        quantity: x.quantity,
        symbol: x.symbol,
        price: x.price,
        timeInForce: x.timeInForce,
        display: x.display,
        capacity: x.capacity,
        interMarketSweepEligibility: x.interMarketSweepEligibility,
        crossType: x.crossType,
        clOrdId: [x.clOrdIdLo, x.clOrdIdHi],
        appendage: f ? FIRM_BYTES : 0,
      },
      M,
      k,
    ) |
    firmOption(f, x.firm, M + L.length, k)
  );
}

function replaceWord(x: ActionIn, k: number): bigint {
  const f = x.hasFirm;
  const L = ouch.ReplaceOrder;
  return (
    header(f ? L.length + FIRM_BYTES : L.length, k) |
    encodeWord(
      L,
      {
        origUserRefNum: x.origUserRefNum,
        userRefNum: x.userRefNum,
        quantity: x.quantity,
        price: x.price,
        timeInForce: x.timeInForce,
        display: x.display,
        interMarketSweepEligibility: x.interMarketSweepEligibility,
        clOrdId: [x.clOrdIdLo, x.clOrdIdHi],
        appendage: f ? FIRM_BYTES : 0,
      },
      M,
      k,
    ) |
    firmOption(f, x.firm, M + L.length, k)
  );
}

// Cancel and Modify: the appendage length field is optional, and sent only with the Firm (the real Cancel capture
// is minLength bytes).
function cancelWord(x: ActionIn, k: number): bigint {
  const f = x.hasFirm;
  const L = ouch.CancelOrder;
  return (
    header(f ? L.length + FIRM_BYTES : L.minLength, k) |
    encodeWord(L, { userRefNum: x.userRefNum, quantity: x.quantity, appendage: f ? FIRM_BYTES : 0 }, M, k) |
    firmOption(f, x.firm, M + L.length, k)
  );
}

function modifyWord(x: ActionIn, k: number): bigint {
  const f = x.hasFirm;
  const L = ouch.ModifyOrder;
  return (
    header(f ? L.length + FIRM_BYTES : L.minLength, k) |
    encodeWord(L, { userRefNum: x.userRefNum, side: x.side, quantity: x.quantity, appendage: f ? FIRM_BYTES : 0 }, M, k) |
    firmOption(f, x.firm, M + L.length, k)
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

/** Packet length in bytes: M + the message length. */
function packetLength(x: ActionIn): number {
  const f = x.hasFirm;
  if (x.kind === Kind.Enter) return f ? M + ouch.EnterOrder.length + FIRM_BYTES : M + ouch.EnterOrder.length;
  if (x.kind === Kind.Replace) return f ? M + ouch.ReplaceOrder.length + FIRM_BYTES : M + ouch.ReplaceOrder.length;
  if (x.kind === Kind.Cancel) return f ? M + ouch.CancelOrder.length + FIRM_BYTES : M + ouch.CancelOrder.minLength;
  if (x.kind === Kind.Modify) return f ? M + ouch.ModifyOrder.length + FIRM_BYTES : M + ouch.ModifyOrder.minLength;
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
