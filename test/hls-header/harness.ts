// Shared harness for the hls/include property tests: a BigInt reference model
// of the Vitis ap_int/ap_uint semantics, a seeded RNG, and helpers that
// compile a generated C++ driver against hls/include and run it on a file
// of operation lines.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const HLS_INCLUDE = join(REPO_ROOT, "hls", "include");

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------
export type CName = "int" | "unsigned" | "long long" | "unsigned long long";

/** An ap type (c undefined) or a C integer type standing in for ap of its width. */
export interface Ty {
  w: number;
  s: boolean;
  c?: CName;
}

export const C_TYPES: Record<CName, Ty> = {
  int: { w: 32, s: true, c: "int" },
  unsigned: { w: 32, s: false, c: "unsigned" },
  "long long": { w: 64, s: true, c: "long long" },
  "unsigned long long": { w: 64, s: false, c: "unsigned long long" },
};

export function ap(w: number, s: boolean): Ty {
  return { w, s };
}

export function cpp(t: Ty): string {
  return t.c ?? (t.s ? `ap_int<${t.w}>` : `ap_uint<${t.w}>`);
}

export function tyName(t: Ty): string {
  return cpp(t);
}

/** All 128 ap types: widths 1..64, unsigned and signed. */
export function allApTypes(): Ty[] {
  const out: Ty[] = [];
  for (let w = 1; w <= 64; w++) {
    out.push(ap(w, false));
    out.push(ap(w, true));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Two's complement helpers
// ---------------------------------------------------------------------------
export function wrap(v: bigint, w: number, s: boolean): bigint {
  return s ? BigInt.asIntN(w, v) : BigInt.asUintN(w, v);
}
export function minOf(t: Ty): bigint {
  return t.s ? -(1n << BigInt(t.w - 1)) : 0n;
}
export function maxOf(t: Ty): bigint {
  return t.s ? (1n << BigInt(t.w - 1)) - 1n : (1n << BigInt(t.w)) - 1n;
}
/** 64-bit unsigned image, the wire format of operands sent to the drivers. */
export function img(v: bigint): string {
  return BigInt.asUintN(64, v).toString();
}
export function typeTag(t: Ty): string {
  return `${t.w} ${t.s ? "s" : "u"}`;
}
/** Expected printout of an ap-typed result: "<value> <width> <s|u>". */
export function apOut(v: bigint, t: Ty): string {
  const wv = wrap(v, t.w, t.s);
  return `${wv} ${typeTag(t)}`;
}

// ---------------------------------------------------------------------------
// Documented Vitis result types (UG1399 "Binary Arithmetic Operators")
// ---------------------------------------------------------------------------
export type BinOp = "add" | "sub" | "mul" | "div" | "mod" | "and" | "or" | "xor";
export const BIN_OPS: BinOp[] = ["add", "sub", "mul", "div", "mod", "and", "or", "xor"];
export const BIN_SYM: Record<BinOp, string> = {
  add: "+", sub: "-", mul: "*", div: "/", mod: "%", and: "&", or: "|", xor: "^",
};

export function resultType(op: BinOp, a: Ty, b: Ty): Ty {
  const e1 = a.w + (b.s && !a.s ? 1 : 0);
  const e2 = b.w + (a.s && !b.s ? 1 : 0);
  const mx = Math.max(e1, e2);
  switch (op) {
    case "add": return ap(mx + 1, a.s || b.s);
    case "sub": return ap(mx + 1, true);
    case "mul": return ap(a.w + b.w, a.s || b.s);
    case "div": return ap(a.w + (b.s ? 1 : 0), a.s || b.s);
    case "mod": return ap(Math.min(a.w, b.w + (a.s && !b.s ? 1 : 0)), a.s);
    case "and": case "or": case "xor": return ap(mx, a.s || b.s);
  }
}

/** Exact (infinite precision) result of a binary operator; b != 0 for div/mod. */
export function exact(op: BinOp, a: bigint, b: bigint): bigint {
  switch (op) {
    case "add": return a + b;
    case "sub": return a - b;
    case "mul": return a * b;
    case "div": return a / b; // BigInt division truncates toward zero
    case "mod": return a % b; // sign of the dividend
    case "and": return a & b;
    case "or": return a | b;
    case "xor": return a ^ b;
  }
}

// Shifts keep the left operand's type; negative amounts reverse the direction.
export function shiftLeft(a: bigint, t: Ty, n: bigint): bigint {
  if (n < 0n) return shiftRight(a, t, -n);
  if (n >= BigInt(t.w)) return 0n;
  return wrap(a << n, t.w, t.s);
}
export function shiftRight(a: bigint, t: Ty, n: bigint): bigint {
  if (n < 0n) return shiftLeft(a, t, -n);
  if (n >= BigInt(t.w)) return a < 0n ? -1n : 0n;
  return wrap(a >> n, t.w, t.s); // BigInt >> is arithmetic; a >= 0 for ap_uint
}

// Relational operators, literal transcription of the vendor rule ("gcc rule
// for comparison between different bitwidth and signness"): exact unless the
// signedness differs, not both are narrower than 32 bits, and the unsigned
// operand is at least as wide as the signed one; then <,> compare unsigned
// after extending both to max(W1,W2)+1 bits. == compares modulo
// 2^max(W1,W2,32).
export function unsignedMode(ta: Ty, tb: Ty): boolean {
  return ta.s !== tb.s && !(ta.w < 32 && tb.w < 32) && (ta.s ? tb.w >= ta.w : ta.w >= tb.w);
}
export function cmpLt(a: bigint, ta: Ty, b: bigint, tb: Ty): boolean {
  if (unsignedMode(ta, tb)) {
    const m = Math.max(ta.w, tb.w) + 1;
    return BigInt.asUintN(m, a) < BigInt.asUintN(m, b);
  }
  return a < b;
}
export function cmpEq(a: bigint, ta: Ty, b: bigint, tb: Ty): boolean {
  const m = Math.max(ta.w, tb.w, 32);
  return BigInt.asUintN(m, a) === BigInt.asUintN(m, b);
}
export type RelOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";
export const REL_OPS: RelOp[] = ["eq", "ne", "lt", "le", "gt", "ge"];
export const REL_SYM: Record<RelOp, string> = {
  eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=",
};
export function relate(op: RelOp, a: bigint, ta: Ty, b: bigint, tb: Ty): boolean {
  switch (op) {
    case "eq": return cmpEq(a, ta, b, tb);
    case "ne": return !cmpEq(a, ta, b, tb);
    case "lt": return cmpLt(a, ta, b, tb);
    case "gt": return cmpLt(b, tb, a, ta);
    case "le": return !cmpLt(b, tb, a, ta);
    case "ge": return !cmpLt(a, ta, b, tb);
  }
}

// ---------------------------------------------------------------------------
// Seeded RNG (mulberry32) and operand generation
// ---------------------------------------------------------------------------
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.u32() % (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }
  bits(n: number): bigint {
    let v = 0n;
    for (let got = 0; got < n; got += 32) v = (v << 32n) | BigInt(this.u32());
    return BigInt.asUintN(n, v);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.u32() % xs.length]!;
  }
}

/** 0, 1, max, min, -1, 2^(w-1) (for ap_uint), and their neighbours, deduplicated and in range. */
export function edgeValues(t: Ty): bigint[] {
  const lo = minOf(t);
  const hi = maxOf(t);
  const cands = [0n, 1n, hi, lo, -1n, 1n << BigInt(t.w - 1), hi - 1n, lo + 1n, 2n, -2n, (1n << BigInt(t.w - 1)) - 1n];
  const seen = new Set<string>();
  const out: bigint[] = [];
  for (const c of cands) {
    if (c < lo || c > hi) continue;
    const k = c.toString();
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(c);
  }
  return out;
}

/** Random value of type t: full-width bit patterns, short magnitudes, or edge values. */
export function randomValue(r: Rng, t: Ty): bigint {
  const k = r.u32() % 8;
  if (k < 2) return r.pick(edgeValues(t));
  if (k < 5) return wrap(r.bits(t.w), t.w, t.s);
  // short magnitude (random bit length), random sign if signed
  const len = r.int(1, t.w);
  let v = BigInt.asUintN(len, r.bits(len));
  if (t.s && r.chance(0.5)) v = -v;
  v = v < minOf(t) ? minOf(t) : v > maxOf(t) ? maxOf(t) : v;
  return v;
}

// ---------------------------------------------------------------------------
// Compile and run drivers
// ---------------------------------------------------------------------------
export interface Driver {
  dir: string;
  exe: string;
  compileMs: number;
  cleanup(): void;
}

/** Compiles a driver with g++ -O1 -Wall -Wextra -Werror against hls/include (asynchronously). */
export function compileDriver(name: string, source: string, std = "c++17"): Promise<Driver> {
  const dir = mkdtempSync(join(tmpdir(), `tf-hls-${name}-`));
  const src = join(dir, `${name}.cpp`);
  const exe = join(dir, name);
  writeFileSync(src, source);
  const t0 = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      "g++",
      [`-std=${std}`, "-O1", "-Wall", "-Wextra", "-Werror", "-I", HLS_INCLUDE, src, "-o", exe],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 20000) stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`g++ failed for ${name} (${src}):\n${stderr}`));
        return;
      }
      resolvePromise({
        dir, exe, compileMs: Date.now() - t0,
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      });
    });
  });
}

export interface Case {
  /** Operation line sent to the driver. */
  line: string;
  /** Exact expected output line. */
  expected: string;
  /** Human readable description of the case (operation, types, operands). */
  what: string;
}

export interface Outcome {
  compared: number;
  mismatch?: string;
}

/** Runs the driver on all cases (one line each) and compares every output line. */
export function runCases(d: Driver, cases: Case[]): Outcome {
  const input = join(d.dir, "ops.txt");
  const output = join(d.dir, "out.txt");
  writeFileSync(input, cases.map((c) => c.line).join("\n") + "\n");
  execFileSync(d.exe, [input, output], { stdio: ["ignore", "inherit", "inherit"] });
  const got = readFileSync(output, "utf8").split("\n");
  if (got.length > 0 && got[got.length - 1] === "") got.pop();
  let compared = 0;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    const g = got[i];
    if (g === undefined) {
      return { compared, mismatch: `driver produced only ${got.length} lines for ${cases.length} cases; first missing: #${i} ${c.what} [input: ${c.line}]` };
    }
    if (g !== c.expected) {
      return {
        compared,
        mismatch: `case #${i}: ${c.what}\n  input line: ${c.line}\n  expected:   ${c.expected}\n  got:        ${g}`,
      };
    }
    compared++;
  }
  if (got.length !== cases.length) {
    return { compared, mismatch: `driver produced ${got.length} lines for ${cases.length} cases` };
  }
  return { compared };
}

/** Common C++ prelude for the drivers: type info, output helpers, input loop. */
export const DRIVER_PRELUDE = String.raw`
#include "ap_int.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>

template <class X> struct info;
template <int W> struct info<ap_int<W>> { static constexpr int w = W; static constexpr bool s = true; };
template <int W> struct info<ap_uint<W>> { static constexpr int w = W; static constexpr bool s = false; };
template <> struct info<int> { static constexpr int w = 32; static constexpr bool s = true; };
template <> struct info<unsigned> { static constexpr int w = 32; static constexpr bool s = false; };
template <> struct info<long long> { static constexpr int w = 64; static constexpr bool s = true; };
template <> struct info<unsigned long long> { static constexpr int w = 64; static constexpr bool s = false; };

static std::string out;
[[maybe_unused]] static void put_u(unsigned long long v) { char b[32]; std::snprintf(b, sizeof b, "%llu", v); out += b; }
[[maybe_unused]] static void put_s(long long v) { char b[32]; std::snprintf(b, sizeof b, "%lld", v); out += b; }
[[maybe_unused]] static void put_i(long long v) { put_s(v); }
[[maybe_unused]] static void put_b(bool v) { out += v ? '1' : '0'; }
[[maybe_unused]] static void sp() { out += ' '; }

// Value of an ap_int/ap_uint (exact type required) followed by its width and signedness.
template <class X> static void put_ap(const X& v) {
  static_assert(std::is_same<X, ap_int<info<X>::w>>::value || std::is_same<X, ap_uint<info<X>::w>>::value, "exact ap type expected");
  if (info<X>::s) put_s(v.to_int64()); else put_u(v.to_uint64());
  out += ' '; put_i(info<X>::w); out += info<X>::s ? " s" : " u";
}
// Value of a C integer.
template <class X> static void put_c(X v) { if (std::is_signed<X>::value) put_s((long long)v); else put_u((unsigned long long)v); }

// Builds a value of type X from the 64-bit two's complement image of an
// in-range value (for ap types this also exercises construction from long long).
template <class X> static X mk(unsigned long long r) {
  if constexpr (std::is_integral<X>::value) return static_cast<X>(r);
  else return X(static_cast<long long>(r));
}
[[maybe_unused]] static void bad(int op) { out += "BAD-OP-"; put_i(op); }

static void dispatch(int t, int op, unsigned long long a, unsigned long long b, unsigned long long c, unsigned long long d);

int main(int argc, char** argv) {
  if (argc != 3) { std::fprintf(stderr, "usage: driver ops.txt out.txt\n"); return 2; }
  FILE* f = std::fopen(argv[1], "rb");
  if (!f) { std::perror("open input"); return 2; }
  std::string in;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) in.append(buf, n);
  std::fclose(f);
  out.reserve(in.size() * 2);
  const char* p = in.c_str();
  while (*p) {
    char* e;
    long t = std::strtol(p, &e, 10); p = e;
    long op = std::strtol(p, &e, 10); p = e;
    unsigned long long v[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
      while (*p == ' ') p++;
      if (*p == '\n' || *p == 0) break;
      v[i] = std::strtoull(p, &e, 10); p = e;
    }
    while (*p && *p != '\n') p++;
    if (*p == '\n') p++;
    dispatch((int)t, (int)op, v[0], v[1], v[2], v[3]);
    out += '\n';
  }
  FILE* o = std::fopen(argv[2], "wb");
  if (!o) { std::perror("open output"); return 2; }
  std::fwrite(out.data(), 1, out.size(), o);
  std::fclose(o);
  return 0;
}
`;
