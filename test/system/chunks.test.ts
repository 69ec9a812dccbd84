// A system cosim streamed in chunks (docs/systems.md "Long runs") reports exactly what the same run reports in one
// chunk: every channel's counts and first mismatch, the edge, the HLS kernels, status registers, latency percentiles
// and histogram, the output pcap. Several chunks are forced with a small chunkInputs on small runs: the market maker
// (a unit after the first also takes records from outside: fills) and a system whose FIFO drops records (the drop
// offsets per chunk); and a run whose outside records leave no chunk end is refused, not reported differently.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { type SystemCosimOptions, cosimSystem } from '../../sim/system.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-syschunks-'));

/** The report without what differs between two runs of the same thing (paths, seconds, memory). */
function comparable(out: string): Record<string, unknown> {
  const r = JSON.parse(fs.readFileSync(path.join(out, 'cosim.json'), 'utf8'));
  delete r.seconds;
  delete r.peakRssMB;
  delete r.rtl;
  if (r.outputPcap) delete r.outputPcap.file;
  for (const h of r.hls) delete h.buildSeconds, delete h.buildCached;
  if (r.hlsTop) delete r.hlsTop.seconds, delete r.hlsTop.build;
  return r;
}

async function both(name: string, o: Omit<SystemCosimOptions, 'out'>, chunkInputs: number) {
  const logs: string[] = [];
  const one = await cosimSystem({ ...o, out: path.join(tmp, `${name}-one`) });
  const many = await cosimSystem({ ...o, out: path.join(tmp, `${name}-many`), chunkInputs, log: (s) => logs.push(s) });
  // The model phase's closing line: `model: <n> inputs in <k> chunks, ...`.
  const chunks = Number(logs.map((s) => /^model: \d+ inputs in (\d+) chunks?/.exec(s)).find((m) => m)![1]);
  return { one, many, chunks };
}

describe('system cosim in chunks', () => {
  test('the market maker (fills from outside into the quoter, OUCH out): several chunks report what one chunk reports', async () => {
    // Without HLS here (its kernels' builds are the slow part; the drops case below runs them on chunked files).
    const { one, many, chunks } = await both('mm', { file: 'examples/market-maker/system.ts', input: 'synthetic:1000', seed: 5, readyProb: 0.5, hls: false }, 1000);
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect(one.mismatches).toBe(0);
    expect(one.links.every((l) => l.compared > 50)).toBe(true);
    expect(one.outputPcap!.packets).toBeGreaterThan(5);
    expect(comparable(path.join(tmp, 'mm-many'))).toEqual(comparable(path.join(tmp, 'mm-one')));
    expect(fs.readFileSync(path.join(tmp, 'mm-many', 'output.pcap')).equals(fs.readFileSync(path.join(tmp, 'mm-one', 'output.pcap')))).toBe(true);
    expect(many.tap('book')).toEqual(one.tap('book'));
  }, 300_000);

  test('outside records as dense as the channel\'s (quoting): a chunk end the run cannot split is an error naming the unit, not a different result', async () => {
    const o = { file: 'test/system/designs/quoting.ts', input: 'synthetic:3000', seed: 6, readyProb: 0.7, hls: false };
    await expect(cosimSystem({ ...o, out: path.join(tmp, 'quoting-many'), chunkInputs: 500 })).rejects.toThrow(/unit inventory took a channel record at cycle \d+ in an earlier chunk and an outside record at cycle \d+ in chunk \d+/);
    // One chunk (the default, for this size) is SystemModel.run over the whole stimulus, as before chunks.
    expect((await cosimSystem({ ...o, out: path.join(tmp, 'quoting-one') })).mismatches).toBe(0);
  }, 240_000);

  test('a FIFO that drops (strobe producer): drop flags and counts carry across chunks', async () => {
    const { one, many, chunks } = await both('drops', { file: 'test/system/designs/drops.ts', input: 'synthetic:3000', seed: 3, validProb: 1, readyProb: 0.5 }, 400);
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect(one.mismatches).toBe(0);
    expect(one.links.some((l) => l.dropped > 0)).toBe(true);
    expect(one.hls.length).toBeGreaterThan(1);
    expect(comparable(path.join(tmp, 'drops-many'))).toEqual(comparable(path.join(tmp, 'drops-one')));
    expect(many.links.map((l) => [l.compared, l.dropped, l.delivered])).toEqual(one.links.map((l) => [l.compared, l.dropped, l.delivered]));
  }, 240_000);
});
