// Ranges that follow the code: a guard, a ternary and a min() clamp each prove a difference non-negative, and a
// comparison bounds a counter, so each fits its unsigned field without wrap() (docs/dsl.md "Ranges that follow the code").
import { record, unit, reg, u, min, Rng, type RecordValue } from 'tickforge/dsl';

export const Fill = record('Fill', { bid: u(32), ask: u(32), qty: u(32), limit: u(32), pos: u(32) });
export const Left = record('Left', { spread: u(32), open: u(32), room: u(32), fills: u(3) });

export default unit({
  name: 'ranges',
  input: Fill,
  output: Left,
  state: { open: reg(u(32), 1_000_000), fills: reg(u(3), 0) },
  step(f, { state }) {
    if (f.ask < f.bid) return undefined; // below this guard, f.ask >= f.bid
    const spread = f.ask - f.bid; // so this is 0..2^32-1: it fits u(32)
    state.open = f.qty < state.open ? state.open - f.qty : 0; // a ternary's arm knows its condition
    const room = f.limit - min(f.pos, f.limit); // a min() clamp: never below 0
    if (state.fills < 7) state.fills++; // 0..6 + 1 fits u(3)
    return { spread, open: state.open, room, fills: state.fills };
  },
});

export function synthetic(rng: Rng): RecordValue<typeof Fill> {
  const bid = 100_000 + rng.below(50);
  return { bid, ask: bid - 5 + rng.below(40), qty: rng.below(20_000), limit: rng.below(1000), pos: rng.below(1000) };
}
