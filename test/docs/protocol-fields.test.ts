// docs/dsl.md §14 "Protocol fields": the example unit compiles, its model gives the hand-computed words the doc
// states and agrees with the protocol library's own encoder, the accessors agree with the library's decoder on
// every field of every ITCH message, and the two rejected snippets give the diagnostics the doc describes.
// (Three-way cosim and lint of the example: test/cosim/corpus.test.ts; a short three-way run is also here.)
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compile, CompileError, formatDiagnostic } from '../../codegen/index.ts';
import { cosim } from '../../sim/cosim.ts';
import { Rng, type Unit } from '../../dsl/index.ts';
import { encode, itch50, ITCH50_LAYOUTS, ouch, readField, writeField, encodeWord, fieldOffset, fieldSize, fieldSpec, lengthBitmap, type Layout, type ItchMessage } from '../../dsl/protocols/index.ts';
import { generateItch } from '../../sim/stimulus/synthetic.ts';

const FILE = 'test/docs/examples/itch-fields.ts';
const mod = await import('./examples/itch-fields.ts');

/** The 64-bit lane-order words of bytes b (zero-padded to n words). */
function wordsOf(b: Uint8Array, n: number): bigint[] {
  return Array.from({ length: n }, (_, k) => [...b.subarray(8 * k, 8 * k + 8)].reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n));
}
const addOrder = {
  type: 'A' as const,
  stockLocate: 7,
  trackingNumber: 0,
  timestamp: 1,
  orderReferenceNumber: 0x0102030405060708n,
  buySellIndicator: 'B',
  shares: 100,
  stock: 'AAPL    ',
  price: 1_234_500,
};

describe('protocol fields (docs/dsl.md §14)', () => {
  test('the example compiles to one stage (latency 2)', () => {
    const ir = compile(FILE);
    expect(ir.schedule.latency).toBe(2);
    expect(ir.output.fields.find((f) => f.name === 'price')!.spec).toEqual({ kind: 'uint', width: 32, scale: 4 });
  });

  test('the model gives the doc\'s words, and the bytes the library encoder writes for the Enter Order', () => {
    const m = (mod.default as Unit).model();
    const w = wordsOf(itch50().encode(addOrder), 5);
    const out = m.step({ w0: w[0]!, w1: w[1]!, w2: w[2]!, w3: w[3]!, w4: w[4]! })!;
    expect(out.price).toBe(1_234_500);
    expect(out.side).toBe(0x42);
    expect(out.w0).toBe(0x000042080706054fn);
    expect(out.w1).toBe(0x20204c5041416400n);
    const enter = encode(ouch.EnterOrder, {
      type: 'O', userRefNum: 0x05060708, side: 'B', quantity: 100, symbol: 'AAPL    ', price: 1_234_500n, timeInForce: '0',
      display: 'Y', capacity: 'P', interMarketSweepEligibility: 'N', crossType: 'N',
      clOrdId: '\x08\x07\x06\x05\x04\x03\x02\x01\0\0\0\0\0\0', appendageLength: 0, appendage: [],
    });
    expect(enter.length).toBe(47);
    expect([out.w0, out.w1, out.w2, out.w3, out.w4, out.w5]).toEqual(wordsOf(enter, 6));
    expect(m.step({ w0: 0x53n, w1: 0n, w2: 0n, w3: 0n, w4: 0n })).toBeUndefined(); // 'S': not an Add Order
  });

  test('readField agrees with the library decoder on every numeric and character field of synthetic ITCH, at any `at`', () => {
    const set = itch50();
    let fields = 0;
    const msgs: ItchMessage[] = [];
    generateItch({ count: 3000, seed: 5, onMessage: (x) => msgs.push(x) });
    for (const msg of msgs) {
      const bytes = set.encode(msg);
      const l = set.layoutOf(msg.type)! as Layout;
      for (const at of [0, 3, -11]) {
        const buf = new Uint8Array(72);
        const from = Math.max(0, -at);
        buf.set(bytes.subarray(from), Math.max(0, at));
        const ws = wordsOf(buf, 9);
        for (const f of l.fields) {
          if (at + f.offset < 0) continue;
          const v = (msg as Record<string, unknown>)[f.name];
          if (f.type.kind === 'int') expect(readField(l, f.name as never, ws, at)).toBe(v);
          else if (f.type.kind === 'char') expect(readField(l, f.name as never, ws, at)).toBe((v as string).charCodeAt(0));
          else if (f.type.kind === 'alpha' && f.type.size <= 8) {
            const key = [...(v as string)].reduceRight((acc, c) => acc * 256n + BigInt(c.charCodeAt(0)), 0n);
            expect(BigInt(readField(l, f.name as never, ws, at) as number | bigint)).toBe(key);
          } else continue;
          fields++;
        }
      }
    }
    expect(fields).toBeGreaterThan(30000);
  });

  test('writeField / encodeWord reproduce the library encoder; signed fields and sizes', () => {
    // every ITCH Add Order field written by name gives the encoder's bytes
    const bytes = itch50().encode(addOrder);
    const ws = wordsOf(bytes, 5);
    const l = ITCH50_LAYOUTS.find((x) => x.typeCode === 'A')! as Layout;
    for (let k = 0; k < 5; k++) {
      const { type: _t, ...fields } = addOrder;
      const v = { ...fields, buySellIndicator: 0x42, stock: BigInt(readField(l, 'stock' as never, ws) as number | bigint) };
      expect(encodeWord(l, v as never, 0, k)).toBe(ws[k]);
    }
    // a signed 4-byte price (OUCH PegOffset): big-endian two's complement, read back sign-extended
    const peg = { kind: 'int', size: 4, signed: true, scale: 4 } as const;
    const L = { typeCode: undefined, name: 'peg', fields: [{ name: 'p', type: peg, offset: 1 }], length: 5, minLength: 5, variable: false } as unknown as Layout;
    const w = writeField(L, 'p' as never, -2 as never, 0, 0);
    expect(w).toBe(0xfeffffff00n);
    expect(readField(L, 'p' as never, [w])).toBe(-2);
    expect(() => writeField(L, 'p' as never, 2 ** 31 as never, 0, 0)).toThrow(RangeError);
    expect([fieldOffset(ouch.EnterOrder, 'price'), fieldSize(ouch.EnterOrder, 'clOrdId')]).toEqual([18, 14]);
    expect(fieldSpec(ouch.EnterOrder, 'symbol')).toEqual({ kind: 'uint', width: 64 });
    // bit 0 of the length of 'A' (0x41: 36) and of 'S' (0x53: 12)
    expect((lengthBitmap(ITCH50_LAYOUTS, 2, 0x40) >> 1) & 1).toBe(1);
    expect((lengthBitmap(ITCH50_LAYOUTS, 2, 0x40) >> 0x13) & 1).toBe(1);
  });

  test('rejected: a value that may not fit its field (TF108), a field outside the words given (TF109)', () => {
    const first = (f: string) => {
      try {
        compile(f);
      } catch (err) {
        if (err instanceof CompileError) return formatDiagnostic(err.diagnostics[0]).split('\n')[0];
        throw err;
      }
      throw new Error(`${f} compiled`);
    };
    expect(first('test/docs/rejects/field-wide.ts')).toBe(
      'test/docs/rejects/field-wide.ts:12:58: error TF108: Enter Order.quantity holds 4 bytes (0..4294967295); this value may be 0..18446744073709551615',
    );
    expect(first('test/docs/rejects/field-words.ts')).toBe(
      'test/docs/rejects/field-words.ts:12:55: error TF109: Add Order (no MPID attribution).price (bytes 32..35 of the stream) is not in the 4 words given',
    );
  });

  test('three-way cosim (model, Verilated RTL, HLS C-sim): 0 mismatches', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-pf-'));
    const r = await cosim({ file: FILE, input: 'synthetic:3000', seed: 2, out });
    expect(r.executors.model!.outputs).toBeGreaterThan(2000);
    expect(r.executors.rtl!.compared).toBe(r.executors.model!.outputs);
    expect(r.executors.hls!.compared).toBe(r.executors.model!.outputs);
    expect(r.mismatches).toBe(0);
  }, 300_000);
});

void Rng;
