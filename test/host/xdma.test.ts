// The XDMA back end against a regular file standing in for the user BAR: each access is one 4-byte pread/pwrite
// at BAR offset + register offset, little-endian; unaligned, out-of-aperture and over-wide accesses are refused
// before the file is touched; a short BAR is an error. Then the CLI on the same file: status from the standard
// block, and a kill with no build directory and no config (the standard block of regmap/ alone). The OPAE back
// end's command lines (commands as data; no opae.io here).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { regMapJson, regMapOf, type RegMap } from '../../regmap/index.ts';
import { OpaeTransport, XdmaTransport, openCard, verifyAudit } from '../../host/index.ts';
import { cli } from './helpers.ts';

let dir: string;
let map: RegMap;
let build: string;
const BAR_OFF = 0x1000;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-host-xdma-'));
  map = regMapOf(compile('examples/risk-gate/gate.ts', { timing: { enforce: false } }));
  build = path.join(dir, 'build');
  fs.mkdirSync(path.join(build, 'regmap'), { recursive: true });
  fs.writeFileSync(path.join(build, 'regmap', 'regmap.json'), regMapJson(map));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A BAR file: 8 KiB of 0xEE, the register file at BAR_OFF with its standard block's constants. */
function barFile(name: string): string {
  const f = path.join(dir, name);
  const b = Buffer.alloc(0x2000, 0xee);
  b.fill(0, BAR_OFF, BAR_OFF + 0x1000);
  for (const r of map.standard) if (r.access !== 'wo') b.writeUInt32LE(r.reset >>> 0, BAR_OFF + r.offset);
  b.writeUInt32LE(Number.parseInt(map.buildHash, 16) >>> 0, BAR_OFF + 0x08);
  fs.writeFileSync(f, b);
  return f;
}

describe('xdma back end on a file', () => {
  test('offsets, byte order, alignment, aperture and widths', async () => {
    const f = barFile('bar0');
    const t = new XdmaTransport(`xdma:${f}@0x1000`, f, BAR_OFF, 4096);
    expect(await t.read32(0)).toBe(0x54460001);
    await t.write32(0x24, 0x12345678);
    const raw = fs.readFileSync(f);
    expect([...raw.subarray(BAR_OFF + 0x24, BAR_OFF + 0x28)]).toEqual([0x78, 0x56, 0x34, 0x12]);
    // Neighbours untouched: exactly 4 bytes were written.
    expect(raw.readUInt32LE(BAR_OFF + 0x20)).toBe(0);
    expect(raw.readUInt32LE(BAR_OFF + 0x28)).toBe(0);
    expect(raw[0xfff]).toBe(0xee);
    expect(await t.read32(0x24)).toBe(0x12345678);
    await t.write32(0xffc, 0xffffffff);
    expect(await t.read32(0xffc)).toBe(0xffffffff);
    expect(fs.readFileSync(f)[0x2000 - 1]).toBe(0xff);
    await expect(t.read32(0x22)).rejects.toThrow(/offset 0x22 is not 4-byte aligned/);
    await expect(t.write32(0x21, 1)).rejects.toThrow(/not 4-byte aligned/);
    await expect(t.read32(0x1000)).rejects.toThrow(/outside the 4096-byte register aperture/);
    await expect(t.write32(0x20, 2 ** 32)).rejects.toThrow(/is not a 32-bit word/);
    await expect(t.write32(0x20, -1)).rejects.toThrow(/is not a 32-bit word/);
    await t.close();
    // A BAR shorter than the register file: a short read is an error, not a zero.
    const short = path.join(dir, 'short');
    fs.writeFileSync(short, Buffer.alloc(0x1002));
    const s = new XdmaTransport('xdma:short', short, BAR_OFF, 4096);
    await expect(s.read32(0)).rejects.toThrow(/returned 2 bytes, not 4/);
    await s.close();
    await expect(new XdmaTransport('xdma:none', path.join(dir, 'none'), 0, 4096).read32(0)).rejects.toThrow(/cannot open/);
  });

  test('card specs', () => {
    expect(openCard('xdma:/dev/xdma0_user@0x10000', 4096)).toBeInstanceOf(XdmaTransport);
    expect(() => openCard('xdma:/dev/xdma0_user@0x2', 4096)).toThrow(/4-byte aligned/);
    expect(() => openCard('pcie:0', 4096)).toThrow(/expected sim:<socket path>/);
    expect(() => openCard('opae:not-a-bdf', 4096)).toThrow(/not a PCIe BDF/);
    const o = openCard('opae:0000:3b:00.0@0x40000', 4096) as OpaeTransport;
    expect(o.argv('peek', 0x14)).toEqual(['-d', '0000:3b:00.0', '-r', '0', 'peek', '0x40014']);
    expect(o.argv('poke', 0x0c, 3)).toEqual(['-d', '0000:3b:00.0', '-r', '0', 'poke', '0x4000c', '0x3']);
  });

  test('CLI on the file: status with the build, kill with neither build nor config', async () => {
    const f = barFile('bar1');
    const audit = path.join(dir, 'x.jsonl');
    const st = await cli(['ctl', 'status', '--card', `xdma:${f}@0x1000`, '--build', build, '-o', 'json']);
    expect(st.code, st.stderr).toBe(0);
    expect(st.json).toMatchObject({ ok: true, id: '0x54460001', layout: 2, buildHash: map.buildHash, killed: false, armed: true, generation: 0 });
    const k = await cli(['ctl', 'kill', '--card', `xdma:${f}@0x1000`, '--audit', audit, '--operator', 'ops-1', '-o', 'json']);
    expect(k.code, k.stderr).toBe(0);
    expect(fs.readFileSync(f).readUInt32LE(BAR_OFF + 0x0c)).toBe(3);
    const v = verifyAudit(audit);
    expect(v.ok).toBe(true);
    const e = JSON.parse(fs.readFileSync(audit, 'utf8').trim());
    expect(e).toMatchObject({ seq: 1, who: 'ops-1', card: `xdma:${f}@0x1000`, cmd: 'ctl kill', register: 'CONTROL', offset: 0x0c, old: 0, new: 3, generation: 0 });
    // A file that is not a tickforge register file at that offset: refused before any write.
    const wrong = await cli(['ctl', 'kill', '--card', `xdma:${f}@0x0`, '--audit', audit, '-o', 'json']);
    expect(wrong.code).toBe(1);
    expect(wrong.json?.error).toMatch(/ID reads 0xeeeeeeee, not 0x54460001: not a tickforge register file/);
    expect(fs.readFileSync(f).readUInt32LE(0x0c)).toBe(0xeeeeeeee);
  });
});
