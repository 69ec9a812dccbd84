// The model's codec, generated from the layouts: each layout compiles to one specialised decoder (a JS function
// built from the declaration, like the RTL back end builds Verilog from it) and is encoded by a generic writer.
// Decoding never throws on bad bytes: it returns undefined and leaves a DecodeFailure in `set.failure`.
import type { AlphaField, CharField, FieldType, IntField, Layout, OptionTable, TagValue } from './layout.ts';

export type DecodeErrorCode = 'unknown-type' | 'short-message' | 'long-message' | 'bad-appendage' | 'zero-length';

export interface DecodeFailure {
  readonly code: DecodeErrorCode;
  /** Byte offset within the message where the problem is. */
  readonly at: number;
  readonly message: string;
}

/** Thrown by the encoder on a value the layout cannot hold. */
export class EncodeError extends Error {}

class AppendageError extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

const CH: string[] = Array.from({ length: 256 }, (_, c) => String.fromCharCode(c));
const HEX: string[] = Array.from({ length: 256 }, (_, c) => c.toString(16).padStart(2, '0'));

export function toHex(b: Uint8Array, from = 0, to = b.length): string {
  let s = '';
  for (let k = from; k < to; k++) s += HEX[b[k]!];
  return s;
}

function readScalar(t: IntField | AlphaField | CharField, b: Uint8Array, dv: DataView, o: number): number | bigint | string {
  if (t.kind === 'alpha') {
    let s = '';
    for (let k = 0; k < t.size; k++) s += CH[b[o + k]!];
    return s;
  }
  if (t.kind === 'char') return CH[b[o]!]!;
  switch (t.size) {
    case 1:
      return t.signed ? dv.getInt8(o) : b[o]!;
    case 2:
      return t.signed ? dv.getInt16(o) : dv.getUint16(o);
    case 4:
      return t.signed ? dv.getInt32(o) : dv.getUint32(o);
    case 6:
      return dv.getUint16(o) * 2 ** 32 + dv.getUint32(o + 2);
    case 8:
      return t.signed ? dv.getBigInt64(o) : dv.getBigUint64(o);
  }
}

/** TagValue elements in [o, end): [u8 length][u8 tag][length-1 bytes of value]. */
function readAppendage(options: OptionTable, b: Uint8Array, dv: DataView, o: number, end: number, start: number): TagValue[] {
  const out: TagValue[] = [];
  while (o < end) {
    const n = b[o]!;
    if (n === 0) throw new AppendageError(o - start, 'TagValue element of length 0');
    if (o + 1 + n > end) throw new AppendageError(o - start, `TagValue element of length ${n} runs ${o + 1 + n - end} bytes past the appendage`);
    const tag = b[o + 1]!;
    const opt = options[tag];
    if (opt && opt[1].size === n - 1) out.push({ tag, option: opt[0], value: readScalar(opt[1], b, dv, o + 2) });
    else out.push({ tag, raw: toHex(b, o + 2, o + 1 + n) });
    o += 1 + n;
  }
  return out;
}

/** The JS source of a layout's decoder `(b, dv, o, len) => message`; exported for inspection and tests. */
export function decoderSource(l: Layout): string {
  const r = (k: number) => `b[o+${k}]`;
  const lines: string[] = [];
  const props: string[] = [];
  if (l.typeCode !== undefined) props.push(`type: ${JSON.stringify(l.typeCode)}`);
  for (const f of l.fields) {
    const k = f.offset;
    const t = f.type;
    let e: string;
    switch (t.kind) {
      case 'int':
        if (t.size === 1) e = t.signed ? `(${r(k)}<<24>>24)` : r(k);
        else if (t.size === 2) e = t.signed ? `((${r(k)}<<24>>16)|${r(k + 1)})` : `(${r(k)}<<8|${r(k + 1)})`;
        else if (t.size === 4)
          e = t.signed
            ? `(${r(k)}<<24|${r(k + 1)}<<16|${r(k + 2)}<<8|${r(k + 3)})`
            : `(${r(k)}*16777216+(${r(k + 1)}<<16|${r(k + 2)}<<8|${r(k + 3)}))`;
        else if (t.size === 6) {
          if (t.signed) throw new TypeError(`${l.name}.${f.name}: signed 6-byte fields are not supported`);
          e = `((${r(k)}<<8|${r(k + 1)})*4294967296+${r(k + 2)}*16777216+(${r(k + 3)}<<16|${r(k + 4)}<<8|${r(k + 5)}))`;
        } else e = t.signed ? `dv.getBigInt64(o+${k})` : `dv.getBigUint64(o+${k})`;
        break;
      case 'alpha': {
        const cs = Array.from({ length: t.size }, (_, j) => r(k + j));
        // String.fromCharCode of the bytes: latin-1, one character per byte, so encoding reproduces them.
        e = t.size <= 32 ? `S(${cs.join(',')})` : `S.apply(null, b.subarray(o+${k}, o+${k + t.size}))`;
        break;
      }
      case 'char':
        e = `C[${r(k)}]`;
        break;
      case 'appendage':
        lines.push(`const al = len >= ${l.length} ? (${r(k)}<<8|${r(k + 1)}) : undefined;`);
        lines.push(`if (al !== undefined && al !== len - ${l.length}) throw new AE(${k}, 'appendage length ' + al + ' but ' + (len - ${l.length}) + ' bytes follow the fixed part');`);
        lines.push(`const ap = al === undefined ? undefined : A(OPT[${JSON.stringify(f.name)}], b, dv, o+${k + 2}, o+len, o);`);
        props.push('appendageLength: al', `${f.name}: ap`);
        continue;
      case 'payload':
        e = `b.subarray(o+${k}, o+len)`;
        break;
      case 'text':
        e = `T(b, o+${k}, o+len)`;
        break;
    }
    props.push(`${JSON.stringify(f.name)}: ${e}`);
  }
  return `${lines.join('\n')}\nreturn {${props.join(', ')}};`;
}

type Decoder = (b: Uint8Array, dv: DataView, o: number, len: number) => Record<string, unknown>;

function compile(l: Layout): Decoder {
  const options: Record<string, OptionTable> = {};
  for (const f of l.fields) if (f.type.kind === 'appendage') options[f.name] = f.type.options;
  const text = (b: Uint8Array, from: number, to: number) => {
    let s = '';
    for (let k = from; k < to; k++) s += CH[b[k]!];
    return s;
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('S', 'C', 'A', 'AE', 'T', 'OPT', `return function decode(b, dv, o, len) {\n${decoderSource(l)}\n};`);
  return make(String.fromCharCode, CH, readAppendage, AppendageError, text, options) as Decoder;
}

// ---- encoder ----

function fail(l: Layout, field: string, msg: string): never {
  throw new EncodeError(`${l.name} (${l.typeCode ?? 'header'}).${field}: ${msg}`);
}

function writeScalar(l: Layout, name: string, t: IntField | AlphaField | CharField, v: unknown, dst: Uint8Array, dv: DataView, o: number): void {
  if (t.kind === 'alpha') {
    if (typeof v !== 'string') fail(l, name, `expected a string, got ${typeof v}`);
    if (v.length > t.size) fail(l, name, `${JSON.stringify(v)} is longer than ${t.size} characters`);
    for (let k = 0; k < t.size; k++) {
      const c = k < v.length ? v.charCodeAt(k) : 0x20;
      if (c > 0xff) fail(l, name, `${JSON.stringify(v)} is not latin-1`);
      dst[o + k] = c;
    }
    return;
  }
  if (t.kind === 'char') {
    if (typeof v !== 'string' || v.length !== 1 || v.charCodeAt(0) > 0xff) fail(l, name, `expected one character, got ${JSON.stringify(v)}`);
    dst[o] = v.charCodeAt(0);
    return;
  }
  const bits = t.size * 8;
  if (t.size === 8) {
    if (typeof v !== 'bigint') fail(l, name, `expected a bigint, got ${typeof v}`);
    if (t.signed ? BigInt.asIntN(64, v) !== v : BigInt.asUintN(64, v) !== v) fail(l, name, `${v} does not fit ${t.signed ? 'i64' : 'u64'}`);
    if (t.signed) dv.setBigInt64(o, v);
    else dv.setBigUint64(o, v);
    return;
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(l, name, `expected an integer number, got ${String(v)}`);
  const lo = t.signed ? -(2 ** (bits - 1)) : 0;
  const hi = t.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (v < lo || v > hi) fail(l, name, `${v} outside ${t.signed ? 'i' : 'u'}${bits}`);
  let x = v < 0 ? v + 2 ** bits : v;
  for (let k = t.size - 1; k >= 0; k--) {
    dst[o + k] = x % 256;
    x = Math.floor(x / 256);
  }
}

function appendageBytes(options: OptionTable, els: TagValue[], l: Layout, name: string): number {
  let n = 0;
  for (const e of els) {
    if ('raw' in e) n += 2 + e.raw.length / 2;
    else {
      const opt = options[e.tag];
      if (!opt) fail(l, name, `unknown option tag ${e.tag} (give its bytes as raw)`);
      n += 2 + opt[1].size;
    }
  }
  return n;
}

/** Bytes `m` takes when encoded with `l` (message type byte included). */
export function encodedSize(l: Layout, m: Record<string, unknown>): number {
  const last = l.fields[l.fields.length - 1];
  if (!last || !l.variable) return l.length;
  const v = m[last.name];
  switch (last.type.kind) {
    case 'appendage':
      if (v === undefined) return last.type.optional ? l.minLength : l.length;
      return l.length + appendageBytes(last.type.options, v as TagValue[], l, last.name);
    case 'payload':
      return l.length + (v as Uint8Array).length;
    case 'text':
      return l.length + (v as string).length;
    default:
      return l.length;
  }
}

let lastDst: Uint8Array | undefined;
let lastDv: DataView = new DataView(new ArrayBuffer(0));

/** Encodes `m` at dst[o..]; returns the bytes written. */
export function encodeInto(l: Layout, m: Record<string, unknown>, dst: Uint8Array, o: number): number {
  const size = encodedSize(l, m);
  if (o + size > dst.length) throw new EncodeError(`${l.name}: ${size} bytes do not fit at ${o} in a buffer of ${dst.length}`);
  if (dst !== lastDst) {
    lastDst = dst;
    lastDv = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  }
  const dv = lastDv;
  if (l.typeCode !== undefined) {
    if (m.type !== undefined && m.type !== l.typeCode) fail(l, 'type', `is ${JSON.stringify(m.type)}, layout is ${l.typeCode}`);
    dst[o] = l.typeCode.charCodeAt(0);
  }
  for (const f of l.fields) {
    const v = m[f.name];
    const t = f.type;
    const at = o + f.offset;
    switch (t.kind) {
      case 'int':
      case 'alpha':
      case 'char':
        if (v === undefined) fail(l, f.name, 'missing');
        writeScalar(l, f.name, t, v, dst, dv, at);
        break;
      case 'appendage': {
        if (v === undefined && t.optional) {
          if (m.appendageLength !== undefined) fail(l, 'appendageLength', 'given without an appendage');
          break;
        }
        const els = (v ?? []) as TagValue[];
        const n = size - l.length;
        if (m.appendageLength !== undefined && m.appendageLength !== n) fail(l, 'appendageLength', `is ${String(m.appendageLength)}, the elements take ${n} bytes`);
        dst[at] = n >> 8;
        dst[at + 1] = n & 0xff;
        let p = at + 2;
        for (const e of els) {
          if ('raw' in e) {
            const raw = e.raw;
            if (!/^([0-9a-f]{2})*$/i.test(raw)) fail(l, f.name, `raw value ${JSON.stringify(raw)} is not hex`);
            dst[p] = 1 + raw.length / 2;
            dst[p + 1] = e.tag;
            for (let k = 0; k < raw.length / 2; k++) dst[p + 2 + k] = parseInt(raw.slice(2 * k, 2 * k + 2), 16);
            p += 2 + raw.length / 2;
          } else {
            const opt = t.options[e.tag]!;
            if (e.option !== opt[0]) fail(l, f.name, `tag ${e.tag} is ${opt[0]}, not ${e.option}`);
            dst[p] = 1 + opt[1].size;
            dst[p + 1] = e.tag;
            writeScalar(l, `${f.name}.${opt[0]}`, opt[1], e.value, dst, dv, p + 2);
            p += 2 + opt[1].size;
          }
        }
        break;
      }
      case 'payload':
        dst.set(v as Uint8Array, at);
        break;
      case 'text': {
        const s = v as string;
        for (let k = 0; k < s.length; k++) dst[at + k] = s.charCodeAt(k) & 0xff;
        break;
      }
    }
  }
  return size;
}

export function encode(l: Layout, m: Record<string, unknown>): Uint8Array {
  const out = new Uint8Array(encodedSize(l, m));
  encodeInto(l, m, out, 0);
  return out;
}

/** Decodes one header-style layout (no type code) at b[o..o+l.length); the caller checks the length. */
export function decodeLayout(l: Layout, b: Uint8Array, o: number, len = l.length): Record<string, unknown> {
  return compiledOf(l)(b, new DataView(b.buffer, b.byteOffset, b.byteLength), o, len);
}

const compiled = new WeakMap<Layout, Decoder>();
function compiledOf(l: Layout): Decoder {
  let d = compiled.get(l);
  if (!d) compiled.set(l, (d = compile(l)));
  return d;
}

/**
 * The messages of one protocol direction, keyed by their type code. `decode` checks the length the framing gave
 * against the layout, then runs the compiled decoder.
 */
export class MessageSet<M extends { type: string } = { type: string }> {
  readonly layouts: readonly Layout[];
  private readonly byCode: Array<Layout | undefined> = new Array(256).fill(undefined);
  private readonly decoders: Array<Decoder | undefined> = new Array(256).fill(undefined);
  private lastBuf: Uint8Array | undefined;
  private dv: DataView = new DataView(new ArrayBuffer(0));
  /** Why the last `decode` returned undefined. */
  failure: DecodeFailure | undefined;

  constructor(
    readonly name: string,
    layouts: readonly Layout[],
  ) {
    this.layouts = layouts;
    for (const l of layouts) {
      if (l.typeCode === undefined) throw new TypeError(`${name}: ${l.name} has no type code`);
      const c = l.typeCode.charCodeAt(0);
      if (this.byCode[c]) throw new TypeError(`${name}: type ${l.typeCode} declared twice`);
      this.byCode[c] = l;
      this.decoders[c] = compiledOf(l);
    }
  }

  layoutOf(type: string): Layout | undefined {
    return this.byCode[type.charCodeAt(0)];
  }

  /** The message in b[o..o+len), or undefined with `failure` set. */
  decode(b: Uint8Array, o: number, len: number): M | undefined {
    if (len <= 0) return this.reject('zero-length', 0, 'message of length 0');
    const code = b[o]!;
    const l = this.byCode[code];
    if (!l) return this.reject('unknown-type', 0, `unknown ${this.name} message type ${describeCode(code)}`);
    if (len < l.minLength) return this.reject('short-message', len, `${this.name} '${l.typeCode}' (${l.name}) needs ${l.minLength} bytes, got ${len}`);
    if (!l.variable && len > l.length) return this.reject('long-message', l.length, `${this.name} '${l.typeCode}' (${l.name}) is ${l.length} bytes, got ${len}`);
    if (len > l.minLength && len < l.length) return this.reject('short-message', len, `${this.name} '${l.typeCode}' (${l.name}) with an appendage needs ${l.length} bytes, got ${len}`);
    if (b !== this.lastBuf) {
      this.lastBuf = b;
      this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    if (!l.variable) return this.decoders[code]!(b, this.dv, o, len) as unknown as M;
    try {
      return this.decoders[code]!(b, this.dv, o, len) as unknown as M;
    } catch (e) {
      if (e instanceof AppendageError) return this.reject('bad-appendage', e.at, `${this.name} '${l.typeCode}': ${e.message}`);
      throw e;
    }
  }

  private reject(code: DecodeErrorCode, at: number, message: string): undefined {
    this.failure = { code, at, message };
    return undefined;
  }

  private layoutFor(m: { type: string }): Layout {
    const l = typeof m.type === 'string' && m.type.length === 1 ? this.layoutOf(m.type) : undefined;
    if (!l) throw new EncodeError(`${this.name}: unknown message type ${JSON.stringify(m.type)}`);
    return l;
  }
  sizeOf(m: M): number {
    return encodedSize(this.layoutFor(m), m as unknown as Record<string, unknown>);
  }
  encode(m: M): Uint8Array {
    return encode(this.layoutFor(m), m as unknown as Record<string, unknown>);
  }
  encodeInto(m: M, dst: Uint8Array, o: number): number {
    return encodeInto(this.layoutFor(m), m as unknown as Record<string, unknown>, dst, o);
  }
}

export function describeCode(c: number): string {
  return c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}' (0x${HEX[c]})` : `0x${HEX[c]}`;
}

/** JSON text of a decoded value: bigints as decimal strings, byte payloads as hex. */
export function toJsonLine(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? toHex(x) : x));
}

export type { FieldType };
