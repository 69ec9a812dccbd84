// The order manager of the market maker (examples/market-maker/system.ts): every order intent the risk gate
// accepted becomes an OUCH 5.0 action for the encoder. It keeps the live order of each symbol and side (its
// UserRefNum): a quote where none is live is an Enter Order, a quote where one is live a Replace Order of it (the
// new UserRefNum replaces the old), and an accepted intent of 0 shares cancels the live order (Cancel Order, 0
// shares). Rejected intents stop here. The symbol is the locate in hex ("L" + 4 hex digits): no locate -> symbol
// directory yet.
import { unit, reg, table, u, wrap, bits } from 'tickforge/dsl';
import { Decision } from '../risk-gate/gate.ts';
import { Action, Kind } from '../ouch-encoder/encoder.ts';
import { hexDigit, symbolOf } from '../pipeline/route.ts';

/** The ClOrdID's first 8 characters: the UserRefNum in 8 hex digits (the other 6 are spaces). */
function clOrdIdOf(ref: number): bigint {
  let v = 0n;
  for (let k = 0; k < 8; k++) v |= BigInt(hexDigit(bits(ref, 31 - 4 * k, 28 - 4 * k))) << BigInt(8 * k);
  return v;
}

export default unit({
  name: 'oms',
  input: Decision,
  output: Action,
  tables: {
    // Keyed by locate and side (the locate in bits 16..1, the sell side in bit 0): the live order's UserRefNum, 0 for
    // none. Every locate has its entry (the gate's Decision carries no slot), so it needs no locate -> slot map.
    live: table({ key: u(17), value: u(32), capacity: 1 << 17 }),
  },
  state: {
    nextRef: reg(u(32), 1, { status: true, doc: 'UserRefNum of the next Enter or Replace' }),
  },
  step(d, { state: s, tables: t }) {
    if (!d.accepted) return undefined;
    const k = d.locate * 2 + (d.side === 'S' ? 1 : 0);
    const live = t.live.get(k);
    const cancel = d.qty === 0;
    if (cancel && live === 0) return undefined;
    const ref = s.nextRef;
    if (!cancel) s.nextRef = wrap(ref === 0xffff_ffff ? 1 : ref + 1, u(32));
    t.live.set(k, cancel ? 0 : ref);
    return {
      kind: cancel ? Kind.Cancel : live === 0 ? Kind.Enter : Kind.Replace,
      userRefNum: cancel ? live : ref,
      origUserRefNum: cancel || live === 0 ? 0 : live,
      side: d.side === 'S' ? 0x53 : 0x42,
      quantity: d.qty,
      symbol: symbolOf(d.locate),
      price: BigInt(d.price),
      timeInForce: 0x30, // '0': day
      display: 0x59, // 'Y': visible
      capacity: 0x41, // 'A': agency
      interMarketSweepEligibility: 0x4e, // 'N'
      crossType: 0x4e, // 'N': continuous market
      clOrdIdLo: clOrdIdOf(cancel ? live : ref),
      clOrdIdHi: 0x2020_2020_2020,
      hasFirm: false,
      firm: 0,
    };
  },
});
