// Two-operand property cases: operand type pairs (A, B) where A is an ap type
// and B an ap type or a C integer type. Generates the C++ driver (one
// template instantiation per pair, only the operations whose Vitis result
// type fits in 64 bits are compiled) and the cases with BigInt expectations.
import {
  BIN_OPS, BIN_SYM, C_TYPES, DRIVER_PRELUDE, REL_OPS, REL_SYM, Rng, ap, apOut, cpp, edgeValues,
  exact, img, randomValue, relate, resultType, shiftLeft, shiftRight, wrap,
  type BinOp, type Case, type RelOp, type Ty,
} from "./harness.ts";

export interface Pair {
  a: Ty;
  b: Ty;
}

// Op codes understood by the pair driver.
const OP_BIN = 0; // + BIN_OPS index: a OP b
const OP_RBIN = 8; // + BIN_OPS index: b OP a
const OP_COMPOUND = 16; // + index into COMPOUND
const OP_REL = 26; // + REL_OPS index: a OP b
const OP_RREL = 32; // + REL_OPS index: b OP a
const OP_CONV_AB = 38; // B x = a
const OP_CONV_BA = 39; // A x = b
const OP_CONCAT = 40; // (a, b) and a.concat(b)
const OP_CONCAT_WRITE = 41; // (a, b) = c
const OP_SHL = 42; // a << b
const OP_SHR = 43; // a >> b
const MASK_CONCAT = 1 << 16;

type CompoundOp = BinOp | "shl" | "shr";
const COMPOUND: CompoundOp[] = [...BIN_OPS, "shl", "shr"];
const COMPOUND_SYM: Record<CompoundOp, string> = { ...BIN_SYM, shl: "<<", shr: ">>" };
const COMPOUND_WITH_C: CompoundOp[] = ["add", "div", "and", "shl"];

export type Group = "arith" | "compound" | "relational" | "convert" | "concat" | "shift";

function fits(t: Ty): boolean {
  return t.w <= 64;
}

/**
 * Bitmask of the operations compiled for this pair: those whose Vitis result
 * fits in 64 bits. The reversed form b OP a is compiled for C-integer and
 * different-width B only (for same-width B it is the forward form of another
 * pair in the set).
 */
export function pairMask(p: Pair): number {
  let m = 0;
  const reversed = p.b.c !== undefined || p.b.w !== p.a.w;
  BIN_OPS.forEach((op, i) => {
    if (fits(resultType(op, p.a, p.b))) m |= 1 << i;
    if (reversed && fits(resultType(op, p.b, p.a))) m |= 1 << (8 + i);
  });
  if (!p.b.c && p.a.w + p.b.w <= 64) m |= MASK_CONCAT;
  return m;
}

export function driverSource(pairs: Pair[], groups: Group[]): string {
  const g = new Set(groups);
  const bin = !g.has("arith") ? "" : BIN_OPS.map((op, i) => `    case ${OP_BIN + i}: if constexpr ((M >> ${i}) & 1) put_ap(a ${BIN_SYM[op]} b); else bad(op); break;
    case ${OP_RBIN + i}: if constexpr ((M >> ${8 + i}) & 1) put_ap(b ${BIN_SYM[op]} a); else bad(op); break;`).join("\n");
  // With a C-integer right operand only a representative subset of the
  // compound assignments is compiled (they all forward through the same
  // C-int -> ap conversion); C-int-on-the-left comparisons only for C ints.
  const comp = !g.has("compound") ? "" : COMPOUND.map((op, i) => `    case ${OP_COMPOUND + i}: if constexpr (${COMPOUND_WITH_C.includes(op) ? "true" : "!std::is_integral<B>::value"}) { A x = a; A& r = (x ${COMPOUND_SYM[op]}= b); put_ap(x); sp(); put_b(&r == &x); } else bad(op); break;`).join("\n");
  const rel = !g.has("relational") ? "" : REL_OPS.map((op, i) => `    case ${OP_REL + i}: put_b(a ${REL_SYM[op]} b); break;
    case ${OP_RREL + i}: if constexpr (std::is_integral<B>::value) put_b(b ${REL_SYM[op]} a); else bad(op); break;`).join("\n");
  const cases = pairs
    .map((p, i) => `    case ${i}: run<${cpp(p.a)}, ${cpp(p.b)}, ${pairMask(p)}u>(op, a, b, c); break;`)
    .join("\n");
  return `${DRIVER_PRELUDE}
template <class X> static void put_any(const X& v) {
  if constexpr (std::is_integral<X>::value) put_c(v); else put_ap(v);
}

template <class A, class B, unsigned M>
static void run(int op, unsigned long long ra, unsigned long long rb, unsigned long long rc) {
  const A a = mk<A>(ra);
  const B b = mk<B>(rb);
  (void)rc;
  switch (op) {
${bin}
${comp}
${rel}
${g.has("convert") ? `    case ${OP_CONV_AB}: { B x = a; put_any(x); break; }
    case ${OP_CONV_BA}: { A x = b; put_ap(x); break; }` : ""}
${g.has("concat") ? `    case ${OP_CONCAT}:
      if constexpr ((M & ${MASK_CONCAT}u) != 0) {
        auto cat = (a, b);
        put_ap(cat.get()); sp(); put_i(decltype(cat)::width); sp();
        put_ap(a.concat(b).get()); sp();
        put_ap(ap_uint<decltype(cat)::width>((a, b)) ^ ap_uint<1>(0));
      } else bad(op);
      break;
    case ${OP_CONCAT_WRITE}:
      if constexpr ((M & ${MASK_CONCAT}u) != 0) {
        A x = a; B y = b;
        (x, y) = rc;
        put_ap(x); sp(); put_ap(y);
      } else bad(op);
      break;` : ""}
${g.has("shift") ? `    case ${OP_SHL}: put_ap(a << b); break;
    case ${OP_SHR}: put_ap(a >> b); break;` : ""}
    default: bad(op);
  }
}

static void dispatch(int t, int op, unsigned long long a, unsigned long long b, unsigned long long c, unsigned long long) {
  switch (t) {
${cases}
    default: out += "BAD-TYPE";
  }
}
`;
}

/**
 * Operand type pairs. For every A among the 128 ap types: B = A, B = the
 * same width with the other signedness, and one B of random signedness whose
 * width is small enough that + - * / % & | ^ all fit in 64 bits when such a
 * width exists (random otherwise); plus two of the C integer types int,
 * unsigned, long long, unsigned long long (rotating).
 */
export function choosePairs(r: Rng): Pair[] {
  const pairs: Pair[] = [];
  const cNames = Object.values(C_TYPES);
  let k = 0;
  for (let w = 1; w <= 64; w++) {
    for (const sa of [false, true]) {
      const a = ap(w, sa);
      pairs.push({ a, b: ap(w, sa) });
      pairs.push({ a, b: ap(w, !sa) });
      const small = 62 - w;
      pairs.push({ a, b: ap(small >= 1 ? r.int(1, small) : r.int(1, 64), r.chance(0.5)) });
      pairs.push({ a, b: cNames[k % 4]! });
      pairs.push({ a, b: cNames[(k + 1) % 4]! });
      k++;
    }
  }
  return pairs;
}

/** Splits a list into n interleaved chunks (for parallel compilation). */
export function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = Array.from({ length: n }, () => []);
  xs.forEach((x, i) => out[i % n]!.push(x));
  return out;
}

function shiftAmount(r: Rng, a: Ty, b: Ty): bigint {
  // Mostly 0..W-1 (when representable in B), sometimes negative or >= W.
  const hiB = b.s ? (1n << BigInt(b.w - 1)) - 1n : (1n << BigInt(b.w)) - 1n;
  const loB = b.s ? -(1n << BigInt(b.w - 1)) : 0n;
  const k = r.u32() % 10;
  let n: bigint;
  if (k < 7) n = BigInt(r.int(0, a.w - 1));
  else if (k < 9) n = BigInt(r.int(-(a.w + 2), a.w + 2));
  else n = randomValue(r, b);
  return n < loB ? loB : n > hiB ? hiB : n;
}

/** Generates cases for the given pairs and op groups. */
export function pairCases(pairs: Pair[], groups: Group[], seed: number, perOp: number): Case[] {
  const r = new Rng(seed);
  const cases: Case[] = [];
  const want = new Set(groups);
  pairs.forEach((p, pi) => {
    const { a: ta, b: tb } = p;
    const ea = edgeValues(ta);
    const eb = edgeValues(tb);
    const mask = pairMask(p);
    // Operand stream: the first few are deterministic edge x edge
    // combinations (rotating with the pair index), the rest random.
    const operands = (k: number): [bigint, bigint] => {
      if (k < 4) {
        const idx = pi * 4 + k;
        return [ea[idx % ea.length]!, eb[Math.floor(idx / ea.length) % eb.length]!];
      }
      return [randomValue(r, ta), randomValue(r, tb)];
    };
    const emit = (op: number, a: bigint, b: bigint, c: bigint, expected: string, what: string) => {
      cases.push({ line: `${pi} ${op} ${img(a)} ${img(b)} ${img(c)}`, expected, what: `${what}  [A=${cpp(ta)} a=${a}, B=${cpp(tb)} b=${b}${c !== 0n ? `, c=${c}` : ""}]` });
    };

    if (want.has("arith")) {
      BIN_OPS.forEach((op, i) => {
        for (const rev of [false, true]) {
          if (!((mask >> (i + (rev ? 8 : 0))) & 1)) continue;
          const [tl, tr] = rev ? [tb, ta] : [ta, tb];
          const rt = resultType(op, tl, tr);
          for (let k = 0; k < perOp; k++) {
            const [a, b] = operands(k);
            const [l, rr] = rev ? [b, a] : [a, b];
            if ((op === "div" || op === "mod") && rr === 0n) continue;
            const v = exact(op, l, rr);
            if (wrap(v, rt.w, rt.s) !== v) throw new Error(`model: ${op} result ${v} does not fit ${cpp(rt)}`);
            emit((rev ? OP_RBIN : OP_BIN) + i, a, b, 0n, apOut(v, rt), `${rev ? "b" : "a"} ${BIN_SYM[op]} ${rev ? "a" : "b"} -> ${cpp(rt)}`);
          }
        }
      });
    }
    if (want.has("compound")) {
      COMPOUND.forEach((op, i) => {
        if (tb.c && !COMPOUND_WITH_C.includes(op)) return;
        for (let k = 0; k < perOp; k++) {
          let [a, b] = operands(k);
          if (op === "shl" || op === "shr") b = shiftAmount(r, ta, tb);
          if ((op === "div" || op === "mod") && b === 0n) continue;
          const v = op === "shl" ? shiftLeft(a, ta, b) : op === "shr" ? shiftRight(a, ta, b) : wrap(exact(op, a, b), ta.w, ta.s);
          emit(OP_COMPOUND + i, a, b, 0n, `${apOut(v, ta)} 1`, `a ${COMPOUND_SYM[op]}= b (wraps to A)`);
        }
      });
    }
    if (want.has("relational")) {
      REL_OPS.forEach((op: RelOp, i) => {
        for (let k = 0; k < perOp; k++) {
          const [a, b] = operands(k);
          emit(OP_REL + i, a, b, 0n, relate(op, a, ta, b, tb) ? "1" : "0", `a ${REL_SYM[op]} b`);
          if (tb.c) emit(OP_RREL + i, a, b, 0n, relate(op, b, tb, a, ta) ? "1" : "0", `b ${REL_SYM[op]} a`);
        }
      });
    }
    if (want.has("convert")) {
      for (let k = 0; k < perOp; k++) {
        const [a, b] = operands(k);
        emit(OP_CONV_AB, a, b, 0n, tb.c ? `${wrap(a, tb.w, tb.s)}` : apOut(a, tb), `B x = a`);
        emit(OP_CONV_BA, a, b, 0n, apOut(b, ta), `A x = b`);
      }
    }
    if (want.has("concat") && mask & MASK_CONCAT) {
      const wc = ta.w + tb.w;
      const ct: Ty = ap(wc, false);
      for (let k = 0; k < perOp; k++) {
        const [a, b] = operands(k);
        const v = (BigInt.asUintN(ta.w, a) << BigInt(tb.w)) | BigInt.asUintN(tb.w, b);
        emit(OP_CONCAT, a, b, 0n, `${apOut(v, ct)} ${wc} ${apOut(v, ct)} ${apOut(v, ct)}`, `(a, b) / a.concat(b)`);
        const c = r.chance(0.3) ? randomValue(r, ct) : r.bits(64);
        const cImg = BigInt.asUintN(64, c);
        emit(OP_CONCAT_WRITE, a, b, cImg, `${apOut(cImg >> BigInt(tb.w), ta)} ${apOut(cImg, tb)}`, `(a, b) = c`);
      }
    }
    if (want.has("shift")) {
      for (let k = 0; k < perOp; k++) {
        const a = operands(k)[0];
        const n = shiftAmount(r, ta, tb);
        emit(OP_SHL, a, n, 0n, apOut(shiftLeft(a, ta, n), ta), `a << b`);
        emit(OP_SHR, a, n, 0n, apOut(shiftRight(a, ta, n), ta), `a >> b`);
      }
    }
  });
  return cases;
}

