// The order store of the market-maker book (examples/market-maker/system.ts): ITCH 5.0 order messages in (the
// feed's ItchMsg), price-level changes out. It keeps every live order of the tracked symbols by its order
// reference number and turns A F E C X D U into "this many shares added to / removed from the level at this price
// on this side of this symbol" (LevelOp), which the ladder stage (book.ts) applies. The book's contract (what is
// tracked, what an unknown reference does, what is counted) is written in docs/strategy.md.
//
//   A / F  add: a new order {side, shares, price}; a reference already live is ignored (dupAdds)
//   E / C  executed, X cancelled: n shares leave the order (all of them when n >= its shares: the order is removed);
//          the shares leave the order's resting level; an execution is marked (exec) with its trade price (E: the
//          order's price, C: the execution price) for the strategy
//   D      the order is removed
//   U      the original order is removed and a new one (new reference, same side and symbol, U's shares and price)
//          added: two LevelOps, the first with `last` false, so the ladder reports the top once, after both
// Tracked symbols: the host-loaded map `slots` (a paramMem indexed by the 16-bit stock locate) gives each tracked
// locate its slot + 1 (0: not tracked; an entry above 1024 wraps to slot (entry - 1) mod 1024); every message of an
// untracked locate is ignored. Each LevelOp carries the
// slot, and every per-symbol table after this stage is keyed by it (book, quoter). By default locates 1..1024 map to
// slots 0..1023 (entry L holds L). Load the map before the session: a COMMIT that moves a locate while its orders
// rest leaves those orders, and the ladders of the slots involved, stale (docs/strategy.md "Symbols").
//
// A reference that is not live (an order added before the capture started, or never) is counted in unknownRefs and
// changes nothing. What the store cannot hold is refused and counted, never stored wrong: an add whose set of 4 ways
// is full (overflows), an add of 2^20 shares or more (oversize) and an add (A, F, a U's new order) whose reference
// is 2^36 or more (wideRefs; an E C X D U naming one is an unknown reference). From then on that order is missing
// from the book, so a run with any of them > 0 is not a clean book. Why those widths: a way's word is {valid, tag,
// order} and a 72-bit word is one UltraRAM column (4 ways of 2^18 slots: 36-bit references leave an 18-bit tag, and
// the order is side 1 + shares 20 + price 32 bits). NASDAQ references are a daily counter (below 2^24 at the open in
// the real capture, 2^36 is 68.7 billion) and its orders are below 10^6 shares (2^20 is 1,048,576).
//
// Timing: the table is written at two places (the delete of E C X D U, the set of A F E U), so it is built with a
// second bank, one bit wide (the delete's valid bit). Its update loop is shaped for the clock: the delete does not
// wait for `n >= shares` (an E C X deletes the order and, when shares are left, the set puts it back with them), a U's
// new reference is read before the delete, and the set's value selects the reduced order last. At 2^20 orders in
// UltraRAM it is still estimated over the 3.1 ns period: the `n >= shares` compare of the stored order and the write
// enables it decides remain on the loop (docs/strategy.md "The clock", docs/BENCHMARKS.md).
import { unit, reg, table, paramMem, u, bool, wrap, bits } from 'tickforge/dsl';
import { ItchMsg } from '../itch-feed/feed.ts';
import { LevelOp, SYMBOLS, LOCATES, ORDERS } from './records.ts';

export { LevelOp, SYMBOLS, LOCATES, ORDERS };

/** Order references the store holds: below 2^36 (NASDAQ's are a daily counter, far below). */
export const REF_BITS = 36;
/** Shares an order in the store may have: below 2^20 (NASDAQ orders are below 10^6 shares). */
export const SHARES_BITS = 20;

/** An order in the table: side in bit 52, shares in bits 51..32 (< 2^20), price in 31..0: 53 bits, so a way's word
 * {valid, 18-bit tag, value} is 72 bits, one UltraRAM column. */
function pack(buy: boolean, shares: number, price: number): number {
  return (buy ? 0x10000000000000 : 0) + bits(shares, 19, 0) * 0x100000000 + price;
}

/** The low 36 bits of the big-endian u64 held in a little-endian p word (message bytes 11 + 8j .. 18 + 8j). */
function be36(w: bigint): number {
  return bits(w, 27, 24) * 0x100000000 + be32(w, 4);
}

/** The big-endian u64 in w is 2^36 or more (its bits 63..36: p bytes 0..2 and the high half of byte 3). */
function wide(w: bigint): boolean {
  return bits(w, 23, 0) !== 0 || bits(w, 31, 28) !== 0;
}

/** Four big-endian bytes starting at byte `at` of the little-endian word w (at <= 4). */
function be32(w: bigint, at: number): number {
  return bits(w, 8 * at + 7, 8 * at) * 0x1000000 + bits(w, 8 * at + 15, 8 * at + 8) * 0x10000 + bits(w, 8 * at + 23, 8 * at + 16) * 0x100 + bits(w, 8 * at + 31, 8 * at + 24);
}

export default unit({
  name: 'orders',
  input: ItchMsg,
  output: LevelOp,
  outputs: 2,
  params: {
    // The default map: locate L in 1..SYMBOLS -> slot L - 1 (entry L holds L), every other locate untracked (0).
    slots: paramMem(u(11), LOCATES, Array.from({ length: LOCATES }, (_, l) => (l >= 1 && l <= SYMBOLS ? l : 0)), 'Per stock locate: its slot + 1 (1..1024), 0 when not tracked'),
  },
  tables: {
    orders: table({ key: u(REF_BITS), value: u(1 + SHARES_BITS + 32), capacity: ORDERS, ways: 4, hash: 'fold' }),
  },
  state: {
    unknownRefs: reg(u(32), 0, { status: true, doc: 'E C X D U messages of a tracked symbol naming no live order (or a reference of 2^36 or more)' }),
    dupAdds: reg(u(32), 0, { status: true, doc: 'A F U adds whose reference was already live (ignored)' }),
    overflows: reg(u(32), 0, { status: true, doc: 'Adds refused: the order set was full (the book misses those orders)' }),
    oversize: reg(u(32), 0, { status: true, doc: 'Adds refused: 2^20 shares or more (the book misses those orders)' }),
    wideRefs: reg(u(32), 0, { status: true, doc: 'Adds refused: an order reference of 2^36 or more (the book misses those orders)' }),
  },
  step(m, { params: p, tables: t, state: s }) {
    const mapped = p.slots[m.stockLocate]; // slot + 1, 0: not tracked
    const tracked = mapped !== 0;
    const slot = wrap(mapped - 1, u(10));
    const isAdd = m.type === 'A' || m.type === 'F';
    const isReduce = m.type === 'E' || m.type === 'C' || m.type === 'X';
    const isDelete = m.type === 'D';
    const isReplace = m.type === 'U';
    if (!tracked || !(isAdd || isReduce || isDelete || isReplace)) return undefined;

    // Fields (ITCH 5.0 offsets; message byte 11 + j is byte j of p0..p4, little-endian within a word). A reference
    // is kept as its low 36 bits; `wide` says it did not fit (never stored, so never live).
    const ref = be36(m.p0); // bytes 11..18: the order (for U, the original order)
    const refWide = wide(m.p0);
    const newRef = be36(m.p1); // U: bytes 19..26
    const newWide = wide(m.p1);
    const addBuy = bits(m.p1, 7, 0) !== 0x53; // A/F byte 19: 'B' or 'S'
    const addShares = be32(m.p1, 1); // A/F bytes 20..23
    const addPrice = bits(m.p2, 47, 40) * 0x1000000 + bits(m.p2, 55, 48) * 0x10000 + bits(m.p2, 63, 56) * 0x100 + bits(m.p3, 7, 0); // A/F bytes 32..35
    const n = be32(m.p1, 0); // E/C/X bytes 19..22
    const uShares = be32(m.p2, 0); // U bytes 27..30
    const uPrice = be32(m.p2, 4); // U bytes 31..34
    // The table's second key: the new order of a U, else the order itself (so the table has two read keys, not three).
    const key2 = isReplace ? newRef : ref;

    // The order named by ref, and whether a U's new reference is live, read before the writes. The original's
    // delete cannot change the new reference's liveness unless it is the same reference (a U naming its own
    // reference re-adds it): decided from the record, so that read does not wait for the delete.
    const live = !refWide && t.orders.has(ref);
    const newLive = !newWide && newRef !== ref && t.orders.has(key2);
    const v = t.orders.get(ref);
    const buy = bits(v, 52, 52) === 1;
    const shares = bits(v, 51, 32);
    const price = bits(v, 31, 0);

    if (!isAdd && !live) {
      s.unknownRefs = wrap(s.unknownRefs + 1, u(32));
      return undefined;
    }
    if (isAdd && live) {
      s.dupAdds = wrap(s.dupAdds + 1, u(32));
      return undefined;
    }
    const all = isReduce ? n >= shares : true; // E C X: every share leaves (the order is removed)
    const left = wrap(shares - n, u(SHARES_BITS)); // used only when n < shares
    // Write 1: remove the order (E C X D, the original of a U). An E C X that leaves shares puts the order back with
    // them (write 2, into the first free way of its set, which the delete just made): so the delete does not wait for
    // the `n >= shares` compare, only the write of what is left does.
    if (!isAdd) t.orders.delete(ref);
    // An add the store cannot hold exactly: a reference or a share count too wide (refused, counted).
    const addWide = isAdd ? refWide : isReplace ? newWide : false;
    const bigAdd = isAdd ? addShares >= 0x100000 : isReplace ? uShares >= 0x100000 : false;
    // (what is left of a reduced order, the latest-settling value, selected last)
    const addVal = isReduce ? pack(buy, left, price) : isAdd ? pack(addBuy, addShares, addPrice) : pack(buy, uShares, uPrice);
    let stored = false;
    // Write 2: a new order (A F, the U's new one) or the shares an E C X leaves.
    if (isAdd || (isReplace && !newLive) || (isReduce && !all)) {
      if (!addWide && !bigAdd) stored = t.orders.set(key2, addVal);
    }
    const adds = isAdd || (isReplace && !newLive);
    if (isReplace && newLive) s.dupAdds = wrap(s.dupAdds + 1, u(32));
    if (adds && addWide) s.wideRefs = wrap(s.wideRefs + 1, u(32));
    if (adds && !addWide && bigAdd) s.oversize = wrap(s.oversize + 1, u(32));
    if (adds && !addWide && !bigAdd && !stored) s.overflows = wrap(s.overflows + 1, u(32));

    // An order of 0 shares is kept (its reference is live) but changes no level: no LevelOp for it.
    const joins = isReplace && stored && uShares !== 0;
    // C's execution price: bytes 32..35 (p bytes 21..24), as A's price.
    const exec = m.type === 'E' || m.type === 'C';
    const tradePrice = m.type === 'C' ? addPrice : exec ? price : 0;
    const gone = { seq: m.sequence, locate: m.stockLocate, slot, buy, price, shares: isReduce && !all ? n : shares, remove: true, last: !joins, exec, tradePrice };
    if (isAdd) {
      if (!stored || addShares === 0) return undefined;
      return { seq: m.sequence, locate: m.stockLocate, slot, buy: addBuy, price: addPrice, shares: addShares, remove: false, last: true, exec: false, tradePrice: 0 };
    }
    if (shares === 0 && !joins) return undefined; // an order of 0 shares removed, nothing joins: no level changes
    if (joins) return [gone, { seq: m.sequence, locate: m.stockLocate, slot, buy, price: uPrice, shares: uShares, remove: false, last: true, exec: false, tradePrice: 0 }];
    return gone;
  },
});

// Host-side stimulus for cosim and cocotb of this unit alone (ordinary JavaScript, never compiled): the ITCH feed's
// messages for the market maker's stimulus (unit-stimulus.ts).
export { ordersStimulus as stimulus } from './unit-stimulus.ts';
