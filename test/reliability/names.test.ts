// Hostile names (docs/reliability.md, "Names"): every reserved word of Verilog-2005, SystemVerilog and C++ and every
// name the generated code uses, as unit, record, field, param, state and table names (designs/keywords.ts), and
// non-ASCII names, param/state and state/table-signal clashes, a 2^17-slot table and a table value never read
// (designs/clashes.ts). Each is built with its outputs checked (Verilator -Wall lint, g++ -fsyntax-only against
// hls/include), then co-simulated model against RTL and HLS C-simulation: 0 mismatches.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { ALL_RESERVED as RESERVED, isLegalName, legalize, nameMap } from '../../codegen/names.ts';
import { build } from '../../cli/build.ts';
import { cosim } from '../../sim/cosim.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-names-'));
const KEYWORDS = 'test/reliability/designs/keywords.ts';
const CLASHES = 'test/reliability/designs/clashes.ts';

describe('names', () => {
  test('the keyword corpus uses every reserved word as a field, param and state name', () => {
    const ir = compile(KEYWORDS, { timing: { enforce: false } });
    const names = (xs: ReadonlyArray<{ name: string }>) => new Set(xs.map((x) => x.name));
    for (const set of [names(ir.input.fields), names(ir.output.fields), names(ir.params), names(ir.regs)]) {
      const missing = [...RESERVED].filter((w) => !set.has(w));
      expect(missing).toEqual([]);
    }
    expect(RESERVED.has(ir.name) && RESERVED.has(ir.input.name) && RESERVED.has(ir.output.name)).toBe(true);
    expect(ir.tables.every((t) => RESERVED.has(t.name))).toBe(true);
    // Its tables share their names with state registers (separate namespaces in the DSL): each register keeps its
    // own state stage (the schedule once gave a register its namesake table's stage, and the RTL disagreed).
    expect(ir.tables.every((t) => ir.regs.some((r) => r.name === t.name))).toBe(true);
    for (const n of ir.nodes) if (n.op === 'reg') expect(ir.schedule.stage.get(n.id), n.name).toBe(ir.schedule.stateStage.get(n.name));
    for (const t of ir.tables) expect(ir.schedule.memories.get(t.name)!.stage).toBe(1);
  });

  test('legalized names are legal, unique per namespace and keep legal DSL names as written', () => {
    for (const f of [KEYWORDS, CLASHES, 'examples/risk-gate/gate.ts']) {
      const ir = compile(f, { timing: { enforce: false } });
      const m = nameMap(ir);
      const top = [m.unit, ...m.records.values(), ...m.params.values(), ...m.regs.values(), ...m.tables.values()];
      const kinds = [['unit', [m.unit]], ['record', m.records.values()], ['param', m.params.values()], ['reg', m.regs.values()], ['table', m.tables.values()]] as const;
      for (const [k, ns] of kinds) for (const n of ns) expect(isLegalName(n, k), `${k} ${n}`).toBe(true);
      // Derived names cannot meet: no name is another's `<table>_valid`, `p_<param>`, `<reg>_status`, ...
      const derived = [...m.tables.values()].flatMap((t) => [`${t}_valid`, `${t}_value`, `${t}_tag`, `${t}_mem`]);
      expect(new Set(top).size).toBe(top.length);
      expect(new Set([...top, ...derived]).size).toBe(top.length + derived.length);
      expect(new Set([...m.params.values(), ...m.regs.values(), ...m.tables.values()]).size).toBe(m.params.size + m.regs.size + m.tables.size);
      for (const fm of m.fields.values()) for (const n of fm.values()) expect(isLegalName(n, 'field'), n).toBe(true);
      if (f.startsWith('examples/')) expect(legalize(ir)).toBe(ir); // nothing to rewrite: the same unit, DSL names kept
    }
    const m = nameMap(compile(CLASHES, { timing: { enforce: false } }));
    expect(m.params.get('prix')).toBe('prix');
    expect(m.regs.get('prix')).not.toBe('prix'); // param and state of one name: C++ declares both in one scope
    expect(m.fields.get('entrée')!.get('clé')).toBe('cl_u00e9');
    expect(m.records.get('sortie résultat')).toBe('sortie_u0020r_u00e9sultat');
  });

  for (const [what, file, records] of [
    ['every reserved word', KEYWORDS, 3000],
    ['non-ASCII names, clashes, a 2^17-slot table, a value never read', CLASHES, 3000],
  ] as const) {
    test(`${what}: builds with lint and g++ checks, co-simulates model, RTL and HLS with 0 mismatches`, async () => {
      const out = path.join(tmp, path.basename(file, '.ts'));
      const r = await build(file, out);
      expect(r.checks.map((c) => [c.check, c.skipped ?? 'ran'])).toEqual([
        ['verilator-lint', 'ran'],
        ['g++-syntax', 'ran'],
      ]);
      const c = await cosim({ file, input: `synthetic:${records}`, seed: 3, out: path.join(out, 'cosim') });
      expect(c.inputs).toBe(records);
      expect(c.compared).toBeGreaterThan(0);
      expect(c.mismatches).toBe(0);
      expect(c.executors.hls!.mismatches).toBe(0);
    }, 300_000);
  }
});
