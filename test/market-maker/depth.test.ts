// Issue 12 item 1: the book's depth is a build-time parameter (examples/market-maker/book.ts, `DEPTH`: each side's
// ladder is one table whose value is a vector of DEPTH levels). The book is built at 4, 8 (the default) and 16
// levels a side from the same source with only that constant changed: at each depth its model equals the reference book on every side
// it does not mark degraded (narrow, busy books: sim/stimulus/book-stress.ts), a shallower ladder is degraded more
// often, and the generated hardware (RTL and HLS) equals its model record for record.
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
  return { updates, orders, degradedTops: (m.unit('book').state as { degradedTops: number }).degradedTops };
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
const stressBeats = [...stimulus('stress:20000', new Rng(4))].filter((x) => 'itch_feed' in x).map((x) => x.itch_feed as Record<string, unknown>);
// Twelve ask levels, then deleted from the best: a ladder of DEPTH < 12 runs out while levels remain beyond.
const twelve: ItchMessage[] = [...Array.from({ length: 12 }, (_, k) => A(1 + k, 8, 'S', 10 + k, 1_000 + 10 * k)), ...Array.from({ length: 11 }, (_, k) => D(1 + k, 8))];

describe('the book\'s depth is a build-time parameter', () => {
  const degraded = new Map<number, number>();
  test.each([4, 8, 16])('DEPTH %i: equal to the reference book outside degraded sides, on stress:20000 and on twelve levels emptied from the top', async (d) => {
    const file = variant(d);
    const stress = compared(`DEPTH ${d}, stress:20000`, stressBeats, await run(file, stressBeats));
    expect(stress.compared).toBeGreaterThan(5_000);
    degraded.set(d, stress.degradedSides);
    const edge = compared(`DEPTH ${d}, twelve levels`, beatsOfMsgs(twelve), await run(file, beatsOfMsgs(twelve)));
    // Deleting from the top: the ladder holds min(DEPTH, 12) levels; once the DEPTH-th delete has emptied it, the
    // ask side is degraded (not compared) for that message and each later one (12 - DEPTH of the 11 deletes), since
    // the 12th level stays beyond.
    expect(edge.degradedSides).toBe(Math.max(0, 12 - d));
  }, 300_000);
  test('a shallower ladder is degraded more often on the same stream', () => {
    expect(degraded.get(4)).toBeGreaterThan(degraded.get(8)!);
    expect(degraded.get(8)).toBeGreaterThan(degraded.get(16)!);
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
