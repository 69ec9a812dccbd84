// End to end, through the CLI with -o json: the risk gate built, its sim card started (Verilated RTL behind a Unix
// socket, synthetic order intents at one per 4 cycles), a config deployed, a limit changed atomically while records
// flow, the kill switch pulled, counters read, the card stopped; then the card's journal is replayed through the
// model, whose outputs must equal the card's pcap byte for byte (which checks that the COMMIT and the kill took
// effect at their edges), no output may come from a record taken after the kill, and the audit log must verify
// and catch an edit, a removal, a reorder and a cut tail. The market-maker system does not exist yet: risk gate only.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { wireOutput } from '../../codegen/ir.ts';
import { unpackFrom } from '../../dsl/record.ts';
import { SimTransport, loadBuild, readJournal, readOutputPcap, replayJournal, verifyAudit } from '../../host/index.ts';
import { Kind } from '../../examples/risk-gate/gate.ts';
import { REPO, cli, startCard } from './helpers.ts';

let dir: string;
let build: string;
let sock: string;
let card: ChildProcess | null = null;
let cardExit: Promise<number | null>;
const DESIGN = path.join(REPO, 'examples/risk-gate/gate.ts');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-host-e2e-'));
  build = path.join(dir, 'build');
  sock = path.join(dir, 'card.sock');
  const b = await cli(['build', DESIGN, '--out', build, '--no-hls', '--no-check']);
  expect(b.code, b.stderr).toBe(0);
  // A slow clock (5 cycles per ms: 200,000 records would take minutes), so traffic is still flowing at the kill.
  const sim = startCard([build, '--socket', sock, '--input', 'synthetic:200000', '--gap', '4', '--cycles-per-ms', '5']);
  card = sim.proc;
  cardExit = sim.exit;
  await sim.ready;
}, 240_000);

afterAll(async () => {
  if (card && card.exitCode === null) card.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('host end to end on the risk gate sim card', () => {
  test('deploy, update under traffic, kill, counters, audit: the card matches the model', async () => {
    const audit = path.join(dir, 'audit.jsonl');
    const env = { TICKFORGE_AUDIT: audit, TICKFORGE_OPERATOR: 'test-operator' };
    const card0 = `sim:${sock}`;
    const st = await cli(['ctl', 'status', '--card', card0, '-o', 'json'], env);
    expect(st.code, st.stderr).toBe(0);
    const map = loadBuild(build).map;
    expect(st.json).toMatchObject({ ok: true, id: '0x54460001', layout: 2, buildHash: map.buildHash, killed: false, held: false, armed: true, generation: 0 });
    expect((fs.statSync(sock).mode & 0o777).toString(8)).toBe('600');

    const cfg1 = path.join(dir, 'limits1.json');
    fs.writeFileSync(cfg1, JSON.stringify({ maxQty: 1000, maxNotional: '5000000000', maxExposure: 50000 }));
    const d1 = await cli(['deploy', build, '--card', card0, '--config', cfg1, '-o', 'json'], env);
    expect(d1.code, d1.stderr).toBe(0);
    expect(d1.json).toMatchObject({ ok: true, generation: 1, params: { maxQty: { old: 50000, new: 1000 }, maxNotional: { old: 100000000000, new: 5000000000 } } });

    const cfg2 = path.join(dir, 'limits2.json');
    fs.writeFileSync(cfg2, JSON.stringify({ maxQty: 200, bandBps: 100 }));
    const d2 = await cli(['deploy', build, '--card', card0, '--config', cfg2, '-o', 'json'], env);
    expect(d2.code, d2.stderr).toBe(0);
    expect(d2.json).toMatchObject({ ok: true, generation: 2, params: { maxQty: { old: 1000, new: 200 }, bandBps: { old: 500, new: 100 } } });

    const k = await cli(['ctl', 'kill', '--card', card0, '-o', 'json'], env);
    expect(k.code, k.stderr).toBe(0);
    const killCycle = k.json!.cycle as number;

    const g = await cli(['ctl', 'get', 'maxQty', 'bandBps', '--card', card0, '-o', 'json'], env);
    expect(g.json).toMatchObject({ ok: true, values: { maxQty: 200, bandBps: 100 } });
    const c = await cli(['ctl', 'counters', '--card', card0, '-o', 'json'], env);
    expect(c.code, c.stderr).toBe(0);
    // Latency: with m_axis_tready high the risk gate's outputs leave exactly the schedule's latency after their input.
    const lat = await cli(['ctl', 'latency', '--card', card0, '-o', 'json'], env);
    expect(lat.code, lat.stderr).toBe(0);
    const L = loadBuild(build).latencyCycles;
    expect(lat.json).toMatchObject({ pipeline: { cycles: L }, measured: { minCycles: L, maxCycles: L } });
    const status = await cli(['ctl', 'status', '--card', card0, '-o', 'json'], env);
    expect(status.json).toMatchObject({ killed: true, held: true, armed: false, generation: 2 });
    // Clearing the kill is its own step: refused without --clear-kill, then the key and HOLD = 0.
    const refused = await cli(['ctl', 'arm', '--card', card0, '-o', 'json'], env);
    expect(refused.code).toBe(1);
    const arm = await cli(['ctl', 'arm', '--clear-kill', '--card', card0, '-o', 'json'], env);
    expect(arm.code, arm.stderr).toBe(0);
    expect(arm.json).toMatchObject({ ok: true, armed: true, clearedKill: true });
    const armCycle = arm.json!.cycle as number;
    // Run on after the arm until the card has taken 20 orders the new maxQty (200) rejects and the old one (1000) let
    // through, outside an in-band Halt (which rejects every order as KillSwitch and would hide the limit). The stimulus
    // is deterministic (card.inputs, written before the card started), so the index to wait for is known.
    const ir = compile(DESIGN, { timing: { enforce: false } });
    const inputs = new Uint8Array(fs.readFileSync(path.join(dir, 'card.inputs')));
    const stim = Array.from({ length: inputs.length / ir.input.bytes }, (_, i) => unpackFrom(ir.input, inputs, i * ir.input.bytes));
    const takenAtArm = ((await cli(['ctl', 'counters', '--card', card0, '-o', 'json'])).json!.card as { accepted: number }).accepted;
    let halted = false;
    let target = -1;
    for (let i = 0, n = 0; i < stim.length && target < 0; i++) {
      const r = stim[i];
      if (r.kind === Kind.Halt || r.kind === Kind.Resume) halted = r.kind === Kind.Halt;
      else if (i >= takenAtArm && !halted && r.kind === Kind.Order && (r.qty as number) > 200 && (r.qty as number) <= 1000 && ++n === 20) target = i;
    }
    expect(target, 'the stimulus has 20 such orders after the arm').toBeGreaterThan(0);
    for (let t0 = Date.now(); ; ) {
      const taken = ((await cli(['ctl', 'counters', '--card', card0, '-o', 'json'])).json!.card as { accepted: number }).accepted;
      if (taken > target + 1) break;
      if (Date.now() - t0 > 120_000) throw new Error(`the card took ${taken} records in 120 s; waiting for ${target + 2}`);
      await new Promise((r) => setTimeout(r, 500));
    }

    // Stop the card: the journal and the pcap are closed.
    const bus = new SimTransport(card0, sock, 4096);
    await bus.request('QUIT');
    await bus.close();
    expect(await cardExit).toBe(0);

    const j = readJournal(path.join(dir, 'card.journal'));
    const pcap = readOutputPcap(path.join(dir, 'card.pcap'));
    const rep = await replayJournal(DESIGN, ir, map, inputs, j);

    // The card's outputs are the model's, byte for byte, with the COMMITs and the kill at their journal edges.
    expect(pcap.length).toBe(rep.outputs.length);
    for (let i = 0; i < pcap.length; i++) if (Buffer.compare(Buffer.from(pcap[i].data), Buffer.from(rep.outputs[i])) !== 0) throw new Error(`output ${i} differs from the model's`);
    expect(pcap.length).toBeGreaterThan(100);

    // The second deploy's COMMIT happened under traffic and changed decisions from its edge on.
    const commits = j.writes.filter((w) => w.offset === 0x10);
    expect(commits.map((w) => w.value)).toEqual([1, 2]);
    expect(commits[1].cycle).toBe(d2.json!.cycle);
    const wire = wireOutput(ir);
    const dec = pcap.map((p, i) => ({ ...unpackFrom(wire, p.data, 0), inCycle: j.inputs[rep.from[i]] }) as Record<string, unknown> & { inCycle: number });
    const before = dec.filter((o) => o.inCycle <= commits[1].cycle && o.inCycle > commits[0].cycle);
    const after = dec.filter((o) => o.inCycle > commits[1].cycle);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    const maxQtyReject = (o: Record<string, unknown>) => !o.accepted && o.reason === 2 && (o.qty as number) <= 1000;
    expect(before.some(maxQtyReject)).toBe(false);
    expect(after.some(maxQtyReject)).toBe(true);

    // The kill: no output from a record taken after its edge until the arm sequence; records kept arriving at the
    // input rate meanwhile (taken and dropped: the input never backs up); after the arm, orders flow again.
    const controls = j.writes.filter((w) => w.offset === 0x0c);
    expect(controls).toEqual([{ cycle: killCycle, offset: 0x0c, value: 3 }, { cycle: expect.any(Number), offset: 0x0c, value: 0x41524d02 }, { cycle: armCycle, offset: 0x0c, value: 0 }]);
    const whileKilled = j.inputs.filter((cy) => cy > killCycle && cy <= armCycle).length;
    expect(whileKilled).toBeGreaterThan((armCycle - killCycle) / 8);
    expect(dec.filter((o) => o.inCycle > killCycle && o.inCycle <= armCycle)).toEqual([]);
    expect(dec.filter((o) => o.inCycle > armCycle).length).toBeGreaterThan(0);
    const lastOut = Math.max(...j.outputs.filter((cy) => cy <= armCycle));
    const drain = Math.max(0, lastOut - killCycle);
    const latency = loadBuild(build).latencyCycles;
    expect(drain).toBeLessThanOrEqual(latency);
    console.log(`kill at cycle ${killCycle}: last output ${drain} cycles later (pipeline latency ${latency}); ${whileKilled} records taken until the arm at cycle ${armCycle}, none produced an output`);

    // Counters: the design's status registers (the risk gate has none) and the card's stream counters, read while
    // killed, equal the model's: every output of a record taken before the kill.
    expect(c.json!.counters).toEqual(rep.status);
    const cc = c.json!.card as { outputs: number; accepted: number; cycle: number };
    expect(cc.outputs).toBe(rep.from.filter((i) => j.inputs[i] <= killCycle).length);
    expect(cc.accepted).toBe(j.inputs.filter((cy) => cy < cc.cycle).length);

    // The audit log: every write, verified through the CLI; then an edit, a removal, a reorder and a cut tail are caught.
    const v = await cli(['ctl', 'audit', 'verify', '-o', 'json'], env);
    expect(v.code).toBe(0);
    const lines = fs.readFileSync(audit, 'utf8').trim().split('\n');
    const entries = lines.map((l) => JSON.parse(l));
    // deploy 1: maxQty, maxNotional (2 words), maxExposure, COMMIT; deploy 2: maxQty, bandBps, COMMIT; kill; SNAPSHOT is skipped (no status registers).
    expect(entries.map((e) => e.register)).toEqual(['maxQty', 'maxNotional[31:0]', 'maxNotional[63:32]', 'maxExposure', 'COMMIT', 'maxQty', 'bandBps', 'COMMIT', 'CONTROL', 'CONTROL', 'CONTROL']);
    expect(entries[0]).toMatchObject({ who: 'test-operator', card: card0, cmd: 'deploy', offset: 0x24, old: 50000, new: 1000, generation: 0 });
    expect(entries[4]).toMatchObject({ register: 'COMMIT', old: 0, new: 1, generation: 1 });
    expect(entries[8]).toMatchObject({ register: 'CONTROL', cmd: 'ctl kill', old: 0, new: 3, generation: 2, cycle: killCycle });
    expect(entries[9]).toMatchObject({ register: 'CONTROL', cmd: 'ctl arm', old: 3, new: 0x41524d02 });
    expect(entries[10]).toMatchObject({ register: 'CONTROL', cmd: 'ctl arm', old: 2, new: 0, cycle: armCycle });
    const tamper = (f: (l: string[]) => string[]) => {
      const t = path.join(dir, `t-${Math.random().toString(36).slice(2)}.jsonl`);
      fs.writeFileSync(t, f([...lines]).join('\n') + '\n');
      fs.copyFileSync(audit + '.head', t + '.head');
      return t;
    };
    const edited = tamper((l) => ((l[5] = l[5].replace('"new":200', '"new":20000')), l));
    expect(verifyAudit(edited).errors[0]).toMatch(/line 6 \(seq 6\): its hash does not match its content \(edited\)/);
    const ed = await cli(['ctl', 'audit', 'verify', '--audit', edited, '-o', 'json']);
    expect(ed.code).toBe(1);
    expect(verifyAudit(tamper((l) => (l.splice(3, 1), l))).ok).toBe(false);
    expect(verifyAudit(tamper((l) => ([l[2], l[3]] = [l[3], l[2]], l))).errors.join('\n')).toMatch(/does not follow the line before it/);
    expect(verifyAudit(tamper((l) => l.slice(0, -1))).errors.join('\n')).toMatch(/the log ends at seq 10, its head file says seq 11/);
  }, 180_000);
});
