// The ITCH feed parser reformulated for the clock (examples/itch-feed/feed.ts: hypotheses per start lane picked by
// the state, sequence checks prepared over the header beats, split counters) against the byte-by-byte formulation it
// replaced (test/itch-feed/feed-v1.ts), beat by beat: every output and every status counter, and `expected`, after
// every beat, on hostile streams and on random packets built to hit the pathological cases (zero-length and 1..8-byte
// blocks, several blocks per beat, prefixes split across beats, counts above and below the blocks present, cut
// packets, malformed keep, sequence numbers with gaps, duplicates and wrap near 2^64), and near counter saturation.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../dsl/rng.ts';

const NEW = await import('../../examples/itch-feed/feed.ts');
const OLD = await import('./feed-v1.ts');
type Beat = Parameters<ReturnType<typeof NEW.default.model>['step']>[0];

const KEYS = [
  'packets', 'messages', 'gaps', 'lostMessages', 'dupPackets', 'dupMessages', 'heartbeats', 'endOfSession', 'badKeep',
  'truncHeader', 'truncMessage', 'zeroLength', 'unknownType', 'shortMessage', 'longMessage', 'countMismatch', 'expected',
] as const;
test('sizeOf (the pure-expression form the hardware uses) equals itchSize for every byte', () => {
  for (let t = 0; t < 256; t++) expect([t, NEW.sizeOf(t)]).toEqual([t, NEW.itchSize(t)]);
  for (const [k, c] of TYPES.entries()) expect(NEW.itchSize(c)).toBe(SIZES[k]);
});

const json = (o: unknown) => JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
const TYPES = 'AUFDEXCPQISRHYLVWKJhBNO'.split('').map((c) => c.charCodeAt(0));
const SIZES = [36, 35, 40, 19, 31, 23, 36, 44, 40, 50, 12, 39, 25, 20, 26, 35, 12, 28, 35, 21, 19, 20, 48];

/** A MoldUDP64 packet with random blocks (real-sized, tiny, zero, huge, random), count and tail. */
function packet(r: Rng, seq: bigint): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < 10; i++) bytes.push(0x30 + r.below(10));
  for (let i = 7; i >= 0; i--) bytes.push(Number((seq >> BigInt(8 * i)) & 0xffn));
  const nb = r.below(12);
  let count = r.chance(0.1) ? r.below(3) : r.chance(0.05) ? 0xffff : nb + (r.chance(0.2) ? r.below(5) - 2 : 0);
  if (count < 0) count = 0;
  bytes.push(count >> 8, count & 0xff);
  for (let b = 0; b < nb; b++) {
    const m = r.below(10);
    let len: number;
    let body: number[];
    if (m < 3) {
      const t = r.below(TYPES.length);
      len = SIZES[t]! + (r.chance(0.1) ? r.below(3) - 1 : 0);
      body = [TYPES[t]!];
    } else if (m < 5) [len, body] = [r.below(4), [TYPES[r.below(TYPES.length)]!]];
    else if (m < 6) [len, body] = [0, []];
    else if (m < 7) [len, body] = [r.below(14), [r.below(256)]];
    else if (m < 8) [len, body] = [250 + r.below(300), [r.chance(0.5) ? 0x41 : r.below(256)]];
    else if (m < 9) [len, body] = [r.below(60), [TYPES[r.below(TYPES.length)]!]];
    else [len, body] = [r.below(9), [r.below(256)]];
    while (body.length < len) body.push(r.below(256));
    body.length = len;
    bytes.push(len >> 8, len & 0xff, ...body);
  }
  for (let e = r.chance(0.1) ? r.below(5) : 0; e > 0; e--) bytes.push(r.below(256));
  const p = new Uint8Array(bytes);
  return r.chance(0.1) ? p.subarray(0, r.below(p.length + 1)) : p;
}

/** Runs the same beats through both models, comparing after every beat; returns the beats run. */
function agree(beats: Iterable<Beat>, setup?: (m: { state: Record<string, unknown> }) => void): number {
  const a = NEW.default.model();
  const b = OLD.default.model();
  if (setup) {
    setup(a as never);
    setup(b as never);
  }
  let n = 0;
  for (const beat of beats) {
    const oa = a.step(beat, n);
    const ob = b.step(beat, n);
    const sa = KEYS.map((k) => a.state[k]);
    const sb = KEYS.map((k) => b.state[k]);
    if (json(oa) !== json(ob) || json(sa) !== json(sb)) expect({ beat: n, input: beat, out: oa, state: sa }).toEqual({ beat: n, input: beat, out: ob, state: sb });
    n++;
  }
  return n;
}

function* randomStream(seed: number, packets: number): Generator<Beat> {
  const r = new Rng(seed);
  let seq = BigInt(r.u32()) * (r.chance(0.3) ? 0xffff_ffffn : 1n);
  if (r.chance(0.2)) seq = 0xffff_ffff_ffff_ff00n + BigInt(r.below(256));
  for (let k = 0; k < packets; k++) {
    const d = r.below(10);
    const s = d === 0 ? seq - BigInt(r.below(20)) : d === 1 ? seq + BigInt(r.below(20)) : d === 2 ? seq + BigInt(r.u32()) * BigInt(r.below(3)) * 65536n : seq;
    const beats = [...NEW.beatsOf(packet(r, BigInt.asUintN(64, s)))];
    seq = BigInt.asUintN(64, seq + BigInt(r.below(12)));
    if (r.chance(0.05) && beats.length) {
      const q = r.below(beats.length);
      beats[q] = { ...beats[q]!, keep: r.below(256) };
    }
    yield* beats;
  }
}

describe('itch-feed reformulation: same outputs and counters as the byte-by-byte parser, beat by beat', () => {
  test('random packets with pathological blocks, counts, cuts, keep and sequence numbers (8 x 3000 packets)', () => {
    let beats = 0;
    for (let seed = 1; seed <= 8; seed++) beats += agree(randomStream(seed, 3000));
    expect(beats).toBeGreaterThan(500_000);
  });

  test('hostile streams and synthetic data', () => {
    expect(agree(NEW.stimulus('hostile:20000', new Rng(1)))).toBeGreaterThan(90_000);
    expect(agree(NEW.stimulus('synthetic:5000', new Rng(2)))).toBeGreaterThan(20_000);
  });

  test('counters near saturation (the split 4-bit + carry form of the multi-count counters)', () => {
    for (const start of [0xffff_fff0, 0xffff_fffa, 0xffff_fffe, 0xffff_ffff, 0x0fff_fff7]) {
      agree(randomStream(99, 400), (m) => {
        for (const k of ['zeroLength', 'unknownType', 'shortMessage', 'lostMessages', 'gaps'] as const) m.state[k] = start;
        // (the reformulated model keeps (c >> 4) + 1 beside those three; the old one has no such register)
        for (const k of ['zeroLengthX', 'unknownTypeX', 'shortMessageX']) if (k in m.state) m.state[k] = Math.floor(start / 16) + 1;
      });
    }
  });
});
