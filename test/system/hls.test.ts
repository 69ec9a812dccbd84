// The HLS top of a system (hls/system.ts): emitted deterministically with DATAFLOW and a stream depth per channel,
// compiled by g++ under -Werror, and C-simulated against the composed model (sim/hls-system.ts) on thousands of
// synthetic inputs: the small system (risk gate -> skid -> route -> slice -> OUCH encoder), a burst (up to three records
// per input into one that takes one per call), and a unit reading `now` behind that burst. Units with several inputs:
// quoting (inventory: its channel and fills from outside) and contend (a two-input unit stamping `now` behind bursts
// while pokes arrive), compared on every channel with the model told the schedule the C-sim ran. One-operator edits in
// a unit's kernel (and in an arbiter) inside the bundle fail the comparison; a channel whose two records differ in
// name only is copied; `tickforge build` writes and checks <out>/hls/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compileSystem } from '../../codegen/system.ts';
import { emitHls } from '../../hls/emit.ts';
import { buildSystemHls, emitSystemHls, streamDepth } from '../../hls/system.ts';
import { fifo, skid, slice, wire } from '../../dsl/system.ts';
import { packInto } from '../../dsl/record.ts';
import { type PacketSpec, wireRecords } from '../../dsl/packet.ts';
import { wireOutput } from '../../codegen/ir.ts';
import { buildSystemCsim, csimSchedule, csimSystem, runSystemCsim, scheduleTiming, systemCsimVectors, systemStimulus } from '../../sim/hls-system.ts';
import { loadSystem } from '../../sim/system.ts';
import { stimulusRecords } from '../../sim/cosim.ts';
import { buildSystem } from '../../cli/system.ts';

const D = 'test/system/designs';
const SMALL = `${D}/small.ts`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-syshls-'));
// A fresh cache: every build in this file runs g++ (-Werror) for real.
const cacheDir = path.join(tmp, 'cache');
const N = 3000;

describe('system HLS top', () => {
  test('emitted deterministically: DATAFLOW, ap_ctrl_none, one static stream per channel with its depth, units called in stage order', () => {
    const a = emitSystemHls(compileSystem(SMALL, { timing: { enforce: false } }));
    const sys = compileSystem(SMALL, { timing: { enforce: false } });
    const b = emitSystemHls(sys);
    expect([...b.files.keys()].sort()).toEqual(['ouch_encoder.cpp', 'ouch_encoder.h', 'risk_gate.cpp', 'risk_gate.h', 'route.cpp', 'route.h', 'small_.cpp', 'small_.h']);
    for (const [f, text] of a.files) expect(b.files.get(f)).toBe(text);
    // Each unit's kernel is emitHls's, unchanged.
    for (const u of sys.units) for (const [f, text] of emitHls(u).files) expect(b.files.get(f)).toBe(text);
    const cpp = b.files.get('small_.cpp')!;
    expect(cpp).not.toMatch(/20\d\d-\d\d-\d\d/); // no timestamps
    expect(cpp).toContain('#pragma HLS DATAFLOW');
    expect(cpp).toContain('#pragma HLS INTERFACE mode=ap_ctrl_none port=return');
    expect(cpp).toContain('static hls::stream<Decision> risk_gate_to_route("risk_gate_to_route");');
    expect(cpp).toContain('#pragma HLS STREAM variable=risk_gate_to_route depth=2');
    expect(cpp).toContain('static hls::stream<Action> route_to_ouch_encoder("route_to_ouch_encoder");');
    expect(cpp).toContain('#pragma HLS STREAM variable=route_to_ouch_encoder depth=2');
    expect(cpp).toContain('#pragma HLS INTERFACE mode=s_axilite port=risk_gate_maxQty bundle=control');
    expect(cpp).toContain('#pragma HLS INTERFACE mode=s_axilite port=route_nextRef_status bundle=control');
    const calls = ['  risk_gate(s_axis, risk_gate_to_route, now, risk_gate_killSwitch,', '  route(risk_gate_to_route, route_to_ouch_encoder, now, route_commit,', '  ouch_encoder(route_to_ouch_encoder, m_axis, now, ouch_encoder_commit,'].map((c) => cpp.indexOf(c));
    expect(calls.every((x) => x > 0)).toBe(true);
    expect([...calls].sort((x, y) => x - y)).toEqual(calls);
    // A FIFO keeps its depth; wire, slice and skid become 2-deep streams.
    expect([wire(), slice(), skid(), fifo(64)].map(streamDepth)).toEqual([2, 2, 2, 64]);
    const deep = emitSystemHls({ ...sys, links: sys.links.map((l, k) => (k === 0 ? { ...l, channel: fifo(16) } : l)) }).files.get('small_.cpp')!;
    expect(deep).toMatch(/\/\/ risk_gate_to_route: risk_gate -> route, fifo\(16\)\n.*\n#ifdef __SYNTHESIS__\n#pragma HLS STREAM variable=risk_gate_to_route depth=16\n/);
  });

  test(`small system: builds under g++ -Werror, C-sim output = composed model on ${N} synthetic inputs`, async () => {
    const r = await csimSystem({ file: SMALL, input: `synthetic:${N}`, out: path.join(tmp, 'small'), cacheDir });
    expect(r.build.cached).toBe(false);
    expect(r.inputs).toBe(N);
    expect(r.mismatches).toBe(0);
    expect(r.first).toBeNull();
    // 7 beats per OUCH order; the gate rejected some decisions, route passed the accepted ones.
    expect(r.outputs.hls).toBe(r.outputs.model);
    expect(r.compared).toBe(r.outputs.model);
    expect(r.compared).toBeGreaterThan(1000);
    expect(r.compared % 7).toBe(0);
    expect(r.channels[0].records).toBeGreaterThan(r.channels[1].records);
    expect(r.status).toEqual([expect.objectContaining({ name: 'route.nextRef', match: true })]);
    expect(r.buildHash.match).toBe(true);
    console.log(`small: ${r.inputs} inputs, channels ${r.channels.map((c) => `${c.name} ${c.records}`).join(', ')}, ${r.compared} output beats compared, ${r.mismatches} mismatches`);
  }, 120_000);

  test(`burst (up to 3 records per input into one taking 1 per call): C-sim = model on ${N} inputs`, async () => {
    const r = await csimSystem({ file: `${D}/burst.ts`, input: `synthetic:${N}`, out: path.join(tmp, 'burst'), cacheDir });
    expect(r.mismatches).toBe(0);
    expect(r.outputs).toEqual({ model: r.compared, hls: r.compared });
    expect(r.compared).toBeGreaterThan(N); // more records than inputs: the channel carried bursts
    expect(r.status).toEqual([expect.objectContaining({ name: 'tally.cancels', match: true })]);
    console.log(`burst: ${r.inputs} inputs, ${r.compared} records compared, ${r.mismatches} mismatches`);
  }, 120_000);

  test('a unit reading `now` behind the burst: C-sim = model told the C-sim schedule, and != the model told the input cycles', async () => {
    const file = `${D}/stamped.ts`;
    const sys = compileSystem(file, { timing: { enforce: false } });
    const { system, design } = await loadSystem(file);
    const records = stimulusRecords(design, sys.units[0].input, `synthetic:${N}`, 1);
    const v = systemCsimVectors(system, sys, records);
    const b = await buildSystemCsim(sys, { cacheDir });
    const r = await runSystemCsim(b, v.inputs, path.join(tmp, 'stamped'));
    expect(r.outputs.length).toBe(v.expected.length);
    expect(v.outputs).toBeGreaterThan(N);
    expect(Buffer.from(r.outputs).equals(Buffer.from(v.expected))).toBe(true);
    // The same model told every unit its system input's cycle (the default timing) disagrees: the stamps depend on
    // the queueing in the channel, so this comparison checks the schedule, not only the values.
    const m = system.model();
    const wire = wireOutput(sys.units[1]);
    const naive = new Uint8Array(v.expected.length);
    let j = 0;
    for (let i = 0; i < records.length; i++) for (const w of wireRecords(sys.units[1].output, null as PacketSpec | null, m.step(records[i], i))) packInto(wire, w, naive, wire.bytes * j++);
    expect(j).toBe(v.outputs);
    expect(Buffer.from(naive).equals(Buffer.from(r.outputs))).toBe(false);
  }, 120_000);

  test('one record under two names on a channel (TF151 allows it): copied between two streams, C-sim = model', async () => {
    const file = `${D}/renamed.ts`;
    const cpp = emitSystemHls(compileSystem(file, { timing: { enforce: false } })).files.get('renamed.cpp')!;
    expect(cpp).toContain('static void requote_to_count_adapt(hls::stream<Action>& src, hls::stream<Quote>& dst) {');
    expect(cpp).toMatch(/ {2}requote_to_count_adapt\(requote_to_count, requote_to_count_dst\);\n(?:#ifndef __SYNTHESIS__\n(?:.*\n)*?#endif\n)? {2}count\(requote_to_count_dst, m_axis, now,/);
    const r = await csimSystem({ file, input: `synthetic:${N}`, out: path.join(tmp, 'renamed'), cacheDir });
    expect(r.mismatches).toBe(0);
    expect(r.compared).toBeGreaterThan(N);
  }, 120_000);

  test('a one-operator edit in one unit kernel inside the bundle (risk_gate qtyBad > -> <) fails the comparison', async () => {
    const sys = compileSystem(SMALL, { timing: { enforce: false } });
    const dir = path.join(tmp, 'edited');
    buildSystemHls(sys, dir);
    const f = path.join(dir, 'risk_gate.cpp');
    const src = fs.readFileSync(f, 'utf8');
    const edited = src.replace('ap_uint<32>(in.qty) > ap_uint<32>(live_maxQty)', 'ap_uint<32>(in.qty) < ap_uint<32>(live_maxQty)');
    expect(edited).not.toBe(src);
    fs.writeFileSync(f, edited);
    const r = await csimSystem({ file: SMALL, input: `synthetic:${N}`, out: path.join(tmp, 'edited-run'), srcDir: dir, cacheDir });
    expect(r.mismatches).toBeGreaterThan(0);
    expect(r.first).not.toBeNull();
  }, 120_000);

  test('tickforge build <system> writes <out>/hls (top, kernels, tb, Makefile, run_hls.tcl, vectors), g++-checked; make csim passes', async () => {
    const out = path.join(tmp, 'build');
    const r = await buildSystem(SMALL, out);
    expect(r.hls).toMatchObject({ top: 'small_', streams: [{ name: 'risk_gate_to_route', depth: 2 }, { name: 'route_to_ouch_encoder', depth: 2 }] });
    const gxx = r.checks.find((c) => c.check === 'g++-syntax')!;
    expect(gxx.skipped).toBeUndefined();
    expect(gxx.command).toContain('-Werror');
    expect(gxx.command).toContain('small_.cpp');
    expect(gxx.command).toContain('risk_gate.cpp');
    for (const f of ['small_.cpp', 'small_.h', 'risk_gate.cpp', 'route.cpp', 'ouch_encoder.cpp', 'tb.cpp', 'Makefile', 'run_hls.tcl', 'include/hls_stream.h', 'vectors/inputs.bin', 'vectors/expected.bin'])
      expect(fs.existsSync(path.join(out, 'hls', f)), f).toBe(true);
    expect(fs.readFileSync(path.join(out, 'hls', 'run_hls.tcl'), 'utf8')).toContain('set_top small_');
    const csim = execFileSync('make', ['-s', 'csim'], { cwd: path.join(out, 'hls'), encoding: 'utf8' });
    expect(csim).toMatch(/csim: compared [1-9]\d* outputs, 0 mismatches/);
  }, 180_000);
  // Units with several inputs: one stream per system input, the unit's kernel between its channel and its outside
  // streams; the model is told the schedule the C-simulation ran (its taps), and the predicted one must be it.
  test(`quoting (inventory: ticks on the channel, fills from outside): C-sim = model on ${N} inputs, every channel and the output`, async () => {
    const sys = compileSystem(`${D}/quoting.ts`, { timing: { enforce: false } });
    const cpp = emitSystemHls(sys).files.get('quoting.cpp')!;
    expect(emitSystemHls(compileSystem(`${D}/quoting.ts`, { timing: { enforce: false } })).files.get('quoting.cpp')).toBe(cpp);
    // The C-sim taps are not synthesized: every line of them is inside #ifndef __SYNTHESIS__.
    expect(cpp.replace(/#ifndef __SYNTHESIS__\n[^]*?#endif\n/g, '')).not.toMatch(/quoting_took|quoting_tap|tf_in_|tf_out_/);
    expect(cpp).toContain('void quoting(hls::stream<Top>& s_axis_mids, hls::stream<Fill>& s_axis_inventory_fill, hls::stream<Quote>& m_axis, ap_uint<48> now,');
    expect(cpp).toContain('  inventory(mids_to_inventory, s_axis_inventory_fill, m_axis, now,');
    expect(cpp).toContain('#pragma HLS INTERFACE mode=axis port=s_axis_inventory_fill');
    const r = await csimSystem({ file: `${D}/quoting.ts`, input: `synthetic:${N}`, out: path.join(tmp, 'quoting'), cacheDir });
    expect(r.mismatches).toBe(0);
    expect(r.schedule.match).toBe(true);
    expect(r.channels).toEqual([expect.objectContaining({ name: 'mids_to_inventory', mismatches: 0 })]);
    expect(r.channels[0].compared).toBe(r.channels[0].records);
    expect(r.channels[0].records).toBeGreaterThan(1000);
    expect(r.compared).toBe(r.outputs.model);
    expect(r.outputs.hls).toBe(r.outputs.model);
    expect(r.compared).toBeGreaterThan(1000);
    // inventory took records from both inputs: every tick the channel carried, and every fill.
    const inv = r.took.find((t) => t.unit === 'inventory')!;
    expect(inv.inputs[0]).toBe(r.channels[0].records);
    expect(inv.inputs[1]).toBeGreaterThan(300);
    expect(r.took[0].inputs[0] + inv.inputs[1]).toBe(N);
    expect(r.status).toEqual([expect.objectContaining({ name: 'inventory.fills', model: String(inv.inputs[1]), match: true })]);
    console.log(`quoting: ${r.inputs} inputs, channel ${r.channels[0].records} records, inventory took ${inv.inputs.join(' + ')}, ${r.compared} outputs compared, ${r.mismatches} mismatches`);
  }, 120_000);

  test('contend (bursts on the channel while pokes arrive; the unit stamps `now`): the arbiter chooses, C-sim = model told its schedule', async () => {
    const file = `${D}/contend.ts`;
    const r = await csimSystem({ file, input: `synthetic:${N}`, out: path.join(tmp, 'contend'), cacheDir });
    expect(r.mismatches).toBe(0);
    expect(r.schedule.match).toBe(true);
    expect(r.channels[0].compared).toBeGreaterThan(N / 2);
    const arb = r.took.find((t) => t.unit === 'arbitrate')!;
    expect(arb.inputs[1]).toBeGreaterThan(N / 4);
    expect(r.status).toEqual([expect.objectContaining({ name: 'arbitrate.pokes', model: String(arb.inputs[1] & 0xffff), match: true })]);
    // The arbiter really chose: some pokes waited behind channel records (taken after the call they arrived), and
    // the model told only the input cycles disagrees with the C-simulation.
    const sys = compileSystem(file, { timing: { enforce: false } });
    const { system, design } = await loadSystem(file);
    const records = systemStimulus(system, design, sys, `synthetic:${N}`, 1);
    const { inCycles } = scheduleTiming(system, records, csimSchedule(system, records));
    const waited = records.filter((v, i) => 'port' in v && v.port === 1 && inCycles[i] > i).length;
    expect(waited).toBeGreaterThan(50);
    const v = systemCsimVectors(system, sys, records);
    const naive = system.model().run(records);
    expect(naive.length).toBe(v.outputs);
    const wire = wireOutput(sys.units[1]);
    const packed = new Uint8Array(naive.length * wire.bytes);
    naive.forEach((o, j) => packInto(wire, o.rec, packed, j * wire.bytes));
    expect(Buffer.from(packed).equals(Buffer.from(v.expected))).toBe(false);
    console.log(`contend: ${r.inputs} inputs, arbitrate took ${arb.inputs.join(' + ')}, ${waited} pokes waited, ${r.compared} outputs compared, ${r.mismatches} mismatches`);
  }, 120_000);

  test('edits inside the bundle: a comparison flipped in inventory (fill side) and a fixed-priority arbiter in arbitrate fail', async () => {
    const edit = (file: string, unit: string, from: string, to: string, name: string) => {
      const dir = path.join(tmp, name);
      buildSystemHls(compileSystem(file, { timing: { enforce: false } }), dir);
      const f = path.join(dir, `${unit}.cpp`);
      const src = fs.readFileSync(f, 'utf8');
      const edited = src.replace(from, to);
      expect(edited).not.toBe(src);
      fs.writeFileSync(f, edited);
      return dir;
    };
    const side = edit(`${D}/quoting.ts`, 'inventory', 'ap_uint<8>(in.fill_side) == ap_uint<8>(66u)', 'ap_uint<8>(in.fill_side) != ap_uint<8>(66u)', 'edited-inventory');
    const a = await csimSystem({ file: `${D}/quoting.ts`, input: `synthetic:${N}`, out: path.join(tmp, 'edited-inventory-run'), srcDir: side, cacheDir });
    expect(a.mismatches).toBeGreaterThan(0);
    expect(a.first).not.toBeNull();
    const fixed = edit(`${D}/contend.ts`, 'arbitrate', 'const int p = (arb_last.to_int() + j) % 2;', 'const int p = j - 1;', 'edited-arbiter');
    const b = await csimSystem({ file: `${D}/contend.ts`, input: `synthetic:${N}`, out: path.join(tmp, 'edited-arbiter-run'), srcDir: fixed, cacheDir });
    expect(b.schedule.match).toBe(false);
    expect(b.schedule.first?.unit).toBe('arbitrate');
    expect(b.mismatches).toBeGreaterThan(0);
    console.log(`edited: inventory ${a.mismatches} mismatches; arbiter ${b.mismatches} (schedule first differs at arbitrate's take ${b.schedule.first?.index})`);
  }, 180_000);
  test('tickforge build of a system with a several-input unit writes <out>/hls (no skip); its make csim passes', async () => {
    const out = path.join(tmp, 'build-quoting');
    const r = await buildSystem(`${D}/quoting.ts`, out, { check: false });
    expect(r.hlsSkipped).toBeUndefined();
    expect(r.hls).toMatchObject({ top: 'quoting', streams: [{ name: 'mids_to_inventory', depth: 2 }] });
    const csim = execFileSync('make', ['-s', 'csim'], { cwd: path.join(out, 'hls'), encoding: 'utf8' });
    expect(csim).toMatch(/csim: compared [1-9]\d* outputs, 0 mismatches/);
  }, 120_000);
});
