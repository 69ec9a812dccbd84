// `ctl load` on a unit's build (not a system): test/docs/examples/symmap.ts, whose locate -> slot map and per-slot
// limits are host-written memories, on its sim card holding its input until FEED. Both memories loaded (one with
// --no-commit, then one COMMIT switching both), a refused file writing nothing, then the records fed: the pcap must
// equal the unit's model committed with the same contents, and differ from the model's at the declared contents.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { wireOutput } from '../../codegen/ir.ts';
import { packInto } from '../../dsl/record.ts';
import { SimTransport, loadBuild, readJournal, readOutputPcap, replayJournal, type AuditEntry } from '../../host/index.ts';
import { loadDesign, stimulusRecords } from '../../sim/design.ts';
import { initialParams } from '../../sim/params.ts';
import { REPO, cli, startCard } from './helpers.ts';

const DESIGN = path.join(REPO, 'test/docs/examples/symmap.ts');
let dir: string;
let build: string;
let sock: string;
let card: ChildProcess | null = null;
let cardExit: Promise<number | null>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-host-mem-'));
  build = path.join(dir, 'build');
  sock = path.join(dir, 'card.sock');
  const b = await cli(['build', DESIGN, '--out', build, '--no-hls', '--no-check']);
  expect(b.code, b.stderr).toBe(0);
  const sim = startCard([build, '--socket', sock, '--input', 'synthetic:2000', '--seed', '3', '--gap', '2', '--hold-feed']);
  card = sim.proc;
  cardExit = sim.exit;
  await sim.ready;
}, 240_000);

afterAll(async () => {
  if (card && card.exitCode === null) card.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('ctl load on a unit build: both memories loaded and committed; the outputs are the model\'s with those contents', async () => {
  const audit = path.join(dir, 'audit.jsonl');
  const env = { TICKFORGE_AUDIT: audit, TICKFORGE_OPERATOR: 'test-operator', TICKFORGE_CARD: `sim:${sock}` };
  const slots = Array.from({ length: 1024 }, (_, i) => (i * 173 + 11) % 1024);
  const limits = Array.from({ length: 1024 }, (_, i) => ((i * 2246822519) >>> 0) % 3_000_000_000);
  const slotsFile = path.join(dir, 'slots.json');
  const limitsFile = path.join(dir, 'limits.json');
  fs.writeFileSync(slotsFile, JSON.stringify(slots));
  fs.writeFileSync(limitsFile, JSON.stringify({ limits }));

  // Refused whole before the card is touched: an entry out of u(10)'s range.
  const badFile = path.join(dir, 'bad.json');
  fs.writeFileSync(badFile, JSON.stringify(slots.map((s, i) => (i === 9 ? 1024 : s))));
  const bad = await cli(['ctl', 'load', 'slots', '--file', badFile, '-o', 'json'], env);
  expect(bad.code).toBe(1);
  expect(bad.json!.errors).toEqual(['slots[9] (u(10)): 1024 is outside 0..1023']);
  expect(fs.existsSync(audit)).toBe(false);

  const l1 = await cli(['ctl', 'load', 'slots', '--file', slotsFile, '--no-commit', '-o', 'json'], env);
  expect(l1.code, l1.stderr).toBe(0);
  const l2 = await cli(['ctl', 'load', 'limits', '--file', limitsFile, '-o', 'json'], env);
  expect(l2.code, l2.stderr).toBe(0);
  expect(l2.json).toMatchObject({ entries: 1024, checked: 16, committed: { generation: 1 } });

  const map = loadBuild(build).map;
  const bus = new SimTransport(`sim:${sock}`, sock, 2 ** map.addrBits);
  await bus.request('FEED');
  for (let info = await bus.info(); info.accepted < info.inputs; info = await bus.info()) await new Promise((r) => setTimeout(r, 100));
  await bus.request('QUIT');
  await bus.close();
  expect(await cardExit).toBe(0);

  const ir = compile(DESIGN);
  const { unit, ...design } = await loadDesign(DESIGN);
  const records = stimulusRecords({ unit, ...design }, ir.input, 'synthetic:2000', 3);
  const wire = wireOutput(ir);
  const modelOutputs = (values: Record<string, unknown>) => {
    const model = unit.model();
    if (Object.keys(values).length) model.commit(initialParams(ir, values).model as never);
    return records.flatMap((r) => (model.stepAll(r as never) as readonly Record<string, unknown>[]).map((o) => {
      const buf = new Uint8Array(wire.bytes);
      packInto(wire, o, buf, 0);
      return Buffer.from(buf).toString('hex');
    }));
  };
  const pcap = readOutputPcap(sock.replace(/\.sock$/, '.pcap')).map((p) => Buffer.from(p.data).toString('hex'));
  expect(pcap.length).toBe(2000);
  expect(pcap).toEqual(modelOutputs({ slots, limits }));
  expect(pcap).not.toEqual(modelOutputs({}));
  // The journal replayed through the unit's model (the loads' memory writes and the COMMIT from the journal) agrees.
  const rep = await replayJournal(DESIGN, ir, map, new Uint8Array(fs.readFileSync(sock.replace(/\.sock$/, '.inputs'))), readJournal(sock.replace(/\.sock$/, '.journal')));
  expect(rep.outputs.map((b) => Buffer.from(b).toString('hex'))).toEqual(pcap);

  const lines = fs.readFileSync(audit, 'utf8').trim().split('\n').map((x) => JSON.parse(x) as AuditEntry);
  expect(lines.map((e) => [e.register, e.load?.phase ?? null])).toEqual([['slots', 'start'], ['slots', 'done'], ['limits', 'start'], ['limits', 'done'], ['COMMIT', null]]);
}, 240_000);
