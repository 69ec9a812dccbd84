// A system: units chained by typed channels into one design (docs/systems.md). The pipeline form lists stages in
// stream order; between two units stands a channel (a wire unless one is given). The composed model runs every unit's
// own `step` in that order; what only a clock decides (the cycle each unit accepts a record, which records a full
// FIFO drops) comes from a timing source: by default the one without stalls, in cosim the Verilated RTL's.
import type { Unit, Model } from './unit.ts';
import type { RecordSpec } from './record.ts';
import { type MergedInput, mergedInput, portRecord, portCodec, toEvent } from './inputs.ts';

export type ChannelKind = 'wire' | 'slice' | 'skid' | 'fifo';

/** A channel between two stages. */
export interface ChannelSpec {
  readonly kind: 'channel';
  readonly type: ChannelKind;
  /** Records it holds: wire 0, slice 1, skid 2, fifo N (a power of two, 2..65536). */
  readonly depth: number;
}

/** A direct connection: valid, ready and data pass through (no register; both paths stay combinational). */
export function wire(): ChannelSpec {
  return { kind: 'channel', type: 'wire', depth: 0 };
}
/** A register slice: data and valid registered (one cycle); ready passes through. */
export function slice(): ChannelSpec {
  return { kind: 'channel', type: 'slice', depth: 1 };
}
/** A skid buffer: data, valid and ready all registered (one cycle, full throughput). */
export function skid(): ChannelSpec {
  return { kind: 'channel', type: 'skid', depth: 2 };
}
/** A FIFO of `depth` records. Fed by a strobe producer, a record that finds it full is dropped and counted. */
export function fifo(depth: number): ChannelSpec {
  if (!Number.isInteger(depth) || depth < 2 || depth > 65536 || (depth & (depth - 1)) !== 0)
    throw new TypeError(`tickforge: fifo(${depth}): the depth is a power of two from 2 to 65536`);
  return { kind: 'channel', type: 'fifo', depth };
}

// Any unit, whatever its records, params, state and tables (a stage's own types do not matter to the chain).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyUnit = Unit<any, any, any, any, any>;

export interface SystemDef {
  readonly name: string;
  /** Units in stream order, with an optional channel between two of them (default: wire()). */
  readonly stages: ReadonlyArray<AnyUnit | ChannelSpec>;
  readonly doc?: string;
}

/** One channel of a system: from the output of `from` to the input of `to`. */
export interface Link {
  /** `<from>_to_<to>`: the name taps, reports and the generated Verilog use. */
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly channel: ChannelSpec;
  readonly record: RecordSpec;
}

/**
 * An input of the system: every input of a unit that no channel feeds. A channel feeds the one input of a unit, or
 * the first declared input of a unit with several (dsl/inputs.ts); the others come from outside. Named after the
 * unit (one input) or `<unit>_<input>`; with more than one, the top has `s_axis_<name>_*` for each.
 */
export interface ExternalInput {
  readonly name: string;
  readonly unit: number;
  /** The unit's input this feeds; null for a unit with one input. */
  readonly input: string | null;
  readonly record: RecordSpec;
}

/** The system's inputs (see ExternalInput), in stage order. */
export function externalInputs(units: ReadonlyArray<{ name: string; input: RecordSpec; ports: ReadonlyArray<{ name: string; record: RecordSpec }> | null }>): ExternalInput[] {
  const out: ExternalInput[] = [];
  units.forEach((u, k) => {
    if (!u.ports) {
      if (k === 0) out.push({ name: u.name, unit: 0, input: null, record: u.input });
      return;
    }
    u.ports.forEach((p, j) => {
      if (k === 0 || j > 0) out.push({ name: `${u.name}_${p.name}`, unit: k, input: p.name, record: p.record });
    });
  });
  return out;
}

export interface System {
  readonly kind: 'system';
  readonly def: SystemDef;
  readonly units: readonly Unit[];
  readonly links: readonly Link[];
  readonly externals: readonly ExternalInput[];
  /** With more than one system input: the merged event of the system's inputs (a stimulus value is { <input>: record }). */
  readonly merged: MergedInput | null;
  /** A fresh composed model in its reset state. */
  model(): SystemModel;
}

/** What only the hardware's clock decides, told to the composed model (cosim passes the RTL's). */
export interface Timing {
  /** The cycle unit `unit` accepted its `k`-th input record. Default: the system input's cycle. */
  acceptCycle?(unit: number, k: number, inputCycle: number): number;
  /** True when the `k`-th record entering link `link` was dropped (a strobe producer met a full FIFO). Default: never. */
  dropped?(link: number, k: number): boolean;
}

export function system(def: SystemDef): System {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(def.name)) throw new TypeError(`tickforge: system name ${JSON.stringify(def.name)} is not an identifier`);
  const units: Unit[] = [];
  const links: Link[] = [];
  let pending: ChannelSpec | null = null;
  for (const [k, s] of def.stages.entries()) {
    if (s.kind === 'channel') {
      if (units.length === 0) throw new TypeError(`tickforge: system ${def.name}: stage ${k} is a channel before any unit`);
      if (pending) throw new TypeError(`tickforge: system ${def.name}: stages ${k - 1} and ${k} are two channels in a row`);
      pending = s;
      continue;
    }
    if (s.kind !== 'unit') throw new TypeError(`tickforge: system ${def.name}: stage ${k} is neither a unit nor a channel`);
    if (units.some((u) => u.def.name === s.def.name)) throw new TypeError(`tickforge: system ${def.name}: two stages are unit ${s.def.name} (each unit appears once)`);
    if (units.length > 0) {
      const from = units.length - 1;
      links.push({ name: `${units[from].def.name}_to_${s.def.name}`, from, to: units.length, channel: pending ?? wire(), record: units[from].def.output as RecordSpec });
    }
    pending = null;
    units.push(s);
  }
  if (pending) throw new TypeError(`tickforge: system ${def.name}: the last stage is a channel; a system ends with a unit`);
  if (units.length < 2) throw new TypeError(`tickforge: system ${def.name}: a system chains at least two units`);
  const externals = externalInputs(units.map((u) => ({ name: u.def.name, input: u.def.input, ports: u.merged?.ports ?? null })));
  const merged = externals.length > 1 ? mergedInput(def.name, externals.map((e) => [e.name, e.record] as const)) : null;
  return { kind: 'system', def, units, links, externals, merged, model: () => new SystemModel(def.name, units, links, externals, merged) };
}

/** A record seen on a link, with the step of the system input that produced it. */
export interface TapRecord {
  readonly input: number;
  readonly value: Record<string, unknown>;
  readonly dropped: boolean;
}

/**
 * The composed model. `step` takes one system input record and returns what left the last unit (zero or one record),
 * after running it through every unit in stream order: each unit sees its records in the order the channel delivers
 * them (channels never reorder), so running one input to the end before the next gives every unit the same sequence
 * the hardware gives it. `taps` (when enabled) keeps every record on every link.
 */
export class SystemModel {
  readonly models: ReadonlyArray<Model<RecordSpec, RecordSpec, unknown, unknown, unknown>>;
  /** Records accepted by each unit so far. */
  readonly accepted: number[];
  /** Records entering each link so far (dropped ones included). */
  readonly entered: number[];
  /** Records a full FIFO dropped, per link. */
  readonly drops: number[];
  private taps: TapRecord[][] | null = null;
  private steps = 0;
  timing: Timing = {};

  constructor(readonly name: string, readonly units: readonly Unit[], readonly links: readonly Link[], readonly externals: readonly ExternalInput[] = [], readonly merged: MergedInput | null = null) {
    this.models = units.map((u) => u.model() as Model<RecordSpec, RecordSpec, unknown, unknown, unknown>);
    this.accepted = units.map(() => 0);
    this.entered = links.map(() => 0);
    this.drops = links.map(() => 0);
  }

  private unitTaps: Array<Array<{ input: number; value: Record<string, unknown>; cycle: number }>> | null = null;

  /** Keep every record on every link from now on (readable with `tap`), and (run() only) what every unit took. */
  enableTaps(): void {
    this.taps ??= this.links.map(() => []);
    this.unitTaps ??= this.units.map(() => []);
  }

  /** run() with taps on: the inputs unit `k` took, in order, with their cycles (an event, for a unit with several inputs). */
  unitInputs(k: number): ReadonlyArray<{ input: number; value: Record<string, unknown>; cycle: number }> {
    if (!this.unitTaps) throw new Error('taps are off: call enableTaps() before running');
    return this.unitTaps[k];
  }
  tap(link: string): readonly TapRecord[] {
    const k = this.links.findIndex((l) => l.name === link);
    if (k < 0) throw new Error(`system ${this.name} has no link ${link} (links: ${this.links.map((l) => l.name).join(', ')})`);
    if (!this.taps) throw new Error('taps are off: call enableTaps() before stepping');
    return this.taps[k];
  }

  /** The model of the unit named `name`, to set its params or read its state. */
  unit(name: string): Model<RecordSpec, RecordSpec, unknown, unknown, unknown> {
    const k = this.units.findIndex((u) => u.def.name === name);
    if (k < 0) throw new Error(`system ${this.name} has no unit ${name}`);
    return this.models[k];
  }

  /**
   * One input through the system: what the last unit emits for it, as a unit's step returns it (undefined, a record,
   * or an array when units with several outputs made more than one). A unit's records go on in the order it emits
   * them, each through the rest of the chain before the next: every channel keeps its order and no two units share
   * state, so this is the order every channel sees in hardware.
   */
  step(input: Record<string, unknown>, now = 0): Record<string, unknown> | Record<string, unknown>[] | undefined {
    if (this.externals.length > 1 || this.units[0].merged) throw new Error(`system ${this.name} has several inputs (${this.externals.map((e) => e.name).join(', ')}): run it with run()`);
    const i = this.steps++;
    const outs: Record<string, unknown>[] = [];
    this.through(0, input, i, now, outs);
    return outs.length === 0 ? undefined : outs.length === 1 ? outs[0] : outs;
  }

  private through(u: number, rec: Record<string, unknown>, i: number, now: number, outs: Record<string, unknown>[]): void {
    if (u > 0) {
      const l = u - 1;
      const k = this.entered[l]++;
      const dropped = this.timing.dropped?.(l, k) ?? false;
      if (this.taps) this.taps[l].push({ input: i, value: rec, dropped });
      if (dropped) {
        this.drops[l]++;
        return;
      }
    }
    const k = this.accepted[u]++;
    const cycle = this.timing.acceptCycle ? this.timing.acceptCycle(u, k, now) : now;
    const res = this.models[u].stepResult(rec as never, cycle) as Record<string, unknown> | readonly Record<string, unknown>[] | undefined;
    if (res === undefined) return;
    const list = Array.isArray(res) ? (res as readonly Record<string, unknown>[]) : null;
    if (u === this.models.length - 1) {
      if (list) outs.push(...list);
      else outs.push(res as Record<string, unknown>);
    } else if (list) for (const r of list) this.through(u + 1, r, i, now, outs);
    else this.through(u + 1, res as Record<string, unknown>, i, now, outs);
  }

  /**
   * Every input at once, unit after unit: what the last unit emits, each output with the index of the system input
   * it came from. `inputs` are system input values (with several system inputs: `{ <input>: record }`, or events of `merged`);
   * `inCycles[i]` is the cycle input i was taken (default i). A unit with several inputs takes the records its
   * channel delivers (at `timing.acceptCycle`) and those of its other inputs (at their own cycles) in cycle order:
   * the order its arbiter took them in the hardware. Without told cycles, an outside record goes before the channel
   * records of later inputs. Equal to step() record by record for a system with one input.
   */
  run(inputs: readonly Record<string, unknown>[], inCycles?: ArrayLike<number | bigint>, onUnit?: (unit: number) => void): Array<{ from: number; rec: Record<string, unknown> }> {
    // The same records in the same order as a list of { from, cycle, input, rec } items per unit sorted by cycle
    // would give, kept as parallel arrays (no object per record and unit): this runs on millions of records.
    const n = inputs.length;
    const cycles = new Float64Array(n);
    for (let i = 0; i < n; i++) cycles[i] = inCycles && i < inCycles.length ? Number(inCycles[i]) : i;
    // Each system input: the unit it enters (and the port there), and the record the unit's input sees.
    const extUnit = new Int32Array(this.externals.length);
    const extPort = new Int32Array(this.externals.length);
    this.externals.forEach((x, e) => {
      extUnit[e] = x.unit;
      extPort[e] = x.input === null ? -1 : this.units[x.unit].merged!.ports.findIndex((p) => p.name === x.input);
    });
    const extOf = new Int32Array(n);
    // The record the unit's input sees for input i is made when the unit takes it (recOf), so that a run of millions
    // of inputs does not hold a copy of each: extRaw[i] is what it is made from, extHow[i] how (RAW: the input
    // itself; PASS: codec.pass of it; READ: codec.record of it, a merged event). Every input is checked here first,
    // so a bad one throws before any unit steps, with the error of toEvent / eventOf / portRecord, as before.
    const RAW = 0;
    const PASS = 1;
    const READ = 2;
    const extRaw: Array<Record<string, unknown>> = new Array(n);
    const extHow = new Uint8Array(n);
    const m = this.merged;
    const codec = m ? portCodec(m) : null;
    if (!m) {
      for (let i = 0; i < n; i++) extRaw[i] = inputs[i];
    } else {
      for (let i = 0; i < n; i++) {
        const v = inputs[i];
        if (typeof v.port === 'number') {
          // A merged event: portRecord's port and record.
          const k = v.port;
          if (Number.isInteger(k) && k >= 0 && k < m.ports.length && codec!.reads[k](v)) {
            extOf[i] = k;
            extRaw[i] = v;
            extHow[i] = READ;
          } else {
            const { port, rec } = portRecord(m, v); // throws its error, or (a port given as a non-integer) gives the record
            extOf[i] = m.ports.indexOf(port);
            extRaw[i] = rec;
          }
          continue;
        }
        // A stimulus value { <input>: record }: toEvent then portRecord, in one compiled step.
        let name: string | undefined;
        let keys = 0;
        for (const key in v) if (Object.hasOwn(v, key)) ((name = key), keys++);
        const k = keys === 1 ? codec!.index.get(name!) : undefined;
        const raw = k === undefined ? undefined : (v[name!] as Record<string, unknown>);
        if (k === undefined || !codec!.passes[k](raw!)) {
          const { port, rec } = portRecord(m, toEvent(m, v)); // throws the error of that value
          extOf[i] = m.ports.indexOf(port);
          extRaw[i] = rec;
          continue;
        }
        extOf[i] = k;
        extRaw[i] = raw!;
        extHow[i] = PASS;
      }
    }
    const recOf = (i: number): Record<string, unknown> => (extHow[i] === RAW ? extRaw[i] : extHow[i] === PASS ? codec!.pass[extOf[i]](extRaw[i]) : codec!.record[extOf[i]](extRaw[i]));
    // The system inputs entering each unit, in input order.
    const extAt: number[][] = this.units.map(() => []);
    for (let i = 0; i < n; i++) extAt[extUnit[extOf[i]]].push(i);

    // What the previous unit sent on (after the channel's drops): origin input and record.
    let chainFrom: number[] = [];
    let chainRec: Array<Record<string, unknown>> = [];
    for (let u = 0; u < this.models.length; u++) {
      const unit = this.units[u];
      const model = this.models[u];
      const merged = unit.merged ?? null;
      const unitCodec = merged ? portCodec(merged) : null;
      const ext = extAt[u];
      const nc = chainFrom.length;
      const ni = nc + ext.length;
      // Items 0..nc-1: the channel's records; nc..: the system inputs. Each item's cycle, then the order taken.
      const itemCycle = new Float64Array(ni);
      const accept = this.timing.acceptCycle;
      for (let k = 0; k < nc; k++) itemCycle[k] = accept ? accept.call(this.timing, u, k, cycles[chainFrom[k]]) : cycles[chainFrom[k]];
      for (let j = 0; j < ext.length; j++) itemCycle[nc + j] = cycles[ext[j]];
      const itemFrom = (t: number) => (t < nc ? chainFrom[t] : ext[t - nc]);
      let order: number[] | null = null;
      if (merged) {
        order = Array.from({ length: ni }, (_, t) => t);
        order.sort((a, b) => itemCycle[a] - itemCycle[b] || itemFrom(a) - itemFrom(b)); // stable: ties keep item order
      }
      const outFrom: number[] = [];
      const outRec: Array<Record<string, unknown>> = [];
      for (let q = 0; q < ni; q++) {
        const t = order ? order[q] : q;
        const from = itemFrom(t);
        const cycle = itemCycle[t];
        const port = t < nc ? 0 : extPort[extOf[from]];
        const rec = t < nc ? chainRec[t] : recOf(from);
        this.accepted[u]++;
        let res: unknown;
        if (merged) {
          if (this.unitTaps) this.unitTaps[u].push({ input: from, value: unitCodec!.event[port](rec), cycle });
          res = model.stepPort(port, rec, cycle);
        } else {
          if (this.unitTaps) this.unitTaps[u].push({ input: from, value: rec, cycle });
          res = model.stepResult(rec as never, cycle);
        }
        if (res === undefined) continue;
        if (Array.isArray(res)) {
          for (const r of res as Record<string, unknown>[]) {
            outFrom.push(from);
            outRec.push(r);
          }
        } else {
          outFrom.push(from);
          outRec.push(res as Record<string, unknown>);
        }
      }
      onUnit?.(u);
      if (u === this.models.length - 1) {
        this.steps += inputs.length;
        const outs: Array<{ from: number; rec: Record<string, unknown> }> = new Array(outFrom.length);
        for (let k = 0; k < outFrom.length; k++) outs[k] = { from: outFrom[k], rec: outRec[k] };
        return outs;
      }
      chainFrom = [];
      chainRec = [];
      const dropped = this.timing.dropped;
      for (let k = 0; k < outFrom.length; k++) {
        this.entered[u]++;
        const d = dropped ? dropped.call(this.timing, u, k) : false;
        if (this.taps) this.taps[u].push({ input: outFrom[k], value: outRec[k], dropped: d });
        if (d) this.drops[u]++;
        else {
          chainFrom.push(outFrom[k]);
          chainRec.push(outRec[k]);
        }
      }
    }
    return [];
  }
}
