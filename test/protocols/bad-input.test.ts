// (c) Bad input: every case is one counted error with its code and byte offset, decoding goes on, and no
// message is delivered from bytes that are not exactly that message.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { itch50, type ItchMessage } from '../../dsl/protocols/itch50.ts';
import { ouch50Inbound } from '../../dsl/protocols/ouch50.ts';
import { encodeMoldPacket } from '../../dsl/protocols/moldudp64.ts';
import { decodeBytes, type DecodedItem } from '../../sim/stimulus/decode.ts';
import { Diagnostics, type StimulusErrorCode } from '../../sim/stimulus/errors.ts';
import { PcapWriter, udpFrame } from '../../sim/stimulus/pcap.ts';
import { DEFAULT_ENDPOINT } from '../../sim/stimulus/packetizer.ts';
import { REPO } from './data.ts';

const itch = itch50();
const D = (ref: number): ItchMessage => ({ type: 'D', stockLocate: 7, trackingNumber: 0, timestamp: 34_200_000_000_000 + ref, orderReferenceNumber: BigInt(ref) });
const A: ItchMessage = { type: 'A', stockLocate: 7, trackingNumber: 1, timestamp: 34_200_000_000_001, orderReferenceNumber: 9n, buySellIndicator: 'B', shares: 100, stock: 'AAPL    ', price: 2_935_000 };
const enc = (m: ItchMessage) => itch.encode(m);
const cat = (...parts: ArrayLike<number>[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const rec = (m: ArrayLike<number>) => cat([m.length >> 8, m.length & 0xff], m);

function run(b: Uint8Array) {
  const diag = new Diagnostics();
  const items: DecodedItem[] = [];
  decodeBytes(b, {}, (it) => items.push(it), diag);
  const msgs = items.filter((i) => i.layer !== 'moldudp64' && i.layer !== 'soupbintcp').map((i) => i.value);
  return { msgs, errors: diag.first.map((e) => [e.code, e.offset] as [StimulusErrorCode, number]), diag };
}

describe('BinaryFILE', () => {
  const d1 = rec(enc(D(1))); // 21 bytes
  test('truncated record: 1 byte where a length belongs', () => {
    const r = run(cat(d1, [0x00]));
    expect(r.errors).toEqual([['truncated-record', 21]]);
    expect(r.msgs).toEqual([D(1)]);
  });
  test('length running past the end of the file', () => {
    const r = run(cat(d1, [0x00, 0x13], enc(D(2)).subarray(0, 10)));
    expect(r.errors).toEqual([['length-past-end', 21]]);
    expect(r.msgs).toEqual([D(1)]);
  });
  test('zero length: skipped, the next record is read', () => {
    const r = run(cat([0, 0], d1));
    expect(r.errors).toEqual([['zero-length', 0]]);
    expect(r.msgs).toEqual([D(1)]);
  });
  test('unknown message type: that record skipped', () => {
    const r = run(cat(rec([0x5a, 1, 2, 3, 4]), d1));
    expect(r.errors).toEqual([['unknown-type', 2]]);
    expect(r.diag.first[0]!.message).toContain("'Z'");
    expect(r.msgs).toEqual([D(1)]);
  });
  test('message shorter than its type\'s size, and longer', () => {
    const r = run(cat(rec(enc(A).subarray(0, 30)), rec(cat(enc(D(2)), [0])), d1));
    expect(r.errors).toEqual([
      ['short-message', 2],
      ['long-message', 34],
    ]);
    expect(r.diag.first[0]!.message).toBe("ITCH 5.0 'A' (Add Order (no MPID attribution)) needs 36 bytes, got 30");
    expect(r.msgs).toEqual([D(1)]);
  });
});

/** A pcap of UDP datagrams (MoldUDP64 payloads). Record k's data starts at 24 + 16(k+1) + sum of earlier frames. */
function udpPcap(payloads: Uint8Array[]): Uint8Array {
  const w = new PcapWriter();
  payloads.forEach((p, k) => w.add(udpFrame(DEFAULT_ENDPOINT, p, k), 1n));
  return w.bytes();
}
const UDP_PAYLOAD = 24 + 16 + 42; // file offset of the first datagram's payload

describe('MoldUDP64 in pcap', () => {
  const header = (count: number) => encodeMoldPacket('SESSION001', 100n, []).map((b, k) => (k === 18 ? count >> 8 : k === 19 ? count & 0xff : b));
  test('count larger than the blocks present: the blocks delivered, the mismatch counted', () => {
    const r = run(udpPcap([cat(header(3), rec(enc(D(1))), rec(enc(D(2))))]));
    expect(r.errors).toEqual([['mold-count-mismatch', UDP_PAYLOAD + 18]]);
    expect(r.msgs).toEqual([D(1), D(2)]);
  });
  test('bytes left after the counted blocks', () => {
    const r = run(udpPcap([cat(header(1), rec(enc(D(1))), rec(enc(D(2))))]));
    expect(r.errors).toEqual([['mold-count-mismatch', UDP_PAYLOAD + 20 + 21]]);
    expect(r.msgs).toEqual([D(1)]);
  });
  test('block length past the end of the packet', () => {
    const r = run(udpPcap([cat(header(2), rec(enc(D(1))), [0, 50], enc(D(2)))]));
    expect(r.errors).toEqual([['length-past-end', UDP_PAYLOAD + 41]]);
    expect(r.msgs).toEqual([D(1)]);
  });
  test('zero-length block, unknown type and short message inside a packet', () => {
    const r = run(udpPcap([cat(header(4), [0, 0], rec([0x7a, 0, 0]), rec(enc(A).subarray(0, 35)), rec(enc(D(3))))]));
    expect(r.errors).toEqual([
      ['zero-length', UDP_PAYLOAD + 20],
      ['unknown-type', UDP_PAYLOAD + 24],
      ['short-message', UDP_PAYLOAD + 29],
    ]);
    expect(r.msgs).toEqual([D(3)]);
  });
  test('UDP payload shorter than the header; heartbeat and end of session are not errors', () => {
    const hb = encodeMoldPacket('SESSION001', 5n, []);
    const eos = header(0xffff);
    const r = run(udpPcap([new Uint8Array(10), hb, Uint8Array.from(eos)]));
    expect(r.errors).toEqual([['mold-truncated-header', UDP_PAYLOAD]]);
    expect(r.msgs).toEqual([]);
  });
});

describe('pcap container and frames', () => {
  const good = udpPcap([encodeMoldPacket('S', 1n, [enc(D(1))]), encodeMoldPacket('S', 2n, [enc(D(2))])]);
  test('not a pcap (pcapng, or a header cut short)', () => {
    expect(run(Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0])).errors).toEqual([['bad-pcap-header', 0]]);
    expect(run(good.subarray(0, 20)).errors).toEqual([['bad-pcap-header', 0]]);
  });
  test('record cut by the end of the file: earlier records delivered', () => {
    const r = run(good.subarray(0, good.length - 5));
    expect(r.errors).toEqual([['truncated-packet', 24 + 16 + 83]]);
    expect(r.msgs).toEqual([D(1)]);
  });
  test('captured length below the wire length (snap length)', () => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(24 + 12, 1000, true);
    const r = run(b);
    expect(r.errors).toEqual([['truncated-packet', 24]]);
    expect(r.msgs).toEqual([D(2)]);
  });
  test('IPv4 total length beyond the captured frame; IPv4 fragment', () => {
    const b = good.slice();
    b[24 + 16 + 14 + 2] = 0x05; // total length 0x05xx
    const r = run(b);
    expect(r.errors).toEqual([['truncated-frame', 24 + 16 + 14]]);
    const f = good.slice();
    f[24 + 16 + 14 + 6] = 0x20; // more fragments
    expect(run(f).errors).toEqual([['ip-fragment', 24 + 16 + 14]]);
  });
});

/** Ethernet/IPv4/TCP frame with sequence number `seq`. */
function tcpFrame(seq: number, payload: ArrayLike<number>, fromClient = true): Uint8Array {
  const f = new Uint8Array(14 + 20 + 20 + payload.length);
  f[12] = 0x08;
  const total = 40 + payload.length;
  f.set([0x45, 0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, fromClient ? 1 : 2, 10, 0, 0, fromClient ? 2 : 1], 14);
  f.set([0x9c, 0x40, 0x1f, 0x41, seq >>> 24, (seq >>> 16) & 0xff, (seq >>> 8) & 0xff, seq & 0xff, 0, 0, 0, 0, 0x50, 0x18, 0x80, 0], 34);
  f.set(payload, 54);
  return f;
}
function tcpPcap(frames: Uint8Array[]): Uint8Array {
  const w = new PcapWriter();
  for (const f of frames) w.add(f, 1n);
  return w.bytes();
}

describe('SoupBinTCP over TCP', () => {
  const ouch = ouch50Inbound();
  const cancel = (n: number) => ouch.encode({ type: 'X', userRefNum: n, quantity: 0 });
  const soupU = (m: Uint8Array) => cat([0, m.length + 1, 0x55], m); // 12 bytes for a 9-byte cancel
  const heartbeat = [0, 1, 0x52];
  const X = (n: number) => ({ type: 'X', userRefNum: n, quantity: 0, appendageLength: undefined, appendage: undefined });
  test('several packets in one segment and a packet split across segments: all delivered, no error', () => {
    const stream = cat(soupU(cancel(1)), heartbeat, soupU(cancel(2)), soupU(cancel(3)));
    const r = run(tcpPcap([tcpFrame(1000, stream.subarray(0, 20)), tcpFrame(1020, stream.subarray(20, 31)), tcpFrame(1031, stream.subarray(31))]));
    expect(r.errors).toEqual([]);
    expect(r.msgs).toEqual([X(1), X(2), X(3)]);
  });
  test('retransmitted bytes are not delivered twice', () => {
    const stream = cat(soupU(cancel(1)), soupU(cancel(2)));
    const r = run(tcpPcap([tcpFrame(1, stream.subarray(0, 16)), tcpFrame(1, stream.subarray(0, 16)), tcpFrame(13, stream.subarray(12))]));
    expect(r.errors).toEqual([]);
    expect(r.msgs).toEqual([X(1), X(2)]);
  });
  test('stream ending inside a packet', () => {
    const r = run(tcpPcap([tcpFrame(1, cat(soupU(cancel(1)), soupU(cancel(2)).subarray(0, 5)))]));
    expect(r.errors).toEqual([['truncated-stream', 24 + 16 + 54 + 12]]);
    expect(r.msgs).toEqual([X(1)]);
  });
  test('TCP sequence gap: the partial packet dropped, parsing restarts at the new segment', () => {
    const r = run(tcpPcap([tcpFrame(1, soupU(cancel(1)).subarray(0, 6)), tcpFrame(100, soupU(cancel(2)))]));
    expect(r.errors).toEqual([['tcp-gap', 24 + 16 + 60 + 16 + 54]]);
    expect(r.msgs).toEqual([X(2)]);
  });
  test('unknown packet type, zero-length packet, OUCH bad appendage and short message', () => {
    const enter = ouch.encode({ type: 'O', userRefNum: 1, side: 'B', quantity: 100, symbol: 'AAPL', price: 1n, timeInForce: '0', display: 'Y', capacity: 'A', interMarketSweepEligibility: 'N', crossType: 'N', clOrdId: 'X', appendage: [{ tag: 2, option: 'firm', value: 'LIME' }] });
    const badApp = enter.slice(0, enter.length - 1); // appendage length says 6, 5 bytes follow
    const stream = cat([0, 2, 0x7e, 0], [0, 0], soupU(badApp), soupU(cancel(1).subarray(0, 5)), soupU(cancel(9)));
    const base = 24 + 16 + 54;
    const r = run(tcpPcap([tcpFrame(1, stream)]));
    expect(r.errors).toEqual([
      ['unknown-type', base],
      ['zero-length', base + 4],
      ['bad-appendage', base + 6 + 3],
      ['short-message', base + 6 + 55 + 3],
    ]);
    expect(r.msgs).toEqual([X(9)]);
    expect(r.diag.first[2]!.message).toBe("OUCH 5.0 inbound 'O': appendage length 6 but 5 bytes follow the fixed part");
  });
});

describe('the CLI reports errors with offsets and exits 1', () => {
  test('decode --jsonl of a BinaryFILE with a zero length and a cut record', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tf-bad-'));
    const f = path.join(dir, 'bad.itch');
    writeFileSync(f, cat([0, 0], rec(enc(D(1))), [0, 40, 1]));
    let status = 0;
    let stdout = '';
    let stderr = '';
    try {
      execFileSync(process.execPath, [path.join(REPO, 'bin', 'tickforge.mjs'), 'decode', f, '--jsonl'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      status = x.status;
      stdout = x.stdout;
      stderr = x.stderr;
    }
    expect(status).toBe(1);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ type: 'D', stockLocate: 7, trackingNumber: 0, timestamp: 34200000000001, orderReferenceNumber: '1' }]);
    expect(stderr).toContain('2 errors (zero-length 1, length-past-end 1)');
    expect(stderr).toContain('zero-length at byte 0: BinaryFILE: record of length 0');
    expect(stderr).toContain('length-past-end at byte 23: BinaryFILE: record length 40 runs 39 bytes past the end of the file');
  });
});
