// Host-side stimulus for the ITCH feed parser (examples/itch-feed/feed.ts): UDP payloads (MoldUDP64 packets) split
// into 64-bit AXI-Stream beats. Ordinary JavaScript, never compiled.
import { Rng, type RecordValue } from 'tickforge/dsl';
import { generateItch, packetize, isPcap, parseFrame, readPcap, Diagnostics, readInputFile } from 'tickforge/stimulus';
import type { Beat } from './feed.ts';

export type BeatValue = RecordValue<typeof Beat>;

/** The beats of one UDP payload: 8 bytes per beat, lane 0 first (lanes 0..3 in dataLo, 4..7 in dataHi, lane 0 lowest),
 * keep marking the valid lanes, last on the final. */
export function* beatsOf(payload: Uint8Array): Generator<BeatValue> {
  if (payload.length === 0) {
    yield { dataLo: 0, dataHi: 0, keep: 0, last: true }; // an empty datagram: a null beat that only ends the packet
    return;
  }
  for (let o = 0; o < payload.length; o += 8) {
    const n = Math.min(8, payload.length - o);
    let lo = 0;
    let hi = 0;
    for (let b = Math.min(n, 4) - 1; b >= 0; b--) lo = lo * 256 + payload[o + b]!;
    for (let b = n - 1; b >= 4; b--) hi = hi * 256 + payload[o + b]!;
    yield { dataLo: lo, dataHi: hi, keep: (1 << n) - 1, last: o + 8 >= payload.length };
  }
}

/** MoldUDP64 payloads of a BinaryFILE (seeded number of messages per packet, up to a 1400-byte MTU). */
export function moldPayloads(binaryFile: Uint8Array, seed: number, mtu = 1400): Uint8Array[] {
  return packetize(binaryFile, { seed, mtu }).map((p) => p.payload);
}

/**
 * The UDP payloads of a pcap, as they are; its faults are counted in `diag` (cosim reports them). A capture of TCP
 * segments and no UDP datagram is a SoupBinTCP session, not a MoldUDP64 feed: named, not read as an empty feed.
 */
export function pcapPayloads(file: Uint8Array, diag = new Diagnostics(), name = 'pcap'): Uint8Array[] {
  const out: Uint8Array[] = [];
  let tcp = 0;
  readPcap(
    file,
    (r) => {
      const t = parseFrame(r.data, r.linkType, r.offset, diag);
      if (t !== undefined && t !== 'ignored' && t.proto === 'udp') out.push(r.data.subarray(t.payloadOffset, t.payloadOffset + t.payloadLength));
      else if (t !== undefined && t !== 'ignored' && t.proto === 'tcp') tcp++;
    },
    diag,
  );
  if (out.length === 0 && tcp > 0) throw new Error(`${name}: ${tcp} TCP segments and no UDP datagram: a SoupBinTCP (OUCH) capture? The ITCH feed reads MoldUDP64 over UDP`);
  return out;
}

/**
 * Input beats for cosim: `synthetic:<N>` (N generated ITCH messages, packetized up to a 1400-byte MTU), a
 * BinaryFILE path (packetized likewise), a pcap path (its UDP payloads as they are), or `hostile:<N>` (N generated
 * messages in packets of up to 400 bytes, through `hostile`: every error path, gaps, duplicates, heartbeats).
 */
export function* stimulus(input: string, rng: Rng, diag = new Diagnostics()): Iterable<BeatValue> {
  const h = /^hostile:(\d+)$/.exec(input);
  if (h) {
    const bin = generateItch({ count: Number(h[1]), seed: rng.u32() }).binaryFile;
    yield* hostile(moldPayloads(bin, rng.u32(), 400), rng);
    return;
  }
  const m = /^synthetic:(\d+)$/.exec(input);
  let payloads: Uint8Array[];
  if (m) {
    const bin = generateItch({ count: Number(m[1]), seed: rng.u32() }).binaryFile;
    payloads = moldPayloads(bin, rng.u32());
  } else {
    const bytes = readInputFile(input);
    payloads = isPcap(bytes) ? pcapPayloads(bytes, diag, input) : moldPayloads(bytes, rng.u32());
  }
  for (const p of payloads) yield* beatsOf(p);
}

/**
 * A hostile stream for co-simulation: the packets of `payloads` with sequence numbers re-based, and at random some
 * packets cut short, corrupted (bytes, counts), repeated (duplicates), skipped (gaps), interleaved with heartbeats,
 * and beats with malformed keep. Every error path of the parser is exercised.
 */
export function* hostile(payloads: Uint8Array[], rng: Rng): Generator<BeatValue> {
  let seq = 1n;
  let prev: Uint8Array | undefined;
  for (const orig of payloads) {
    const p = orig.slice();
    const count = p.length >= 20 ? (p[18]! << 8) | p[19]! : 0;
    if (p.length >= 20) new DataView(p.buffer).setBigUint64(10, seq);
    if (count !== 0xffff) seq += BigInt(count);
    const r = rng.below(40);
    let out: Uint8Array = p;
    if (r === 0) out = p.subarray(0, rng.below(p.length + 1));
    else if (r === 1 && p.length > 20) p[20 + rng.below(p.length - 20)] = rng.below(256);
    else if (r === 2 && p.length >= 20) p[19] = (p[19]! + rng.below(5) - 2) & 0xff;
    else if (r === 3 && prev) yield* beatsOf(prev); // a duplicate before this one
    else if (r === 4) continue; // lost: a gap
    else if (r === 5) {
      const hb = new Uint8Array(20);
      hb.set(p.subarray(0, 18));
      yield* beatsOf(hb); // heartbeat (count 0) announcing this packet's sequence number
    }
    else if (r >= 7 && r <= 9 && count > 0 && count < 0xffff && p.length > 22) {
      // The first block made zero-length (inserted), one byte long, or one byte short.
      const len = (p[20]! << 8) | p[21]!;
      const rest = p.subarray(22 + len);
      const body = r === 7 ? new Uint8Array(0) : r === 8 ? new Uint8Array([...p.subarray(22, 22 + len), 0]) : p.subarray(22, 21 + len);
      const q = new Uint8Array([...p.subarray(0, 20), body.length >> 8, body.length & 0xff, ...body, ...(r === 7 ? p.subarray(20) : rest)]);
      if (r === 7) {
        q[18] = (count + 1) >> 8;
        q[19] = (count + 1) & 0xff;
        seq += 1n;
      }
      out = q;
    }
    prev = out;
    const beats = [...beatsOf(out)];
    if (r === 6 && beats.length > 1) {
      const k = rng.below(beats.length);
      beats[k] = { ...beats[k]!, keep: rng.below(256) };
    }
    yield* beats;
  }
}
