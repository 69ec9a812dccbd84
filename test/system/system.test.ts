// Systems without a simulator: the declaration's checks (each a diagnostic with both locations), the composed
// model's semantics (exactly the units' own models chained), and the generated top (deterministic, lint-clean).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CompileError } from '../../codegen/diagnostics.ts';
import { compileSystem } from '../../codegen/system.ts';
import { isSystemFile } from '../../codegen/frontend/system.ts';
import { emitSystemVerilog } from '../../rtl/system.ts';
import { lintVerilog } from '../../sim/check.ts';
import { loadSystem } from '../../sim/system.ts';
import { stimulusRecords } from '../../sim/cosim.ts';
import { Rng } from '../../dsl/rng.ts';
import { fifo, system } from '../../dsl/system.ts';
import gate from '../../examples/risk-gate/gate.ts';
import { eventOf } from '../../dsl/inputs.ts';

const D = 'test/system/designs';

function diagnostics(file: string) {
  try {
    compileSystem(file, { timing: { enforce: false } });
  } catch (e) {
    if (e instanceof CompileError) return e.diagnostics;
    throw e;
  }
  throw new Error(`${file} compiled`);
}

describe('system declaration checks', () => {
  test('a strobe producer wired to a consumer that can stall is TF152, at the consumer with the producer as a note', () => {
    const [d, ...rest] = diagnostics(`${D}/strobe-wire.ts`);
    expect(rest).toEqual([]);
    expect(d.code).toBe('TF152');
    expect(d.message).toContain("signal has no TREADY (flow 'strobe') and feeds risk_gate through a wire");
    // The consumer's stage element, and the producer's, in the system file.
    expect(d.loc).toMatchObject({ file: `${D}/strobe-wire.ts`, line: 9 });
    expect(d.loc.col).toBe(fs.readFileSync(`${D}/strobe-wire.ts`, 'utf8').split('\n')[8].indexOf('gate]') + 1);
    expect(d.related?.loc).toMatchObject({ file: `${D}/strobe-wire.ts`, line: 9 });
    expect(d.related?.message).toContain('producer signal');
    expect(d.hint).toContain('fifo(N)');
  });

  test('records of different types on one channel are TF151, naming both records', () => {
    const [d] = diagnostics(`${D}/mismatch.ts`);
    expect(d.code).toBe('TF151');
    expect(d.message).toContain('ouch_encoder takes Action');
    expect(d.message).toContain('risk_gate sends Decision');
    expect(d.related?.message).toContain('producer risk_gate');
  });

  test('a unit stage must be the default import of a design file (TF150)', () => {
    const [d] = diagnostics(`${D}/inline.ts`);
    expect(d.code).toBe('TF150');
    expect(d.message).toContain('local is not the default import of a design file');
    expect(d.loc.line).toBe(10);
  });

  test('the runtime declaration refuses what the compiler refuses structurally', () => {
    expect(() => system({ name: 'x', stages: [gate] })).toThrow(/at least two units/);
    expect(() => system({ name: 'x', stages: [gate, fifo(4)] })).toThrow(/the last stage is a channel/);
    expect(() => system({ name: 'x', stages: [gate, gate] })).toThrow(/two stages are unit risk_gate/);
    expect(() => fifo(3)).toThrow(/power of two/);
  });

  test('isSystemFile tells systems from units', () => {
    expect(isSystemFile('examples/pipeline/system.ts')).toBe(true);
    expect(isSystemFile('examples/risk-gate/gate.ts')).toBe(false);
  });
});

describe('the composed model', () => {
  test('is the units\' own models chained: same outputs, same records on every channel, told the same cycles', async () => {
    const { system: sys, design } = await loadSystem(`${D}/small.ts`);
    const recs = stimulusRecords(design, sys.units[0].def.input, 'synthetic:5000', 7);
    const m = sys.model();
    m.enableTaps();
    // Each unit accepts its k-th record at a cycle that depends on the unit and k (as the RTL's taps would say).
    m.timing = { acceptCycle: (u, k) => 3 * k + 11 * u };
    const [g, r, e] = sys.units.map((u) => u.model());
    const counts = [0, 0, 0];
    let outs = 0;
    const decisions: unknown[] = [];
    for (const [i, x] of recs.entries()) {
      const got = m.step(x, i);
      const d = g.step(x as never, 3 * counts[0]++);
      let want: unknown;
      if (d !== undefined) {
        decisions.push(d);
        const a = r.step(d as never, 3 * counts[1]++ + 11);
        if (a !== undefined) want = e.step(a as never, 3 * counts[2]++ + 22);
      }
      expect(got).toEqual(want);
      if (got !== undefined) outs++;
    }
    expect(outs).toBeGreaterThan(50); // accepted orders reach the encoder
    expect(m.tap('risk_gate_to_route').map((t) => t.value)).toEqual(decisions);
    expect(m.tap('route_to_ouch_encoder').length).toBe(outs);
    expect(m.accepted).toEqual(counts);
  });

  test('run() (unit after unit, the whole input at once) equals step() input by input, with the same taps and drops', async () => {
    const { system: sys, design } = await loadSystem(`${D}/small.ts`);
    const recs = stimulusRecords(design, sys.units[0].def.input, 'synthetic:3000', 9);
    const timing = { acceptCycle: (u: number, k: number) => 5 * k + 7 * u, dropped: (l: number, k: number) => l === 1 && k % 5 === 2 };
    const a = sys.model();
    const b = sys.model();
    a.enableTaps();
    b.enableTaps();
    a.timing = timing;
    b.timing = timing;
    const stepped: Array<{ from: number; rec: unknown }> = [];
    recs.forEach((x, i) => {
      const o = a.step(x, i);
      for (const r of o === undefined ? [] : Array.isArray(o) ? o : [o]) stepped.push({ from: i, rec: r });
    });
    expect(b.run(recs)).toEqual(stepped);
    for (const l of sys.links) expect(b.tap(l.name)).toEqual(a.tap(l.name));
    expect(b.drops).toEqual(a.drops);
    expect(b.drops[1]).toBeGreaterThan(10);
  });

  test('a unit with two inputs in a system: its outside input is a system input, ordered against the channel by cycle', async () => {
    const { system: sys } = await loadSystem(`${D}/quoting.ts`);
    expect(sys.externals.map((e) => [e.name, e.unit, e.input])).toEqual([['mids', 0, null], ['inventory_fill', 1, 'fill']]);
    const eventOfSys = (name: string, rec: Record<string, unknown>) => eventOf(sys.merged!, name, rec);
    // Input 0: a quote for symbol 3 (mid 1000); input 1: a buy fill of 64 on symbol 3.
    const inputs = [eventOfSys('mids', { locate: 3, bid: 990, ask: 1010 }), eventOfSys('inventory_fill', { locate: 3, side: 'B', qty: 64 })];
    // Told cycles: the quote reaches inventory at cycle 20, the fill was taken at cycle 5: the fill goes first (no
    // tick yet: no quote), then the tick sees position 64.
    const m = sys.model();
    m.timing = { acceptCycle: () => 20 };
    const early = m.run(inputs, [0, 5]).map((o) => o.rec);
    expect(early).toEqual([{ locate: 3, bid: 989, ask: 1009, position: 64, fromFill: false }]);
    // The fill taken after the tick arrived (cycle 30): the tick is quoted flat, then the fill requotes.
    const m2 = sys.model();
    m2.timing = { acceptCycle: () => 20 };
    const late = m2.run(inputs, [0, 30]).map((o) => o.rec);
    expect(late).toEqual([
      { locate: 3, bid: 990, ask: 1010, position: 0, fromFill: false },
      { locate: 3, bid: 989, ask: 1009, position: 64, fromFill: true },
    ]);
    expect(() => m2.step(inputs[0], 0)).toThrow(/several inputs \(mids, inventory_fill\): run it with run\(\)/);
  });

  test('a record the timing source says was dropped stops at its channel and is counted', async () => {
    const { system: sys, design } = await loadSystem(`${D}/small.ts`);
    const recs = stimulusRecords(design, sys.units[0].def.input, 'synthetic:2000', 7);
    const m = sys.model();
    m.enableTaps();
    m.timing = { dropped: (l, k) => l === 0 && k % 2 === 1 };
    for (const [i, x] of recs.entries()) m.step(x, i);
    const sent = m.tap('risk_gate_to_route');
    expect(m.drops[0]).toBe(Math.floor(sent.length / 2));
    expect(m.accepted[1]).toBe(sent.length - m.drops[0]);
  });
});

describe('the generated top', () => {
  test('is deterministic and lint-clean (verilator --lint-only -Wall)', async () => {
    const s = compileSystem(`${D}/small.ts`, { timing: { enforce: false } });
    const a = emitSystemVerilog(s);
    const b = emitSystemVerilog(compileSystem(`${D}/small.ts`, { timing: { enforce: false } }));
    expect([...a.files.entries()]).toEqual([...b.files.entries()]);
    expect([...a.files.keys()].sort()).toEqual(['ouch_encoder.v', 'ouch_encoder_regs.v', 'risk_gate.v', 'risk_gate_regs.v', 'route.v', 'route_regs.v', 'small_.v', 'small__skid.v', 'small__slice.v']);
    // 'small' is a Verilog keyword: the top is small_, as a unit's module would be.
    const top = a.files.get('small_.v')!;
    // Names traced to units and channels.
    for (const n of ['u_risk_gate', 'u_route', 'u_ouch_encoder', 'risk_gate_to_route_src_tvalid', 'route_to_ouch_encoder_dst_tdata']) expect(top).toContain(n);
    expect(a.map.windows.map((w) => w.base)).toEqual([0x1000, 0x2000, 0x3000]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-system-'));
    for (const [f, t] of a.files) fs.writeFileSync(path.join(dir, f), t);
    const r = await lintVerilog(`${D}/small.ts`, dir, 'small_');
    expect(r.skipped).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
void Rng;
