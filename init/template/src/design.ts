// A first design: a pre-trade limit check. This one file is the bit-exact model (run it in Node, test it with vitest)
// and the source of the Verilog and HLS C++ (`npm run build`). The language: tickforge's docs/dsl.md.
import { record, unit, param, reg, u, ufixed, bool, enumOf, wrap, Rng, type RecordValue } from 'tickforge/dsl';

export enum Reason {
  Accept = 0,
  Disabled = 1,
  MaxQty = 2,
  MaxNotional = 3,
}

export const Order = record('Order', { qty: u(32), price: ufixed(32, 4) });
export const Verdict = record('Verdict', { accepted: bool(), reason: enumOf('Reason', Reason), notional: u(64), seq: u(16) });

export default unit({
  name: 'limits',
  input: Order,
  output: Verdict,
  params: {
    enabled: param(bool(), true, 'Clear to reject everything'),
    maxQty: param(u(32), 10_000, 'Largest quantity (shares)'),
    maxNotional: param(u(64), 1_000_000_000n, 'Largest qty x price, in 1/10000 dollars'),
  },
  state: {
    seq: reg(u(16), 0), // numbers the verdicts, wrapping at 2^16
  },
  step(o, { params: p, state: s }) {
    const notional = BigInt(o.qty) * BigInt(o.price); // exact: qty x price < 2^64
    let reason = Reason.Accept;
    if (!p.enabled) reason = Reason.Disabled;
    else if (o.qty > p.maxQty) reason = Reason.MaxQty;
    else if (notional > p.maxNotional) reason = Reason.MaxNotional;
    const seq = s.seq;
    s.seq = wrap(s.seq + 1, u(16));
    return { accepted: reason === Reason.Accept, reason, notional, seq };
  },
});

/** `--input synthetic:N`: record `index` of a random order flow, some of it past each limit. */
export function synthetic(rng: Rng, index: number): RecordValue<typeof Order> {
  void index;
  return { qty: rng.chance(0.1) ? 10_000 + rng.below(5_000) : 1 + rng.below(10_000), price: 1 + rng.below(2_000_000) };
}
