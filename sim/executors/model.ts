// The model of a unit as an executor: the DSL file itself, stepped on every record at the cycle it was taken (told
// by the RTL, or one record per cycle). It also says which input produced each output, which the reports and the
// latency figures use, and checks the unit's declared properties on every output.
import type { UnitIR } from '../../codegen/ir.ts';
import { wireOutput } from '../../codegen/ir.ts';
import { packInto } from '../../dsl/record.ts';
import { type PacketSpec, wireRecords } from '../../dsl/packet.ts';
import type { Unit, Model } from '../../dsl/unit.ts';
import type { RecordSpec } from '../../dsl/record.ts';
import { progress } from '../../report/progress.ts';
import { modelCommitOf } from '../params.ts';
import { type Executor, type ExecutorRun, type Stimulus, statusBits } from '../executor.ts';

export interface ModelRun extends ExecutorRun {
  /** Per output: the index of the input that produced it. */
  readonly from: readonly number[];
  /** Per output: the first (or only) beat of what its input produced (latency is measured on these). */
  readonly firstBeat: readonly boolean[];
  /** The model after the run: its state and property violations. */
  readonly model: Model<RecordSpec, RecordSpec, unknown, unknown, unknown>;
}

/** One record per cycle from 0: the schedule without stalls. */
export function everyCycle(n: number): BigUint64Array {
  const c = new BigUint64Array(n);
  for (let i = 0; i < n; i++) c[i] = BigInt(i);
  return c;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function modelExecutor(unit: Unit<any, any, any, any, any>, ir: UnitIR): Executor<ModelRun> {
  return {
    name: 'model',
    async run(s: Stimulus): Promise<ModelRun> {
      const n = s.records.length;
      const now = s.cycles ?? everyCycle(n);
      const wire = wireOutput(ir);
      const outBytes = wire.bytes;
      const from: number[] = [];
      const firstBeat: boolean[] = [];
      const updates = s.updates ?? [];
      const took: Array<{ cycle: number | null; input: number | null }> = [];
      const model = unit.model() as Model<RecordSpec, RecordSpec, unknown, unknown, unknown>;
      if (s.params) model.commit(s.params.model as never);
      let buf = new Uint8Array(Math.max(1, n) * outBytes);
      const bar = progress(`${ir.name}: model`, n);
      const t0 = performance.now();
      let u = 0;
      for (let i = 0; i < n; i++) {
        bar.tick();
        // An update takes effect for the first record accepted after its COMMIT edge (or, without one, at `at`).
        while (u < updates.length && (updates[u].cycle != null ? now[i] > BigInt(updates[u].cycle!) : i >= updates[u].at)) {
          took.push({ cycle: updates[u].cycle ?? null, input: i });
          model.commit(modelCommitOf(ir, updates[u++].values, model.params as Record<string, unknown>) as never);
        }
        const out = model.stepAll(s.records[i] as never, Number(now[i])) as readonly Record<string, unknown>[];
        wireRecords(ir.output, ir.packet as PacketSpec | null, out).forEach((w, k) => {
          if ((from.length + 1) * outBytes > buf.length) {
            const grown = new Uint8Array(buf.length * 2 + outBytes);
            grown.set(buf);
            buf = grown;
          }
          packInto(wire, w, buf, from.length * outBytes);
          from.push(i);
          firstBeat.push(k === 0);
        });
      }
      const seconds = (performance.now() - t0) / 1000;
      bar.done();
      const status = new Map<string, bigint>();
      for (const r of ir.regs) if (r.status) status.set(r.name, statusBits(r.spec.width, (model.state as Record<string, unknown>)[r.name]));
      return {
        executor: 'model',
        outputs: buf.subarray(0, from.length * outBytes),
        outBytes,
        inCycles: now,
        outCycles: null,
        taps: new Map(),
        status,
        updates: took,
        cycles: null,
        seconds,
        from,
        firstBeat,
        model,
      };
    },
  };
}
