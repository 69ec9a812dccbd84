// Failure behaviour of the control plane, through the CLI: a card that does not answer, a socket that closes in
// the middle of a deploy, a config that fails validation, a build hash mismatch. Each is a clear error and a
// non-zero exit, and nothing is half-applied: no write at all, or (a close mid-deploy) shadow writes and no COMMIT.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { regMapJson, regMapOf, type RegMap } from '../../regmap/index.ts';
import { verifyAudit } from '../../host/index.ts';
import { cli, fakeCard } from './helpers.ts';

let dir: string;
let build: string;
let map: RegMap;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-host-fail-'));
  build = path.join(dir, 'build');
  fs.mkdirSync(path.join(build, 'regmap'), { recursive: true });
  map = regMapOf(compile('examples/risk-gate/gate.ts', { timing: { enforce: false } }));
  fs.writeFileSync(path.join(build, 'regmap', 'regmap.json'), regMapJson(map));
  fs.writeFileSync(path.join(build, 'report.json'), JSON.stringify({ file: path.resolve('examples/risk-gate/gate.ts'), clock: { mhz: 322.27 }, pipelineLatencyCycles: 9, latencyNs: 27.9 }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const COMMIT = 0x10;
const cfg = (o: unknown) => {
  const f = path.join(dir, `cfg-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(o));
  return f;
};

describe('host failures', () => {
  test('a config that fails validation: every error listed, exit 1, nothing written (the card is not even opened)', async () => {
    const card = await fakeCard(map, path.join(dir, 'v.sock'));
    const audit = path.join(dir, 'v.jsonl');
    const r = await cli(['deploy', build, '--card', `sim:${card.socket}`, '--config', cfg({ maxQty: -1, killSwitch: 'yes', maxNotional: '18446744073709551616', bandBps: 1.5, colour: 'red', maxExposure: 20 }), '--audit', audit, '-o', 'json']);
    await card.close();
    expect(r.code).toBe(1);
    expect(r.json?.ok).toBe(false);
    const errors = r.json?.errors as string[];
    expect(errors).toHaveLength(5);
    expect(errors.join('\n')).toMatch(/maxQty \(u\(32\)\): -1 is outside 0\.\.4294967295/);
    expect(errors.join('\n')).toMatch(/killSwitch \(bool\(\)\): "yes" is not true or false/);
    expect(errors.join('\n')).toMatch(/maxNotional \(u\(64\)\): 18446744073709551616 is outside/);
    expect(errors.join('\n')).toMatch(/bandBps .* 1\.5 is not an integer/);
    expect(errors.join('\n')).toMatch(/colour: not a param of risk_gate/);
    expect(card.writes).toEqual([]);
    expect(fs.existsSync(audit)).toBe(false);
  });

  test('a build hash mismatch: exit 1, the card named with both hashes, nothing written', async () => {
    const card = await fakeCard(map, path.join(dir, 'h.sock'), { buildHash: 'deadbeef' });
    const r = await cli(['deploy', build, '--card', `sim:${card.socket}`, '--config', cfg({ maxQty: 10 }), '--audit', path.join(dir, 'h.jsonl'), '-o', 'json']);
    await card.close();
    expect(r.code).toBe(1);
    expect(r.json?.error).toMatch(new RegExp(`build hash mismatch: the card runs deadbeef, the build is ${map.buildHash}; nothing written`));
    expect(card.writes).toEqual([]);
  });

  test('a card that does not answer: exit 2 after the timeout, nothing written', async () => {
    const card = await fakeCard(map, path.join(dir, 's.sock'), { silent: true });
    const t0 = Date.now();
    const r = await cli(['ctl', 'kill', '--card', `sim:${card.socket}`, '--build', build, '--timeout', '400', '--audit', path.join(dir, 's.jsonl'), '-o', 'json']);
    await card.close();
    expect(r.code).toBe(2);
    expect(r.json?.error).toMatch(/no answer to `R 0` within 400 ms \(the card does not answer\)/);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(card.writes).toEqual([]);
  });

  test('no card at the socket path: exit 2, said so', async () => {
    const r = await cli(['ctl', 'status', '--card', `sim:${path.join(dir, 'none.sock')}`, '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.json?.error).toMatch(/no sim card listening at .*none\.sock \(ENOENT\)/);
  });

  test('a socket that closes in the middle of a deploy: exit 2, no COMMIT, the audit log holds exactly the writes made', async () => {
    // Two of the three shadow words of maxQty + maxNotional are written, then the card goes away.
    const card = await fakeCard(map, path.join(dir, 'c.sock'), { closeAfterWrites: 2 });
    const audit = path.join(dir, 'c.jsonl');
    const r = await cli(['deploy', build, '--card', `sim:${card.socket}`, '--config', cfg({ maxQty: 10, maxNotional: 99 }), '--audit', audit, '-o', 'json']);
    await card.close();
    expect(r.code).toBe(2);
    expect(r.json?.error).toMatch(/the socket closed in the middle of `W /);
    expect(r.json?.error).toMatch(/nothing was committed, but the staged shadows could not be put back/);
    expect(card.writes.map((w) => w.offset)).not.toContain(COMMIT);
    expect(card.writes).toHaveLength(2);
    const v = verifyAudit(audit);
    expect(v.ok).toBe(true);
    expect(v.entries).toBe(2);
  });

  test('kill with no build and no config: the standard block only; arm on a killed card without --clear-kill is refused (exit 1)', async () => {
    const card = await fakeCard(map, path.join(dir, 'k.sock'));
    const audit = path.join(dir, 'k.jsonl');
    const kill = await cli(['ctl', 'kill', '--card', `sim:${card.socket}`, '--audit', audit, '-o', 'json']);
    expect(kill.code).toBe(0);
    const arm = await cli(['ctl', 'arm', '--card', `sim:${card.socket}`, '--audit', audit, '-o', 'json']);
    expect(arm.code).toBe(1);
    expect(arm.json?.error).toMatch(/the kill is latched; clearing it is a separate, deliberate step/);
    expect(card.writes).toEqual([{ offset: 0x0c, value: 3 }]);
    await card.close();
  });
});

describe('ctl on the stand-in card', () => {
  test('set stages (validated; nothing on error), commit applies with the echo, disarm holds, watch samples', async () => {
    const card = await fakeCard(map, path.join(dir, 'o.sock'));
    const audit = path.join(dir, 'o.jsonl');
    const base = ['--card', `sim:${card.socket}`, '--build', build, '--audit', audit, '-o', 'json'];
    const bad = await cli(['ctl', 'set', 'maxQty=12', 'bandBps=70000', ...base]);
    expect(bad.code).toBe(1);
    expect(bad.json?.errors).toEqual(['bandBps (u(16)): 70000 is outside 0..65535']);
    expect(card.writes).toEqual([]);
    const set = await cli(['ctl', 'set', 'maxQty=12', 'maxNotional=0x100000000', ...base]);
    expect(set.code, set.stderr).toBe(0);
    expect(card.writes).toEqual([{ offset: 0x24, value: 12 }, { offset: 0x28, value: 0 }, { offset: 0x2c, value: 1 }]);
    const commit = await cli(['ctl', 'commit', ...base]);
    expect(commit.json).toMatchObject({ ok: true, generation: 1 });
    const dis = await cli(['ctl', 'disarm', ...base]);
    expect(dis.json).toMatchObject({ ok: true, held: true });
    expect(card.writes.slice(3)).toEqual([{ offset: 0x10, value: 1 }, { offset: 0x0c, value: 2 }]);
    const w = await cli(['ctl', 'watch', '--count', '2', '--interval', '10', ...base]);
    const samples = w.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(samples).toHaveLength(2);
    expect(samples[1]).toMatchObject({ ok: true, held: true, killed: false, armed: false, generation: 1, counters: {} });
    expect(verifyAudit(audit)).toMatchObject({ ok: true, entries: 5 });
    await card.close();
  });
});
