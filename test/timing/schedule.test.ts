// The timing-driven scheduler (codegen/timing/schedule.ts): stages fit the period, state is read and written in one
// stage, what only depends on the input is pipelined before it, table keys are ready a read latency ahead, a loop
// that cannot close is reported with its DSL lines, and the clock changes the schedule, not the function.
import { describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { delayModel } from '../../codegen/timing/delay.ts';
import { lutArrival } from '../../codegen/timing/schedule.ts';
import { operands } from '../../codegen/ir.ts';

const GATE = 'examples/risk-gate/gate.ts';

describe('scheduling the risk gate at 322.27 MHz', () => {
  const ir = compile(GATE);
  const s = ir.schedule;

  test('every stage fits the period under the model; latency = last stage + 2', () => {
    expect(s.clockMHz).toBe(322.27);
    for (const st of s.stages) expect(st.delayNs, `stage ${st.stage}`).toBeLessThanOrEqual(s.periodNs);
    expect(s.latency).toBe(s.lastStage + 2);
    expect(s.violations).toEqual([]);
  });

  test('credit and position depend on each other: one state stage; lastSeen, halted, refPrice come earlier', () => {
    const at = (e: string) => s.stateStage.get(e)!;
    expect(at('credit')).toBe(at('position'));
    for (const e of ['lastSeen', 'halted', 'refPrice']) expect(at(e)).toBeLessThan(at('credit'));
  });

  test('no node reads a value from a later stage; reads of a register happen in its state stage', () => {
    for (const n of ir.nodes) {
      if (n.op === 'const') continue;
      for (const o of operands(n)) if (ir.nodes[o].op !== 'const') expect(s.stage.get(o)!).toBeLessThanOrEqual(s.stage.get(n.id)!);
      if (n.op === 'reg') expect(s.stage.get(n.id)).toBe(s.stateStage.get(n.name));
    }
  });

  test('table keys are computed a read latency ahead of the state stage', () => {
    for (const [t, m] of s.memories) for (const k of m.readKeys) expect(s.stage.get(k)!, t).toBeLessThanOrEqual(m.stage - m.readLatency);
  });

  test('the 64-bit notional multiply is a pipelined DSP operator', () => {
    expect([...s.multi.values()]).toContain(4);
  });
});

describe('the clock', () => {
  test('a slower clock needs fewer stages; a faster one is refused with the loop that cannot close', () => {
    const slow = compile(GATE, { timing: { clockMHz: 100 } }).schedule;
    expect(slow.lastStage).toBeLessThan(compile(GATE).schedule.lastStage);
    const fast = compile(GATE, { timing: { clockMHz: 600, enforce: false } }).schedule;
    expect(fast.violations.map((v) => v.code)).toContain('TF130');
    expect(() => compile(GATE, { timing: { clockMHz: 600 } })).toThrow(/TF130: the update of credit, table position does not close in one cycle at 600 MHz/);
  });
});

describe('LUT mapping estimate', () => {
  const dm = delayModel();
  const q = dm.clockToQ;
  test('the latest input takes the fastest pin', () => {
    // one late input among five early ones: only the fastest pin's delay after it
    expect(lutArrival([2, q, q, q, q, q], dm, q)).toBeCloseTo(2 + dm.op('lut', 1) + dm.routing, 6);
  });
  test('more than six inputs: Shannon expansion on the latest, never faster than one LUT after them', () => {
    const a = lutArrival([2.5, 2.4, q, q, q, q, q, q, q], dm, q);
    expect(a).toBeGreaterThanOrEqual(2.5 + dm.op('lut', 1) + dm.routing);
    expect(a).toBeLessThan(2.5 + 2 * (dm.op('lut', 6) + dm.routing));
  });
});

describe('operators priced as one LUT level', () => {
  test('a clamp at 0 reads the sign bit; shifts by two live amount bits and shifts of a constant are LUTs', () => {
    const ir = compile('test/timing/designs/cheap-ops.ts');
    const dm = delayModel();
    const cost = (pred: (n: (typeof ir.nodes)[number]) => boolean) => {
      const n = ir.nodes.find(pred);
      expect(n).toBeDefined();
      return dm.node(ir, n!);
    };
    expect(cost((n) => n.op === 'sat').lutInputs).toBe(2); // the bit and the difference's sign
    const isShr = (n: (typeof ir.nodes)[number], constData: boolean) => n.op === 'bin' && n.kind === 'shr' && (ir.nodes[n.a].op === 'const') === constData;
    expect(cost((n) => isShr(n, false)).lutInputs).toBe(6); // 4 data bits + 2 selects
    expect(cost((n) => isShr(n, true)).lutInputs).toBe(5); // the 5 amount bits
  });
});

describe('pure helpers under a state test', () => {
  test("a helper's value depends on the record only, not on the predicate of the path that calls it", () => {
    const ir = compile('test/timing/designs/gated-helper.ts');
    const reads = (id: number, seen = new Set<number>()): Set<string> => {
      const out = new Set<string>();
      const walk = (x: number) => {
        if (seen.has(x)) return;
        seen.add(x);
        const n = ir.nodes[x];
        if (n.op === 'reg') out.add(n.name);
        for (const o of operands(n)) walk(o);
      };
      walk(id);
      return out;
    };
    expect([...reads(ir.outFields.get('size')!)]).toEqual([]);
    expect([...reads(ir.outValid)]).toEqual(['armed']);
  });
});

describe('the ITCH feed at 322.27 MHz', () => {
  test('every state update closes and every stage fits the period under the model', () => {
    const s = compile('examples/itch-feed/feed.ts').schedule;
    expect(s.violations).toEqual([]);
    for (const st of s.stages) expect(st.delayNs, `stage ${st.stage}`).toBeLessThanOrEqual(s.periodNs);
  });
});
