// The model as a subprocess of the cocotb test bench: JSON lines on stdin, one JSON line back per request.
// The bench (Python, inside the simulator) monitors the RTL's handshakes and asks this server what the model
// outputs for each accepted record, at the cycle it was accepted. Requests:
//   {"op":"gen","seed":S,"count":N}        -> {"records":["<hex>",...]}   stimulus: the design's synthetic(rng, i)
//   {"op":"step","bytes":"<hex>","now":C}  -> {"outs":["<hex>", ...]}      one event: its output, or its packet's beats
//   {"op":"param","name":P,"value":"<n>"}  -> {"ok":true}                  host write; value = the param's bits
//   {"op":"reset"}                         -> {"ok":true}                  a fresh model (defaults, empty tables)
//   {"op":"decode","record":"input"|"output","bytes":"<hex>"} -> {"value":{...}}   for readable failures
// Any failure answers {"error":"..."}. Records are packed (dsl/record.ts): little-endian byte strings, in hex.
// Run: node sim/cocotb/serve.mjs <design.ts>   (serve.mjs registers tsx, then imports this file).
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { type FieldLayout, type RecordSpec, fieldValue, packInto, recordToJson, unpackFrom } from '../../dsl/record.ts';
import { Rng } from '../../dsl/rng.ts';
import type { ParamSpec, Unit } from '../../dsl/unit.ts';
import type { ParamVecSpec } from '../../dsl/paramvec.ts';
import type { ParamMemSpec } from '../../dsl/parammem.ts';
import { beatRecord, wireRecords } from '../../dsl/packet.ts';
import { toEvent } from '../../dsl/inputs.ts';
import type { System } from '../../dsl/system.ts';
import { Diagnostics } from '../stimulus/errors.ts';
import { randomInput } from '../design.ts';

type Synthetic = (rng: Rng, index: number) => Record<string, unknown>;
type StimulusFn = (input: string, rng: Rng, diag?: Diagnostics) => Iterable<Record<string, unknown>>;
type AnyModel = ReturnType<Unit['model']>;

export interface ModelServer {
  handle(req: Record<string, unknown>): Promise<Record<string, unknown>>;
}

const fromHex = (r: RecordSpec, hex: unknown): Record<string, unknown> => {
  if (typeof hex !== 'string' || hex.length !== 2 * r.bytes || !/^[0-9a-fA-F]*$/.test(hex))
    throw new Error(`expected ${r.bytes} bytes of ${r.name} as ${2 * r.bytes} hex digits, got ${JSON.stringify(hex)}`);
  return unpackFrom(r, Buffer.from(hex, 'hex'), 0);
};

const toHex = (r: RecordSpec, v: Record<string, unknown>): string => {
  const buf = new Uint8Array(r.bytes);
  packInto(r, v, buf, 0);
  return Buffer.from(buf).toString('hex');
};

/**
 * The `gen` op: `count` input records as hex. With `input` a file (or anything but synthetic:N), the design's own
 * `stimulus` reads it once and `gen` returns `count` consecutive records from index `seed` on, wrapping (the bench
 * passes its cursor in the capture); otherwise the design's generator (or random inputs) from `seed`.
 */
function stimulusGen(inRec: RecordSpec, ev: (v: Record<string, unknown>) => Record<string, unknown>, stimulus: StimulusFn | undefined, next: Synthetic) {
  let file: string[] | null = null;
  let fileName = '';
  const read = (input: string): string[] => {
    if (!stimulus) throw new Error(`this design reads only synthetic:<N> (it exports no stimulus(input, rng) to read ${input})`);
    if (file === null || fileName !== input) {
      const diag = new Diagnostics();
      file = [...stimulus(input, new Rng(1), diag)].map((r) => toHex(inRec, ev(r)));
      fileName = input;
      if (diag.total) throw new Error(`the stimulus reader reported ${diag.total} error(s) in ${input}`);
      if (file.length === 0) throw new Error(`${input} holds no input records for this design`);
    }
    return file;
  };
  const gen = (seed: number, count: number, input: string): string[] => {
    const rng = new Rng(seed);
    const records: string[] = [];
    if (input && !/^synthetic:\d+$/.test(input)) {
      const f = read(input);
      for (let i = 0; i < count; i++) records.push(f[(seed + i) % f.length]);
      return records;
    }
    if (stimulus) {
      for (const r of stimulus(`synthetic:${count}`, rng)) {
        if (records.length === count) break;
        records.push(toHex(inRec, ev(r)));
      }
      return records;
    }
    for (let i = 0; i < count; i++) records.push(toHex(inRec, ev(next(rng, i))));
    return records;
  };
  return { gen, count: (input: string) => read(input).length };
}


export async function createModelServer(designFile: string): Promise<ModelServer> {
  const mod = await import(pathToFileURL(path.resolve(designFile)).href);
  if ((mod.default as System | undefined)?.kind === 'system') return systemServer(mod.default as System, mod.stimulus, mod.synthetic);
  const unit = mod.default as Unit;
  if (!unit || unit.kind !== 'unit') throw new Error(`${designFile}: the default export is not a unit`);
  const synthetic = mod.synthetic as Synthetic | undefined;
  const stimulus = mod.stimulus as StimulusFn | undefined;
  const inRec = unit.def.input;
  // Several inputs: stimulus values { <input>: record } become merged events (dsl/inputs.ts), what the bench sends.
  const merged = unit.merged;
  const ev = merged ? (v: Record<string, unknown>) => toEvent(merged, v) : (v: Record<string, unknown>) => v;
  const { gen, count: fileCount } = stimulusGen(inRec, ev, stimulus, synthetic ?? ((rng) => randomInput(inRec, merged ?? null, rng)));
  // Outputs travel as wire records: the output record, or the beats of its packet (dsl/packet.ts).
  const packet = unit.def.packet ?? null;
  const outRec = packet ? beatRecord(packet.beatBytes) : unit.def.output;
  const params = (unit.def.params ?? {}) as Record<string, ParamSpec>;
  let model: AnyModel = unit.model();

  const handle = async (req: Record<string, unknown>): Promise<Record<string, unknown>> => {
    switch (req.op) {
      case 'step': {
        const now = req.now;
        if (typeof now !== 'number' || !Number.isSafeInteger(now) || now < 0) throw new Error(`step: now must be a cycle number, got ${JSON.stringify(now)}`);
        const out = model.stepAll(fromHex(inRec, req.bytes) as never, now) as readonly Record<string, unknown>[];
        return { outs: wireRecords(unit.def.output, packet, out).map((w) => toHex(outRec, w)) };
      }
      case 'param': {
        const name = String(req.name);
        // Element i of a host-written vector v is the register map's param v_i (dsl/paramvec.ts).
        const el = /^(.+)_(\d+)$/.exec(name);
        const vec = el && !params[name] ? (params[el[1]] as unknown as ParamVecSpec | undefined) : undefined;
        const p = vec?.kind === 'paramVec' && Number(el![2]) < vec.length ? ({ kind: 'param', spec: vec.spec, init: vec.init[0] } as ParamSpec) : params[name];
        if (!p) throw new Error(`param: ${unit.def.name} has no param ${name}`);
        if (typeof req.value !== 'string' || !/^\d+$/.test(req.value)) throw new Error(`param ${name}: value must be a decimal string of the param's bits`);
        const bits = BigInt(req.value);
        if (bits >> BigInt(p.spec.width) !== 0n) throw new Error(`param ${name}: ${bits} does not fit ${p.spec.width} bits`);
        // The register holds bits; the model holds the value those bits mean for the param's type.
        const layout: FieldLayout = { name, spec: p.spec, lsb: 0 };
        if (vec?.kind === 'paramVec') {
          const v = [...(model.params as Record<string, unknown[]>)[el![1]]];
          v[Number(el![2])] = fieldValue(layout, bits);
          model.setParam(el![1] as never, v);
        } else model.setParam(name as never, fieldValue(layout, bits));
        return { ok: true };
      }
      case 'memory': {
        // A host-written memory switched in whole at a COMMIT edge (dsl/parammem.ts): every entry's bits.
        const name = String(req.name);
        const m = params[name] as unknown as ParamMemSpec | undefined;
        if (m?.kind !== 'paramMem') throw new Error(`memory: ${unit.def.name} has no paramMem ${name}`);
        const vals = req.values;
        if (!Array.isArray(vals) || vals.length !== m.length || !vals.every((v) => typeof v === 'string' && /^\d+$/.test(v))) throw new Error(`memory ${name}: values must be ${m.length} decimal strings of the entries' bits`);
        const layout: FieldLayout = { name, spec: m.spec, lsb: 0 };
        model.setParam(name as never, vals.map((v) => fieldValue(layout, BigInt(v as string))));
        return { ok: true };
      }
      case 'reset':
        model = unit.model();
        return { ok: true };
      case 'kill':
        model.kill(); // CONTROL.KILL: the model drops every later record (docs/regmap.md)
        return { ok: true };
      case 'control':
        model.control(Number(req.value)); // a CONTROL write: KILL, HOLD and the arm key (docs/regmap.md)
        return { ok: true };
      case 'count':
        // Records a capture holds for this design (`tickforge test --input`).
        return { count: fileCount(String(req.input)) };
      case 'gen': {
        const seed = req.seed;
        const count = req.count;
        if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new Error('gen: seed must be a non-negative integer');
        if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw new Error('gen: count must be a non-negative integer');
        // A design with a stimulus of its own (e.g. packets split into beats) reads it; without a generator of its
        // own, a design gets uniformly random records (as in `tickforge cosim`).
        return { records: gen(seed, count, typeof req.input === 'string' ? req.input : '') };
      }
      case 'decode': {
        const r = req.record === 'input' ? inRec : req.record === 'output' ? outRec : null;
        if (!r) throw new Error('decode: record must be "input" or "output"');
        try {
          return { value: recordToJson(r, fromHex(r, req.bytes)) };
        } catch (e) {
          return { value: { undecodable: (e as Error).message } };
        }
      }
      case 'info':
        return { design: unit.def.name, input: { name: inRec.name, bytes: inRec.bytes }, output: { name: outRec.name, bytes: outRec.bytes }, synthetic: !!synthetic || !!stimulus };
      default:
        throw new Error(`unknown op ${JSON.stringify(req.op)}`);
    }
  };
  return { handle };
}

/**
 * A system's server: the bench checks each unit against its own model on exactly the records the unit's channel
 * delivered (docs/systems.md), so it steps units one at a time:
 *   {"op":"ustep","unit":K,"bytes":"<hex>","now":C} -> {"outs":["<hex>", ...]}  unit K's output (the last unit's as
 *                                                                                wire records: its packet's beats)
 *   {"op":"reset"}, {"op":"gen","seed":S,"count":N} (the system's stimulus), {"op":"decode","record":"input"|"output"|
 *   "<channel>","bytes":"<hex>"}.
 */
function systemServer(sys: System, stimulus: StimulusFn | undefined, synthetic: Synthetic | undefined): ModelServer {
  let model = sys.model();
  const units = sys.units;
  // Several system inputs: the bench sends merged events of them (dsl/system.ts ExternalInput).
  const merged = sys.merged;
  const inRec = merged ? merged.record : units[0].def.input;
  const ev = merged ? (v: Record<string, unknown>) => toEvent(merged, v) : (v: Record<string, unknown>) => v;
  const { gen, count: fileCount } = stimulusGen(inRec, ev, stimulus, synthetic ?? ((rng) => randomInput(inRec, merged ?? null, rng)));
  const last = units[units.length - 1];
  const packet = last.def.packet ?? null;
  const outRec = packet ? beatRecord(packet.beatBytes) : last.def.output;
  const handle = async (req: Record<string, unknown>): Promise<Record<string, unknown>> => {
    switch (req.op) {
      case 'ustep': {
        const k = req.unit;
        if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= units.length) throw new Error(`ustep: unit must be 0..${units.length - 1}`);
        const now = req.now;
        if (typeof now !== 'number' || !Number.isSafeInteger(now) || now < 0) throw new Error(`ustep: now must be a cycle number, got ${JSON.stringify(now)}`);
        const u = units[k].def;
        const out = model.models[k].stepAll(fromHex(u.input, req.bytes) as never, now) as readonly Record<string, unknown>[];
        if (k === units.length - 1) return { outs: wireRecords(u.output, packet, out).map((w) => toHex(outRec, w)) };
        return { outs: out.map((o) => toHex(u.output, o)) };
      }
      case 'reset':
        model = sys.model();
        return { ok: true };
      case 'count':
        // Records a capture holds for this design (`tickforge test --input`).
        return { count: fileCount(String(req.input)) };
      case 'gen': {
        const seed = req.seed;
        const count = req.count;
        if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new Error('gen: seed must be a non-negative integer');
        if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw new Error('gen: count must be a non-negative integer');
        return { records: gen(seed, count, typeof req.input === 'string' ? req.input : '') };
      }
      case 'decode': {
        const link = sys.links.find((l) => l.name === req.record);
        const r = req.record === 'input' ? inRec : req.record === 'output' ? outRec : link ? link.record : null;
        if (!r) throw new Error('decode: record must be "input", "output" or a channel name');
        try {
          return { value: recordToJson(r, fromHex(r, req.bytes)) };
        } catch (e) {
          return { value: { undecodable: (e as Error).message } };
        }
      }
      default:
        throw new Error(`unknown op ${JSON.stringify(req.op)} for a system`);
    }
  };
  return { handle };
}

/** Serves requests from stdin until it closes. */
export async function serve(designFile: string): Promise<void> {
  const server = await createModelServer(designFile);
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let reply: Record<string, unknown>;
    try {
      reply = await server.handle(JSON.parse(line));
    } catch (e) {
      reply = { error: (e as Error).message };
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  }
}
