// Stress variant of imbalance.ts: emits on every update and drives full-range quantities (scale 0..21, depth
// saturation) so cosim compares the whole datapath on every record, not only the rare crossings.
// Build and co-simulate (from the repository root):
//   npx tickforge build examples/from-docs/imbalance.ts --out /tmp/fd-imbalance
//   npx tickforge cosim examples/from-docs/imbalance.ts --input synthetic:200000 --seed 3 --out /tmp/fdc-imbalance
//
// Running order-book-imbalance signal. Each input is a depth change (side, add/remove, level, qty, price).
// The unit keeps level-weighted bid and ask depth, computes the imbalance (bid - ask) / (bid + ask) in 1/10000
// units on a normalized (leading-one scaled) fraction so the divider stays ~22 bits wide, smooths it with an
// exponential moving average (alpha = 2^-alphaShift, 4 extra binary fraction bits), and classifies it into a
// regime with hysteresis (enter above `enter`, leave below `exit`). It emits one signal record only when the
// regime changes; every other update produces no output. A wide (64-bit, bigint) accumulator tracks the net
// signed notional added to the book.
import { record, unit, param, reg, u, i, ufixed, sfixed, enumOf, wrap, sat, min, max, bits, bit, div, Rng, type RecordValue } from 'tickforge/dsl';

export enum Side {
  Bid = 0,
  Ask = 1,
}

export enum Action {
  Add = 0,
  Remove = 1,
}

export enum Regime {
  Flat = 0,
  BidHeavy = 1,
  AskHeavy = 2,
}

export const BookUpdate = record('BookUpdate', {
  side: enumOf('Side', Side),
  action: enumOf('Action', Action),
  level: u(3), // 0 = top of book .. 7
  qty: u(32),
  price: ufixed(32, 4),
});

export const ImbalanceSignal = record('ImbalanceSignal', {
  seq: u(16), // signals emitted so far (wraps)
  regime: enumOf('Regime', Regime),
  previous: enumOf('Regime', Regime),
  imbalance: sfixed(16, 4), // instantaneous (bid - ask) / (bid + ask), 1/10000 units
  ema: sfixed(16, 4), // smoothed imbalance, 1/10000 units
  bidDepth: u(40), // level-weighted shares
  askDepth: u(40),
  scale: u(5), // right shift applied before the division
  updates: u(32), // updates since the previous signal (saturating)
  flow: i(64), // net signed notional, 1/10000 dollars (wraps)
  flowHi: u(32), // bits 63..32 of flow
  at: u(48),
});

const Depth = u(40);
const Ema = i(20); // imbalance x 16 (4 binary fraction bits)
const SUM_BITS = 41; // bid + ask < 2^41
const DIV_BITS = 20; // the normalized denominator keeps at most this many bits
const ONE = 10_000; // 1.0 in 1/10000 units

/** Number of significant bits of x (0 for 0): a leading-one detector, unrolled. */
function significantBits(x: number): number {
  let n = 0;
  for (let k = 0; k < SUM_BITS; k++) {
    if (bit(x, k)) n = k + 1;
  }
  return n;
}

/** Deeper levels count less: weight 8 at the top of book, 1 at level 7. */
const levelWeight = (level: number): number => 8 - level;

export default unit({
  name: 'imbalance_stress',
  input: BookUpdate,
  output: ImbalanceSignal,
  params: {
    enter: param(u(16), 300, 'Enter a heavy regime when |ema| exceeds this (1/10000)'),
    exit: param(u(16), 1_000, 'Return to flat when |ema| falls below this (1/10000)'),
    alphaShift: param(u(3), 4, 'EMA weight 2^-alphaShift'),
    maxQty: param(u(32), 4_294_967_295, 'Larger updates are clipped to this (shares)'),
  },
  state: {
    bid: reg(Depth, 0),
    ask: reg(Depth, 0),
    ema: reg(Ema, 0),
    regime: reg(enumOf('Regime', Regime), Regime.Flat),
    seq: reg(u(16), 0),
    updates: reg(u(32), 0),
    flow: reg(i(64), 0n),
  },
  step(o, { params: p, state: s, now }) {
    // Depth update: clip, weight by level, saturate on add, floor at zero on remove.
    const wq = min(o.qty, p.maxQty) * levelWeight(o.level);
    const add = o.action === Action.Add;
    if (o.side === Side.Bid) s.bid = add ? sat(s.bid + wq, Depth) : max(s.bid - wq, 0);
    else s.ask = add ? sat(s.ask + wq, Depth) : max(s.ask - wq, 0);

    // Wide accumulator: bids added and asks removed push the flow up.
    const notional = BigInt(o.qty) * BigInt(o.price); // < 2^64, exact
    const up = (o.side === Side.Bid) === add;
    s.flow = wrap(s.flow + (up ? notional : -notional), i(64));

    // Imbalance on a normalized fraction: shift both terms so the denominator has <= DIV_BITS bits.
    const total = s.bid + s.ask;
    const diff = s.bid - s.ask;
    const scale = max(significantBits(total) - DIV_BITS, 0);
    // The compiler does not know the shift makes these small (ranges ignore the data), so narrow explicitly.
    const den = sat(BigInt(total) >> BigInt(scale), u(21));
    const num = sat(BigInt(diff) >> BigInt(scale), i(22));
    const imbalance = sat(div(num * ONE, den), sfixed(16, 4));

    // EMA with 4 extra fraction bits; the arithmetic shift rounds toward -infinity in both executors.
    s.ema = sat(s.ema + ((imbalance * 16 - s.ema) >> p.alphaShift), Ema);
    const ema = s.ema >> 4;

    let next = s.regime;
    if (ema > p.enter) next = Regime.BidHeavy;
    else if (ema < -p.enter) next = Regime.AskHeavy;
    else if (ema < p.exit && ema > -p.exit) next = Regime.Flat;

    s.updates = sat(s.updates + 1, u(32));


    const previous = s.regime;
    const updates = s.updates;
    s.regime = next;
    s.seq = wrap(s.seq + 1, u(16));
    s.updates = 0;
    return {
      seq: s.seq,
      regime: next,
      previous,
      imbalance,
      ema,
      bidDepth: s.bid,
      askDepth: s.ask,
      scale,
      updates,
      flow: s.flow,
      flowHi: bits(s.flow, 63, 32),
      at: now,
    };
  },
});

/**
 * Host-side stimulus (not compiled). Phases of 4000 updates: bid-heavy (bids added, asks pulled), balanced,
 * ask-heavy, balanced; the EMA crosses the thresholds in both directions and returns to flat.
 */
export function synthetic(rng: Rng, index: number): RecordValue<typeof BookUpdate> {
  const phase = Math.floor(index / 4_000) % 4;
  const favour = phase === 0 ? Side.Bid : phase === 2 ? Side.Ask : undefined;
  const side = rng.chance(0.5) ? Side.Bid : Side.Ask;
  let addProb = 0.5;
  if (favour !== undefined) addProb = side === favour ? 0.8 : 0.2;
  const action = rng.chance(addProb) ? Action.Add : Action.Remove;
  const qty = rng.chance(0.3) ? rng.u32() : 1 + rng.below(1_000);
  return { side, action, level: rng.below(8), qty, price: 1_000_000 + rng.below(50_000) };
}
