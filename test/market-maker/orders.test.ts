// The order store (examples/market-maker/orders.ts) alone, three-way (model, Verilated RTL, HLS C-simulation), on
// the contract's refusals and on back-to-back updates of one order: references of 2^36 or more (refused and counted
// in wideRefs on an add, unknown on E C X D U, never confused with the order whose low 36 bits they share), adds of
// 2^20 shares or more (oversize), a U's new order refused either way, partial reduces that put the order back, a U to
// its own reference. The model's counts are the contract's (book-vs-reference.test.ts checks them against the
// reference book); here the RTL and the HLS kernel must equal the model record by record and in every counter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { cosim } from '../../sim/cosim.ts';
import { A, C, D, E, F, U, X, binaryFileOf } from './messages.ts';

const W = 1n << 36n;
const EDGES = [
  A(1, 5, 'B', 2 ** 20, 1_000), F(2, 5, 'S', 2 ** 31, 1_100), A(3, 5, 'B', 2 ** 32 - 1, 1_000), A(4, 5, 'B', 2 ** 20 - 1, 900),
  E(1, 5, 1), D(2, 5), X(4, 5, 2 ** 20 - 2), U(4, 5, 5, 2 ** 20, 950), D(5, 5), A(6, 5, 'S', 7, 1_200), U(6, 7, 5, 2 ** 20 - 1, 1_150),
  A(W, 5, 'B', 100, 1_000), F(2n ** 64n - 1n, 5, 'S', 10, 1_100), A(W + 3n, 5, 'S', 10, 1_100), A(W - 1n, 5, 'B', 50, 990),
  E(W, 5, 1), C(W + 3n, 5, 1, 5), X(2n ** 64n - 1n, 5, 1), D(W, 5), U(W, 9, 5, 10, 10),
  A(3, 5, 'S', 20, 1_050), D(W + 3n, 5), A(10, 5, 'B', 5, 980), U(10, W + 3n, 5, 6, 985), X(W - 1n, 5, 49), U(W - 1n, W + 1n, 5, 70, 995),
  E(W + 1n, 5, 1), U(3, W - 2n, 5, 5, 1_040), D(W - 2n, 5),
  // one order updated record after record (the forwarding of the table's writes between records)
  A(20, 6, 'B', 100, 500), E(20, 6, 10), X(20, 6, 20), C(20, 6, 30, 499), E(20, 6, 40), A(21, 6, 'S', 9, 600), U(21, 21, 6, 8, 601), X(21, 6, 8), D(21, 6),
];

test('the order store alone on the refusal edges, 10 rounds: model, RTL and HLS equal, counters equal', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-orders-'));
  const input = path.join(dir, 'edges.itch');
  // Ten rounds of the same messages: from the second on, every add of round 1 that was stored is a dupAdd.
  fs.writeFileSync(input, Buffer.concat(Array.from({ length: 10 }, () => Buffer.from(binaryFileOf(EDGES)))));
  const r = await cosim({ file: 'examples/market-maker/orders.ts', input, seed: 2, out: path.join(dir, 'out') });
  expect(r.executors.rtl!.compared).toBeGreaterThan(200);
  expect(r.executors.hls!.compared).toBe(r.executors.rtl!.compared);
  expect(r.mismatches).toBe(0);
  const st = Object.fromEntries(r.status.map((s) => [s.name, s]));
  for (const s of r.status) expect([s.name, s.match]).toEqual([s.name, true]);
  // Per round 5 wide references and 4 oversize adds are refused (book-vs-reference.test.ts counts the same).
  expect(Number(st.wideRefs!.model)).toBe(50);
  expect(Number(st.oversize!.model)).toBe(40);
  expect(Number(st.overflows!.model)).toBe(0);
  expect(Number(st.unknownRefs!.model)).toBeGreaterThan(70);
}, 600_000);
