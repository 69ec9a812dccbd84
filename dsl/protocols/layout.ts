// A byte-oriented layout language for exchange protocols: big-endian fields at fixed byte offsets, declared once
// per message. From one declaration come the model's decoder (compiled to a specialised JS function per message),
// its encoder, the message lengths checked against the specs, and the widths a later RTL parser needs.
//
// Values in the model follow the DSL's integer rule (dsl/types.ts IntRep): fields of up to 6 bytes are `number`
// (exact: 48 bits < 2^53), 8-byte fields are `bigint`. Alpha fields are kept EXACTLY as sent (space padding
// included), so decode -> encode reproduces the bytes; `trimAlpha` strips the padding for display.
import { u, i, ufixed, sfixed, char as dslChar, type ScalarSpec } from '../types.ts';

export interface IntField<V = number | bigint> {
  readonly kind: 'int';
  readonly size: 1 | 2 | 4 | 6 | 8;
  readonly signed: boolean;
  /** Decimal places of a price: the value is an integer count of 10^-scale dollars. */
  readonly scale?: number;
  readonly __v?: V;
}
/** Fixed-width ASCII, left-justified and padded on the right with spaces. */
export interface AlphaField<N extends number = number> {
  readonly kind: 'alpha';
  readonly size: N;
  readonly __v?: string;
}
/** One ASCII code (a JS string of length 1); `codes` documents the spec's values (not enforced on decode). */
export interface CharField {
  readonly kind: 'char';
  readonly size: 1;
  readonly codes?: Readonly<Record<string, string>>;
  readonly __v?: string;
}
/** OUCH options appendage: u16 length, then TagValue elements. Optional: the length field itself may be absent. */
export interface AppendageField {
  readonly kind: 'appendage';
  readonly size: 2;
  readonly optional: boolean;
  readonly options: OptionTable;
  readonly __v?: TagValue[];
}
/** TagValue options by tag: name (camelCase) and value type. */
export type OptionTable = Readonly<Record<number, readonly [string, IntField | AlphaField | CharField]>>;
/** Raw bytes to the end of the message (SoupBinTCP data packets). */
export interface PayloadField {
  readonly kind: 'payload';
  readonly size: 0;
  readonly __v?: Uint8Array;
}
/** Latin-1 text to the end of the message (SoupBinTCP debug packets). */
export interface TextField {
  readonly kind: 'text';
  readonly size: 0;
  readonly __v?: string;
}
export type FieldType = IntField | AlphaField | CharField | AppendageField | PayloadField | TextField;

/** One decoded OUCH option. An unknown tag, or a value whose size differs from the option's, keeps its raw bytes. */
export type TagValue = { tag: number; option: string; value: number | bigint | string } | { tag: number; raw: string };

const int = <V>(size: 1 | 2 | 4 | 6 | 8, signed = false, scale?: number): IntField<V> =>
  scale === undefined ? { kind: 'int', size, signed } : { kind: 'int', size, signed, scale };

export const u8 = int<number>(1);
export const u16 = int<number>(2);
export const u32 = int<number>(4);
/** ITCH timestamps: nanoseconds since midnight in 6 bytes (a `number`: < 2^47). */
export const u48 = int<number>(6);
export const u64 = int<bigint>(8);
export function alpha<N extends number>(size: N): AlphaField<N> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`alpha(${size}): size must be a positive integer`);
  return { kind: 'alpha', size };
}
export function char(codes?: Record<string, string>): CharField {
  return codes ? { kind: 'char', size: 1, codes } : { kind: 'char', size: 1 };
}
/** Unsigned price: `bytes` bytes holding dollars * 10^scale (ITCH Price(4): price(4, 4); Price(8): price(8, 8)). */
export function price<B extends 4 | 8>(bytes: B, scale: number): IntField<B extends 8 ? bigint : number> {
  return int(bytes, false, scale);
}
/** Signed price (OUCH PegOffset). */
export function signedPrice<B extends 4 | 8>(bytes: B, scale: number): IntField<B extends 8 ? bigint : number> {
  return int(bytes, true, scale);
}
export function appendage(options: OptionTable, opts: { optional: boolean }): AppendageField {
  return { kind: 'appendage', size: 2, optional: opts.optional, options };
}
export const payload: PayloadField = { kind: 'payload', size: 0 };
export const text: TextField = { kind: 'text', size: 0 };

export type ValueOfField<F> = F extends { __v?: infer V } ? V : never;

export interface FieldLayout {
  readonly name: string;
  readonly type: FieldType;
  /** Byte offset from the start of the message (the type code, if any, is byte 0). */
  readonly offset: number;
}

export interface Layout<T extends string = string, F extends Record<string, FieldType> = Record<string, FieldType>> {
  /** The message type code at byte 0, or undefined for a header without one (MoldUDP64). */
  readonly typeCode: T | undefined;
  readonly name: string;
  readonly fields: readonly FieldLayout[];
  /** Bytes of the fixed part: up to and including an appendage's length field (or up to a payload/text tail). */
  readonly length: number;
  /** Length when an optional appendage is absent (= length - 2), else = length. */
  readonly minLength: number;
  /** Whether bytes may follow the fixed part (appendage elements, payload, text). */
  readonly variable: boolean;
  readonly __fields?: F;
}

type AppendageKeys<F> = { [K in keyof F]: F[K] extends AppendageField ? K : never }[keyof F];
type Plain<F> = { [K in Exclude<keyof F, AppendageKeys<F>>]: ValueOfField<F[K]> };
/** The JS value of a message: `type`, then the fields in declaration order (appendages add `appendageLength`). */
export type MessageOf<L> =
  L extends Layout<infer T, infer F>
    ? { type: T } & Plain<F> & ([AppendageKeys<F>] extends [never] ? unknown : { appendageLength?: number; appendage?: TagValue[] })
    : never;

/** Declares a layout. Field order is the byte order; offsets follow from the sizes. */
export function layout<F extends Record<string, FieldType>>(name: string, fields: F): Layout<string, F> {
  return build(undefined, name, fields) as Layout<string, F>;
}
/** Declares a message whose byte 0 is the one-character type code `type`. */
export function message<T extends string, F extends Record<string, FieldType>>(type: T, name: string, fields: F): Layout<T, F> {
  if (type.length !== 1 || type.charCodeAt(0) > 127) throw new TypeError(`message ${name}: type code must be one ASCII character`);
  return build(type, name, fields) as Layout<T, F>;
}

function build(typeCode: string | undefined, name: string, fields: Record<string, FieldType>): Layout {
  let offset = typeCode === undefined ? 0 : 1;
  const out: FieldLayout[] = [];
  const names = Object.keys(fields);
  let variable = false;
  let optional = false;
  names.forEach((fname, k) => {
    const type = fields[fname]!;
    if (fname === 'type' || fname === 'appendageLength') throw new TypeError(`${name}: field name ${fname} is reserved`);
    const tail = type.kind === 'appendage' || type.kind === 'payload' || type.kind === 'text';
    if (tail && k !== names.length - 1) throw new TypeError(`${name}.${fname}: a variable-length field must be the last`);
    out.push({ name: fname, type, offset });
    offset += type.size;
    if (tail) variable = true;
    if (type.kind === 'appendage' && type.optional) optional = true;
  });
  return { typeCode, name, fields: out, length: offset, minLength: optional ? offset - 2 : offset, variable };
}

/** Strips an alpha field's right padding. */
export function trimAlpha(s: string): string {
  return s.replace(/ +$/, '');
}

/** The DSL scalar a field corresponds to (for the RTL parser to come); undefined for alpha and variable fields. */
export function scalarSpecOf(t: FieldType): ScalarSpec | undefined {
  switch (t.kind) {
    case 'int': {
      const w = t.size * 8;
      if (t.scale !== undefined) return t.signed ? sfixed(w, t.scale) : ufixed(w, t.scale);
      return t.signed ? i(w) : u(w);
    }
    case 'char':
      return dslChar();
    default:
      return undefined;
  }
}
