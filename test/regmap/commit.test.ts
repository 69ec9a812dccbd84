// COMMIT in the HLS kernel (C-simulation) and the model: a multi-register limit update staged in the shadow
// registers over several records takes effect at one record, the COMMIT's, in both; a model applying the same
// update half at a time disagrees with the kernel, so the comparison can see half an update.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { wireOutput } from '../../codegen/ir.ts';
import { type PacketSpec, wireRecords } from '../../dsl/packet.ts';
import { packInto } from '../../dsl/record.ts';
import { cosim, loadDesign, stimulusRecords } from '../../sim/cosim.ts';
import { buildRtl } from '../../rtl/index.ts';
import { buildCsim, runCsim } from '../../sim/hls.ts';

const GATE = 'examples/risk-gate/gate.ts';
const N = 3000;
const UPDATE = { maxQty: 500n, maxNotional: 1_000_000_000n }; // both words of maxNotional change

describe('COMMIT: RTL, HLS C-simulation and the model', () => {
  test('a limit update staged over records 1000..1200 and committed at 1500 takes effect at record 1500 in both', async () => {
    const ir = compile(GATE);
    const design = await loadDesign(GATE);
    const records = stimulusRecords(design, ir.input, `synthetic:${N}`, 3);
    const inputs = new Uint8Array(N * ir.input.bytes);
    const now = new BigUint64Array(N);
    records.forEach((r, i) => {
      packInto(ir.input, r, inputs, i * ir.input.bytes);
      now[i] = BigInt(3 * i);
    });
    const wire = wireOutput(ir);
    const run = (apply: (m: ReturnType<typeof design.unit.model>, i: number) => void): Uint8Array => {
      const m = design.unit.model();
      const out: number[] = [];
      const rec = new Uint8Array(wire.bytes);
      records.forEach((r, i) => {
        apply(m, i);
        const o = m.step(r as never, 3 * i);
        if (o === undefined) return;
        for (const w of wireRecords(ir.output, ir.packet as PacketSpec | null, o as Record<string, unknown>)) {
          packInto(wire, w, rec, 0);
          out.push(...rec);
        }
      });
      return Uint8Array.from(out);
    };
    const atomic = run((m, i) => {
      if (i === 1500) m.commit({ maxQty: Number(UPDATE.maxQty), maxNotional: UPDATE.maxNotional });
    });
    const half = run((m, i) => {
      if (i === 1000) m.setParam('maxQty', Number(UPDATE.maxQty));
      if (i === 1500) m.setParam('maxNotional', UPDATE.maxNotional);
    });
    const none = run(() => {});
    expect(Buffer.from(atomic).equals(Buffer.from(half))).toBe(false); // the stimulus can tell them apart
    expect(Buffer.from(atomic).equals(Buffer.from(none))).toBe(false); // and the update matters

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-commit-'));
    const b = buildCsim(ir, { cacheDir: path.join(dir, 'cache') });
    const r = runCsim(b, ir, inputs, now, {}, path.join(dir, 'work'), [
      { at: 1000, name: 'maxQty', value: UPDATE.maxQty },
      { at: 1200, name: 'maxNotional', value: UPDATE.maxNotional },
      { at: 1500, name: 'commit' },
    ]);
    expect(r.outputs.length).toBe(atomic.length);
    expect(Buffer.from(r.outputs).equals(Buffer.from(atomic))).toBe(true);
  }, 180_000);

  test('cosim: updates written while records flow take effect at the COMMIT edge in RTL, HLS and model; RTL whose params go live before COMMIT is caught', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-commit-cosim-'));
    const updates = [
      { at: 2000, values: { maxQty: 500n, maxNotional: 1_000_000_000n, bandBps: 50n, maxExposure: 2000n } },
      { at: 5000, values: { maxQty: 50_000n, maxNotional: 100_000_000_000n, bandBps: 500n, maxExposure: 20_000n } },
    ];
    const r = await cosim({ file: GATE, input: 'synthetic:8000', seed: 3, out: path.join(dir, 'ok'), updates });
    expect(r.executors.rtl!.mismatches).toBe(0);
    expect(r.executors.hls!.mismatches).toBe(0);
    expect(r.compared).toBeGreaterThan(7000);
    expect(r.commits.length).toBe(2);
    for (const [k, c] of r.commits.entries()) {
      expect(c.cycle).not.toBeNull();
      expect(c.firstInput!).toBeGreaterThan(updates[k].at); // records flowed while the shadows were written
    }
    // The same run on RTL whose params take their shadow values as they are written (no COMMIT) mismatches.
    const ir = compile(GATE);
    const bad = path.join(dir, 'bad-rtl');
    buildRtl(ir, bad);
    const regs = path.join(bad, 'risk_gate_regs.v');
    const text = fs.readFileSync(regs, 'utf8');
    expect(text).toContain('    end else if (commit) begin');
    fs.writeFileSync(regs, text.replace('    end else if (commit) begin', '    end else begin'));
    const b = await cosim({ file: GATE, input: 'synthetic:8000', seed: 3, out: path.join(dir, 'bad'), backends: ['model', 'rtl'], rtlDir: bad, updates });
    expect(b.executors.rtl!.mismatches).toBeGreaterThan(0);
  }, 300_000);
});
