// Single-operand property cases for every ap type: construction from C
// integers, conversions, unary operators, ++/--, shifts by every amount
// 0..W-1 (plus negative and >= W amounts), range(hi, lo) read/write, bit
// select read/write and reductions.
import {
  DRIVER_PRELUDE, Rng, ap, apOut, cpp, edgeValues, img, randomValue, shiftLeft, shiftRight, wrap,
  type Case, type Ty,
} from "./harness.ts";

const OP = {
  fromLL: 0, fromULL: 1, fromInt: 2, fromUInt: 3, fromShort: 4, fromUChar: 5, fromBool: 6, fromSChar: 7, assignInt: 8,
  toUint64: 10, toInt64: 11, toUint: 12, toInt: 13, length: 14, toBool: 15, not: 16, bitNot: 17, neg: 18, pos: 19,
  preInc: 20, postInc: 21, preDec: 22, postDec: 23, implicit: 24, toLong: 25, ostream: 26,
  shlInt: 30, shrInt: 31, shlAssign: 32, shrAssign: 33, shlUInt: 34, shrUInt: 35,
  rangeRead: 40, rangeWrite: 41, rangeWriteAp: 42, rangeFull: 43, bitRead: 44, bitWrite: 45, bitHelpers: 46,
  bitCopy: 47, reduce: 48, concatRangeBit: 49,
} as const;

/** Width of -x in Vitis: ap_int<max(W, 1 + S) + 1>. */
export function negWidth(t: Ty): number {
  return Math.max(t.w, t.s ? 2 : 1) + 1;
}

export function unaryDriverSource(types: Ty[]): string {
  const cases = types.map((t, i) => `    case ${i}: run<${cpp(t)}>(op, a, b, c, d); break;`).join("\n");
  return `${DRIVER_PRELUDE}
#include <sstream>

template <class A>
static void run(int op, unsigned long long ra, unsigned long long b, unsigned long long c, unsigned long long d) {
  constexpr int W = info<A>::w;
  constexpr bool S = info<A>::s;
  const A a = mk<A>(ra);
  const int ib = static_cast<int>(static_cast<long long>(b));
  const int ic = static_cast<int>(static_cast<long long>(c));
  switch (op) {
    case ${OP.fromLL}: { A x = static_cast<long long>(ra); put_ap(x); break; }
    case ${OP.fromULL}: { A x = ra; put_ap(x); break; }
    case ${OP.fromInt}: { A x = static_cast<int>(ra); put_ap(x); break; }
    case ${OP.fromUInt}: { A x = static_cast<unsigned>(ra); put_ap(x); break; }
    case ${OP.fromShort}: { A x = static_cast<short>(ra); put_ap(x); break; }
    case ${OP.fromUChar}: { A x = static_cast<unsigned char>(ra); put_ap(x); break; }
    case ${OP.fromBool}: { A x = ra != 0; put_ap(x); break; }
    case ${OP.fromSChar}: { A x = static_cast<signed char>(ra); put_ap(x); break; }
    case ${OP.assignInt}: { A x; put_ap(x); sp(); x = static_cast<int>(ra); put_ap(x); break; }
    case ${OP.toUint64}: put_u(a.to_uint64()); break;
    case ${OP.toInt64}: put_s(a.to_int64()); break;
    case ${OP.toUint}: put_u(a.to_uint()); break;
    case ${OP.toInt}: put_s(a.to_int()); break;
    case ${OP.length}: put_i(a.length()); sp(); put_i(A::width); break;
    case ${OP.toBool}: { bool v = a; put_b(v); sp(); put_b(a.to_bool()); sp(); if (a) put_b(true); else put_b(false); break; }
    case ${OP.not}: put_b(!a); break;
    case ${OP.bitNot}: put_ap(~a); break;
    case ${OP.neg}: if constexpr (((W > (S ? 2 : 1)) ? W : (S ? 2 : 1)) + 1 <= 64) put_ap(-a); else bad(op); break;
    case ${OP.pos}: put_ap(+a); break;
    case ${OP.preInc}: { A x = a; A& r = ++x; put_ap(x); sp(); put_b(&r == &x); break; }
    case ${OP.postInc}: { A x = a; A old = x++; put_ap(old); sp(); put_ap(x); break; }
    case ${OP.preDec}: { A x = a; A& r = --x; put_ap(x); sp(); put_b(&r == &x); break; }
    case ${OP.postDec}: { A x = a; A old = x--; put_ap(old); sp(); put_ap(x); break; }
    case ${OP.implicit}: { long long s = a; unsigned long long u = a; put_s(s); sp(); put_u(u); break; }
    case ${OP.toLong}: put_s(a.to_long()); sp(); put_u(a.to_ulong()); break;
    case ${OP.ostream}: { std::ostringstream os; os << a; out += os.str(); break; }
    case ${OP.shlInt}: put_ap(a << ib); break;
    case ${OP.shrInt}: put_ap(a >> ib); break;
    case ${OP.shlAssign}: { A x = a; A& r = (x <<= ib); put_ap(x); sp(); put_b(&r == &x); break; }
    case ${OP.shrAssign}: { A x = a; A& r = (x >>= ib); put_ap(x); sp(); put_b(&r == &x); break; }
    case ${OP.shlUInt}: put_ap(a << static_cast<unsigned>(b)); break;
    case ${OP.shrUInt}: put_ap(a >> static_cast<unsigned>(b)); break;
    case ${OP.rangeRead}: {
      A x = a;
      auto r = x.range(ib, ic);
      put_u(r.to_uint64()); sp(); put_i(r.length()); sp();
      put_ap(r | ap_uint<1>(0)); sp();
      put_u(a.range(ib, ic).to_uint64()); sp(); put_u(x(ib, ic).to_uint64()); sp();
      ap_uint<W> copy = x.range(ib, ic); put_ap(copy);
      break;
    }
    case ${OP.rangeWrite}: {
      A x = a;
      auto r = x.range(ib, ic);
      r = d;
      put_ap(x); sp(); put_u(r.to_uint64());
      break;
    }
    case ${OP.rangeWriteAp}: { A x = a; x.range(ib, ic) = ap_int<13>(static_cast<long long>(d)); put_ap(x); break; }
    case ${OP.rangeFull}: {
      A x = a;
      put_u(x.range().to_uint64()); sp();
      x.range() = d; put_ap(x);
      break;
    }
    case ${OP.bitRead}: {
      A x = a;
      bool p = x[ib];
      bool q = a[ib];
      put_b(p); sp(); put_b(q); sp(); put_b(a.test(ib)); sp(); put_b(a.bit(ib)); sp();
      put_ap(x[ib] | ap_uint<1>(0)); sp(); put_b(~x[ib]);
      break;
    }
    case ${OP.bitWrite}: { A x = a; x[ib] = ic; put_ap(x); break; }
    case ${OP.bitHelpers}: {
      A x1 = a, x2 = a, x3 = a, x4 = a;
      x1.set(ib); x2.clear(ib); x3.invert(ib); x4.set_bit(ib, ic != 0);
      put_ap(x1); sp(); put_ap(x2); sp(); put_ap(x3); sp(); put_ap(x4);
      break;
    }
    case ${OP.bitCopy}: { A x = a; x[ib] = x[ic]; put_ap(x); break; }
    case ${OP.concatRangeBit}:
      if constexpr (W <= 63) {
        A x = a;
        const int id = static_cast<int>(d);
        auto cat = (x.range(ib, ic), x[id]);
        put_ap(cat.get()); sp(); put_i(cat.length()); sp();
        cat = ~ra;
        put_ap(x);
      } else bad(op);
      break;
    case ${OP.reduce}:
      put_b(a.and_reduce()); put_b(a.or_reduce()); put_b(a.xor_reduce());
      put_b(a.nand_reduce()); put_b(a.nor_reduce()); put_b(a.xnor_reduce());
      break;
    default: bad(op);
  }
}

static void dispatch(int t, int op, unsigned long long a, unsigned long long b, unsigned long long c, unsigned long long d) {
  switch (t) {
${cases}
    default: out += "BAD-TYPE";
  }
}
`;
}

const mask = (n: number) => (1n << BigInt(n)) - 1n;
const b01 = (v: boolean) => (v ? "1" : "0");

function popcount(v: bigint): number {
  let n = 0;
  for (; v > 0n; v >>= 1n) n += Number(v & 1n);
  return n;
}

export function unaryCases(types: Ty[], seed: number): Case[] {
  const r = new Rng(seed);
  const cases: Case[] = [];
  types.forEach((t, ti) => {
    const W = t.w;
    const ux = (v: bigint) => BigInt.asUintN(W, v);
    const edges = edgeValues(t);
    let k = 0;
    // Operand stream: edge values first (all of them), then random.
    const next = (): bigint => (k < edges.length ? edges[k++]! : (k++, randomValue(r, t)));
    const emit = (op: number, a: bigint, b: bigint, c: bigint, d: bigint, expected: string, what: string) => {
      cases.push({
        line: `${ti} ${op} ${img(a)} ${img(b)} ${img(c)} ${img(d)}`,
        expected,
        what: `${what}  [A=${cpp(t)} a=${a}, b=${b}, c=${c}, d=${d}]`,
      });
    };

    // Construction from C integers of every size (any value of the C type).
    const cSources: [number, Ty, string][] = [
      [OP.fromLL, ap(64, true), "A x = (long long)v"], [OP.fromULL, ap(64, false), "A x = (unsigned long long)v"],
      [OP.fromInt, ap(32, true), "A x = (int)v"], [OP.fromUInt, ap(32, false), "A x = (unsigned)v"],
      [OP.fromShort, ap(16, true), "A x = (short)v"], [OP.fromUChar, ap(8, false), "A x = (unsigned char)v"],
      [OP.fromSChar, ap(8, true), "A x = (signed char)v"],
    ];
    for (const [op, src, what] of cSources) {
      const vals = [...edgeValues(src), randomValue(r, src), randomValue(r, src), randomValue(r, src)];
      for (const v of vals) emit(op, v, 0n, 0n, 0n, apOut(v, t), what);
    }
    for (const v of [0n, 1n]) emit(OP.fromBool, v, 0n, 0n, 0n, apOut(v, t), "A x = (bool)v");
    for (let i = 0; i < 4; i++) {
      const v = randomValue(r, ap(32, true));
      emit(OP.assignInt, v, 0n, 0n, 0n, `${apOut(0n, t)} ${apOut(v, t)}`, "A x; x = (int)v (default value is 0)");
    }

    // Conversions and unary operators: all edge values plus random values.
    const nUnary = edges.length + 6;
    k = 0;
    for (let i = 0; i < nUnary; i++) {
      const a = next();
      emit(OP.toUint64, a, 0n, 0n, 0n, `${BigInt.asUintN(64, a)}`, "a.to_uint64()");
      emit(OP.toInt64, a, 0n, 0n, 0n, `${BigInt.asIntN(64, a)}`, "a.to_int64()");
      emit(OP.toUint, a, 0n, 0n, 0n, `${BigInt.asUintN(32, a)}`, "a.to_uint()");
      emit(OP.toInt, a, 0n, 0n, 0n, `${BigInt.asIntN(32, a)}`, "a.to_int()");
      emit(OP.length, a, 0n, 0n, 0n, `${W} ${W}`, "a.length(), A::width");
      emit(OP.toBool, a, 0n, 0n, 0n, `${b01(a !== 0n)} ${b01(a !== 0n)} ${b01(a !== 0n)}`, "bool(a), a.to_bool(), if (a)");
      emit(OP.not, a, 0n, 0n, 0n, b01(a === 0n), "!a");
      emit(OP.bitNot, a, 0n, 0n, 0n, apOut(~a, t), "~a");
      if (negWidth(t) <= 64) emit(OP.neg, a, 0n, 0n, 0n, apOut(-a, ap(negWidth(t), true)), "-a");
      emit(OP.pos, a, 0n, 0n, 0n, apOut(a, t), "+a");
      emit(OP.preInc, a, 0n, 0n, 0n, `${apOut(a + 1n, t)} 1`, "++x");
      emit(OP.postInc, a, 0n, 0n, 0n, `${apOut(a, t)} ${apOut(a + 1n, t)}`, "x++");
      emit(OP.preDec, a, 0n, 0n, 0n, `${apOut(a - 1n, t)} 1`, "--x");
      emit(OP.postDec, a, 0n, 0n, 0n, `${apOut(a, t)} ${apOut(a - 1n, t)}`, "x--");
      emit(OP.implicit, a, 0n, 0n, 0n, `${BigInt.asIntN(64, a)} ${BigInt.asUintN(64, a)}`, "long long s = a; unsigned long long u = a");
      emit(OP.toLong, a, 0n, 0n, 0n, `${BigInt.asIntN(64, a)} ${BigInt.asUintN(64, a)}`, "a.to_long(), a.to_ulong()");
      emit(OP.ostream, a, 0n, 0n, 0n, `${a}`, "std::ostream << a");
      emit(OP.reduce, a, 0n, 0n, 0n,
        [ux(a) === mask(W), ux(a) !== 0n, popcount(ux(a)) % 2 === 1, ux(a) !== mask(W), ux(a) === 0n, popcount(ux(a)) % 2 === 0].map(b01).join(""),
        "and/or/xor/nand/nor/xnor_reduce()");
    }

    // Shifts by every amount 0..W-1 (int and unsigned amounts, binary and
    // compound), plus negative amounts (opposite direction) and >= W.
    k = 0;
    const shiftOps = (a: bigint, n: bigint, unsignedToo: boolean) => {
      const l = shiftLeft(a, t, n);
      const rr = shiftRight(a, t, n);
      emit(OP.shlInt, a, n, 0n, 0n, apOut(l, t), "a << (int)n");
      emit(OP.shrInt, a, n, 0n, 0n, apOut(rr, t), "a >> (int)n");
      emit(OP.shlAssign, a, n, 0n, 0n, `${apOut(l, t)} 1`, "x <<= (int)n");
      emit(OP.shrAssign, a, n, 0n, 0n, `${apOut(rr, t)} 1`, "x >>= (int)n");
      if (unsignedToo) {
        emit(OP.shlUInt, a, n, 0n, 0n, apOut(l, t), "a << (unsigned)n");
        emit(OP.shrUInt, a, n, 0n, 0n, apOut(rr, t), "a >> (unsigned)n");
      }
    };
    for (let n = 0; n < W; n++) {
      shiftOps(next(), BigInt(n), true);
      shiftOps(randomValue(r, t), BigInt(n), true);
    }
    for (const n of [-1, -(W - 1), -W, -(W + 1), -100]) shiftOps(randomValue(r, t), BigInt(n), false);
    for (const n of [W, W + 1, 63, 64, 100]) shiftOps(r.chance(0.5) ? minOf(t) : randomValue(r, t), BigInt(n), true);

    // range(hi, lo): all (hi, lo) for W <= 8, otherwise edges + random.
    const ranges: [number, number][] = [];
    if (W <= 8) {
      for (let hi = 0; hi < W; hi++) for (let lo = 0; lo <= hi; lo++) ranges.push([hi, lo]);
    } else {
      ranges.push([W - 1, 0], [W - 1, W - 1], [0, 0], [W - 1, 1], [W - 2, 0], [W >> 1, W >> 2]);
      for (let i = 0; i < 24; i++) {
        const hi = r.int(0, W - 1);
        ranges.push([hi, r.int(0, hi)]);
      }
    }
    for (const [hi, lo] of ranges) {
      const a = randomValue(r, t);
      const len = hi - lo + 1;
      const v = (ux(a) >> BigInt(lo)) & mask(len);
      emit(OP.rangeRead, a, BigInt(hi), BigInt(lo), 0n, `${v} ${len} ${v} ${W} u ${v} ${v} ${v} ${W} u`, `x.range(${hi}, ${lo}) read`);
      const d = r.bits(64);
      const m = mask(len) << BigInt(lo);
      const written = wrap((ux(a) & ~m) | ((d << BigInt(lo)) & m), W, t.s);
      emit(OP.rangeWrite, a, BigInt(hi), BigInt(lo), d, `${apOut(written, t)} ${d & mask(len)}`, `x.range(${hi}, ${lo}) = (unsigned long long)d`);
      const d13 = wrap(r.bits(13), 13, true);
      const written13 = wrap((ux(a) & ~m) | ((BigInt.asUintN(64, d13) << BigInt(lo)) & m), W, t.s);
      emit(OP.rangeWriteAp, a, BigInt(hi), BigInt(lo), d13, apOut(written13, t), `x.range(${hi}, ${lo}) = ap_int<13>(d)`);
    }
    // (x.range(hi, lo), x[i]): packed by actual lengths, typed ap_uint<W + 1>;
    // assignment writes the range first, then the bit.
    if (W <= 63) {
      for (const [hi, lo] of ranges.slice(0, 12)) {
        const a = randomValue(r, t);
        const i = r.int(0, W - 1);
        const len = hi - lo + 1;
        const v = (((ux(a) >> BigInt(lo)) & mask(len)) << 1n) | ((ux(a) >> BigInt(i)) & 1n);
        const wv = BigInt.asUintN(64, ~a);
        const m = mask(len) << BigInt(lo);
        let x = (ux(a) & ~m) | (((wv >> 1n) << BigInt(lo)) & m);
        x = (wv & 1n) === 1n ? x | (1n << BigInt(i)) : x & ~(1n << BigInt(i));
        emit(OP.concatRangeBit, a, BigInt(hi), BigInt(lo), BigInt(i),
          `${v} ${W + 1} u ${len + 1} ${apOut(x, t)}`, `(x.range(${hi}, ${lo}), x[${i}]) read, then = ~a`);
      }
    }
    for (let i = 0; i < 4; i++) {
      const a = randomValue(r, t);
      const d = r.bits(64);
      emit(OP.rangeFull, a, 0n, 0n, d, `${ux(a)} ${apOut(d, t)}`, "x.range() read, x.range() = d");
    }

    // Bit select: every index, read; writes of 0 / 1 / other non-zero values.
    for (let i = 0; i < W; i++) {
      const a = randomValue(r, t);
      const bit = (ux(a) >> BigInt(i)) & 1n;
      emit(OP.bitRead, a, BigInt(i), 0n, 0n, `${bit} ${bit} ${bit} ${bit} ${bit} 1 u ${bit ^ 1n}`, `x[${i}] read (proxy, const, test, bit, ~)`);
      const wv = r.pick([0n, 1n, 2n, -1n]);
      const setTo = (x: bigint, idx: number, on: boolean) =>
        wrap(on ? ux(x) | (1n << BigInt(idx)) : ux(x) & ~(1n << BigInt(idx)), W, t.s);
      emit(OP.bitWrite, a, BigInt(i), wv, 0n, apOut(setTo(a, i, wv !== 0n), t), `x[${i}] = (int)${wv}`);
      emit(OP.bitHelpers, a, BigInt(i), wv, 0n,
        [setTo(a, i, true), setTo(a, i, false), setTo(a, i, bit === 0n), setTo(a, i, wv !== 0n)].map((x) => apOut(x, t)).join(" "),
        `x.set(${i}) / clear / invert / set_bit(${i}, ${wv !== 0n})`);
      const j = r.int(0, W - 1);
      emit(OP.bitCopy, a, BigInt(i), BigInt(j), 0n, apOut(setTo(a, i, ((ux(a) >> BigInt(j)) & 1n) === 1n), t), `x[${i}] = x[${j}]`);
    }
  });
  return cases;
}

function minOf(t: Ty): bigint {
  return t.s ? -(1n << BigInt(t.w - 1)) : 0n;
}
