// The same top-8 price ladder as ladder-vec.ts, written without vectors: 48 scalar registers, each position's
// update spelled out. Its outputs are identical to ladder-vec.ts's (test/book/ladder.test.ts); it is kept to
// measure what vectors save, not as an example to follow.
import { unit, reg, record, u, bool, type RecordValue } from 'tickforge/dsl';
import { Side, LevelUpdate, TopOfBook } from './levels.ts';

const Level = record('Level', { price: u(32), qty: u(32), live: bool() });
type Level = RecordValue<typeof Level>;
const EMPTY: Level = { price: 0, qty: 0, live: false };

function from(m: Level, bid: boolean, price: number): boolean {
  return !m.live || (bid ? m.price <= price : m.price >= price);
}
function past(m: Level, bid: boolean, price: number): boolean {
  return !m.live || (bid ? m.price < price : m.price > price);
}
function here(l: Level, price: number): boolean {
  return l.live && l.price === price;
}
/** The new level at a position holding l, between prev and next (EMPTY at the ends). */
function at(l: Level, prev: Level, next: Level, first: boolean, found: boolean, bid: boolean, price: number, qty: number): Level {
  const level = { price, qty, live: true };
  const atPrice = qty === 0 ? (from(l, bid, price) ? next : l) : here(l, price) ? level : l;
  const inserted = qty === 0 || !past(l, bid, price) ? l : !first && past(prev, bid, price) ? prev : level;
  return found ? atPrice : inserted;
}
function count(l0: boolean, l1: boolean, l2: boolean, l3: boolean, l4: boolean, l5: boolean, l6: boolean, l7: boolean): number {
  return (l0 ? 1 : 0) + (l1 ? 1 : 0) + (l2 ? 1 : 0) + (l3 ? 1 : 0) + (l4 ? 1 : 0) + (l5 ? 1 : 0) + (l6 ? 1 : 0) + (l7 ? 1 : 0);
}

export default unit({
  name: 'ladderScalar',
  input: LevelUpdate,
  output: TopOfBook,
  state: {
    b0p: reg(u(32), 0), b0q: reg(u(32), 0), b0l: reg(bool(), false), b1p: reg(u(32), 0), b1q: reg(u(32), 0), b1l: reg(bool(), false), b2p: reg(u(32), 0), b2q: reg(u(32), 0), b2l: reg(bool(), false), b3p: reg(u(32), 0), b3q: reg(u(32), 0), b3l: reg(bool(), false),
    b4p: reg(u(32), 0), b4q: reg(u(32), 0), b4l: reg(bool(), false), b5p: reg(u(32), 0), b5q: reg(u(32), 0), b5l: reg(bool(), false), b6p: reg(u(32), 0), b6q: reg(u(32), 0), b6l: reg(bool(), false), b7p: reg(u(32), 0), b7q: reg(u(32), 0), b7l: reg(bool(), false),
    a0p: reg(u(32), 0), a0q: reg(u(32), 0), a0l: reg(bool(), false), a1p: reg(u(32), 0), a1q: reg(u(32), 0), a1l: reg(bool(), false), a2p: reg(u(32), 0), a2q: reg(u(32), 0), a2l: reg(bool(), false), a3p: reg(u(32), 0), a3q: reg(u(32), 0), a3l: reg(bool(), false),
    a4p: reg(u(32), 0), a4q: reg(u(32), 0), a4l: reg(bool(), false), a5p: reg(u(32), 0), a5q: reg(u(32), 0), a5l: reg(bool(), false), a6p: reg(u(32), 0), a6q: reg(u(32), 0), a6l: reg(bool(), false), a7p: reg(u(32), 0), a7q: reg(u(32), 0), a7l: reg(bool(), false),
  },
  step(x, { state: s }) {
    const bid = x.side === Side.Buy;
    const p = x.price;
    const q = x.qty;
    if (bid) {
      const o0: Level = { price: s.b0p, qty: s.b0q, live: s.b0l };
      const o1: Level = { price: s.b1p, qty: s.b1q, live: s.b1l };
      const o2: Level = { price: s.b2p, qty: s.b2q, live: s.b2l };
      const o3: Level = { price: s.b3p, qty: s.b3q, live: s.b3l };
      const o4: Level = { price: s.b4p, qty: s.b4q, live: s.b4l };
      const o5: Level = { price: s.b5p, qty: s.b5q, live: s.b5l };
      const o6: Level = { price: s.b6p, qty: s.b6q, live: s.b6l };
      const o7: Level = { price: s.b7p, qty: s.b7q, live: s.b7l };
      const found = here(o0, p) || here(o1, p) || here(o2, p) || here(o3, p) || here(o4, p) || here(o5, p) || here(o6, p) || here(o7, p);
      const n0 = at(o0, EMPTY, o1, true, found, true, p, q);
      const n1 = at(o1, o0, o2, false, found, true, p, q);
      const n2 = at(o2, o1, o3, false, found, true, p, q);
      const n3 = at(o3, o2, o4, false, found, true, p, q);
      const n4 = at(o4, o3, o5, false, found, true, p, q);
      const n5 = at(o5, o4, o6, false, found, true, p, q);
      const n6 = at(o6, o5, o7, false, found, true, p, q);
      const n7 = at(o7, o6, EMPTY, false, found, true, p, q);
      s.b0p = n0.price;
      s.b0q = n0.qty;
      s.b0l = n0.live;
      s.b1p = n1.price;
      s.b1q = n1.qty;
      s.b1l = n1.live;
      s.b2p = n2.price;
      s.b2q = n2.qty;
      s.b2l = n2.live;
      s.b3p = n3.price;
      s.b3q = n3.qty;
      s.b3l = n3.live;
      s.b4p = n4.price;
      s.b4q = n4.qty;
      s.b4l = n4.live;
      s.b5p = n5.price;
      s.b5q = n5.qty;
      s.b5l = n5.live;
      s.b6p = n6.price;
      s.b6q = n6.qty;
      s.b6l = n6.live;
      s.b7p = n7.price;
      s.b7q = n7.qty;
      s.b7l = n7.live;
    }
    if (!bid) {
      const o0: Level = { price: s.a0p, qty: s.a0q, live: s.a0l };
      const o1: Level = { price: s.a1p, qty: s.a1q, live: s.a1l };
      const o2: Level = { price: s.a2p, qty: s.a2q, live: s.a2l };
      const o3: Level = { price: s.a3p, qty: s.a3q, live: s.a3l };
      const o4: Level = { price: s.a4p, qty: s.a4q, live: s.a4l };
      const o5: Level = { price: s.a5p, qty: s.a5q, live: s.a5l };
      const o6: Level = { price: s.a6p, qty: s.a6q, live: s.a6l };
      const o7: Level = { price: s.a7p, qty: s.a7q, live: s.a7l };
      const found = here(o0, p) || here(o1, p) || here(o2, p) || here(o3, p) || here(o4, p) || here(o5, p) || here(o6, p) || here(o7, p);
      const n0 = at(o0, EMPTY, o1, true, found, false, p, q);
      const n1 = at(o1, o0, o2, false, found, false, p, q);
      const n2 = at(o2, o1, o3, false, found, false, p, q);
      const n3 = at(o3, o2, o4, false, found, false, p, q);
      const n4 = at(o4, o3, o5, false, found, false, p, q);
      const n5 = at(o5, o4, o6, false, found, false, p, q);
      const n6 = at(o6, o5, o7, false, found, false, p, q);
      const n7 = at(o7, o6, EMPTY, false, found, false, p, q);
      s.a0p = n0.price;
      s.a0q = n0.qty;
      s.a0l = n0.live;
      s.a1p = n1.price;
      s.a1q = n1.qty;
      s.a1l = n1.live;
      s.a2p = n2.price;
      s.a2q = n2.qty;
      s.a2l = n2.live;
      s.a3p = n3.price;
      s.a3q = n3.qty;
      s.a3l = n3.live;
      s.a4p = n4.price;
      s.a4q = n4.qty;
      s.a4l = n4.live;
      s.a5p = n5.price;
      s.a5q = n5.qty;
      s.a5l = n5.live;
      s.a6p = n6.price;
      s.a6q = n6.qty;
      s.a6l = n6.live;
      s.a7p = n7.price;
      s.a7q = n7.qty;
      s.a7l = n7.live;
    }
    const bidDepth = s.b0q + s.b1q + s.b2q + s.b3q + s.b4q + s.b5q + s.b6q + s.b7q;
    return {
      bid: s.b0p,
      bidQty: s.b0q,
      ask: s.a0p,
      askQty: s.a0q,
      bidLevels: count(s.b0l, s.b1l, s.b2l, s.b3l, s.b4l, s.b5l, s.b6l, s.b7l),
      askLevels: count(s.a0l, s.a1l, s.a2l, s.a3l, s.a4l, s.a5l, s.a6l, s.a7l),
      bidDepth,
      crossed: s.b0l && s.a0l && s.b0p >= s.a0p,
    };
  },
});

export { synthetic } from './stimulus.ts';
