// The risk gate's model, run as plain TypeScript: hand-checked cases for every rule at its boundary.
import { describe, expect, test } from 'vitest';
import gate, { Kind, Reason } from '../../examples/risk-gate/gate.ts';

type Side = 'B' | 'S';
const order = (locate: number, side: Side, qty: number, price: number) => ({ kind: Kind.Order, locate, side, qty, price });
const ref = (locate: number, price: number) => ({ kind: Kind.RefPrice, locate, side: 'B', qty: 0, price });
const ctl = (kind: Kind) => ({ kind, locate: 0, side: 'B', qty: 0, price: 0 });

/** A gate with a $100.00 reference price for symbol 7, after the bucket filled. */
function fresh() {
  const m = gate.model();
  expect(m.step(ref(7, 1_000_000), 0)).toBeUndefined();
  return m;
}
const reason = (m: ReturnType<typeof fresh>, o: ReturnType<typeof order>, now: number) => m.step(o as never, now)!.reason;

describe('risk gate model', () => {
  test('accepts a plain order and passes it through', () => {
    const m = fresh();
    expect(m.step(order(7, 'B', 100, 1_000_000) as never, 1000)).toEqual({ accepted: true, reason: Reason.Accept, locate: 7, side: 'B', qty: 100, price: 1_000_000 });
  });

  test('max quantity: maxQty accepted, maxQty + 1 rejected', () => {
    const m = fresh();
    m.setParam('maxExposure', 1_000_000);
    expect(reason(m, order(7, 'B', 50_000, 1_000_000), 1000)).toBe(Reason.Accept);
    expect(reason(m, order(7, 'B', 50_001, 1_000_000), 2000)).toBe(Reason.MaxQty);
  });

  test('max notional is exact beyond 2^53: qty x price == limit accepted, +1 unit rejected', () => {
    const m = fresh();
    m.setParam('maxQty', 4_000_000_000);
    m.setParam('maxExposure', 4_000_000_000);
    m.setParam('bandBps', 65_535);
    m.setParam('maxNotional', 4_000_000_000n * 3_000_000_001n); // 1.2e19 > 2^63: only bigint is exact here
    m.step(ref(9, 3_000_000_001), 1);
    expect(reason(m, order(9, 'B', 4_000_000_000, 3_000_000_001), 1000)).toBe(Reason.Accept);
    m.setParam('maxNotional', 4_000_000_000n * 3_000_000_001n - 1n);
    expect(reason(m, order(9, 'S', 4_000_000_000, 3_000_000_001), 2000)).toBe(Reason.MaxNotional);
  });

  test('no reference price: rejected until one arrives', () => {
    const m = fresh();
    expect(reason(m, order(8, 'B', 1, 1_000_000), 1000)).toBe(Reason.NoRefPrice);
    m.step(ref(8, 1_000_000) as never, 1001);
    expect(reason(m, order(8, 'B', 1, 1_000_000), 2000)).toBe(Reason.Accept);
  });

  test('price band: exactly 500 bps away accepted, one tick further rejected', () => {
    const m = fresh();
    expect(reason(m, order(7, 'B', 1, 1_050_000), 1000)).toBe(Reason.Accept);
    expect(reason(m, order(7, 'B', 1, 950_000), 2000)).toBe(Reason.Accept);
    expect(reason(m, order(7, 'B', 1, 1_050_001), 3000)).toBe(Reason.PriceBand);
    expect(reason(m, order(7, 'B', 1, 949_999), 4000)).toBe(Reason.PriceBand);
  });

  test('throttle: credit in cycles, capped at burst, orderCost per accepted order', () => {
    const m = fresh(); // bucket full (256 cycles of credit); one order per cycle earns 1 and spends 8
    const t0 = 10_000;
    // Order j at t0 + j sees 256 - 7j cycles of credit: j = 0..35 pass (>= 8), j = 36..39 see 4..7.
    for (let j = 0; j < 36; j++) expect(reason(m, order(7, j % 2 ? 'S' : 'B', 1, 1_000_000), t0 + j), `order ${j}`).toBe(Reason.Accept);
    for (let j = 36; j < 40; j++) expect(reason(m, order(7, 'B', 1, 1_000_000), t0 + j), `order ${j}`).toBe(Reason.Throttle);
    expect(reason(m, order(7, 'B', 1, 1_000_000), t0 + 40)).toBe(Reason.Accept); // exactly 8 cycles of credit
    expect(m.state.credit).toBe(0);
    expect(reason(m, order(7, 'B', 1, 1_000_000), t0 + 41)).toBe(Reason.Throttle);
  });

  test('exposure: position up to maxExposure accepted, beyond rejected, sells bring it back', () => {
    const m = fresh();
    expect(reason(m, order(7, 'B', 20_000, 1_000_000), 1000)).toBe(Reason.Accept);
    expect(reason(m, order(7, 'B', 1, 1_000_000), 2000)).toBe(Reason.Exposure);
    expect(m.tables.position.get(7)).toBe(20_000);
    expect(reason(m, order(7, 'S', 40_000, 1_000_000), 3000)).toBe(Reason.Accept);
    expect(m.tables.position.get(7)).toBe(-20_000);
    expect(reason(m, order(7, 'S', 1, 1_000_000), 4000)).toBe(Reason.Exposure);
  });

  test('table full: a symbol whose slot another symbol holds is rejected', () => {
    const m = fresh(); // position table: 512 slots; 7 and 7 + 512 share slot 7
    m.step(ref(519, 1_000_000) as never, 1);
    expect(reason(m, order(7, 'B', 10, 1_000_000), 1000)).toBe(Reason.Accept);
    expect(reason(m, order(519, 'B', 10, 1_000_000), 2000)).toBe(Reason.TableFull);
  });

  test('kill switch, by param and in band, rejects first of all', () => {
    const m = fresh();
    m.setParam('killSwitch', true);
    expect(reason(m, order(7, 'B', 999_999, 1), 1000)).toBe(Reason.KillSwitch);
    m.setParam('killSwitch', false);
    expect(m.step(ctl(Kind.Halt) as never, 1500)).toBeUndefined();
    expect(reason(m, order(7, 'B', 1, 1_000_000), 2000)).toBe(Reason.KillSwitch);
    m.step(ctl(Kind.Resume) as never, 2500);
    expect(reason(m, order(7, 'B', 1, 1_000_000), 3000)).toBe(Reason.Accept);
  });

  test('rejected orders spend no credit and change no position', () => {
    const m = fresh();
    expect(reason(m, order(7, 'B', 60_000, 1_000_000), 1000)).toBe(Reason.MaxQty);
    expect(m.state.credit).toBe(256);
    expect(m.tables.position.has(7)).toBe(false);
  });
});
