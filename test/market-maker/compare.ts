// The DSL order book's update records against the reference book (reference-book.ts), message by message. The DSL
// book's top of each locate is rebuilt from its updates (the last update with a given sequence number wins; a
// locate's top holds until its next update), and after every message of a tracked locate the two tops of the
// locate(s) the message touched are compared side by side: equal, not comparable (the DSL book marks the side
// degraded: counted, never compared), or different (counted, the first few kept).
//
// Both inputs are streamed (iterables, read once, in order), so a 10,000,000-message run needs no array of them:
// the DSL book emits its updates in message order, so the updates are walked beside the messages by sequence number.
// An update whose sequence number is no message of a tracked locate, or that names another locate than the one the
// message touched, or that comes out of order, is a `stray` (an error as real as a difference).
import type { ItchMessage } from '../../dsl/protocols/itch50.ts';
import type { SeqMessage } from './beats.ts';
import { EMPTY_TOP, ReferenceBook, SYMBOLS, type BookTopValue, type ReferenceCounters, type Top, type Tracking, slotsOf } from './reference-book.ts';

/** The DSL book's update record (BookTop): the reference's fields and the two degraded flags. */
export interface DslBookTop extends BookTopValue {
  /** The slot the DSL book keyed the locate by (orders.ts's map): checked against the map when given. */
  slot?: number;
  bidDegraded: boolean;
  askDegraded: boolean;
}

export interface CompareOptions {
  /** The tracked locates: 1..n, or the locate -> slot map the DSL book was given (default 1..SYMBOLS, its default map). */
  tracking?: Tracking;
  /** Differences and strays kept in full (default 10). */
  keep?: number;
  /** The DSL book's order-table overflow count (its status counter), reported as given. */
  overflows?: number;
  /** The DSL book's refused adds of 2^20 shares or more (its status counter `oversize`), reported as given (the
   * reference counts its own: reference.oversize). */
  oversize?: number;
  /** The DSL book's refused adds of a reference of 2^36 or more (its status counter `wideRefs`), reported as given
   * (the reference's own: reference.wideRefs). */
  wideRefs?: number;
}

export interface Difference {
  seq: bigint;
  locate: number;
  side: 'bid' | 'ask';
  message: ItchMessage;
  dsl: Top & { bidDegraded: boolean; askDegraded: boolean };
  reference: Top;
  /** The locate saw a message naming an order of another locate (at this message or before). */
  crossLocate: boolean;
}

export interface Stray {
  update: DslBookTop;
  why: string;
}

export interface CompareResult {
  /** Messages replayed, and those of a tracked locate. */
  messages: number;
  tracked: number;
  /** Update records: the DSL book's, and the reference's (a top changed). */
  updates: { dsl: number; reference: number };
  /** Sides compared and found equal, plus those found different. */
  compared: number;
  differences: number;
  /** Sides not compared because the DSL book marked them degraded (one per side per message while it lasts). */
  degradedSides: number;
  /** DSL records with a side marked degraded (the book's `degradedTops`). */
  degradedRecords: number;
  /** Of the differences, those on a locate that saw a message naming an order of another locate: the contract
   * applies such a message to the order's locate (a U's new order too), but only corrupted input has them. */
  crossLocateDifferences: number;
  firstDifferences: Difference[];
  /** Updates not belonging to a tracked message's locate (or out of sequence order). */
  strays: number;
  firstStrays: Stray[];
  /** The reference's counters (dupAdds, unknownRefs, ...). */
  reference: ReferenceCounters;
  /** The DSL book's refusals, as given in the options (undefined: not given): order-table overflows, oversize adds
   * and adds of wide references. The reference refuses the last two as well (the contract), so they cause no
   * difference; overflows do (the reference has no capacity). While any is above 0 the book misses orders
   * (docs/strategy.md): it is not a clean book. */
  overflows: number | undefined;
  oversize: number | undefined;
  wideRefs: number | undefined;
}

/** The DSL book's view of a locate: its last update (or the empty top). */
type DslTop = Top & { bidDegraded: boolean; askDegraded: boolean };
const EMPTY_DSL: DslTop = { ...EMPTY_TOP, bidDegraded: false, askDegraded: false };

/** Replays `pairs` through a fresh reference book and compares the DSL book's `updates` with it. */
export function compareBooks(pairs: Iterable<SeqMessage>, updates: Iterable<DslBookTop>, opts: CompareOptions = {}): CompareResult {
  const keep = opts.keep ?? 10;
  const ref = new ReferenceBook(opts.tracking ?? SYMBOLS);
  const slots = slotsOf(opts.tracking ?? SYMBOLS);
  const dsl = new Map<number, DslTop>();
  const r: CompareResult = {
    messages: 0,
    tracked: 0,
    updates: { dsl: 0, reference: 0 },
    compared: 0,
    differences: 0,
    degradedSides: 0,
    degradedRecords: 0,
    crossLocateDifferences: 0,
    firstDifferences: [],
    strays: 0,
    firstStrays: [],
    reference: ref.counters(),
    overflows: opts.overflows,
    oversize: opts.oversize,
    wideRefs: opts.wideRefs,
  };
  const stray = (update: DslBookTop, why: string) => {
    r.strays++;
    if (r.firstStrays.length < keep) r.firstStrays.push({ update, why });
  };

  const it = updates[Symbol.iterator]();
  let next: DslBookTop | undefined;
  const pull = () => {
    const x = it.next();
    next = x.done ? undefined : x.value;
    if (next) r.updates.dsl++;
    if (next && (next.bidDegraded || next.askDegraded)) r.degradedRecords++;
  };
  pull();
  let lastSeq = -1n;
  const crossed = new Set<number>(); // locates that saw a message naming an order of another locate

  const compareSide = (seq: bigint, locate: number, side: 'bid' | 'ask', m: ItchMessage) => {
    const d = dsl.get(locate) ?? EMPTY_DSL;
    const t = ref.topOf(locate);
    if (side === 'bid' ? d.bidDegraded : d.askDegraded) {
      r.degradedSides++;
      return;
    }
    r.compared++;
    const same = side === 'bid' ? d.bidPrice === t.bidPrice && d.bidShares === t.bidShares : d.askPrice === t.askPrice && d.askShares === t.askShares;
    if (same) return;
    r.differences++;
    const crossLocate = crossed.has(locate);
    if (crossLocate) r.crossLocateDifferences++;
    if (r.firstDifferences.length < keep) r.firstDifferences.push({ seq, locate, side, message: m, dsl: { ...d }, reference: t, crossLocate });
  };

  for (const { seq, message } of pairs) {
    r.messages++;
    if (seq <= lastSeq) throw new Error(`compareBooks: message sequence numbers must increase (${seq} after ${lastSeq})`);
    lastSeq = seq;
    // Updates before this message's number belong to no tracked message (or came out of order).
    while (next && next.seq < seq) {
      stray(next, 'its sequence number is no message of a tracked locate (or it is out of order)');
      pull();
    }
    const cross0 = ref.crossLocate;
    if (ref.apply(seq, message)) r.updates.reference++;
    const touched = ref.lastLocate;
    if (ref.crossLocate !== cross0) crossed.add(touched).add(message.stockLocate);
    if (touched === 0) continue; // an untracked locate: the DSL book must not answer it (checked just above, next time)
    r.tracked++;
    while (next && next.seq === seq) {
      const u = next;
      if (u.slot !== undefined && u.slot !== slots[u.locate]! - 1) stray(u, `slot ${u.slot}, but the map gives locate ${u.locate} ${slots[u.locate] ? `slot ${slots[u.locate]! - 1}` : 'no slot'}`);
      if (u.locate === touched || u.locate === message.stockLocate) dsl.set(u.locate, { bidPrice: u.bidPrice, bidShares: u.bidShares, askPrice: u.askPrice, askShares: u.askShares, bidDegraded: u.bidDegraded, askDegraded: u.askDegraded });
      else stray(u, `locate ${u.locate}, but message ${seq} is of locate ${message.stockLocate}${touched !== message.stockLocate ? ` (its order's: ${touched})` : ''}`);
      pull();
    }
    for (const locate of touched === message.stockLocate ? [touched] : [touched, message.stockLocate]) {
      compareSide(seq, locate, 'bid', message);
      compareSide(seq, locate, 'ask', message);
    }
  }
  while (next) {
    stray(next, 'after the last message (or out of order)');
    pull();
  }
  r.reference = ref.counters();
  return r;
}

/** One line per count, for a test's log. */
export function describeComparison(r: CompareResult): string {
  const c = r.reference;
  const lines = [
    `messages ${r.messages} (tracked ${r.tracked}); updates: DSL ${r.updates.dsl}, reference ${r.updates.reference}`,
    `sides compared ${r.compared}, differences ${r.differences} (on locates a cross-locate message touched: ${r.crossLocateDifferences}), degraded (not compared) ${r.degradedSides} (DSL records with a degraded side: ${r.degradedRecords}), stray updates ${r.strays}`,
    `reference: dupAdds ${c.dupAdds}, unknownRefs ${c.unknownRefs}, oversize ${c.oversize}, wideRefs ${c.wideRefs}, crossLocate ${c.crossLocate}, untracked ${c.untracked}; DSL refusals: order-table overflows ${r.overflows ?? 'not given'}, oversize adds ${r.oversize ?? 'not given'}, wide references ${r.wideRefs ?? 'not given'}`,
  ];
  for (const d of r.firstDifferences) {
    lines.push(`  difference at seq ${d.seq} locate ${d.locate} ${d.side} after ${d.message.type}${d.crossLocate ? ' (cross-locate)' : ''}: DSL ${JSON.stringify(d.dsl)} reference ${JSON.stringify(d.reference)}`);
  }
  for (const s of r.firstStrays) lines.push(`  stray update ${JSON.stringify(s.update, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}: ${s.why}`);
  return lines.join('\n');
}
