// The packet output's semantics (dsl/packet.ts, docs/semantics.md §10) on hand-checked cases: the RTL and HLS
// back ends are compared against this function by cosim (test/codegen/good/packet-beats.ts, the OUCH encoder).
import { describe, expect, test } from 'vitest';
import { record, u, i, unit } from '../../dsl/index.ts';
import { packetBeats, packetCapacity, beatRecord, packetProblem } from '../../dsl/packet.ts';

const Frame = record('Frame', { a: u(32), b: i(16), c: u(8), length: u(5) });
const P = { beatBytes: 4, length: 'length' } as const;

describe('packet beats', () => {
  test('capacity is the bytes before the length field; the beat record is { data, keep, last }', () => {
    expect(packetCapacity(Frame, P)).toBe(7);
    expect(beatRecord(8).fields.map((f) => [f.name, f.spec.width, f.lsb])).toEqual([['data', 64, 0], ['keep', 8, 64], ['last', 1, 72]]);
    expect(beatRecord(8).bytes).toBe(10);
  });
  test('bytes in wire order, lanes past the length zero, keep and last on the final beat', () => {
    const v = { a: 0x44332211, b: -2, c: 0x77, length: 6 }; // bytes 11 22 33 44 fe ff 77
    expect(packetBeats(Frame, P, v)).toEqual([
      { data: 0x44332211, keep: 0xf, last: false },
      { data: 0xfffe, keep: 0x3, last: true }, // byte 6 (0x77) is past the length: zero, not kept
    ]);
  });
  test('a length above the capacity sends the capacity; 0 sends nothing; an exact multiple ends on a full beat', () => {
    const v = { a: 1, b: 2, c: 3, length: 31 };
    expect(packetBeats(Frame, P, v).map((b) => [b.keep, b.last])).toEqual([[0xf, false], [0x7, true]]);
    expect(packetBeats(Frame, P, { ...v, length: 0 })).toEqual([]);
    expect(packetBeats(Frame, P, { ...v, length: 4 })).toEqual([{ data: 1, keep: 0xf, last: true }]);
  });
  test('64-bit beats carry bigint data', () => {
    const W = record('W', { w0: u(64), w1: u(64), length: u(5) });
    const beats = packetBeats(W, { beatBytes: 8, length: 'length' }, { w0: 0x8877665544332211n, w1: 0xffn, length: 9 });
    expect(beats).toEqual([
      { data: 0x8877665544332211n, keep: 0xff, last: false },
      { data: 0xffn, keep: 0x1, last: true },
    ]);
  });
  test('bad declarations are rejected by the model as the compiler rejects them (TF122)', () => {
    expect(packetProblem(Frame, { beatBytes: 3, length: 'length' })).toMatch(/beatBytes must be one of 1, 2, 4, 8/);
    expect(packetProblem(Frame, { beatBytes: 4, length: 'c' })).toMatch(/must be the last field/);
    const Odd = record('Odd', { a: u(12), length: u(4) });
    expect(packetProblem(Odd, { beatBytes: 4, length: 'length' })).toMatch(/whole bytes/);
    expect(() => unit({ name: 'x', input: Frame, output: Frame, packet: { beatBytes: 4, length: 'c' }, step: () => undefined })).toThrow(/last field/);
    expect(() => unit({ name: 'x', input: Frame, output: Frame, flow: 'strobe', packet: P, step: () => undefined })).toThrow(/needs TREADY/);
  });
});
