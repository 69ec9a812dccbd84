// The executor interface: every way tickforge runs a design — the model (the DSL file itself), the Verilated RTL, the
// HLS C-simulation, and for systems the same three over the whole top — takes one Stimulus and returns one
// ExecutorRun: outputs, taps on internal channels, the cycles inputs were taken and outputs left, status registers.
// cosim (sim/cosim.ts for units, sim/system.ts for systems) is then: run the executor that decides time (the RTL),
// tell the others that time, compare, report. Executors live in sim/executors/.
import type { RecordSpec } from '../dsl/record.ts';
import type { InitialParams } from './params.ts';

export type ExecutorName = 'model' | 'rtl' | 'hls';

/** A param update made while records flow (cosim --update): see CosimOptions.updates. */
export interface ParamUpdate {
  /** The RTL host starts writing once `at` inputs were accepted. */
  at: number;
  /** Raw bits per param name. */
  values: Record<string, bigint>;
  /** The cycle of its COMMIT edge, once an executor with a clock decided it (the RTL). */
  cycle?: number | null;
  /** The first input that sees it, once decided (the model, from `cycle`). */
  input?: number | null;
}

export interface Stimulus {
  /** The input record: a unit's input, or the merged event of several inputs (dsl/inputs.ts). */
  readonly record: RecordSpec;
  readonly records: ReadonlyArray<Record<string, unknown>>;
  /** `records` packed back to back, as the RTL and the C-simulation take them. */
  readonly packed: Uint8Array;
  /** The cycle each record is taken (`now`). Absent: the executor decides (the RTL: its handshakes). */
  readonly cycles?: BigUint64Array;
  /** Param and paramVec values every executor starts from (sim/params.ts). */
  readonly params?: InitialParams;
  readonly updates?: ReadonlyArray<ParamUpdate>;
  /** Where an executor writes its files. */
  readonly workDir: string;
}

/** Records seen on an internal channel. */
export interface Tap {
  readonly bytes: number;
  /** Records back to back, `bytes` each. */
  readonly data: Uint8Array;
  /** The cycle of each record's handshake (executors with a clock). */
  readonly cycles?: BigUint64Array;
  /** 1 where a full FIFO dropped the record (a strobe producer's channel). */
  readonly drops?: Uint8Array;
}

export interface ExecutorRun {
  readonly executor: ExecutorName;
  /** Output handshakes back to back, `outBytes` each (a packet output: its beats). */
  readonly outputs: Uint8Array;
  readonly outBytes: number;
  /** The cycle each input was taken: decided (RTL) or as told. */
  readonly inCycles: BigUint64Array;
  /** The cycle of each output handshake (RTL), else null. */
  readonly outCycles: BigUint64Array | null;
  /** Internal channels by name. */
  readonly taps: ReadonlyMap<string, Tap>;
  /** Host-readable status registers at the end of the run, raw bits, by name (`<unit>.<reg>` in a system). */
  readonly status: ReadonlyMap<string, bigint>;
  /** Per stimulus update: when it took effect. */
  readonly updates: ReadonlyArray<{ cycle: number | null; input: number | null }>;
  /** Clock cycles the run took (RTL), else null. */
  readonly cycles: number | null;
  /** Wall time of the run itself (without builds). */
  readonly seconds: number;
}

export interface Executor<R extends ExecutorRun = ExecutorRun> {
  readonly name: ExecutorName;
  run(stimulus: Stimulus): Promise<R>;
}

/** Number of outputs of a run. */
export const outputCount = (r: { outputs: Uint8Array; outBytes: number }): number => r.outputs.length / r.outBytes;

/** Byte-for-byte comparison of two runs' records, in order: a missing or extra record counts as a mismatch. */
export function compareRecords(a: Uint8Array, b: Uint8Array, bytes: number): { compared: number; mismatches: number; first: number | null } {
  const na = a.length / bytes;
  const nb = b.length / bytes;
  const compared = Math.min(na, nb);
  let mismatches = Math.abs(na - nb);
  let first = -1;
  for (let j = 0; j < compared; j++) {
    const o = j * bytes;
    for (let k = 0; k < bytes; k++) {
      if (a[o + k] !== b[o + k]) {
        mismatches++;
        if (first < 0) first = j;
        break;
      }
    }
  }
  if (first < 0 && na !== nb) first = compared;
  return { compared, mismatches, first: first < 0 ? null : first };
}

/** A status register's model value as raw bits (booleans 0/1, signed values two's complement). */
export function statusBits(width: number, v: unknown): bigint {
  return BigInt.asUintN(width, typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v as number | bigint));
}
