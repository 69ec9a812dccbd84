// Properties: front-end diagnostics, the model's check on every step, and `prove` with Yosys on real Verilog:
// the risk gate's kill switch and the stream rules proved; a passthrough unit whose property is false, and the risk
// gate's Verilog edited to ignore the kill switch, each refuted with a counterexample replayed through the model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile, CompileError, formatDiagnostic } from '../../codegen/index.ts';
import { emitVerilog } from '../../rtl/index.ts';
import { prove } from '../../sim/formal/index.ts';
import { cosim } from '../../sim/cosim.ts';
import passthrough from './fixtures/passthrough.ts';
import gate, { Kind, Reason } from '../../examples/risk-gate/gate.ts';

function diagnose(name: string): string {
  try {
    compile(`test/formal/fixtures/${name}.ts`);
  } catch (err) {
    if (err instanceof CompileError) return err.diagnostics.map(formatDiagnostic).join('\n');
    throw err;
  }
  throw new Error(`${name}.ts compiled, but it should have been rejected`);
}

const tmp = (tag: string) => fs.mkdtempSync(path.join(os.tmpdir(), `tf-prove-${tag}-`));

describe('properties in the front end and the model', () => {
  test('a number product past 2^53 is TF102, an untranslatable call TF109', () => {
    expect(diagnose('over53')).toBe(`test/formal/fixtures/over53.ts:12:54: error TF102: out.qty * out.price may exceed 2^53 in the model's JavaScript number
  hint: convert the operands with BigInt(...)`);
    expect(diagnose('unsupported')).toBe(`test/formal/fixtures/unsupported.ts:11:25: error TF109: Math.max(out.qty, 1): not supported in a property
  hint: a property uses out.<field>, params.<name>, literals, ! && || ?:, comparisons, + - *, BigInt(...) and implies(a, b)`);
  });

  test('the risk gate declares its rules; ranges are exact', () => {
    const u = compile('examples/risk-gate/gate.ts');
    expect(u.properties?.map((p) => p.name)).toEqual(['killSwitch', 'maxQty', 'maxNotional']);
    const notional = u.properties![2].expr;
    expect(notional.k === 'bin' && notional.b.k === 'bin' && notional.b.a.hi).toBe((2n ** 32n - 1n) ** 2n);
  });

  test('the model checks every output against the properties, with the step index', () => {
    const m = passthrough.model();
    m.step({ accepted: true, qty: 50 });
    m.step({ accepted: false, qty: 500 });
    m.step({ accepted: true, qty: 101 });
    expect(m.violations).toEqual([{ property: 'maxQty', step: 2, out: { accepted: true, qty: 101 } }]);
    const g = gate.model();
    g.setParam('killSwitch', true);
    expect(g.step({ kind: Kind.Order, locate: 1, side: 'B', qty: 1, price: 1 })?.reason).toBe(Reason.KillSwitch);
    expect(g.violations).toEqual([]);
  });
});

test('cosim reports a property the model violates like a mismatch, with the input index', { timeout: 200_000 }, async () => {
  const out = tmp('cosim');
  const r = await cosim({ file: 'test/formal/fixtures/passthrough.ts', input: 'synthetic:200', seed: 3, out, backends: ['model', 'rtl'] });
  expect(r.propertyViolations.count).toBeGreaterThan(0);
  // Model and RTL agree (both pass the order through); the violation is the only mismatch counted.
  expect(r.mismatches).toBe(r.propertyViolations.count);
  const f = r.propertyViolations.first!;
  expect(f.property).toBe('maxQty');
  // The unit passes its input through: the violating output is the reported input, an accepted order over 100.
  expect(f.output).toEqual(f.input);
  expect(f.output).toMatchObject({ accepted: true });
  expect(Number(f.output.qty)).toBeGreaterThan(100);
});

describe('tickforge prove (Yosys 0.23 sat -tempinduct)', () => {
  test('passthrough: the false property fails with a counterexample the model confirms; the true one is proved', async () => {
    const r = await prove({ file: 'test/formal/fixtures/passthrough.ts', out: tmp('pt'), only: ['prop_maxQty', 'prop_signedMath'], timeoutSeconds: 120 });
    const [maxQty, signedMath] = r.properties;
    expect(signedMath.status).toBe('proved');
    expect(maxQty.status).toBe('failed');
    expect(fs.existsSync(maxQty.vcd!)).toBe(true);
    expect(maxQty.rtlOutput?.accepted).toBe(true);
    expect(Number(maxQty.rtlOutput?.qty)).toBeGreaterThan(Number(maxQty.params?.maxQty));
    // The same record through the model violates the same property.
    expect(maxQty.replay?.some((s) => s.violated.includes('maxQty') && s.input.qty === maxQty.rtlOutput?.qty)).toBe(true);
  }, 200_000);

  test('risk gate: kill switch, max quantity, max notional and the AXI-Stream / AXI-Lite rules are proved', async () => {
    const ids = ['prop_killSwitch', 'prop_maxQty', 'prop_maxNotional', 'axis_in_reset', 'axis_out_reset', 'axis_out_hold', 'kill_blocks', 'fifo_no_overflow', 'axil_ready_reset', 'axil_valid_after_reset', 'axil_b_hold', 'axil_r_hold', 'axil_aw_w_together', 'kill_latched'];
    const out = tmp('rg');
    const r = await prove({ file: 'examples/risk-gate/gate.ts', out, only: ids, timeoutSeconds: 240 });
    expect(r.properties.map((p) => [p.id, p.status])).toEqual(ids.map((id) => [id, 'proved']));
    // k-induction closes once every record at the output stage entered the pipeline inside the window.
    expect(r.properties[0].depth).toBeGreaterThanOrEqual(8);
    // max notional is proved through the ghost product (sim/formal/wrapper.ts): carried from stage 0, not recomputed.
    expect(fs.readFileSync(path.join(out, 'risk_gate.v'), 'utf8')).toMatch(/f_g_maxNotional_t0_s0 = \{\{32\{1'b0\}\}, in_qty\} \* \{\{32\{1'b0\}\}, in_price\}/);
  }, 600_000);

  test('risk gate with the kill switch edited out of the Verilog: a counterexample whose replay shows the offending order', async () => {
    const u = compile('examples/risk-gate/gate.ts');
    const dir = tmp('mut');
    for (const [name, text] of emitVerilog(u).files) {
      const edited = name === 'risk_gate.v' ? text.replace(/wire killed = s0_p_killSwitch \| halted;/, 'wire killed = halted;') : text;
      if (name === 'risk_gate.v') expect(edited).not.toBe(text);
      fs.writeFileSync(path.join(dir, name), edited);
    }
    const r = await prove({ file: 'examples/risk-gate/gate.ts', out: tmp('mutp'), rtlDir: dir, only: ['prop_killSwitch'], maxSteps: 14, timeoutSeconds: 240 });
    const p = r.properties[0];
    expect(p.status).toBe('failed');
    expect(p.params?.killSwitch).toBe(true);
    expect(p.rtlOutput?.accepted).toBe(true);
    // The order the RTL let through: the model, given the same inputs and params, rejects it for the kill switch.
    const offending = p.replay?.find((s) => s.input.kind === Kind.Order && ['locate', 'side', 'qty', 'price'].every((f) => s.input[f] === p.rtlOutput?.[f]));
    expect(offending?.model).toMatchObject({ accepted: false, reason: Reason.KillSwitch });
    // One entry per handshake of the trace, in cycle order.
    const cycles = p.replay!.map((s) => s.cycle);
    expect(cycles.every((c, k) => k === 0 || c > cycles[k - 1])).toBe(true);
  }, 400_000);
});
