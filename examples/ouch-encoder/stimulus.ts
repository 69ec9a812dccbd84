// Host-side code for the OUCH 5.0 encoder (examples/ouch-encoder/encoder.ts): stimulus for cosim, conversions between
// the protocol library's messages and the encoder's Action records, the library's reference encoding of an Action,
// and the SoupBinTCP packets of a capture. Ordinary JavaScript, never compiled.
import { Rng, type RecordValue } from 'tickforge/dsl';
import { ouch50Inbound, type OuchInbound, encodeSoupPacket, soupBinTcp, type TagValue } from 'tickforge/protocols';
import { isPcap, parseFrame, readPcap, SoupStream, Diagnostics, readInputFile } from 'tickforge/stimulus';
import { Kind, type Action, type Packet } from './encoder.ts';

export type ActionValue = RecordValue<typeof Action>;
export type PacketValue = RecordValue<typeof Packet>;
type Msg<T extends string> = Extract<OuchInbound, { type: T }>;

const ouch = ouch50Inbound();
const soup = soupBinTcp();

/** `n` latin-1 characters as a little-endian bigint (character 0 in bits 7..0). */
export function asciiBits(s: string, n: number): bigint {
  if (s.length !== n) throw new RangeError(`expected ${n} characters, got ${JSON.stringify(s)}`);
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`character ${c} is not latin-1`);
    v = (v << 8n) | BigInt(c);
  }
  return v;
}

/** The inverse of asciiBits. */
export function bitsAscii(v: bigint, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Number((v >> BigInt(8 * i)) & 0xffn));
  return s;
}

const code = (c: string) => {
  if (c.length !== 1 || c.charCodeAt(0) > 0xff) throw new RangeError(`not one latin-1 character: ${JSON.stringify(c)}`);
  return c.charCodeAt(0);
};
const chr = (n: number) => String.fromCharCode(n);

/** The Firm of an appendage the encoder can carry: none ([] or absent) -> null, exactly [Firm] -> it, else undefined. */
function firmOf(app: TagValue[] | undefined): string | null | undefined {
  if (app === undefined || app.length === 0) return null;
  if (app.length === 1) {
    const e = app[0]!;
    if (!('raw' in e) && e.tag === 2 && typeof e.value === 'string') return e.value;
  }
  return undefined;
}

const BLANK = {
  userRefNum: 0,
  origUserRefNum: 0,
  side: 0,
  quantity: 0,
  symbol: 0n,
  price: 0n,
  timeInForce: 0,
  display: 0,
  capacity: 0,
  interMarketSweepEligibility: 0,
  crossType: 0,
  clOrdIdLo: 0n,
  clOrdIdHi: 0,
  hasFirm: false,
  firm: 0,
} as const;

/**
 * The Action that makes the encoder produce `m`, or undefined when the encoder cannot: another message type (C, D,
 * E, Q), an appendage other than none or exactly one Firm option, or an empty appendage on X/M (length field 0).
 */
export function toAction(m: OuchInbound): ActionValue | undefined {
  if (m.type !== 'O' && m.type !== 'U' && m.type !== 'X' && m.type !== 'M') return undefined;
  const firm = firmOf(m.appendage);
  if (firm === undefined) return undefined;
  if ((m.type === 'X' || m.type === 'M') && m.appendage !== undefined && firm === null) return undefined;
  const f = firm === null ? { hasFirm: false, firm: 0 } : { hasFirm: true, firm: Number(asciiBits(firm, 4)) };
  switch (m.type) {
    case 'O':
      return {
        ...BLANK,
        kind: Kind.Enter,
        userRefNum: m.userRefNum,
        side: code(m.side),
        quantity: m.quantity,
        symbol: asciiBits(m.symbol, 8),
        price: m.price,
        timeInForce: code(m.timeInForce),
        display: code(m.display),
        capacity: code(m.capacity),
        interMarketSweepEligibility: code(m.interMarketSweepEligibility),
        crossType: code(m.crossType),
        clOrdIdLo: asciiBits(m.clOrdId.slice(0, 8), 8),
        clOrdIdHi: Number(asciiBits(m.clOrdId.slice(8), 6)),
        ...f,
      };
    case 'U':
      return {
        ...BLANK,
        kind: Kind.Replace,
        origUserRefNum: m.origUserRefNum,
        userRefNum: m.userRefNum,
        quantity: m.quantity,
        price: m.price,
        timeInForce: code(m.timeInForce),
        display: code(m.display),
        interMarketSweepEligibility: code(m.interMarketSweepEligibility),
        clOrdIdLo: asciiBits(m.clOrdId.slice(0, 8), 8),
        clOrdIdHi: Number(asciiBits(m.clOrdId.slice(8), 6)),
        ...f,
      };
    case 'X':
      return { ...BLANK, kind: Kind.Cancel, userRefNum: m.userRefNum, quantity: m.quantity, ...f };
    case 'M':
      return { ...BLANK, kind: Kind.Modify, userRefNum: m.userRefNum, side: code(m.side), quantity: m.quantity, ...f };
  }
}

/** The OUCH message an Action stands for (fields its kind does not use are ignored). */
export function toMessage(a: ActionValue): OuchInbound {
  const app: TagValue[] = a.hasFirm ? [{ tag: 2, option: 'firm', value: bitsAscii(BigInt(a.firm), 4) }] : [];
  const clOrdId = bitsAscii(a.clOrdIdLo, 8) + bitsAscii(BigInt(a.clOrdIdHi), 6);
  switch (a.kind) {
    case Kind.Enter:
      return {
        type: 'O',
        userRefNum: a.userRefNum,
        side: chr(a.side),
        quantity: a.quantity,
        symbol: bitsAscii(a.symbol, 8),
        price: a.price,
        timeInForce: chr(a.timeInForce),
        display: chr(a.display),
        capacity: chr(a.capacity),
        interMarketSweepEligibility: chr(a.interMarketSweepEligibility),
        crossType: chr(a.crossType),
        clOrdId,
        appendage: app,
      } as Msg<'O'>;
    case Kind.Replace:
      return {
        type: 'U',
        origUserRefNum: a.origUserRefNum,
        userRefNum: a.userRefNum,
        quantity: a.quantity,
        price: a.price,
        timeInForce: chr(a.timeInForce),
        display: chr(a.display),
        interMarketSweepEligibility: chr(a.interMarketSweepEligibility),
        clOrdId,
        appendage: app,
      } as Msg<'U'>;
    case Kind.Cancel:
      return { type: 'X', userRefNum: a.userRefNum, quantity: a.quantity, appendage: a.hasFirm ? app : undefined } as Msg<'X'>;
    case Kind.Modify:
      return { type: 'M', userRefNum: a.userRefNum, side: chr(a.side), quantity: a.quantity, appendage: a.hasFirm ? app : undefined } as Msg<'M'>;
  }
}

/** The reference: the protocol library's encoding of the Action as a SoupBinTCP 'U' packet ([u16 length]['U'][message]). */
export function libraryPacket(a: ActionValue): Uint8Array {
  return encodeSoupPacket(soup, { type: 'U', message: ouch.encode(toMessage(a)) });
}

/** The valid bytes of an encoder output beat, in wire order. */
export function packetBytes(p: PacketValue): Uint8Array {
  const all = beatBytes(p);
  return all.slice(0, p.length);
}

/** All 56 bytes of the beat's words (bytes beyond `length` must be zero). */
export function beatBytes(p: PacketValue): Uint8Array {
  const out = new Uint8Array(56);
  [p.w0, p.w1, p.w2, p.w3, p.w4, p.w5, p.w6].forEach((w, k) => {
    for (let b = 0; b < 8; b++) out[8 * k + b] = Number((w >> BigInt(8 * b)) & 0xffn);
  });
  return out;
}

export interface CapturedPacket {
  /** The whole SoupBinTCP packet as captured: [u16 length][type][payload]. */
  packet: Uint8Array;
  /** SoupBinTCP packet type ('U' unsequenced data, 'R' client heartbeat, 'S', 'H', ...). */
  soupType: string;
  /** For 'U': the decoded inbound OUCH message (undefined if it does not decode). */
  message?: OuchInbound;
}

/** Every SoupBinTCP packet of a pcap, with the inbound OUCH message of each unsequenced-data packet. */
export function capturedPackets(file: Uint8Array, given?: Diagnostics): CapturedPacket[] {
  const out: CapturedPacket[] = [];
  const diag = given ?? new Diagnostics();
  let udp = 0;
  const streams = new Map<string, SoupStream>();
  const onPacket = (b: Uint8Array, o: number, len: number) => {
    const packet = b.slice(o - 2, o + len);
    const soupType = chr(b[o]!);
    const c: CapturedPacket = { packet, soupType };
    if (soupType === 'U') c.message = ouch.decode(b, o + 1, len - 1);
    out.push(c);
  };
  readPcap(
    file,
    (r) => {
      const t = parseFrame(r.data, r.linkType, r.offset, diag);
      if (t !== undefined && t !== 'ignored' && t.proto === 'udp') udp++;
      if (t === undefined || t === 'ignored' || t.proto !== 'tcp') return;
      const key = `${t.src}:${t.srcPort}>${t.dst}:${t.dstPort}`;
      let s = streams.get(key);
      if (!s) streams.set(key, (s = new SoupStream(diag, onPacket)));
      s.push(t.seq, t.syn, r.data, t.payloadOffset, t.payloadLength, r.offset + t.payloadOffset);
    },
    diag,
  );
  for (const s of streams.values()) s.end();
  // A capture of UDP datagrams and no TCP segment is a MoldUDP64 feed, not a SoupBinTCP session: named, not read as
  // an empty session.
  if (streams.size === 0 && udp > 0) throw new Error(`pcap: ${udp} UDP datagrams and no TCP segment: a MoldUDP64 (ITCH) capture? The OUCH encoder reads SoupBinTCP over TCP`);
  // Without a caller to report to, a fault in the capture is an error here (cosim passes its own and reports them).
  if (!given && diag.total > 0) throw new Error(`pcap: ${diag.total} errors; first: ${diag.first[0]!.message} at byte ${diag.first[0]!.offset}`);
  return out;
}

/** The inbound OUCH messages (SoupBinTCP 'U' packets) of a pcap, each with its captured packet. */
export function capturedInbound(file: Uint8Array, diag?: Diagnostics): Array<{ message: OuchInbound; packet: Uint8Array }> {
  return capturedPackets(file, diag).flatMap((c) => (c.message ? [{ message: c.message, packet: c.packet }] : []));
}

// ---- synthetic order actions

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = UPPER + '0123456789';
const pick = (rng: Rng, s: string) => s[rng.below(s.length)]!;
/** `len` characters from `alphabet`, padded with spaces to `n`. */
function alpha(rng: Rng, n: number, alphabet: string, minLen = 1): string {
  const len = minLen + rng.below(n - minLen + 1);
  let s = '';
  for (let i = 0; i < len; i++) s += pick(rng, alphabet);
  return s.padEnd(n, ' ');
}
/** Mostly a realistic character, sometimes any byte. */
const ch = (rng: Rng, s: string) => (rng.chance(0.05) ? rng.below(256) : code(pick(rng, s)));
/** A u32: small, typical, or extreme. */
function u32(rng: Rng, typical: number): number {
  const r = rng.below(10);
  return r === 0 ? 0 : r === 1 ? 0xffffffff : r === 2 ? rng.u32() : 1 + rng.below(typical);
}

/** One random valid order action of any kind, Firm appendage present or not; unused fields are random too. */
export function randomAction(rng: Rng): ActionValue {
  const kinds = [Kind.Enter, Kind.Replace, Kind.Cancel, Kind.Modify];
  const r = rng.below(10);
  const price = r === 0 ? 0n : r === 1 ? 0xffff_ffff_ffff_ffffn : r === 2 ? rng.bits(64) : r === 3 ? 0x7fffffffn : BigInt(100 + rng.below(2_000_000_000));
  const clOrdId = rng.chance(0.05) ? Array.from({ length: 14 }, () => chr(rng.below(256))).join('') : alpha(rng, 14, ALNUM);
  const symbol = rng.chance(0.05) ? Array.from({ length: 8 }, () => chr(rng.below(256))).join('') : alpha(rng, 8, UPPER);
  return {
    kind: kinds[rng.below(4)]!,
    userRefNum: u32(rng, 10_000_000),
    origUserRefNum: u32(rng, 10_000_000),
    side: ch(rng, 'BSTE'),
    quantity: u32(rng, 100_000),
    symbol: asciiBits(symbol, 8),
    price,
    timeInForce: ch(rng, '0356E'),
    display: ch(rng, 'YNA'),
    capacity: ch(rng, 'APRO'),
    interMarketSweepEligibility: ch(rng, 'YN'),
    crossType: ch(rng, 'NOCHSRE'),
    clOrdIdLo: asciiBits(clOrdId.slice(0, 8), 8),
    clOrdIdHi: Number(asciiBits(clOrdId.slice(8), 6)),
    hasFirm: rng.chance(0.5),
    firm: Number(asciiBits(rng.chance(0.05) ? Array.from({ length: 4 }, () => chr(rng.below(256))).join('') : alpha(rng, 4, UPPER, 4), 4)),
  };
}

/**
 * Input records for cosim: `synthetic:<N>` (N random order actions of every kind) or a pcap path (the inbound OUCH
 * messages of its SoupBinTCP 'U' packets that the encoder carries; heartbeats and outbound traffic are skipped).
 */
export function* stimulus(input: string, rng: Rng, diag = new Diagnostics()): Iterable<ActionValue> {
  const m = /^synthetic:(\d+)$/.exec(input);
  if (m) {
    for (let i = 0; i < Number(m[1]); i++) yield randomAction(rng);
    return;
  }
  const bytes = readInputFile(input);
  if (!isPcap(bytes)) throw new Error(`${input}: not a pcap (the OUCH encoder takes synthetic:<N> or a pcap of OUCH 5.0 over SoupBinTCP)`);
  for (const { message } of capturedInbound(bytes, diag)) {
    const a = toAction(message);
    if (a) yield a;
  }
}
