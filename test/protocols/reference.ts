// An independent reference decoder for the protocol tests. It shares NO code with dsl/protocols or sim/stimulus:
// every message is a hand-written table of [field, offset, kind] copied from the specs' Offset columns (not
// computed from sizes), read with Node's Buffer methods, and the pcap/Ethernet/IPv4/UDP/TCP/MoldUDP64/SoupBinTCP
// unwrapping is written out again, in the simplest way that works on well-formed captures.
//
// Kinds: 'c' one character, 'aN' N-byte alpha, 'u1' 'u2' 'u4' 'u6' integers as numbers, 'u8' as a decimal
// string (as the CLI prints bigints), 's4' signed 4-byte, 'app' an OUCH appendage (u16 length + TagValues),
// 'app?' one whose length field may be absent.
type Row = [name: string, offset: number, kind: string];

const H: Row[] = [
  ['stockLocate', 1, 'u2'],
  ['trackingNumber', 3, 'u2'],
  ['timestamp', 5, 'u6'],
];

/** ITCH 5.0: [rows, total length in bytes]. */
export const ITCH: Record<string, [Row[], number]> = {
  S: [[...H, ['eventCode', 11, 'c']], 12],
  R: [
    [
      ...H,
      ['stock', 11, 'a8'],
      ['marketCategory', 19, 'c'],
      ['financialStatusIndicator', 20, 'c'],
      ['roundLotSize', 21, 'u4'],
      ['roundLotsOnly', 25, 'c'],
      ['issueClassification', 26, 'c'],
      ['issueSubType', 27, 'a2'],
      ['authenticity', 29, 'c'],
      ['shortSaleThresholdIndicator', 30, 'c'],
      ['ipoFlag', 31, 'c'],
      ['luldReferencePriceTier', 32, 'c'],
      ['etpFlag', 33, 'c'],
      ['etpLeverageFactor', 34, 'u4'],
      ['inverseIndicator', 38, 'c'],
    ],
    39,
  ],
  H: [[...H, ['stock', 11, 'a8'], ['tradingState', 19, 'c'], ['reserved', 20, 'c'], ['reason', 21, 'a4']], 25],
  Y: [[...H, ['stock', 11, 'a8'], ['regShoAction', 19, 'c']], 20],
  L: [[...H, ['mpid', 11, 'a4'], ['stock', 15, 'a8'], ['primaryMarketMaker', 23, 'c'], ['marketMakerMode', 24, 'c'], ['marketParticipantState', 25, 'c']], 26],
  V: [[...H, ['level1', 11, 'u8'], ['level2', 19, 'u8'], ['level3', 27, 'u8']], 35],
  W: [[...H, ['breachedLevel', 11, 'c']], 12],
  K: [[...H, ['stock', 11, 'a8'], ['ipoQuotationReleaseTime', 19, 'u4'], ['ipoQuotationReleaseQualifier', 23, 'c'], ['ipoPrice', 24, 'u4']], 28],
  J: [
    [...H, ['stock', 11, 'a8'], ['auctionCollarReferencePrice', 19, 'u4'], ['upperAuctionCollarPrice', 23, 'u4'], ['lowerAuctionCollarPrice', 27, 'u4'], ['auctionCollarExtension', 31, 'u4']],
    35,
  ],
  h: [[...H, ['stock', 11, 'a8'], ['marketCode', 19, 'c'], ['operationalHaltAction', 20, 'c']], 21],
  A: [[...H, ['orderReferenceNumber', 11, 'u8'], ['buySellIndicator', 19, 'c'], ['shares', 20, 'u4'], ['stock', 24, 'a8'], ['price', 32, 'u4']], 36],
  F: [[...H, ['orderReferenceNumber', 11, 'u8'], ['buySellIndicator', 19, 'c'], ['shares', 20, 'u4'], ['stock', 24, 'a8'], ['price', 32, 'u4'], ['attribution', 36, 'a4']], 40],
  E: [[...H, ['orderReferenceNumber', 11, 'u8'], ['executedShares', 19, 'u4'], ['matchNumber', 23, 'u8']], 31],
  C: [[...H, ['orderReferenceNumber', 11, 'u8'], ['executedShares', 19, 'u4'], ['matchNumber', 23, 'u8'], ['printable', 31, 'c'], ['executionPrice', 32, 'u4']], 36],
  X: [[...H, ['orderReferenceNumber', 11, 'u8'], ['cancelledShares', 19, 'u4']], 23],
  D: [[...H, ['orderReferenceNumber', 11, 'u8']], 19],
  U: [[...H, ['originalOrderReferenceNumber', 11, 'u8'], ['newOrderReferenceNumber', 19, 'u8'], ['shares', 27, 'u4'], ['price', 31, 'u4']], 35],
  P: [[...H, ['orderReferenceNumber', 11, 'u8'], ['buySellIndicator', 19, 'c'], ['shares', 20, 'u4'], ['stock', 24, 'a8'], ['price', 32, 'u4'], ['matchNumber', 36, 'u8']], 44],
  Q: [[...H, ['shares', 11, 'u8'], ['stock', 19, 'a8'], ['crossPrice', 27, 'u4'], ['matchNumber', 31, 'u8'], ['crossType', 39, 'c']], 40],
  B: [[...H, ['matchNumber', 11, 'u8']], 19],
  I: [
    [
      ...H,
      ['pairedShares', 11, 'u8'],
      ['imbalanceShares', 19, 'u8'],
      ['imbalanceDirection', 27, 'c'],
      ['stock', 28, 'a8'],
      ['farPrice', 36, 'u4'],
      ['nearPrice', 40, 'u4'],
      ['currentReferencePrice', 44, 'u4'],
      ['crossType', 48, 'c'],
      ['priceVariationIndicator', 49, 'c'],
    ],
    50,
  ],
  N: [[...H, ['stock', 11, 'a8'], ['interestFlag', 19, 'c']], 20],
  O: [
    [
      ...H,
      ['stock', 11, 'a8'],
      ['openEligibilityStatus', 19, 'c'],
      ['minimumAllowablePrice', 20, 'u4'],
      ['maximumAllowablePrice', 24, 'u4'],
      ['nearExecutionPrice', 28, 'u4'],
      ['nearExecutionTime', 32, 'u8'],
      ['lowerPriceRangeCollar', 40, 'u4'],
      ['upperPriceRangeCollar', 44, 'u4'],
    ],
    48,
  ],
};

/** OUCH 5.0 inbound: [rows, length of the fixed part (up to and including the appendage length field)]. */
export const OUCH_IN: Record<string, [Row[], number]> = {
  O: [
    [
      ['userRefNum', 1, 'u4'],
      ['side', 5, 'c'],
      ['quantity', 6, 'u4'],
      ['symbol', 10, 'a8'],
      ['price', 18, 'u8'],
      ['timeInForce', 26, 'c'],
      ['display', 27, 'c'],
      ['capacity', 28, 'c'],
      ['interMarketSweepEligibility', 29, 'c'],
      ['crossType', 30, 'c'],
      ['clOrdId', 31, 'a14'],
      ['appendage', 45, 'app'],
    ],
    47,
  ],
  U: [
    [
      ['origUserRefNum', 1, 'u4'],
      ['userRefNum', 5, 'u4'],
      ['quantity', 9, 'u4'],
      ['price', 13, 'u8'],
      ['timeInForce', 21, 'c'],
      ['display', 22, 'c'],
      ['interMarketSweepEligibility', 23, 'c'],
      ['clOrdId', 24, 'a14'],
      ['appendage', 38, 'app'],
    ],
    40,
  ],
  X: [[['userRefNum', 1, 'u4'], ['quantity', 5, 'u4'], ['appendage', 9, 'app?']], 11],
  M: [[['userRefNum', 1, 'u4'], ['side', 5, 'c'], ['quantity', 6, 'u4'], ['appendage', 10, 'app?']], 12],
  C: [[['userRefNum', 1, 'u4'], ['firm', 5, 'a4'], ['symbol', 9, 'a8'], ['appendage', 17, 'app']], 19],
  D: [[['userRefNum', 1, 'u4'], ['firm', 5, 'a4'], ['appendage', 9, 'app']], 11],
  E: [[['userRefNum', 1, 'u4'], ['firm', 5, 'a4'], ['appendage', 9, 'app']], 11],
  Q: [[['appendage', 1, 'app?']], 3],
};

const T: Row = ['timestamp', 1, 'u8'];
export const OUCH_OUT: Record<string, [Row[], number]> = {
  S: [[T, ['eventCode', 9, 'c']], 10],
  A: [
    [
      T,
      ['userRefNum', 9, 'u4'],
      ['side', 13, 'c'],
      ['quantity', 14, 'u4'],
      ['symbol', 18, 'a8'],
      ['price', 26, 'u8'],
      ['timeInForce', 34, 'c'],
      ['display', 35, 'c'],
      ['orderReferenceNumber', 36, 'u8'],
      ['capacity', 44, 'c'],
      ['interMarketSweepEligibility', 45, 'c'],
      ['crossType', 46, 'c'],
      ['orderState', 47, 'c'],
      ['clOrdId', 48, 'a14'],
      ['appendage', 62, 'app'],
    ],
    64,
  ],
  U: [
    [
      T,
      ['origUserRefNum', 9, 'u4'],
      ['userRefNum', 13, 'u4'],
      ['side', 17, 'c'],
      ['quantity', 18, 'u4'],
      ['symbol', 22, 'a8'],
      ['price', 30, 'u8'],
      ['timeInForce', 38, 'c'],
      ['display', 39, 'c'],
      ['orderReferenceNumber', 40, 'u8'],
      ['capacity', 48, 'c'],
      ['interMarketSweepEligibility', 49, 'c'],
      ['crossType', 50, 'c'],
      ['orderState', 51, 'c'],
      ['clOrdId', 52, 'a14'],
      ['appendage', 66, 'app'],
    ],
    68,
  ],
  C: [[T, ['userRefNum', 9, 'u4'], ['quantity', 13, 'u4'], ['reason', 17, 'c'], ['appendage', 18, 'app?']], 20],
  D: [
    [
      T,
      ['userRefNum', 9, 'u4'],
      ['decrementShares', 13, 'u4'],
      ['reason', 17, 'c'],
      ['quantityPreventedFromTrading', 18, 'u4'],
      ['executionPrice', 22, 'u8'],
      ['liquidityFlag', 30, 'c'],
      ['aiqStrategy', 31, 'c'],
      ['appendage', 32, 'app?'],
    ],
    34,
  ],
  E: [[T, ['userRefNum', 9, 'u4'], ['quantity', 13, 'u4'], ['price', 17, 'u8'], ['liquidityFlag', 25, 'c'], ['matchNumber', 26, 'u8'], ['appendage', 34, 'app']], 36],
  B: [[T, ['userRefNum', 9, 'u4'], ['matchNumber', 13, 'u8'], ['reason', 21, 'c'], ['clOrdId', 22, 'a14'], ['appendage', 36, 'app?']], 38],
  J: [[T, ['userRefNum', 9, 'u4'], ['reason', 13, 'u2'], ['clOrdId', 15, 'a14'], ['appendage', 29, 'app?']], 31],
  P: [[T, ['userRefNum', 9, 'u4'], ['appendage', 13, 'app?']], 15],
  I: [[T, ['userRefNum', 9, 'u4'], ['appendage', 13, 'app?']], 15],
  T: [[T, ['userRefNum', 9, 'u4'], ['price', 13, 'u8'], ['display', 21, 'c'], ['orderReferenceNumber', 22, 'u8'], ['appendage', 30, 'app?']], 32],
  M: [[T, ['userRefNum', 9, 'u4'], ['side', 13, 'c'], ['quantity', 14, 'u4'], ['appendage', 18, 'app?']], 20],
  R: [[T, ['userRefNum', 9, 'u4'], ['reason', 13, 'c'], ['appendage', 14, 'app']], 16],
  X: [[T, ['userRefNum', 9, 'u4'], ['firm', 13, 'a4'], ['symbol', 17, 'a8'], ['appendage', 25, 'app']], 27],
  G: [[T, ['userRefNum', 9, 'u4'], ['firm', 13, 'a4'], ['appendage', 17, 'app']], 19],
  K: [[T, ['userRefNum', 9, 'u4'], ['firm', 13, 'a4'], ['appendage', 17, 'app']], 19],
  Q: [[T, ['nextUserRefNum', 9, 'u4'], ['appendage', 13, 'app?']], 15],
};

/** OUCH Appendix B: tag -> [name, kind]. */
export const OUCH_TAGS: Record<number, [string, string]> = {
  1: ['secondaryOrdRefNum', 'u8'],
  2: ['firm', 'a4'],
  3: ['minQty', 'u4'],
  4: ['customerType', 'c'],
  5: ['maxFloor', 'u4'],
  6: ['priceType', 'c'],
  7: ['pegOffset', 's4'],
  9: ['discretionPrice', 'u8'],
  10: ['discretionPriceType', 'c'],
  11: ['discretionPegOffset', 's4'],
  12: ['postOnly', 'c'],
  13: ['randomReserves', 'u4'],
  14: ['route', 'a4'],
  15: ['expireTime', 'u4'],
  16: ['tradeNow', 'c'],
  17: ['handleInst', 'c'],
  18: ['bboWeightIndicator', 'c'],
  22: ['displayQuantity', 'u4'],
  23: ['displayPrice', 'u8'],
  24: ['groupId', 'u2'],
  25: ['sharesLocated', 'c'],
  26: ['locateBroker', 'a4'],
  27: ['side', 'c'],
  28: ['userRefIdx', 'u1'],
};

const sizeOfKind = (k: string) => (k === 'c' ? 1 : k[0] === 'a' ? Number(k.slice(1)) : Number(k.slice(1)));

function read(b: Buffer, o: number, kind: string): unknown {
  if (kind === 'c') return b.toString('latin1', o, o + 1);
  if (kind[0] === 'a') return b.toString('latin1', o, o + Number(kind.slice(1)));
  if (kind === 'u8') return b.readBigUInt64BE(o).toString();
  if (kind === 's4') return b.readInt32BE(o);
  return b.readUIntBE(o, Number(kind.slice(1)));
}

export type Json = Record<string, unknown>;

/** One message of `table`, or a string saying why it is not one. */
export function refDecode(table: Record<string, [Row[], number]>, b: Buffer): Json | string {
  const t = b.toString('latin1', 0, 1);
  const entry = table[t];
  if (!entry) return `unknown type ${t}`;
  const [rows, fixed] = entry;
  const out: Json = { type: t };
  for (const [name, off, kind] of rows) {
    if (kind === 'app' || kind === 'app?') {
      if (kind === 'app?' && b.length === fixed - 2) continue;
      if (b.length < fixed) return 'short';
      const n = b.readUInt16BE(off);
      if (n !== b.length - fixed) return 'appendage length';
      out.appendageLength = n;
      const els: Json[] = [];
      for (let p = fixed; p < b.length; ) {
        const len = b[p]!;
        const tag = b[p + 1]!;
        const opt = OUCH_TAGS[tag];
        if (opt && sizeOfKind(opt[1]) === len - 1) els.push({ tag, option: opt[0], value: read(b, p + 2, opt[1]) });
        else els.push({ tag, raw: b.toString('hex', p + 2, p + 1 + len) });
        p += 1 + len;
      }
      out.appendage = els;
      continue;
    }
    out[name] = read(b, off, kind);
  }
  if (!rows.some((r) => r[2].startsWith('app')) && b.length !== fixed) return `length ${b.length}, expected ${fixed}`;
  return out;
}

/** Every message of a BinaryFILE. */
export function refBinaryFile(b: Buffer): Json[] {
  const out: Json[] = [];
  for (let o = 0; o < b.length; ) {
    const n = b.readUInt16BE(o);
    const m = refDecode(ITCH, b.subarray(o + 2, o + 2 + n));
    if (typeof m === 'string') throw new Error(`reference: ${m} at ${o}`);
    out.push(m);
    o += 2 + n;
  }
  return out;
}

/** The raw frames of a classic pcap (either byte order). */
export function refPcapFrames(b: Buffer): Buffer[] {
  const le = b.readUInt32LE(0) === 0xa1b2c3d4 || b.readUInt32LE(0) === 0xa1b23c4d;
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const frames: Buffer[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const incl = u32(o + 8);
    frames.push(b.subarray(o + 16, o + 16 + incl));
    o += 16 + incl;
  }
  return frames;
}

/** IPv4 payload of an Ethernet frame (VLAN tags skipped): [protocol, transport header + payload]. */
function refIp(f: Buffer): [number, Buffer] {
  let o = 12;
  while (f.readUInt16BE(o) === 0x8100) o += 4;
  const ip = o + 2;
  const ihl = (f[ip]! & 15) * 4;
  const total = f.readUInt16BE(ip + 2);
  return [f[ip + 9]!, f.subarray(ip + ihl, ip + total)];
}

/** Decoded lines of a capture, as `tickforge decode --jsonl --session` prints them. */
export function refPcap(b: Buffer): Json[] {
  const out: Json[] = [];
  const streams = new Map<string, Buffer>();
  for (const f of refPcapFrames(b)) {
    const [proto, t] = refIp(f);
    if (proto === 17) {
      const mold = t.subarray(8, t.readUInt16BE(4));
      const count = mold.readUInt16BE(18);
      out.push({ layer: 'moldudp64', session: mold.toString('latin1', 0, 10), sequenceNumber: mold.readBigUInt64BE(10).toString(), messageCount: count });
      const blocks = count === 0xffff ? 0 : count; // end of session carries none
      for (let p = 20, k = 0; k < blocks; k++) {
        const n = mold.readUInt16BE(p);
        const m = refDecode(ITCH, mold.subarray(p + 2, p + 2 + n));
        if (typeof m === 'string') throw new Error(`reference: ${m}`);
        out.push(m);
        p += 2 + n;
      }
    } else if (proto === 6) {
      const key = f.toString('hex', 0, 12) + t.toString('hex', 0, 4);
      const data = Buffer.concat([streams.get(key) ?? Buffer.alloc(0), t.subarray((t[12]! >> 4) * 4)]);
      let p = 0;
      while (p + 2 <= data.length && p + 2 + data.readUInt16BE(p) <= data.length) {
        const n = data.readUInt16BE(p);
        const type = data.toString('latin1', p + 2, p + 3);
        const body = data.subarray(p + 3, p + 2 + n);
        if (type === 'S' || type === 'U') {
          out.push({ layer: 'soupbintcp', type, length: body.length });
          const m = refDecode(type === 'U' ? OUCH_IN : OUCH_OUT, body);
          if (typeof m === 'string') throw new Error(`reference: ${m}`);
          out.push({ type: m.type, direction: type === 'U' ? 'in' : 'out', ...m });
        } else out.push({ layer: 'soupbintcp', type });
        p += 2 + n;
      }
      streams.set(key, data.subarray(p));
    }
  }
  return out;
}

/** The application messages inside SoupBinTCP packets of a capture, as raw bytes with their direction. */
export function refSoupMessages(b: Buffer): Array<{ direction: 'in' | 'out'; bytes: Buffer }> {
  const out: Array<{ direction: 'in' | 'out'; bytes: Buffer }> = [];
  for (const f of refPcapFrames(b)) {
    const [proto, t] = refIp(f);
    if (proto !== 6) continue;
    const data = t.subarray((t[12]! >> 4) * 4);
    for (let p = 0; p + 2 <= data.length; ) {
      const n = data.readUInt16BE(p);
      const type = data.toString('latin1', p + 2, p + 3);
      if (type === 'S' || type === 'U') out.push({ direction: type === 'U' ? 'in' : 'out', bytes: Buffer.from(data.subarray(p + 3, p + 2 + n)) });
      p += 2 + n;
    }
  }
  return out;
}
