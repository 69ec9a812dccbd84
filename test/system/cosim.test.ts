// System co-simulation with Verilator: every channel compared (model vs RTL) under random stalls, a one-operator
// edit inside one unit of the generated top named by unit and channel, and `cosim --tap --jsonl` on the pipeline
// example (ITCH feed -> signal -> FIFO -> risk gate -> route -> OUCH encoder).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cosimSystem } from '../../sim/system.ts';

const SMALL = 'test/system/designs/small.ts';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-syscosim-'));

describe('system cosim', () => {
  let rtlDir = '';
  test('risk gate -> skid -> route -> slice -> encoder: every channel 0 mismatches under back-pressure, latency reported', async () => {
    const r = await cosimSystem({ file: SMALL, input: 'synthetic:4000', seed: 2, out: path.join(tmp, 'ok'), readyProb: 0.5 });
    rtlDir = r.rtl.dir;
    expect(r.mismatches).toBe(0);
    expect(r.firstDivergence).toBeNull();
    expect(r.links.map((l) => [l.name, l.channel])).toEqual([
      ['risk_gate_to_route', 'skid'],
      ['route_to_ouch_encoder', 'slice'],
    ]);
    for (const l of r.links) {
      expect(l.compared).toBeGreaterThan(100);
      expect(l.entered.model).toBe(l.entered.rtl);
      expect(l.delivered).toBe(l.entered.rtl);
    }
    // Every gate decision reaches route; only accepted ones become encoder actions; each action is 7 beats out.
    expect(r.links[0].compared).toBe(r.links[0].entered.rtl);
    expect(r.outputs.rtl).toBe(r.outputs.model);
    expect(r.compared).toBe(7 * r.links[1].compared);
    // The encoder's 7-beat packets at half rate back-pressure the chain, so the input stalls.
    expect(r.inputStallCycles).toBeGreaterThan(1024);
    // Three-way: each unit's HLS kernel, C-simulated on the records its channel delivered, against the model.
    expect(r.hls.map((h) => [h.unit, h.channel])).toEqual([
      ['risk_gate', 'risk_gate_to_route'],
      ['route', 'route_to_ouch_encoder'],
      ['ouch_encoder', 'output'],
    ]);
    for (const h of r.hls) {
      expect(h.mismatches).toBe(0);
      expect(h.compared).toBe(h.outputs.model);
      expect(h.outputs.hls).toBe(h.outputs.model);
    }
    expect(r.hls[2].compared).toBe(r.compared);
    const lat = r.latency!;
    expect(lat.samples).toBe(r.links[1].compared);
    expect(lat.cycles.min).toBeGreaterThanOrEqual(r.pipelineLatencyCycles);
    expect(lat.cycles.min).toBeLessThanOrEqual(lat.cycles.p50);
    expect(lat.cycles.p50).toBeLessThanOrEqual(lat.cycles.p99);
    expect(lat.cycles.p99).toBeLessThanOrEqual(lat.cycles.max);
    expect(lat.histogram.reduce((a, b) => a + b.count, 0)).toBe(lat.samples);
    expect(lat.ns.p50).toBeCloseTo((lat.cycles.p50 * 1000) / lat.clockMHz, 1);
    const onDisk = JSON.parse(fs.readFileSync(path.join(tmp, 'ok', 'cosim.json'), 'utf8'));
    expect(onDisk.links[0].compared).toBe(r.links[0].compared);
    // report.html: the verdict, a row per channel, the latency histogram.
    const html = fs.readFileSync(path.join(tmp, 'ok', 'report.html'), 'utf8');
    expect(html).toContain('id="verdict">no mismatches<');
    expect(html).toContain('<td>risk_gate_to_route</td>');
    expect(html).toMatch(/<svg[^>]*>/);
  });

  test('a one-operator edit inside the risk gate of the generated top is named by unit and channel', async () => {
    const bad = path.join(tmp, 'bad-rtl');
    fs.cpSync(rtlDir, bad, { recursive: true });
    const f = path.join(bad, 'risk_gate.v');
    const text = fs.readFileSync(f, 'utf8');
    const edited = text.replace('wire qtyBad = in_qty > s0_p_maxQty;', 'wire qtyBad = in_qty < s0_p_maxQty;');
    expect(edited).not.toBe(text);
    fs.writeFileSync(f, edited);
    const r = await cosimSystem({ file: SMALL, input: 'synthetic:4000', seed: 2, out: path.join(tmp, 'bad'), rtlDir: bad, hls: false });
    expect(r.mismatches).toBeGreaterThan(0);
    expect(r.firstDivergence).toMatchObject({ channel: 'risk_gate_to_route', unit: 'risk_gate', executor: 'rtl' });
    expect(r.links[0].mismatches).toBeGreaterThan(0);
  });

  test('the pipeline example: cosim --tap <channel> --jsonl prints the channel\'s records with their field names', () => {
    const out = path.join(tmp, 'pipeline');
    const stdout = execFileSync('npx', ['tickforge', 'cosim', 'examples/pipeline/system.ts', '--input', 'synthetic:3000', '--out', out, '--tap', 'signal_to_risk_gate', '--jsonl'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    const report = JSON.parse(fs.readFileSync(path.join(out, 'cosim.json'), 'utf8'));
    expect(report.mismatches).toBe(0);
    const ch = report.links.find((l: { name: string }) => l.name === 'signal_to_risk_gate');
    expect(lines.length).toBe(ch.delivered);
    expect(lines.length).toBeGreaterThan(100);
    expect(Object.keys(lines[0])).toEqual(['kind', 'locate', 'side', 'qty', 'price']);
    for (const l of report.links) expect(l.compared).toBeGreaterThan(0);
    expect(report.outputs.rtl).toBeGreaterThan(0);
  });
});

describe('a strobe producer into a FIFO that overflows', () => {
  test('records are dropped and counted in DROPS; the model drops the same ones; every channel still 0 mismatches', async () => {
    const r = await cosimSystem({ file: 'test/system/designs/drops.ts', input: 'synthetic:3000', seed: 3, out: path.join(tmp, 'drops'), validProb: 1, readyProb: 0.5 });
    const fifoLink = r.links[0];
    expect(fifoLink).toMatchObject({ name: 'signal_to_risk_gate', channel: 'fifo(2)' });
    expect(fifoLink.dropped).toBeGreaterThan(100);
    expect(fifoLink.delivered).toBe(fifoLink.entered.rtl - fifoLink.dropped);
    expect(r.drops).toEqual([{ link: 'signal_to_risk_gate', register: fifoLink.dropped, tapped: fifoLink.dropped, match: true }]);
    expect(r.mismatches).toBe(0);
    for (const l of r.links) expect(l.compared).toBeGreaterThan(50);
    for (const h of r.hls) expect(h.mismatches).toBe(0);
  });
});

describe('a unit emitting several records per input', () => {
  test('requote (up to 3 actions per tick) -> skid -> tally: the channel carries more records than inputs, 0 mismatches three-way under back-pressure', async () => {
    const n = 3000;
    const r = await cosimSystem({ file: 'test/system/designs/burst.ts', input: `synthetic:${n}`, seed: 4, out: path.join(tmp, 'burst'), readyProb: 0.6 });
    expect(r.mismatches).toBe(0);
    const link = r.links[0];
    expect(link).toMatchObject({ name: 'requote_to_tally', channel: 'skid' });
    // More records than inputs on the channel: some inputs made two or three (and some none).
    expect(link.compared).toBeGreaterThan(n);
    expect(link.entered.model).toBe(link.entered.rtl);
    expect(r.outputs.rtl).toBe(link.compared);
    expect(r.hls.map((h) => [h.unit, h.mismatches])).toEqual([['requote', 0], ['tally', 0]]);
    expect(r.hls[0].compared).toBe(link.compared);
    // tally's status register (Cancel actions: two per halt that had quotes) equals the model's in RTL and HLS.
    expect(r.status).toHaveLength(1);
    expect(r.status[0]).toMatchObject({ unit: 'tally', name: 'cancels', match: true });
    expect(Number(r.status[0].model)).toBeGreaterThan(20);
  });
});

describe('a unit with two inputs in a system', () => {
  test('quotes -> mids -> skid -> inventory, fills straight into inventory: 0 mismatches three-way, both inputs used; the HLS top too', async () => {
    const r = await cosimSystem({ file: 'test/system/designs/quoting.ts', input: 'synthetic:3000', seed: 6, out: path.join(tmp, 'quoting'), readyProb: 0.7, hlsTop: true });
    expect(r.mismatches).toBe(0);
    expect(r.links.map((l) => [l.name, l.mismatches])).toEqual([['mids_to_inventory', 0]]);
    expect(r.links[0].compared).toBeGreaterThan(1500);
    expect(r.outputs.rtl).toBe(r.outputs.model);
    expect(r.compared).toBeGreaterThan(r.links[0].compared); // fills add outputs of their own
    // inventory's kernel ran on everything it took: the channel's ticks and the fills from outside, in the RTL's order.
    expect(r.hls.map((h) => [h.unit, h.mismatches])).toEqual([['mids', 0], ['inventory', 0]]);
    expect(r.hls[1].inputs).toBeGreaterThan(r.links[0].delivered + 300);
    expect(r.status).toEqual([expect.objectContaining({ unit: 'inventory', name: 'fills', match: true })]);
    expect(Number(r.status[0].model)).toBe(r.hls[1].inputs - r.links[0].delivered);
    // --hls-top: the DATAFLOW top as one more executor, every channel and the output compared with the model told the
    // schedule the C-simulation ran; the several-input unit took records from both of its inputs.
    const top = r.hlsTop!;
    expect(top.mismatches).toBe(0);
    expect(top.channels.map((c) => [c.name, c.mismatches])).toEqual([['mids_to_inventory', 0]]);
    expect(top.channels[0].compared).toBeGreaterThan(1500);
    expect(top.compared).toBeGreaterThan(2000);
    expect(top.took[1].inputs.every((n) => n > 100)).toBe(true);
    expect(top.status.every((s) => s.match) && top.buildHash.match).toBe(true);
  });
});
