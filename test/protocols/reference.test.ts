// (a) The CLI's decoder against an independent reference decoder (reference.ts: hand-written offset tables, no
// shared code) on every real capture: the snippet, the stock directory file and every pcap, field for field.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { allPcaps, DIRECTORY, REPO, SNIPPET } from './data.ts';
import { refBinaryFile, refPcap, type Json } from './reference.ts';

function cli(args: string[]): { lines: Json[] } {
  const r = execFileSync(process.execPath, [path.join(REPO, 'bin', 'tickforge.mjs'), 'decode', ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  return { lines: r.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json) };
}

describe('tickforge decode --jsonl matches the reference decoder on real data', () => {
  test('BinaryFILEs: the 1,000-message snippet and the stock directory head', () => {
    const got = cli([SNIPPET, DIRECTORY, '--jsonl']).lines;
    const want = [...refBinaryFile(readFileSync(SNIPPET)), ...refBinaryFile(readFileSync(DIRECTORY))];
    expect(want.length).toBe(2000);
    expect(got.length).toBe(want.length);
    for (let k = 0; k < want.length; k++) expect(got[k], `message ${k}`).toEqual(want[k]);
  });

  test('every pcap: ITCH over MoldUDP64 and OUCH over SoupBinTCP, session records included', () => {
    const files = allPcaps();
    expect(files.length).toBeGreaterThanOrEqual(29);
    const got = cli([...files, '--jsonl', '--session']).lines;
    const want = files.flatMap((f) => refPcap(readFileSync(f)));
    expect(got.length).toBe(want.length);
    for (let k = 0; k < want.length; k++) expect(got[k], `line ${k}`).toEqual(want[k]);
    // The captures hold every type the README lists (ITCH A F Q J L I P X D E C U Y H S; OUCH O A X C; heartbeats).
    const types = new Set(got.map((l) => `${l.layer ?? l.direction ?? 'itch'}:${l.type}`));
    for (const t of 'AFQJLIPXDECUYHS') expect(types, t).toContain(`itch:${t}`);
    for (const t of ['in:O', 'in:X', 'out:A', 'out:C', 'soupbintcp:R', 'soupbintcp:H']) expect(types).toContain(t);
  });
});
