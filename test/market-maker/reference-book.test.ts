// The reference order book (reference-book.ts), the message reassembly from beats (beats.ts) and the comparison
// harness (compare.ts) of issue 12: hand-written sequences for every message type and edge, the book against a
// brute-force one on synthetic lifecycles, the generator's unknown references counted exactly, messagesOfBeats
// against the feed parser's own model (clean and hostile streams), and the harness catching a wrong update.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../dsl/rng.ts';
import { itch50, type ItchMessage } from '../../dsl/protocols/itch50.ts';
import { generateItch } from '../../sim/stimulus/synthetic.ts';
import { readBinaryFile } from '../../sim/stimulus/binaryfile.ts';
import { Diagnostics } from '../../sim/stimulus/errors.ts';
import feed, { beatsOf, moldPayloads, stimulus, type BeatValue } from '../../examples/itch-feed/feed.ts';
import { SNIPPET } from '../protocols/data.ts';
import { LOCATES, ReferenceBook, type BookTopValue, type Top } from './reference-book.ts';
import { messagesOfBeats, type SeqMessage } from './beats.ts';
import { compareBooks, describeComparison, type DslBookTop } from './compare.ts';
import { stressItch } from '../../sim/stimulus/book-stress.ts';
import { A, C, D, E, F, P, U, X } from './messages.ts';

const top = (bidPrice: number, bidShares: number, askPrice: number, askShares: number): Top => ({ bidPrice, bidShares, askPrice, askShares });

/** Applies messages with sequence numbers 1, 2, ...; returns the update (or undefined) of each. */
function play(book: ReferenceBook, msgs: ItchMessage[], seq0 = 1n): Array<BookTopValue | undefined> {
  return msgs.map((m, k) => book.apply(seq0 + BigInt(k), m));
}

describe('reference book: hand-written sequences', () => {
  test('adds build both sides; a worse add or one on the best level changes only what it should', () => {
    const b = new ReferenceBook();
    const u = play(b, [A(1, 7, 'B', 100, 10_000), A(2, 7, 'S', 200, 10_100), F(3, 7, 'B', 50, 9_900), A(4, 7, 'B', 25, 10_000), A(5, 7, 'S', 10, 10_050)]);
    expect(u[0]).toEqual({ seq: 1n, locate: 7, ...top(10_000, 100, 0, 0) });
    expect(u[1]).toEqual({ seq: 2n, locate: 7, ...top(10_000, 100, 10_100, 200) });
    expect(u[2]).toBeUndefined(); // a lower bid: top unchanged, no update
    expect(u[3]).toEqual({ seq: 4n, locate: 7, ...top(10_000, 125, 10_100, 200) }); // same level: shares add up
    expect(u[4]).toEqual({ seq: 5n, locate: 7, ...top(10_000, 125, 10_050, 10) }); // a better ask
    expect(b.topOf(8)).toEqual(top(0, 0, 0, 0)); // another locate is untouched
    expect(b.liveOrders).toBe(5);
    expect(b.counters()).toMatchObject({ messages: 5, tracked: 5, dupAdds: 0, unknownRefs: 0, updates: 4 });
  });

  test('E partial then exhausting the best order: the next level becomes the best; E beyond the shares removes', () => {
    const b = new ReferenceBook();
    play(b, [A(1, 3, 'B', 100, 500), A(2, 3, 'B', 40, 490), A(3, 3, 'B', 60, 480)]);
    expect(b.apply(10n, E(1, 3, 30))).toEqual({ seq: 10n, locate: 3, ...top(500, 70, 0, 0) });
    expect(b.apply(11n, E(1, 3, 70))).toEqual({ seq: 11n, locate: 3, ...top(490, 40, 0, 0) }); // level 500 empties
    expect(b.apply(12n, E(2, 3, 1000))).toEqual({ seq: 12n, locate: 3, ...top(480, 60, 0, 0) }); // n > shares
    expect(b.liveOrders).toBe(1);
    expect(b.apply(13n, E(1, 3, 1))).toBeUndefined(); // order 1 is gone
    expect(b.unknownRefs).toBe(1);
  });

  test('C reduces the order at its resting price, not at the execution price', () => {
    const b = new ReferenceBook();
    play(b, [A(1, 2, 'S', 100, 2_000), A(2, 2, 'S', 100, 2_100)]);
    expect(b.apply(3n, C(1, 2, 60, 2_100))).toEqual({ seq: 3n, locate: 2, ...top(0, 0, 2_000, 40) });
    expect(b.topOf(2)).toEqual(top(0, 0, 2_000, 40)); // level 2_100 untouched
    expect(b.apply(4n, C(1, 2, 40, 1_900))).toEqual({ seq: 4n, locate: 2, ...top(0, 0, 2_100, 100) });
  });

  test('X partial, X of all the shares removes; D removes; a side emptying goes to price 0, shares 0', () => {
    const b = new ReferenceBook();
    play(b, [A(1, 9, 'B', 100, 700), A(2, 9, 'S', 50, 710)]);
    expect(b.apply(3n, X(1, 9, 99))).toEqual({ seq: 3n, locate: 9, ...top(700, 1, 710, 50) });
    expect(b.apply(4n, X(1, 9, 1))).toEqual({ seq: 4n, locate: 9, ...top(0, 0, 710, 50) });
    expect(b.apply(5n, D(2, 9))).toEqual({ seq: 5n, locate: 9, ...top(0, 0, 0, 0) });
    expect(b.liveOrders).toBe(0);
  });

  test('a delete below the best level changes no top (no update), and the level is gone when the best empties', () => {
    const b = new ReferenceBook();
    play(b, [A(1, 4, 'S', 10, 100), A(2, 4, 'S', 20, 101), A(3, 4, 'S', 30, 102)]);
    expect(b.apply(4n, D(2, 4))).toBeUndefined();
    expect(b.apply(5n, D(1, 4))).toEqual({ seq: 5n, locate: 4, ...top(0, 0, 102, 30) }); // 101 is no longer a level
  });

  test('U to a better price moves the best; the new reference is live, the original is not', () => {
    const b = new ReferenceBook();
    play(b, [A(1, 5, 'B', 100, 1_000), A(2, 5, 'B', 100, 990), A(3, 5, 'S', 100, 1_020)]);
    expect(b.apply(4n, U(2, 20, 5, 300, 1_010))).toEqual({ seq: 4n, locate: 5, ...top(1_010, 300, 1_020, 100) });
    expect(b.apply(5n, E(2, 5, 1))).toBeUndefined(); // the original is gone
    expect(b.unknownRefs).toBe(1);
    expect(b.apply(6n, X(20, 5, 100))).toEqual({ seq: 6n, locate: 5, ...top(1_010, 200, 1_020, 100) });
    // U of the best order to a worse price: the other order becomes the best
    expect(b.apply(7n, U(20, 21, 5, 200, 900))).toEqual({ seq: 7n, locate: 5, ...top(1_000, 100, 1_020, 100) });
    expect(b.liveOrders).toBe(3);
  });

  test('U keeps the side and locate of the original, whatever the U message says', () => {
    const b = new ReferenceBook();
    b.apply(1n, A(1, 6, 'S', 100, 3_000));
    // the U message's own locate is 6 too in real feeds; the side never travels in a U
    expect(b.apply(2n, U(1, 2, 6, 50, 2_990))).toEqual({ seq: 2n, locate: 6, ...top(0, 0, 2_990, 50) });
  });

  test('U of an unknown original is ignored entirely: the new reference is not added', () => {
    const b = new ReferenceBook();
    b.apply(1n, A(1, 5, 'B', 100, 1_000));
    expect(b.apply(2n, U(99, 100, 5, 300, 1_010))).toBeUndefined();
    expect(b.unknownRefs).toBe(1);
    expect(b.apply(3n, D(100, 5))).toBeUndefined(); // 100 was never added
    expect(b.unknownRefs).toBe(2);
    expect(b.dupAdds).toBe(0);
  });

  test('U to a reference already live: the original is removed, the new one ignored and counted', () => {
    const b = new ReferenceBook();
    play(b, [A(1, 5, 'B', 100, 1_000), A(2, 5, 'B', 70, 995)]);
    expect(b.apply(3n, U(1, 2, 5, 500, 1_050))).toEqual({ seq: 3n, locate: 5, ...top(995, 70, 0, 0) });
    expect(b.dupAdds).toBe(1);
    expect(b.liveOrders).toBe(1);
    // the live order 2 kept its own shares and price
    expect(b.apply(4n, X(2, 5, 69))).toEqual({ seq: 4n, locate: 5, ...top(995, 1, 0, 0) });
  });

  test('U to its own reference: the original is removed first, so the new order is added', () => {
    // (the contract orders the two steps: "the original is removed and a new order is added")
    const b = new ReferenceBook();
    b.apply(1n, A(1, 5, 'B', 100, 1_000));
    expect(b.apply(2n, U(1, 1, 5, 40, 1_001))).toEqual({ seq: 2n, locate: 5, ...top(1_001, 40, 0, 0) });
    expect(b.dupAdds).toBe(0);
  });

  test('an add of a live reference is ignored and counted, on any locate', () => {
    const b = new ReferenceBook();
    b.apply(1n, A(1, 5, 'B', 100, 1_000));
    expect(b.apply(2n, A(1, 5, 'B', 100, 1_100))).toBeUndefined();
    expect(b.apply(3n, F(1, 6, 'S', 100, 1_100))).toBeUndefined(); // references are global, not per locate
    expect(b.dupAdds).toBe(2);
    expect(b.topOf(6)).toEqual(top(0, 0, 0, 0));
  });

  test('unknown references of E, C, X, D are ignored and counted', () => {
    const b = new ReferenceBook();
    b.apply(1n, A(1, 5, 'B', 100, 1_000));
    expect(play(b, [E(2, 5, 1), C(3, 5, 1, 5), X(4, 5, 1), D(5, 5)], 2n)).toEqual([undefined, undefined, undefined, undefined]);
    expect(b.unknownRefs).toBe(4);
    expect(b.topOf(5)).toEqual(top(1_000, 100, 0, 0));
  });

  test('adds the store cannot hold are refused and counted: 2^20 shares or more (oversize), a reference of 2^36 or more (wideRefs)', () => {
    const b = new ReferenceBook();
    const W = 1n << 36n;
    expect(play(b, [A(1, 5, 'B', 2 ** 20, 1_000), F(W, 5, 'B', 100, 1_000), A(W + 2n, 5, 'B', 2 ** 31, 1_000)])).toEqual([undefined, undefined, undefined]);
    expect(b.counters()).toMatchObject({ oversize: 1, wideRefs: 2, unknownRefs: 0, dupAdds: 0 }); // a wide reference is counted as such first
    expect(b.liveOrders).toBe(0);
    // just below the limits: stored
    expect(b.apply(4n, A(W - 1n, 5, 'B', 2 ** 20 - 1, 990))).toEqual({ seq: 4n, locate: 5, ...top(990, 2 ** 20 - 1, 0, 0) });
    // a refused order is unknown later
    expect(play(b, [E(1, 5, 1), D(W, 5), X(W + 2n, 5, 1)], 5n)).toEqual([undefined, undefined, undefined]);
    expect(b.unknownRefs).toBe(3);
    // U: the original is removed, its refused new order counted; a live new reference is a dupAdd before anything
    b.apply(8n, A(2, 5, 'B', 10, 980));
    expect(b.apply(9n, U(W - 1n, W, 5, 5, 995))).toEqual({ seq: 9n, locate: 5, ...top(980, 10, 0, 0) });
    expect(b.apply(10n, U(2, 3, 5, 2 ** 20, 995))).toEqual({ seq: 10n, locate: 5, ...top(0, 0, 0, 0) });
    b.apply(11n, A(4, 5, 'B', 10, 980));
    b.apply(12n, A(6, 5, 'B', 10, 970));
    expect(b.apply(13n, U(4, 6, 5, 2 ** 20, 995))).toEqual({ seq: 13n, locate: 5, ...top(970, 10, 0, 0) });
    expect(b.counters()).toMatchObject({ oversize: 2, wideRefs: 3, unknownRefs: 3, dupAdds: 1 });
    expect(b.liveOrders).toBe(1);
  });

  test('locates outside 1..1024 are ignored entirely (not counted as unknown); 1 and 1024 are tracked', () => {
    const b = new ReferenceBook();
    const u = play(b, [A(1, 0, 'B', 100, 1_000), A(2, 1025, 'B', 100, 1_000), E(3, 1025, 5), D(77, 0), A(4, 1, 'S', 5, 10), A(5, 1024, 'B', 6, 20)]);
    expect(u.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(u[4]).toEqual({ seq: 5n, locate: 1, ...top(0, 0, 10, 5) });
    expect(u[5]).toEqual({ seq: 6n, locate: 1024, ...top(20, 6, 0, 0) });
    expect(b.counters()).toMatchObject({ messages: 6, tracked: 2, untracked: 4, unknownRefs: 0, dupAdds: 0 });
    // a tracked add of reference 1 succeeds: the untracked add never made it live
    expect(b.apply(7n, A(1, 2, 'B', 1, 1))).toBeDefined();
  });

  test('an E / U whose own locate differs from its order\'s acts on the order\'s locate, counted (crossLocate)', () => {
    const b = new ReferenceBook();
    play(b, [A(1, 5, 'B', 100, 1_000), A(2, 5, 'B', 100, 990)]);
    expect(b.apply(3n, E(1, 6, 10))).toEqual({ seq: 3n, locate: 5, ...top(1_000, 90, 0, 0) });
    expect(b.apply(4n, U(1, 3, 6, 20, 1_005))).toEqual({ seq: 4n, locate: 5, ...top(1_005, 20, 0, 0) });
    expect(b.topOf(6)).toEqual(top(0, 0, 0, 0));
    expect(b.crossLocate).toBe(2);
  });

  test('a price of 0 is a level like any other: the best ask, shown as price 0 with its shares', () => {
    const b = new ReferenceBook();
    expect(b.apply(1n, A(1, 5, 'S', 10, 0))).toEqual({ seq: 1n, locate: 5, ...top(0, 0, 0, 10) });
    expect(b.apply(2n, A(2, 5, 'S', 20, 100))).toBeUndefined();
    expect(b.apply(3n, A(3, 5, 'B', 30, 0))).toEqual({ seq: 3n, locate: 5, ...top(0, 30, 0, 10) });
    expect(b.apply(4n, D(1, 5))).toEqual({ seq: 4n, locate: 5, ...top(0, 30, 100, 20) });
    expect(b.apply(5n, A(4, 5, 'B', 1, 50))).toEqual({ seq: 5n, locate: 5, ...top(50, 1, 100, 20) });
    expect(b.apply(6n, D(4, 5))).toEqual({ seq: 6n, locate: 5, ...top(0, 30, 100, 20) });
  });

  test('other message types change nothing; a 0-share add is live but no level', () => {
    const b = new ReferenceBook();
    b.apply(1n, A(1, 5, 'B', 100, 1_000));
    expect(b.apply(2n, P(5))).toBeUndefined();
    expect(b.apply(3n, A(2, 5, 'B', 0, 2_000))).toBeUndefined();
    expect(b.topOf(5)).toEqual(top(1_000, 100, 0, 0));
    expect(b.apply(4n, A(2, 5, 'S', 1, 1))).toBeUndefined(); // 2 is live
    expect(b.dupAdds).toBe(1);
    expect(b.apply(5n, E(2, 5, 0))).toBeUndefined(); // n >= 0 shares: removed
    expect(b.liveOrders).toBe(1);
  });
});

/** A book recomputed from scratch after every message: every live order scanned (slow, obviously right). */
class BruteBook {
  orders = new Map<bigint, { locate: number; buy: boolean; shares: number; price: number }>();
  apply(m: ItchMessage): void {
    if (m.stockLocate < 1 || m.stockLocate > 1024) return;
    const cut = (ref: bigint, n: number) => {
      const o = this.orders.get(ref);
      if (!o) return;
      if (n >= o.shares) this.orders.delete(ref);
      else o.shares -= n;
    };
    if (m.type === 'A' || m.type === 'F') {
      if (!this.orders.has(m.orderReferenceNumber)) this.orders.set(m.orderReferenceNumber, { locate: m.stockLocate, buy: m.buySellIndicator === 'B', shares: m.shares, price: m.price });
    } else if (m.type === 'E' || m.type === 'C') cut(m.orderReferenceNumber, m.executedShares);
    else if (m.type === 'X') cut(m.orderReferenceNumber, m.cancelledShares);
    else if (m.type === 'D') this.orders.delete(m.orderReferenceNumber);
    else if (m.type === 'U') {
      const o = this.orders.get(m.originalOrderReferenceNumber);
      if (!o) return;
      this.orders.delete(m.originalOrderReferenceNumber);
      if (!this.orders.has(m.newOrderReferenceNumber)) this.orders.set(m.newOrderReferenceNumber, { ...o, shares: m.shares, price: m.price });
    }
  }
  topOf(locate: number): Top {
    const bid = new Map<number, number>();
    const ask = new Map<number, number>();
    for (const o of this.orders.values()) if (o.locate === locate) (o.buy ? bid : ask).set(o.price, (( o.buy ? bid : ask).get(o.price) ?? 0) + o.shares);
    const bids = [...bid].filter(([, s]) => s > 0).sort((a, b) => b[0] - a[0]);
    const asks = [...ask].filter(([, s]) => s > 0).sort((a, b) => a[0] - b[0]);
    return { bidPrice: bids[0]?.[0] ?? 0, bidShares: bids[0]?.[1] ?? 0, askPrice: asks[0]?.[0] ?? 0, askShares: asks[0]?.[1] ?? 0 };
  }
}

/** The messages of a generated stream, numbered 1, 2, ... */
function generated(count: number, seed: number, opts: { unknownRefs?: number; remapLocates?: boolean; maxLive?: number; uncrossed?: boolean } = {}) {
  const msgs: ItchMessage[] = [];
  const g = generateItch({ count, seed, ...opts, onMessage: (m) => msgs.push(m) });
  return { g, msgs };
}

describe('reference book: synthetic lifecycles', () => {
  test('equals a brute-force book (every live order rescanned) after every message, with unknown references', () => {
    const { msgs } = generated(6_000, 21, { unknownRefs: 0.05, remapLocates: true });
    const b = new ReferenceBook();
    const brute = new BruteBook();
    let changes = 0;
    const last = new Map<number, Top>();
    msgs.forEach((m, k) => {
      const u = b.apply(BigInt(k + 1), m);
      brute.apply(m);
      if (m.stockLocate < 1 || m.stockLocate > 1024) return;
      const want = brute.topOf(m.stockLocate);
      expect(b.topOf(m.stockLocate)).toEqual(want);
      // an update exactly when the top changed
      const before = last.get(m.stockLocate) ?? top(0, 0, 0, 0);
      const changed = JSON.stringify(before) !== JSON.stringify(want);
      expect(u !== undefined).toBe(changed);
      if (u) expect(u).toEqual({ seq: BigInt(k + 1), locate: m.stockLocate, ...want });
      last.set(m.stockLocate, want);
      if (changed) changes++;
    });
    expect(changes).toBeGreaterThan(1_000);
  });

  test('the book-stress stream: equal to the brute-force book after every message; its edges counted exactly', () => {
    const s = stressItch({ count: 20_000, seed: 3 });
    const b = new ReferenceBook();
    const brute = new BruteBook();
    s.messages.forEach((m, k) => {
      b.apply(BigInt(k + 1), m);
      brute.apply(m);
      if (m.stockLocate >= 1 && m.stockLocate <= 1024) expect(b.topOf(m.stockLocate)).toEqual(brute.topOf(m.stockLocate));
    });
    expect(b.unknownRefs).toBe(s.intended.unknownRefs);
    expect(b.dupAdds).toBe(s.intended.dupAdds);
    expect(b.untracked).toBe(s.intended.untracked + s.messages.filter((m) => m.type === 'S').length); // S: locate 0
    expect(s.intended.sweeps).toBeGreaterThan(0);
    expect(b.updates).toBeGreaterThan(s.messages.length / 10); // the top moves often (the point of the stream)
  });

  test('generator: unknownRefs names never-added references in that share of E/C/X/D/U, counted exactly by the book', () => {
    const share = 0.1;
    const { g, msgs } = generated(50_000, 5, { unknownRefs: share, remapLocates: true });
    const b = new ReferenceBook();
    msgs.forEach((m, k) => b.apply(BigInt(k + 1), m));
    expect(b.unknownRefs).toBe(g.unknownRefs);
    expect(b.dupAdds).toBe(0);
    // remapped: every symbol's locate is 1..(symbols), only the opening system event (locate 0) is untracked
    expect(b.untracked).toBe(1);
    const lifecycle = msgs.filter((m) => 'EXCDU'.includes(m.type)).length;
    expect(Math.abs(g.unknownRefs / lifecycle - share)).toBeLessThan(0.01);
    // the generator's own live orders are the book's
    expect(b.liveOrders).toBe(g.liveOrders);
  });

  test('generator: maxLive bounds the live orders (adds become deletes there), lifecycles still complete', () => {
    const { g, msgs } = generated(40_000, 12, { maxLive: 3_000, unknownRefs: 0.02, remapLocates: true });
    const b = new ReferenceBook();
    let most = 0;
    msgs.forEach((m, k) => {
      b.apply(BigInt(k + 1), m);
      most = Math.max(most, b.liveOrders);
    });
    expect(most).toBe(3_000); // reached (the book grows without the bound), never passed
    expect(b.liveOrders).toBe(g.liveOrders);
    expect(b.unknownRefs).toBe(g.unknownRefs);
    expect(b.dupAdds).toBe(0);
  });

  test('generator: uncrossed keeps every tracked book uncrossed after every message (and without it they cross)', () => {
    const crossedAfter = (uncrossed: boolean) => {
      const { g, msgs } = generated(60_000, 4, { unknownRefs: 0.02, remapLocates: true, maxLive: 20_000, uncrossed });
      const b = new ReferenceBook();
      let crossed = 0;
      let twoSided = 0;
      msgs.forEach((m, k) => {
        b.apply(BigInt(k + 1), m);
        if (m.stockLocate < 1 || m.stockLocate > 1024) return;
        const t = b.topOf(m.stockLocate);
        if (t.bidShares === 0 || t.askShares === 0) return;
        twoSided++;
        if (t.bidPrice >= t.askPrice) crossed++;
      });
      expect(b.liveOrders).toBe(g.liveOrders);
      expect(b.unknownRefs).toBe(g.unknownRefs);
      return { crossed, twoSided };
    };
    const on = crossedAfter(true);
    expect(on.crossed).toBe(0);
    expect(on.twoSided).toBeGreaterThan(30_000);
    const off = crossedAfter(false);
    expect(off.crossed).toBeGreaterThan(1_000);
    // No random draw for it: the same message types in the same numbers either way (only prices and sides move).
    const types = (uncrossed: boolean) => generated(20_000, 9, { uncrossed }).g.counts;
    expect(types(true)).toEqual(types(false));
  });

  test('generator: without the options the stream is unchanged (no draw for them) and every reference is known', () => {
    const a = generateItch({ count: 20_000, seed: 9 });
    const z = generateItch({ count: 20_000, seed: 9, unknownRefs: 0, remapLocates: false, maxLive: undefined });
    expect(Buffer.compare(a.binaryFile, z.binaryFile)).toBe(0);
    expect(a.unknownRefs).toBe(0);
    const { msgs } = generated(20_000, 9);
    const b = new ReferenceBook(65_535); // every locate tracked: the lifecycles are complete
    msgs.forEach((m, k) => b.apply(BigInt(k + 1), m));
    expect(b.unknownRefs).toBe(0);
    expect(b.dupAdds).toBe(0);
    expect(b.liveOrders).toBe(a.liveOrders);
  });
});

// ---- messagesOfBeats against the feed parser's model

type FeedOut = NonNullable<ReturnType<ReturnType<typeof feed.model>['step']>>;

/** The message of a parser output record, decoded from its bytes (header fields + p0..p4). */
function messageOf(o: FeedOut, set = itch50()): ItchMessage {
  const all = new Uint8Array(51);
  all[0] = o.type.charCodeAt(0);
  all[1] = o.stockLocate >> 8;
  all[2] = o.stockLocate & 0xff;
  all[3] = o.trackingNumber >> 8;
  all[4] = o.trackingNumber & 0xff;
  for (let k = 0; k < 6; k++) all[5 + k] = Number((BigInt(o.timestamp) >> BigInt(8 * (5 - k))) & 0xffn);
  [o.p0, o.p1, o.p2, o.p3, o.p4].forEach((w, j) => {
    for (let q = 0; q < 8; q++) all[11 + 8 * j + q] = Number((w >> BigInt(8 * q)) & 0xffn);
  });
  const m = set.decode(all, 0, o.length);
  if (!m) throw new Error(`the parser emitted an undecodable ${o.type}`);
  return m;
}

/** What the parser's model emits for the beats, as (seq, message) pairs. */
function parserPairs(beats: BeatValue[]): SeqMessage[] {
  const m = feed.model();
  const set = itch50();
  const out: SeqMessage[] = [];
  beats.forEach((b, n) => {
    const o = m.step(b, n);
    if (o) out.push({ seq: o.sequence, message: messageOf(o, set) });
  });
  return out;
}

describe('messagesOfBeats', () => {
  test('round-trips the snippet through the feed stimulus: its 1,000 messages, numbered 1..1000, as the parser emits them', () => {
    const file = new Uint8Array(readFileSync(SNIPPET));
    const set = itch50();
    const want: ItchMessage[] = [];
    readBinaryFile(file, (o, len) => want.push(set.decode(file, o, len)!), new Diagnostics());
    expect(want.length).toBe(1_000);
    for (const seed of [1, 2, 3]) {
      const beats = [...stimulus(SNIPPET, new Rng(seed))];
      const got = [...messagesOfBeats(beats)];
      expect(got.map((p) => p.message)).toEqual(want);
      expect(got.map((p) => p.seq)).toEqual(want.map((_, k) => BigInt(k + 1)));
      expect(parserPairs(beats)).toEqual(got);
    }
  });

  test('equals the parser on synthetic and hostile streams (gaps, duplicates, cut packets, bad keep, heartbeats, ends of session)', () => {
    for (const [input, seed] of [['synthetic:20000', 4], ['hostile:20000', 3], ['hostile:5000', 11]] as const) {
      const beats = [...stimulus(input, new Rng(seed))];
      const got = [...messagesOfBeats(beats)];
      const want = parserPairs(beats);
      expect(got.length, input).toBe(want.length);
      expect(got, input).toEqual(want);
      if (input.startsWith('synthetic')) expect(got.length).toBe(20_000);
    }
  });

  test('a generated stream with the book options, packetized and cut into beats, comes back whole', () => {
    const { g, msgs } = generated(5_000, 8, { unknownRefs: 0.02, remapLocates: true });
    const beats = moldPayloads(g.binaryFile, 77).flatMap((p) => [...beatsOf(p)]);
    const got = [...messagesOfBeats(beats)];
    expect(got.map((p) => p.message)).toEqual(msgs);
    expect(got.map((p) => p.seq)).toEqual(msgs.map((_, k) => BigInt(k + 1)));
  });
});

// ---- the comparison harness

/** The reference's own update stream, as DSL records (nothing degraded). */
function referenceUpdates(pairs: SeqMessage[]): DslBookTop[] {
  const b = new ReferenceBook();
  const out: DslBookTop[] = [];
  for (const { seq, message } of pairs) {
    const u = b.apply(seq, message);
    if (u) out.push({ ...u, bidDegraded: false, askDegraded: false });
  }
  return out;
}

describe('compareBooks', () => {
  const { msgs } = generated(30_000, 13, { unknownRefs: 0.03, remapLocates: true });
  const pairs: SeqMessage[] = msgs.map((message, k) => ({ seq: BigInt(k + 1), message }));
  const good = referenceUpdates(pairs);

  test('the reference against itself: 0 differences, every tracked message compared on both sides', () => {
    const r = compareBooks(pairs, good, { overflows: 0 });
    expect(r.differences).toBe(0);
    expect(r.strays).toBe(0);
    expect(r.degradedSides).toBe(0);
    expect(r.messages).toBe(msgs.length);
    expect(r.tracked).toBe(msgs.length - 1); // all but the opening system event (locate 0)
    expect(r.compared).toBe(2 * r.tracked);
    expect(r.updates).toEqual({ dsl: good.length, reference: good.length });
    expect(r.reference.unknownRefs).toBeGreaterThan(0);
    expect(r.overflows).toBe(0);
  });

  test('one record with a wrong bidShares: reported at its seq, once per message of that locate until its next update', () => {
    // a record whose locate is updated again by the very next message of that locate: exactly 1 difference
    const nextOfLocate = (k: number) => pairs.findIndex((p, j) => j > k && p.message.stockLocate === pairs[k]!.message.stockLocate);
    const i = good.findIndex((u, n) => {
      const k = Number(u.seq) - 1;
      const after = nextOfLocate(k);
      return n > 100 && u.bidPrice !== 0 && after >= 0 && good.some((v) => v.seq === pairs[after]!.seq && v.locate === u.locate);
    });
    expect(i).toBeGreaterThan(0);
    const bad = good.map((u, n) => (n === i ? { ...u, bidShares: u.bidShares + 1 } : u));
    const r = compareBooks(pairs, bad);
    expect(r.differences).toBe(1);
    expect(r.firstDifferences[0]).toMatchObject({ seq: good[i]!.seq, locate: good[i]!.locate, side: 'bid', dsl: { bidShares: good[i]!.bidShares + 1 }, reference: { bidShares: good[i]!.bidShares } });
    expect(describeComparison(r)).toContain(`difference at seq ${good[i]!.seq}`);
  });

  test('a missing update leaves a stale top (differences); a repeated unchanged top is fine', () => {
    const r = compareBooks(pairs, good.filter((_, n) => n !== 500));
    expect(r.differences).toBeGreaterThan(0);
    const rep = good.flatMap((u, n) => (n === 700 ? [u, { ...u }] : [u]));
    const r2 = compareBooks(pairs, rep);
    expect(r2.differences).toBe(0);
    expect(r2.updates).toEqual({ dsl: good.length + 1, reference: good.length });
  });

  test('a degraded side is counted and not compared, until the next update of that locate', () => {
    const i = good.findIndex((u, n) => n > 100 && u.bidPrice !== 0);
    const bad = good.map((u, n) => (n === i ? { ...u, bidPrice: 1, bidDegraded: true } : u));
    const r = compareBooks(pairs, bad);
    expect(r.differences).toBe(0);
    expect(r.degradedSides).toBeGreaterThan(0);
    expect(r.compared + r.degradedSides).toBe(2 * r.tracked);
  });

  test('a book that puts a cross-locate U\'s new order at the U\'s locate: differences counted apart (crossLocateDifferences)', () => {
    const msgs: SeqMessage[] = [A(1, 5, 'B', 100, 1_000), U(1, 2, 6, 50, 1_010), A(3, 7, 'S', 1, 1)].map((message, k) => ({ seq: BigInt(k + 1), message }));
    const dslTop = (seq: bigint, locate: number, t: Top): DslBookTop => ({ seq, locate, ...t, bidDegraded: false, askDegraded: false });
    // the contract: order 2 rests at locate 5; this "DSL" moved it to locate 6
    const r = compareBooks(msgs, [dslTop(1n, 5, top(1_000, 100, 0, 0)), dslTop(2n, 5, top(0, 0, 0, 0)), dslTop(2n, 6, top(1_010, 50, 0, 0)), dslTop(3n, 7, top(0, 0, 1, 1))]);
    expect(r.strays).toBe(0);
    expect(r.reference.crossLocate).toBe(1);
    expect(r.compared).toBe(2 * (3 + 1)); // the U compares locates 5 and 6
    expect(r.differences).toBe(2); // locate 5 bid (reference 1_010 x 50, DSL empty) and locate 6 bid
    expect(r.crossLocateDifferences).toBe(2);
    expect(r.firstDifferences.map((d) => [d.locate, d.side, d.crossLocate])).toEqual([[5, 'bid', true], [6, 'bid', true]]);
  });

  test('an update at the seq of an untracked message, of another locate, or after the end is a stray', () => {
    const extra = (seq: bigint, locate: number): DslBookTop => ({ seq, locate, ...top(1, 1, 2, 2), bidDegraded: false, askDegraded: false });
    const at = good[200]!;
    const other = (at.locate % 1024) + 1;
    const withStrays = [extra(1n, 3), ...good.slice(0, 201), extra(at.seq, other), ...good.slice(201), extra(BigInt(pairs.length + 5), 3)];
    const r = compareBooks(pairs, withStrays);
    expect(r.strays).toBe(3);
    expect(r.differences).toBe(0); // the stray of another locate was not taken as that locate's top
    expect(r.firstStrays.map((s) => s.update.seq)).toEqual([1n, at.seq, BigInt(pairs.length + 5)]);
  });
  test('a locate -> slot map: the reference tracks the locates it maps; a record on another slot than the map\'s is a stray', () => {
    const map = new Array<number>(LOCATES).fill(0);
    map[3000] = 8; // slot 7
    map[2] = 1; // slot 0
    const msgs = [A(1, 3000, 'B', 10, 500), A(2, 1, 'B', 10, 500), A(3, 2, 'S', 5, 600), D(1, 3000)];
    const b = new ReferenceBook(map);
    expect(play(b, msgs).map((u) => u?.locate)).toEqual([3000, undefined, 2, 3000]);
    expect([b.tracked, b.untracked]).toEqual([3, 1]);
    const pairs2: SeqMessage[] = msgs.map((message, k) => ({ seq: BigInt(k + 1), message }));
    const rec = (seq: bigint, locate: number, slot: number, t: Top): DslBookTop => ({ seq, locate, slot, ...t, bidDegraded: false, askDegraded: false });
    const right = [rec(1n, 3000, 7, top(500, 10, 0, 0)), rec(3n, 2, 0, top(0, 0, 600, 5)), rec(4n, 3000, 7, top(0, 0, 0, 0))];
    const ok = compareBooks(pairs2, right, { tracking: map });
    expect([ok.strays, ok.differences, ok.compared]).toEqual([0, 0, 6]);
    const wrong = compareBooks(pairs2, [rec(1n, 3000, 2999, top(500, 10, 0, 0)), ...right.slice(1)], { tracking: map });
    expect(wrong.firstStrays.map((x) => x.why)).toEqual(['slot 2999, but the map gives locate 3000 slot 7']);
    // The default map tracks 1..1024: locate 3000 is ignored, and 1 is tracked.
    expect(play(new ReferenceBook(), msgs).map((u) => u?.locate)).toEqual([undefined, 1, 2, undefined]);
  });

  test('a map is checked: 65,536 entries, each 0 or a slot + 1 in 1..1024, no slot twice', () => {
    const map = new Array<number>(LOCATES).fill(0);
    expect(() => new ReferenceBook(map.slice(1))).toThrow('65536 entries');
    map[10] = 1025;
    expect(() => new ReferenceBook(map)).toThrow('locate 10: map entry 1025');
    map[10] = 4;
    map[11] = 4;
    expect(() => new ReferenceBook(map)).toThrow('locates 10 and 11 share slot 3');
  });
});
