// A system with two inputs: top-of-book quotes into mids, whose mid prices feed inventory's first input (tick) through
// a skid buffer, and fills straight into inventory's second input from outside. The system's inputs are `mids` and
// `inventory_fill` (s_axis_mids_* and s_axis_inventory_fill_*); inventory's arbiter orders ticks and fills.
import { system, skid, type RecordValue, Rng } from 'tickforge/dsl';
import mids, { synthetic as top } from './mids.ts';
import inventory, { Side } from '../../docs/examples/inventory.ts';
import type { Fill } from '../../docs/examples/inventory.ts';

export default system({
  name: 'quoting',
  stages: [mids, skid(), inventory],
});

/** A quote, or (one in five) a fill. */
export function synthetic(rng: Rng, i: number): { mids: ReturnType<typeof top> } | { inventory_fill: RecordValue<typeof Fill> } {
  if (rng.chance(0.2)) return { inventory_fill: { locate: 1 + rng.below(50), side: rng.chance(0.5) ? Side.Buy : Side.Sell, qty: 1 + rng.below(500) } };
  return { mids: top(rng) };
}
