// `tickforge test` (cocotb) on a system: every unit checked against its own model on the records its channel
// delivered, under stalls, back-pressure and resets mid-traffic; an edited unit is named with its channel.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cocotbTest } from '../../sim/cocotb/index.ts';

const SMALL = 'test/system/designs/small.ts';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-syscocotb-'));

describe('cocotb on a system', () => {
  test('risk gate -> skid -> route -> slice -> encoder: stream and reset tests pass, every channel compared', async () => {
    const r = await cocotbTest({ file: SMALL, out: path.join(tmp, 'ok'), records: 1500 });
    expect(r.tests.map((t) => [t.name, t.status])).toEqual([
      ['test_stream', 'passed'],
      ['test_reset', 'passed'],
    ]);
    const log = fs.readFileSync(path.join(tmp, 'ok', 'sim_test_stream.log'), 'utf8');
    const m = /records compared per channel: risk_gate_to_route (\d+), route_to_ouch_encoder (\d+)/.exec(log);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(500);
    expect(Number(m![2])).toBeGreaterThan(20);
    expect(fs.readFileSync(path.join(tmp, 'ok', 'sim_test_reset.log'), 'utf8')).toMatch(/reset: 2 resets, [1-9]\d* records in flight discarded/);
  });

  test('a one-operator edit inside the risk gate fails the bench, naming the unit and the channel', async () => {
    const bad = path.join(tmp, 'bad-rtl');
    fs.cpSync(path.join(tmp, 'ok', 'rtl'), bad, { recursive: true });
    const f = path.join(bad, 'risk_gate.v');
    const text = fs.readFileSync(f, 'utf8');
    const edited = text.replace('wire qtyBad = in_qty > s0_p_maxQty;', 'wire qtyBad = in_qty < s0_p_maxQty;');
    expect(edited).not.toBe(text);
    fs.writeFileSync(f, edited);
    const r = await cocotbTest({ file: SMALL, out: path.join(tmp, 'bad'), records: 1500, rtlDir: bad, filter: 'test_stream' });
    expect(r.failed).toBe(1);
    expect(r.tests[0].message).toContain("channel risk_gate_to_route: unit risk_gate's output for its input");
  });

  test('a unit emitting up to three records per input (requote -> skid -> tally): stream and reset tests pass', async () => {
    const r = await cocotbTest({ file: 'test/system/designs/burst.ts', out: path.join(tmp, 'burst'), records: 1000 });
    expect(r.tests.map((t) => [t.name, t.status])).toEqual([
      ['test_stream', 'passed'],
      ['test_reset', 'passed'],
    ]);
    const log = fs.readFileSync(path.join(tmp, 'burst', 'sim_test_stream.log'), 'utf8');
    const m = /records compared per channel: requote_to_tally (\d+)/.exec(log);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(1000); // more records than inputs on the channel
  });
});
