// `tickforge test` (cocotb) on the market-maker system: random stalls on the ITCH side, bursts of back-pressure on the
// OUCH side, and resets mid-traffic; every channel compared against the composed model. Slow for its size: the
// order store's 2^20-entry table is swept for 262,144 cycles after each reset (four resets in all). The bench sleeps
// through the sweeps (docs/cocotb.md, Speed); the Verilated system itself takes about 50 us a cycle on this machine,
// and its Verilator build is most of the rest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cocotbTest } from '../../sim/cocotb/index.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-mm-cocotb-'));

describe('cocotb on the market maker', () => {
  test('stream and reset-mid-traffic tests pass; orders reach the OUCH encoder', async () => {
    const r = await cocotbTest({ file: 'examples/market-maker/system.ts', out: tmp, records: 1500 });
    expect(r.tests.map((t) => [t.name, t.status])).toEqual([
      ['test_stream', 'passed'],
      ['test_reset', 'passed'],
    ]);
    const log = fs.readFileSync(path.join(tmp, 'sim_test_stream.log'), 'utf8');
    const m = /records compared per channel: itch_feed_to_orders (\d+), orders_to_levels (\d+), levels_to_refill (\d+), refill_to_book (\d+), book_to_quoter (\d+), quoter_to_risk_gate (\d+), risk_gate_to_oms (\d+), oms_to_ouch_encoder (\d+)/.exec(log);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(100); // ITCH messages
    expect(Number(m![4])).toBe(Number(m![2])); // every level change through the level store to the ladder
    expect(Number(m![8])).toBeGreaterThan(5); // OUCH actions
    expect(fs.readFileSync(path.join(tmp, 'sim_test_reset.log'), 'utf8')).toMatch(/reset: 2 resets, \d+ records in flight discarded/);
  }, 900_000);
});
