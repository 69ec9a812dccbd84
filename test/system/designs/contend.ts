// Requote's bursts (up to three actions per tick) through a skid buffer into a unit with two inputs whose second
// input (pokes) comes from outside: the channel holds a backlog while pokes arrive, so the arbiter chooses between
// two non-empty inputs, and the unit stamps each record with the cycle it was taken (test/system/hls.test.ts).
import { system, skid, type RecordValue, Rng } from 'tickforge/dsl';
import requote, { synthetic as tick } from '../../docs/examples/requote.ts';
import arbitrate, { Poke } from './arbitrate.ts';

export default system({
  name: 'contend',
  stages: [requote, skid(), arbitrate],
});

/** A tick, or (one in three) a poke. */
export function synthetic(rng: Rng): { requote: ReturnType<typeof tick> } | { arbitrate_poke: RecordValue<typeof Poke> } {
  if (rng.chance(1 / 3)) return { arbitrate_poke: { tag: rng.below(256) } };
  return { requote: tick(rng) };
}
