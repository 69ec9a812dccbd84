// The smallest useful unit: number every order that passes a host-set size filter and stamp it with the
// cycle it was accepted in. Shows the file shape, a char enum, decimal fixed point, a param, a state register,
// `now`, returning undefined, and the optional `synthetic` export used by `tickforge cosim`.
import { record, unit, param, reg, u, ufixed, enumOf, wrap, Rng, type RecordValue } from 'tickforge/dsl';

export enum Side {
  Buy = 'B',
  Sell = 'S',
}

export const Order = record('Order', {
  side: enumOf('Side', Side), // 8 bits: the ASCII code of 'B' or 'S'
  qty: u(32), // shares
  price: ufixed(32, 4), // Price(4): $123.45 is 1_234_500
});

export const Tagged = record('Tagged', {
  seq: u(16),
  side: enumOf('Side', Side),
  qty: u(32),
  price: ufixed(32, 4),
  at: u(48), // cycle the order was accepted in
});

export default unit({
  name: 'tagger',
  input: Order,
  output: Tagged,
  params: {
    minQty: param(u(32), 1, 'Orders below this quantity are dropped'),
  },
  state: {
    seq: reg(u(16), 0),
  },
  step(o, { params, state, now }) {
    if (o.qty < params.minQty) return undefined; // no output for this input
    state.seq = wrap(state.seq + 1, u(16)); // 65535 + 1 wraps to 0
    return { seq: state.seq, side: o.side, qty: o.qty, price: o.price, at: now };
  },
});

// Host-side stimulus for `tickforge cosim --input synthetic:N`: ordinary JavaScript, never compiled.
export function synthetic(rng: Rng, index: number): RecordValue<typeof Order> {
  return { side: rng.chance(0.5) ? Side.Buy : Side.Sell, qty: rng.below(1000), price: 1_000_000 + index };
}
