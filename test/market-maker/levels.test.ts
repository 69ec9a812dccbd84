// The full-depth level store (examples/market-maker/levels.ts) and its copy (refill.ts): what they tell the ladder.
// On crafted level changes, through the system's own stages (feed -> FIFO -> orders -> levels -> refill): the grid
// ($0.0001 steps below $1, $0.01 from $1 up, bids mirrored) across $1 and across bitmap words, the search's reach
// (the next word and no further), a price off the grid or a store that is full (the side incomplete: no refill
// offered until it empties), the last word of the grid. Then with a store of 512 levels (so that refusals
// are common): the whole book still equals the reference book outside the sides it marks degraded, and model, RTL and
// HLS agree on every channel and counter. The unit-level three-way runs of both stages on the crafted edges are here
// too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { system } from '../../dsl/system.ts';
import { loadSystem, cosimSystem } from '../../sim/system.ts';
import { cosim } from '../../sim/cosim.ts';
import { moldPayloads, beatsOf } from '../../examples/itch-feed/stimulus.ts';
import { messagesOfBeats } from './beats.ts';
import { A, D, binaryFileOf } from './messages.ts';
import type { ItchMessage } from '../../dsl/protocols/itch50.ts';
import { compareBooks, describeComparison, type DslBookTop } from './compare.ts';

const { system: mm } = await loadSystem('examples/market-maker/system.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-levels-'));

type Op = { seq: bigint; buy: boolean; price: number; shares: number; remove: boolean; levelShares: number; nextOk: boolean; nextPrice: number; nextShares: number };

/** The refill stage's records for these messages (one per level change), and the level store's counter. */
function through(msgs: ItchMessage[]): { ops: Op[]; lostLevels: number } {
  const stages = mm.def.stages;
  const k = stages.findIndex((s) => s.kind !== 'channel' && s.def.name === 'refill');
  const m = system({ name: 'to_refill', stages: stages.slice(0, k + 1) }).model();
  const ops: Op[] = [];
  let now = 0;
  for (const p of moldPayloads(binaryFileOf(msgs), 1)) {
    for (const b of beatsOf(p)) {
      const o = m.step(b as never, now++);
      if (o !== undefined) for (const r of Array.isArray(o) ? o : [o]) ops.push(r as unknown as Op);
    }
  }
  return { ops, lostLevels: (m.unit('levels').state as { lostLevels: number }).lostLevels };
}

/** What the level change of the `n`-th message (1-based, in the order sent) told the ladder. */
const next = (r: { ops: Op[] }, n: number) => {
  const op = r.ops.find((o) => o.seq === BigInt(n))!;
  return op.nextOk ? [op.nextPrice, op.nextShares] : 'none';
};

// Crafted streams, each on its own locate. Every price is a grid price unless said otherwise.
const L = 9;
const EDGES: Array<[string, ItchMessage[], (r: ReturnType<typeof through>) => void]> = [
  [
    'asks across $1: $0.9999 is one grid step from $1.00, $1.00 one from $1.01',
    [A(1, L, 'S', 10, 9_999), A(2, L, 'S', 20, 10_000), A(3, L, 'S', 30, 10_100), D(1, L), D(2, L), D(3, L)],
    (r) => {
      expect(next(r, 4)).toEqual([10_000, 20]);
      expect(next(r, 5)).toEqual([10_100, 30]);
      expect(next(r, 6)).toBe('none');
    },
  ],
  [
    'bids across $1 (mirrored: a lower price is the worse one)',
    [A(1, L, 'B', 10, 10_100), A(2, L, 'B', 20, 10_000), A(3, L, 'B', 30, 9_999), A(4, L, 'B', 40, 9_990), D(1, L), D(2, L), D(3, L)],
    (r) => {
      expect(next(r, 5)).toEqual([10_000, 20]);
      expect(next(r, 6)).toEqual([9_999, 30]);
      expect(next(r, 7)).toEqual([9_990, 40]);
    },
  ],
  [
    'the search reaches the end of the next bitmap word and no further (asks at grid steps 64, 191, 192 and 320)',
    [A(1, L, 'S', 1, 64), A(2, L, 'S', 2, 191), A(3, L, 'S', 3, 320), D(1, L), A(4, L, 'S', 4, 63), D(4, L), D(2, L)],
    (r) => {
      expect(next(r, 4)).toEqual([191, 2]); // 64 = word 1 bit 0; 191 = word 2 bit 63
      expect(next(r, 6)).toBe('none'); // 63 = word 0 bit 63: the next word (64..127) is empty, 191 is past it
      expect(next(r, 7)).toBe('none'); // 191 -> 320 is word 5: beyond the search (the ladder misses it)
    },
  ],
  [
    'shares added and taken at a level are what the store tells',
    [A(1, L, 'S', 100, 20_000), A(2, L, 'S', 5, 20_100), A(3, L, 'S', 7, 20_100), D(2, L), A(4, L, 'S', 1, 19_900), D(4, L)],
    (r) => {
      expect(r.ops.find((o) => o.seq === 4n)!.levelShares).toBe(7);
      expect(next(r, 4)).toBe('none'); // nothing is worse than $2.01
      expect(next(r, 6)).toEqual([20_000, 100]); // $1.99 emptied: $2.00 is next
    },
  ],
  [
    'a price off the grid ($1.0050) makes the side incomplete: no refill offered on it until it empties; the other side is not affected',
    [
      A(1, L, 'S', 1, 10_050), A(2, L, 'S', 2, 10_100), A(3, L, 'S', 3, 10_200), A(4, L, 'B', 4, 9_000), A(5, L, 'B', 5, 8_900),
      D(2, L), D(4, L), D(1, L), D(3, L), A(6, L, 'S', 6, 10_100), A(7, L, 'S', 7, 10_200), D(6, L), D(5, L), D(7, L),
    ],
    (r) => {
      expect(r.lostLevels).toBe(1);
      expect(next(r, 6)).toBe('none'); // 10,200 is there, but the side is incomplete
      expect(next(r, 7)).toEqual([8_900, 5]);
      expect(next(r, 12)).toEqual([10_200, 7]); // the side emptied (message 9): complete again
    },
  ],
  [
    'a level the store does not hold (off the grid) blocks only the refills it could be ahead of',
    [A(1, L, 'S', 1, 10_100), A(2, L, 'S', 2, 10_200), A(3, L, 'S', 3, 10_550), D(1, L), A(4, L, 'S', 4, 10_150), D(2, L), A(5, L, 'S', 5, 10_100), D(5, L)],
    (r) => {
      expect(r.lostLevels).toBe(2);
      expect(next(r, 4)).toEqual([10_200, 2]); // $1.0550 is unheld, but $1.02 is ahead of it
      expect(next(r, 6)).toBe('none'); // next found: $1.0550's neighbour on the grid... but $1.0150 is unheld and ahead
      expect(next(r, 8)).toBe('none'); // $1.0150 (unheld) is the next level: not in the store, so no refill
    },
  ],
  [
    'bids at $0.0000 and $0.0001 (the last bitmap word of the mirrored grid: nothing past it) and an ask at the highest grid price',
    [A(1, L, 'B', 1, 1), A(2, L, 'B', 2, 0), D(1, L), D(2, L), A(3, L, 'S', 3, 4_294_967_200), A(4, L, 'S', 4, 4_294_967_100), D(4, L), D(3, L)],
    (r) => {
      expect(next(r, 3)).toEqual([0, 2]);
      expect(next(r, 4)).toBe('none');
      expect(next(r, 7)).toEqual([4_294_967_200, 3]);
      expect(r.lostLevels).toBe(0);
    },
  ],
];

describe('the level store tells the ladder the next level', () => {
  test.each(EDGES)('%s', (_name, msgs, check) => check(through(msgs)));

  // The same edges, back to back on one locate each round, through each stage alone: RTL and HLS equal the model.
  test.each(['levels', 'refill'])('%s alone on the edges, three-way: every record and counter equal', async (unit) => {
    const input = path.join(tmp, `edges-${unit}.itch`);
    fs.writeFileSync(input, Buffer.concat(EDGES.map(([, msgs], k) => Buffer.from(binaryFileOf(msgs.map((m) => ({ ...m, stockLocate: 20 + k })))))));
    const r = await cosim({ file: `examples/market-maker/${unit}.ts`, input, seed: 3, out: path.join(tmp, `edges-${unit}`) });
    expect(r.executors.model!.outputs).toBeGreaterThan(40);
    expect(r.executors.rtl!.compared).toBe(r.executors.model!.outputs);
    expect(r.executors.hls!.compared).toBe(r.executors.model!.outputs);
    expect(r.mismatches).toBe(0);
    for (const s of r.status) expect([s.name, s.match]).toEqual([s.name, true]);
  }, 600_000);
});

/**
 * The level store and its copy with room for 512 levels (written under build/ with their imports pointed
 * back), and a system of the stages up to the book with them.
 */
function smallStore(): string {
  const dir = path.resolve('build/levels-variants');
  fs.mkdirSync(dir, { recursive: true });
  const back = (src: string) => src.replaceAll("from './", "from '../../examples/market-maker/");
  for (const unit of ['levels', 'refill']) {
    const src = back(fs.readFileSync(`examples/market-maker/${unit}.ts`, 'utf8')).replace('capacity: LEVELS', 'capacity: 512');
    if (unit === 'levels') expect(src).toContain('capacity: 512');
    fs.writeFileSync(path.join(dir, `${unit}.ts`), src);
  }
  const sys = `// A test system (test/market-maker/levels.test.ts): the market maker's stages up to the book, with a small level store.
import { system, fifo, type Rng } from 'tickforge/dsl';
import feed from '../../examples/itch-feed/feed.ts';
import orders from '../../examples/market-maker/orders.ts';
import levels from './levels.ts';
import refill from './refill.ts';
import book from '../../examples/market-maker/book.ts';
import { stimulus as mm } from '../../examples/market-maker/stimulus.ts';

export default system({ name: 'small_store', stages: [feed, fifo(512), orders, levels, refill, book] });

export function* stimulus(input: string, rng: Rng): Iterable<Record<string, unknown>> {
  for (const v of mm(input, rng)) if ('itch_feed' in v) yield v.itch_feed as Record<string, unknown>;
}
`;
  fs.writeFileSync(path.join(dir, 'system.ts'), sys);
  return path.join(dir, 'system.ts');
}

describe('a level store too small for the book', () => {
  const file = smallStore();

  test('stress:20000: refusals hold back the refills they could be ahead of; the book equals the reference outside the degraded sides it counts', async () => {
    const { system: small } = await loadSystem(file);
    const { stimulus } = (await import(file)) as { stimulus: (input: string, rng: unknown) => Iterable<Record<string, unknown>> };
    const { Rng } = await import('../../dsl/rng.ts');
    const beats = [...stimulus('stress:20000', new Rng(4))];
    const m = small.model();
    const updates: DslBookTop[] = [];
    let now = 0;
    for (const b of beats) {
      const o = m.step(b as never, now++);
      if (o !== undefined) for (const r of Array.isArray(o) ? o : [o]) updates.push(r as unknown as DslBookTop);
    }
    const orders = m.unit('orders').state as { overflows: number; oversize: number; wideRefs: number };
    const book = m.unit('book').state as { degradedTops: number; refills: number; refillMisses: number };
    const lost = (m.unit('levels').state as { lostLevels: number }).lostLevels;
    const c = compareBooks(messagesOfBeats(beats as never), updates, orders);
    console.log(`small level store, stress:20000: lostLevels ${lost}, refills ${book.refills}, refillMisses ${book.refillMisses}\n${describeComparison(c)}`);
    expect(c.differences).toBe(0);
    expect(c.strays).toBe(0);
    expect(lost).toBeGreaterThan(100);
    expect(book.refillMisses).toBeGreaterThan(10);
    expect(book.refills).toBeGreaterThan(10); // sides that emptied are complete again
    expect(c.degradedSides).toBeGreaterThan(0);
    expect(c.degradedRecords).toBe(book.degradedTops);
  }, 300_000);

  test('stress:3000 three-way: 0 mismatches on every channel, every counter equal', async () => {
    const r = await cosimSystem({ file, input: 'stress:3000', seed: 4, out: path.join(tmp, 'small') });
    expect(r.mismatches).toBe(0);
    for (const l of r.links) expect([l.name, l.mismatches, l.compared > 100]).toEqual([l.name, 0, true]);
    for (const h of r.hls) expect([h.unit, h.mismatches, h.compared]).toEqual([h.unit, 0, h.outputs.model]);
    expect(r.status.every((x) => x.match)).toBe(true);
    expect(Number(r.status.find((x) => x.unit === 'levels' && x.name === 'lostLevels')!.model)).toBeGreaterThan(20);
  }, 900_000);
});
