// Classic libpcap files (both byte orders, microsecond and nanosecond variants) and the Ethernet / 802.1Q /
// IPv4 / UDP / TCP headers inside them. pcapng is not read (it is reported as bad-pcap-header).
import type { Diagnostics } from './errors.ts';

export const PCAP_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;
export const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_LINUX_SLL = 113;

export interface PcapInfo {
  littleEndian: boolean;
  nanoseconds: boolean;
  linkType: number;
  snapLen: number;
}

export function isPcap(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const m = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  return m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1;
}

export interface PcapRecord {
  /** 0-based record number. */
  index: number;
  /** File offset of the first captured byte. */
  offset: number;
  data: Uint8Array;
  /** Capture time in nanoseconds since the epoch. */
  timeNs: bigint;
  linkType: number;
}

/** Calls `onRecord` for each complete record. Returns the file's header fields, or undefined if it has none. */
export function readPcap(b: Uint8Array, onRecord: (r: PcapRecord) => void, diag: Diagnostics): PcapInfo | undefined {
  if (b.length < PCAP_HEADER_BYTES || !isPcap(b)) {
    const what = b.length >= 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a ? 'a pcapng file (save it as classic pcap)' : b.length < PCAP_HEADER_BYTES ? `${b.length} bytes, shorter than a pcap header` : 'no pcap magic number';
    diag.add('bad-pcap-header', 0, `pcap: ${what}`);
    return undefined;
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magicLE = dv.getUint32(0, true);
  const littleEndian = magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d;
  const nanoseconds = magicLE === 0xa1b23c4d || magicLE === 0x4d3cb2a1;
  const info: PcapInfo = { littleEndian, nanoseconds, snapLen: dv.getUint32(16, littleEndian), linkType: dv.getUint32(20, littleEndian) & 0x0fffffff };
  if (![LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_LINUX_SLL].includes(info.linkType)) {
    diag.add('unsupported-link', 20, `pcap: link type ${info.linkType} is not Ethernet, raw IPv4 or Linux cooked`);
    return info;
  }
  let o = PCAP_HEADER_BYTES;
  let index = 0;
  while (o < b.length) {
    if (o + PCAP_RECORD_HEADER_BYTES > b.length) {
      diag.add('truncated-packet', o, `pcap: record ${index} header cut: ${b.length - o} of 16 bytes`);
      break;
    }
    const sec = dv.getUint32(o, littleEndian);
    const frac = dv.getUint32(o + 4, littleEndian);
    const incl = dv.getUint32(o + 8, littleEndian);
    const orig = dv.getUint32(o + 12, littleEndian);
    const data = o + PCAP_RECORD_HEADER_BYTES;
    if (data + incl > b.length) {
      diag.add('truncated-packet', o, `pcap: record ${index} says ${incl} captured bytes, the file has ${b.length - data} left`);
      break;
    }
    if (incl < orig) {
      diag.add('truncated-packet', o, `pcap: record ${index} captured ${incl} of ${orig} bytes (snap length)`);
    } else {
      const timeNs = BigInt(sec) * 1_000_000_000n + BigInt(frac) * (nanoseconds ? 1n : 1000n);
      onRecord({ index, offset: data, data: b.subarray(data, data + incl), timeNs, linkType: info.linkType });
    }
    o = data + incl;
    index++;
  }
  return info;
}

export interface Transport {
  proto: 'udp' | 'tcp';
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** TCP only. */
  seq: number;
  syn: boolean;
  fin: boolean;
  /** Payload within the record's data. */
  payloadOffset: number;
  payloadLength: number;
}

const ip4 = (d: Uint8Array, o: number) => `${d[o]}.${d[o + 1]}.${d[o + 2]}.${d[o + 3]}`;

/**
 * The UDP or TCP payload of one captured frame; 'ignored' for frames that are not IPv4 UDP/TCP (ARP, IPv6...),
 * undefined (with an error counted) for malformed ones. Lengths come from the IPv4 header, never from the frame size:
 * captures carry Ethernet padding and capture-device trailers after the datagram.
 */
export function parseFrame(d: Uint8Array, linkType: number, fileOffset: number, diag: Diagnostics): Transport | 'ignored' | undefined {
  let o = 0;
  let etherType = 0x0800;
  if (linkType === LINKTYPE_ETHERNET) {
    if (d.length < 14) return frameError(diag, fileOffset, `Ethernet frame of ${d.length} bytes`);
    etherType = (d[12]! << 8) | d[13]!;
    o = 14;
    while (etherType === 0x8100 || etherType === 0x88a8) {
      if (d.length < o + 4) return frameError(diag, fileOffset, 'VLAN tag cut');
      etherType = (d[o + 2]! << 8) | d[o + 3]!;
      o += 4;
    }
  } else if (linkType === LINKTYPE_LINUX_SLL) {
    if (d.length < 16) return frameError(diag, fileOffset, `Linux cooked header cut`);
    etherType = (d[14]! << 8) | d[15]!;
    o = 16;
  } else if (d.length > 0 && d[0]! >> 4 !== 4) return 'ignored';
  if (etherType !== 0x0800) return 'ignored';
  if (d.length < o + 20) return frameError(diag, fileOffset + o, 'IPv4 header cut');
  const ihl = (d[o]! & 0x0f) * 4;
  const total = (d[o + 2]! << 8) | d[o + 3]!;
  if (d[o]! >> 4 !== 4 || ihl < 20) return frameError(diag, fileOffset + o, `not an IPv4 header (version ${d[o]! >> 4}, header length ${ihl})`);
  if (total < ihl || o + total > d.length) return frameError(diag, fileOffset + o, `IPv4 total length ${total} beyond the ${d.length - o} captured bytes`);
  const flagsFrag = (d[o + 6]! << 8) | d[o + 7]!;
  const proto = d[o + 9]!;
  if (proto !== 17 && proto !== 6) return 'ignored';
  if ((flagsFrag & 0x2000) !== 0 || (flagsFrag & 0x1fff) !== 0) {
    diag.add('ip-fragment', fileOffset + o, 'IPv4 fragment: not reassembled');
    return undefined;
  }
  const src = ip4(d, o + 12);
  const dst = ip4(d, o + 16);
  const t = o + ihl;
  const end = o + total;
  if (proto === 17) {
    if (end - t < 8) return frameError(diag, fileOffset + t, 'UDP header cut');
    const ulen = (d[t + 4]! << 8) | d[t + 5]!;
    if (ulen < 8 || t + ulen > end) return frameError(diag, fileOffset + t, `UDP length ${ulen} beyond the IPv4 datagram (${end - t} bytes)`);
    return { proto: 'udp', src, dst, srcPort: (d[t]! << 8) | d[t + 1]!, dstPort: (d[t + 2]! << 8) | d[t + 3]!, seq: 0, syn: false, fin: false, payloadOffset: t + 8, payloadLength: ulen - 8 };
  }
  if (end - t < 20) return frameError(diag, fileOffset + t, 'TCP header cut');
  const doff = (d[t + 12]! >> 4) * 4;
  if (doff < 20 || t + doff > end) return frameError(diag, fileOffset + t, `TCP header length ${doff} beyond the datagram`);
  const flags = d[t + 13]!;
  const seq = ((d[t + 4]! << 24) | (d[t + 5]! << 16) | (d[t + 6]! << 8) | d[t + 7]!) >>> 0;
  return { proto: 'tcp', src, dst, srcPort: (d[t]! << 8) | d[t + 1]!, dstPort: (d[t + 2]! << 8) | d[t + 3]!, seq, syn: (flags & 2) !== 0, fin: (flags & 1) !== 0, payloadOffset: t + doff, payloadLength: end - t - doff };
}

function frameError(diag: Diagnostics, offset: number, what: string): undefined {
  diag.add('truncated-frame', offset, `frame: ${what}`);
  return undefined;
}

/** Writes a little-endian, microsecond, Ethernet pcap. */
export class PcapWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;
  constructor(snapLen = 65535) {
    const h = new Uint8Array(PCAP_HEADER_BYTES);
    const dv = new DataView(h.buffer);
    dv.setUint32(0, 0xa1b2c3d4, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setUint32(16, snapLen, true);
    dv.setUint32(20, LINKTYPE_ETHERNET, true);
    this.push(h);
  }
  private push(c: Uint8Array): void {
    this.chunks.push(c);
    this.size += c.length;
  }
  add(frame: Uint8Array, timeNs: bigint): void {
    const h = new Uint8Array(PCAP_RECORD_HEADER_BYTES);
    const dv = new DataView(h.buffer);
    dv.setUint32(0, Number(timeNs / 1_000_000_000n), true);
    dv.setUint32(4, Number((timeNs % 1_000_000_000n) / 1000n), true);
    dv.setUint32(8, frame.length, true);
    dv.setUint32(12, frame.length, true);
    this.push(h);
    this.push(frame);
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

export interface UdpEndpoint {
  srcMac: string;
  dstMac: string;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
}

const macBytes = (m: string) => m.split(':').map((x) => parseInt(x, 16));
const ipBytes = (a: string) => a.split('.').map((x) => Number(x));

/**
 * An Ethernet/IPv4 frame with room for a `transport`-byte header and `payload`, protocol `proto` (17 UDP, 6 TCP):
 * the Ethernet and IPv4 headers written (IPv4 checksum computed), the transport header left to the caller at 34.
 */
function ipv4Frame(ep: UdpEndpoint, proto: number, transport: number, payload: Uint8Array, ipId: number): Uint8Array {
  const f = new Uint8Array(14 + 20 + transport + payload.length);
  f.set(macBytes(ep.dstMac), 0);
  f.set(macBytes(ep.srcMac), 6);
  f[12] = 0x08;
  const ip = 14;
  const total = 20 + transport + payload.length;
  f.set([0x45, 0, total >> 8, total & 0xff, (ipId >> 8) & 0xff, ipId & 0xff, 0x40, 0, 64, proto, 0, 0], ip);
  f.set(ipBytes(ep.src), ip + 12);
  f.set(ipBytes(ep.dst), ip + 16);
  let sum = 0;
  for (let k = 0; k < 20; k += 2) sum += (f[ip + k]! << 8) | f[ip + k + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  const ck = ~sum & 0xffff;
  f[ip + 10] = ck >> 8;
  f[ip + 11] = ck & 0xff;
  f.set(payload, 34 + transport);
  return f;
}

/** An Ethernet/IPv4/UDP frame around `payload` (IPv4 checksum computed; UDP checksum 0, as IPv4 allows). */
export function udpFrame(ep: UdpEndpoint, payload: Uint8Array, ipId: number): Uint8Array {
  const f = ipv4Frame(ep, 17, 8, payload, ipId);
  const ulen = 8 + payload.length;
  f.set([ep.srcPort >> 8, ep.srcPort & 0xff, ep.dstPort >> 8, ep.dstPort & 0xff, ulen >> 8, ulen & 0xff, 0, 0], 34);
  return f;
}

/**
 * An Ethernet/IPv4/TCP frame around `payload`: one segment of a stream from `ep.src:srcPort` to `ep.dst:dstPort`
 * at sequence number `seq` (PSH+ACK, no options; IPv4 checksum computed, TCP checksum 0: readers here do not check
 * it). What `tickforge decode` needs to read a card's OUCH output as the SoupBinTCP session it is.
 */
export function tcpFrame(ep: UdpEndpoint, payload: Uint8Array, seq: number, ipId: number): Uint8Array {
  const f = ipv4Frame(ep, 6, 20, payload, ipId);
  const s = seq >>> 0;
  f.set([ep.srcPort >> 8, ep.srcPort & 0xff, ep.dstPort >> 8, ep.dstPort & 0xff, s >>> 24, (s >>> 16) & 0xff, (s >>> 8) & 0xff, s & 0xff, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0], 34);
  return f;
}
