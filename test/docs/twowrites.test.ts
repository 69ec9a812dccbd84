// Two writes of one table in one event (docs/semantics.md §8 "Two writes in one event", rtl/memory2.ts): the model
// against a reference written from the semantics; the replace example co-simulated three-way (model, Verilated RTL,
// HLS C-sim) in LUT-RAM, block RAM and UltraRAM and as a 4-way set-associative table, lint clean, on stimulus whose
// same-slot, same-reference and back-to-back cases are counted; the docs show the example as it is; a third write is
// TF112. Run from the repository root: npx vitest run test/docs/twowrites.test.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { compile, CompileError, formatDiagnostic } from '../../codegen/index.ts';
import { SetTable, Slot, Table, table, u, type Unit } from '../../dsl/index.ts';
import { cosim, loadDesign, stimulusRecords } from '../../sim/cosim.ts';
import { verilatorCommand } from '../../sim/tools.ts';

const EX = 'test/docs/examples/replace.ts';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-twowrites-'));
const N = 4000;

describe('model: program order', () => {
  test('a set takes the slot a delete freed in the same event; on one slot the later write wins', () => {
    const t = new Table<number, number>(table({ key: u(8), value: u(8), capacity: 16 }));
    t.set(3, 30);
    expect(t.set(19, 190)).toBe(false); // 19 shares slot 3
    expect([t.delete(3), t.set(19, 190)]).toEqual([true, true]); // one event: remove 3, insert 19
    expect([t.has(3), t.get(19), t.lookup(3)]).toEqual([false, 190, Slot.Taken]);
    expect([t.delete(19), t.set(19, 7), t.get(19)]).toEqual([true, true, 7]); // same key: the set wins
  });
  test('set-associative: the way a delete emptied is the set\'s first empty way again', () => {
    const s = new SetTable<number, number>(table({ key: u(8), value: u(8), capacity: 8, ways: 2 })); // 4 sets
    expect([s.set(1, 10), s.set(5, 50), s.set(9, 90)]).toEqual([true, true, false]); // set 1 full
    expect([s.delete(1), s.set(9, 90)]).toEqual([true, true]); // one event: 9 takes way 0, freed by the delete
    expect([s.has(1), s.get(9), s.get(5), s.lookup(13)]).toEqual([false, 90, 50, Slot.Taken]);
  });
});

/** The replace example as semantics.md §8 states it, on a plain array of slots (not dsl/table.ts). */
function reference(records: Array<Record<string, number>>) {
  const slots: Array<{ k: number; v: number } | null> = new Array(64).fill(null);
  const at = (k: number) => slots[k % 64];
  const cases = { freedSlotTaken: 0, sameRef: 0, backToBack: 0, refused: 0 };
  const recent: number[][] = [[], []]; // slots written by the two records before (in flight in the pipeline)
  const outs = records.map((m) => {
    const s = m.ref % 64;
    const had = at(m.ref)?.k === m.ref ? at(m.ref)!.v : 0;
    const written: number[] = [];
    let removed = false;
    if (m.op === 1 || m.op === 2) {
      removed = at(m.ref)?.k === m.ref;
      if (removed) (slots[s] = null), written.push(s);
    }
    let stored = false;
    if (m.op === 0 || (m.op === 2 && removed)) {
      const k = m.op === 0 ? m.ref : m.newRef;
      const cur = at(k);
      stored = cur === null || cur.k === k;
      if (stored) {
        slots[k % 64] = { k, v: m.qty };
        written.push(k % 64);
        if (m.op === 2 && k % 64 === s) cases[k === m.ref ? 'sameRef' : 'freedSlotTaken']++;
      } else cases.refused++;
    }
    if ([m.ref % 64, m.newRef % 64].some((x) => recent[0].includes(x) || recent[1].includes(x))) cases.backToBack++;
    recent.shift();
    recent.push(written);
    const n = at(m.newRef);
    const newSlot = n === null ? Slot.Empty : n.k === m.newRef ? Slot.Hit : Slot.Taken;
    return { had, removed, stored, oldHeld: at(m.ref)?.k === m.ref, newSlot, newQty: n?.k === m.newRef ? n.v : 0 };
  });
  return { outs, cases };
}

describe('replace example', () => {
  test('the model equals the reference; the stimulus hits the cases', async () => {
    const d = await loadDesign(EX);
    const mod = await import(pathToFileURL(path.resolve(EX)).href);
    const records = stimulusRecords(d, mod.Msg, `synthetic:${N}`, 1) as Array<Record<string, number>>;
    const m = (mod.default as Unit).model();
    const got = records.map((r) => m.step(r));
    const ref = reference(records);
    expect(got).toEqual(ref.outs);
    expect(Number(m.state.refused)).toBe(ref.cases.refused);
    // Replaces whose new reference took the slot the delete just freed, onto the old reference itself, and events
    // reading a slot one of the two events before wrote (forwarded between records in the pipeline).
    expect(ref.cases.freedSlotTaken).toBeGreaterThan(50);
    expect(ref.cases.sameRef).toBeGreaterThan(20);
    expect(ref.cases.backToBack).toBeGreaterThan(200);
    expect(ref.cases.refused).toBeGreaterThan(100);
  });

  // Each memory kind, and the set-associative variant (four ways of 16 sets, each way written at two places).
  const variants: Array<[string, string]> = [
    ['lutram', 'capacity: 64 })'],
    ['bram', "capacity: 64, memory: 'bram' })"],
    ['uram', "capacity: 64, memory: 'uram' })"],
    ['assoc', "capacity: 64, ways: 4, hash: 'fold' })"],
    ['assoc-bram', "capacity: 64, ways: 4, hash: 'fold', memory: 'bram' })"],
  ];
  test.each(variants)('three-way, lint clean: %s', async (name, decl) => {
    // Under build/ (git-ignored), not in test/docs/examples where the corpus test lists designs while this runs.
    fs.mkdirSync('build/twowrites', { recursive: true });
    const file = `build/twowrites/replace-${name}.ts`;
    fs.writeFileSync(file, fs.readFileSync(EX, 'utf8').replace('capacity: 64 })', decl));
    try {
      const r = await cosim({ file, input: `synthetic:${N}`, seed: 1, out: path.join(tmp, name) });
      expect(r.executors.rtl!.compared).toBe(N);
      expect(r.executors.hls!.compared).toBe(N);
      expect(r.mismatches).toBe(0);
      expect(r.status).toEqual([expect.objectContaining({ name: 'refused', match: true })]);
      for (const f of ['removed', 'stored']) for (const v of ['true', 'false']) expect(r.outputCounts[f][v]).toBeGreaterThan(200);
      for (const s of ['Hit', 'Empty', 'Taken']) expect(r.outputCounts.newSlot[s]).toBeGreaterThan(200);
      const dir = r.rtl!.dir;
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.v')).map((f) => path.join(dir, f));
      const v = fs.readFileSync(files.find((f) => f.endsWith(`${r.design}.v`))!, 'utf8');
      expect(v).toMatch(/_memB\b/); // the second bank: the table really has two write ports
      const kind = { lutram: 'distributed', bram: 'block', uram: 'ultra' }[name.endsWith('bram') ? 'bram' : name === 'uram' ? 'uram' : 'lutram'];
      expect(v).toContain(`(* ram_style = "${kind}" *)`);
      // The delete's bank holds the valid bit alone (block RAM beside UltraRAM).
      expect(v).toMatch(new RegExp(`ram_style = "${name === 'uram' ? 'block' : kind}" \\*\\) reg \\w+_memA \\[0:\\d+\\];  // deletes only`));
      const vc = verilatorCommand();
      const lint = spawnSync(vc.cmd, ['--lint-only', '-Wall', '--top-module', r.design, ...files], { env: { ...process.env, ...vc.env }, encoding: 'utf8' });
      expect(lint.stderr.split('\n').filter((l) => l.startsWith('%'))).toEqual([]);
      // Plain Verilog-2005 (Verilator accepts more, e.g. a bit-select of a concatenation): Yosys reads it.
      const ys = spawnSync('yosys', ['-q', '-p', `read_verilog ${files.join(' ')}; hierarchy -top ${r.design}; proc`], { encoding: 'utf8' });
      expect(ys.stderr + ys.stdout).not.toContain('ERROR');
      expect(ys.status).toBe(0);
    } finally {
      fs.rmSync(file);
    }
  }, 300_000);

  test('docs/dsl.md shows it as it is', () => {
    const src = fs.readFileSync(EX, 'utf8');
    const body = src.slice(src.indexOf('import {'), src.indexOf('/** References from')).trimEnd();
    const doc = fs.readFileSync('docs/dsl.md', 'utf8');
    const start = doc.indexOf(`// ${EX}\n`) + `// ${EX}\n`.length;
    expect(doc.slice(start, doc.indexOf('```', start)).trimEnd()).toBe(body);
  });

  test('at 322.27 MHz the LUT-RAM table meets the clock under the delay model', () => {
    const ir = compile(EX);
    expect(ir.schedule.violations).toEqual([]);
    expect(ir.schedule.memories.get('orders')?.kind).toBe('lutram');
  });
});

describe('rejected', () => {
  test('a third write', () => {
    let msg = '';
    try {
      compile('test/docs/rejects/table-twice.ts');
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
      msg = formatDiagnostic(err.diagnostics[0]);
    }
    expect(msg.split('\n')).toEqual([
      'test/docs/rejects/table-twice.ts:16:15: error TF112: table t is written a third time; a table has two write ports, so one event may write it at two places at most',
      '  test/docs/rejects/table-twice.ts:15:30: note: second write here',
      '  hint: compute keys and values first, then write the table at two places at most',
    ]);
  });
});
