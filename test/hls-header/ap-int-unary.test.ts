// Property test: single-operand behaviour of ap_int.h for all 128 ap types
// (ap_int<1..64>, ap_uint<1..64>): construction from every C integer size,
// to_*() conversions, unary operators, ++/--, shifts by every amount 0..W-1,
// range(hi, lo) and bit select read/write, reductions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allApTypes, compileDriver, runCases, type Driver } from "./harness.ts";
import { chunks } from "./pairs.ts";
import { unaryCases, unaryDriverSource } from "./unary.ts";

const parts = chunks(allApTypes(), 2);
let drivers: Driver[] = [];

beforeAll(async () => {
  drivers = await Promise.all(parts.map((ts, i) => compileDriver(`unary${i}`, unaryDriverSource(ts))));
}, 240_000);

afterAll(() => {
  for (const d of drivers) d.cleanup();
});

describe("ap_int.h single-operand semantics (property test, all 128 types)", () => {
  it("matches the BigInt model on every line", () => {
    let compared = 0;
    parts.forEach((ts, i) => {
      const cases = unaryCases(ts, 0xc000 + i);
      const r = runCases(drivers[i]!, cases);
      expect(r.mismatch, r.mismatch).toBeUndefined();
      expect(r.compared).toBe(cases.length);
      compared += r.compared;
    });
    console.info(`[hls-header] single-operand operations: ${compared} cases compared`);
    expect(compared).toBeGreaterThan(50_000);
  });
});
