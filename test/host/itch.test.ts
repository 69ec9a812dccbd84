// The sim card on the ITCH feed handler with the real NASDAQ snippet: the feed's 16 status counters, read through
// `ctl counters -o json` (SNAPSHOT, then every status word over AXI-Lite), equal the model's after the card's
// journal is replayed through it, and the card's outputs equal the model's; `ctl latency` measures the pipeline
// latency the schedule reports. (The build is made in-process, with the same function the CLI calls.)
// The feed handler takes 10-30 s to compile and is compiled three times here (build, card, replay), so this runs
// only with TICKFORGE_HOST_ITCH=1, to keep the default suite's time; the risk gate's e2e test covers the rest.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { build } from '../../cli/build.ts';
import { compile } from '../../codegen/index.ts';
import { SimTransport, loadBuild, readJournal, readOutputPcap, replayJournal } from '../../host/index.ts';
import { REPO, cli, startCard } from './helpers.ts';

const DESIGN = path.join(REPO, 'examples/itch-feed/feed.ts');
const SNIPPET = path.resolve(REPO, '../shared/data/itch/12302019_SNIPPET.NASDAQ_ITCH50');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-host-itch-'));
let card: ChildProcess | null = null;
afterAll(() => {
  if (card && card.exitCode === null) card.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!fs.existsSync(SNIPPET) || process.env.TICKFORGE_HOST_ITCH !== '1')('sim card on the ITCH snippet', () => {
  test('status counters and outputs equal the model\'s; measured latency equals the schedule\'s', async () => {
    const out = path.join(dir, 'build');
    await build(DESIGN, out, { noHls: true, check: false });
    const sock = path.join(dir, 'feed.sock');
    const sim = startCard([out, '--socket', sock, '--input', SNIPPET, '--gap', '1', '--cycles-per-ms', '1000']);
    card = sim.proc;
    const exit = sim.exit;
    await sim.ready;
    const env = { TICKFORGE_AUDIT: path.join(dir, 'audit.jsonl') };
    const c = await cli(['ctl', 'counters', '--card', `sim:${sock}`, '-o', 'json'], env);
    expect(c.code, c.stderr).toBe(0);
    const lat = await cli(['ctl', 'latency', '--card', `sim:${sock}`, '-o', 'json'], env);
    expect(lat.code, lat.stderr).toBe(0);
    const bus = new SimTransport('sim', sock, 4096);
    await bus.request('QUIT');
    await bus.close();
    await exit;

    const b = loadBuild(out);
    const j = readJournal(path.join(dir, 'feed.journal'));
    const ir = compile(DESIGN, { timing: { enforce: false } });
    const rep = await replayJournal(DESIGN, ir, b.map, new Uint8Array(fs.readFileSync(path.join(dir, 'feed.inputs'))), j);
    const counters = c.json!.counters as Record<string, number>;
    // The whole snippet went through before the read (1000 cycles per ms): every counter is final.
    expect((c.json!.card as { accepted: number }).accepted).toBe(j.inputs.length);
    expect(Object.keys(counters)).toHaveLength(16);
    expect(Object.fromEntries(Object.entries(counters).map(([k, v]) => [k, String(v)]))).toEqual(rep.status);
    expect(counters.messages).toBe(1000);
    const pcap = readOutputPcap(path.join(dir, 'feed.pcap'));
    expect(pcap.length).toBe(rep.outputs.length);
    for (let i = 0; i < pcap.length; i++) if (Buffer.compare(Buffer.from(pcap[i].data), Buffer.from(rep.outputs[i])) !== 0) throw new Error(`output ${i} differs from the model's`);
    expect(lat.json).toMatchObject({ pipeline: { cycles: b.latencyCycles }, measured: { outputs: 1000, minCycles: b.latencyCycles, maxCycles: b.latencyCycles } });
  }, 240_000);
});
