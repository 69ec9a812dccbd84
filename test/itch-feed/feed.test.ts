// The ITCH-over-MoldUDP64 feed parser (examples/itch-feed/feed.ts), run as its model: every message it emits is
// compared with the reference framing (sim/stimulus/framing.ts readMoldPacket) and ITCH decoder (dsl/protocols), on
// the real snippet packetized, on every real ITCH pcap, on synthetic streams, and on corrupted packets whose error
// counts must equal the reference's. Then one test per bad-input case with exact counter values, and the sequence
// tracking (gaps, duplicates, heartbeats, end of session).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../dsl/rng.ts';
import { itch50, ITCH50_LAYOUTS } from '../../dsl/protocols/itch50.ts';
import { encodeMoldControl, encodeMoldPacket } from '../../dsl/protocols/moldudp64.ts';
import { readMoldPacket } from '../../sim/stimulus/framing.ts';
import { Diagnostics } from '../../sim/stimulus/errors.ts';
import { generateItch } from '../../sim/stimulus/synthetic.ts';
import { readBinaryFile } from '../../sim/stimulus/binaryfile.ts';
import { DATA, SNIPPET, DIRECTORY, pcapsIn } from '../protocols/data.ts';

const design = (await import('../../examples/itch-feed/feed.ts')).default;
const { beatsOf, moldPayloads, pcapPayloads, stimulus, itchSize, sizeOf } = await import('../../examples/itch-feed/feed.ts');

type Model = ReturnType<typeof design.model>;
type Out = NonNullable<ReturnType<Model['step']>>;

const COUNTERS = [
  'packets',
  'messages',
  'gaps',
  'lostMessages',
  'dupPackets',
  'dupMessages',
  'heartbeats',
  'endOfSession',
  'badKeep',
  'truncHeader',
  'truncMessage',
  'zeroLength',
  'unknownType',
  'shortMessage',
  'longMessage',
  'countMismatch',
] as const;
type Counters = Partial<Record<(typeof COUNTERS)[number], number>>;

function counters(m: Model): Required<Counters> {
  return Object.fromEntries(COUNTERS.map((k) => [k, m.state[k]])) as Required<Counters>;
}
/** Expected counters: the given values, every other counter 0. */
const only = (c: Counters): Required<Counters> => Object.fromEntries(COUNTERS.map((k) => [k, c[k] ?? 0])) as Required<Counters>;

/** Runs payloads through the model; every output with the index of the beat that produced it. */
function run(m: Model, payloads: Uint8Array[], now0 = 0): Out[] {
  const outs: Out[] = [];
  let now = now0;
  for (const p of payloads) {
    for (const b of beatsOf(p)) {
      const o = m.step(b, now++);
      if (o) outs.push(o);
    }
  }
  return outs;
}

/** The message bytes of an emitted record (header fields + p0..p4), checking that p is zero beyond its length. */
function bytesOf(o: Out): Uint8Array {
  const all = new Uint8Array(11 + 40);
  all[0] = o.type.charCodeAt(0);
  all[1] = o.stockLocate >> 8;
  all[2] = o.stockLocate & 0xff;
  all[3] = o.trackingNumber >> 8;
  all[4] = o.trackingNumber & 0xff;
  for (let k = 0; k < 6; k++) all[5 + k] = Number((BigInt(o.timestamp) >> BigInt(8 * (5 - k))) & 0xffn);
  [o.p0, o.p1, o.p2, o.p3, o.p4].forEach((w, j) => {
    for (let q = 0; q < 8; q++) all[11 + 8 * j + q] = Number((w >> BigInt(8 * q)) & 0xffn);
  });
  expect(all.subarray(o.length).every((x) => x === 0)).toBe(true);
  return all.slice(0, o.length);
}

interface RefMsg {
  bytes: Uint8Array;
  seq: bigint;
  value: Record<string, unknown>;
}

/** The reference: readMoldPacket + the ITCH decoder on each payload, with the error counts in `diag`. */
function reference(payloads: Uint8Array[], diag = new Diagnostics()): RefMsg[] {
  const set = itch50();
  const out: RefMsg[] = [];
  for (const p of payloads) {
    readMoldPacket(
      p,
      0,
      p.length,
      0,
      diag,
      () => {},
      (o, len, seq) => {
        const v = set.decode(p, o, len);
        if (!v) diag.add(set.failure!.code, o, set.failure!.message);
        else out.push({ bytes: p.slice(o, o + len), seq, value: v as Record<string, unknown> });
      },
    );
  }
  return out;
}

/** Compares every emitted record with the reference; returns how many were compared. */
function compare(outs: Out[], ref: RefMsg[]): number {
  expect(outs.length).toBe(ref.length);
  const set = itch50();
  for (let n = 0; n < ref.length; n++) {
    const o = outs[n]!;
    const r = ref[n]!;
    const bytes = bytesOf(o);
    expect(bytes).toEqual(r.bytes);
    expect(o.sequence).toBe(r.seq);
    expect(o.type).toBe(r.value.type);
    expect(o.length).toBe(r.bytes.length);
    expect(o.stockLocate).toBe(r.value.stockLocate);
    expect(o.trackingNumber).toBe(r.value.trackingNumber);
    expect(o.timestamp).toBe(r.value.timestamp);
    // Every field, decoded from the emitted bytes, equals the reference decoding of the wire bytes.
    expect(set.decode(bytes, 0, bytes.length)).toEqual(r.value);
  }
  return ref.length;
}

const binaryFileOf = (msgs: Uint8Array[]) => {
  const parts: number[] = [];
  for (const m of msgs) parts.push(m.length >> 8, m.length & 0xff, ...m);
  return new Uint8Array(parts);
};

/** Real messages from the snippet, for building packets by hand. */
const SNIPPET_MSGS: Uint8Array[] = (() => {
  const b = new Uint8Array(readFileSync(SNIPPET));
  const out: Uint8Array[] = [];
  readBinaryFile(b, (o, len) => out.push(b.slice(o, o + len)), new Diagnostics());
  return out;
})();
const msg = (k: number) => SNIPPET_MSGS[k]!;
const SESSION = '000010059B';
const pkt = (seq: bigint, msgs: Uint8Array[]) => encodeMoldPacket(SESSION, seq, msgs);
/** A packet with raw blocks: [u16 length][bytes] each, under a given count. */
function rawPacket(seq: bigint, count: number, blocks: Array<[number, Uint8Array]>): Uint8Array {
  const h = encodeMoldPacket(SESSION, seq, []);
  h[18] = count >> 8;
  h[19] = count & 0xff;
  const parts: number[] = [...h];
  for (const [len, bytes] of blocks) parts.push(len >> 8, len & 0xff, ...bytes);
  return new Uint8Array(parts);
}

describe('itch-feed: real and synthetic data against the reference decoding', () => {
  test('the size table is the declarations\' (dsl/protocols/itch50.ts): every type code, and 0 for every other byte', () => {
    const byCode = new Map(ITCH50_LAYOUTS.map((l) => [l.typeCode!.charCodeAt(0), l.length]));
    expect(byCode.size).toBe(23);
    // the body funnel (low6, top2) is written for the 11-byte common header: body byte 0 at lane (st + 3) % 8
    expect(ITCH50_LAYOUTS.every((l) => l.fields.find((f) => f.name === 'timestamp')!.offset + 6 === 11)).toBe(true);
    expect(Math.max(...ITCH50_LAYOUTS.map((l) => l.length))).toBeLessThanOrEqual(11 + 39); // p0..p4 hold 39 bytes
    for (let t = 0; t < 256; t++) expect([t, itchSize(t), sizeOf(t)]).toEqual([t, byCode.get(t) ?? 0, byCode.get(t) ?? 0]);
  });

  test('12302019_SNIPPET packetized (3 packetizer seeds): every message compared', () => {
    const bin = new Uint8Array(readFileSync(SNIPPET));
    let compared = 0;
    for (const seed of [1, 2, 3]) {
      const payloads = moldPayloads(bin, seed);
      const m = design.model();
      compared += compare(run(m, payloads), reference(payloads));
      expect(counters(m)).toEqual(only({ packets: payloads.length, messages: 1000, endOfSession: 1 }));
    }
    expect(compared).toBe(3000);
  });

  test('stock-directory-head1000 packetized (R, H, Y, S types)', () => {
    const payloads = moldPayloads(new Uint8Array(readFileSync(DIRECTORY)), 9);
    const m = design.model();
    expect(compare(run(m, payloads), reference(payloads))).toBe(1000);
    expect(counters(m)).toEqual(only({ packets: payloads.length, messages: 1000, endOfSession: 1 }));
  });

  const multi = pcapsIn(path.join(DATA, 'pcap', 'itch50-moldudp64-multi-message'));
  const single = pcapsIn(path.join(DATA, 'pcap', 'itch50-single-message-frames'));
  test('every real ITCH pcap: every message compared', () => {
    expect(multi.length + single.length).toBe(23);
    let compared = 0;
    // Genuine captures with real sequence numbers: one fresh parser per file, the file as one stream.
    for (const f of multi) {
      const payloads = pcapPayloads(new Uint8Array(readFileSync(f)));
      const diag = new Diagnostics();
      const ref = reference(payloads, diag);
      expect(diag.total, f).toBe(0);
      const m = design.model();
      compared += compare(run(m, payloads), ref);
      expect(m.state.messages).toBe(ref.length);
      expect(m.state.packets).toBe(payloads.length);
      // Multiple.Packets holds two packets 4,244,620 sequence numbers apart.
      expect([m.state.gaps, m.state.lostMessages], f).toEqual(f.endsWith('Multiple.Packets.pcap') ? [1, 4_244_620] : [0, 0]);
    }
    expect(compared).toBe(46);
    // The publisher zeroed the MoldUDP64 sequence numbers of these (every packet says 0), so as one stream all but
    // the first packet of a file are duplicates: one fresh parser per packet compares every message.
    for (const f of single) {
      const payloads = pcapPayloads(new Uint8Array(readFileSync(f)));
      const ref = reference(payloads);
      for (let n = 0; n < payloads.length; n++) compared += compare(run(design.model(), [payloads[n]!]), reference([payloads[n]!]));
      const m = design.model();
      run(m, payloads);
      expect(counters(m), f).toEqual(only({ packets: payloads.length, messages: 1, dupPackets: payloads.length - 1, dupMessages: payloads.length - 1 }));
      expect(ref.length).toBe(payloads.length);
    }
    expect(compared).toBe(46 + 71);
  });

  test('synthetic 20000 messages through stimulus(), every message compared', () => {
    const beats = [...stimulus('synthetic:20000', new Rng(1))];
    // Rebuild the same payloads to get the reference.
    const rng = new Rng(1);
    const bin = generateItch({ count: 20000, seed: rng.u32() }).binaryFile;
    const payloads = moldPayloads(bin, rng.u32());
    expect(beats.length).toBe(payloads.reduce((n, p) => n + Math.ceil(p.length / 8), 0));
    const m = design.model();
    const outs: Out[] = [];
    beats.forEach((b, n) => {
      const o = m.step(b, n);
      if (o) outs.push(o);
    });
    expect(compare(outs, reference(payloads))).toBe(20000);
    expect(counters(m)).toEqual(only({ packets: payloads.length, messages: 20000, endOfSession: 1 }));
  });

  test('stimulus() reads a BinaryFILE and a pcap', () => {
    const fromFile = [...stimulus(SNIPPET, new Rng(5))];
    const m = design.model();
    fromFile.forEach((b, n) => m.step(b, n));
    expect(m.state.messages).toBe(1000);
    const f = pcapsIn(path.join(DATA, 'pcap', 'itch50-moldudp64-multi-message')).find((p) => p.endsWith('Multiple.Packets.pcap'))!;
    const m2 = design.model();
    [...stimulus(f, new Rng(5))].forEach((b, n) => m2.step(b, n));
    expect(m2.state.messages).toBeGreaterThan(0);
    expect(m2.state.messages).toBe(reference(pcapPayloads(new Uint8Array(readFileSync(f)))).length);
  });

  test('corrupted packets: emitted messages and error counters equal the reference (fuzz, 3000 packets)', () => {
    const rng = new Rng(42);
    const bin = generateItch({ count: 6000, seed: 7 }).binaryFile;
    const good = moldPayloads(bin, 11, 400).slice(0, -1); // without the end-of-session packet
    const payloads: Uint8Array[] = [];
    for (let n = 0; n < 3000; n++) {
      const p = good[n % good.length]!.slice();
      // Distinct, increasing sequence numbers with room for every block: no gap or duplicate accounting.
      new DataView(p.buffer).setBigUint64(10, 1_000_000n * BigInt(n + 1));
      const r = rng.below(10);
      if (r === 0) payloads.push(p.subarray(0, rng.below(p.length))); // truncated anywhere
      else if (r === 1) {
        p[20 + rng.below(p.length - 20)] = rng.below(256); // one byte anywhere in the blocks
        payloads.push(p);
      } else if (r === 2) {
        const c = (p[18]! << 8) | p[19]!;
        const nc = Math.max(1, c + rng.below(5) - 2);
        p[18] = nc >> 8;
        p[19] = nc & 0xff;
        payloads.push(p);
      } else if (r === 3) {
        for (let j = 0; j < 4; j++) p[20 + rng.below(p.length - 20)] = [0, 0x5a, 0x41, 0xff][rng.below(4)]!;
        payloads.push(p);
      } else payloads.push(p);
    }
    const diag = new Diagnostics();
    const ref = reference(payloads, diag);
    const m = design.model();
    expect(compare(run(m, payloads), ref)).toBeGreaterThan(10_000);
    const c = counters(m);
    expect({
      truncHeader: c.truncHeader,
      truncMessage: c.truncMessage,
      zeroLength: c.zeroLength,
      unknownType: c.unknownType,
      shortMessage: c.shortMessage,
      longMessage: c.longMessage,
      countMismatch: c.countMismatch,
    }).toEqual({
      truncHeader: diag.count('mold-truncated-header'),
      truncMessage: diag.count('length-past-end'),
      zeroLength: diag.count('zero-length'),
      unknownType: diag.count('unknown-type'),
      shortMessage: diag.count('short-message'),
      longMessage: diag.count('long-message'),
      countMismatch: diag.count('mold-count-mismatch'),
    });
    for (const k of ['truncHeader', 'truncMessage', 'zeroLength', 'unknownType', 'shortMessage', 'longMessage', 'countMismatch'] as const) expect(c[k], k).toBeGreaterThan(0);
    expect(c.messages).toBe(ref.length);
    expect(c.badKeep).toBe(0);
  });
});

describe('itch-feed: bad input, one case each, exact counters', () => {
  // Every case is followed by a good packet: the parser must be in sync again at the next packet.
  const after = (seq: bigint) => pkt(seq, [msg(10), msg(11)]);
  function check(bad: Uint8Array[], expected: Counters, good: number, seqAfter = 100n) {
    const m = design.model();
    const payloads = [...bad, after(seqAfter)];
    const outs = run(m, payloads);
    expect(counters(m)).toEqual(only({ packets: payloads.length, ...expected }));
    const ref = reference(payloads);
    compare(outs, ref);
    expect(outs.length).toBe(good + 2);
    expect(outs.slice(-2).map((o) => o.sequence)).toEqual([seqAfter, seqAfter + 1n]);
    return m;
  }

  test('truncated header: last at byte 0..19', () => {
    for (const n of [1, 7, 8, 9, 15, 16, 19]) {
      check([pkt(1n, [msg(0)]).subarray(0, n)], { truncHeader: 1, messages: 2 }, 0);
    }
  });

  test('truncated message: last inside the body', () => {
    const p = pkt(1n, [msg(0), msg(1), msg(2)]);
    const cut = 20 + 2 + msg(0).length + 2 + 5; // 5 bytes into the 2nd message
    check([p.subarray(0, cut)], { truncMessage: 1, messages: 3, gaps: 1, lostMessages: 98 }, 1);
  });

  test('a length prefix running past the packet end', () => {
    // The 2nd block says 36 bytes, the packet holds 10 of them.
    const p = rawPacket(1n, 2, [[msg(0).length, msg(0)], [36, msg(1).subarray(0, 10)]]);
    check([p], { truncMessage: 1, messages: 3, gaps: 1, lostMessages: 98 }, 1);
    // The packet ends after the first byte of a length prefix.
    const q = new Uint8Array([...pkt(1n, [msg(0)]), 0]);
    q[19] = 2;
    check([q], { truncMessage: 1, messages: 3, gaps: 1, lostMessages: 98 }, 1);
  });

  test('zero length: skipped, consumes a sequence number', () => {
    const p = rawPacket(1n, 3, [[msg(0).length, msg(0)], [0, new Uint8Array(0)], [msg(1).length, msg(1)]]);
    const m = check([p], { zeroLength: 1, messages: 4, gaps: 1, lostMessages: 96 }, 2);
    expect(m.state.expected).toBe(102n);
  });

  test('unknown message type: skipped, the packet goes on', () => {
    const bad = msg(1).slice();
    bad[0] = 0x5a; // 'Z'
    const p = pkt(1n, [msg(0), bad, msg(2)]);
    const outs = run(design.model(), [p]);
    expect(outs.map((o) => o.sequence)).toEqual([1n, 3n]);
    check([p], { unknownType: 1, messages: 4, gaps: 1, lostMessages: 96 }, 2);
  });

  test('short and long messages', () => {
    const a = msg(0); // an 'A' (36 bytes)? check below
    expect(String.fromCharCode(a[0]!)).toBe('D');
    const short = pkt(1n, [a.subarray(0, a.length - 1)]);
    check([short], { shortMessage: 1, messages: 2, gaps: 1, lostMessages: 98 }, 0);
    const long = pkt(1n, [new Uint8Array([...a, 0])]);
    check([long], { longMessage: 1, messages: 2, gaps: 1, lostMessages: 98 }, 0);
    // Longer than any ITCH message (stored bytes stop at 50), then a good one in the same packet.
    const huge = new Uint8Array(300).fill(0x41);
    check([pkt(1n, [huge, msg(3)])], { longMessage: 1, messages: 3, gaps: 1, lostMessages: 97 }, 1);
    // A one-byte message: three bytes, several such blocks end in one beat.
    check([pkt(1n, [new Uint8Array([0x41]), new Uint8Array([0x53]), new Uint8Array([0x01]), msg(3)])], { shortMessage: 2, unknownType: 1, messages: 3, gaps: 1, lostMessages: 95 }, 1);
  });

  test('count below the blocks present: the extra bytes are ignored', () => {
    const p = pkt(1n, [msg(0), msg(1), msg(2)]);
    p[19] = 2;
    check([p], { countMismatch: 1, messages: 4, gaps: 1, lostMessages: 97 }, 2);
  });

  test('count above the blocks present', () => {
    const p = pkt(1n, [msg(0), msg(1)]);
    p[19] = 5;
    check([p], { countMismatch: 1, messages: 4, gaps: 1, lostMessages: 97 }, 2);
  });

  test('bytes after a heartbeat or end-of-session header', () => {
    const hb = new Uint8Array([...encodeMoldControl(SESSION, 1n, 'heartbeat'), 1, 2, 3]);
    check([hb], { countMismatch: 1, heartbeats: 1, messages: 2, gaps: 1, lostMessages: 99 }, 0);
    const eos = new Uint8Array([...encodeMoldControl(SESSION, 1n, 'end-of-session'), 0, 12]);
    check([eos], { countMismatch: 1, endOfSession: 1, messages: 2 }, 0); // resync after the end of session: no gap
  });

  test('malformed keep: non-contiguous, partial without last, zero', () => {
    const p = pkt(1n, [msg(0), msg(1), msg(2)]);
    for (const [beat, keep] of [
      [0, 0xfe],
      [3, 0x7f],
      [5, 0x00],
      [6, 0xf0],
    ] as const) {
      const m = design.model();
      const beats = [...beatsOf(p)];
      beats[beat] = { ...beats[beat]!, keep };
      const outs: Out[] = [];
      let now = 0;
      for (const b of [...beats, ...beatsOf(after(100n))]) {
        const o = m.step(b, now++);
        if (o) outs.push(o);
      }
      // msg(0) (19 bytes) ends in beat 5: emitted only if the bad beat comes later.
      const first = beat > 5 ? 1 : 0;
      expect(outs.length, `beat ${beat}`).toBe(first + 2);
      // From beat 3 on, the header was read: the next packet (100) is a gap from 1 (or 2 once msg(0) was emitted).
      const synced = beat >= 3;
      expect(counters(m)).toEqual(only({ packets: 2, badKeep: 1, messages: first + 2, gaps: synced ? 1 : 0, lostMessages: synced ? 99 - first : 0 }));
    }
    // A last beat with keep 0x0b (non-contiguous) ends the packet all the same.
    const m = design.model();
    const beats = [...beatsOf(p)];
    beats[beats.length - 1] = { ...beats[beats.length - 1]!, keep: 0x0b };
    for (const [n, b] of [...beats, ...beatsOf(after(100n))].entries()) m.step(b, n);
    expect(m.state.badKeep).toBe(1);
    expect(m.state.packets).toBe(2);
    // msg(0) and msg(1) were emitted; msg(2) ends in the bad beat.
    expect(m.state.messages).toBe(4);
  });

  test('an empty datagram is one null beat (keep 0, last): a truncated header', () => {
    check([new Uint8Array(0)], { truncHeader: 1, messages: 2 }, 0);
  });
});

describe('itch-feed: sequence tracking', () => {
  test('in order, gap, duplicate packet, overlapping packet, heartbeat, end of session, new session', () => {
    const m = design.model();
    const seqs = (ps: Uint8Array[]) => run(m, ps).map((o) => o.sequence);
    expect(seqs([pkt(1n, [msg(0), msg(1)]), pkt(3n, [msg(2)])])).toEqual([1n, 2n, 3n]);
    expect(m.state.expected).toBe(4n);
    // heartbeat at the expected number: no gap
    expect(seqs([encodeMoldControl(SESSION, 4n, 'heartbeat')])).toEqual([]);
    expect(counters(m)).toEqual(only({ packets: 3, messages: 3, heartbeats: 1 }));
    // gap: 4..6 lost
    expect(seqs([pkt(7n, [msg(3), msg(4)])])).toEqual([7n, 8n]);
    expect(counters(m)).toEqual(only({ packets: 4, messages: 5, heartbeats: 1, gaps: 1, lostMessages: 3 }));
    // duplicate packet (a retransmission of 7..8): dropped
    expect(seqs([pkt(7n, [msg(3), msg(4)])])).toEqual([]);
    expect(counters(m)).toEqual(only({ packets: 5, messages: 5, heartbeats: 1, gaps: 1, lostMessages: 3, dupPackets: 1, dupMessages: 2 }));
    // overlapping: 8..10, only 9 and 10 are new
    expect(seqs([pkt(8n, [msg(4), msg(5), msg(6)])])).toEqual([9n, 10n]);
    expect(counters(m)).toEqual(only({ packets: 6, messages: 7, heartbeats: 1, gaps: 1, lostMessages: 3, dupPackets: 2, dupMessages: 3 }));
    // heartbeat announcing 13: a gap of 11..12
    expect(seqs([encodeMoldControl(SESSION, 13n, 'heartbeat')])).toEqual([]);
    expect(m.state.gaps).toBe(2);
    expect(m.state.lostMessages).toBe(5);
    expect(m.state.expected).toBe(13n);
    // end of session, then a new session from 1: no gap, no duplicates
    expect(seqs([encodeMoldControl(SESSION, 13n, 'end-of-session'), pkt(1n, [msg(7)])])).toEqual([1n]);
    expect(counters(m)).toEqual(only({ packets: 9, messages: 8, heartbeats: 2, endOfSession: 1, gaps: 2, lostMessages: 5, dupPackets: 2, dupMessages: 3 }));
    expect(m.state.expected).toBe(2n);
  });

  test('the first packet after reset sets the expected number (no gap)', () => {
    const m = design.model();
    expect(run(m, [pkt(1_000_000_000_000n, [msg(0)])]).map((o) => o.sequence)).toEqual([1_000_000_000_000n]);
    expect(m.state.gaps).toBe(0);
  });

  test('a duplicate that is also malformed counts as malformed; sequence numbers near 2^64', () => {
    const m = design.model();
    const top = 0xffff_ffff_ffff_fff0n;
    run(m, [pkt(top, [msg(0), msg(1)])]);
    const bad = msg(0).slice();
    bad[0] = 0x7a;
    run(m, [pkt(top, [bad, msg(1)])]);
    expect(counters(m)).toEqual(only({ packets: 2, messages: 2, unknownType: 1, dupPackets: 1, dupMessages: 1 }));
    expect(m.state.expected).toBe(top + 2n);
  });

  test('latency budget: at most one record per beat, emitted by the beat holding the last byte', () => {
    // Packets of the shortest messages (S, 12 bytes) back to back: one output per beat at most, and each comes out
    // of the step of the beat that holds the message's last byte.
    const s = msg(0).slice(0, 12);
    s[0] = 0x53;
    const p = pkt(1n, Array.from({ length: 20 }, () => s));
    const m = design.model();
    let at = 0;
    const ends: number[] = [];
    for (const b of beatsOf(p)) {
      if (m.step(b, at)) ends.push(at);
      at++;
    }
    // message n's last byte is payload byte 20 + 14 n + 13
    expect(ends).toEqual(Array.from({ length: 20 }, (_, n) => Math.floor((20 + 14 * n + 13) / 8)));
    expect(binaryFileOf([s]).length).toBe(14);
  });
});

describe('itch-feed: hardware', () => {
  test('hostile stimulus exercises every counter (model)', () => {
    const m = design.model();
    [...stimulus('hostile:20000', new Rng(3))].forEach((b, n) => m.step(b, n));
    for (const k of COUNTERS) expect(m.state[k], k).toBeGreaterThan(0);
  });

  test('three-way cosim (model, Verilated RTL, HLS C-sim) on a hostile stream and on the snippet; lint-clean RTL', async () => {
    const { cosim } = await import('../../sim/cosim.ts');
    const { verilatorCommand } = await import('../../sim/tools.ts');
    const { spawnSync } = await import('node:child_process');
    const os = await import('node:os');
    const fs = await import('node:fs');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-itch-feed-'));
    for (const [input, seed] of [
      ['hostile:3000', 5],
      [SNIPPET, 1],
    ] as const) {
      const r = await cosim({ file: 'examples/itch-feed/feed.ts', input, seed, out: path.join(tmp, String(seed)), validProb: 0.8, readyProb: 0.7 });
      expect(r.executors.model!.outputs).toBeGreaterThan(input === SNIPPET ? 999 : 2000);
      expect(r.executors.rtl!.compared).toBe(r.executors.model!.outputs);
      expect(r.executors.hls!.compared).toBe(r.executors.model!.outputs);
      expect(r.mismatches).toBe(0);
      expect(r.status.length).toBe(COUNTERS.length);
      expect(r.status.filter((s) => !s.match)).toEqual([]);
      // Flow strobe: no output back-pressure, so the input is never stalled and every message takes exactly the
      // pipeline's latency.
      const L = r.pipelineLatencyCycles;
      expect(r.latencyCycles).toEqual({ min: L, median: L, max: L });
      expect(r.inputStallCycles).toBe(0);
      if (input === SNIPPET) {
        const v = verilatorCommand();
        const dir = r.rtl!.dir;
        const files = fs.readdirSync(dir).filter((f) => f.endsWith('.v')).map((f) => path.join(dir, f));
        const lint = spawnSync(v.cmd, ['--lint-only', '-Wall', '--top-module', r.design, ...files], { env: { ...process.env, ...v.env }, encoding: 'utf8' });
        expect(lint.stderr.split('\n').filter((l) => l.startsWith('%'))).toEqual([]);
      }
    }
  }, 600_000);
});
