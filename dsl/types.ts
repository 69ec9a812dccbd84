// Type specifications of the DSL. A spec is a plain value (so the model can use it at run time) whose
// TypeScript type carries the JavaScript representation of its values (so user code type-checks with tsc).
// The compiler reads the same specs statically from the source; docs/semantics.md is the contract.

/** Widths whose values do not fit a JavaScript `number` exactly are represented as `bigint`. */
export type BigWidth = 54 | 55 | 56 | 57 | 58 | 59 | 60 | 61 | 62 | 63 | 64;
export type IntRep<W extends number> = W extends BigWidth ? bigint : number;

/** Largest width represented as a JS `number` (unsigned 2^53-1 and signed ±2^52 are exact doubles). */
export const MAX_NUMBER_WIDTH = 53;

export interface UIntSpec<W extends number = number> {
  readonly kind: 'uint';
  readonly width: W;
  /** Decimal fixed point: the value is an integer count of 10^-scale units (ITCH Price(4) has scale 4). */
  readonly scale?: number;
}
export interface SIntSpec<W extends number = number> {
  readonly kind: 'sint';
  readonly width: W;
  readonly scale?: number;
}
export interface BoolSpec {
  readonly kind: 'bool';
  readonly width: 1;
}
/** One ASCII character (8 bits), a JS string of length 1 in the model. */
export interface CharSpec {
  readonly kind: 'char';
  readonly width: 8;
}
/** A TypeScript enum with explicit member values: numeric (unsigned) or one-character strings (ASCII codes). */
export interface EnumSpec<E = unknown> {
  readonly kind: 'enum';
  readonly width: number;
  readonly name: string;
  readonly members: ReadonlyArray<{ readonly name: string; readonly value: number | string }>;
  readonly __enum?: E;
}

export type ScalarSpec = UIntSpec | SIntSpec | BoolSpec | CharSpec | EnumSpec;

export type ValueOf<S> = S extends UIntSpec<infer W>
  ? IntRep<W>
  : S extends SIntSpec<infer W>
    ? IntRep<W>
    : S extends BoolSpec
      ? boolean
      : S extends CharSpec
        ? string
        : S extends EnumSpec<infer E>
          ? E
          : never;

function checkWidth(width: number, max: number): void {
  if (!Number.isInteger(width) || width < 1 || width > max) {
    throw new RangeError(`tickforge: width must be an integer in 1..${max}, got ${width}`);
  }
}

// One frozen spec per width: `wrap(x, u(32))` in a step makes no object per call in the model (a spec is a value;
// nothing compares specs by identity or changes one).
const UINTS: Array<UIntSpec<number>> = [];
const SINTS: Array<SIntSpec<number>> = [];

/** Unsigned integer of `width` bits (1..64). */
export function u<W extends number>(width: W): UIntSpec<W> {
  const c = UINTS[width];
  if (c) return c as UIntSpec<W>;
  checkWidth(width, 64);
  return (UINTS[width] = Object.freeze({ kind: 'uint', width })) as UIntSpec<W>;
}
/** Signed two's-complement integer of `width` bits (1..64). */
export function i<W extends number>(width: W): SIntSpec<W> {
  const c = SINTS[width];
  if (c) return c as SIntSpec<W>;
  checkWidth(width, 64);
  return (SINTS[width] = Object.freeze({ kind: 'sint', width })) as SIntSpec<W>;
}
/** Unsigned decimal fixed point: `width` bits holding value * 10^scale (prices: ufixed(32, 4)). */
export function ufixed<W extends number>(width: W, scale: number): UIntSpec<W> {
  checkWidth(width, 64);
  return { kind: 'uint', width, scale };
}
/** Signed decimal fixed point. */
export function sfixed<W extends number>(width: W, scale: number): SIntSpec<W> {
  checkWidth(width, 64);
  return { kind: 'sint', width, scale };
}
export function bool(): BoolSpec {
  return { kind: 'bool', width: 1 };
}
export function char(): CharSpec {
  return { kind: 'char', width: 8 };
}

/**
 * A field whose values are the members of a TypeScript enum. Every member needs an explicit value:
 * a non-negative integer, or a one-character ASCII string (stored as its 8-bit code).
 */
export function enumOf<E extends Record<string, string | number>>(name: string, e: E): EnumSpec<E[keyof E]> {
  const members: Array<{ name: string; value: number | string }> = [];
  for (const [k, v] of Object.entries(e)) {
    if (/^\d+$/.test(k) && typeof v === 'string' && e[v] === Number(k)) continue; // reverse mapping of numeric enums
    members.push({ name: k, value: v });
  }
  const strings = members.filter((m) => typeof m.value === 'string');
  let width: number;
  if (strings.length > 0) {
    if (strings.length !== members.length) throw new TypeError(`tickforge: enum ${name} mixes strings and numbers`);
    for (const m of strings) {
      const s = m.value as string;
      if (s.length !== 1 || s.charCodeAt(0) > 127) {
        throw new TypeError(`tickforge: enum ${name}.${m.name} must be one ASCII character, got ${JSON.stringify(s)}`);
      }
    }
    width = 8;
  } else {
    let max = 0;
    for (const m of members) {
      const v = m.value as number;
      if (!Number.isInteger(v) || v < 0) throw new TypeError(`tickforge: enum ${name}.${m.name} must be a non-negative integer`);
      max = Math.max(max, v);
    }
    width = Math.max(1, Math.ceil(Math.log2(max + 1)));
  }
  return { kind: 'enum', width, name, members };
}

/** Bit pattern of an enum value (number value, or the character's ASCII code). */
export function enumCode(spec: EnumSpec, v: unknown): number {
  return typeof v === 'string' ? v.charCodeAt(0) : (v as number);
}

export function isBigRep(spec: ScalarSpec): boolean {
  return (spec.kind === 'uint' || spec.kind === 'sint') && spec.width > MAX_NUMBER_WIDTH;
}

/** Inclusive value range of an integer spec, exact. */
export function specRange(spec: ScalarSpec): [bigint, bigint] {
  const w = BigInt(spec.width);
  switch (spec.kind) {
    case 'sint':
      return [-(1n << (w - 1n)), (1n << (w - 1n)) - 1n];
    default:
      return [0n, (1n << w) - 1n];
  }
}

export function describeSpec(spec: ScalarSpec): string {
  switch (spec.kind) {
    case 'uint':
      return spec.scale !== undefined ? `ufixed(${spec.width}, ${spec.scale})` : `u(${spec.width})`;
    case 'sint':
      return spec.scale !== undefined ? `sfixed(${spec.width}, ${spec.scale})` : `i(${spec.width})`;
    case 'bool':
      return 'bool()';
    case 'char':
      return 'char()';
    case 'enum':
      return `enum ${spec.name}`;
  }
}
