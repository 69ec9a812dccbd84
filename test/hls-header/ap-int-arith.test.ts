// Property test: ap_int.h binary arithmetic/bitwise operators and shifts by
// ap and C-integer amounts, for every ap width 1..64 (signed and unsigned),
// against an exact BigInt model of the documented Vitis semantics, including
// the Vitis result type (width and signedness) of every operation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN_OPS, Rng, compileDriver, runCases, type Driver } from "./harness.ts";
import { choosePairs, chunks, driverSource, pairCases, pairMask, type Group } from "./pairs.ts";

const GROUPS: Group[] = ["arith", "shift"];
const pairs = choosePairs(new Rng(0x5eed01));
const parts = chunks(pairs, 2);
let drivers: Driver[] = [];

beforeAll(async () => {
  drivers = await Promise.all(parts.map((ps, i) => compileDriver(`arith${i}`, driverSource(ps, GROUPS))));
}, 240_000);

afterAll(() => {
  for (const d of drivers) d.cleanup();
});

function check(group: Group, perOp: number): number {
  let compared = 0;
  parts.forEach((ps, i) => {
    const cases = pairCases(ps, [group], 0xa000 + i * 7 + group.length, perOp);
    const r = runCases(drivers[i]!, cases);
    expect(r.mismatch, r.mismatch).toBeUndefined();
    expect(r.compared).toBe(cases.length);
    compared += r.compared;
  });
  return compared;
}

describe("ap_int.h binary operators (property test, widths 1..64)", () => {
  it("every A type 1..64 x {ap_int, ap_uint} is paired with same-width, other-sign, small-width and C-int operands", () => {
    for (let w = 1; w <= 64; w++) {
      for (const s of [false, true]) {
        const mine = pairs.filter((p) => p.a.w === w && p.a.s === s);
        expect(mine.length).toBe(5);
        // & | ^ and / % against the same type always fit in 64 bits.
        const same = mine.find((p) => !p.b.c && p.b.w === w && p.b.s === s)!;
        expect(pairMask(same) & (1 << BIN_OPS.indexOf("and"))).not.toBe(0);
      }
    }
  });

  it("+ - * / % & | ^ (both operand orders, ap and C-int operands) give the exact value in the Vitis result type", () => {
    const n = check("arith", 12);
    console.info(`[hls-header] arithmetic/bitwise: ${n} cases compared (${pairs.length} operand type pairs)`);
    expect(n).toBeGreaterThan(50_000);
  });

  it("<< and >> by ap_int/ap_uint/C-int amounts keep the left type (>> arithmetic for ap_int, logical for ap_uint)", () => {
    const n = check("shift", 16);
    console.info(`[hls-header] shifts by ap/C amounts: ${n} cases compared`);
    expect(n).toBeGreaterThan(10_000);
  });
});
