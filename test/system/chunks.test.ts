// A system cosim streamed in chunks (docs/systems.md "Long runs") reports exactly what the same run reports in one
// chunk: every channel's counts and first mismatch, the edge, the HLS kernels, status registers, latency percentiles
// and histogram, the output pcap. Several chunks are forced with a small chunkInputs on small runs: a system whose
// last unit also takes records from outside (fills) and one whose FIFO drops records (the drop offsets per chunk).
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
  const chunks = Number(/in (\d+) chunks?/.exec(logs.find((s) => s.startsWith('model:'))!)![1]);
  return { one, many, chunks };
}

describe('system cosim in chunks', () => {
  test('fills from outside into the last unit (quoting): several chunks report what one chunk reports', async () => {
    const { one, many, chunks } = await both('quoting', { file: 'test/system/designs/quoting.ts', input: 'synthetic:3000', seed: 6, readyProb: 0.7 }, 500);
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect(one.mismatches).toBe(0);
    expect(one.links[0].compared).toBeGreaterThan(1500);
    expect(one.hls.map((h) => h.compared)).toEqual(many.hls.map((h) => h.compared));
    expect(comparable(path.join(tmp, 'quoting-many'))).toEqual(comparable(path.join(tmp, 'quoting-one')));
    expect(many.tap('mids_to_inventory')).toEqual(one.tap('mids_to_inventory'));
  }, 240_000);

  test('a FIFO that drops (strobe producer): drop flags and counts carry across chunks', async () => {
    const { one, many, chunks } = await both('drops', { file: 'test/system/designs/drops.ts', input: 'synthetic:3000', seed: 3, validProb: 1, readyProb: 0.5, hls: false }, 400);
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect(one.mismatches).toBe(0);
    expect(one.links.some((l) => l.dropped > 0)).toBe(true);
    expect(comparable(path.join(tmp, 'drops-many'))).toEqual(comparable(path.join(tmp, 'drops-one')));
    expect(many.links.map((l) => [l.compared, l.dropped, l.delivered])).toEqual(one.links.map((l) => [l.compared, l.dropped, l.delivered]));
  }, 240_000);
});
