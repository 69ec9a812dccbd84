// Records: named fields with a fixed bit layout. The first field occupies the least significant bits; the
// packed form (AXI-Stream TDATA, cosim files) is the bit vector padded to whole bytes, little-endian.
import { type ScalarSpec, type ValueOf, enumCode, isBigRep, specRange, describeSpec } from './types.ts';

export interface FieldLayout {
  readonly name: string;
  readonly spec: ScalarSpec;
  /** Bit offset of the field's least significant bit in the packed record. */
  readonly lsb: number;
}

export interface RecordSpec<F extends Record<string, ScalarSpec> = Record<string, ScalarSpec>> {
  readonly kind: 'record';
  readonly name: string;
  readonly fields: readonly FieldLayout[];
  readonly width: number;
  readonly bytes: number;
  readonly __fields?: F;
}

export type RecordValue<R> = R extends RecordSpec<infer F> ? { [K in keyof F]: ValueOf<F[K]> } : never;

export function record<F extends Record<string, ScalarSpec>>(name: string, fields: F): RecordSpec<F> {
  const layout: FieldLayout[] = [];
  let lsb = 0;
  for (const [fname, spec] of Object.entries(fields)) {
    layout.push({ name: fname, spec, lsb });
    lsb += spec.width;
  }
  if (lsb === 0) throw new TypeError(`tickforge: record ${name} has no fields`);
  return { kind: 'record', name, fields: layout, width: lsb, bytes: Math.ceil(lsb / 8) };
}

/** Bit pattern of one field value as an unsigned bigint of the field's width; throws on a value outside the spec. */
export function fieldBits(f: FieldLayout, v: unknown): bigint {
  const s = f.spec;
  let x: bigint;
  switch (s.kind) {
    case 'bool':
      if (typeof v !== 'boolean') throw new TypeError(`field ${f.name}: expected boolean, got ${String(v)}`);
      return v ? 1n : 0n;
    case 'char':
      if (typeof v !== 'string' || v.length !== 1 || v.charCodeAt(0) > 127) {
        throw new TypeError(`field ${f.name}: expected one ASCII character, got ${JSON.stringify(v)}`);
      }
      return BigInt(v.charCodeAt(0));
    case 'enum':
      if (!s.members.some((m) => m.value === v)) throw new TypeError(`field ${f.name}: ${String(v)} is not a member of ${s.name}`);
      return BigInt(enumCode(s, v));
    default: {
      if (isBigRep(s) ? typeof v !== 'bigint' : typeof v !== 'number' || !Number.isInteger(v)) {
        throw new TypeError(`field ${f.name}: expected ${isBigRep(s) ? 'bigint' : 'integer number'} for ${describeSpec(s)}, got ${String(v)}`);
      }
      x = BigInt(v as number | bigint);
      const [lo, hi] = specRange(s);
      if (x < lo || x > hi) throw new RangeError(`field ${f.name}: ${x} outside ${describeSpec(s)}`);
      return BigInt.asUintN(s.width, x);
    }
  }
}

/** Value of one field from its unsigned bit pattern. */
export function fieldValue(f: FieldLayout, bits: bigint): unknown {
  const s = f.spec;
  switch (s.kind) {
    case 'bool':
      return bits !== 0n;
    case 'char':
      return String.fromCharCode(Number(bits));
    case 'enum': {
      const code = Number(bits);
      const m = s.members.find((mm) => enumCode(s, mm.value) === code);
      if (!m) throw new RangeError(`field ${f.name}: code ${code} is not a member of ${s.name}`);
      return m.value;
    }
    case 'sint': {
      const x = BigInt.asIntN(s.width, bits);
      return isBigRep(s) ? x : Number(x);
    }
    default:
      return isBigRep(s) ? bits : Number(bits);
  }
}

export function packBits(r: RecordSpec, value: Record<string, unknown>): bigint {
  let acc = 0n;
  for (const f of r.fields) acc |= fieldBits(f, value[f.name]) << BigInt(f.lsb);
  return acc;
}

export function unpackBits(r: RecordSpec, bits: bigint): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of r.fields) out[f.name] = fieldValue(f, (bits >> BigInt(f.lsb)) & ((1n << BigInt(f.spec.width)) - 1n));
  return out;
}

/** Packs into `dst` at `offset` (r.bytes bytes, little-endian). */
export function packInto(r: RecordSpec, value: Record<string, unknown>, dst: Uint8Array, offset: number): void {
  let p = PACKERS.get(r);
  if (!p) PACKERS.set(r, (p = packerOf(r)));
  p(value, dst, offset);
}

/** packBits + the byte loop, on BigInt: packInto's definition (test/dsl/fastpaths.test.ts checks one against the other). */
export function packIntoSlow(r: RecordSpec, value: Record<string, unknown>, dst: Uint8Array, offset: number): void {
  let bits = packBits(r, value);
  for (let b = 0; b < r.bytes; b++) {
    dst[offset + b] = Number(bits & 0xffn);
    bits >>= 8n;
  }
}

type Packer = (value: Record<string, unknown>, dst: Uint8Array, offset: number) => void;
const PACKERS = new WeakMap<RecordSpec, Packer>();

/**
 * A packer for one record layout, without BigInt for fields of up to 53 bits: each field's bit pattern as two
 * unsigned 32-bit halves (lo, hi), ORed byte by byte into the zeroed destination at the field's bit offset. A value
 * fieldBits would reject (wrong type, out of range, not a member) goes to fieldBits, which throws its error.
 */
function packerOf(r: RecordSpec): Packer {
  const fields = r.fields.map((f) => {
    const s = f.spec;
    const members = s.kind === 'enum' ? new Set(s.members.map((m) => m.value)) : null;
    const [lo, hi] = s.kind === 'uint' || s.kind === 'sint' ? specRange(s) : [0n, 0n];
    return { f, s, members, big: isBigRep(s), lo, hi, nlo: Number(lo), nhi: Number(hi), mod: 2 ** s.width };
  });
  const bytes = r.bytes;
  const halves = new Float64Array(2 * fields.length); // every field's (lo, hi) first: nothing is written on an error
  return (value, dst, offset) => {
    for (let n = 0; n < fields.length; n++) {
      const x = fields[n]!;
      const v = value[x.f.name];
      let lo32: number;
      let hi32 = 0;
      switch (x.s.kind) {
        case 'bool':
          if (typeof v !== 'boolean') fieldBits(x.f, v);
          lo32 = v ? 1 : 0;
          break;
        case 'char':
          if (typeof v !== 'string' || v.length !== 1 || v.charCodeAt(0) > 127) fieldBits(x.f, v);
          lo32 = (v as string).charCodeAt(0);
          break;
        case 'enum':
          if (!x.members!.has(v as number | string)) fieldBits(x.f, v);
          lo32 = enumCode(x.s, v);
          break;
        default:
          if (x.big) {
            if (typeof v !== 'bigint' || v < x.lo || v > x.hi) fieldBits(x.f, v);
            const u = BigInt.asUintN(x.s.width, v as bigint);
            lo32 = Number(u & 0xffffffffn);
            hi32 = Number(u >> 32n);
          } else {
            // Exact: the bounds are exact doubles; a negative value plus 2^width (<= 2^53) is exact; `>>> 0` is the
            // value mod 2^32 and the floor division by 2^32 is exact.
            if (typeof v !== 'number' || !(v >= x.nlo && v <= x.nhi) || !Number.isInteger(v)) fieldBits(x.f, v);
            const u = (v as number) < 0 ? (v as number) + x.mod : (v as number);
            lo32 = u >>> 0;
            hi32 = Math.floor(u / 4294967296);
          }
      }
      halves[2 * n] = lo32;
      halves[2 * n + 1] = hi32;
    }
    dst.fill(0, offset, offset + bytes);
    for (let n = 0; n < fields.length; n++) orBits(dst, offset, fields[n]!.f.lsb, fields[n]!.s.width, halves[2 * n]!, halves[2 * n + 1]!);
  };
}

/** ORs the `width` (<= 64) low bits of hi32:lo32 into dst at bit `lsb` of the record starting at `offset`. */
function orBits(dst: Uint8Array, offset: number, lsb: number, width: number, lo32: number, hi32: number): void {
  const end = lsb + width;
  let pos = lsb;
  while (pos < end) {
    const inByte = pos & 7;
    const n = Math.min(8 - inByte, end - pos);
    const s = pos - lsb; // bit of the value
    let chunk: number;
    if (s + n <= 32) chunk = lo32 >>> s;
    else if (s >= 32) chunk = hi32 >>> (s - 32);
    else chunk = (lo32 >>> s) | (hi32 << (32 - s));
    dst[offset + (pos >> 3)]! |= (chunk & ((1 << n) - 1)) << inByte;
    pos += n;
  }
}

export function unpackFrom(r: RecordSpec, src: Uint8Array, offset: number): Record<string, unknown> {
  let bits = 0n;
  for (let b = r.bytes - 1; b >= 0; b--) bits = (bits << 8n) | BigInt(src[offset + b]);
  return unpackBits(r, bits);
}

/** JSON-safe view of a record value (bigints as decimal strings). */
export function recordToJson(r: RecordSpec, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of r.fields) {
    const v = value[f.name];
    out[f.name] = typeof v === 'bigint' ? v.toString() : v;
  }
  return out;
}
