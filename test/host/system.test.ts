// The host control plane on a system's sim card, through the CLI with -o json: test/host/designs/slotsys.ts
// (symmap with host-written memories -> slice -> slotcount with a param and status counters) built, its Verilated
// top behind a Unix socket holding its input until FEED; then `ctl set slotcount.maxSlot`, `ctl commit`, `ctl load`
// of a permuted locate -> slot map and of the per-slot limits (a params file, as `cosim --params` takes it), FEED.
// The card's status counters and its output pcap must equal the composed model's told the same params file, and
// differ from the model's at the default params (so a host that wrote nothing, or the wrong words, fails). The
// audit log must name every register `<unit>.<register>`, hold two lines per memory load (start, done) with the file's SHA-256,
// and verify. The market maker's own test (two system inputs, a packet output, a 65,536-entry map; minutes to
// build) is test/host/market-maker.test.ts, run with TICKFORGE_HOST_MM=1.
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileSystem } from '../../codegen/system.ts';
import { wireOutput } from '../../codegen/ir.ts';
import { packInto } from '../../dsl/record.ts';
import { SimTransport, loadSystemBuild, readJournal, readOutputPcap, replaySystemJournal, verifyAudit, type AuditEntry } from '../../host/index.ts';
import { loadSystem } from '../../sim/design.ts';
import { systemStimulus } from '../../sim/hls-system.ts';
import { systemInitialParams } from '../../sim/params.ts';
import { commitInitial } from '../../sim/executors/system.ts';
import { REPO, cli, startCard } from './helpers.ts';

const DESIGN = path.join(REPO, 'test/host/designs/slotsys.ts');
const INPUT = 'synthetic:3000';
const SEED = 5;
let dir: string;
let build: string;
let sock: string;
let card: ChildProcess | null = null;
let cardExit: Promise<number | null>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-host-sys-'));
  build = path.join(dir, 'build');
  sock = path.join(dir, 'card.sock');
  const b = await cli(['build', DESIGN, '--out', build, '--no-hls', '--no-check']);
  expect(b.code, b.stderr).toBe(0);
  const sim = startCard([build, '--socket', sock, '--input', INPUT, '--seed', String(SEED), '--gap', '2', '--hold-feed']);
  card = sim.proc;
  cardExit = sim.exit;
  await sim.ready;
}, 240_000);

afterAll(async () => {
  if (card && card.exitCode === null) card.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The composed model's outputs (packed as the top emits them) and slotcount's counters, from `values` (`--params`). */
async function modelOf(values: Record<string, unknown>): Promise<{ outputs: Uint8Array[]; counters: Record<string, number> }> {
  const sys = compileSystem(DESIGN);
  const { system, design } = await loadSystem(DESIGN);
  const records = systemStimulus(system, design, sys, INPUT, SEED);
  const model = system.model();
  commitInitial(model, systemInitialParams(sys.units, values));
  const wire = wireOutput(sys.units[sys.units.length - 1]);
  const outputs = model.run(records).map((o) => {
    const buf = new Uint8Array(wire.bytes);
    packInto(wire, o.rec as never, buf, 0);
    return buf;
  });
  const st = model.unit('slotcount').state as { accepted: number; inRange: number };
  return { outputs, counters: { 'slotcount.accepted': Number(st.accepted), 'slotcount.inRange': Number(st.inRange) } };
}

describe('host control plane on a system sim card', () => {
  test('set, commit, load (a permuted locate map, the limits), feed: counters and outputs equal the composed model told the same params', async () => {
    const audit = path.join(dir, 'audit.jsonl');
    const env = { TICKFORGE_AUDIT: audit, TICKFORGE_OPERATOR: 'test-operator', TICKFORGE_CARD: `sim:${sock}` };
    const sysMap = loadSystemBuild(build).system;

    const st = await cli(['ctl', 'status', '-o', 'json'], env);
    expect(st.code, st.stderr).toBe(0);
    expect(st.json).toMatchObject({ ok: true, system: 'slotsys', id: '0x54465359', buildHash: sysMap.buildHash, drops: {} });
    const units = st.json!.units as Record<string, { buildHash: string; generation: number; armed: boolean }>;
    expect(Object.keys(units)).toEqual(['symmap', 'slotcount']);
    for (const w of sysMap.windows) expect(units[w.unit]).toMatchObject({ buildHash: w.map.buildHash, generation: 0, armed: true });

    // The params: a permutation of the slots, limits by slot, and slotcount's range (half the slots).
    const slots = Array.from({ length: 1024 }, (_, i) => (i * 389 + 7) % 1024);
    const limits = Array.from({ length: 1024 }, (_, i) => ((i * 2654435761) >>> 0) % 4_000_000_000);
    const values = { 'symmap.slots': slots, 'symmap.limits': limits, 'slotcount.maxSlot': 511 };
    const slotsFile = path.join(dir, 'slots.json');
    const paramsFile = path.join(dir, 'params.json');
    fs.writeFileSync(slotsFile, JSON.stringify(slots));
    fs.writeFileSync(paramsFile, JSON.stringify(values));

    // Refused before anything is written: a name without its unit, a param of another unit, a short memory.
    const bad = await cli(['ctl', 'set', 'maxSlot=3', 'symmap.maxSlot=3', '-o', 'json'], env);
    expect(bad.code).toBe(1);
    expect(bad.json!.errors).toEqual(['maxSlot: a system\'s params are <unit>.<param>, with a unit of symmap, slotcount', 'symmap.maxSlot: not a param of symmap (params: enabled)']);
    const shortFile = path.join(dir, 'short.json');
    fs.writeFileSync(shortFile, JSON.stringify(slots.slice(1)));
    const short = await cli(['ctl', 'load', 'symmap.slots', '--file', shortFile, '-o', 'json'], env);
    expect(short.code).toBe(1);
    expect(fs.existsSync(audit)).toBe(false);

    const set = await cli(['ctl', 'set', 'slotcount.maxSlot=511', '-o', 'json'], env);
    expect(set.code, set.stderr).toBe(0);
    expect((await cli(['ctl', 'get', 'slotcount.maxSlot', '-o', 'json'], env)).json!.values).toEqual({ 'slotcount.maxSlot': 511 });
    const commit = await cli(['ctl', 'commit', 'slotcount', '-o', 'json'], env);
    expect(commit.code, commit.stderr).toBe(0);
    expect(commit.json!.committed).toMatchObject({ slotcount: { generation: 1 } });

    const l1 = await cli(['ctl', 'load', 'symmap.slots', '--file', slotsFile, '--no-commit', '-o', 'json'], env);
    expect(l1.code, l1.stderr).toBe(0);
    expect(l1.json).toMatchObject({ entries: 1024, writes: 1 + 1024 + 16, checked: 16 });
    const l2 = await cli(['ctl', 'load', 'symmap.limits', '--file', paramsFile, '-o', 'json'], env);
    expect(l2.code, l2.stderr).toBe(0);
    // The load's COMMIT is symmap's own: it switches both memories' banks at one edge.
    expect(l2.json!.committed).toMatchObject({ generation: 1 });
    const st2 = (await cli(['ctl', 'status', '-o', 'json'], env)).json!.units as Record<string, { generation: number }>;
    expect([st2.symmap.generation, st2.slotcount.generation]).toEqual([1, 1]);

    // Records flow only now, every one after the loads' COMMIT; wait until every output is out.
    const bus = new SimTransport(`sim:${sock}`, sock, 2 ** sysMap.addrBits);
    expect((await cli(['ctl', 'feed', '-o', 'json'], env)).json).toMatchObject({ ok: true, feeding: true });
    for (let info = await bus.info(); info.accepted < info.inputs || info.outputs < info.accepted; info = await bus.info()) await new Promise((r) => setTimeout(r, 100));

    const want = await modelOf(values);
    const dflt = await modelOf({});
    const c = await cli(['ctl', 'counters', '-o', 'json'], env);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json!.counters).toEqual(want.counters);
    expect(c.json!.drops).toEqual({});
    // Not a count a host that loaded nothing would see, nor one that ignored maxSlot.
    expect(want.counters['slotcount.inRange']).toBeGreaterThan(0);
    expect(want.counters['slotcount.inRange']).toBeLessThan(want.counters['slotcount.accepted']);
    expect(dflt.counters).not.toEqual(want.counters);

    // Latency measured from the journal replayed through the composed model (the loads and the COMMITs included).
    const lat = await cli(['ctl', 'latency', '-o', 'json'], env);
    expect(lat.code, lat.stderr).toBe(0);
    const pipe = lat.json!.pipeline as { cycles: number };
    expect(lat.json!.measured).toMatchObject({ outputs: 3000, beats: 3000, minCycles: pipe.cycles, maxCycles: pipe.cycles });
    expect(lat.json!.measured).not.toHaveProperty('warning');

    // The emergency path without the build: the card alone (its LAYOUT word) locates both units' CONTROL.
    const hidden = `${build}.away`;
    fs.renameSync(build, hidden);
    try {
      const nb = await cli(['ctl', 'status', '-o', 'json'], env);
      expect(nb.code, nb.stderr).toBe(0);
      expect(nb.json).toMatchObject({ system: null, buildHash: sysMap.buildHash });
      expect(Object.entries(nb.json!.units as Record<string, { buildHash: string }>).map(([k, u]) => [k, u.buildHash])).toEqual(sysMap.windows.map((w, k) => [`window${k + 1}`, w.map.buildHash]));
      const kill = await cli(['ctl', 'kill', '-o', 'json'], env);
      expect(kill.code, kill.stderr).toBe(0);
      expect(Object.values((await cli(['ctl', 'status', '-o', 'json'], env)).json!.units as Record<string, { killed: boolean }>).map((u) => u.killed)).toEqual([true, true]);
    } finally {
      fs.renameSync(hidden, build);
    }
    // With the build again: the same units, killed (the RTL latched what the map-free writes hit).
    const back = (await cli(['ctl', 'status', '-o', 'json'], env)).json!.units as Record<string, { killed: boolean }>;
    expect([back.symmap.killed, back.slotcount.killed]).toEqual([true, true]);

    await bus.request('QUIT');
    await bus.close();
    expect(await cardExit).toBe(0);
    const pcap = readOutputPcap(sock.replace(/\.sock$/, '.pcap')).map((p) => Buffer.from(p.data).toString('hex'));
    expect(pcap.length).toBe(3000);
    expect(pcap).toEqual(want.outputs.map((b) => Buffer.from(b).toString('hex')));
    // The journal replayed through the composed model (ctl load's memory writes and every COMMIT from the journal,
    // not from the params file) gives the same beats and counters.
    const journal = readJournal(sock.replace(/\.sock$/, '.journal'));
    const rep = await replaySystemJournal(DESIGN, compileSystem(DESIGN), sysMap, new Uint8Array(fs.readFileSync(sock.replace(/\.sock$/, '.inputs'))), journal);
    expect(rep.outputs.map((b) => Buffer.from(b).toString('hex'))).toEqual(pcap);
    expect(rep.status).toEqual(Object.fromEntries(Object.entries(want.counters).map(([k, v]) => [k, String(v)])));

    // The audit log: unit-qualified names, one line per load with the file's hash, the chain intact.
    const v = verifyAudit(audit);
    expect(v.ok, v.errors.join('\n')).toBe(true);
    const lines = fs.readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    expect(lines.map((e) => [e.cmd, e.register])).toEqual([
      ['ctl set', 'slotcount.maxSlot'],
      ['ctl commit', 'slotcount.COMMIT'],
      ['ctl load', 'symmap.slots'],
      ['ctl load', 'symmap.slots'],
      ['ctl load', 'symmap.limits'],
      ['ctl load', 'symmap.limits'],
      ['ctl load', 'symmap.COMMIT'],
      ['ctl counters', 'slotcount.SNAPSHOT'],
      ['ctl kill', 'window2.CONTROL'],
      ['ctl kill', 'window1.CONTROL'],
    ]);
    const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    expect(lines.slice(2, 6).map((e) => e.load)).toMatchObject([
      { phase: 'start', entries: 1024, writes: 1041, sha256: sha(slotsFile) },
      { phase: 'done', entries: 1024, writes: 1041, sha256: sha(slotsFile) },
      { phase: 'start', entries: 1024, writes: 1041, sha256: sha(paramsFile) },
      { phase: 'done', entries: 1024, writes: 1041, sha256: sha(paramsFile) },
    ]);
    // Absolute offsets: slotcount's window is the second (base 2 << windowBits).
    expect(lines[0].offset).toBe(sysMap.windows[1].base + sysMap.windows[1].map.windows[0].params[0].offset);
  }, 240_000);
});
