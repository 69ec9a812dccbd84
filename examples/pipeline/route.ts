// The last decision stage of the pipeline example (examples/pipeline/system.ts): every order the risk gate accepts
// becomes an OUCH 5.0 Enter Order action for the encoder, with a fresh UserRefNum; rejected orders stop here.
// The symbol is the stock locate in hex ("L" + 4 hex digits, space padded): this example has no locate -> symbol
// directory (the order-book issue adds a host-loaded one).
import { unit, reg, u, wrap } from 'tickforge/dsl';
import { Decision } from '../risk-gate/gate.ts';
import { Action, Kind } from '../ouch-encoder/encoder.ts';

/** ASCII of one hex digit (upper case). */
export function hexDigit(n: number): number {
  return n < 10 ? 48 + n : 55 + n;
}

/** 'L' + 4 hex digits of the locate + 3 spaces; character 0 in bits 7..0. */
export function symbolOf(locate: number): bigint {
  return (
    0x4cn |
    (BigInt(hexDigit((locate >> 12) & 15)) << 8n) |
    (BigInt(hexDigit((locate >> 8) & 15)) << 16n) |
    (BigInt(hexDigit((locate >> 4) & 15)) << 24n) |
    (BigInt(hexDigit(locate & 15)) << 32n) |
    (0x202020n << 40n)
  );
}

export default unit({
  name: 'route',
  input: Decision,
  output: Action,
  state: {
    nextRef: reg(u(32), 1, { status: true, doc: 'UserRefNum of the next Enter Order' }),
  },
  step(d, { state: s }) {
    if (!d.accepted) return undefined;
    const ref = s.nextRef;
    s.nextRef = wrap(ref + 1, u(32));
    return {
      kind: Kind.Enter,
      userRefNum: ref,
      origUserRefNum: 0,
      side: d.side === 'S' ? 0x53 : 0x42,
      quantity: d.qty,
      symbol: symbolOf(d.locate),
      price: BigInt(d.price),
      timeInForce: 0x30, // '0': day
      display: 0x59, // 'Y': visible
      capacity: 0x41, // 'A': agency
      interMarketSweepEligibility: 0x4e, // 'N'
      crossType: 0x4e, // 'N': continuous market
      clOrdIdLo: BigInt(ref),
      clOrdIdHi: 0,
      hasFirm: false,
      firm: 0,
    };
  },
});
