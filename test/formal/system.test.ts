// `tickforge prove` on a system: the market maker's kill-switch theorem ("while the risk gate's killSwitch is set,
// the system sends nothing") proved from steps on single units, and refuted step by step when the Verilog of a
// step is edited to break it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compileSystem } from '../../codegen/system.ts';
import { emitSystemVerilog } from '../../rtl/system.ts';
import { prove } from '../../sim/formal/index.ts';
import { silenceTheorems } from '../../sim/formal/system.ts';

const FILE = 'examples/market-maker/system.ts';
const CLOCK = 150; // the clock the market maker is built at (docs/strategy.md)
const THEOREM = 'system.silent_risk_gate_killSwitch';
const tmp = (tag: string) => fs.mkdtempSync(path.join(os.tmpdir(), `tf-prove-sys-${tag}-`));

describe('prove on the market-maker system (Yosys 0.23 sat -tempinduct)', () => {
  test('the kill switch theorem is chained gate -> oms -> encoder; the gate\'s other properties make no theorem', () => {
    const sys = compileSystem(FILE, { timing: { enforce: false, clockMHz: CLOCK } });
    const t = silenceTheorems(sys);
    expect(t.map((x) => x.id)).toEqual([THEOREM]);
    expect(t[0].unsupported).toBeUndefined();
    expect(t[0].pieces).toEqual(['risk_gate.prop_killSwitch', 'risk_gate.port_killSwitch', 'oms.silent_risk_gate_killSwitch', 'ouch_encoder.silent_risk_gate_killSwitch']);
  });

  test('while the risk gate\'s killSwitch is set, the market maker sends nothing: proved', async () => {
    const r = await prove({ file: FILE, clockMHz: CLOCK, out: tmp('ok'), only: [THEOREM], timeoutSeconds: 300 });
    const byId = new Map(r.properties.map((p) => [p.id, p]));
    expect(byId.get(THEOREM)?.status).toBe('proved');
    for (const id of ['risk_gate.prop_killSwitch', 'risk_gate.port_killSwitch', 'oms.silent_risk_gate_killSwitch', 'ouch_encoder.silent_risk_gate_killSwitch']) {
      expect(byId.get(id)?.status, id).toBe('proved');
    }
    // The record-level step needs the gate's pipeline in the window; the FIFO step is inductive at once.
    expect(byId.get('risk_gate.prop_killSwitch')!.depth).toBeGreaterThan(byId.get('risk_gate.port_killSwitch')!.depth!);
  }, 400_000);

  test('edited Verilog: a credit too many, an output FIFO that sets the accepted bit, an order manager that sends rejected decisions: each fails', async () => {
    const dir = tmp('rtl');
    const files = emitSystemVerilog(compileSystem(FILE, { timing: { enforce: false, clockMHz: CLOCK } })).files;
    // By file name (a trailing space: a second edit of the same file).
    const edits: Record<string, [RegExp, string]> = {
      'risk_gate.v': [/if \(out_push\) out_fifo\[out_fifo_wr\[3:0\]\] <= out_rec_data;/, "if (out_push) out_fifo[out_fifo_wr[3:0]] <= out_rec_data | 93'd1;"],
      'oms.v': [/wire out_rec_valid = (s\d+_valid) & \w+;/, 'wire out_rec_valid = $1;'],
      'oms.v ': [/if \(!aresetn\) out_credit <= 4'd8;/, "if (!aresetn) out_credit <= 4'd10;"], // 10 credits for 9 places (8 entries, the port register)
    };
    for (const [name, text] of files) {
      let edited = text;
      for (const [file, [re, to]] of Object.entries(edits)) {
        if (file.trim() !== name) continue;
        const before = edited;
        edited = edited.replace(re, to);
        expect(edited, file).not.toBe(before);
      }
      fs.writeFileSync(path.join(dir, name), edited);
    }
    const r = await prove({ file: FILE, clockMHz: CLOCK, rtlDir: dir, out: tmp('bad'), only: ['risk_gate.port_killSwitch', 'oms.fifo_no_overflow', 'oms.silent_risk_gate_killSwitch'], timeoutSeconds: 300 });
    expect(r.properties.map((p) => [p.id, p.status])).toEqual([
      ['risk_gate.port_killSwitch', 'failed'],
      ['oms.fifo_no_overflow', 'failed'],
      ['oms.silent_risk_gate_killSwitch', 'failed'],
    ]);
    expect(r.properties.every((p) => p.vcd && fs.existsSync(p.vcd))).toBe(true);
    // The order manager's counterexample replayed through its model: only rejected decisions go in, the model sends
    // nothing for them, the edited RTL sent a record.
    const oms = r.properties[2];
    expect(oms.replay?.length).toBeGreaterThan(0);
    expect(oms.replay!.every((x) => x.input.accepted === false && x.model === undefined)).toBe(true);
    expect(oms.rtlOutput).toBeDefined();
  }, 400_000);
});
