// Pre-trade risk gate: every order intent passes through here before it may reach the exchange.
// Rules, checked in this order (the first that fails names the reject reason):
//   kill switch, max order quantity, max notional (qty x price, exact), reference price known,
//   price band around the symbol's reference price, order-rate throttle (token bucket in cycles),
//   per-symbol exposure (the position if every accepted order filled) and its table's capacity.
// Reference-price updates and in-band halt/resume arrive on the same stream and produce no output.
import { record, unit, param, reg, table, u, i, ufixed, bool, char, enumOf, wrap, min, implies, Rng, type RecordValue } from 'tickforge/dsl';

export enum Kind {
  Order = 0,
  RefPrice = 1, // new reference price for `locate`; no output
  Halt = 2, // in-band kill switch (e.g. from a monitor): reject every order until Resume; no output
  Resume = 3,
}

export enum Reason {
  Accept = 0,
  KillSwitch = 1,
  MaxQty = 2,
  MaxNotional = 3,
  NoRefPrice = 4,
  PriceBand = 5,
  Throttle = 6,
  Exposure = 7,
  TableFull = 8,
}

export const Intent = record('Intent', {
  kind: enumOf('Kind', Kind),
  locate: u(16), // NASDAQ stock locate code
  side: char(), // 'B' buy, 'S' sell (sell short counts as sell)
  qty: u(32), // shares
  price: ufixed(32, 4), // Price(4): 1/10000 dollars; for RefPrice records, the new reference price
});

export const Decision = record('Decision', {
  accepted: bool(),
  reason: enumOf('Reason', Reason),
  locate: u(16),
  side: char(),
  qty: u(32),
  price: ufixed(32, 4),
});

/** |position| never exceeds maxExposure < 2^32 on an accepted order, so 34 signed bits hold it. */
const Position = i(34);

export default unit({
  name: 'risk_gate',
  input: Intent,
  output: Decision,
  params: {
    killSwitch: param(bool(), false, 'When set, every order is rejected'),
    maxQty: param(u(32), 50_000, 'Largest quantity of one order (shares)'),
    maxNotional: param(u(64), 100_000_000_000n, 'Largest qty x price of one order, in 1/10000 dollars ($10M)'),
    bandBps: param(u(16), 500, 'Allowed distance from the reference price, in basis points'),
    orderCost: param(u(32), 8, 'Throttle credit one order consumes, in cycles'),
    burst: param(u(32), 256, 'Throttle credit cap, in cycles (burst = burst / orderCost orders)'),
    maxExposure: param(u(32), 20_000, 'Largest |position| per symbol if every accepted order filled (shares)'),
  },
  state: {
    credit: reg(u(32), 256),
    lastSeen: reg(u(48), 0),
    halted: reg(bool(), false),
  },
  tables: {
    refPrice: table({ key: u(16), value: ufixed(32, 4), capacity: 1024 }),
    position: table({ key: u(16), value: Position, capacity: 512 }),
  },
  // Written so the compiler can pipeline it at 322 MHz (docs/dsl.md "Meeting the clock"): everything that depends
  // only on the order, the params and state updated earlier in the pipeline (lastSeen, halted, refPrice) is worked
  // out first, and the update of `credit` and `position`, which depend on each other through "accepted", is two
  // comparisons of the state with thresholds computed from the order, then a choice between precomputed values.
  // The outputs are those of the rules in the order listed at the top; test/examples/risk-gate.test.ts checks them.
  step(o, { params: p, state: s, tables: t, now }) {
    if (o.kind === Kind.RefPrice) {
      t.refPrice.set(o.locate, o.price);
      return undefined;
    }
    if (o.kind === Kind.Halt || o.kind === Kind.Resume) {
      s.halted = o.kind === Kind.Halt;
      return undefined;
    }

    // Token bucket counted in cycles: credit grows by one per elapsed cycle up to `burst`; an accepted order spends
    // `orderCost`. avail = min(credit + elapsed, burst), taken apart: it is `burst` when credit > burst - e (capped),
    // else credit + e, where e = min(elapsed, burst) gives the same minimum and keeps the sum within 33 bits.
    const elapsed = wrap(now - s.lastSeen, u(48));
    s.lastSeen = now;
    const e = min(elapsed, p.burst);
    const room = p.burst - e; // >= 0
    const need = p.orderCost > e ? p.orderCost - e : 0; // uncapped: avail < orderCost exactly when credit < need
    const capped = s.credit > room;
    const throttled = capped ? p.burst < p.orderCost : s.credit < need;

    const ref = t.refPrice.get(o.locate);
    const distance = o.price > ref ? o.price - ref : ref - o.price;
    const killed = p.killSwitch || s.halted;
    const qtyBad = o.qty > p.maxQty;
    const notionalBad = BigInt(o.qty) * BigInt(o.price) > p.maxNotional;
    const noRef = !t.refPrice.has(o.locate);
    const bandBad = distance * 10_000 > ref * p.bandBps;

    // Exposure: newPos = pos +/- qty must stay within +/-maxExposure, i.e. pos within [lo, hi] computed from the order.
    const dq = o.side === 'B' ? o.qty : -o.qty;
    const hi = p.maxExposure - dq;
    const lo = -p.maxExposure - dq;
    const pos = t.position.get(o.locate);
    const exposureBad = pos > hi || pos < lo;

    const ok = !killed && !qtyBad && !notionalBad && !noRef && !bandBad && !throttled && !exposureBad;
    let full = false;
    if (ok) full = !t.position.set(o.locate, wrap(pos + dq, Position));
    const accepted = ok && !full;
    // The next credit: one of four values computed in parallel, chosen by `capped` and `accepted`.
    const cappedSpent = wrap(p.burst - p.orderCost, u(32)); // accepted => burst >= orderCost
    const eSpent = e - p.orderCost;
    const kept = wrap(s.credit + e, u(32)); // uncapped => credit + e <= burst
    const spent = wrap(s.credit + eSpent, u(32)); // uncapped and accepted => 0 <= credit + e - orderCost <= burst
    s.credit = accepted ? (capped ? cappedSpent : spent) : capped ? p.burst : kept;

    let reason = Reason.Accept;
    if (killed) reason = Reason.KillSwitch;
    else if (qtyBad) reason = Reason.MaxQty;
    else if (notionalBad) reason = Reason.MaxNotional;
    else if (noRef) reason = Reason.NoRefPrice;
    else if (bandBad) reason = Reason.PriceBand;
    else if (throttled) reason = Reason.Throttle;
    else if (exposureBad) reason = Reason.Exposure;
    else if (full) reason = Reason.TableFull;
    return { accepted, reason, locate: o.locate, side: o.side, qty: o.qty, price: o.price };
  },
  // The risk rules as theorems (declared after step, so the generated Verilog's source-line comments stay put):
  // the model checks them on every output, `tickforge prove` proves them on the
  // generated Verilog for every input sequence and every param value (docs/proofs.md).
  properties: {
    // No order is accepted while the kill switch is set.
    killSwitch: ({ out, params }) => implies(params.killSwitch, !out.accepted),
    // No accepted order exceeds maxQty, or maxNotional (qty x price, exact).
    maxQty: ({ out, params }) => implies(out.accepted, out.qty <= params.maxQty),
    maxNotional: ({ out, params }) => implies(out.accepted, BigInt(out.qty) * BigInt(out.price) <= params.maxNotional),
  },
});

/**
 * Synthetic stimulus for `tickforge cosim --input synthetic:N` (host-side code; not compiled). A mix of
 * reference-price updates and orders over more symbols than the tables hold, with quantities, prices and bursts
 * chosen so that every reject reason occurs.
 */
export function synthetic(rng: Rng, index: number): RecordValue<typeof Intent> {
  const symbols = 1500; // > table capacity: some symbols collide in the direct-mapped tables
  const locate = 1 + rng.below(symbols);
  const base = 100_000 + ((locate * 7919) % 5_000_000); // a per-symbol price level, $10..$510
  if (index < 200 || rng.chance(0.05)) {
    return { kind: Kind.RefPrice, locate, side: 'B', qty: 0, price: base + rng.below(1000) };
  }
  if (rng.chance(0.002)) return { kind: rng.chance(0.5) ? Kind.Halt : Kind.Resume, locate: 0, side: 'B', qty: 0, price: 0 };
  const r = rng.u32() % 100;
  const qty = r < 2 ? 50_001 + rng.below(1_000_000) : r < 4 ? 30_000 + rng.below(20_000) : 1 + rng.below(2_000);
  const price = r >= 4 && r < 6 ? base * 2 : r >= 6 && r < 8 ? Math.floor(base * 0.9) : base + rng.below(1000);
  return { kind: Kind.Order, locate, side: rng.chance(0.7) ? 'B' : 'S', qty, price };
}
