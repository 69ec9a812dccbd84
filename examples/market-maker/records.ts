// The records and sizes the market-maker book's stages share (examples/market-maker/system.ts). In a module of
// their own, which imports no stage, so that each stage's module can be loaded first (each stage re-exports its
// host-side stimulus from unit-stimulus.ts, which imports the stages before it).
import { record, u, bool } from 'tickforge/dsl';

/** Symbols tracked at once: slots 0..SYMBOLS-1 (by default locates 1..SYMBOLS). */
export const SYMBOLS = 1024;
/** Entries of the locate -> slot map: every 16-bit stock locate. */
export const LOCATES = 1 << 16;
/** Live orders the store holds (4-way set-associative: a full set refuses an add, counted in overflows). */
export const ORDERS = 1 << 20;

/** A change of one price level: `shares` added to it (remove false) or taken from it. */
export const LevelOp = record('LevelOp', {
  seq: u(64), // MoldUDP64 sequence number of the ITCH message
  locate: u(16),
  slot: u(10), // the symbol's slot (the map's entry for locate, minus 1): the key of every per-symbol table after this
  buy: bool(), // the bid side
  price: u(32), // Price(4)
  shares: u(32),
  remove: bool(),
  last: bool(), // the last LevelOp of its message (false only on the first of a U's two)
  exec: bool(), // the shares left by an execution (E, C): a trade against the resting order
  tradePrice: u(32), // E: the order's price; C: the execution price (0 when not exec)
});

/**
 * Live price levels the level store holds over every symbol and side (levels.ts; 4-way set-associative, in
 * UltraRAM). The synthetic stream (the snippet's statistics, up to 200,000 live orders) holds 41,666 levels after
 * 300,000 messages and still growing: 2^16 refused thousands of adds, 2^18 a few dozen.
 */
export const LEVELS = 1 << 18;
/** Ways of the level store and of its copy (refill.ts): the same geometry, so the copy holds what the store holds. */
export const LEVEL_WAYS = 2;
/** A level change with what the ladder needs to refill (LevelOp's fields first, as orders.ts sends them). */
export const BookOp = record('BookOp', {
  seq: u(64),
  locate: u(16),
  slot: u(10),
  buy: bool(),
  price: u(32),
  shares: u(32),
  remove: bool(),
  last: bool(),
  exec: bool(),
  tradePrice: u(32),
  levelShares: u(32), // the shares at `price` after the change, as the store holds them (refill.ts mirrors them)
  nextOk: bool(), // found: the best level at a worse price than `price` after the change, within the search
  nextPrice: u(32), // its price (when nextOk)
  nextShares: u(32), // its shares (filled in by refill.ts)
});

/** The level store's key of a level: slot, side, price (43 bits). */
export function levelKey(slot: number, buy: boolean, price: number): number {
  return slot * 0x200000000 + (buy ? 0x100000000 : 0) + price;
}
