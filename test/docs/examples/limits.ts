// Host-written limits: a bool, a 32-bit and a 64-bit param, and a 16-bit one after it (register map below).
// The exact notional qty x price needs 64 bits, so it is computed in bigint.
import { record, unit, param, u, ufixed, bool, mod } from 'tickforge/dsl';

export const Order = record('Order', { qty: u(32), price: ufixed(32, 4) });
export const Verdict = record('Verdict', { ok: bool(), notional: u(64) });

export default unit({
  name: 'limits',
  input: Order,
  output: Verdict,
  params: {
    enabled: param(bool(), true, 'Clear to reject everything'), //   0x20
    maxQty: param(u(32), 10_000, 'Largest quantity (shares)'), //    0x24
    maxNotional: param(u(64), 1_000_000_000n, 'Largest qty x price, 1/10000 dollars'), // 0x28 low, 0x2C high
    lotSize: param(u(16), 100, 'Quantities must be a multiple of this'), // 0x30
  },
  step(o, { params: p }) {
    const notional = BigInt(o.qty) * BigInt(o.price); // exact: < 2^64
    // `o.qty % p.lotSize` would be TF110 (lotSize may be 0); mod() defines mod(x, 0) = x.
    const ok = p.enabled && o.qty <= p.maxQty && notional <= p.maxNotional && mod(o.qty, p.lotSize) === 0;
    return { ok, notional };
  },
});
