// Declarations shared by several designs (docs/dsl.md §10 "Sharing declarations between files"): an enum, a type,
// constants (constant expressions included), a record and a pure helper. A design imports them like any module.
import { record, u, enumOf } from 'tickforge/dsl';

export enum Side {
  Buy = 'B',
  Sell = 'S',
}
export const Qty = u(32);
export const SYMBOLS = 1 << 10; // a constant expression is a constant wherever a literal is required
export const MAX_QTY = 100 * 1000;

export const Fill = record('Fill', { symbol: u(16), side: enumOf('Side', Side), qty: Qty });

/** qty, at most MAX_QTY. */
export function capped(qty: number): number {
  return qty > MAX_QTY ? MAX_QTY : qty;
}
