// The synthetic ITCH 5.0 generator: seeded and reproducible, with the real snippet's message mix, per-symbol price
// levels, price offsets/replace moves in ticks, share sizes, order ages and timestamp gaps (itch-stats.ts).
// Order lifecycles keep a book consistent: executions, cancels, deletes and replaces only name LIVE orders, with
// shares never below zero; a replace retires its order and adds the new reference number. Optionally a share of
// them names a reference never added (unknownRefs), the locates are renumbered into 1..1024 (remapLocates), the
// number of live orders is bounded (maxLive), and books never cross (uncrossed).
import { itch50, type ItchMessage, type ItchOf } from '../../dsl/protocols/itch50.ts';
import { BinaryFileWriter } from './binaryfile.ts';
import { defaultItchStats, tickOf, type Histogram, type ItchStats } from './itch-stats.ts';

/** xoshiro128** on 32-bit numbers: fast, seeded, the same sequence on every platform. */
export class FastRng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    // splitmix32 expands the seed into the four state words.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
  }
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }
  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }
  below(n: number): number {
    return Math.floor(this.float() * n);
  }
}
const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** Draws values from a histogram in proportion to their counts. */
class Sampler {
  private readonly values: number[];
  private readonly cum: Float64Array;
  constructor(h: Histogram) {
    if (h.length === 0) throw new Error('empty histogram');
    this.values = h.map((x) => x[0]);
    this.cum = new Float64Array(h.length);
    let t = 0;
    h.forEach(([, c], k) => (this.cum[k] = t += c));
  }
  draw(rng: FastRng): number {
    const x = rng.float() * this.cum[this.cum.length - 1]!;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }
}

/** Live orders as parallel arrays in the order they were added; dead slots are skipped and compacted away. */
class OrderBook {
  n = 0;
  live = 0;
  ref = new Float64Array(1024);
  sym = new Int32Array(1024);
  buy = new Uint8Array(1024);
  shares = new Uint32Array(1024);
  price = new Uint32Array(1024);
  born = new Float64Array(1024);
  alive = new Uint8Array(1024);

  add(ref: number, sym: number, buy: boolean, shares: number, price: number, born: number): void {
    if (this.n === this.ref.length) this.grow();
    const k = this.n++;
    this.ref[k] = ref;
    this.sym[k] = sym;
    this.buy[k] = buy ? 1 : 0;
    this.shares[k] = shares;
    this.price[k] = price;
    this.born[k] = born;
    this.alive[k] = 1;
    this.live++;
  }
  kill(k: number): void {
    this.alive[k] = 0;
    this.live--;
    if (this.n > 4096 && this.live < this.n / 2) this.compact();
  }
  /** A live order added about `age` messages before `now` (the nearest live one to that point). */
  pick(now: number, age: number): number {
    const target = now - age;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.born[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    for (let d = 0; d < this.n; d++) {
      const up = lo + d;
      const down = lo - 1 - d;
      if (up < this.n && this.alive[up]) return up;
      if (down >= 0 && this.alive[down]) return down;
      if (up >= this.n && down < 0) break;
    }
    return -1;
  }
  private grow(): void {
    const cap = this.ref.length * 2;
    const g = <T extends Float64Array | Int32Array | Uint8Array | Uint32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.ref = g(this.ref);
    this.sym = g(this.sym);
    this.buy = g(this.buy);
    this.shares = g(this.shares);
    this.price = g(this.price);
    this.born = g(this.born);
    this.alive = g(this.alive);
  }
  private compact(): void {
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      if (!this.alive[r]) continue;
      this.ref[w] = this.ref[r]!;
      this.sym[w] = this.sym[r]!;
      this.buy[w] = this.buy[r]!;
      this.shares[w] = this.shares[r]!;
      this.price[w] = this.price[r]!;
      this.born[w] = this.born[r]!;
      this.alive[w] = 1;
      w++;
    }
    this.alive.fill(0, w, this.n);
    this.n = w;
  }
}

/**
 * The best price of one side of one symbol over the live orders: a binary heap of (price, reference) with lazy
 * removal (an entry whose order is gone is dropped when it reaches the top; an order's price never changes under its
 * reference, a replace makes a new one).
 */
class SideHeap {
  private readonly price: number[] = [];
  private readonly ref: number[] = [];
  /** sign 1: the highest price is best (bids); -1: the lowest (asks). */
  constructor(private readonly sign: 1 | -1) {}
  private above(i: number, j: number): boolean {
    return this.sign * (this.price[i]! - this.price[j]!) > 0;
  }
  private swap(i: number, j: number): void {
    [this.price[i], this.price[j]] = [this.price[j]!, this.price[i]!];
    [this.ref[i], this.ref[j]] = [this.ref[j]!, this.ref[i]!];
  }
  push(price: number, ref: number): void {
    let i = this.price.push(price) - 1;
    this.ref.push(ref);
    while (i > 0 && this.above(i, (i - 1) >> 1)) {
      this.swap(i, (i - 1) >> 1);
      i = (i - 1) >> 1;
    }
  }
  best(live: ReadonlySet<number>): number | null {
    while (this.price.length && !live.has(this.ref[0]!)) {
      const n = this.price.length - 1;
      this.swap(0, n);
      this.price.pop();
      this.ref.pop();
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && this.above(l, m)) m = l;
        if (r < n && this.above(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return this.price.length ? this.price[0]! : null;
  }
}

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Use only the `symbols` most active symbols of the sample (default: all of them). */
  symbols?: number;
  stats?: ItchStats;
  /** The share (0..1) of executions, cancels, deletes and replaces that name a reference number never added (as
   * a feed joined mid-day sees): the reference is the next one in sequence, skipped by the adds for good, so it
   * looks like a live one. Such a replace's new reference is never added either. Default 0: no random draw is made
   * for it, and the output is the same as without the option. */
  unknownRefs?: number;
  /** Stock locates renumbered 1, 2, ... in the order of the sample's locates (wrapping after `SYMBOLS_REMAP`), so
   * that a book tracking locates 1..1024 sees every symbol; the sample's own locates are mostly above 1024. Default
   * false: the sample's locates. */
  remapLocates?: boolean;
  /** At most this many live orders: once there, a drawn add becomes a delete of a live order (picked by the sampled
   * age, like every delete). Without it the book grows by about 0.38 orders a message (3.8M after 10M messages),
   * past the order table of a hardware book. Default: no limit (no change to the output). */
  maxLive?: number;
  /** Books stay uncrossed, as an exchange's do: an add or a replace whose price would reach the other side's best
   * price of its symbol (a buy at or above the best ask, a sell at or below the best bid) is placed one tick inside
   * it instead. Without it the mid's walk and the sample's offsets leave bids above asks after ~10 % of a long run,
   * and a strategy that needs a sane top stops quoting. No random draw is made for it; default false (no change to
   * the output). */
  uncrossed?: boolean;
  /** Called with every message, in order (besides being encoded into the BinaryFILE). */
  onMessage?: (m: ItchMessage) => void;
}

export interface GenerateResult {
  binaryFile: Uint8Array;
  counts: Record<string, number>;
  stats: ItchStats;
  /** Orders still live at the end. */
  liveOrders: number;
  /** Messages that named a reference number never added (unknownRefs). */
  unknownRefs: number;
}

/** remapLocates numbers the symbols 1..SYMBOLS_REMAP (the order book's default tracked locates), then wraps. */
export const SYMBOLS_REMAP = 1024;

/** Types the generator draws from the sample's mix; a system event 'Q' (start of market hours) opens the stream. */
const MIX_TYPES = ['A', 'F', 'E', 'C', 'X', 'D', 'U', 'P', 'Q', 'I'] as const;
type MixType = (typeof MIX_TYPES)[number];

export function generateItch(o: GenerateOptions): GenerateResult {
  const stats = o.stats ?? defaultItchStats();
  const rng = new FastRng(o.seed);
  const set = itch50();
  const out = new BinaryFileWriter();
  const counts: Record<string, number> = {};
  let symbols = [...stats.symbols];
  if (o.symbols !== undefined) symbols = symbols.sort((a, b) => b.weight - a.weight || a.stockLocate - b.stockLocate).slice(0, Math.max(1, o.symbols)).sort((a, b) => a.stockLocate - b.stockLocate);
  if (symbols.length === 0) throw new Error('generator: the statistics hold no symbol with a price');
  if (o.remapLocates) symbols = symbols.map((s, k) => ({ ...s, stockLocate: (k % SYMBOLS_REMAP) + 1 }));
  const symPick = new Sampler(symbols.map((s, k) => [k, s.weight]));
  const mid = symbols.map((s) => s.refPrice);
  const mixWeights: Histogram = MIX_TYPES.map((t, k) => [k, stats.typeMix[t] ?? 0]);
  const typePick = new Sampler(mixWeights.filter(([, c]) => c > 0));
  const offBuy = new Sampler(stats.addOffsetTicksBuy.length ? stats.addOffsetTicksBuy : [[0, 1]]);
  const offSell = new Sampler(stats.addOffsetTicksSell.length ? stats.addOffsetTicksSell : [[0, 1]]);
  const replaceDelta = new Sampler(stats.replaceDeltaTicks);
  const addShares = new Sampler(stats.addShares);
  const execShares = new Sampler(stats.executedShares);
  const ageOf = new Sampler(stats.orderAgeMessages);
  const attributions = stats.attributions.length ? stats.attributions : [['NSDQ', 1] as [string, number]];
  const attrPick = new Sampler(attributions.map(([, c], k) => [k, c]));
  const q = stats.gapQuantilesNs;
  const book = new OrderBook();
  let ts = stats.startTimestamp;
  let nextRef = stats.firstOrderReferenceNumber;
  let nextMatch = stats.firstMatchNumber;

  const emit = (m: ItchMessage) => {
    const buf = out.reserve(64);
    out.commit(set.encodeInto(m, buf, out.at()));
    counts[m.type] = (counts[m.type] ?? 0) + 1;
    o.onMessage?.(m);
  };
  const gap = () => {
    const x = rng.float() * (q.length - 1);
    const k = Math.floor(x);
    const lo = q[k]!;
    const hi = q[Math.min(k + 1, q.length - 1)]!;
    return Math.round(lo + (hi - lo) * (x - k));
  };
  const head = (locate: number) => ({ stockLocate: locate, trackingNumber: rng.below(8), timestamp: (ts += gap()) });
  const priceNear = (s: number, ticks: number) => {
    const t = tickOf(mid[s]!);
    return Math.max(t, Math.min(0x77359400, mid[s]! + ticks * t));
  };
  /** The mid walks a tick with each trade, so prices drift like the sample's. */
  const walk = (s: number) => {
    const r = rng.below(4);
    if (r === 0) mid[s] = priceNear(s, -1);
    else if (r === 1) mid[s] = priceNear(s, 1);
  };
  const bigRef = (k: number) => BigInt(book.ref[k]!);
  // uncrossed: the live references and each symbol's best bid and ask.
  const liveRefs = new Set<number>();
  const bids = symbols.map(() => new SideHeap(1));
  const asks = symbols.map(() => new SideHeap(-1));
  const addOrder = (ref: number, s: number, buy: boolean, shares: number, price: number, born: number) => {
    book.add(ref, s, buy, shares, price, born);
    if (!o.uncrossed) return;
    liveRefs.add(ref);
    (buy ? bids : asks)[s]!.push(price, ref);
  };
  const killOrder = (k: number) => {
    if (o.uncrossed) liveRefs.delete(book.ref[k]!);
    book.kill(k);
  };
  /** The price and side an order of symbol s gets so that it does not reach the other side's best (uncrossed). */
  const uncross = (s: number, buy: boolean, price: number): { buy: boolean; price: number } => {
    if (!o.uncrossed) return { buy, price };
    if (buy) {
      const ask = asks[s]!.best(liveRefs);
      if (ask === null || price < ask) return { buy, price };
      const t = tickOf(ask);
      // No price below a best ask of one tick: the order joins the ask instead.
      return ask - t >= t ? { buy, price: ask - t } : { buy: false, price: ask };
    }
    const bid = bids[s]!.best(liveRefs);
    if (bid === null || price > bid) return { buy, price };
    const t = tickOf(bid);
    return bid + t <= 0x77359400 ? { buy, price: bid + t } : { buy: true, price: bid };
  };
  const unknownShare = o.unknownRefs ?? 0;
  let unknownRefs = 0;
  /** A message of type t naming a reference number that is never added (the next one, skipped by the adds). */
  const unknownRef = (t: 'E' | 'C' | 'X' | 'D' | 'U') => {
    const s = symPick.draw(rng);
    const ref = BigInt(nextRef++);
    const h = head(symbols[s]!.stockLocate);
    unknownRefs++;
    if (t === 'E' || t === 'C') {
      const base = { ...h, orderReferenceNumber: ref, executedShares: execShares.draw(rng), matchNumber: BigInt(nextMatch++) };
      if (t === 'E') emit({ type: 'E', ...base });
      else emit({ type: 'C', ...base, printable: 'N', executionPrice: mid[s]! });
    } else if (t === 'X') emit({ type: 'X', ...h, orderReferenceNumber: ref, cancelledShares: execShares.draw(rng) });
    else if (t === 'D') emit({ type: 'D', ...h, orderReferenceNumber: ref });
    else emit({ type: 'U', ...h, originalOrderReferenceNumber: ref, newOrderReferenceNumber: BigInt(nextRef++), shares: addShares.draw(rng), price: mid[s]! });
  };

  if (o.count > 0) emit({ type: 'S', stockLocate: 0, trackingNumber: 0, timestamp: ts, eventCode: 'Q' });
  for (let i = 1; i < o.count; i++) {
    let t: MixType = MIX_TYPES[typePick.draw(rng)]!;
    let k = -1;
    const full = (t === 'A' || t === 'F') && o.maxLive !== undefined && book.live >= o.maxLive;
    if (full) t = 'D'; // (a real delete: never one of an unknown reference)
    if (t === 'E' || t === 'C' || t === 'X' || t === 'D' || t === 'U') {
      if (!full && unknownShare > 0 && rng.float() < unknownShare) {
        unknownRef(t);
        continue;
      }
      k = book.live > 0 ? book.pick(i, ageOf.draw(rng)) : -1;
      if (k < 0) t = 'A';
      else if (t === 'X' && book.shares[k]! < 2) t = 'D';
    }
    switch (t) {
      case 'A':
      case 'F': {
        const s = symPick.draw(rng);
        const drawnBuy = rng.float() < stats.buyFraction;
        const shares = addShares.draw(rng);
        const { buy, price } = uncross(s, drawnBuy, priceNear(s, (drawnBuy ? offBuy : offSell).draw(rng)));
        const ref = nextRef++;
        const base = { ...head(symbols[s]!.stockLocate), orderReferenceNumber: BigInt(ref), buySellIndicator: buy ? 'B' : 'S', shares, stock: symbols[s]!.stock, price };
        if (t === 'A') emit({ type: 'A', ...base });
        else emit({ type: 'F', ...base, attribution: attributions[attrPick.draw(rng)]![0] });
        addOrder(ref, s, buy, shares, price, i);
        break;
      }
      case 'E':
      case 'C': {
        const s = book.sym[k]!;
        const executedShares = Math.min(book.shares[k]!, execShares.draw(rng));
        const base = { ...head(symbols[s]!.stockLocate), orderReferenceNumber: bigRef(k), executedShares, matchNumber: BigInt(nextMatch++) };
        if (t === 'E') emit({ type: 'E', ...base });
        else {
          const tick = tickOf(book.price[k]!);
          const executionPrice = Math.max(tick, book.price[k]! + (book.buy[k] ? -1 : 1) * tick * (1 + rng.below(2)));
          emit({ type: 'C', ...base, printable: rng.float() < stats.printableFraction ? 'Y' : 'N', executionPrice });
        }
        book.shares[k] = book.shares[k]! - executedShares;
        if (book.shares[k] === 0) killOrder(k);
        walk(s);
        break;
      }
      case 'X': {
        const cancelledShares = 1 + rng.below(book.shares[k]! - 1);
        emit({ type: 'X', ...head(symbols[book.sym[k]!]!.stockLocate), orderReferenceNumber: bigRef(k), cancelledShares });
        book.shares[k] = book.shares[k]! - cancelledShares;
        break;
      }
      case 'D':
        emit({ type: 'D', ...head(symbols[book.sym[k]!]!.stockLocate), orderReferenceNumber: bigRef(k) });
        killOrder(k);
        break;
      case 'U': {
        const s = book.sym[k]!;
        const tick = tickOf(book.price[k]!);
        const buy = book.buy[k] === 1;
        // A replace keeps its side: were the uncrossed price on the other side, it keeps the drawn price instead.
        const drawn = Math.max(tick, Math.min(0x77359400, book.price[k]! + replaceDelta.draw(rng) * tick));
        const u = uncross(s, buy, drawn);
        const price = u.buy === buy ? u.price : drawn;
        const shares = addShares.draw(rng);
        const ref = nextRef++;
        emit({ type: 'U', ...head(symbols[s]!.stockLocate), originalOrderReferenceNumber: bigRef(k), newOrderReferenceNumber: BigInt(ref), shares, price });
        killOrder(k);
        addOrder(ref, s, buy, shares, price, i);
        break;
      }
      case 'P': {
        const s = symPick.draw(rng);
        emit({ type: 'P', ...head(symbols[s]!.stockLocate), orderReferenceNumber: 0n, buySellIndicator: 'B', shares: execShares.draw(rng), stock: symbols[s]!.stock, price: mid[s]!, matchNumber: BigInt(nextMatch++) });
        walk(s);
        break;
      }
      case 'Q': {
        const s = symPick.draw(rng);
        const m: ItchOf<'Q'> = { type: 'Q', ...head(symbols[s]!.stockLocate), shares: BigInt(addShares.draw(rng) * (1 + rng.below(100))), stock: symbols[s]!.stock, crossPrice: mid[s]!, matchNumber: BigInt(nextMatch++), crossType: 'O' };
        emit(m);
        break;
      }
      case 'I': {
        const s = symPick.draw(rng);
        const paired = addShares.draw(rng) * (1 + rng.below(50));
        const imbalance = rng.below(3) === 0 ? 0 : addShares.draw(rng) * (1 + rng.below(20));
        const p = mid[s]!;
        emit({
          type: 'I',
          ...head(symbols[s]!.stockLocate),
          pairedShares: BigInt(paired),
          imbalanceShares: BigInt(imbalance),
          imbalanceDirection: imbalance === 0 ? 'N' : rng.below(2) ? 'B' : 'S',
          stock: symbols[s]!.stock,
          farPrice: p,
          nearPrice: p,
          currentReferencePrice: p,
          crossType: 'O',
          priceVariationIndicator: 'L',
        });
        break;
      }
    }
  }
  return { binaryFile: out.bytes(), counts, stats, liveOrders: book.live, unknownRefs };
}
