// Host-side stimulus for the ladder stages (`tickforge cosim --input synthetic:N`): updates on a few prices around
// a mid, so levels are changed, removed and inserted everywhere in the ladder, and the book sometimes crosses.
import type { Rng, RecordValue } from 'tickforge/dsl';
import { Side, LevelUpdate } from './levels.ts';

export function synthetic(rng: Rng): RecordValue<typeof LevelUpdate> {
  const side = rng.chance(0.5) ? Side.Buy : Side.Sell;
  const price = side === Side.Buy ? 9_990 + rng.below(13) : 9_999 + rng.below(13);
  return { side, price, qty: rng.chance(0.3) ? 0 : 1 + rng.below(1_000) };
}
