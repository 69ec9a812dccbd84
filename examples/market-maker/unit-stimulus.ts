// Host-side stimulus for the market maker's order store and book on their own (ordinary JavaScript, never
// compiled): what the stage before each one really sends it. Random records (the default without a stimulus) name
// untracked locates and unknown orders, so `tickforge cosim|test examples/market-maker/orders.ts` saw almost no
// level changes (0 or 1 output per cocotb test). Here the upstream units' own models run on the system's stimulus
// (stimulus.ts: synthetic:N, stress:N, captures): orders.ts takes the ITCH feed's messages, book.ts the order store's
// level changes. Fills (the quoter's other input) are not part of either.
import type { Rng } from 'tickforge/dsl';
import { Diagnostics } from 'tickforge/stimulus';
import feed from '../itch-feed/feed.ts';
import orders from './orders.ts';
import { stimulus as system } from './stimulus.ts';

type Rec = Record<string, unknown>;

/** The ITCH feed's messages (ItchMsg) for the system stimulus `input`, one per message the feed parses. */
export function* ordersStimulus(input: string, rng: Rng, diag = new Diagnostics()): Iterable<Rec> {
  const m = feed.model();
  let now = 0;
  for (const v of system(input, rng, diag)) {
    if (!('itch_feed' in v)) continue;
    yield* m.stepAll(v.itch_feed as never, now++) as readonly Rec[];
  }
}

/** The order store's level changes (LevelOp) for the same stimulus. */
export function* bookStimulus(input: string, rng: Rng, diag = new Diagnostics()): Iterable<Rec> {
  const m = orders.model();
  let now = 0;
  for (const msg of ordersStimulus(input, rng, diag)) yield* m.stepAll(msg as never, now++) as readonly Rec[];
}
