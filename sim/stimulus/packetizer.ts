// BinaryFILE -> MoldUDP64 packets -> Ethernet/IPv4/UDP frames in a pcap. The number of messages per packet is a
// seeded choice between 1 and as many as fit the MTU, so captures exercise packets of every fill; the stream
// ends with an end-of-session packet.
import { encodeMoldControl, encodeMoldPacket, MOLD_HEADER_BYTES } from '../../dsl/protocols/moldudp64.ts';
import { readBinaryFile } from './binaryfile.ts';
import { Diagnostics } from './errors.ts';
import { PcapWriter, udpFrame, type UdpEndpoint } from './pcap.ts';
import { FastRng } from './synthetic.ts';

export interface PacketizeOptions {
  seed: number;
  /** Largest MoldUDP64 packet (header included), i.e. the UDP payload. */
  mtu?: number;
  session?: string;
  firstSequence?: bigint;
  endpoint?: UdpEndpoint;
  /** Capture date: seconds since the epoch of the midnight the ITCH timestamps count from. */
  midnightEpochSeconds?: number;
}

export interface MoldPacket {
  payload: Uint8Array;
  sequenceNumber: bigint;
  count: number;
  timeNs: bigint;
}

export const DEFAULT_ENDPOINT: UdpEndpoint = { srcMac: '02:00:00:00:00:01', dstMac: '01:00:5e:36:0c:6f', src: '10.0.0.1', dst: '233.54.12.111', srcPort: 50000, dstPort: 26477 };
/** 2019-12-30 00:00 America/New_York, the snippet's trading day. */
export const DEFAULT_MIDNIGHT = 1577682000;

export function packetize(binaryFile: Uint8Array, o: PacketizeOptions): MoldPacket[] {
  const mtu = o.mtu ?? 1400;
  const session = o.session ?? 'TICKFORGE1';
  const midnight = BigInt(o.midnightEpochSeconds ?? DEFAULT_MIDNIGHT) * 1_000_000_000n;
  const rng = new FastRng(o.seed);
  const msgs: Array<[number, number]> = [];
  const diag = new Diagnostics();
  readBinaryFile(binaryFile, (p, len) => msgs.push([p, len]), diag);
  if (diag.total) throw new Error(`packetize: the BinaryFILE is malformed: ${diag.first[0]!.message}`);
  const packets: MoldPacket[] = [];
  let seq = o.firstSequence ?? 1n;
  let lastTs = 0n;
  const tsOf = (p: number, len: number) => {
    // ITCH timestamps sit at bytes 5..10 of every message.
    if (len >= 11) {
      let t = 0;
      for (let k = 5; k < 11; k++) t = t * 256 + binaryFile[p + k]!;
      lastTs = BigInt(t);
    }
    return midnight + lastTs;
  };
  for (let i = 0; i < msgs.length; ) {
    let fit = 0;
    let size = MOLD_HEADER_BYTES;
    while (i + fit < msgs.length && size + 2 + msgs[i + fit]![1] <= mtu) size += 2 + msgs[i + fit++]![1];
    if (fit === 0) throw new Error(`packetize: a ${msgs[i]![1]}-byte message does not fit an MTU of ${mtu}`);
    const k = 1 + rng.below(fit);
    const blocks = msgs.slice(i, i + k).map(([p, len]) => binaryFile.subarray(p, p + len));
    packets.push({ payload: encodeMoldPacket(session, seq, blocks), sequenceNumber: seq, count: k, timeNs: tsOf(msgs[i]![0], msgs[i]![1]) });
    seq += BigInt(k);
    i += k;
  }
  packets.push({ payload: encodeMoldControl(session, seq, 'end-of-session'), sequenceNumber: seq, count: 0, timeNs: midnight + lastTs });
  return packets;
}

/** A pcap of the packets as UDP datagrams. */
export function moldPcap(packets: readonly MoldPacket[], endpoint: UdpEndpoint = DEFAULT_ENDPOINT): Uint8Array {
  const w = new PcapWriter();
  packets.forEach((p, k) => w.add(udpFrame(endpoint, p.payload, k & 0xffff), p.timeNs));
  return w.bytes();
}
