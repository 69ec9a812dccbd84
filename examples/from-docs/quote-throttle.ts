// Build and co-simulate (from the repository root):
//   npx tickforge build examples/from-docs/quote-throttle.ts --out /tmp/fd-quote-throttle
//   npx tickforge cosim examples/from-docs/quote-throttle.ts --input synthetic:200000 --seed 3 --out /tmp/fdc-quote-throttle
//
// Per-symbol quote/order-rate limiter and fat-finger check for a market maker.
// Checks, in this order (the first that fails names the reason):
//   side is 'B' or 'S', quantity within (0, maxQty] (New/Replace only), per-symbol message rate within the
//   current window (all kinds), price within maxDevTicks ticks of the symbol's last accepted price
//   (New/Replace only; the first price of a symbol is accepted), per-symbol table slot available.
//
// The rate window is a global tumbling window of `windowLen` cycles. Each window has an epoch number; a symbol's
// message count is only valid if it was written in the current epoch, so nothing has to be cleared when the
// window rolls over. (A 15-bit epoch aliases after 32768 windows; accepted as a documented approximation.)
//
// Per-symbol entry, packed in one u(64) table value (one table => one write site):
//   bits 31..0  last accepted price (ufixed(32,4))
//   bits 47..32 messages accepted in epoch
//   bits 62..48 epoch of that count (15 bits)
//   bit  63     price known
import { record, unit, param, reg, table, u, ufixed, char, enumOf, bool, wrap, sat, bits, bit, Rng, type RecordValue } from 'tickforge/dsl';

export enum Kind {
  New = 0,
  Cancel = 1,
  Replace = 2,
}

export enum Reason {
  Pass = 0,
  BadSide = 1,
  BadQty = 2,
  RateLimit = 3,
  PriceDeviation = 4,
  TableFull = 5,
}

export const QuoteMsg = record('QuoteMsg', {
  kind: enumOf('Kind', Kind),
  locate: u(16),
  side: char(),
  price: ufixed(32, 4),
  qty: u(32),
});

export const Verdict = record('Verdict', {
  pass: bool(),
  reason: enumOf('Reason', Reason),
  kind: enumOf('Kind', Kind),
  locate: u(16),
  count: u(16), // messages accepted for this symbol in the current window, after this one
  deviation: ufixed(32, 4), // |price - last accepted price| (0 when unknown or not checked)
});

const Epoch = u(15);
const PRICE_SHIFT = 0n;
const COUNT_SHIFT = 32n;
const EPOCH_SHIFT = 48n;
const KNOWN_BIT = 0x8000_0000_0000_0000n;

function pack(price: number, count: number, epoch: number, known: boolean): bigint {
  return (
    (BigInt(price) << PRICE_SHIFT) |
    (BigInt(count) << COUNT_SHIFT) |
    (BigInt(epoch) << EPOCH_SHIFT) |
    (known ? KNOWN_BIT : 0n)
  );
}

export default unit({
  name: 'quote_throttle',
  input: QuoteMsg,
  output: Verdict,
  params: {
    maxOrders: param(u(16), 12, 'Messages accepted per symbol per window'),
    windowLen: param(u(32), 1_000, 'Window length, in clock cycles'),
    maxDevTicks: param(u(16), 50, 'Largest distance from the last accepted price, in ticks'),
    tickSize: param(u(32), 100, 'One tick in Price(4) units (100 = $0.01)'),
    maxQty: param(u(32), 10_000, 'Largest quantity of one New/Replace (shares)'),
  },
  state: {
    windowStart: reg(u(48), 0),
    epoch: reg(Epoch, 0),
  },
  tables: {
    sym: table({ key: u(16), value: u(64), capacity: 256 }),
  },
  step(m, { params: p, state: s, tables: t, now }) {
    // Roll the global window over.
    if (wrap(now - s.windowStart, u(48)) >= p.windowLen) {
      s.windowStart = now;
      s.epoch = wrap(s.epoch + 1, Epoch);
    }

    const entry = t.sym.get(m.locate); // 0n on a miss: unknown price, count 0, epoch 0
    const lastPrice = bits(entry, 31, 0);
    const storedCount = bits(entry, 47, 32);
    const storedEpoch = bits(entry, 62, 48);
    const known = bit(entry, 63);
    const count = storedEpoch === s.epoch ? storedCount : 0;

    const checksPrice = m.kind !== Kind.Cancel;
    // Ranges ignore the comparison (docs §8), so narrow explicitly; wrap never changes the value here.
    const deviation = wrap(m.price > lastPrice ? m.price - lastPrice : lastPrice - m.price, ufixed(32, 4));
    const band = p.maxDevTicks * p.tickSize; // < 2^48: exact as a number

    let reason = Reason.Pass;
    if (m.side !== 'B' && m.side !== 'S') reason = Reason.BadSide;
    else if (checksPrice && (m.qty === 0 || m.qty > p.maxQty)) reason = Reason.BadQty;
    else if (count >= p.maxOrders) reason = Reason.RateLimit;
    else if (checksPrice && known && deviation > band) reason = Reason.PriceDeviation;

    const newCount = sat(count + 1, u(16));
    if (reason === Reason.Pass) {
      const price = checksPrice ? m.price : lastPrice;
      // The table's one write site.
      if (!t.sym.set(m.locate, pack(price, newCount, s.epoch, known || checksPrice))) reason = Reason.TableFull;
    }

    const pass = reason === Reason.Pass;
    return {
      pass,
      reason,
      kind: m.kind,
      locate: m.locate,
      count: pass ? newCount : count,
      deviation: checksPrice && known ? deviation : 0,
    };
  },
});

/**
 * Host-side stimulus (not compiled). Most traffic goes to a few hot symbols (so the rate limit bites), a tail of
 * cold symbols larger than the table collides in the direct-mapped slots (TableFull), and a small share of
 * messages carry a bad side, a bad quantity or a far-off price.
 */
export function synthetic(rng: Rng, index: number): RecordValue<typeof QuoteMsg> {
  const hot = rng.chance(0.8);
  const locate = hot ? 1 + rng.below(48) : 1 + rng.below(2_000);
  const base = 200_000 + ((locate * 7_919) % 3_000_000);
  const r = rng.below(1000);
  const kind = r < 150 ? Kind.Cancel : r < 300 ? Kind.Replace : Kind.New;
  const side = r === 999 ? 'X' : rng.chance(0.5) ? 'B' : 'S';
  const qty = r >= 990 && r < 995 ? 0 : r >= 980 && r < 990 ? 10_001 + rng.below(100_000) : 1 + rng.below(5_000);
  const far = r >= 960 && r < 980;
  const price = far ? base + 6_000 + rng.below(100_000) : base + rng.below(4_000) - 2_000 + (index % 7);
  return { kind, locate, side, price, qty };
}
