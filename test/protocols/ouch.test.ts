// (b) The OUCH encoder, given the fields `tickforge decode --jsonl` printed for the real SoupBinTCP captures,
// reproduces the captured bytes exactly, appendages included; SoupBinTCP framing too.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ouch50Inbound, ouch50Outbound, OUCH50_OPTIONS } from '../../dsl/protocols/ouch50.ts';
import { encodeSoupPacket, soupBinTcp, type SoupPacket } from '../../dsl/protocols/soupbintcp.ts';
import type { Layout, TagValue } from '../../dsl/protocols/layout.ts';
import { OUCH_DIR, pcapsIn, REPO } from './data.ts';
import { refPcapFrames, refSoupMessages } from './reference.ts';

/** JSON (bigints as strings) -> the model's values, using the layout to know which fields are 8 bytes. */
function revive(l: Layout, j: Record<string, unknown>): Record<string, unknown> {
  const m: Record<string, unknown> = { ...j };
  for (const f of l.fields) {
    if (f.type.kind === 'int' && f.type.size === 8) m[f.name] = BigInt(j[f.name] as string);
    if (f.type.kind === 'appendage' && j[f.name] !== undefined)
      m[f.name] = (j[f.name] as TagValue[]).map((e) => ('value' in e && OUCH50_OPTIONS[e.tag]![1].size === 8 ? { ...e, value: BigInt(e.value as string) } : e));
  }
  return m;
}

/** The TCP payloads of a capture, frame by frame. */
function tcpPayloads(file: string): Buffer[] {
  return refPcapFrames(readFileSync(file)).map((f) => {
    let o = 12;
    while (f.readUInt16BE(o) === 0x8100) o += 4;
    const ip = o + 2;
    const t = ip + (f[ip]! & 15) * 4;
    return f.subarray(t + (f[t + 12]! >> 4) * 4, ip + f.readUInt16BE(ip + 2));
  });
}

describe('OUCH 5.0 encoder reproduces the real captures', () => {
  const files = pcapsIn(OUCH_DIR);
  const out = execFileSync(process.execPath, [path.join(REPO, 'bin', 'tickforge.mjs'), 'decode', ...files, '--jsonl'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const decoded = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const raw = files.flatMap((f) => refSoupMessages(readFileSync(f)));

  test('every message: decoded fields -> encoder -> the captured bytes', () => {
    expect(files.length).toBe(6);
    expect(decoded.length).toBe(raw.length);
    expect(decoded.map((d) => `${d.direction}:${d.type}`).sort()).toEqual(['in:O', 'in:X', 'out:A', 'out:C']);
    const sets = { in: ouch50Inbound(), out: ouch50Outbound() };
    decoded.forEach((d, k) => {
      const dir = d.direction as 'in' | 'out';
      expect(dir).toBe(raw[k]!.direction);
      const set = sets[dir];
      const { direction: _d, ...fields } = d;
      const bytes = set.encode(revive(set.layoutOf(d.type as string)!, fields) as never);
      expect(Buffer.from(bytes).toString('hex'), `${dir} ${d.type}`).toBe(raw[k]!.bytes.toString('hex'));
    });
  });

  test('appendages: Enter Order carries Firm, Order Accepted carries Firm and BBO Weight; Canceled has no length field', () => {
    const enter = decoded.find((d) => d.type === 'O')!;
    expect(enter.appendageLength).toBe(6);
    expect(enter.appendage).toEqual([{ tag: 2, option: 'firm', value: 'LIME' }]);
    const accepted = decoded.find((d) => d.type === 'A')!;
    expect(accepted.appendage).toEqual([{ tag: 2, option: 'firm', value: 'MLRO' }, { tag: 18, option: 'bboWeightIndicator', value: '0' }]);
    const canceled = decoded.find((d) => d.type === 'C')!;
    expect('appendageLength' in canceled).toBe(false);
    expect(raw.find((r) => r.bytes[0] === 0x43)!.bytes.length).toBe(18);
  });

  test('SoupBinTCP packets: each capture\'s TCP payload is exactly one encoded packet', () => {
    const soup = soupBinTcp();
    for (const f of files) {
      const [payload] = tcpPayloads(f);
      const type = String.fromCharCode(payload![2]!);
      const p = (type === 'S' || type === 'U' ? { type, message: payload!.subarray(3) } : { type }) as SoupPacket;
      expect(Buffer.from(encodeSoupPacket(soup, p)).toString('hex'), path.basename(f)).toBe(payload!.toString('hex'));
    }
  });
});
