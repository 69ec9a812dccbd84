// Hand-written ITCH messages for the order-book tests: the header fields fixed, only what a book reads varies.
import { itch50, type ItchMessage, type ItchOf } from '../../dsl/protocols/itch50.ts';
import { BinaryFileWriter } from '../../sim/stimulus/binaryfile.ts';

const H = { trackingNumber: 0, timestamp: 1 };
type Side = 'B' | 'S';
/** An order reference: a number, or a bigint for those past 2^53. */
type Ref = number | bigint;
export const A = (ref: Ref, locate: number, side: Side, shares: number, price: number): ItchOf<'A'> => ({ type: 'A', stockLocate: locate, ...H, orderReferenceNumber: BigInt(ref), buySellIndicator: side, shares, stock: 'TEST    ', price });
export const F = (ref: Ref, locate: number, side: Side, shares: number, price: number): ItchOf<'F'> => ({ ...A(ref, locate, side, shares, price), type: 'F', attribution: 'NSDQ' });
export const E = (ref: Ref, locate: number, n: number): ItchOf<'E'> => ({ type: 'E', stockLocate: locate, ...H, orderReferenceNumber: BigInt(ref), executedShares: n, matchNumber: 1n });
export const C = (ref: Ref, locate: number, n: number, executionPrice: number): ItchOf<'C'> => ({ type: 'C', stockLocate: locate, ...H, orderReferenceNumber: BigInt(ref), executedShares: n, matchNumber: 1n, printable: 'Y', executionPrice });
export const X = (ref: Ref, locate: number, n: number): ItchOf<'X'> => ({ type: 'X', stockLocate: locate, ...H, orderReferenceNumber: BigInt(ref), cancelledShares: n });
export const D = (ref: Ref, locate: number): ItchOf<'D'> => ({ type: 'D', stockLocate: locate, ...H, orderReferenceNumber: BigInt(ref) });
export const U = (orig: Ref, ref: Ref, locate: number, shares: number, price: number): ItchOf<'U'> => ({ type: 'U', stockLocate: locate, ...H, originalOrderReferenceNumber: BigInt(orig), newOrderReferenceNumber: BigInt(ref), shares, price });
export const P = (locate: number): ItchOf<'P'> => ({ type: 'P', stockLocate: locate, ...H, orderReferenceNumber: 0n, buySellIndicator: 'B', shares: 100, stock: 'TEST    ', price: 5000, matchNumber: 2n });

/** The messages as a BinaryFILE ([u16 length][message] each). */
export function binaryFileOf(msgs: readonly ItchMessage[]): Uint8Array {
  const set = itch50();
  const w = new BinaryFileWriter();
  for (const m of msgs) w.commit(set.encodeInto(m, w.reserve(64), w.at()));
  return w.bytes();
}
