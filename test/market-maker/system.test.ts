// The market-maker system (examples/market-maker/system.ts: ITCH feed -> order store -> level store -> book -> quoter -> risk gate
// -> order manager -> OUCH encoder) co-simulated three-way: every channel model vs RTL, each unit's HLS kernel vs
// the model, with the OUCH side back-pressured at random; the OUCH packets the RTL sent decode as valid messages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cosimSystem } from '../../sim/system.ts';
import { decodeBytes } from '../../sim/stimulus/index.ts';
import { permutedMap } from './slots.ts';

const SYSTEM = 'examples/market-maker/system.ts';
const SNIPPET = '../shared/data/itch/12302019_SNIPPET.NASDAQ_ITCH50';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-mm-'));

/** The OUCH messages in a cosim's output.pcap, by type. */
function ouchTypes(file: string): { types: Record<string, number>; errors: number } {
  const types: Record<string, number> = {};
  const s = decodeBytes(fs.readFileSync(file), { seed: 1, soupApp: 'ouch' }, (it) => {
    if (it.layer === 'ouch-in') types[String(it.value.type)] = (types[String(it.value.type)] ?? 0) + 1;
  });
  return { types, errors: s.diag.total };
}

describe('market maker, tick to trade', () => {
  test('the NASDAQ snippet: 0 mismatches on every channel three-way, OUCH out under back-pressure decodes', async () => {
    const out = path.join(tmp, 'snippet');
    const r = await cosimSystem({ file: SYSTEM, input: SNIPPET, seed: 3, out, readyProb: 0.5 });
    expect(r.mismatches).toBe(0);
    expect(r.firstDivergence).toBeNull();
    const link = (name: string) => r.links.find((l) => l.name === name)!;
    expect(link('itch_feed_to_orders').compared).toBe(1000); // every message of the snippet
    expect(link('orders_to_levels').compared).toBeGreaterThan(20);
    expect(link('refill_to_book').compared).toBe(link('orders_to_levels').compared); // one record a level change
    expect(link('book_to_quoter').compared).toBeGreaterThan(10);
    for (const l of r.links) expect(l.mismatches).toBe(0);
    for (const h of r.hls) expect([h.unit, h.mismatches, h.compared]).toEqual([h.unit, 0, h.outputs.model]);
    expect(r.status.every((x) => x.match)).toBe(true);
    // The book's records, as `cosim --tap book --jsonl` prints them.
    const tops = r.tap('book');
    expect(tops.length).toBe(link('book_to_quoter').compared);
    expect(Object.keys(tops[0]!)).toEqual(['seq', 'locate', 'slot', 'bidPrice', 'bidShares', 'askPrice', 'askShares', 'bidDegraded', 'askDegraded', 'trade', 'tradeBuy', 'tradePrice', 'tradeShares']);
    // Every action the order manager sent left the card as one OUCH message, and decodes.
    const actions = link('oms_to_ouch_encoder').compared;
    expect(actions).toBeGreaterThan(5);
    const { types, errors } = ouchTypes(r.outputPcap!.file);
    expect(errors).toBe(0);
    expect(r.outputPcap!.packets).toBe(actions);
    expect(Object.values(types).reduce((a, b) => a + b, 0)).toBe(actions);
    expect(Object.keys(types).every((t) => t === 'O' || t === 'U' || t === 'X')).toBe(true);
    expect(types.O).toBeGreaterThan(0);
    // Tick to trade: from the beat that completed the ITCH message to the first OUCH beat.
    expect(r.latency!.cycles.min).toBeGreaterThanOrEqual(r.pipelineLatencyCycles);
  });

  test('synthetic order flow (complete lifecycles, random packets): 0 mismatches three-way; Enter, Replace and Cancel all sent', async () => {
    const r = await cosimSystem({ file: SYSTEM, input: 'synthetic:6000', seed: 5, out: path.join(tmp, 'synthetic'), readyProb: 0.5 });
    expect(r.mismatches).toBe(0);
    for (const l of r.links) expect([l.name, l.mismatches, l.compared > 100]).toEqual([l.name, 0, true]);
    for (const h of r.hls) expect([h.unit, h.mismatches]).toEqual([h.unit, 0]);
    // The fills (a system input) reached the quoter: it took more events than the book sent.
    expect(r.hls.find((h) => h.unit === 'quoter')!.inputs).toBeGreaterThan(r.links.find((l) => l.name === 'book_to_quoter')!.delivered);
    const { types, errors } = ouchTypes(r.outputPcap!.file);
    expect(errors).toBe(0);
    expect(types.O).toBeGreaterThan(10);
    expect(types.U).toBeGreaterThan(10);
    expect(types.X).toBeGreaterThan(10);
    expect(r.latency!.samples).toBeGreaterThan(100);
  });

  // Narrow, busy books whose sweeps empty the ladder: every run-out is refilled from the level store (levels.ts,
  // refill.ts). The same with levels $2 apart (gaps:N): past the store's search, so refills miss and sides degrade.
  test.each([
    ['stress:4000', 'refills'],
    ['gaps:4000', 'refillMisses'],
  ])('the book-stress stream %s (sweeps past the ladder): 0 mismatches three-way, %s counted alike', async (input, counter) => {
    const r = await cosimSystem({ file: SYSTEM, input, seed: 2, out: path.join(tmp, input.replace(':', '-')), readyProb: 0.5 });
    expect(r.mismatches).toBe(0);
    for (const h of r.hls) expect([h.unit, h.mismatches]).toEqual([h.unit, 0]);
    expect(r.status.every((x) => x.match)).toBe(true);
    const st = (name: string) => Number(r.status.find((x) => x.unit === 'book' && x.name === name)!.model);
    expect(st(counter)).toBeGreaterThan(counter === 'refills' ? 20 : 5);
    // Records with a side degraded (the ladder ran out with shares beyond and nothing found): none when refilled.
    if (counter === 'refills') expect([st('degradedTops'), st('refillMisses')]).toEqual([0, 0]);
    else expect(st('degradedTops')).toBeGreaterThan(50);
    expect(st('updates')).toBeGreaterThan(st('degradedTops'));
  });
  // The host-loaded locate -> slot map (orders.ts `slots`) given by `--params` as `orders.slots`: the stimulus's
  // locates on other slots, every 16th untracked. The model commits it, the RTL's host writes it through the memory's
  // window before the first record, each HLS kernel gets it as its array argument.
  test('a non-default locate -> slot map by --params: 0 mismatches three-way; each level change on the mapped slot, unmapped locates ignored', async () => {
    const map = permutedMap();
    const r = await cosimSystem({ file: SYSTEM, input: 'synthetic:3000', seed: 7, out: path.join(tmp, 'mapped'), readyProb: 0.5, params: { 'orders.slots': map } });
    expect(r.mismatches).toBe(0);
    for (const l of r.links) expect([l.name, l.mismatches, l.compared > 20]).toEqual([l.name, 0, true]);
    for (const h of r.hls) expect([h.unit, h.mismatches, h.compared]).toEqual([h.unit, 0, h.outputs.model]);
    expect(r.status.every((x) => x.match)).toBe(true);
    const ops = r.tap('refill_to_book') as Array<{ locate: number; slot: number }>;
    expect(ops.length).toBeGreaterThan(1000);
    expect(ops.every((o) => map[o.locate] === o.slot + 1)).toBe(true);
    expect(ops.some((o) => o.slot !== o.locate - 1)).toBe(true);
    // Adds of unmapped locates reached the order store and changed nothing (with the default map they would).
    const msgs = r.tap('itch_feed_to_orders') as Array<{ type: string; stockLocate: number }>;
    expect(msgs.filter((m) => m.type === 'A' && m.stockLocate >= 1 && m.stockLocate <= 1024 && map[m.stockLocate] === 0).length).toBeGreaterThan(10);
    const tops = r.tap('book') as Array<{ locate: number; slot: number }>;
    expect(tops.every((t) => map[t.locate] === t.slot + 1)).toBe(true);
  });
});
