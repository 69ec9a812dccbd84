// pcap variants the real data does not contain: every real capture rewritten big-endian, and as raw IPv4 (link
// type 101) with the Ethernet/VLAN header stripped, must decode to exactly what the original decodes to.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeBytes, type DecodedItem } from '../../sim/stimulus/decode.ts';
import { Diagnostics } from '../../sim/stimulus/errors.ts';
import { allPcaps } from './data.ts';

function items(b: Uint8Array): Array<Omit<DecodedItem, 'offset'>> {
  const diag = new Diagnostics();
  const out: Array<Omit<DecodedItem, 'offset'>> = [];
  decodeBytes(b, {}, (it) => out.push({ layer: it.layer, value: it.value }), diag);
  expect(diag.first).toEqual([]);
  return out;
}

/** Rewrites a little-endian pcap with `frame` applied to every record's data, big-endian if `be`. */
function rewrite(b: Buffer, be: boolean, linkType: number | undefined, frame: (f: Buffer) => Buffer): Buffer {
  const w = (n: number, bits: 16 | 32) => {
    const x = Buffer.alloc(bits / 8);
    if (bits === 16) be ? x.writeUInt16BE(n) : x.writeUInt16LE(n);
    else be ? x.writeUInt32BE(n) : x.writeUInt32LE(n);
    return x;
  };
  const parts: Buffer[] = [w(b.readUInt32LE(0), 32), w(b.readUInt16LE(4), 16), w(b.readUInt16LE(6), 16), w(b.readUInt32LE(8), 32), w(b.readUInt32LE(12), 32), w(b.readUInt32LE(16), 32), w(linkType ?? b.readUInt32LE(20), 32)];
  for (let o = 24; o < b.length; ) {
    const incl = b.readUInt32LE(o + 8);
    const data = frame(b.subarray(o + 16, o + 16 + incl));
    const cut = incl - data.length;
    parts.push(w(b.readUInt32LE(o), 32), w(b.readUInt32LE(o + 4), 32), w(data.length, 32), w(b.readUInt32LE(o + 12) - cut, 32), data);
    o += 16 + incl;
  }
  return Buffer.concat(parts);
}

const stripEthernet = (f: Buffer) => {
  let o = 12;
  while (f.readUInt16BE(o) === 0x8100) o += 4;
  return f.subarray(o + 2);
};

describe('pcap byte orders and link types', () => {
  for (const f of allPcaps()) {
    test(path.basename(f), () => {
      const b = readFileSync(f);
      expect(b.readUInt32LE(0) === 0xa1b2c3d4 || b.readUInt32LE(0) === 0xa1b23c4d).toBe(true); // all real captures are little-endian
      const want = items(b);
      expect(want.length).toBeGreaterThan(0);
      expect(items(rewrite(b, true, undefined, (x) => x))).toEqual(want);
      expect(items(rewrite(b, true, 101, stripEthernet))).toEqual(want);
    });
  }
});
