// Declarations shared by the two top-8 ladder stages (ladder-vec.ts, written with vectors; ladder-scalar.ts, the
// same logic without them): a price-level update in, the top of book out.
import { record, u, bool, enumOf } from 'tickforge/dsl';

export enum Side {
  Buy = 'B',
  Sell = 'S',
}
/** Levels kept per side. */
export const DEPTH = 8;
/** A level-2 update: the quantity now resting at a price on one side (0 removes the level). */
export const LevelUpdate = record('LevelUpdate', { side: enumOf('Side', Side), price: u(32), qty: u(32) });
export const TopOfBook = record('TopOfBook', {
  bid: u(32),
  bidQty: u(32),
  ask: u(32),
  askQty: u(32),
  bidLevels: u(4),
  askLevels: u(4),
  bidDepth: u(35),
  crossed: bool(),
});
