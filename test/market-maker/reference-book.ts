// The independent reference order book of issue 12 (item 4): full depth, plain TypeScript, written from the book's
// contract alone (docs in this header) and apart from the DSL book (examples/market-maker/), whose update records
// compare.ts checks against this one. Clear rather than fast: a Map of live orders by reference number, and per
// tracked locate and side a Map price -> total shares with the best price kept beside it; a side's levels are
// scanned only when its best level empties (an add can only improve the best, a reduction can only empty a level).
//
// CONTRACT (what both books implement)
//   - Messages are processed in order, each with its MoldUDP64 sequence number. Tracked: the stock locates the
//     host-loaded locate -> slot map gives a slot (by default 1..SYMBOLS); a message of any other locate is ignored
//     entirely (not counted as anything but `untracked`). The map gives each tracked locate its own slot (the DSL
//     book keys its state by slot; the reference keeps its books by locate, so a slot shared by two locates would
//     show as differences: `trackingOf` refuses such a map).
//   - Orders are keyed by their 64-bit order reference number, globally (not per locate).
//   - A / F: a new order {locate, side, shares, price}; a reference already live: ignored, `dupAdds` + 1.
//   - What the order store cannot hold is refused and counted, never stored wrong: an add (A, F, a U's new order)
//     whose reference is 2^36 or more (`wideRefs` + 1) or, else, of 2^20 shares or more (`oversize` + 1) is not
//     added (a later E/C/X/D/U naming it is an unknown reference). A run with such counts is not a clean book.
//   - E, C, X: shares -= n; n >= the order's shares removes the order. C's book level is the order's resting price,
//     not the execution price. D removes the order. Unknown reference: ignored, `unknownRefs` + 1.
//   - U: the original is removed and {newRef, the original's side and locate, U's shares and price} added. Unknown
//     original: ignored entirely (the new reference is not added), `unknownRefs` + 1. New reference already live
//     (looked up after the original is removed): the original stays removed, the new one is ignored, `dupAdds` + 1;
//     else a new order refused as above: the original stays removed, the refusal is counted.
//   - Every other type leaves the book as it is.
//   - Top of a locate: bid = the highest buy price whose total shares are > 0, and that total; ask = the lowest sell
//     price likewise; an empty side is price 0, shares 0.
// Why level totals are plain numbers: they are exact up to 2^53, so a total beyond u32 shows here as it is (the DSL
// record's u32 fields would differ there, and the comparison would say so rather than hide it).
import type { ItchMessage } from '../../dsl/protocols/itch50.ts';

/** An add whose order reference is this or more is refused (`wideRefs`): the store keeps 36-bit references. */
export const REF_LIMIT = 1n << 36n;
/** An add of this many shares or more is refused (`oversize`): the store keeps 20-bit share counts. */
export const SHARES_LIMIT = 2 ** 20;

/** By default stock locates 1..SYMBOLS are tracked. */
export const SYMBOLS = 1024;
/** Entries of the locate -> slot map (every 16-bit locate). */
export const LOCATES = 1 << 16;

/** Which locates a book tracks: 1..n, or the contents of a locate -> slot map (entry = slot + 1, 0: untracked). */
export type Tracking = number | readonly number[];

/** The map's contents as the DSL book reads them (orders.ts `slots`): entry L = slot + 1 for a tracked L, else 0. */
export function slotsOf(t: Tracking): number[] {
  if (typeof t === 'number') return Array.from({ length: LOCATES }, (_, l) => (l >= 1 && l <= t ? l : 0));
  return [...t];
}

/** The tracked locates of `t`, checked: a map of LOCATES entries, each 0 or a slot + 1 in 1..SYMBOLS, no slot twice. */
export function trackingOf(t: Tracking): (locate: number) => boolean {
  if (typeof t === 'number') return (l) => l >= 1 && l <= t;
  if (t.length !== LOCATES) throw new Error(`a locate -> slot map has ${LOCATES} entries, got ${t.length}`);
  const owner = new Map<number, number>();
  t.forEach((v, l) => {
    if (v === 0) return;
    if (!Number.isInteger(v) || v < 1 || v > SYMBOLS) throw new Error(`locate ${l}: map entry ${v} is not 0 or a slot + 1 in 1..${SYMBOLS}`);
    if (owner.has(v)) throw new Error(`locates ${owner.get(v)} and ${l} share slot ${v - 1}: the contract needs one locate per slot`);
    owner.set(v, l);
  });
  const set = new Set(owner.values());
  return (l) => set.has(l);
}

/** The top of book of one locate. */
export interface Top {
  bidPrice: number;
  bidShares: number;
  askPrice: number;
  askShares: number;
}

/** A top-of-book update: the top of `locate` after the message of sequence number `seq`. */
export interface BookTopValue extends Top {
  seq: bigint;
  locate: number;
}

export const EMPTY_TOP: Readonly<Top> = Object.freeze({ bidPrice: 0, bidShares: 0, askPrice: 0, askShares: 0 });

export const sameTop = (a: Top, b: Top): boolean =>
  a.bidPrice === b.bidPrice && a.bidShares === b.bidShares && a.askPrice === b.askPrice && a.askShares === b.askShares;

interface Order {
  locate: number;
  buy: boolean;
  shares: number;
  price: number;
}

/** One side of one locate: every price level with its total shares, and the best price (undefined: no level; a
 * price of 0 is a price like any other here, shown as price 0 with its shares). */
class Side {
  readonly levels = new Map<number, number>();
  best: number | undefined;
  constructor(readonly buy: boolean) {}

  private better(p: number, q: number): boolean {
    return this.buy ? p > q : p < q;
  }

  add(price: number, shares: number): void {
    if (shares === 0) return; // a level of 0 shares is no level
    this.levels.set(price, (this.levels.get(price) ?? 0) + shares);
    if (this.best === undefined || this.better(price, this.best)) this.best = price;
  }

  remove(price: number, shares: number): void {
    if (shares === 0) return;
    const left = this.levels.get(price)! - shares;
    if (left > 0) {
      this.levels.set(price, left);
      return;
    }
    if (left < 0) throw new Error(`reference book: level ${price} would go below zero`); // an internal bug, never input
    this.levels.delete(price);
    if (price === this.best) this.rescan();
  }

  private rescan(): void {
    this.best = undefined;
    for (const p of this.levels.keys()) if (this.best === undefined || this.better(p, this.best)) this.best = p;
  }

  get bestPrice(): number {
    return this.best ?? 0;
  }

  get bestShares(): number {
    return this.best === undefined ? 0 : this.levels.get(this.best)!;
  }
}

/** What the reference counted (beside the tops). */
export interface ReferenceCounters {
  /** Messages applied (every message, tracked or not). */
  messages: number;
  /** Messages of a tracked locate. */
  tracked: number;
  /** Messages of another locate (ignored). */
  untracked: number;
  /** A / F / U naming a reference that is already live. */
  dupAdds: number;
  /** E / C / X / D / U naming a reference that is not live. */
  unknownRefs: number;
  /** Adds refused: a reference of 2^36 or more (REF_LIMIT). */
  wideRefs: number;
  /** Adds refused: 2^20 shares or more (SHARES_LIMIT). */
  oversize: number;
  /** E / C / X / D / U whose own locate differs from the locate of the order it names (applied to the order's;
   * real feeds never do this: a diagnostic, not part of the contract). */
  crossLocate: number;
  /** Top-of-book updates returned (a top changed). */
  updates: number;
}

export class ReferenceBook implements ReferenceCounters {
  messages = 0;
  tracked = 0;
  untracked = 0;
  dupAdds = 0;
  unknownRefs = 0;
  wideRefs = 0;
  oversize = 0;
  crossLocate = 0;
  updates = 0;
  /** The locate whose book the last message touched (its own for A / F / unknown references, else the order's);
   * 0 after a message of an untracked locate. */
  lastLocate = 0;

  private readonly orders = new Map<bigint, Order>();
  private readonly bids = new Map<number, Side>();
  private readonly asks = new Map<number, Side>();
  /** The top last reported per locate. */
  private readonly tops = new Map<number, Top>();
  /** Whether a locate is tracked (the map, or 1..n). */
  readonly isTracked: (locate: number) => boolean;

  constructor(tracking: Tracking = SYMBOLS) {
    this.isTracked = trackingOf(tracking);
  }

  private side(buy: boolean, locate: number): Side {
    const m = buy ? this.bids : this.asks;
    let s = m.get(locate);
    if (!s) m.set(locate, (s = new Side(buy)));
    return s;
  }

  /** Orders live now. */
  get liveOrders(): number {
    return this.orders.size;
  }

  counters(): ReferenceCounters {
    const { messages, tracked, untracked, dupAdds, unknownRefs, wideRefs, oversize, crossLocate, updates } = this;
    return { messages, tracked, untracked, dupAdds, unknownRefs, wideRefs, oversize, crossLocate, updates };
  }

  /** The top of book of `locate` now. */
  topOf(locate: number): Top {
    if (!this.isTracked(locate)) return EMPTY_TOP;
    const b = this.side(true, locate);
    const a = this.side(false, locate);
    return { bidPrice: b.bestPrice, bidShares: b.bestShares, askPrice: a.bestPrice, askShares: a.bestShares };
  }

  /** Applies message `m` (sequence number `seq`); returns the top of the locate it touched if that top changed. */
  apply(seq: bigint, m: ItchMessage): BookTopValue | undefined {
    this.messages++;
    this.lastLocate = 0;
    if (!this.isTracked(m.stockLocate)) {
      this.untracked++;
      return undefined;
    }
    this.tracked++;
    this.lastLocate = m.stockLocate;
    switch (m.type) {
      case 'A':
      case 'F':
        this.add(m.orderReferenceNumber, { locate: m.stockLocate, buy: m.buySellIndicator === 'B', shares: m.shares, price: m.price });
        break;
      case 'E':
      case 'C':
        this.reduce(m.orderReferenceNumber, m.stockLocate, m.executedShares);
        break;
      case 'X':
        this.reduce(m.orderReferenceNumber, m.stockLocate, m.cancelledShares);
        break;
      case 'D':
        this.reduce(m.orderReferenceNumber, m.stockLocate, Infinity);
        break;
      case 'U': {
        const o = this.find(m.originalOrderReferenceNumber, m.stockLocate);
        if (!o) break;
        this.sideOf(o).remove(o.price, o.shares);
        this.orders.delete(m.originalOrderReferenceNumber);
        this.add(m.newOrderReferenceNumber, { locate: o.locate, buy: o.buy, shares: m.shares, price: m.price });
        break;
      }
      default:
        return undefined; // S, R, P, Q, I, ...: no change to the book
    }
    return this.changed(seq, this.lastLocate);
  }

  /** The live order `ref` (undefined and counted when unknown); notes the locate it touches. */
  private find(ref: bigint, msgLocate: number): Order | undefined {
    const o = this.orders.get(ref);
    if (!o) {
      this.unknownRefs++;
      return undefined;
    }
    if (o.locate !== msgLocate) this.crossLocate++;
    this.lastLocate = o.locate;
    return o;
  }

  private sideOf(o: Order): Side {
    return this.side(o.buy, o.locate);
  }

  private add(ref: bigint, o: Order): void {
    if (this.orders.has(ref)) {
      this.dupAdds++;
      return;
    }
    if (ref >= REF_LIMIT) {
      this.wideRefs++;
      return;
    }
    if (o.shares >= SHARES_LIMIT) {
      this.oversize++;
      return;
    }
    this.orders.set(ref, o);
    this.sideOf(o).add(o.price, o.shares);
  }

  /** shares -= n on order `ref`, removing it when n >= its shares (n = Infinity: D). */
  private reduce(ref: bigint, msgLocate: number, n: number): void {
    const o = this.find(ref, msgLocate);
    if (!o) return;
    const gone = n >= o.shares;
    this.sideOf(o).remove(o.price, gone ? o.shares : n);
    if (gone) this.orders.delete(ref);
    else o.shares -= n;
  }

  private changed(seq: bigint, locate: number): BookTopValue | undefined {
    const t = this.topOf(locate);
    if (sameTop(t, this.tops.get(locate) ?? EMPTY_TOP)) return undefined;
    this.tops.set(locate, t);
    this.updates++;
    return { seq, locate, ...t };
  }
}
