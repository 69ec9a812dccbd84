// Host-side stimulus for the market maker's order store and book on their own (ordinary JavaScript, never
// compiled): what the stage before each one really sends it. Random records (the default without a stimulus) name
// untracked locates and unknown orders, so `tickforge cosim|test examples/market-maker/orders.ts` saw almost no
// level changes (0 or 1 output per cocotb test). Here the upstream units' own models run on the system's stimulus
// (stimulus.ts: synthetic:N, stress:N, captures): orders.ts takes the ITCH feed's messages, levels.ts the order store's
// level changes, refill.ts and book.ts what the stages before them send. Fills (the quoter's other input) are not part of either.
import type { Rng } from 'tickforge/dsl';
import { Diagnostics } from 'tickforge/stimulus';
import feed from '../itch-feed/feed.ts';
import orders from './orders.ts';
import levels from './levels.ts';
import refill from './refill.ts';
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
export function* levelsStimulus(input: string, rng: Rng, diag = new Diagnostics()): Iterable<Rec> {
  const m = orders.model();
  let now = 0;
  for (const msg of ordersStimulus(input, rng, diag)) yield* m.stepAll(msg as never, now++) as readonly Rec[];
}

/** The level store's records (BookOp without the next level's shares) for the same stimulus. */
export function* refillStimulus(input: string, rng: Rng, diag = new Diagnostics()): Iterable<Rec> {
  const m = levels.model();
  let now = 0;
  for (const op of levelsStimulus(input, rng, diag)) yield* m.stepAll(op as never, now++) as readonly Rec[];
}

/** The ladder's input (BookOp, with the next level's shares) for the same stimulus. */
export function* bookStimulus(input: string, rng: Rng, diag = new Diagnostics()): Iterable<Rec> {
  const m = refill.model();
  let now = 0;
  for (const op of refillStimulus(input, rng, diag)) yield* m.stepAll(op as never, now++) as readonly Rec[];
}
