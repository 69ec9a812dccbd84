// A streaming unit: at most one input record per cycle, zero or one output record per input (sent as one beat,
// or as a packet of beats: dsl/packet.ts), or up to `outputs` records per input (returned as an array). Its `step` is
// ordinary TypeScript; running it in Node is the software model, compiling it gives the hardware.
import { type ScalarSpec, type ValueOf } from './types.ts';
import { type RecordSpec, type RecordValue } from './record.ts';
import { Table, type TableSpec, type AnyTableSpec, type TableOf, checkValue } from './table.ts';
import { type OutputFlow, type PacketSpec, packetProblem } from './packet.ts';
import type { Property, Violation } from './property.ts';
import { type ParamVecSpec, checkVec } from './paramvec.ts';
import type { ParamMemSpec } from './parammem.ts';
import { SetTable } from './settable.ts';
import { type StateSpec, type StateValue, zeroState, freshState, checkStateValue, acceptsStateExpr } from './vec.ts';
import { type MergedInput, eventOf, inputsProblem, mergedInput, portCodec, portRecord } from './inputs.ts';

/** A value the host writes at run time (an AXI-Lite register in hardware). */
export interface ParamSpec<S extends ScalarSpec = ScalarSpec> {
  readonly kind: 'param';
  readonly spec: S;
  readonly init: ValueOf<S>;
  readonly doc?: string;
}
/** Module state: a register (or a record or vector of registers) holding its value from one record to the next. */
export interface RegSpec<S extends StateSpec = StateSpec> {
  readonly kind: 'reg';
  readonly spec: S;
  readonly init: StateValue<S>;
  /** A status register: the host can read it (AXI-Lite, read-only), e.g. a counter of dropped packets. */
  readonly status?: boolean;
  readonly doc?: string;
}

export function param<S extends ScalarSpec>(spec: S, init: ValueOf<S>, doc?: string): ParamSpec<S> {
  checkValue(spec, init);
  return { kind: 'param', spec, init, doc };
}
/**
 * A state register of a scalar type with its reset value; or of a record or vector type (dsl/vec.ts), whose reset
 * value defaults to all zeros.
 */
export function reg<S extends ScalarSpec>(spec: S, init: ValueOf<S>, opts?: { status?: boolean; doc?: string }): RegSpec<S>;
export function reg<S extends StateSpec>(spec: S, init?: StateValue<S>, opts?: { doc?: string }): RegSpec<S>;
export function reg(spec: StateSpec, init?: unknown, opts: { status?: boolean; doc?: string } = {}): RegSpec {
  const scalar = spec.kind !== 'vec' && spec.kind !== 'record';
  const v = init === undefined && !scalar ? zeroState(spec) : init;
  checkStateValue(spec, v);
  if (opts.status && !scalar) throw new TypeError('tickforge: a status register holds one scalar, not a record or vector');
  return { kind: 'reg', spec, init: v as StateValue<StateSpec>, status: opts.status, doc: opts.doc };
}

type ParamsOf<P> = { -readonly [K in keyof P]: P[K] extends ParamSpec<infer S> ? ValueOf<S> : P[K] extends ParamVecSpec<infer S> ? readonly ValueOf<S>[] : P[K] extends ParamMemSpec<infer S> ? readonly ValueOf<S>[] : never };
/** A param, a host-written vector (dsl/paramvec.ts) or a host-written memory (dsl/parammem.ts). */
type AnyParam = ParamSpec | ParamVecSpec | ParamMemSpec;
/** Checks a value the host writes to a param or a vector (a vector: the whole array). */
function checkParam(p: AnyParam, v: unknown): void {
  if (p.kind === 'paramVec' || p.kind === 'paramMem') checkVec(p.spec, p.length, v);
  else checkValue(p.spec, v);
}
/** The model's copy of a written value: a vector is copied and frozen, so step cannot write it and the host's array
 * stays the host's. */
function ownValue(v: unknown): unknown {
  return Array.isArray(v) ? Object.freeze([...v]) : v;
}
type StateOf<S> = { -readonly [K in keyof S]: S[K] extends RegSpec<infer X> ? StateValue<X> : never };
type TablesOf<T> = { readonly [K in keyof T]: TableOf<T[K]> };

/** What `step` sees besides its input record. */
export interface StepContext<P, S, T> {
  /** Params: read-only inside step. */
  readonly params: Readonly<ParamsOf<P>>;
  /** State registers: reads see the latest assignment of this step (ordinary sequential code). */
  readonly state: StateOf<S>;
  readonly tables: TablesOf<T>;
  /** The clock cycle (since reset, 48 bits) at which the input record was accepted. */
  readonly now: number;
}

export interface UnitDef<I extends RecordSpec, O extends RecordSpec, P, S, T> {
  readonly name: string;
  readonly input: I;
  readonly output: O;
  /** `'strobe'`: the output has no TREADY (a valid strobe), so the input is never stalled (docs/semantics.md §10). */
  readonly flow?: OutputFlow;
  /** Send each output record as a packet of `beatBytes`-byte beats, `length` bytes long (dsl/packet.ts). */
  readonly packet?: PacketSpec & { readonly length: keyof RecordValue<O> & string };
  /**
   * The most output records one input may produce (default 1). With N > 1, step may return an array literal of up
   * to N records; they leave in array order, one per handshake (docs/semantics.md §10, "Several outputs").
   */
  readonly outputs?: number;
  readonly params?: P;
  readonly state?: S;
  readonly tables?: T;
  /** Invariants over each output record and the params it was computed with (dsl/property.ts, docs/proofs.md). */
  readonly properties?: { readonly [name: string]: Property<RecordValue<O>, Readonly<ParamsOf<P>>> };
  step(input: RecordValue<I>, ctx: StepContext<P, S, T>): StepResult<O>;
}

/** What a step returns: no output, one record, or (with `outputs: N` > 1) an array of up to N records. */
export type StepResult<O extends RecordSpec> = RecordValue<O> | readonly RecordValue<O>[] | undefined;

/** The records of one step's result, in the order they leave. */
export function outputList<R>(out: R | readonly R[] | undefined): readonly R[] {
  return out === undefined ? [] : Array.isArray(out) ? out : [out as R];
}

/**
 * A unit with several inputs (dsl/inputs.ts): `inputs` names each input's record, `on` has one handler per input,
 * each like a step. The arbiter takes one record per cycle from the inputs (docs/semantics.md §10).
 */
export interface MultiUnitDef<Ports extends Record<string, RecordSpec>, O extends RecordSpec, P, S, T> extends Omit<UnitDef<RecordSpec, O, P, S, T>, 'input' | 'step'> {
  readonly inputs: Ports;
  readonly on: { readonly [K in keyof Ports]: (input: RecordValue<Ports[K]>, ctx: StepContext<P, S, T>) => StepResult<O> };
}

export interface Unit<
  I extends RecordSpec = RecordSpec,
  O extends RecordSpec = RecordSpec,
  P = Record<string, AnyParam>,
  S = Record<string, RegSpec>,
  T = Record<string, AnyTableSpec>,
> {
  readonly kind: 'unit';
  readonly def: UnitDef<I, O, P, S, T>;
  /** A fresh model instance in its reset state. */
  model(): Model<I, O, P, S, T>;
  /** Several inputs: the ports and the merged event record `def.input` (dsl/inputs.ts). */
  readonly merged?: MergedInput;
  /** Several inputs: the event for `rec` arriving on `port` (what the model's step and `synthetic()` take). */
  event?(port: string, rec: Record<string, unknown>): RecordValue<I>;
}

export function unit<
  I extends RecordSpec,
  O extends RecordSpec,
  P extends Record<string, AnyParam> = {},
  S extends Record<string, RegSpec> = {},
  T extends Record<string, AnyTableSpec> = {},
>(def: UnitDef<I, O, P, S, T>): Unit<I, O, P, S, T>;
export function unit<
  Ports extends Record<string, RecordSpec>,
  O extends RecordSpec,
  P extends Record<string, AnyParam> = {},
  S extends Record<string, RegSpec> = {},
  T extends Record<string, AnyTableSpec> = {},
>(def: MultiUnitDef<Ports, O, P, S, T>): Unit<RecordSpec, O, P, S, T> & { event<K extends keyof Ports & string>(port: K, rec: RecordValue<Ports[K]>): Record<string, unknown> };
export function unit(def: UnitDef<RecordSpec, RecordSpec, unknown, unknown, unknown> | MultiUnitDef<Record<string, RecordSpec>, RecordSpec, unknown, unknown, unknown>): Unit<RecordSpec, RecordSpec, unknown, unknown, unknown> {
  if ('inputs' in def) return multiInputUnit(def);
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(def.name)) throw new TypeError(`tickforge: unit name ${JSON.stringify(def.name)} is not an identifier`);
  if (def.flow !== undefined && def.flow !== 'ready' && def.flow !== 'strobe') throw new TypeError(`tickforge: unit ${def.name}: flow must be 'ready' or 'strobe'`);
  if (def.packet) {
    const why = packetProblem(def.output, def.packet);
    if (why) throw new TypeError(`tickforge: unit ${def.name}: packet: ${why}`);
    if (def.flow === 'strobe') throw new TypeError(`tickforge: unit ${def.name}: a packet output needs TREADY (flow 'strobe' cannot hold the input while beats go out)`);
  }
  const n = def.outputs ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_OUTPUTS) throw new TypeError(`tickforge: unit ${def.name}: outputs must be an integer in 1..${MAX_OUTPUTS}`);
  if (n > 1 && def.flow === 'strobe') throw new TypeError(`tickforge: unit ${def.name}: several outputs per input need TREADY (flow 'strobe' cannot hold the input while they go out)`);
  if (n > 1 && def.packet) throw new TypeError(`tickforge: unit ${def.name}: a packet output sends one packet per input; outputs must be 1`);
  return { kind: 'unit', def, model: () => new Model(def) };
}

/** A unit with several inputs is a unit whose input is the merged event and whose step dispatches on its port. */
function multiInputUnit(def: MultiUnitDef<Record<string, RecordSpec>, RecordSpec, unknown, unknown, unknown>): Unit<RecordSpec, RecordSpec, unknown, unknown, unknown> {
  const ports = Object.entries(def.inputs);
  const why = inputsProblem(ports);
  if (why) throw new TypeError(`tickforge: unit ${def.name}: ${why}`);
  for (const [k] of ports) if (typeof def.on?.[k] !== 'function') throw new TypeError(`tickforge: unit ${def.name}: on.${k} (the handler of input ${k}) is missing`);
  for (const k of Object.keys(def.on ?? {})) if (!(k in def.inputs)) throw new TypeError(`tickforge: unit ${def.name}: on.${k} handles no declared input`);
  const merged = mergedInput(def.name, ports);
  const handlers = merged.ports.map((p) => def.on[p.name]);
  const codec = portCodec(merged);
  const step = (ev: Record<string, unknown>, ctx: StepContext<unknown, unknown, unknown>) => {
    const k = ev.port as number;
    if (Number.isInteger(k) && k >= 0 && k < handlers.length) return handlers[k](codec.record[k](ev) as never, ctx);
    // Anything else as portRecord takes it (and its error).
    const { port, rec } = portRecord(merged, ev);
    return handlers[merged.ports.indexOf(port)](rec as never, ctx);
  };
  const { on: _on, inputs: _inputs, ...rest } = def;
  const mergedDef = { ...rest, input: merged.record, step } as never as UnitDef<RecordSpec, RecordSpec, {}, {}, {}>;
  PORT_HANDLERS.set(mergedDef as UnitDef<RecordSpec, RecordSpec, unknown, unknown, unknown>, { handlers: handlers as PortHandler[], pass: codec.pass });
  const u = unit(mergedDef) as unknown as Unit<RecordSpec, RecordSpec, unknown, unknown, unknown>;
  return { ...u, merged, event: (port: string, rec: Record<string, unknown>) => eventOf(merged, port, rec) as never };
}

type PortHandler = (input: Record<string, unknown>, ctx: StepContext<unknown, unknown, unknown>) => StepResult<RecordSpec>;
/**
 * The handlers of a unit with several inputs, by port index, and the per-port record check-and-copy: what lets the
 * composed model (dsl/system.ts) hand a record to its handler without building the merged event and reading it back
 * (Model.stepPort). Kept beside the unit's def, not in it: the front end reads the def.
 */
const PORT_HANDLERS = new WeakMap<UnitDef<RecordSpec, RecordSpec, unknown, unknown, unknown>, { handlers: PortHandler[]; pass: ReadonlyArray<(rec: Record<string, unknown>) => Record<string, unknown>> }>();

const NONE: readonly never[] = Object.freeze([]);

/** The most records one input may produce (`outputs`): each is a slot of the output FIFO's entry in hardware. */
export const MAX_OUTPUTS = 8;

/** The software model of a unit: the DSL's own `step` run in Node, with state, params and tables. */
export class Model<I extends RecordSpec, O extends RecordSpec, P, S, T> {
  readonly params: ParamsOf<P>;
  readonly state: StateOf<S>;
  readonly tables: TablesOf<T>;
  private readonly ctx: { params: ParamsOf<P>; state: StateOf<S>; tables: TablesOf<T>; now: number };
  private readonly regs: Array<[string, RegSpec]>;
  /** checkValue of every state register, compiled: true when all fit (see checkState). */
  private readonly stateFits: (state: unknown) => boolean;
  /** Declared properties, checked on every output; none declared costs nothing per step. */
  private readonly props: Array<[string, Property]>;
  /** Property violations seen so far, in order (cosim reports them like mismatches). */
  readonly violations: Violation[] = [];
  private steps = 0;
  /** A unit with several inputs: its handlers by port (stepPort). */
  private readonly ports: { handlers: PortHandler[]; pass: ReadonlyArray<(rec: Record<string, unknown>) => Record<string, unknown>> } | undefined;

  constructor(private readonly def: UnitDef<I, O, P, S, T>) {
    this.ports = PORT_HANDLERS.get(def as never);
    this.params = plainObject(Object.entries((def.params ?? {}) as Record<string, AnyParam>).map(([k, p]) => [k, ownValue(p.init)])) as ParamsOf<P>;
    this.regs = Object.entries((def.state ?? {}) as Record<string, RegSpec>);
    this.state = plainObject(this.regs.map(([k, r]) => [k, freshState(r.spec, r.init)])) as StateOf<S>;
    this.stateFits = compileStateCheck(this.regs);
    this.tables = {} as TablesOf<T>;
    for (const [k, t] of Object.entries((def.tables ?? {}) as Record<string, TableSpec>)) (this.tables as Record<string, unknown>)[k] = (t.ways ?? 1) > 1 ? new SetTable(t) : new Table(t);
    this.ctx = { params: this.params, state: this.state, tables: this.tables, now: 0 };
    this.props = Object.entries((def.properties ?? {}) as Record<string, Property>);
  }

  /** Writes a param as the host would (checked against its type). */
  setParam(name: keyof P & string, value: unknown): void {
    const p = ((this.def.params ?? {}) as Record<string, AnyParam>)[name];
    if (!p) throw new Error(`unknown param ${name}`);
    checkParam(p, value);
    (this.params as Record<string, unknown>)[name] = ownValue(value);
  }

  /**
   * A COMMIT (docs/regmap.md): every value is checked first, then all take effect together, from the next event; a
   * value of the wrong type leaves every param as it was.
   */
  commit(values: Partial<Record<keyof P & string, unknown>>): void {
    const specs = (this.def.params ?? {}) as Record<string, AnyParam>;
    for (const [k, v] of Object.entries(values)) {
      if (!specs[k]) throw new Error(`unknown param ${k}`);
      checkParam(specs[k], v);
    }
    for (const [k, v] of Object.entries(values)) (this.params as Record<string, unknown>)[k] = ownValue(v);
  }

  private isKilled = false;
  private isHeld = false;
  /** CONTROL.KILL: from the next record on, records are taken and dropped (no event) until a fresh model (reset) or the arm key. */
  kill(): void {
    this.isKilled = true;
  }
  get killed(): boolean {
    return this.isKilled;
  }
  /** CONTROL.HOLD (disarmed): while set, records are taken and dropped, as under the kill. */
  get held(): boolean {
    return this.isHeld;
  }
  /**
   * A write of the CONTROL word, exactly as the register file takes it (docs/regmap.md "Kill, hold and arm"): HOLD
   * takes bit 1; bit 0 latches the kill; ARM_KEY in bits [31:8] with HOLD 1 and KILL 0 clears the kill.
   */
  control(word: number): void {
    const w = word >>> 0;
    this.isHeld = (w & 2) !== 0;
    if (w & 1) this.isKilled = true;
    else if (w & 2 && w >>> 8 === 0x41524d) this.isKilled = false;
  }

  /**
   * Processes one input record accepted at cycle `now`; returns the output record or undefined. A unit declaring
   * `outputs` > 1 is stepped with stepAll().
   */
  step(input: RecordValue<I>, now = 0): RecordValue<O> | undefined {
    if (this.def.outputs !== undefined && this.def.outputs > 1) throw new Error(`tickforge: unit ${this.def.name} declares outputs: ${this.def.outputs}; step it with stepAll(), which returns every record of an input`);
    const r = this.stepResult(input, now); // stepAll's first record, without building its array
    return Array.isArray(r) ? r[0] : (r as RecordValue<O> | undefined);
  }

  /** Processes one input record accepted at cycle `now`; returns its output records in the order they leave. */
  stepAll(input: RecordValue<I>, now = 0): readonly RecordValue<O>[] {
    if (this.isKilled || this.isHeld) return NONE; // accepted and dropped: no event
    this.ctx.now = now;
    return outputList(this.finish(this.def.step(input, this.ctx)));
  }

  /**
   * stepAll without the array: what step returned (undefined, one record, or an array of records), checked as
   * stepAll checks it. The composed model steps units with it, so an input with one output allocates no array.
   */
  stepResult(input: RecordValue<I>, now = 0): StepResult<O> {
    if (this.isKilled || this.isHeld) return undefined;
    this.ctx.now = now;
    return this.finish(this.def.step(input, this.ctx));
  }

  /**
   * A unit with several inputs: stepResult of the event of `rec` arriving on port `port` (its index), without
   * building the event: the handler sees the record it would see (checked and copied as eventOf and portRecord do).
   */
  stepPort(port: number, rec: Record<string, unknown>, now = 0): StepResult<O> {
    const p = this.ports;
    if (!p) throw new Error(`tickforge: unit ${this.def.name} has one input: step it with stepAll()`);
    if (this.isKilled || this.isHeld) {
      p.pass[port](rec); // the event is checked even when it is dropped (eventOf builds it before the step)
      return undefined;
    }
    const r = p.pass[port](rec);
    this.ctx.now = now;
    return this.finish(p.handlers[port](r, this.ctx) as StepResult<O>);
  }

  /** After a step: the state check, the output count, the properties; returns the step's result. */
  private finish(ret: StepResult<O>): StepResult<O> {
    if (!this.stateFits(this.state)) this.checkState();
    if (Array.isArray(ret) && (this.def.outputs === undefined || ret.length > this.def.outputs)) {
      throw new RangeError(`tickforge: unit ${this.def.name}: step returned an array of ${ret.length} records; ${this.def.outputs === undefined ? 'declare outputs: N to return several' : `the unit declares outputs: ${this.def.outputs}`}`);
    }
    if (this.props.length > 0) {
      for (const o of outputList(ret)) for (const [name, p] of this.props) if (!p({ out: o, params: this.params })) this.violations.push({ property: name, step: this.steps, out: o });
    }
    this.steps++;
    return ret;
  }

  /** checkValue on every state register, in declaration order: throws the first register's error. */
  private checkState(): void {
    const st = this.state as Record<string, unknown>;
    for (const [k, r] of this.regs) checkStateValue(r.spec, st[k], k);
  }
}

/**
 * A plain object with these properties, in this order. Built by an object literal: V8 keeps such an object's
 * properties in fast (in-object) mode, whereas adding dozens of properties one by one with computed keys turns it
 * into a hash table, and every `state.x` of the step into a dictionary lookup.
 */
function plainObject(entries: Array<[string, unknown]>): Record<string, unknown> {
  if (entries.some(([k]) => k === '__proto__')) {
    // A literal would set the prototype: assign one by one, as before.
    const o: Record<string, unknown> = {};
    for (const [k, v] of entries) o[k] = v;
    return o;
  }
  const make = new Function('v', `return {${entries.map(([k], n) => `${JSON.stringify(k)}: v[${n}]`).join(', ')}};`) as (v: unknown[]) => Record<string, unknown>;
  return make(entries.map(([, v]) => v));
}

/**
 * One function testing every state register against its type, with the bounds as literals: true exactly when
 * checkValue would accept every register (acceptsExpr). Only when it says false does the model run checkValue
 * register by register, which throws the usual error.
 */
function compileStateCheck(regs: Array<[string, RegSpec]>): (state: unknown) => boolean {
  const terms = regs.map(([k, r], n) => {
    const v = `v${n}`;
    return { decl: `const ${v} = s[${JSON.stringify(k)}];`, test: acceptsStateExpr(r.spec, v) };
  });
  const body = terms.map((t) => t.decl).join('\n') + `\nreturn ${terms.map((t) => t.test).join(' &&\n  ') || 'true'};`;
  return new Function('s', body) as (state: unknown) => boolean;
}
