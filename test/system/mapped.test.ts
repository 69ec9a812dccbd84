// A system holding host-written memories (paramMem): symmap (locate -> slot map, per-slot limit, bias) -> slice ->
// routedcount, co-simulated three-way (composed model, Verilated top, each unit's HLS kernel, and the HLS top's
// DATAFLOW C-simulation) with non-default memory contents given by `--params` as `<unit>.<memory>`. The count of
// accepted quotes is recomputed from the params file alone, and the defaults (every limit 0) accept none of them,
// so an executor ignoring the file would differ.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cosimSystem } from '../../sim/system.ts';
import { readParamsFile, systemInitialParams } from '../../sim/params.ts';
import { compileSystem } from '../../codegen/system.ts';
import { loadSystem } from '../../sim/design.ts';
import { systemStimulus } from '../../sim/hls-system.ts';

const FILE = 'test/system/designs/mapped.ts';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-sysmem-'));
const unitValues = readParamsFile('test/docs/examples/symmap.params.json') as { enabled: boolean; slots: number[]; limits: number[]; bias: number[] };
const values = Object.fromEntries(Object.entries(unitValues).map(([k, v]) => [`symmap.${k}`, v]));

describe('a system with paramMem units', () => {
  test('cosim --params <unit>.<memory>: every channel, the edge, each kernel and the HLS top 0 mismatches; the counts are the file\'s', async () => {
    const file = path.join(tmp, 'params.json');
    fs.writeFileSync(file, JSON.stringify(values));
    const r = await cosimSystem({ file: FILE, input: 'synthetic:3000', seed: 5, out: path.join(tmp, 'cosim'), hlsTop: true, params: readParamsFile(file) });
    expect(r.mismatches).toBe(0);
    expect(r.firstDivergence).toBeNull();
    expect(r.links.map((l) => [l.name, l.compared, l.entered.rtl])).toEqual([['symmap_to_routedcount', 3000, 3000]]);
    expect(r.compared).toBe(3000);
    expect(r.hls.map((h) => [h.unit, h.compared, h.mismatches])).toEqual([['symmap', 3000, 0], ['routedcount', 3000, 0]]);
    expect(r.hlsTop!.mismatches).toBe(0);
    expect(r.hlsTop!.channels[0].compared).toBe(3000);
    // The reference: the accepted quotes, from the params file and the stimulus alone.
    const sys = compileSystem(FILE);
    const { system, design } = await loadSystem(FILE);
    const recs = systemStimulus(system, design, sys, 'synthetic:3000', 5) as Array<{ locate: number; price: number }>;
    const ok = recs.filter((q) => q.price <= unitValues.limits[unitValues.slots[q.locate & 1023]]).length;
    expect(ok).toBeGreaterThan(500); // the default limits (0) accept none of these prices
    // The channel's records (the model's, equal to the RTL's and both HLS runs' above).
    const routed = r.tap('symmap_to_routedcount') as Array<{ slot: number; ok: boolean }>;
    expect(routed.filter((x) => x.ok).length).toBe(ok);
    expect(routed.map((x) => x.slot)).toEqual(recs.map((q) => unitValues.slots[q.locate & 1023]));
  }, 600_000);

  test('system params are <unit>.<param>, checked against the unit before anything runs', () => {
    const units = compileSystem(FILE).units;
    expect(() => systemInitialParams(units, { slots: [] })).toThrow('named <unit>.<param>, with a unit of symmap, routedcount');
    expect(() => systemInitialParams(units, { 'nope.slots': [] })).toThrow('named <unit>.<param>');
    expect(() => systemInitialParams(units, { 'symmap.slots': [1, 2] })).toThrow('paramMem of 1024 entries');
    const p = systemInitialParams(units, { 'symmap.bias': [1, 2, 3, 4, 5, 6, 7, -8] });
    expect(p[0].codes['bias[7]']).toBe(-8n);
    expect(p[1].codes).toEqual({});
  });
});
