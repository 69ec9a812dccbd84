// Host-side stimulus for the market-maker system (examples/market-maker/system.ts). Ordinary JavaScript, never
// compiled. The system has two inputs: the feed's beats (`itch_feed`) and the strategy's fills (`quoter_fill`).
// Every input string the ITCH feed reads (a capture, `synthetic:N`, `hostile:N`) gives the beats; fills are drawn
// beside them, one in about 400 beats, for tracked symbols (a stand-in for the OUCH session's executions, which
// this system does not read back yet).
import { Rng, type RecordValue } from 'tickforge/dsl';
import { Diagnostics } from 'tickforge/stimulus';
import { stimulus as beats, type BeatValue } from '../itch-feed/stimulus.ts';
import type { Fill } from './quoter.ts';
import { SYMBOLS } from './orders.ts';

export type MarketMakerInput = { itch_feed: BeatValue } | { quoter_fill: RecordValue<typeof Fill> };

export function* stimulus(input: string, rng: Rng, diag = new Diagnostics()): Iterable<MarketMakerInput> {
  const fills = new Rng(rng.u32());
  for (const b of beats(input, rng, diag)) {
    if (fills.chance(1 / 400)) yield { quoter_fill: { locate: 1 + fills.below(SYMBOLS), side: fills.chance(0.5) ? 'B' : 'S', shares: 100 * (1 + fills.below(5)) } };
    yield { itch_feed: b };
  }
}
