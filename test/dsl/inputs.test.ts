// The compiled per-port conversions of a unit with several inputs (dsl/inputs.ts portCodec) against eventOf and
// portRecord, which define them: the same events, the same records, the same errors; and a string-valued enum, a
// numeric enum, a u64 field and a char among the ports.
import { describe, expect, test } from 'vitest';
import { record, u, bool, char, enumOf } from '../../dsl/index.ts';
import { mergedInput, eventOf, portRecord, portCodec } from '../../dsl/inputs.ts';
import { Rng } from '../../dsl/rng.ts';

enum Side {
  Buy = 'B',
  Sell = 'S',
}
enum Kind {
  A = 1,
  B = 2,
  C = 7,
}
const P = record('P', { side: enumOf('Side', Side), px: u(32), big: u(64), flag: bool() });
const Q = record('Q', { kind: enumOf('Kind', Kind), c: char(), n: u(8) });
const R = record('R', { n: u(8) });
const m = mergedInput('t', [['p', P], ['q', Q], ['r', R]]);
const c = portCodec(m);

function outcome(f: () => unknown): string {
  try {
    return JSON.stringify(f(), (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

describe('portCodec === eventOf / portRecord', () => {
  const rng = new Rng(4);
  const recs: Array<[string, Record<string, unknown>]> = [];
  for (let n = 0; n < 200; n++) {
    recs.push(['p', { side: rng.chance(0.5) ? Side.Buy : Side.Sell, px: rng.u32(), big: rng.bits(64), flag: rng.chance(0.5) }]);
    recs.push(['q', { kind: [Kind.A, Kind.B, Kind.C][rng.below(3)], c: String.fromCharCode(32 + rng.below(90)), n: rng.below(256) }]);
    recs.push(['r', { n: rng.below(256) }]);
  }
  // What eventOf and portRecord reject: a field missing, an enum value that is no member, an event's code that names none.
  recs.push(['p', { side: 'X', px: 1, big: 1n, flag: true }], ['p', { px: 1, big: 1n, flag: true }], ['q', { kind: 3, c: 'a', n: 1 }], ['q', { kind: Kind.A, c: 'a' }], ['r', { n: 1, extra: 5 }]);
  test('events, records and both at once, values and errors', () => {
    for (const [port, rec] of recs) {
      const k = c.index.get(port)!;
      expect(outcome(() => c.event[k]!(rec))).toBe(outcome(() => eventOf(m, port, rec)));
      expect(outcome(() => c.pass[k]!(rec))).toBe(outcome(() => portRecord(m, eventOf(m, port, rec)).rec));
      expect(c.passes[k]!(rec)).toBe(!outcome(() => eventOf(m, port, rec)).includes('Error'));
      const ev = outcome(() => eventOf(m, port, rec)).includes('Error') ? null : eventOf(m, port, rec);
      if (ev) expect(outcome(() => c.record[k]!(ev))).toBe(outcome(() => portRecord(m, ev).rec));
    }
  });
  test('an event whose enum code names no member: portRecord\'s error', () => {
    const ev = { ...eventOf(m, 'q', { kind: Kind.A, c: 'a', n: 1 }), q_kind: 3 };
    expect(c.reads[1]!(ev)).toBe(false);
    expect(outcome(() => c.record[1]!(ev))).toBe(outcome(() => portRecord(m, ev).rec));
    expect(outcome(() => c.record[1]!(ev))).toContain('RangeError');
  });
});
