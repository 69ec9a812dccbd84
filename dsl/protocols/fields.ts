// Protocol layouts inside a unit: reading and writing a message's fields by name, from the 64-bit words a unit holds
// (the AXI-Stream lane order: byte b of the stream in bits [8(b%8)+7 : 8(b%8)] of word b >> 3). These are the
// model's implementations; the compiler (codegen/frontend/protocols.ts) lowers the same calls to bit slices and
// concatenations at offsets it reads from the same declarations, and evaluates the queries (fieldOffset, ...) at
// compile time. docs/semantics.md §14 "Protocol fields" is the contract both implement; docs/dsl.md §14 shows them
// in use.
//
// Values: numeric fields (u8..u64, prices, the appendage length) are big-endian on the wire and read as the integer
// they hold (signed ones sign-extended); char and alpha fields are kept in wire order, byte 0 in bits 7..0, so a
// symbol is a key and a character is its ASCII code. Fields of up to 6 bytes are `number`, wider ones `bigint` (the
// DSL's integer rule). An alpha field wider than 8 bytes is written as 8-byte chunks, byte 0 first, and cannot be
// read as one value (no intermediate wider than 64 bits: the HLS back end's limit).
import { u, i, ufixed, sfixed, type ScalarSpec, type UIntSpec, type SIntSpec } from '../types.ts';
import type { AlphaField, CharField, FieldLayout, FieldType, IntField, Layout, OptionTable, AppendageField } from './layout.ts';

type Int = number | bigint;
type FieldsOf<L> = L extends Layout<string, infer F> ? F : never;
/** The names of a layout's fields a unit can read or write (not the variable-length payload/text tails). */
export type FieldName<L> = { [K in keyof FieldsOf<L>]: FieldsOf<L>[K] extends IntField | CharField | AlphaField | AppendageField ? K : never }[keyof FieldsOf<L>] & string;
/** Every field's name, the variable-length tails included (their offsets are known). */
export type AnyFieldName<L> = keyof FieldsOf<L> & string;
type Small = 1 | 2 | 3 | 4 | 5 | 6;
/** What readField gives for a field type. */
export type FieldWord<F> =
  F extends IntField<infer V> ? V : F extends CharField ? number : F extends AppendageField ? number : F extends AlphaField<infer N> ? (N extends Small ? number : bigint) : never;
/** What encodeWord / writeField take for a field type (alpha wider than 8 bytes: 8-byte chunks, byte 0 first). */
/** The spec type fieldSpec gives: its model values are what readField gives (number, or bigint over 6 bytes). */
export type FieldSpecOf<F> = [FieldWord<F>] extends [bigint] ? UIntSpec<64> | SIntSpec<64> : UIntSpec<32> | SIntSpec<32>;
export type FieldInput<F> = F extends AlphaField<infer N> ? (N extends Small | 7 | 8 ? Int : readonly Int[]) : F extends CharField ? Int | string : Int;

const byName = new WeakMap<Layout, Map<string, FieldLayout>>();
function fieldOf(layout: Layout, name: string, tails = false): FieldLayout {
  let m = byName.get(layout);
  if (!m) {
    m = new Map(layout.fields.map((f) => [f.name, f]));
    byName.set(layout, m);
  }
  const f = m.get(name);
  if (!f) throw new RangeError(`${layout.name} has no field ${name}`);
  if (!tails && (f.type.kind === 'payload' || f.type.kind === 'text')) throw new RangeError(`${layout.name}.${name} is variable-length: a unit reads it byte by byte`);
  return f;
}
/** Numeric fields are big-endian on the wire; characters and alpha fields are kept in wire order. */
function bigEndian(t: FieldType): boolean {
  return t.kind === 'int' || t.kind === 'appendage';
}

// ---- compile-time queries (the compiler evaluates them; in the model they are ordinary functions) ----

/** Byte offset of field `name` from message byte 0 (the type code, if any, is byte 0). */
export function fieldOffset<L extends Layout>(layout: L, name: AnyFieldName<L>): number {
  return fieldOf(layout, name, true).offset;
}
/** Size of field `name` in bytes. */
export function fieldSize<L extends Layout>(layout: L, name: FieldName<L>): number {
  return fieldOf(layout, name).type.size;
}
/** The ASCII code of a message's type character (byte 0). */
export function typeCodeOf(layout: Layout): number {
  if (layout.typeCode === undefined) throw new RangeError(`${layout.name} has no type code`);
  return layout.typeCode.charCodeAt(0);
}
/** The DSL type of what readField gives for field `name`: u/i/ufixed/sfixed of its bits, u(8) for a character,
 * u(8n) for an n-byte alpha field (n <= 8), u(16) for an appendage length. */
export function fieldSpec<L extends Layout, K extends FieldName<L>>(layout: L, name: K): FieldSpecOf<FieldsOf<L>[K]> {
  return specOf(layout, name) as FieldSpecOf<FieldsOf<L>[K]>;
}
function specOf(layout: Layout, name: string): ScalarSpec {
  const t = fieldOf(layout, name).type;
  const w = t.size * 8;
  if (t.kind === 'int') {
    if (t.scale !== undefined) return t.signed ? sfixed(w, t.scale) : ufixed(w, t.scale);
    return t.signed ? i(w) : u(w);
  }
  if (t.kind === 'alpha' && t.size > 8) throw new RangeError(`${layout.name}.${name} is ${t.size} bytes: wider than one 64-bit value`);
  return u(w);
}
/** A message length table as a constant bit mask: bit i is bit `bit` of the length of the layout whose type code is
 * first + i (i = 0..31), 0 where no layout has that code. Lets a unit look a length up with shifts and slices. */
export function lengthBitmap(layouts: readonly Layout[], bit: number, first: number): number {
  let m = 0;
  for (const l of layouts) {
    const c = l.typeCode === undefined ? -1 : l.typeCode.charCodeAt(0) - first;
    if (c >= 0 && c < 32 && (l.length >> bit) & 1) m += 2 ** c;
  }
  return m;
}
/** The tag of OUCH option `name` (appendix B) in an option table. */
export function optionTag(options: OptionTable, name: string): number {
  for (const [tag, [n]] of Object.entries(options)) if (n === name) return Number(tag);
  throw new RangeError(`no option ${name}`);
}
/** The size in bytes of option `name`'s value. */
export function optionSize(options: OptionTable, name: string): number {
  return options[optionTag(options, name)]![1].size;
}

// ---- reading and writing fields in 64-bit words ----

function wordByte(words: readonly Int[], b: number, what: string): number {
  const w = words[b >> 3];
  if (b < 0 || w === undefined) throw new RangeError(`${what}: byte ${b} of the stream is not in the ${words.length} words given`);
  // (floor division is the arithmetic shift of a two's-complement value; the remainder is made non-negative)
  return typeof w === 'number' ? ((Math.floor(w / 2 ** (8 * (b & 7))) % 256) + 256) % 256 : Number((w >> BigInt(8 * (b & 7))) & 0xffn);
}

/**
 * Field `name` of a message whose byte 0 is stream byte `at` of `words` (negative when the words start inside the
 * message: words holding message bytes 11.. have at = -11). Numeric fields big-endian, characters and alpha fields
 * in wire order (byte 0 lowest); see the file comment.
 */
export function readField<L extends Layout, K extends FieldName<L>>(layout: L, name: K, words: readonly Int[], at = 0): FieldWord<FieldsOf<L>[K]> {
  const f = fieldOf(layout, name);
  const t = f.type;
  if (t.kind === 'alpha' && t.size > 8) throw new RangeError(`${layout.name}.${name} is ${t.size} bytes: wider than one 64-bit value`);
  const be = bigEndian(t);
  let v = 0n;
  for (let k = 0; k < t.size; k++) {
    const byte = BigInt(wordByte(words, at + f.offset + k, `${layout.name}.${name}`));
    v = be ? (v << 8n) | byte : v | (byte << BigInt(8 * k));
  }
  if (t.kind === 'int' && t.signed) v = BigInt.asIntN(8 * t.size, v);
  return (t.size <= 6 ? Number(v) : v) as FieldWord<FieldsOf<L>[K]>;
}

/** The bytes of `value` (an n-byte field, big-endian or wire order) that land in word k when byte 0 is stream byte p. */
function place(value: Int | string, n: number, be: boolean, p: number, k: number): bigint {
  if (p >> 3 > k || (p + n - 1) >> 3 < k) return 0n; // (no byte in word k: the common case, kept cheap)
  const v = typeof value === 'string' ? BigInt(value.charCodeAt(0)) : BigInt(value);
  let r = 0n;
  for (let j = 0; j < n; j++) {
    const b = p + j;
    if (b >> 3 !== k) continue;
    const byte = (v >> BigInt(8 * (be ? n - 1 - j : j))) & 0xffn;
    r |= byte << BigInt(8 * (b & 7));
  }
  return r;
}
function checkFits(value: Int | string, bytes: number, signed: boolean, what: string): void {
  if (typeof value === 'string') value = value.charCodeAt(0);
  if (typeof value === 'number' && !signed && bytes <= 6 && Number.isInteger(value) && value >= 0 && value < 2 ** (8 * bytes)) return;
  const v = BigInt(value);
  const w = BigInt(8 * bytes);
  const ok = signed ? v >= -(1n << (w - 1n)) && v < 1n << (w - 1n) : v >= 0n && v < 1n << w;
  if (!ok) throw new RangeError(`${what}: ${value} does not fit ${bytes} byte${bytes === 1 ? '' : 's'}`);
}

/**
 * What 64-bit word `k` of a stream gets from field `name` = `value` of a message whose byte 0 is stream byte `at`:
 * the field's bytes that fall in word k, at their lanes, zero elsewhere. OR the words of several fields together.
 */
export function writeField<L extends Layout, K extends FieldName<L>>(layout: L, name: K, value: FieldInput<FieldsOf<L>[K]>, at: number, k: number): bigint {
  const f = fieldOf(layout, name);
  const t = f.type;
  const what = `${layout.name}.${name}`;
  if (t.kind === 'alpha' && t.size > 8) {
    if (!Array.isArray(value) || value.length !== Math.ceil(t.size / 8)) throw new RangeError(`${what}: give ${Math.ceil(t.size / 8)} chunks of 8 bytes`);
    let r = 0n;
    (value as readonly Int[]).forEach((c, j) => {
      const n = Math.min(8, t.size - 8 * j);
      checkFits(c, n, false, `${what} chunk ${j}`);
      r |= place(c, n, false, at + f.offset + 8 * j, k);
    });
    return r;
  }
  checkFits(value as Int | string, t.size, t.kind === 'int' && t.signed, what);
  return place(value as Int | string, t.size, bigEndian(t), at + f.offset, k);
}

/** The values encodeWord takes: any of a layout's fields by name (the type code is written from the layout). */
export type FieldValues<L> = { [K in FieldName<L>]?: FieldInput<FieldsOf<L>[K]> };

/**
 * Word `k` of a stream holding the message `layout` with the given field values, byte 0 at stream byte `at`: the type
 * code (if the layout has one) and every field given, each at its offset; fields not given are zero.
 */
export function encodeWord<L extends Layout>(layout: L, values: FieldValues<L>, at: number, k: number): bigint {
  let r = layout.typeCode === undefined ? 0n : place(layout.typeCode.charCodeAt(0), 1, false, at, k);
  for (const name of Object.keys(values)) {
    const v = (values as Record<string, Int | string | readonly Int[] | undefined>)[name];
    if (v !== undefined) r |= writeField(layout, name as FieldName<L>, v as never, at, k);
  }
  return r;
}
