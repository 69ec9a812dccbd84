// Host-side stimulus for the ITCH feed parser (examples/itch-feed/feed.ts): UDP payloads (MoldUDP64 packets) split
// into 64-bit AXI-Stream beats. Ordinary JavaScript, never compiled.
import { readFileSync } from 'node:fs';
import { Rng, type RecordValue } from 'tickforge/dsl';
import { generateItch } from '../../sim/stimulus/synthetic.ts';
import { packetize } from '../../sim/stimulus/packetizer.ts';
import { isPcap, parseFrame, readPcap } from '../../sim/stimulus/pcap.ts';
import { Diagnostics } from '../../sim/stimulus/errors.ts';
import type { Beat } from './feed.ts';

export type BeatValue = RecordValue<typeof Beat>;

/** The beats of one UDP payload: 8 bytes per beat, lane 0 first, keep marking the valid lanes, last on the final. */
export function* beatsOf(payload: Uint8Array): Generator<BeatValue> {
  if (payload.length === 0) {
    yield { data: 0n, keep: 0, last: true }; // an empty datagram: a null beat that only ends the packet
    return;
  }
  for (let o = 0; o < payload.length; o += 8) {
    const n = Math.min(8, payload.length - o);
    let data = 0n;
    for (let b = n - 1; b >= 0; b--) data = (data << 8n) | BigInt(payload[o + b]!);
    yield { data, keep: (1 << n) - 1, last: o + 8 >= payload.length };
  }
}

/** MoldUDP64 payloads of a BinaryFILE (seeded number of messages per packet, up to a 1400-byte MTU). */
export function moldPayloads(binaryFile: Uint8Array, seed: number, mtu = 1400): Uint8Array[] {
  return packetize(binaryFile, { seed, mtu }).map((p) => p.payload);
}

/** The UDP payloads of a pcap, as they are. */
export function pcapPayloads(file: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const diag = new Diagnostics();
  readPcap(
    file,
    (r) => {
      const t = parseFrame(r.data, r.linkType, r.offset, diag);
      if (t !== undefined && t !== 'ignored' && t.proto === 'udp') out.push(r.data.subarray(t.payloadOffset, t.payloadOffset + t.payloadLength));
    },
    diag,
  );
  return out;
}

/**
 * Input beats for cosim: `synthetic:<N>` (N generated ITCH messages, packetized), a BinaryFILE path (packetized)
 * or a pcap path (its UDP payloads as they are).
 */
export function* stimulus(input: string, rng: Rng): Iterable<BeatValue> {
  const m = /^synthetic:(\d+)$/.exec(input);
  let payloads: Uint8Array[];
  if (m) {
    const bin = generateItch({ count: Number(m[1]), seed: rng.u32() }).binaryFile;
    payloads = moldPayloads(bin, rng.u32());
  } else {
    const bytes = new Uint8Array(readFileSync(input));
    payloads = isPcap(bytes) ? pcapPayloads(bytes) : moldPayloads(bytes, rng.u32());
  }
  for (const p of payloads) yield* beatsOf(p);
}
