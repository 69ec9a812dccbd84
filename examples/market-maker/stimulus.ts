// Host-side stimulus for the market-maker system (examples/market-maker/system.ts). Ordinary JavaScript, never
// compiled. The system has two inputs: the feed's beats (`itch_feed`) and the strategy's fills (`quoter_fill`).
// Beats: `synthetic:N` is N generated ITCH messages whose order lifecycles are complete (executions, cancels,
// deletes and replaces name live orders), with 2 % naming references never added (a feed joined mid-day), the
// sample's symbols renumbered into the tracked locates 1..1024, at most 200,000 live orders (the generated book
// otherwise grows without bound), books that never cross (an add or replace that would reach the other side's best
// is placed a tick inside it: without that the generator's books cross after ~10 % of a long run and the quoter,
// which needs a sane top, stops quoting), in MoldUDP64 packets of a seeded random number of messages; `stress:N` is
// the book-stress stream (sim/stimulus/book-stress.ts: 8 narrow, busy books whose tops move on about a quarter of
// the messages, sweeps that empty the ladder), `gaps:N` the same with levels $2 apart (past the level store's
// search: levels.ts, so the ladder's refills miss and its sides go degraded); anything else (a capture, `hostile:N`) is read by the ITCH feed's stimulus. Fills are drawn beside the beats, one in about 400, for
// tracked symbols (a stand-in for the OUCH session's executions, which this system does not read back yet).
import { Rng, type RecordValue } from 'tickforge/dsl';
import { Diagnostics, generateItch, stressItch } from 'tickforge/stimulus';
import { stimulus as beats, beatsOf, moldPayloads, type BeatValue } from '../itch-feed/stimulus.ts';
import type { Fill } from './quoter.ts';
import { SYMBOLS } from './orders.ts';

export type MarketMakerInput = { itch_feed: BeatValue } | { quoter_fill: RecordValue<typeof Fill> };

export function* stimulus(input: string, rng: Rng, diag = new Diagnostics()): Iterable<MarketMakerInput> {
  const fills = new Rng(rng.u32());
  const m = /^synthetic:(\d+)$/.exec(input);
  const st = /^(stress|gaps):(\d+)$/.exec(input);
  const source = m
    ? payloadBeats(moldPayloads(generateItch({ count: Number(m[1]), seed: rng.u32(), unknownRefs: 0.02, remapLocates: true, maxLive: 200_000, uncrossed: true }).binaryFile, rng.u32()))
    : st
      ? payloadBeats(moldPayloads(stressItch({ count: Number(st[2]), seed: rng.u32(), tick: st[1] === 'gaps' ? 20_000 : 100 }).binaryFile, rng.u32()))
      : beats(input, rng, diag);
  for (const b of source) {
    if (fills.chance(1 / 400)) yield { quoter_fill: { locate: 1 + fills.below(SYMBOLS), side: fills.chance(0.5) ? 'B' : 'S', shares: 100 * (1 + fills.below(5)) } };
    yield { itch_feed: b };
  }
}

function* payloadBeats(payloads: Uint8Array[]): Generator<BeatValue> {
  for (const p of payloads) yield* beatsOf(p);
}
