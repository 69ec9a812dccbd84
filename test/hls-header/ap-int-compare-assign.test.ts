// Property test: ap_int.h compound assignments, relational operators,
// conversions between ap types (wrap/truncation/sign- and zero-extension)
// and concatenation, for every ap width 1..64 (signed and unsigned), against
// an exact BigInt model of the documented Vitis semantics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng, ap, compileDriver, relate, runCases, type Driver } from "./harness.ts";
import { choosePairs, chunks, driverSource, pairCases, type Group } from "./pairs.ts";

const GROUPS: Group[] = ["compound", "relational", "convert", "concat"];
const pairs = choosePairs(new Rng(0x5eed02));
const parts = chunks(pairs, 2);
let drivers: Driver[] = [];

beforeAll(async () => {
  drivers = await Promise.all(parts.map((ps, i) => compileDriver(`cmpasg${i}`, driverSource(ps, GROUPS))));
}, 240_000);

afterAll(() => {
  for (const d of drivers) d.cleanup();
});

function check(group: Group, perOp: number): number {
  let compared = 0;
  parts.forEach((ps, i) => {
    const cases = pairCases(ps, [group], 0xb000 + i * 7 + group.length, perOp);
    const r = runCases(drivers[i]!, cases);
    expect(r.mismatch, r.mismatch).toBeUndefined();
    expect(r.compared).toBe(cases.length);
    compared += r.compared;
  });
  return compared;
}

describe("ap_int.h assignments, comparisons, concatenation (property test, widths 1..64)", () => {
  it("compound assignments += -= *= /= %= &= |= ^= <<= >>= compute exactly and wrap to the destination type", () => {
    const n = check("compound", 12);
    console.info(`[hls-header] compound assignments: ${n} cases compared`);
    expect(n).toBeGreaterThan(50_000);
  });

  it("== != < <= > >= follow the Vitis rule for every width/signedness mix (ap op ap, ap op C-int, C-int op ap)", () => {
    const n = check("relational", 12);
    console.info(`[hls-header] relational operators: ${n} cases compared`);
    expect(n).toBeGreaterThan(50_000);
  });

  it("the relational model is exact except for the documented C-like mixed-signedness cases", () => {
    // Spot checks of the model itself (the C++ side is checked above).
    expect(relate("lt", -1n, ap(32, true), 0xffffffffn, ap(32, false))).toBe(false);
    expect(relate("gt", -1n, ap(32, true), 0xffffffffn, ap(32, false))).toBe(true);
    expect(relate("eq", -1n, ap(32, true), 0xffffffffn, ap(32, false))).toBe(true);
    expect(relate("lt", -1n, ap(8, true), 0n, ap(8, false))).toBe(true);
    expect(relate("lt", -1n, ap(40, true), 0n, ap(39, false))).toBe(true);
    expect(relate("eq", -1n, ap(8, true), 0xffn, ap(8, false))).toBe(false);
  });

  it("conversions between any two types (and to/from C integers) sign/zero-extend by the source, then truncate", () => {
    const n = check("convert", 16);
    console.info(`[hls-header] conversions: ${n} cases compared`);
    expect(n).toBeGreaterThan(15_000);
  });

  it("(a, b) and a.concat(b) give ap_uint<Wa+Wb>; (a, b) = c splits c back into a and b", () => {
    const n = check("concat", 12);
    console.info(`[hls-header] concatenation read/write: ${n} cases compared`);
    expect(n).toBeGreaterThan(5_000);
  });
});
