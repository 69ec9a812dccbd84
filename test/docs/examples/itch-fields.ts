// Protocol fields in a unit (docs/dsl.md "Protocol fields"): an ITCH Add Order's fields read by name from the
// 64-bit words that hold the message, and an OUCH Enter Order written by name into the words of a packet. Offsets,
// sizes, byte order and types come from the declarations in tickforge/protocols (dsl/protocols/itch50.ts, ouch50.ts).
import { record, unit, u, bits, bitsBig, wrap, type Rng, type RecordValue } from 'tickforge/dsl';
import { itch, ouch, readField, encodeWord, fieldSpec, typeCodeOf, itch50 } from 'tickforge/protocols';

// Message bytes 0..39, byte b in bits [8(b%8)+7 : 8(b%8)] of word b >> 3 (the AXI-Stream lane order).
export const Msg = record('Msg', { w0: u(64), w1: u(64), w2: u(64), w3: u(64), w4: u(64) });

// An OUCH Enter Order mirroring the Add Order: message bytes 0..46 in w0..w5, and what was read, typed by the
// declarations (fieldSpec gives ufixed(32, 4) for an ITCH Price(4), u(8) for a character, u(64) for alpha(8)).
export const Mirror = record('Mirror', {
  w0: u(64),
  w1: u(64),
  w2: u(64),
  w3: u(64),
  w4: u(64),
  w5: u(64),
  price: fieldSpec(itch.AddOrder, 'price'),
  side: fieldSpec(itch.AddOrder, 'buySellIndicator'),
});

const A = typeCodeOf(itch.AddOrder); // 0x41
const F = typeCodeOf(itch.AddOrderMpid); // 0x46: the same fields at the same offsets, then attribution

/** Word k of the Enter Order for the Add Order in m: the Add Order's fields read, the Enter Order's written. */
function enterWord(m: RecordValue<typeof Msg>, k: number): bigint {
  const ref = readField(itch.AddOrder, 'orderReferenceNumber', [m.w0, m.w1, m.w2, m.w3, m.w4]); // bytes 11..18, big-endian
  return encodeWord(
    ouch.EnterOrder,
    {
      userRefNum: wrap(Number(bitsBig(ref, 31, 0)), u(32)),
      side: readField(itch.AddOrder, 'buySellIndicator', [m.w0, m.w1, m.w2, m.w3, m.w4]), // 'B' or 'S': its ASCII code
      quantity: readField(itch.AddOrder, 'shares', [m.w0, m.w1, m.w2, m.w3, m.w4]),
      symbol: readField(itch.AddOrder, 'stock', [m.w0, m.w1, m.w2, m.w3, m.w4]), // 8 characters, byte 0 lowest: copied as they are
      price: BigInt(readField(itch.AddOrder, 'price', [m.w0, m.w1, m.w2, m.w3, m.w4])), // Price(4) -> OUCH Price(8), both 4 decimals
      timeInForce: 0x30, // '0': day
      display: 0x59, // 'Y'
      capacity: 0x50, // 'P'
      interMarketSweepEligibility: 0x4e, // 'N'
      crossType: 0x4e, // 'N'
      clOrdId: [ref, 0], // 14 bytes: two chunks, bytes 0..7 and 8..13
      appendage: 0, // no options
    },
    0,
    k,
  );
}

export default unit({
  name: 'itch_fields',
  input: Msg,
  output: Mirror,
  step(m) {
    const t = bits(m.w0, 7, 0);
    if (t !== A && t !== F) return undefined;
    return {
      w0: enterWord(m, 0),
      w1: enterWord(m, 1),
      w2: enterWord(m, 2),
      w3: enterWord(m, 3),
      w4: enterWord(m, 4),
      w5: enterWord(m, 5),
      price: readField(itch.AddOrder, 'price', [m.w0, m.w1, m.w2, m.w3, m.w4]),
      side: readField(itch.AddOrder, 'buySellIndicator', [m.w0, m.w1, m.w2, m.w3, m.w4]),
    };
  },
});

// Host-side stimulus for `tickforge cosim --input synthetic:N`: ordinary JavaScript, never compiled. Mostly Add
// Orders encoded by the protocol library, some other bytes.
const codec = itch50();
export function synthetic(rng: Rng, index: number): RecordValue<typeof Msg> {
  const b = new Uint8Array(40);
  if (rng.chance(0.8)) {
    const add = {
      type: 'A' as const,
      stockLocate: rng.below(65536),
      trackingNumber: rng.below(65536),
      timestamp: index,
      orderReferenceNumber: rng.bits(64),
      buySellIndicator: rng.chance(0.5) ? 'B' : 'S',
      shares: rng.below(2 ** 32),
      stock: 'AAPL    ',
      price: rng.below(2 ** 32),
    };
    b.set(codec.encode(add), 0);
  } else for (let j = 0; j < 40; j++) b[j] = rng.below(256);
  const w = (k: number) => [...b.subarray(8 * k, 8 * k + 8)].reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
  return { w0: w(0), w1: w(1), w2: w(2), w3: w(3), w4: w(4) };
}
