// Issue 12 item 1: the book's depth is a build-time parameter (examples/market-maker/book.ts, `DEPTH`: each side's
// ladder is one table whose value is a vector of DEPTH levels), and the ladder is refilled from the full-depth level
// store (levels.ts, refill.ts) when it runs out. The book is built at 4, 8 (the default) and 16 levels a side from the
// same source with only that constant changed: at each depth its model equals the reference book on every side
// (narrow, busy books: sim/stimulus/book-stress.ts, nothing degraded: every run-out is refilled); with levels $2
// apart (past the store's search) it equals the reference on every side it does not mark degraded and counts the
// misses; a shallower ladder refills more often; and the generated hardware (RTL and HLS) equals its model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../dsl/rng.ts';
import { system, type SystemDef } from '../../dsl/system.ts';
import { loadSystem } from '../../sim/system.ts';
import { cosim } from '../../sim/cosim.ts';
import { compile } from '../../codegen/index.ts';
import { moldPayloads, beatsOf } from '../../examples/itch-feed/stimulus.ts';
import { messagesOfBeats } from './beats.ts';
import { A, D, binaryFileOf } from './messages.ts';
import type { ItchMessage } from '../../dsl/protocols/itch50.ts';
import { compareBooks, describeComparison, type CompareResult, type DslBookTop } from './compare.ts';

const SOURCE = 'examples/market-maker/book.ts';
const { system: mm } = await loadSystem('examples/market-maker/system.ts');
const { stimulus } = (await import('../../examples/market-maker/stimulus.ts')) as { stimulus: (input: string, rng: Rng) => Iterable<Record<string, unknown>> };

/** book.ts with DEPTH = d, written under build/ (so that 'tickforge/dsl' resolves) with its imports pointed back. */
function variant(d: number): string {
  const src = fs.readFileSync(SOURCE, 'utf8');
  const out = src.replace(/^export const DEPTH = \d+;$/m, `export const DEPTH = ${d};`).replaceAll("from './", "from '../../examples/market-maker/");
  expect(out).toContain(`export const DEPTH = ${d};`); // the constant is where the test expects it
  const file = path.resolve('build/depth-variants', `book-${d}.ts`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, out);
  return file;
}

/** The book's records and the orders' and book's status: feed -> FIFO -> orders -> the book at this depth. */
async function run(file: string, beats: Array<Record<string, unknown>>) {
  const book = ((await import(file)) as { default: SystemDef['stages'][number] }).default;
  const stages = mm.def.stages;
  const k = stages.findIndex((s) => s.kind !== 'channel' && s.def.name === 'book');
  const m = system({ name: 'to_book', stages: [...stages.slice(0, k), book] }).model();
  const updates: DslBookTop[] = [];
  let now = 0;
  for (const b of beats) {
    const o = m.step(b, now++);
    if (o !== undefined) for (const r of Array.isArray(o) ? o : [o]) updates.push(r as unknown as DslBookTop);
  }
  const orders = m.unit('orders').state as { overflows: number; oversize: number; wideRefs: number };
  const st = m.unit('book').state as { degradedTops: number; refills: number; refillMisses: number };
  const lostLevels = (m.unit('levels').state as { lostLevels: number }).lostLevels;
  return { updates, orders, degradedTops: st.degradedTops, refills: st.refills, refillMisses: st.refillMisses, lostLevels };
}

function compared(name: string, beats: Array<Record<string, unknown>>, r: Awaited<ReturnType<typeof run>>): CompareResult {
  const c = compareBooks(messagesOfBeats(beats as never), r.updates, { overflows: r.orders.overflows, oversize: r.orders.oversize, wideRefs: r.orders.wideRefs });
  console.log(`${name}\n${describeComparison(c)}`);
  expect(c.firstDifferences).toEqual([]);
  expect(c.differences).toBe(0);
  expect(c.strays).toBe(0);
  expect(c.degradedRecords).toBe(r.degradedTops); // the book's own counter says how many records were degraded
  return c;
}

const beatsOfMsgs = (msgs: ItchMessage[]) => moldPayloads(binaryFileOf(msgs), 1).flatMap((p) => [...beatsOf(p)]) as unknown as Array<Record<string, unknown>>;
const beatsOfInput = (input: string) => [...stimulus(input, new Rng(4))].filter((x) => 'itch_feed' in x).map((x) => x.itch_feed as Record<string, unknown>);
const stressBeats = beatsOfInput('stress:20000');
const gapBeats = beatsOfInput('gaps:20000');
// Twelve ask levels, then deleted from the best: a ladder of DEPTH < 12 runs out while levels remain beyond. Ten
// grid steps apart (sub-dollar prices: $0.0010), well within the level store's search; then the same $2 apart, past it.
const twelve = (base: number, step: number): ItchMessage[] => [...Array.from({ length: 12 }, (_, k) => A(1 + k, 8, 'S', 10 + k, base + step * k)), ...Array.from({ length: 11 }, (_, k) => D(1 + k, 8))];

describe('the book\'s depth is a build-time parameter', () => {
  const refills = new Map<number, number>();
  test.each([4, 8, 16])('DEPTH %i: equal to the reference book on stress:20000 (every run-out refilled), outside the counted degraded sides with levels two dollars apart, and on twelve levels emptied from the top', async (d) => {
    const file = variant(d);
    const r = await run(file, stressBeats);
    const stress = compared(`DEPTH ${d}, stress:20000`, stressBeats, r);
    expect(stress.compared).toBeGreaterThan(30_000);
    expect(stress.degradedSides).toBe(0);
    expect(r.refills).toBeGreaterThan(50);
    expect([r.refillMisses, r.lostLevels]).toEqual([0, 0]);
    refills.set(d, r.refills);
    // Levels $2 apart: 200 grid steps, past the store's search of 64 to 127, so a run-out is a miss (counted) and the
    // side stays degraded until what is beyond is gone. Everything else is still compared and equal.
    const g = await run(file, gapBeats);
    const gaps = compared(`DEPTH ${d}, gaps:20000`, gapBeats, g);
    expect(g.refillMisses).toBeGreaterThan(10);
    expect(gaps.degradedSides).toBeGreaterThan(0);
    expect(gaps.compared).toBeGreaterThan(5_000);
    // Deleting from the top: the ladder holds min(DEPTH, 12) levels and is refilled one level at a time once the
    // deletes reach its last (12 - DEPTH refills), so nothing is degraded.
    const near = await run(file, beatsOfMsgs(twelve(1_000, 10)));
    const edge = compared(`DEPTH ${d}, twelve levels`, beatsOfMsgs(twelve(1_000, 10)), near);
    expect(edge.degradedSides).toBe(0);
    expect([near.refills, near.refillMisses]).toEqual([Math.max(0, 12 - d), 0]);
    // $2 apart: the first run-out misses; the side is degraded (not compared) for that message and each later one.
    const far = await run(file, beatsOfMsgs(twelve(100_000, 20_000)));
    const wide = compared(`DEPTH ${d}, twelve levels $2 apart`, beatsOfMsgs(twelve(100_000, 20_000)), far);
    expect(wide.degradedSides).toBe(Math.max(0, 12 - d));
    expect([far.refills, far.refillMisses]).toEqual([0, d < 12 ? 1 : 0]);
  }, 300_000);
  test('a shallower ladder is refilled more often on the same stream', () => {
    expect(refills.get(4)).toBeGreaterThan(refills.get(8)!);
    expect(refills.get(8)).toBeGreaterThan(refills.get(16)!);
  });
  test.each([4, 16])('DEPTH %i: the RTL and the HLS kernel equal the model (stress:3000), and each side is DEPTH memories', async (d) => {
    const file = variant(d);
    const ir = compile(file, { timing: { enforce: false } });
    expect(ir.tables.filter((t) => /^(bids|asks)_\d+$/.test(t.name)).length).toBe(2 * d);
    const r = await cosim({ file, input: 'stress:3000', seed: 1, out: fs.mkdtempSync(path.join(os.tmpdir(), `tf-depth-${d}-`)) });
    expect(r.executors.model!.outputs).toBeGreaterThan(500);
    expect(r.executors.rtl!.compared).toBe(r.executors.model!.outputs);
    expect(r.executors.hls!.compared).toBe(r.executors.model!.outputs);
    expect(r.mismatches).toBe(0);
  }, 300_000);
});
