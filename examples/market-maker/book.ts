// The price ladder of the market-maker book (examples/market-maker/system.ts): level changes in (BookOp: orders.ts's
// LevelOp with the next level from the level store, levels.ts and refill.ts), the top of book out whenever a symbol's
// best bid or ask (price or size) changed, and after every execution (E, C) of a tracked symbol, with the trade
// (price, shares, the resting order's side).
//
// Per tracked symbol and side the stage keeps the best DEPTH levels it knows, best first (bids by descending price,
// asks ascending; an empty level has 0 shares and sits at the end), and `beyond`: the shares resting at prices it
// does not hold. Invariant: the levels held are exactly the best levels of that side, every order `beyond` rests
// at a worse price than the last level held. So the top of book is exact while at least one level is held.
//   - a change at a price held updates that level; a level whose shares reach 0 is removed (the ones after it move
//     up; the last place is left empty);
//   - new shares at a better price than the last level held (or at any price when the ladder is not full and
//     nothing is beyond) insert a level (the ones after it move down; a level pushed off the end goes beyond);
//   - anything else is beyond: added to or taken from `beyond`;
//   - **refill**: a removal that empties the last level held takes, in its place, the level the level store found
//     (the best one at a worse price than the change's, which is then the best one beyond), when it offers one
//     (nextOk): its shares leave `beyond`. Counted in `refills`. So the ladder never runs out while the store can
//     see the next level (a removal inside the ladder leaves it one level shorter, which is still exact; it is
//     refilled when the removals reach its last level).
// When the levels held run out while shares remain beyond and the store offered nothing (the next level is past its
// search, or it is not sure: levels.ts), the side is **degraded**: its best price is not known. `refillMisses`
// counts those run-outs; the record says so (bidDegraded / askDegraded) and `degradedTops` counts such records; the
// strategy does not quote on them. A degraded side recovers when what is beyond is gone.
//
// Timing: the ladder update is the read-modify-write of 2 x DEPTH + 2 memories, so it must close in one cycle
// (docs/semantics.md §11). Each side is updated by its own logic (its compares have one direction; op.buy picks the
// side only at the write enables), the compares are against bounds made from the input, and the selects that wait
// on all the places (found, insert, the removal's move-up) come last, each an OR tree of pairs; the refill's level
// comes from the input, so it is ready before them. At DEPTH 8: estimated 3.94 ns under the delay model (3.83
// before the refill), 3.9 ns by Yosys: it misses 322.27 MHz (3.103 ns), since a row of compares, an OR over the
// places and each place's select are three LUT levels after the carry chain (docs/strategy.md, "The clock"; other
// depths: "Depth").
import { record, unit, reg, table, u, bool, vec, wrap, bits, bit } from 'tickforge/dsl';
import { SYMBOLS, BookOp } from './records.ts';

/**
 * Levels held per symbol and side: a build-time parameter (any of 1..64; docs/strategy.md "Depth" has the cost of
 * 4, 8 and 16). Each side's ladder is a table whose value is a vector of DEPTH levels: one memory per place.
 */
export const DEPTH = 8;

export const BookTop = record('BookTop', {
  seq: u(64), // MoldUDP64 sequence number of the ITCH message that changed the top
  locate: u(16),
  slot: u(10), // the symbol's slot (orders.ts: the host-loaded locate -> slot map): the strategy's per-symbol key
  bidPrice: u(32), // 0 when the side is empty (or degraded)
  bidShares: u(32),
  askPrice: u(32),
  askShares: u(32),
  bidDegraded: bool(),
  askDegraded: bool(),
  trade: bool(), // the message was an execution (E, C) against a resting order of this symbol
  tradeBuy: bool(), // the resting order was a buy (a seller hit the bid)
  tradePrice: u(32),
  tradeShares: u(32),
});

/** A level: price in bits 63..32, shares in 31..0. */
function level(price: number, shares: number): bigint {
  return (BigInt(price) << 32n) | BigInt(shares);
}
function priceOf(l: bigint): number {
  return bits(l, 63, 32);
}
function sharesOf(l: bigint): number {
  return bits(l, 31, 0);
}

/**
 * Applies one level change to side `buy`'s ladder `lad` (DEPTH levels) and returns the shares beyond it afterwards.
 * Written as one new value per place from flags of the old ladder (no counting: the ladder is sorted, so "better
 * than the price" is a run of ones from the top and its end is where a new level goes), so the update is one row
 * of compares and a few LUT levels of selects. `buy` is a constant at each call: the compares have one direction.
 */
function apply(lad: bigint[], beyond: number, buy: boolean, op: { price: number; shares: number; remove: boolean; nextOk: boolean; nextPrice: number; nextShares: number }, seen: boolean[]): number {
  const old = [...lad];
  // "Not better than op.price" on the whole word (price above shares) against bounds made from the input alone: a
  // bid's price <= p is word <= p:0xffffffff, an ask's price >= p is word >= p:0. No slice between the table's word
  // and the compare's carry chain.
  const lo = BigInt(op.price) << 32n;
  const hi = lo | 0xffffffffn;
  const gone = lo | BigInt(op.shares); // the level at op.price with at most op.shares shares
  // Per place: held (live), the level at op.price (hit: one at most), better than op.price (ahead), held and not
  // better (w), at op.price and emptied by a removal (out), and the level after this change if it is op.price's.
  const live = old.map(() => false);
  const hit = [...live];
  const ahead = [...live];
  const w = [...live];
  const out = [...live];
  const changed = [...old];
  for (let k = 0; k < DEPTH; k++) {
    const sh = sharesOf(old[k]);
    live[k] = sh !== 0;
    hit[k] = live[k] && priceOf(old[k]) === op.price;
    const notBetter = buy ? old[k] <= hi : old[k] >= lo;
    ahead[k] = live[k] && !notBetter;
    w[k] = live[k] && notBetter;
    out[k] = hit[k] && old[k] <= gone;
    const sum = sh + op.shares; // 33 bits: a level holds at most 2^32 - 1 shares (saturates)
    const added = bit(sum, 32) ? 0xffffffff : wrap(sum, u(32));
    changed[k] = level(op.price, op.remove ? wrap(sh - op.shares, u(32)) : added);
  }
  const found = anyOf(hit);
  // A level held that op.price does not trail (when op.price is not held: a level it beats, so a new level there
  // belongs in the ladder).
  const worseHeld = anyOf(w);
  // New shares at a price not held go in if they beat a level held, or the ladder has room and nothing is beyond
  // (then they are the worst level there is). Used only when the change is an add.
  const insert = !found && (worseHeld || (!live[DEPTH - 1] && beyond === 0));
  // Each place's new level, from flags of its own and its neighbours' old levels. A removal that empties the level at
  // op.price moves every place at or after it up: upTo[k], the emptied level is at or before place k (op.price is held
  // once at most). An insertion puts the new level at the first place op.price beats and moves the ones after it
  // down. The add/remove select is on the input, so it comes last.
  const upTo = prefixOr(out);
  // The refill: when the removal empties the last level held, the level levels.ts found (the best one beyond, since
  // everything beyond is worse than the last level held) takes its place. From flags of the old ladder and the
  // input, so it is ready before upTo.
  const refillAt = out.map((o, k) => o && (k + 1 === DEPTH || !live[k + 1]));
  const refill = op.nextOk ? level(op.nextPrice, op.nextShares) : 0n;
  for (let k = 0; k < DEPTH; k++) {
    const next = refillAt[k] ? refill : k + 1 < DEPTH ? old[k + 1] : 0n;
    const prev = k > 0 ? old[k - 1] : 0n;
    const prevAhead = k === 0 ? true : ahead[k - 1];
    const inserted = ahead[k] ? old[k] : prevAhead ? level(op.price, op.shares) : prev;
    const kept = hit[k] ? changed[k] : old[k];
    lad[k] = op.remove ? (upTo[k] ? next : kept) : insert ? inserted : kept;
  }
  // Shares beyond: at most 2^40 - 1 (saturating; a side of one symbol never holds that many). Each sum is clamped on
  // its carry bit, and a removal of more than is beyond (an inconsistency) stops at 0, by a compare beside the sub.
  // All three are worked out from the old words; the late flags (insert, found) pick one last.
  const pushed = beyond + sharesOf(old[DEPTH - 1]); // the level pushed off the end (0 when the ladder had room)
  const more = beyond + op.shares;
  const pushedSat = bit(pushed, 40) ? 0xff_ffff_ffff : wrap(pushed, u(40));
  const other = op.remove ? (op.shares > beyond ? 0 : wrap(beyond - op.shares, u(40))) : bit(more, 40) ? 0xff_ffff_ffff : wrap(more, u(40));
  // A refill takes its level's shares from beyond. (This is the path that makes DEPTH 16 miss 245 MHz, 4.25 ns: the
  // whole-word compare, an OR over 16 places, two selects. A compare of the shares alone is no faster in the model.)
  const emptiedLast = op.remove && anyOf(refillAt);
  const refilled = op.nextOk && emptiedLast ? (op.nextShares > beyond ? 0 : wrap(beyond - op.nextShares, u(40))) : beyond;
  // For the counters: the ladder was refilled; it lost its last level while shares remain beyond and none was found.
  seen[0] = emptiedLast && op.nextOk;
  seen[1] = emptiedLast && !op.nextOk && beyond !== 0;
  return !op.remove && insert ? pushedSat : found ? refilled : other;
}

/** The OR of DEPTH flags as a tree of pairs: log2(DEPTH) levels of two-input ORs, not a chain of DEPTH - 1. */
function anyOf(v: boolean[]): boolean {
  const t = [...v];
  for (let l = 0; l < 6; l++) {
    // Pairs 2^l apart: t[k] for k a multiple of 2^(l+1) becomes the OR of places k..k + 2^(l+1) - 1.
    for (let k = 0; k < DEPTH - (1 << l); k++) t[k] = (k & ((2 << l) - 1)) === 0 ? t[k] || t[k + (1 << l)] : t[k];
  }
  return t[0];
}

/** Prefix ORs of DEPTH flags (place k: the OR of places 0..k) in log2(DEPTH) levels of two-input ORs (Sklansky). */
function prefixOr(v: boolean[]): boolean[] {
  const p = [...v];
  for (let l = 0; l < 6; l++) {
    // Each place in the upper half of a block of 2^(l+1) places takes the OR of the lower half's last place.
    for (let k = 1 << l; k < DEPTH; k++) p[k] = (k & (1 << l)) !== 0 ? p[k - (k & ((2 << l) - 1)) + (1 << l) - 1] || p[k] : p[k];
  }
  return p;
}

export default unit({
  name: 'book',
  input: BookOp,
  output: BookTop,
  tables: {
    // Keyed by the symbol's slot (LevelOp.slot, from orders.ts's locate -> slot map): 1,024 symbols. Best first.
    bids: table({ key: u(10), value: vec(u(64), DEPTH), capacity: SYMBOLS, memory: 'bram' }),
    asks: table({ key: u(10), value: vec(u(64), DEPTH), capacity: SYMBOLS, memory: 'bram' }),
    bidBeyond: table({ key: u(10), value: u(40), capacity: SYMBOLS, memory: 'bram' }),
    askBeyond: table({ key: u(10), value: u(40), capacity: SYMBOLS, memory: 'bram' }),
  },
  state: {
    pending: reg(bool(), false), // the first LevelOp of a U changed the top
    updates: reg(u(32), 0, { status: true, doc: 'Records sent (top changes and trades)' }),
    degradedTops: reg(u(32), 0, { status: true, doc: 'Records sent with a side degraded (its best level unknown)' }),
    refills: reg(u(32), 0, { status: true, doc: 'Ladders refilled: the last level held emptied and levels.ts gave the next one' }),
    refillMisses: reg(u(32), 0, { status: true, doc: 'The last level held emptied with shares beyond, and no next level was known (not within the search, or the side incomplete)' }),
  },
  step(op, { tables: t, state: s }) {
    const k = op.slot;
    const bids = t.bids.get(k);
    const asks = t.asks.get(k);
    const bidBeyond = t.bidBeyond.get(k);
    const askBeyond = t.askBeyond.get(k);

    // Each side's update from its own reads, written only when the change is on that side (the side select stays
    // out of the read-modify-write loop).
    const nb = [...bids];
    const na = [...asks];
    const bSeen = [false, false];
    const aSeen = [false, false];
    const bBeyond = apply(nb, bidBeyond, true, op, bSeen);
    const aBeyond = apply(na, askBeyond, false, op, aSeen);
    if (op.buy ? bSeen[0] : aSeen[0]) s.refills = wrap(s.refills + 1, u(32));
    if (op.buy ? bSeen[1] : aSeen[1]) s.refillMisses = wrap(s.refillMisses + 1, u(32));
    if (op.buy) {
      t.bids.set(k, nb);
      t.bidBeyond.set(k, bBeyond);
    } else {
      t.asks.set(k, na);
      t.askBeyond.set(k, aBeyond);
    }

    // The top changed: compared on each side's own words (no side select before the compare).
    const changed = (op.buy ? nb[0] !== bids[0] : na[0] !== asks[0]) || s.pending;
    s.pending = !op.last && changed;
    if (!op.last || !(changed || op.exec)) return undefined;
    const bid = op.buy ? nb[0] : bids[0];
    const ask = op.buy ? asks[0] : na[0];
    const bidDegraded = op.buy ? sharesOf(nb[0]) === 0 && bBeyond !== 0 : sharesOf(bids[0]) === 0 && bidBeyond !== 0;
    const askDegraded = op.buy ? sharesOf(asks[0]) === 0 && askBeyond !== 0 : sharesOf(na[0]) === 0 && aBeyond !== 0;
    s.updates = wrap(s.updates + 1, u(32));
    if (bidDegraded || askDegraded) s.degradedTops = wrap(s.degradedTops + 1, u(32));
    return {
      seq: op.seq,
      locate: op.locate,
      slot: op.slot,
      bidPrice: priceOf(bid),
      bidShares: sharesOf(bid),
      askPrice: priceOf(ask),
      askShares: sharesOf(ask),
      bidDegraded,
      askDegraded,
      trade: op.exec,
      tradeBuy: op.buy,
      tradePrice: op.exec ? op.tradePrice : 0,
      tradeShares: op.exec ? op.shares : 0,
    };
  },
});

// Host-side stimulus for cosim and cocotb of this unit alone (ordinary JavaScript, never compiled): the order
// store's level changes for the market maker's stimulus (unit-stimulus.ts).
export { bookStimulus as stimulus } from './unit-stimulus.ts';
