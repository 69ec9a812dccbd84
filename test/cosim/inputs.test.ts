// A unit with several inputs (docs/semantics.md §10 "Several inputs"): each input its own AXI-Stream driven with
// random stalls, the RTL's arbiter deciding the order; the model and the HLS kernel run in the order the RTL took
// the records, and agree with it. An edit that makes the arbiter mislabel records is caught. cocotb on the same unit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cosim } from '../../sim/cosim.ts';
import { cocotbTest } from '../../sim/cocotb/index.ts';

const FILE = 'test/docs/examples/inventory.ts';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-inputs-'));

describe('several inputs', () => {
  let rtlDir = '';
  test('ticks and fills on two streams: 0 mismatches three-way, records taken out of stimulus order, status equal', async () => {
    const r = await cosim({ file: FILE, input: 'synthetic:4000', seed: 5, out: path.join(tmp, 'ok'), readyProb: 0.7 });
    rtlDir = r.rtl!.dir;
    expect(r.mismatches).toBe(0);
    expect(r.executors.rtl!.compared).toBe(r.executors.model!.outputs);
    expect(r.executors.hls!.compared).toBe(r.executors.model!.outputs);
    expect(r.executors.model!.outputs).toBeGreaterThan(3000);
    // Both inputs carried records, and the arbiter interleaved them (the model's order is the RTL's, not the stimulus's).
    expect(r.arbitration!.perInput.tick + r.arbitration!.perInput.fill).toBe(4000);
    expect(r.arbitration!.perInput.fill).toBeGreaterThan(500);
    expect(r.arbitration!.reordered).toBeGreaterThan(1000);
    expect(r.status).toEqual([{ name: 'fills', model: String(r.arbitration!.perInput.fill), rtl: String(r.arbitration!.perInput.fill), hls: String(r.arbitration!.perInput.fill), match: true }]);
  });

  test('an arbiter that labels every record as a fill is caught', async () => {
    const bad = path.join(tmp, 'bad-rtl');
    fs.cpSync(rtlDir, bad, { recursive: true });
    const f = path.join(bad, 'inventory.v');
    const text = fs.readFileSync(f, 'utf8');
    const edited = text.replace("wire [0:0] arb_port = arb_fill ? 1'd1 : 1'd0;", "wire [0:0] arb_port = arb_fill ? 1'd1 : 1'd1;");
    expect(edited).not.toBe(text);
    fs.writeFileSync(f, edited);
    const r = await cosim({ file: FILE, input: 'synthetic:1000', seed: 5, out: path.join(tmp, 'bad'), rtlDir: bad, backends: ['model', 'rtl'] });
    expect(r.mismatches).toBeGreaterThan(0);
    expect(r.status[0]).toMatchObject({ name: 'fills', rtl: '1000', match: false });
  });

  test('cocotb: stream (II = 1 over both inputs), params and reset tests pass', async () => {
    const r = await cocotbTest({ file: FILE, out: path.join(tmp, 'cocotb'), records: 1500 });
    expect(r.tests.map((t) => [t.name, t.status])).toEqual([
      ['test_stream', 'passed'],
      ['test_params', 'passed'],
      ['test_reset', 'passed'],
    ]);
  });
});
