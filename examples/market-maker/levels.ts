// The full-depth level store of the market-maker book (examples/market-maker/system.ts): it sees every level change
// (LevelOp, from orders.ts) before the ladder does, keeps every price level of every tracked symbol and side, and
// tells the ladder (book.ts), with each change, the best level that rests at a worse price than the change's price:
// the level that refills the ladder when the change emptied the last level it held. Its shares come from the next
// stage (refill.ts), which keeps a copy of this store and reads it at that price: a block RAM read whose key is
// worked out here can only be made a stage later (docs/semantics.md §11), and a stage later it is a key from the
// record. So the refill needs no path back from a later stage: both stages run in stream order, a record at a time.
//
// What is kept:
//   shares      per (slot, side, price): the level's shares (deleted when they reach 0); 2^18 levels, 2 ways, in
//               UltraRAM (with 4 ways the update misses 245 MHz: 4.18 ns under the delay model). Keyed by the price,
//               not the grid index, so its update does not wait for the division below
//   occ         per (slot, side, 64 grid steps): a bitmap of the live levels, one bit per grid step; 2^16 words
//   sides       per (slot, side): the shares resting at levels the store does not hold ("unheld", below), "broken"
//   unheldBest  per (slot, side): the best price of those levels
// The grid: NASDAQ prices (Price(4)) step by $0.0001 below $1 and by $0.01 from $1 up (Reg NMS), so a price's grid
// index is the price below 10,000 and 9,900 + price / 100 from there (26 bits: 42,959,572 at the largest price). A
// bid's index is mirrored (2^26 - 1 - index), so on both sides a worse price has a larger index and one search
// serves both. The division is a multiply by 1374389535 and a shift by 37 (exact for every 32-bit price; a DSP
// chain, 4 of the stage's 15 cycles).
//
// The search: the first live level past the change's own index, in the change's bitmap word (after the change) and
// the word after it: 64 to 127 grid steps (64 cents to $1.27 from $1 up). A level further away is not found: the
// record says so (nextOk false) and the ladder stays as it is, so its side is reported degraded if it runs out (as
// without a store), counted in the book's refillMisses.
//
// Never wrong: what the store cannot hold is counted, and no refill is offered that it could make wrong. A new level
// whose set is full, an add at a price off the grid (whose index another price has) and a removal of more than the
// store holds at a level move shares to or from the side's "unheld" count, and the best price of the levels holding
// them is kept. The store's shares plus the unheld ones are the side's shares, and no level holds more in the store
// than rests there, so a level found is the next one when it is better than every unheld level: a refill is offered
// only then (or when nothing is unheld). A sum past 2^32 - 1 shares at one level and a bitmap word that cannot be
// stored mark the side "broken": no refill on it again (neither happens at these sizes on real data). `lostLevels`
// counts all of them; refill.ts counts a level found that its copy does not hold (never expected).

import { record, unit, reg, table, u, bool, wrap, bits } from 'tickforge/dsl';
import { LevelOp, BookOp, LEVELS, LEVEL_WAYS, levelKey } from './records.ts';

/** Bitmap words (64 grid steps of one symbol and side) the store holds. */
export const WORDS = 1 << 16;
/** Bits of a grid index (bids mirrored: 2^26 - 1 - index). */
const GRID_BITS = 26;
const GRID_TOP = (1 << GRID_BITS) - 1;

/** The count of zero bits below the lowest set bit of a 32-bit x (32 when x is 0): a tree of five halvings. */
function ctz32(x: number): number {
  const z16 = bits(x, 15, 0) === 0;
  const y16 = z16 ? bits(x, 31, 16) : bits(x, 15, 0);
  const z8 = bits(y16, 7, 0) === 0;
  const y8 = z8 ? bits(y16, 15, 8) : bits(y16, 7, 0);
  const z4 = bits(y8, 3, 0) === 0;
  const y4 = z4 ? bits(y8, 7, 4) : bits(y8, 3, 0);
  const z2 = bits(y4, 1, 0) === 0;
  const y2 = z2 ? bits(y4, 3, 2) : bits(y4, 1, 0);
  const z1 = bits(y2, 0, 0) === 0;
  const zero = z1 && bits(y2, 1, 1) === 0;
  return zero ? 32 : (z16 ? 16 : 0) + (z8 ? 8 : 0) + (z4 ? 4 : 0) + (z2 ? 2 : 0) + (z1 ? 1 : 0);
}

/** The index of the lowest set bit of a 64-bit word (64 when it is 0). */
function ctz64(w: bigint): number {
  const lo = bits(w, 31, 0);
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(bits(w, 63, 32));
}

export default unit({
  name: 'levels',
  input: LevelOp,
  output: BookOp,
  tables: {
    shares: table({ key: u(43), value: u(32), capacity: LEVELS, ways: LEVEL_WAYS, hash: 'fold', memory: 'uram' }),
    occ: table({ key: u(31), value: u(64), capacity: WORDS, ways: 4, hash: 'fold', memory: 'bram' }),
    // Per slot and side (slot * 2 + buy): shares the store does not hold (bits 39..0) and `broken` (bit 40).
    sides: table({ key: u(11), value: u(41), capacity: 2048, memory: 'bram' }),
    // Per slot and side: the best price of the levels the store does not hold (while any shares rest there).
    unheldBest: table({ key: u(11), value: u(32), capacity: 2048, memory: 'bram' }),
  },
  state: {
    lostLevels: reg(u(32), 0, { status: true, doc: 'Adds the store could not hold (set full, off the grid): no refill on their side while their shares rest; and sums that saturated, bits lost with their word: none on that side again' }),
  },
  step(op, { tables: t, state: s }) {
    // The grid index of the price, mirrored for a bid (a worse price: a larger index). q = price / 100 (the
    // multiply-shift is exact for every 32-bit price).
    const q = bits((BigInt(op.price) * 1374389535n) >> 37n, 25, 0);
    const onGrid = op.price < 10000 || q * 100 === op.price;
    const index = wrap(op.price < 10000 ? op.price : 9900 + q, u(GRID_BITS)); // at most 42,959,571
    const j = op.buy ? index ^ GRID_TOP : index; // 2^26 - 1 - index: the bits inverted
    const word = bits(j, GRID_BITS - 1, 6);
    const at = bits(j, 5, 0);
    const sideKey = op.slot * 2 + (op.buy ? 1 : 0);
    const wordKey = sideKey * 0x100000 + word;
    const lastWord = word === (1 << (GRID_BITS - 6)) - 1; // nothing is past it
    const word1 = wrap(word + 1, u(GRID_BITS - 6));
    const bitAt = 1n << BigInt(at);
    const above = 0xffffffffffffffffn ^ ((bitAt - 1n) | bitAt); // the bits past `at`
    const key = levelKey(op.slot, op.buy, op.price);

    // The level's shares after the change. Shaped for the clock: the decisions compare the stored shares with bounds
    // made from the input, and the delete does not wait for them (every change deletes the level and writes it back
    // unless it emptied: the set takes the way the delete freed, so it fails only for a new level whose set is full).
    const had = t.shares.get(key);
    const zero = op.remove ? had <= op.shares : had === 0 && op.shares === 0;
    // One adder (a removal adds the two's complement of its shares). A sum past 2^32 - 1 (thousands of orders of a
    // million shares at one price: never in a real feed) is not held exactly: its side is marked broken, below.
    const saturated = !op.remove && had > 0xffffffff - op.shares;
    const delta = op.remove ? wrap(0x100000000 - op.shares, u(32)) : op.shares;
    const now = wrap(had + delta, u(32));
    t.shares.delete(key);
    let held = true;
    if (!zero) held = t.shares.set(key, now);
    // A level off the grid is held (its key is its price) but has no bit: its index is another price's.
    const created = onGrid && held && had === 0 && !zero;
    const emptied = onGrid && had !== 0 && zero;

    // Its bit: set when the level appears, cleared when it empties. A word whose last bit clears is deleted (decided
    // on the stored word against the bit, not on the updated word). A word that cannot be stored loses the bit: the
    // side is then broken, below. (After that a cleared bit may leave an empty word stored, until a level of that
    // word is added and removed again: room wasted, nothing wrong.)
    const w0 = t.occ.get(wordKey);
    const w1 = emptied ? w0 & (0xffffffffffffffffn ^ bitAt) : w0 | bitAt;
    let kept = true;
    if (emptied || created) {
      t.occ.delete(wordKey);
      if (!(emptied && w0 === bitAt)) kept = t.occ.set(wordKey, w1);
    }
    const w = emptied || created ? w1 : w0;

    // Per side: the shares resting at levels the search cannot see ("unheld": a new level refused because its set
    // was full, a price off the grid, a removal of more than the store held at the level), the best price of those
    // levels, and "broken" (a sum that saturated, a bit lost with its word), which stays. The store's shares plus the
    // unheld ones are the side's shares, and no level holds more in the store than rests there: so a level found in
    // the store is the next one when it is better than every unheld level, and when nothing is unheld every level
    // resting is in the store with its shares and its bit.
    const refused = onGrid && !op.remove && !held;
    const spillAdd = !op.remove && (!onGrid || refused); // shares join a level the store does not hold
    const spill = spillAdd ? op.shares : op.remove && !onGrid ? op.shares : op.remove && op.shares > had ? wrap(op.shares - had, u(32)) : 0;
    const side = t.sides.get(sideKey);
    const unheld = bits(side, 39, 0);
    const drained = op.remove ? spill >= unheld : unheld === 0 && spill === 0;
    const unheld1 = drained ? 0 : op.remove ? wrap(unheld - spill, u(40)) : wrap(unheld + spill, u(40));
    const broken = bits(side, 40, 40) === 1 || saturated || (created && !kept);
    t.sides.set(sideKey, (broken ? 0x10000000000 : 0) + unheld1);
    const best0 = t.unheldBest.get(sideKey);
    const beats = op.buy ? op.price > best0 : op.price < best0;
    const best = drained ? 0 : spillAdd && (unheld === 0 || beats) ? op.price : best0;
    t.unheldBest.set(sideKey, best);
    if (spillAdd || saturated || (created && !kept)) s.lostLevels = wrap(s.lostLevels + 1, u(32));

    // The first live level past `at`: in this word (as just written), else in the next one (none past the last word).
    const following = t.occ.get(sideKey * 0x100000 + word1);
    const past = w & above;
    const inWord = past !== 0n;
    const nextWord = lastWord ? 0n : following;
    const found = inWord || nextWord !== 0n;
    // Its index: the word's number above the bit's place (an OR of disjoint bits, not an adder), then the price.
    const nj = ((inWord ? word : word1) << 6) | wrap(ctz64(inWord ? past : nextWord), u(6));
    const nIndex = op.buy ? nj ^ GRID_TOP : nj;
    const cents = wrap(nIndex - 9900, u(GRID_BITS));
    const nextPrice = !found ? 0 : nIndex < 10000 ? nIndex : wrap(cents * 64 + cents * 32 + cents * 4, u(32)); // x 100 in two adders
    return {
      ...op,
      levelShares: held && !zero ? now : 0,
      nextOk: found && !broken && (unheld1 === 0 || (op.buy ? nextPrice > best : nextPrice < best)),
      nextPrice,
      nextShares: 0,
    };
  },
});

// Host-side stimulus for cosim and cocotb of this unit alone (ordinary JavaScript, never compiled): the order
// store's level changes for the market maker's stimulus (unit-stimulus.ts).
export { levelsStimulus as stimulus } from './unit-stimulus.ts';
