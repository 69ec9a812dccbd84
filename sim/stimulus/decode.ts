// Reading a stimulus end to end: detect the container (BinaryFILE, pcap, synthetic:<N>), unwrap the session layer
// (MoldUDP64 over UDP, SoupBinTCP over TCP) and decode the application messages with the declared protocols.
import { itch50, type ItchMessage } from '../../dsl/protocols/itch50.ts';
import { ouch50Inbound, ouch50Outbound } from '../../dsl/protocols/ouch50.ts';
import { soupBinTcp } from '../../dsl/protocols/soupbintcp.ts';
import type { MessageSet } from '../../dsl/protocols/codec.ts';
import { readBinaryFile } from './binaryfile.ts';
import { generatedSpec, readInputFile } from './input.ts';
import { Diagnostics } from './errors.ts';
import { isPcap, parseFrame, readPcap } from './pcap.ts';
import { readMoldPacket, SoupStream } from './framing.ts';
import { generateItch } from './synthetic.ts';

export type Layer = 'itch' | 'ouch-in' | 'ouch-out' | 'moldudp64' | 'soupbintcp';

export interface DecodedItem {
  layer: Layer;
  /** The decoded message (application layers) or session record (moldudp64 header, soupbintcp packet). */
  value: Record<string, unknown>;
  /** File byte offset of the message (or session record). */
  offset: number;
}

export interface DecodeOptions {
  /** What rides on SoupBinTCP: OUCH (default) or ITCH. MoldUDP64 always carries ITCH. */
  soupApp?: 'ouch' | 'itch';
  /** Seed for synthetic:<N>. */
  seed?: number;
}

export interface DecodeSummary {
  format: 'binaryfile' | 'pcap' | 'synthetic';
  /** Application messages delivered, per layer and type: "itch A" -> 367. */
  messages: Map<string, number>;
  /** Session records seen: "moldudp64 packet", "moldudp64 heartbeat", "soupbintcp H"... */
  session: Map<string, number>;
  /** pcap records that were not IPv4 UDP/TCP (ARP, IPv6, ...), skipped without error. */
  ignoredFrames: number;
  diag: Diagnostics;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** Decodes `spec` (a file path or synthetic:<N>), calling `onItem` for every message and session record. */
export function decodeInput(spec: string, opts: DecodeOptions, onItem: (it: DecodedItem) => void, diag = new Diagnostics()): DecodeSummary {
  const g = generatedSpec(spec, ['synthetic']);
  if (g) {
    const bytes = generateItch({ count: g.count, seed: opts.seed ?? 1 }).binaryFile;
    return { ...decodeBytes(bytes, opts, onItem, diag), format: 'synthetic' };
  }
  return decodeBytes(readInputFile(spec), opts, onItem, diag);
}

export function decodeBytes(b: Uint8Array, opts: DecodeOptions, onItem: (it: DecodedItem) => void, diag = new Diagnostics()): DecodeSummary {
  // pcapng is detected so that it is refused as a capture, not misread as a BinaryFILE.
  const pcapng = b.length >= 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a;
  const summary: DecodeSummary = { format: isPcap(b) || pcapng ? 'pcap' : 'binaryfile', messages: new Map(), session: new Map(), ignoredFrames: 0, diag };
  const itch = itch50();
  // Per-type counts in a flat array (layer * 256 + type code): a Map keyed by strings costs as much as decoding.
  const LAYERS: Layer[] = ['itch', 'ouch-in', 'ouch-out'];
  const counts = new Float64Array(LAYERS.length * 256);
  const finish = () => {
    counts.forEach((n, k) => n > 0 && summary.messages.set(`${LAYERS[k >> 8]} ${String.fromCharCode(k & 255)}`, n));
    return summary;
  };
  const deliver = (set: MessageSet, layer: Layer, buf: Uint8Array, o: number, len: number, offset: number) => {
    const v = set.decode(buf, o, len);
    if (!v) {
      const f = set.failure!;
      diag.add(f.code, offset, f.message);
      return;
    }
    counts[LAYERS.indexOf(layer) * 256 + buf[o]!]!++;
    onItem({ layer, value: v as Record<string, unknown>, offset });
  };
  if (summary.format === 'binaryfile') {
    readBinaryFile(b, (o, len) => deliver(itch, 'itch', b, o, len, o), diag);
    return finish();
  }
  const ouchIn = ouch50Inbound();
  const ouchOut = ouch50Outbound();
  const soup = soupBinTcp();
  const streams = new Map<string, SoupStream>();
  const order: SoupStream[] = [];
  const onSoupPacket = (buf: Uint8Array, o: number, len: number, offset: number) => {
    const p = soup.decode(buf, o, len);
    if (!p) {
      const f = soup.failure!;
      diag.add(f.code, offset, f.message);
      return;
    }
    bump(summary.session, `soupbintcp ${p.type}`);
    const rec: Record<string, unknown> = { ...p };
    if (p.type === 'S' || p.type === 'U') {
      delete rec.message;
      rec.length = p.message.length;
    }
    onItem({ layer: 'soupbintcp', value: rec, offset });
    if (p.type === 'U') deliver(ouchIn, 'ouch-in', buf, o + 1, len - 1, offset + 3);
    else if (p.type === 'S') {
      if (opts.soupApp === 'itch') deliver(itch, 'itch', buf, o + 1, len - 1, offset + 3);
      else deliver(ouchOut, 'ouch-out', buf, o + 1, len - 1, offset + 3);
    }
  };
  readPcap(
    b,
    (r) => {
      const t = parseFrame(r.data, r.linkType, r.offset, diag);
      if (t === 'ignored') summary.ignoredFrames++;
      if (t === 'ignored' || t === undefined) return;
      const d = r.data;
      if (t.proto === 'udp') {
        readMoldPacket(
          d,
          t.payloadOffset,
          t.payloadLength,
          r.offset,
          diag,
          (h, offset) => {
            bump(summary.session, h.messageCount === 0 ? 'moldudp64 heartbeat' : h.messageCount === 0xffff ? 'moldudp64 end-of-session' : 'moldudp64 packet');
            onItem({ layer: 'moldudp64', value: { ...h }, offset });
          },
          (o, len) => deliver(itch, 'itch', d, o, len, r.offset + o),
        );
        return;
      }
      const key = `${t.src}:${t.srcPort}>${t.dst}:${t.dstPort}`;
      let s = streams.get(key);
      if (!s) {
        s = new SoupStream(diag, onSoupPacket);
        streams.set(key, s);
        order.push(s);
      }
      s.push(t.seq, t.syn, d, t.payloadOffset, t.payloadLength, r.offset + t.payloadOffset);
    },
    diag,
  );
  for (const s of order) s.end();
  return finish();
}

/** Decodes a whole BinaryFILE of ITCH into an array (tests, small files). */
export function decodeItchFile(b: Uint8Array, diag = new Diagnostics()): ItchMessage[] {
  const out: ItchMessage[] = [];
  decodeBytes(b, {}, (it) => it.layer === 'itch' && out.push(it.value as ItchMessage), diag);
  return out;
}
