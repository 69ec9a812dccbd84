// A system's card without its build directory, on a register array that speaks the sim card's protocol
// (helpers.ts fakeSystemCard), laid out by the system map of test/system/designs/drops.ts (four units, one
// strobe-fed FIFO, so a DROPS word): `ctl status`, `kill`, `disarm`, `arm` find every unit's standard block from
// the system block's LAYOUT word alone; a LAYOUT that locates nothing, or windows without a unit's ID, is refused
// with the command that works and nothing written. Then, with the build, `reset-counters` takes DROPS into its
// baseline. The same kill on the Verilated system is in test/host/system.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileSystem } from '../../codegen/system.ts';
import { compile } from '../../codegen/index.ts';
import { layoutOf, regMapJson, regMapOf, systemMapOf, windowMap, type SystemMap } from '../../regmap/index.ts';
import { verifyAudit, type AuditEntry } from '../../host/index.ts';
import { REPO, cli, fakeSystemCard } from './helpers.ts';

const DESIGN = path.join(REPO, 'test/system/designs/drops.ts');
let dir: string;
let sys: SystemMap;
let build: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-host-nobuild-'));
  sys = systemMapOf(compileSystem(DESIGN, { timing: { enforce: false } }));
  build = path.join(dir, 'build');
  fs.mkdirSync(path.join(build, 'regmap'), { recursive: true });
  fs.writeFileSync(path.join(build, 'regmap', 'system.json'), JSON.stringify(sys));
  fs.writeFileSync(path.join(build, 'report.json'), JSON.stringify({ file: DESIGN, clockMHz: 322.27 }));
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const lines = (f: string) => fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);

describe('a system card without its build', () => {
  test('LAYOUT locates every unit: status, kill (last stage first), arm --clear-kill, disarm', async () => {
    const card = await fakeSystemCard(sys, path.join(dir, 'a.sock'));
    const audit = path.join(dir, 'a.jsonl');
    const env = { TICKFORGE_AUDIT: audit, TICKFORGE_CARD: `sim:${card.socket}` };
    try {
      // The layout word decodes to the map's own windows (the one function both use).
      const lay = layoutOf(sys.block.find((w) => w.name === 'LAYOUT')!.value)!;
      expect(lay.windows.map((w) => w.base)).toEqual(sys.windows.map((w) => w.base));
      expect(lay.addrBits).toBe(sys.addrBits);

      const st = await cli(['ctl', 'status', '-o', 'json'], env);
      expect(st.code, st.stderr).toBe(0);
      expect(st.json).toMatchObject({ system: null, id: '0x54465359', buildHash: sys.buildHash });
      const units = st.json!.units as Record<string, { buildHash: string; armed: boolean }>;
      expect(Object.keys(units)).toEqual(sys.windows.map((_, k) => `window${k + 1}`));
      sys.windows.forEach((w, k) => expect(units[`window${k + 1}`]).toMatchObject({ buildHash: w.map.buildHash, armed: true }));

      const kill = await cli(['ctl', 'kill', '-o', 'json'], env);
      expect(kill.code, kill.stderr).toBe(0);
      const control = sys.windows.map((w) => windowMap(sys, w.unit).standard.find((r) => r.name === 'CONTROL')!.offset);
      expect(card.writes).toEqual([...control].reverse().map((offset) => ({ offset, value: 3 })));
      const killed = (await cli(['ctl', 'status', '-o', 'json'], env)).json!.units as Record<string, { killed: boolean }>;
      expect(Object.values(killed).map((u) => u.killed)).toEqual(sys.windows.map(() => true));

      // Arm is refused while the kill is latched (exit 1), then the deliberate step clears it on every unit.
      expect((await cli(['ctl', 'arm', '-o', 'json'], env)).code).toBe(1);
      const arm = await cli(['ctl', 'arm', '--clear-kill', '-o', 'json'], env);
      expect(arm.code, arm.stderr).toBe(0);
      expect(Object.values((await cli(['ctl', 'status', '-o', 'json'], env)).json!.units as Record<string, { armed: boolean }>).map((u) => u.armed)).toEqual(sys.windows.map(() => true));
      const dis = await cli(['ctl', 'disarm', '-o', 'json'], env);
      expect(dis.code, dis.stderr).toBe(0);

      expect(verifyAudit(audit).ok).toBe(true);
      const kills = lines(audit).filter((e) => e.cmd === 'ctl kill');
      expect(kills.map((e) => [e.register, e.offset, e.new])).toEqual(sys.windows.map((_, k) => [`window${k + 1}.CONTROL`, control[k], 3]).reverse());
      // Ops that need the map still say so.
      const c = await cli(['ctl', 'counters', '-o', 'json'], env);
      expect(c.code).toBe(2);
      expect(c.stderr).toContain('--build');
    } finally {
      await card.close();
    }
  }, 60_000);

  test('a LAYOUT that locates nothing, or windows that are not units, is refused with the command that works; nothing written', async () => {
    const real = sys.block.find((w) => w.name === 'LAYOUT')!.value;
    // 0: no unit. Then the right unit count with windows half the size: window1 then falls in the system block's window.
    for (const [name, layout, says] of [['z', 0, 'locates no unit window'], ['h', (real & 0xff) | (((real >>> 8) - 1) << 8), 'the LAYOUT word puts window1 at']] as const) {
      const card = await fakeSystemCard(sys, path.join(dir, `${name}.sock`), { layout });
      const audit = path.join(dir, `${name}.jsonl`);
      try {
        const r = await cli(['ctl', 'kill', '-o', 'json'], { TICKFORGE_AUDIT: audit, TICKFORGE_CARD: `sim:${card.socket}` });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(says);
        expect(r.stderr).toContain(`tickforge ctl kill --card sim:${card.socket} --build <the system's build dir>`);
        expect(card.writes).toEqual([]);
        expect(fs.existsSync(audit)).toBe(false);
      } finally {
        await card.close();
      }
    }
  }, 60_000);

  test('a kill given another build (another system\'s, a unit\'s) goes by the card\'s LAYOUT, not the build\'s windows', async () => {
    const other = systemMapOf(compileSystem(path.join(REPO, 'test/host/designs/slotsys.ts'), { timing: { enforce: false } }));
    const otherDir = path.join(dir, 'other');
    fs.mkdirSync(path.join(otherDir, 'regmap'), { recursive: true });
    fs.writeFileSync(path.join(otherDir, 'regmap', 'system.json'), JSON.stringify(other));
    fs.writeFileSync(path.join(otherDir, 'report.json'), JSON.stringify({ file: 'test/host/designs/slotsys.ts' }));
    const unitDir = path.join(dir, 'unit');
    fs.mkdirSync(path.join(unitDir, 'regmap'), { recursive: true });
    fs.writeFileSync(path.join(unitDir, 'regmap', 'regmap.json'), regMapJson(regMapOf(compile(path.join(REPO, 'examples/risk-gate/gate.ts'), { timing: { enforce: false } }))));
    const control = sys.windows.map((w) => windowMap(sys, w.unit).standard.find((r) => r.name === 'CONTROL')!.offset).reverse();
    // Fewer units: a kill aimed by the other build's map would leave the card's last units armed.
    expect(other.windows.length).toBeLessThan(sys.windows.length);
    for (const [name, b, says] of [['o', otherDir, `system build ${other.buildHash}`], ['u', unitDir, 'a unit\'s build']] as const) {
      const card = await fakeSystemCard(sys, path.join(dir, `${name}.sock`));
      try {
        const r = await cli(['ctl', 'kill', '--build', b, '-o', 'json'], { TICKFORGE_AUDIT: path.join(dir, `${name}.jsonl`), TICKFORGE_CARD: `sim:${card.socket}` });
        expect(r.code, r.stderr).toBe(0);
        expect(r.json!.note).toContain(says);
        expect(r.json!.note).toContain(`the card runs system ${sys.buildHash}`);
        expect(card.writes).toEqual(control.map((offset) => ({ offset, value: 3 })));
      } finally {
        await card.close();
      }
    }
  }, 120_000);

  test('reset-counters baselines the DROPS counters with the units\' status registers', async () => {
    const card = await fakeSystemCard(sys, path.join(dir, 'd.sock'));
    const env = { TICKFORGE_AUDIT: path.join(dir, 'd.jsonl'), TICKFORGE_CARD: `sim:${card.socket}` };
    const drops = sys.block.filter((w) => w.link !== undefined);
    expect(drops.length).toBe(1);
    const ch = drops[0].name.replace(/^DROPS_/, '');
    try {
      card.regs.set(drops[0].offset, 7);
      const r = await cli(['ctl', 'reset-counters', '--build', build, '-o', 'json'], env);
      expect(r.code, r.stderr).toBe(0);
      expect((r.json!.baseline as Record<string, unknown>)[`drops.${ch}`]).toBe(7);
      card.regs.set(drops[0].offset, 12);
      const c = await cli(['ctl', 'counters', '--build', build, '-o', 'json'], env);
      expect(c.code, c.stderr).toBe(0);
      expect(c.json!.drops).toEqual({ [ch]: 12 });
      expect((c.json!.sinceReset as Record<string, string>)[`drops.${ch}`]).toBe('5');
    } finally {
      await card.close();
    }
  }, 60_000);
});
