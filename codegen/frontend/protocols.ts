// Protocol layouts in units: the compile-time side of dsl/protocols/fields.ts.
//
// The layouts (ITCH 5.0, OUCH 5.0, MoldUDP64, SoupBinTCP) are tickforge's own library, not the user's design, so the
// compiler takes them from the library modules themselves rather than re-reading their syntax: a name in a design
// that resolves to a `const` of dsl/protocols/*.ts is that module's export (a layout, a list of layouts, an option
// table), and the queries (fieldOffset, fieldSize, typeCodeOf, fieldSpec, lengthBitmap, optionTag, optionSize and a
// layout's length / minLength) are called at compile time with those objects: one definition, whose values the model
// computes with the same functions at run time. The accessors (readField, writeField, encodeWord) are lowered here to
// byte slices, constant shifts and ORs of disjoint bits (concatenations: wiring in the delay model and in hardware).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Node, type Expression, type Symbol as TsSymbol } from 'ts-morph';
import type { Loc } from '../diagnostics.ts';
import type { NodeId } from '../ir.ts';
import type { GraphBuilder } from './build.ts';
import type { FieldLayout, Layout } from '../../dsl/protocols/layout.ts';
import * as itch50 from '../../dsl/protocols/itch50.ts';
import * as ouch50 from '../../dsl/protocols/ouch50.ts';
import * as moldudp64 from '../../dsl/protocols/moldudp64.ts';
import * as soupbintcp from '../../dsl/protocols/soupbintcp.ts';
import * as fields from '../../dsl/protocols/fields.ts';

const PROTO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dsl/protocols');
const MODULES: Record<string, Record<string, unknown>> = {
  'itch50.ts': itch50,
  'ouch50.ts': ouch50,
  'moldudp64.ts': moldudp64,
  'soupbintcp.ts': soupbintcp,
};
const QUERIES: Record<string, (...a: never[]) => unknown> = {
  fieldOffset: fields.fieldOffset,
  fieldSize: fields.fieldSize,
  typeCodeOf: fields.typeCodeOf,
  fieldSpec: fields.fieldSpec,
  lengthBitmap: fields.lengthBitmap,
  optionTag: fields.optionTag,
  optionSize: fields.optionSize,
};
/** The accessors lowered by lowerProtocolCall. */
export const PROTOCOL_ACCESSORS: ReadonlySet<string> = new Set(['readField', 'writeField', 'encodeWord']);
/** What a layout reveals as a constant: `AddOrder.length`. */
const LAYOUT_PROPS = new Set(['length', 'minLength', 'typeCode']);

function declOf(sym: TsSymbol | undefined): Node | undefined {
  if (!sym) return undefined;
  if (sym.isAlias()) sym = sym.getAliasedSymbol() ?? sym;
  return sym.getDeclarations()[0];
}
function inProtocols(file: string): boolean {
  return path.resolve(file).startsWith(PROTO_DIR + path.sep);
}
export function isLayout(v: unknown): v is Layout {
  return typeof v === 'object' && v !== null && Array.isArray((v as Layout).fields) && typeof (v as Layout).length === 'number';
}

/** A layout, a list of layouts or an option table (not a number or string a query gives). */
export function isProtocolObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

/** A function of dsl/protocols a call names (e.g. 'fieldOffset'), or undefined. */
export function protocolFunction(callee: Node): string | undefined {
  if (!Node.isIdentifier(callee) && !Node.isPropertyAccessExpression(callee)) return undefined;
  const decl = declOf(callee.getSymbol());
  if (!decl || !Node.isFunctionDeclaration(decl) || !inProtocols(decl.getSourceFile().getFilePath())) return undefined;
  return decl.getName();
}

export interface ProtocolEval {
  /** A literal or constant expression of the design (SpecReader.constValue). */
  literal(e: Expression): unknown;
  fail(node: Node, message: string): never;
}

/**
 * The compile-time value of `e` if it is a protocol-library object or a query on one: a layout, an array of them, an
 * option table, or the number / string / type a query gives. Undefined for anything else (the caller goes on).
 */
export function protocolValue(e: Node, ev: ProtocolEval, depth = 0): unknown {
  if (depth > 16) return undefined;
  if (Node.isParenthesizedExpression(e) || Node.isAsExpression(e) || Node.isSatisfiesExpression(e)) return protocolValue(e.getExpression(), ev, depth + 1);
  if (Node.isIdentifier(e) || Node.isPropertyAccessExpression(e)) {
    const decl = declOf(e.getSymbol());
    if (decl && Node.isVariableDeclaration(decl) && decl.getVariableStatement()?.getDeclarationKind() === 'const') {
      const file = decl.getSourceFile().getFilePath();
      if (inProtocols(file)) {
        const mod = MODULES[path.basename(file)];
        const v = mod?.[decl.getName()];
        if (v !== undefined) return v;
      } else if (Node.isIdentifier(e)) {
        // a design's own alias: `const A = itch.AddOrder`
        const init = decl.getInitializer();
        if (init) return protocolValue(init, ev, depth + 1);
      }
    }
    if (Node.isPropertyAccessExpression(e) && LAYOUT_PROPS.has(e.getName())) {
      const obj = protocolValue(e.getExpression(), ev, depth + 1);
      if (isLayout(obj)) return obj[e.getName() as 'length'];
    }
    return undefined;
  }
  if (Node.isArrayLiteralExpression(e)) {
    const xs = e.getElements().map((x) => protocolValue(x, ev, depth + 1));
    return xs.length > 0 && xs.every((x) => isLayout(x)) ? xs : undefined;
  }
  if (Node.isCallExpression(e)) {
    const fn = protocolFunction(e.getExpression());
    const q = fn === undefined ? undefined : QUERIES[fn];
    if (!q) return undefined;
    const args = (e.getArguments() as Expression[]).map((a) => {
      const v = protocolValue(a, ev, depth + 1) ?? ev.literal(a);
      if (v === undefined) ev.fail(a, `${fn}() takes protocol layouts from tickforge/protocols and constants; ${a.getText()} is not known at compile time`);
      return v;
    });
    try {
      return (q as (...a: unknown[]) => unknown)(...args);
    } catch (err) {
      return ev.fail(e, (err as Error).message);
    }
  }
  return undefined;
}

// ---- lowering the accessors --------------------------------------------------------------------------------

/** An integer value during lowering (the lowerer's Val, narrowed). */
export interface IntVal {
  k: 'int' | 'char';
  n: NodeId;
  big?: boolean;
}
/** What an accessor gives: an integer (a bigint for encodeWord / writeField and for fields over 6 bytes). */
export interface IntOut {
  k: 'int';
  n: NodeId;
  big: boolean;
}
export interface AccessorHost extends ProtocolEval {
  g: GraphBuilder;
  loc(n: Node): Loc;
  /** Lowers an expression to an integer value (a char counts: its 8-bit code). */
  int(e: Expression): IntVal;
  /** An integer known at compile time (any sign). */
  constant(e: Expression): number;
  /** Bits [hi:lo] of x's two's-complement representation. */
  slice(x: NodeId, hi: number, lo: number, loc: Loc): NodeId;
  /** fail with a diagnostic code of the front end's table. */
  failCode(node: Node, code: 'TF108' | 'TF109', message: string, hint?: string): never;
}

function layoutArg(e: Expression | undefined, at: Node, fn: string, h: AccessorHost): Layout {
  const v = e && protocolValue(e, h);
  if (!isLayout(v)) h.failCode(e ?? at, 'TF109', `${fn}() needs a message layout of tickforge/protocols (e.g. itch.AddOrder) as its first argument`);
  return v;
}
function fieldArg(l: Layout, e: Node, name: unknown, h: AccessorHost): FieldLayout {
  const f = typeof name === 'string' ? l.fields.find((x) => x.name === name) : undefined;
  if (!f) h.failCode(e, 'TF109', `${l.name} has no field ${String(name)}`);
  if (f.type.kind === 'payload' || f.type.kind === 'text') h.failCode(e, 'TF109', `${l.name}.${f.name} is variable-length; read its bytes with bits()`);
  return f;
}
const bigEndian = (f: FieldLayout) => f.type.kind === 'int' || f.type.kind === 'appendage';

/** `a | b` of two disjoint bit sets (a concatenation), a missing side being zero. */
function orInto(acc: NodeId | undefined, x: NodeId, h: AccessorHost, loc: Loc): NodeId {
  return acc === undefined ? x : h.g.bin('or', acc, x, loc);
}
function shifted(x: NodeId, by: number, h: AccessorHost, loc: Loc): NodeId {
  return by === 0 ? x : h.g.bin('shl', x, h.g.const(BigInt(by), loc), loc);
}

/** readField(layout, 'name', [w0, w1, ...], at = 0). */
function lowerRead(args: Expression[], at: Node, h: AccessorHost): IntOut {
  const loc = h.loc(at);
  const l = layoutArg(args[0], at, 'readField', h);
  const f = fieldArg(l, args[1] ?? at, args[1] && h.literal(args[1]), h);
  const n = f.type.size;
  if (f.type.kind === 'alpha' && n > 8) h.failCode(args[1]!, 'TF109', `${l.name}.${f.name} is ${n} bytes, wider than one 64-bit value`, 'read its bytes with bits() on the words that hold them');
  const list = args[2];
  if (!list || !Node.isArrayLiteralExpression(list)) return h.failCode(args[2] ?? at, 'TF109', 'readField() takes the words as an array literal: [m.w0, m.w1, ...]');
  const base = args[3] ? h.constant(args[3]) : 0;
  const words = new Map<number, NodeId>();
  const word = (w: number): NodeId => {
    const el = list.getElements()[w];
    if (w < 0 || !el) return h.failCode(list, 'TF109', `${l.name}.${f.name} (bytes ${base + f.offset}..${base + f.offset + n - 1} of the stream) is not in the ${list.getElements().length} words given`);
    if (!words.has(w)) words.set(w, h.int(el as Expression).n);
    return words.get(w)!;
  };
  const be = bigEndian(f);
  let acc: NodeId | undefined;
  // Wire-order fields take runs of bytes from one word as one slice; big-endian ones byte by byte (reversed).
  for (let k = 0; k < n; ) {
    const b = base + f.offset + k;
    if (b < 0) word(-1);
    let run = 1;
    while (!be && k + run < n && (b + run) >> 3 === b >> 3) run++;
    const lane = b & 7;
    const bytes = h.slice(word(b >> 3), 8 * (lane + run) - 1, 8 * lane, loc);
    acc = orInto(acc, shifted(bytes, be ? 8 * (n - 1 - k) : 8 * k, h, loc), h, loc);
    k += run;
  }
  let v = acc!;
  if (f.type.kind === 'int' && f.type.signed) {
    const top = 1n << BigInt(8 * n - 1);
    v = h.g.wrap(v, -top, top - 1n, loc);
  }
  return { k: 'int', n: v, big: n > 6 };
}

/** The bytes of an n-byte value that land in word k when its byte 0 is stream byte p. */
function place(v: IntVal, n: number, be: boolean, signed: boolean, p: number, k: number, e: Node, what: string, h: AccessorHost, loc: Loc): NodeId | undefined {
  const V = h.g.get(v.n);
  const w = BigInt(8 * n);
  const [lo, hi] = signed ? [-(1n << (w - 1n)), (1n << (w - 1n)) - 1n] : [0n, (1n << w) - 1n];
  if (V.lo < lo || V.hi > hi) {
    h.failCode(e, 'TF108', `${what} holds ${n} byte${n === 1 ? '' : 's'} (${lo}..${hi}); this value may be ${V.lo}..${V.hi}`, 'narrow it first: wrap(), sat() or bits()');
  }
  let acc: NodeId | undefined;
  for (let j = 0; j < n; j++) {
    const b = p + j;
    if (b >> 3 !== k) continue;
    const src = 8 * (be ? n - 1 - j : j);
    acc = orInto(acc, shifted(h.slice(v.n, src + 7, src, loc), 8 * (b & 7), h, loc), h, loc);
  }
  return acc;
}

/** The word-k contribution of field f = valueExpr (alpha wider than 8 bytes: an array literal of 8-byte chunks). */
function writeOne(l: Layout, f: FieldLayout, valueExpr: Expression, base: number, k: number, h: AccessorHost, loc: Loc): NodeId | undefined {
  const what = `${l.name}.${f.name}`;
  const n = f.type.size;
  if (f.type.kind === 'alpha' && n > 8) {
    const chunks = Math.ceil(n / 8);
    if (!Node.isArrayLiteralExpression(valueExpr) || valueExpr.getElements().length !== chunks) {
      h.failCode(valueExpr, 'TF109', `${what} is ${n} bytes: give it as ${chunks} chunks of 8 bytes, byte 0 first: [lo, hi]`);
    }
    let acc: NodeId | undefined;
    valueExpr.getElements().forEach((c, j) => {
      const m = Math.min(8, n - 8 * j);
      const part = place(h.int(c as Expression), m, false, false, base + f.offset + 8 * j, k, c, `${what} chunk ${j}`, h, loc);
      if (part !== undefined) acc = orInto(acc, part, h, loc);
    });
    return acc;
  }
  const signed = f.type.kind === 'int' && f.type.signed;
  return place(h.int(valueExpr), n, bigEndian(f), signed, base + f.offset, k, valueExpr, what, h, loc);
}

/** writeField(layout, 'name', value, at, k) and encodeWord(layout, { name: value, ... }, at, k): a bigint word. */
function lowerWrite(fn: 'writeField' | 'encodeWord', args: Expression[], at: Node, h: AccessorHost): IntOut {
  const loc = h.loc(at);
  const l = layoutArg(args[0], at, fn, h);
  const [atArg, kArg] = fn === 'writeField' ? [args[3], args[4]] : [args[2], args[3]];
  if (!atArg || !kArg) h.failCode(at, 'TF109', `${fn}() takes the stream byte of message byte 0 and the word index: ${fn}(layout, ..., at, k)`);
  const base = h.constant(atArg);
  const k = h.constant(kArg);
  let acc: NodeId | undefined;
  if (fn === 'writeField') {
    const f = fieldArg(l, args[1] ?? at, args[1] && h.literal(args[1]), h);
    if (!args[2]) h.failCode(at, 'TF109', 'writeField() needs a value');
    acc = writeOne(l, f, args[2], base, k, h, loc);
  } else {
    if (l.typeCode !== undefined) {
      const code: IntVal = { k: 'int', n: h.g.const(BigInt(l.typeCode.charCodeAt(0)), loc) };
      acc = place(code, 1, false, false, base, k, at, `${l.name} type code`, h, loc);
    }
    const obj = args[1];
    if (!obj || !Node.isObjectLiteralExpression(obj)) return h.failCode(args[1] ?? at, 'TF109', 'encodeWord() takes the field values as an object literal: { price: x.price, ... }');
    for (const p of obj.getProperties()) {
      let value: Expression;
      if (Node.isPropertyAssignment(p)) value = p.getInitializerOrThrow();
      else if (Node.isShorthandPropertyAssignment(p)) value = p.getNameNode();
      else return h.failCode(p, 'TF109', 'only `name: value` properties are supported here');
      const f = fieldArg(l, p, p.getName(), h);
      const part = writeOne(l, f, value, base, k, h, loc);
      if (part !== undefined) acc = orInto(acc, part, h, loc);
    }
  }
  // (a word no field reaches is 0; widened to the word's 64 bits so every word is one type)
  return { k: 'int', n: acc ?? h.g.const(0n, loc), big: true };
}

/** Lowers a call of readField / writeField / encodeWord. */
export function lowerProtocolCall(fn: string, args: Expression[], at: Node, h: AccessorHost): IntOut {
  if (fn === 'readField') return lowerRead(args, at, h);
  if (fn === 'writeField' || fn === 'encodeWord') return lowerWrite(fn, args, at, h);
  return h.failCode(at, 'TF109', `${fn}() is not a protocol accessor`);
}
