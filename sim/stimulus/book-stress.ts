// A book-stress ITCH stream for the order-book comparison: a few symbols whose books stay narrow and busy, so that
// the top of book moves on most messages and a top-N ladder keeps emptying. Why a second generator: the synthetic
// generator (sim/stimulus/synthetic.ts) follows the snippet's statistics, where add prices spread over thousands of
// ticks around a mid that drifts, so its books are deep, crossed, and their best levels are outliers that a message
// seldom touches (about 8,000 top changes in 1,000,000 messages): a ladder bug there would hardly show.
//
// Per message, for a symbol (tracked locates 1..symbols, and one untracked locate at 1 in 16 messages):
//   add (A or F) at mid - k (bid) or mid + 1 + k (ask), k small (squared uniform over 0..depth), random shares;
//   execute the best order of a side (E or C, partly or wholly, sometimes more than it has: removed);
//   cancel part of (X) or delete (D) a random live order; replace (U) one to a price a few ticks away;
//   sweep: delete every order of the best `sweep` levels of one side (the ladder runs out, orders remain beyond);
//   the mid walks a tick now and then, so old orders end up away from the top.
// And the contract's edges at small rates: unknown references (E C X D U), adds of a live reference, U to a live
// new reference, executions larger than the order, other message types (P, S) that change nothing.
import { itch50, type ItchMessage } from '../../dsl/protocols/itch50.ts';
import { BinaryFileWriter } from './binaryfile.ts';
import { FastRng } from './synthetic.ts';

export interface StressOptions {
  count: number;
  seed: number;
  /** Tracked locates 1..symbols used (default 8). */
  symbols?: number;
  /** Add prices reach this many ticks from the mid (default 24). */
  depth?: number;
  /** Levels a sweep deletes (default 10: more than an 8-level ladder; 0: no sweeps). */
  sweep?: number;
  /** About how many live orders a side keeps (default 40): adds turn into deletes above it. */
  ordersPerSide?: number;
  /** Price step between levels, in Price(4) units (default 100: one cent). A wide step ($2: 20,000) puts levels
   * past the market maker's level-store search (examples/market-maker/levels.ts), so its refills miss. */
  tick?: number;
}

export interface StressResult {
  messages: ItchMessage[];
  binaryFile: Uint8Array;
  /** Messages of each edge kind the generator meant (the reference counts them on its own). */
  intended: { unknownRefs: number; dupAdds: number; untracked: number; sweeps: number };
}

interface Live {
  ref: bigint;
  locate: number;
  buy: boolean;
  shares: number;
  price: number;
}

const UNTRACKED = 2000;

export function stressItch(o: StressOptions): StressResult {
  const rng = new FastRng(o.seed);
  const symbols = o.symbols ?? 8;
  const depth = o.depth ?? 24;
  const sweepLevels = o.sweep ?? 10;
  const TICK = o.tick ?? 100;
  const cap = symbols * 2 * (o.ordersPerSide ?? 40);
  const set = itch50();
  const out = new BinaryFileWriter();
  const messages: ItchMessage[] = [];
  const intended = { unknownRefs: 0, dupAdds: 0, untracked: 0, sweeps: 0 };
  const mid = Array.from({ length: symbols + 1 }, (_, l) => Math.max(100_000, 50 * TICK) + 1_000 * l); // bids stay above 0
  // live orders: the list (for random picks, swap-removed) and its index by reference
  const live: Live[] = [];
  const at = new Map<bigint, number>();
  let nextRef = 1_000_000n;
  let ts = 34_200_000_000_000;
  let match = 1n;

  const emit = (m: ItchMessage) => {
    out.commit(set.encodeInto(m, out.reserve(64), out.at()));
    messages.push(m);
  };
  const head = (locate: number) => ({ stockLocate: locate, trackingNumber: 0, timestamp: (ts += 1 + rng.below(1000)) });
  const add = (x: Live) => {
    at.set(x.ref, live.length);
    live.push(x);
  };
  const kill = (ref: bigint) => {
    const k = at.get(ref)!;
    const last = live.pop()!;
    if (k < live.length) {
      live[k] = last;
      at.set(last.ref, k);
    }
    at.delete(ref);
  };
  const sharesDraw = () => (1 + rng.below(10)) * (rng.below(4) === 0 ? 1 : 100);
  const priceOf = (l: number, buy: boolean) => {
    const k = Math.floor(rng.float() ** 2 * (depth + 1));
    return buy ? mid[l]! - k * TICK : mid[l]! + TICK + k * TICK;
  };
  /** The live orders of one side of one symbol (a scan: the book is small). */
  const sideOf = (l: number, buy: boolean) => live.filter((x) => x.locate === l && x.buy === buy);
  const bestOf = (xs: Live[], buy: boolean) => xs.reduce<Live | undefined>((b, x) => (!b || (buy ? x.price > b.price : x.price < b.price) ? x : b), undefined);
  const reduce = (x: Live, n: number) => {
    if (n >= x.shares) kill(x.ref);
    else x.shares -= n;
  };

  if (o.count > 0) emit({ type: 'S', ...head(0), eventCode: 'Q' });
  while (messages.length < o.count) {
    const l = 1 + rng.below(symbols);
    const r = rng.below(1000);
    if (r < 60) {
      // untracked: an add, then a delete of it, on a locate the book ignores
      intended.untracked++;
      emit({ type: 'A', ...head(UNTRACKED), orderReferenceNumber: nextRef++, buySellIndicator: 'B', shares: 100, stock: 'UNTRACKD', price: 5_000 });
      continue;
    }
    if (r < 75) {
      // a reference never added
      intended.unknownRefs++;
      const ref = nextRef++;
      const t = 'ECXDU'[rng.below(5)]!;
      if (t === 'E') emit({ type: 'E', ...head(l), orderReferenceNumber: ref, executedShares: 100, matchNumber: match++ });
      else if (t === 'C') emit({ type: 'C', ...head(l), orderReferenceNumber: ref, executedShares: 100, matchNumber: match++, printable: 'Y', executionPrice: mid[l]! });
      else if (t === 'X') emit({ type: 'X', ...head(l), orderReferenceNumber: ref, cancelledShares: 100 });
      else if (t === 'D') emit({ type: 'D', ...head(l), orderReferenceNumber: ref });
      else emit({ type: 'U', ...head(l), originalOrderReferenceNumber: ref, newOrderReferenceNumber: nextRef++, shares: 100, price: mid[l]! });
      continue;
    }
    if (r < 85) {
      emit(rng.below(2) ? { type: 'P', ...head(l), orderReferenceNumber: 0n, buySellIndicator: 'B', shares: 100, stock: 'STRESS  ', price: mid[l]!, matchNumber: match++ } : { type: 'S', ...head(0), eventCode: 'Q' });
      continue;
    }
    if (r < 95 && live.length > 0) {
      // an add of a live reference (any symbol): ignored by the book
      intended.dupAdds++;
      const x = live[rng.below(live.length)]!;
      emit({ type: 'A', ...head(l), orderReferenceNumber: x.ref, buySellIndicator: rng.below(2) ? 'B' : 'S', shares: 100, stock: 'STRESS  ', price: mid[l]! });
      continue;
    }
    if (r < 105) {
      mid[l] = mid[l]! + (rng.below(2) ? TICK : -TICK);
      continue;
    }
    if (r < 110) {
      // sweep: every order of the best `sweepLevels` levels of one side is deleted
      const buy = rng.below(2) === 0;
      const xs = sideOf(l, buy);
      const prices = sweepLevels === 0 ? [] : [...new Set(xs.map((x) => x.price))].sort((a, b) => (buy ? b - a : a - b)).slice(0, sweepLevels);
      if (prices.length === 0) continue;
      intended.sweeps++;
      const limit = prices[prices.length - 1]!;
      for (const x of xs) {
        if (buy ? x.price < limit : x.price > limit) continue;
        emit({ type: 'D', ...head(l), orderReferenceNumber: x.ref });
        kill(x.ref);
        if (messages.length >= o.count) break;
      }
      continue;
    }
    if (r < 520 && live.length >= cap) {
      // the book is full enough: the add becomes a delete, so books stay narrow (and the scans short)
      const x = live[rng.below(live.length)]!;
      emit({ type: 'D', ...head(x.locate), orderReferenceNumber: x.ref });
      kill(x.ref);
      continue;
    }
    if (r < 520 || live.length === 0) {
      const buy = rng.below(2) === 0;
      const x: Live = { ref: nextRef++, locate: l, buy, shares: sharesDraw(), price: priceOf(l, buy) };
      const base = { ...head(l), orderReferenceNumber: x.ref, buySellIndicator: buy ? 'B' : 'S', shares: x.shares, stock: 'STRESS  ', price: x.price } as const;
      emit(rng.below(3) === 0 ? { type: 'F', ...base, attribution: 'NSDQ' } : { type: 'A', ...base });
      add(x);
      continue;
    }
    if (r < 700) {
      // execute the best order of a side: partly, wholly, or more than it has
      const buy = rng.below(2) === 0;
      const x = bestOf(sideOf(l, buy), buy);
      if (!x) continue;
      const n = rng.below(3) === 0 ? x.shares + rng.below(3) * 50 : 1 + rng.below(x.shares);
      const base = { ...head(l), orderReferenceNumber: x.ref, executedShares: n, matchNumber: match++ };
      emit(rng.below(4) === 0 ? { type: 'C', ...base, printable: 'N', executionPrice: x.price + TICK } : { type: 'E', ...base });
      reduce(x, n);
      continue;
    }
    // a random live order (any symbol): cancel part, delete, or replace
    const x = live[rng.below(live.length)]!;
    if (r < 780 && x.shares > 1) {
      const n = 1 + rng.below(x.shares - 1);
      emit({ type: 'X', ...head(x.locate), orderReferenceNumber: x.ref, cancelledShares: n });
      reduce(x, n);
    } else if (r < 880) {
      emit({ type: 'D', ...head(x.locate), orderReferenceNumber: x.ref });
      kill(x.ref);
    } else {
      // replace a few ticks away; now and then to a reference that is live (the new one is ignored)
      const dup = rng.below(40) === 0 && live.length > 1;
      const other = dup ? live.find((y) => y.ref !== x.ref) : undefined;
      const ref = other ? other.ref : nextRef++;
      const price = Math.max(TICK, x.price + (rng.below(7) - 3) * TICK);
      const shares = sharesDraw();
      emit({ type: 'U', ...head(x.locate), originalOrderReferenceNumber: x.ref, newOrderReferenceNumber: ref, shares, price });
      kill(x.ref);
      if (other) intended.dupAdds++;
      else add({ ref, locate: x.locate, buy: x.buy, shares, price });
    }
  }
  return { messages, binaryFile: out.bytes(), intended };
}
