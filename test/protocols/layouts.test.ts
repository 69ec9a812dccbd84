// The declarations against the specs: every message's length (from the specs' offset tables: last field's offset
// plus its length), and random messages of every type encoded by the model and read back by the independent
// reference decoder, which catches any field at a wrong offset.
import { describe, expect, test } from 'vitest';
import { ITCH50_LAYOUTS, itch50 } from '../../dsl/protocols/itch50.ts';
import { OUCH50_INBOUND_LAYOUTS, OUCH50_OUTBOUND_LAYOUTS, OUCH50_OPTIONS, ouch50Inbound, ouch50Outbound } from '../../dsl/protocols/ouch50.ts';
import { MoldUdp64Header } from '../../dsl/protocols/moldudp64.ts';
import { SOUPBINTCP_LAYOUTS } from '../../dsl/protocols/soupbintcp.ts';
import { decoderSource, type MessageSet } from '../../dsl/protocols/codec.ts';
import type { FieldType, Layout } from '../../dsl/protocols/layout.ts';
import { FastRng } from '../../sim/stimulus/synthetic.ts';
import { ITCH, OUCH_IN, OUCH_OUT, refDecode } from './reference.ts';

// ITCH 5.0 (April 2023) message lengths, read off the spec: offset + length of each message's last field.
const ITCH_SPEC_LENGTHS: Record<string, number> = {
  S: 11 + 1, R: 38 + 1, H: 21 + 4, Y: 19 + 1, L: 25 + 1, V: 27 + 8, W: 11 + 1, K: 24 + 4, J: 31 + 4, h: 20 + 1, A: 32 + 4, F: 36 + 4,
  E: 23 + 8, C: 32 + 4, X: 19 + 4, D: 11 + 8, U: 31 + 4, P: 36 + 8, Q: 39 + 1, B: 11 + 8, I: 49 + 1, N: 19 + 1, O: 44 + 4,
};
// OUCH 5.0: offset of the Optional Appendage (= fixed part with the 2-byte Appendage Length), or total length.
const OUCH_IN_SPEC: Record<string, number> = { O: 47, U: 40, X: 11, M: 12, C: 19, D: 11, E: 11, Q: 3 };
const OUCH_OUT_SPEC: Record<string, number> = { S: 10, A: 64, U: 68, C: 20, D: 34, E: 36, B: 38, J: 31, P: 15, I: 15, T: 32, M: 20, R: 16, X: 27, G: 19, K: 19, Q: 15 };
const OUCH_OPTIONAL_APPENDAGE = { in: 'XMQ', out: 'CDBJPITMQ' };

describe('layout lengths equal the specs', () => {
  test('ITCH 5.0: all 23 message types of the April 2023 spec', () => {
    expect(ITCH50_LAYOUTS.map((l) => l.typeCode).sort()).toEqual(Object.keys(ITCH_SPEC_LENGTHS).sort());
    for (const l of ITCH50_LAYOUTS) expect(l.length, `${l.typeCode} ${l.name}`).toBe(ITCH_SPEC_LENGTHS[l.typeCode!]);
  });
  test('OUCH 5.0 inbound and outbound, with optional appendage lengths where the spec says so', () => {
    expect(OUCH50_INBOUND_LAYOUTS.map((l) => l.typeCode).sort()).toEqual(Object.keys(OUCH_IN_SPEC).sort());
    expect(OUCH50_OUTBOUND_LAYOUTS.map((l) => l.typeCode).sort()).toEqual(Object.keys(OUCH_OUT_SPEC).sort());
    for (const l of OUCH50_INBOUND_LAYOUTS) {
      expect(l.length, `in ${l.typeCode}`).toBe(OUCH_IN_SPEC[l.typeCode!]);
      expect(l.minLength, `in ${l.typeCode}`).toBe(OUCH_OPTIONAL_APPENDAGE.in.includes(l.typeCode!) ? l.length - 2 : l.length);
    }
    for (const l of OUCH50_OUTBOUND_LAYOUTS) {
      expect(l.length, `out ${l.typeCode}`).toBe(OUCH_OUT_SPEC[l.typeCode!]);
      expect(l.minLength, `out ${l.typeCode}`).toBe(OUCH_OPTIONAL_APPENDAGE.out.includes(l.typeCode!) ? l.length - 2 : l.length);
    }
  });
  test('MoldUDP64 header and SoupBinTCP packets', () => {
    expect(MoldUdp64Header.length).toBe(20);
    const soup = Object.fromEntries(SOUPBINTCP_LAYOUTS.map((l) => [l.typeCode, l.length]));
    expect(soup).toEqual({ '+': 1, A: 31, J: 2, S: 1, H: 1, Z: 1, L: 47, U: 1, R: 1, O: 1 });
  });
  test('the compiled decoder of a layout reads each field at its declared offset', () => {
    const src = decoderSource(ITCH50_LAYOUTS.find((l) => l.typeCode === 'A')!);
    expect(src).toContain('"orderReferenceNumber": dv.getBigUint64(o+11)');
    expect(src).toContain('"price": (b[o+32]*16777216+(b[o+33]<<16|b[o+34]<<8|b[o+35]))');
  });
});

function randomValue(t: FieldType, rng: FastRng): unknown {
  const ch = () => String.fromCharCode(0x20 + rng.below(95));
  switch (t.kind) {
    case 'int': {
      if (t.size === 8) return ((BigInt(rng.u32()) << 32n) | BigInt(rng.u32())) & (t.signed ? 0x7fffffffffffffffn : 0xffffffffffffffffn);
      const v = t.size === 6 ? rng.u32() * 65536 + rng.below(65536) : rng.u32() % 2 ** (8 * t.size);
      return t.signed ? v - 2 ** (8 * t.size - 1) : v;
    }
    case 'alpha':
      return Array.from({ length: rng.below(t.size + 1) }, ch).join('').padEnd(t.size, ' ');
    case 'char':
      return ch();
    case 'appendage': {
      if (t.optional && rng.below(3) === 0) return undefined;
      const tags = Object.keys(t.options).map(Number);
      return Array.from({ length: rng.below(4) }, () => {
        const tag = tags[rng.below(tags.length)]!;
        const [option, type] = t.options[tag]!;
        return { tag, option, value: randomValue(type, rng) };
      });
    }
    default:
      throw new Error(`no random ${t.kind}`);
  }
}

function randomMessage(l: Layout, rng: FastRng): Record<string, unknown> {
  const m: Record<string, unknown> = { type: l.typeCode };
  for (const f of l.fields) {
    const v = randomValue(f.type, rng);
    if (f.type.kind === 'appendage') {
      if (v !== undefined) m.appendageLength = (v as Array<{ tag: number }>).reduce((n, e) => n + 2 + OUCH50_OPTIONS[e.tag]![1].size, 0);
    }
    m[f.name] = v;
  }
  return m;
}

/** The model's value as the CLI prints it (bigints as decimal strings), undefined keys dropped. */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));

describe('random messages of every type: model encoder -> reference decoder, and model decoder -> same value', () => {
  const cases: Array<[string, readonly Layout[], MessageSet, typeof ITCH]> = [
    ['ITCH', ITCH50_LAYOUTS, itch50() as unknown as MessageSet, ITCH],
    ['OUCH inbound', OUCH50_INBOUND_LAYOUTS, ouch50Inbound() as unknown as MessageSet, OUCH_IN],
    ['OUCH outbound', OUCH50_OUTBOUND_LAYOUTS, ouch50Outbound() as unknown as MessageSet, OUCH_OUT],
  ];
  for (const [name, layouts, set, table] of cases) {
    test(name, () => {
      const rng = new FastRng(42);
      for (const l of layouts) {
        for (let k = 0; k < 50; k++) {
          const m = randomMessage(l, rng);
          const bytes = set.encode(m as never);
          const ref = refDecode(table, Buffer.from(bytes));
          expect(ref, `${name} ${l.typeCode}`).toEqual(asJson(m));
          const back = set.decode(bytes, 0, bytes.length);
          expect(back, `${name} ${l.typeCode}: ${set.failure?.message}`).toEqual(m);
        }
      }
    });
  }
});
