// The design file is plain TypeScript: its model runs here, exactly as the RTL will compute.
import { describe, expect, test } from 'vitest';
import limits, { Reason } from '../src/design.ts';

describe('limits model', () => {
  test('accepts an order within the limits and numbers the verdicts', () => {
    const m = limits.model();
    expect(m.step({ qty: 100, price: 1_000_000 }, 0)).toEqual({ accepted: true, reason: Reason.Accept, notional: 100_000_000n, seq: 0 });
    expect(m.step({ qty: 100, price: 1_000_000 }, 1)!.seq).toBe(1);
  });

  test('maxQty is accepted, maxQty + 1 is not', () => {
    const m = limits.model();
    expect(m.step({ qty: 10_000, price: 1 }, 0)!.reason).toBe(Reason.Accept);
    expect(m.step({ qty: 10_001, price: 1 }, 1)!.reason).toBe(Reason.MaxQty);
  });

  test('the notional limit is exact: qty x price == maxNotional passes, one unit more does not', () => {
    const m = limits.model();
    expect(m.step({ qty: 1_000, price: 1_000_000 }, 0)!.reason).toBe(Reason.Accept);
    expect(m.step({ qty: 1_000, price: 1_000_001 }, 1)!.reason).toBe(Reason.MaxNotional);
  });

  test('a host write of a param takes effect', () => {
    const m = limits.model();
    m.setParam('enabled', false);
    expect(m.step({ qty: 1, price: 1 }, 0)!.reason).toBe(Reason.Disabled);
  });
});
