// Top-8 price ladder per side, written with vectors: each side is a vector of levels kept best-first (bids by
// descending price, asks ascending), empty levels (live false) at the end. An update changes the level at its price,
// removes it (qty 0, the levels below move up), or inserts a new level where it belongs (the ones below move down,
// the 8th drops off).
import { unit, reg, vec, record, u, bool, type RecordValue } from 'tickforge/dsl';
import { Side, DEPTH, LevelUpdate, TopOfBook } from './levels.ts';

const Level = record('Level', { price: u(32), qty: u(32), live: bool() });
type Level = RecordValue<typeof Level>;

const EMPTY: Level = { price: 0, qty: 0, live: false };

/** Level m is at or past where `price` belongs (an empty level is past every price). */
function from(m: Level, bid: boolean, price: number): boolean {
  return !m.live || (bid ? m.price <= price : m.price >= price);
}
/** Level m is strictly past where `price` belongs. */
function past(m: Level, bid: boolean, price: number): boolean {
  return !m.live || (bid ? m.price < price : m.price > price);
}

function apply(book: Level[], bid: boolean, price: number, qty: number): void {
  const old = [...book];
  const level = { price, qty, live: true };
  let found = false; // a live level at this price
  for (const l of old) found = found || (l.live && l.price === price);
  for (let k = 0; k < DEPTH; k++) {
    const l = old[k];
    const next = k + 1 < DEPTH ? old[k + 1] : EMPTY;
    const prev = k > 0 ? old[k - 1] : EMPTY;
    // Found: remove it (qty 0; it and the levels after it take their successor's place) or change it in place.
    const atPrice = qty === 0 ? (from(l, bid, price) ? next : l) : l.live && l.price === price ? level : l;
    // Not found: insert it (the levels after it move down one place, the last drops off).
    const inserted = qty === 0 || !past(l, bid, price) ? l : k > 0 && past(prev, bid, price) ? prev : level;
    book[k] = found ? atPrice : inserted;
  }
}

function levels(book: Level[]): number {
  let n = 0;
  for (const l of book) if (l.live) n++;
  return n;
}

export default unit({
  name: 'ladderVec',
  input: LevelUpdate,
  output: TopOfBook,
  state: { bids: reg(vec(Level, DEPTH)), asks: reg(vec(Level, DEPTH)) },
  step(x, { state }) {
    if (x.side === Side.Buy) apply(state.bids, true, x.price, x.qty);
    else apply(state.asks, false, x.price, x.qty);
    let bidDepth = 0;
    for (const l of state.bids) bidDepth += l.qty;
    const b = state.bids[0];
    const a = state.asks[0];
    return { bid: b.price, bidQty: b.qty, ask: a.price, askQty: a.qty, bidLevels: levels(state.bids), askLevels: levels(state.asks), bidDepth, crossed: b.live && a.live && b.price >= a.price };
  },
});

export { synthetic } from './stimulus.ts';
