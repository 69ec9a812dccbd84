// Mid prices from top-of-book quotes: the stage before inventory (test/docs/examples/inventory.ts) in the system
// test/system/designs/quoting.ts, whose output is inventory's first input (Tick).
import { record, unit, u, bits, type RecordValue, Rng } from 'tickforge/dsl';
import { Tick } from '../../docs/examples/inventory.ts';

export const Top = record('Top', { locate: u(10), bid: u(32), ask: u(32) });

export default unit({
  name: 'mids',
  input: Top,
  output: Tick,
  step(t) {
    if (t.ask <= t.bid) return undefined; // crossed or locked: no mid
    return { locate: t.locate, mid: bits(t.bid + t.ask, 32, 1) };
  },
});

export function synthetic(rng: Rng): RecordValue<typeof Top> {
  const bid = 100_000 + rng.below(5_000);
  return { locate: 1 + rng.below(50), bid, ask: bid + rng.below(40) };
}
