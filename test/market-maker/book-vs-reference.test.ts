// Issue 12 item 4: the DSL order book of the market maker (examples/market-maker/system.ts, unit `book`) against
// the independent reference book (reference-book.ts), update by update (compare.ts), on the real snippet, on hostile
// and default synthetic streams through the whole system's model, and on 1,000,000 synthetic messages whose
// locates fall in the tracked 1..1024 and with 2 % unknown references, on narrow, busy books (sim/stimulus/book-stress.ts),
// and under a non-default locate -> slot map (the orders' `slots`, which the reference applies too). The reference reads the messages from the
// same beats the system reads (beats.ts). Every run must show 0 differences and 0 stray updates (sides the DSL book
// marks degraded are counted, not compared), and the DSL book's own counters must equal the reference's.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../dsl/rng.ts';
import { system, type System, type SystemDef } from '../../dsl/system.ts';
import { toEvent } from '../../dsl/inputs.ts';
import { loadSystem } from '../../sim/system.ts';
import { generateItch } from '../../sim/stimulus/synthetic.ts';
import { beatsOf, moldPayloads, stimulus as feedStimulus, type BeatValue } from '../../examples/itch-feed/stimulus.ts';
import { SNIPPET } from '../protocols/data.ts';
import { messagesOfBeats } from './beats.ts';
import { stressItch } from '../../sim/stimulus/book-stress.ts';
import { A, C, D, E, F, P, U, X, binaryFileOf } from './messages.ts';
import type { ItchMessage } from '../../dsl/protocols/itch50.ts';
import { compareBooks, describeComparison, type CompareResult, type DslBookTop } from './compare.ts';
import { LOCATES } from './reference-book.ts';
import { nonDefaultMap, shiftLocates } from './slots.ts';

const FILE = 'examples/market-maker/system.ts';
const { system: mm } = await loadSystem(FILE);
const { stimulus } = (await import('../../examples/market-maker/stimulus.ts')) as { stimulus: (input: string, rng: Rng) => Iterable<Record<string, unknown>> };
const BOOK_LINK = mm.links.find((l) => mm.units[l.from]!.def.name === 'book')!.name;

/** The orders unit's status counters after a run (the book's contract counts dupAdds and unknownRefs there). */
type OrderStatus = { unknownRefs: number; dupAdds: number; overflows: number; oversize: number; wideRefs: number };
/** The book unit's status (degradedTops: records with a degraded side). */
type BookStatus = { degradedTops: number };

/** The whole system's model over its inputs (with `slots`, the orders' locate -> slot map committed first), the
 * records the book unit emitted (tapped), and the orders' status. */
function runSystem(inputs: Array<Record<string, unknown>>, slots?: readonly number[]): { updates: DslBookTop[]; status: OrderStatus; book: BookStatus } {
  const m = mm.model();
  if (slots) m.unit('orders').commit({ slots });
  m.enableTaps();
  m.run(inputs.map((x) => toEvent(mm.merged!, x)));
  const updates = m.tap(BOOK_LINK).filter((r) => !r.dropped).map((r) => r.value as unknown as DslBookTop);
  return { updates, status: m.unit('orders').state as OrderStatus, book: m.unit('book').state as BookStatus };
}

/** The system's stages up to the book (the feed, its FIFO, the order store, the book): the book's input is the same
 * as in the whole system (the model drops nothing unless told a timing), and it streams one beat at a time. */
function bookPrefix(): System {
  const stages: SystemDef['stages'] = mm.def.stages;
  const k = stages.findIndex((s) => s.kind !== 'channel' && s.def.name === 'book');
  return system({ name: 'market_maker_to_book', stages: stages.slice(0, k + 1) });
}

/** The book's records, produced lazily beat by beat as they are read; `done` gets the orders' status at the end. */
function* prefixUpdates(sys: System, beats: Iterable<BeatValue>, done?: (s: OrderStatus) => void): Generator<DslBookTop> {
  const m = sys.model();
  let now = 0;
  for (const b of beats) {
    const o = m.step(b as unknown as Record<string, unknown>, now++);
    if (o === undefined) continue;
    for (const r of Array.isArray(o) ? o : [o]) yield r as unknown as DslBookTop;
  }
  done?.(m.unit('orders').state as OrderStatus);
}

const beatsOfInputs = (inputs: Array<Record<string, unknown>>) => inputs.filter((x) => 'itch_feed' in x).map((x) => x.itch_feed as BeatValue);

/** 0 differences (but those on locates that saw a cross-locate message, when `crossLocateKnown`: see below). */
function check(name: string, r: CompareResult, status: OrderStatus, crossLocateKnown = false): void {
  console.log(`${name}\n${describeComparison(r)}\n  DSL orders status: ${JSON.stringify(status)}`);
  expect(r.firstDifferences.filter((d) => !(crossLocateKnown && d.crossLocate))).toEqual([]);
  expect(r.differences - (crossLocateKnown ? r.crossLocateDifferences : 0)).toBe(0);
  expect(r.strays).toBe(0);
  // a clean book: the DSL book refused no order (docs/strategy.md)
  expect(status.overflows).toBe(0);
  expect(status.oversize).toBe(0);
  expect(status.wideRefs).toBe(0);
  expect(r.reference.oversize).toBe(0);
  expect(r.reference.wideRefs).toBe(0);
  expect(r.compared + r.degradedSides).toBe(2 * (r.tracked + r.reference.crossLocate)); // a cross-locate message: both locates
  expect(status.unknownRefs).toBe(r.reference.unknownRefs);
  expect(status.dupAdds).toBe(r.reference.dupAdds);
}

describe('the market maker\'s book against the reference book', () => {
  // The contract's edges, each a short stream of its own (the hand-written sequences of reference-book.test.ts).
  const EDGES: Array<[string, ItchMessage[]]> = [
    ['adds on both sides, a worse add, the same level', [A(1, 7, 'B', 100, 10_000), A(2, 7, 'S', 200, 10_100), F(3, 7, 'B', 50, 9_900), A(4, 7, 'B', 25, 10_000), A(5, 7, 'S', 10, 10_050)]],
    ['E partial, E exhausting the best, E beyond the shares, E of a removed order', [A(1, 3, 'B', 100, 500), A(2, 3, 'B', 40, 490), A(3, 3, 'B', 60, 480), E(1, 3, 30), E(1, 3, 70), E(2, 3, 1000), E(1, 3, 1)]],
    ['C at another price than the resting one', [A(1, 2, 'S', 100, 2_000), A(2, 2, 'S', 100, 2_100), C(1, 2, 60, 2_100), C(1, 2, 40, 1_900)]],
    ['X partial, X of all, D, a side emptying', [A(1, 9, 'B', 100, 700), A(2, 9, 'S', 50, 710), X(1, 9, 99), X(1, 9, 1), D(2, 9)]],
    ['a delete below the best, then the best', [A(1, 4, 'S', 10, 100), A(2, 4, 'S', 20, 101), A(3, 4, 'S', 30, 102), D(2, 4), D(1, 4)]],
    ['U to a better price, then to a worse one', [A(1, 5, 'B', 100, 1_000), A(2, 5, 'B', 100, 990), A(3, 5, 'S', 100, 1_020), U(2, 20, 5, 300, 1_010), E(2, 5, 1), X(20, 5, 100), U(20, 21, 5, 200, 900)]],
    ['U of an unknown original', [A(1, 5, 'B', 100, 1_000), U(99, 100, 5, 300, 1_010), D(100, 5)]],
    ['U to a live reference', [A(1, 5, 'B', 100, 1_000), A(2, 5, 'B', 70, 995), U(1, 2, 5, 500, 1_050), X(2, 5, 69)]],
    ['U to its own reference', [A(1, 5, 'B', 100, 1_000), U(1, 1, 5, 40, 1_001)]],
    ['adds of a live reference, on its locate and another', [A(1, 5, 'B', 100, 1_000), A(1, 5, 'B', 100, 1_100), F(1, 6, 'S', 100, 1_100)]],
    ['unknown references of E C X D', [A(1, 5, 'B', 100, 1_000), E(2, 5, 1), C(3, 5, 1, 5), X(4, 5, 1), D(5, 5)]],
    ['locates 0 and 1025 ignored, 1 and 1024 tracked', [A(1, 0, 'B', 100, 1_000), A(2, 1025, 'B', 100, 1_000), E(3, 1025, 5), D(77, 0), A(4, 1, 'S', 5, 10), A(5, 1024, 'B', 6, 20), A(1, 2, 'B', 1, 1)]],
    ['other types', [A(1, 5, 'B', 100, 1_000), P(5), A(2, 5, 'S', 10, 1_100), P(5)]],
    ['price 0 and the largest price', [A(1, 5, 'S', 10, 0), A(2, 5, 'S', 20, 100), A(3, 5, 'B', 30, 0), D(1, 5), A(4, 5, 'B', 1, 50), D(4, 5), A(5, 6, 'S', 10, 0xffff_ffff), A(6, 6, 'B', 10, 0xffff_ffff)]],
    ['a 0-share add below the best; E of 0 shares removes it', [A(1, 5, 'B', 100, 1_000), A(2, 5, 'B', 0, 900), A(2, 5, 'S', 1, 1), E(2, 5, 0), A(3, 5, 'B', 5, 950)]],
    ['more levels than the ladder holds, emptied from the top', [
      ...Array.from({ length: 12 }, (_, k) => A(1 + k, 8, 'S', 10 + k, 1_000 + 10 * k)),
      ...Array.from({ length: 11 }, (_, k) => D(1 + k, 8)),
    ]],
  ];
  const edge = (name: string, msgs: ItchMessage[]) => {
    const beats = moldPayloads(binaryFileOf(msgs), 1).flatMap((p) => [...beatsOf(p)]);
    const { updates, status } = runSystem(beats.map((b) => ({ itch_feed: b })));
    const r = compareBooks(messagesOfBeats(beats), updates, { overflows: status.overflows, oversize: status.oversize, wideRefs: status.wideRefs });
    expect(r.messages).toBe(msgs.length);
    check(name, r, status);
  };
  test.each(EDGES)('edge: %s', edge);
  // An order of 0 shares is live (its reference) but rests at no level: the best bid is the best price whose total
  // is > 0, not a price where only 0-share orders rest.
  test('edge: a 0-share add above the best bid', () => {
    edge('0-share add above the best', [A(1, 5, 'B', 100, 1_000), A(2, 5, 'B', 0, 2_000), E(2, 5, 0), A(3, 5, 'B', 5, 950)]);
  });
  test('edge: a U to 0 shares above the best bid', () => {
    edge('U to 0 shares above the best', [A(1, 5, 'B', 100, 1_000), A(2, 5, 'B', 10, 900), U(2, 3, 5, 0, 2_000), A(4, 5, 'B', 1, 500)]);
  });
  // The refusals the contract names (docs/strategy.md §1): an add of 2^20 shares or more (`oversize`) or of a
  // reference of 2^36 or more (`wideRefs`) is not stored and is counted; a later message naming it is an unknown
  // reference. The reference book refuses the same adds, so the books stay equal, and both count the same refusals;
  // just below each limit the order is stored as any other.
  const refused = (name: string, msgs: ItchMessage[], counts: { oversize: number; wideRefs: number; unknownRefs: number }) => {
    const beats = moldPayloads(binaryFileOf(msgs), 1).flatMap((p) => [...beatsOf(p)]);
    const { updates, status } = runSystem(beats.map((b) => ({ itch_feed: b })));
    const r = compareBooks(messagesOfBeats(beats), updates, { overflows: status.overflows, oversize: status.oversize, wideRefs: status.wideRefs });
    console.log(`${name}\n${describeComparison(r)}\n  DSL orders status: ${JSON.stringify(status)}`);
    expect(r.messages).toBe(msgs.length);
    expect(r.firstDifferences).toEqual([]);
    expect(r.differences).toBe(0);
    expect(r.strays).toBe(0);
    expect(status.overflows).toBe(0);
    expect({ oversize: status.oversize, wideRefs: status.wideRefs, unknownRefs: status.unknownRefs }).toEqual(counts);
    expect({ oversize: r.reference.oversize, wideRefs: r.reference.wideRefs, unknownRefs: r.reference.unknownRefs }).toEqual(counts);
    expect(status.dupAdds).toBe(r.reference.dupAdds);
    return updates;
  };
  const W = 1n << 36n;
  test('edge: adds of 2^20 shares or more are refused and counted (oversize), just below is stored; so is a U\'s new order', () => {
    const updates = refused('oversize', [
      A(1, 5, 'B', 2 ** 20, 1_000), F(2, 5, 'S', 2 ** 31, 1_100), A(3, 5, 'B', 2 ** 32 - 1, 1_000), A(4, 5, 'B', 2 ** 20 - 1, 900),
      E(1, 5, 1), D(2, 5), X(4, 5, 2 ** 20 - 2), U(4, 5, 5, 2 ** 20, 950), D(5, 5), A(6, 5, 'S', 7, 1_200), U(6, 7, 5, 2 ** 20 - 1, 1_150),
    ], { oversize: 4, wideRefs: 0, unknownRefs: 3 });
    expect(updates.length).toBeGreaterThan(0);
  });
  test('edge: adds of a reference of 2^36 or more are refused and counted (wideRefs), 2^36 - 1 is stored; E C X D U of one are unknown', () => {
    refused('wide references', [
      A(W, 5, 'B', 100, 1_000), F(2n ** 64n - 1n, 5, 'S', 10, 1_100), A(W + 3n, 5, 'S', 10, 1_100), A(W - 1n, 5, 'B', 50, 990),
      E(W, 5, 1), C(W + 3n, 5, 1, 5), X(2n ** 64n - 1n, 5, 1), D(W, 5), U(W, 9, 5, 10, 10), // unknown: never stored
      // 3 and 2^36 + 3 share their low 36 bits: the wide one must not alias the live one
      A(3, 5, 'S', 20, 1_050), D(W + 3n, 5), A(10, 5, 'B', 5, 980), U(10, W + 3n, 5, 6, 985), X(W - 1n, 5, 49), U(W - 1n, W + 1n, 5, 70, 995), E(W + 1n, 5, 1), U(3, W - 2n, 5, 5, 1_040), D(W - 2n, 5),
    ], { oversize: 0, wideRefs: 5, unknownRefs: 7 });
  });
  // KNOWN (reported to the lead): a level's total saturates at 2^32 - 1 in the DSL book (its record field is u32);
  // the contract does not say so (no real feed comes near). An order holds below 2^20 shares, so it takes 4,097
  // orders of 2^20 - 1 at one price (4,096 stay below 2^32).
  test.fails('edge (known DSL deviation): a level of more than 2^32 - 1 shares (saturates)', () => {
    edge('4,097 x (2^20 - 1) shares', Array.from({ length: 4_097 }, (_, k) => A(1 + k, 5, 'B', 2 ** 20 - 1, 1_000)));
  });

  // KNOWN (reported to the lead, issue 12): a U whose own locate differs from its original order's (only a corrupted
  // message does that: hostile:20000 seed 3 has one, at seq 13616) gets its new order at the U's locate in the DSL
  // book; the contract says the original's. The hostile run tolerates differences on locates such a message touched
  // (counted apart, crossLocateDifferences) and nothing else; make it strict (false) once the DSL book follows the
  // contract there.
  test.each([
    ['snippet', SNIPPET, 1, false],
    ['hostile:20000', 'hostile:20000', 3, true],
    ['synthetic:50000 (the market maker\'s stimulus: locates in 1..1024, 2 % unknown references)', 'synthetic:50000', 5, false],
    ['feed:synthetic:20000 (the ITCH feed\'s stimulus: the generator\'s own locates, mostly above 1024, ignored)', 'feed:synthetic:20000', 6, false],
  ])('%s, the whole system\'s model', (name, input, seed, crossLocateKnown) => {
    const inputs = input.startsWith('feed:') ? [...feedStimulus(input.slice(5), new Rng(seed))].map((b) => ({ itch_feed: b })) : [...stimulus(input, new Rng(seed))];
    const { updates, status } = runSystem(inputs);
    const r = compareBooks(messagesOfBeats(beatsOfInputs(inputs)), updates, { overflows: status.overflows, oversize: status.oversize, wideRefs: status.wideRefs, keep: 100 });
    check(name, r, status, crossLocateKnown);
    expect(r.tracked).toBeGreaterThan(0);
    if (name === 'snippet') expect(r.messages).toBe(1_000);
  });

  // Locates renumbered into 1..1024 (the generator's sample has most of its symbols above 1024) and a share of
  // references never added: the book's every path, on every message.
  const bookStream = (count: number, seed: number) => {
    const g = generateItch({ count, seed, unknownRefs: 0.02, remapLocates: true });
    const payloads = moldPayloads(g.binaryFile, seed + 1);
    return { g, beats: () => (function* () { for (const p of payloads) yield* beatsOf(p); })() };
  };

  test('50,000 synthetic messages in locates 1..1024: the whole system and its stages up to the book give the same book records, equal to the reference', () => {
    const { g, beats } = bookStream(50_000, 17);
    const inputs = [...beats()].map((b) => ({ itch_feed: b }));
    const { updates, status } = runSystem(inputs);
    expect([...prefixUpdates(bookPrefix(), beats())]).toEqual(updates);
    const r = compareBooks(messagesOfBeats(beats()), updates, { overflows: status.overflows, oversize: status.oversize, wideRefs: status.wideRefs });
    check('synthetic 50,000, locates 1..1024', r, status);
    expect(r.reference.unknownRefs).toBe(g.unknownRefs);
    expect(r.tracked).toBe(50_000 - 1); // all but the opening system event (locate 0)
  });

  // Narrow, busy books (sim/stimulus/book-stress.ts): the top moves on about a quarter of the messages, sweeps empty more levels than
  // the ladder holds, and every edge of the contract comes up. The DSL book marks the sides it lost track of as
  // degraded (it does not refill its ladder); those are counted, every other side must be equal.
  test.each([
    ['prices up to 24 ticks from the mid, sweeps of 10 levels', 100_000, 31, {}],
    ['prices up to 6 ticks from the mid, sweeps of 10 levels', 100_000, 37, { depth: 6 }],
  ])('book stress, %s: %i messages, the whole system\'s model', (_name, count, seed, opts) => {
    const s = stressItch({ count, seed, ...opts });
    const beats = moldPayloads(s.binaryFile, seed + 1).flatMap((p) => [...beatsOf(p)]);
    const { updates, status, book } = runSystem(beats.map((b) => ({ itch_feed: b })));
    const r = compareBooks(messagesOfBeats(beats), updates, { overflows: status.overflows, oversize: status.oversize, wideRefs: status.wideRefs });
    expect(r.degradedRecords).toBe(book.degradedTops);
    check(`book stress ${count} (${JSON.stringify(opts)})`, r, status);
    expect(r.messages).toBe(count);
    expect(r.reference.unknownRefs).toBe(s.intended.unknownRefs);
    expect(r.reference.dupAdds).toBe(s.intended.dupAdds);
    expect(r.compared).toBeGreaterThan(0);
  });

  test('1,000,000 synthetic messages in locates 1..1024 (the stages up to the book, streamed)', () => {
    const { g, beats } = bookStream(1_000_000, 29);
    let status: OrderStatus | undefined;
    // (the comparison reads both streams to their end, so the status is there when it returns)
    const r = compareBooks(messagesOfBeats(beats()), prefixUpdates(bookPrefix(), beats(), (s) => (status = s)));
    r.overflows = status!.overflows;
    r.oversize = status!.oversize;
    r.wideRefs = status!.wideRefs;
    check('synthetic 1,000,000, locates 1..1024', r, status!);
    expect(r.reference.unknownRefs).toBe(g.unknownRefs);
    expect(r.messages).toBe(1_000_000);
  });
  // A non-default locate -> slot map (the host's): locates 2001..3024 on the slots in another order (slot 389k mod
  // 1024), every 16th of them (and every locate of the default map) untracked. The same synthetic stream with its
  // locates moved up by 2000; the reference tracks what the map tracks, and every book record's slot is checked
  // against the map (compare.ts). Under the default map the same stream gives no record at all.
  test('a non-default map (locates 2001..3024 on permuted slots, 64 of them untracked): equal to the reference, slots as mapped', () => {
    const map = nonDefaultMap();
    const bin = shiftLocates(generateItch({ count: 30_000, seed: 23, unknownRefs: 0.02, remapLocates: true }).binaryFile, 2000);
    const beats = moldPayloads(bin, 24).flatMap((p) => [...beatsOf(p)]);
    const { updates, status } = runSystem(beats.map((b) => ({ itch_feed: b })), map);
    const r = compareBooks(messagesOfBeats(beats), updates, { tracking: map, overflows: status.overflows, oversize: status.oversize });
    check('synthetic 30,000, locates 2001..3024, a non-default map', r, status);
    // 960 of the 1,024 locates tracked: most messages, not all.
    expect(r.tracked).toBeGreaterThan(24_000);
    expect(r.reference.untracked).toBeGreaterThan(600);
    expect(new Set(updates.map((u) => u.slot)).size).toBeGreaterThan(100); // the generator's busy symbols (175 in this run)
    expect(updates.every((u) => map[u.locate] === u.slot! + 1)).toBe(true);
    // The defaults track none of these locates.
    expect(runSystem(beats.map((b) => ({ itch_feed: b }))).updates).toEqual([]);
  });

  test('edges of a map: the first and last locate, a locate moved to slot 0, an unmapped locate between two mapped ones', () => {
    const map = new Array<number>(LOCATES).fill(0);
    map[0xffff] = 1024; // the last locate, the last slot
    map[5] = 1; // slot 0
    map[7] = 3;
    const msgs = [A(1, 0xffff, 'B', 100, 1_000), A(2, 5, 'S', 10, 1_100), A(3, 6, 'B', 50, 990), A(4, 7, 'S', 5, 2_000), E(3, 6, 50), X(2, 5, 5), D(1, 0xffff), A(5, 1, 'B', 1, 1)];
    const beats = moldPayloads(binaryFileOf(msgs), 1).flatMap((p) => [...beatsOf(p)]);
    const { updates, status } = runSystem(beats.map((b) => ({ itch_feed: b })), map);
    const r = compareBooks(messagesOfBeats(beats), updates, { tracking: map, overflows: status.overflows, oversize: status.oversize });
    check('map edges', r, status);
    expect(r.tracked).toBe(5); // locates 6 and 1 are not mapped
    expect(updates.map((u) => [u.locate, u.slot])).toEqual([[0xffff, 1023], [5, 0], [7, 2], [5, 0], [0xffff, 1023]]);
  });
});

