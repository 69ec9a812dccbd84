// The host control plane on the market maker's sim card (examples/market-maker/system.ts at 150 MHz): a quoter param
// set and committed through `ctl`, a permuted locate -> slot map loaded into `orders.slots` (65,536 entries) through
// `ctl load`, then the synthetic order flow (ITCH beats and the quoter's fills, two system inputs) fed. Every unit's
// status counters read through `ctl counters` (book.updates, the order store's, the feed handler's, the OMS's) must
// equal the composed model's told the same params and the cycles the card took each input at, the DROPS counter
// must be 0, and the OUCH beats in the card's pcap must equal the model's (which differ at the default half spread). It builds the system (about a minute), compiles its top into the sim card (minutes, cached
// after) and loads 65,537 words over the socket, so it runs only with TICKFORGE_HOST_MM=1.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileSystem } from '../../codegen/system.ts';
import { SimTransport, loadSystemBuild, readJournal, readOutputPcap, replaySystemJournal, verifyAudit, type AuditEntry } from '../../host/index.ts';
import { wireOutput } from '../../codegen/ir.ts';
import { packInto } from '../../dsl/record.ts';
import { type PacketSpec, wireRecords } from '../../dsl/packet.ts';
import { loadSystem } from '../../sim/design.ts';
import { systemStimulus } from '../../sim/hls-system.ts';
import { systemInitialParams } from '../../sim/params.ts';
import { commitInitial } from '../../sim/executors/system.ts';
import { permutedMap } from '../market-maker/slots.ts';
import { REPO, cli, startCard } from './helpers.ts';

const RUN = process.env.TICKFORGE_HOST_MM === '1';
const DESIGN = path.join(REPO, 'examples/market-maker/system.ts');
const INPUT = 'synthetic:3000';
const SEED = 7;
let dir: string;
let build: string;
let sock: string;
let card: ChildProcess | null = null;
let cardExit: Promise<number | null>;

beforeAll(async () => {
  if (!RUN) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-host-mm-'));
  build = path.join(dir, 'build');
  sock = path.join(dir, 'card.sock');
  const b = await cli(['build', DESIGN, '--out', build, '--clock', '150', '--no-hls', '--no-check']);
  expect(b.code, b.stderr).toBe(0);
  const sim = startCard([build, '--socket', sock, '--input', INPUT, '--seed', String(SEED), '--gap', '8', '--hold-feed']);
  card = sim.proc;
  cardExit = sim.exit;
  await sim.ready;
}, 1_800_000);

afterAll(async () => {
  if (card && card.exitCode === null) card.kill('SIGTERM');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!RUN)('host control plane on the market maker sim card', () => {
  test('quoter.halfSpread set, orders.slots loaded (permuted), order flow fed: every unit\'s counters and the OUCH beats equal the composed model\'s', async () => {
    const audit = path.join(dir, 'audit.jsonl');
    const env = { TICKFORGE_AUDIT: audit, TICKFORGE_OPERATOR: 'test-operator', TICKFORGE_CARD: `sim:${sock}` };
    const sysMap = loadSystemBuild(build).system;
    const st = await cli(['ctl', 'status', '-o', 'json'], env);
    expect(st.code, st.stderr).toBe(0);
    expect(st.json).toMatchObject({ ok: true, system: 'market_maker', buildHash: sysMap.buildHash, drops: { itch_feed_to_orders: 0 } });

    const map = permutedMap();
    const values = { 'orders.slots': map, 'quoter.halfSpread': 250 };
    const mapFile = path.join(dir, 'slots.json');
    fs.writeFileSync(mapFile, JSON.stringify(map));
    expect((await cli(['ctl', 'set', 'quoter.halfSpread=250', '-o', 'json'], env)).code).toBe(0);
    expect((await cli(['ctl', 'commit', 'quoter', '-o', 'json'], env)).json!.committed).toMatchObject({ quoter: { generation: 1 } });
    const l = await cli(['ctl', 'load', 'orders.slots', '--file', mapFile, '-o', 'json'], env);
    expect(l.code, l.stderr).toBe(0);
    expect(l.json).toMatchObject({ entries: 65536, writes: 1 + 65536 + 16, committed: { generation: 1 } });
    console.log(`orders.slots: 65,536 entries loaded in ${l.json!.seconds} s`);

    const bus = new SimTransport(`sim:${sock}`, sock, 2 ** sysMap.addrBits);
    expect((await cli(['ctl', 'feed', '-o', 'json'], env)).code).toBe(0);
    for (let info = await bus.info(); info.accepted < info.inputs; info = await bus.info()) await new Promise((r) => setTimeout(r, 200));
    await bus.request('STEP 2000'); // beyond the pipeline's latency: every counter has seen its last record
    const c = await cli(['ctl', 'counters', '-o', 'json'], env);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json!.drops).toEqual({ itch_feed_to_orders: 0 });
    await bus.request('SYNC');
    const journal = readJournal(sock.replace(/\.sock$/, '.journal'));

    // The composed model, told the same params and the cycle the card took each input at.
    const sys = compileSystem(DESIGN, { timing: { enforce: false } });
    const { system, design } = await loadSystem(DESIGN);
    const records = systemStimulus(system, design, sys, INPUT, SEED);
    expect(journal.inputs.length).toBe(records.length);
    const last = sys.units[sys.units.length - 1];
    const wire = wireOutput(last);
    const run = (v: Record<string, unknown>) => {
      const m = system.model();
      commitInitial(m, systemInitialParams(sys.units, v));
      const beats = m.run(records, journal.inputs).flatMap((o) => wireRecords(last.output, last.packet as PacketSpec | null, o.rec));
      return { model: m, beats: beats.map((w) => {
        const buf = new Uint8Array(wire.bytes);
        packInto(wire, w, buf, 0);
        return Buffer.from(buf).toString('hex');
      }) };
    };
    const { model, beats } = run(values);
    const want: Record<string, string> = {};
    for (const u of sys.units)
      for (const r of u.regs.filter((x) => x.status)) want[`${u.name}.${r.name}`] = BigInt.asUintN(r.spec.width, BigInt((model.unit(u.name).state as Record<string, number | bigint>)[r.name])).toString();
    const got = Object.fromEntries(Object.entries(c.json!.counters as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    expect(got).toEqual(want);
    expect(Number(want['book.updates'])).toBeGreaterThan(100);
    // The default map (locates 1..1024 -> slots 0..1023) gives other counts: the load took effect.
    const dflt = run({ 'quoter.halfSpread': 250 }).model;
    expect(String((dflt.unit('book').state as Record<string, number>).updates)).not.toBe(want['book.updates']);

    // Latency measured by the journal's replay through the composed model (a packet's first beat): every beat mapped.
    const lat = await cli(['ctl', 'latency', '-o', 'json'], env);
    expect(lat.code, lat.stderr).toBe(0);
    const measured = lat.json!.measured as { beats: number; minCycles: number; medianCycles: number; maxCycles: number; warning?: string };
    expect(measured.warning).toBeUndefined();
    expect(measured.minCycles).toBeGreaterThan(0);
    console.log(`market maker measured latency: ${JSON.stringify(measured)}; schedule ${JSON.stringify(lat.json!.pipeline)}`);

    // The OUCH beats (a packet's beats as { data, keep, last }) equal the model's; at the default half spread they differ.
    await bus.request('QUIT');
    await bus.close();
    expect(await cardExit).toBe(0);
    const pcap = readOutputPcap(sock.replace(/\.sock$/, '.pcap')).map((p) => Buffer.from(p.data).toString('hex'));
    expect(pcap.length).toBeGreaterThan(100);
    expect(pcap).toEqual(beats);
    expect(run({ 'orders.slots': map }).beats).not.toEqual(beats);
    // The journal's own writes (the set, the 65,553-word load, both COMMITs) replayed give the same beats.
    const rep = await replaySystemJournal(DESIGN, sys, sysMap, new Uint8Array(fs.readFileSync(sock.replace(/\.sock$/, '.inputs'))), readJournal(sock.replace(/\.sock$/, '.journal')));
    expect(rep.outputs.map((b) => Buffer.from(b).toString('hex'))).toEqual(pcap);
    expect(measured.beats).toBe(pcap.length);
    const v = verifyAudit(audit);
    expect(v.ok, v.errors.join('\n')).toBe(true);
    const lines = fs.readFileSync(audit, 'utf8').trim().split('\n').map((x) => JSON.parse(x) as AuditEntry);
    expect(lines.filter((e) => e.cmd === 'ctl load').map((e) => e.register)).toEqual(['orders.slots', 'orders.slots', 'orders.COMMIT']);
  }, 1_800_000);
});
