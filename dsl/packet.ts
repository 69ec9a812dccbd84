// Output flow of a unit: how its output records leave on the AXI-Stream (docs/semantics.md §10). Written once
// here; the compiler reads the same declaration statically, and cosim and the cocotb model server turn model
// records into beats with `packetBeats`, so every executor is compared on the same wire beats.
import { u, bool } from './types.ts';
import { type RecordSpec, record, packBits } from './record.ts';

/** `'ready'` (default): AXI-Stream with TREADY; `'strobe'`: no TREADY, the downstream takes every record. */
export type OutputFlow = 'ready' | 'strobe';

/**
 * Each output record is a packet sent as ⌈n / beatBytes⌉ beats of `beatBytes` bytes with TKEEP and TLAST, where
 * n = min(length, capacity): `length` names the record's last field, and the fields before it are the packet's
 * bytes (byte b at bits 8b+7..8b of the packed record), `capacity` of them. The input is held while a packet is
 * being sent; a record with n = 0 sends nothing.
 */
export interface PacketSpec {
  readonly beatBytes: 1 | 2 | 4 | 8;
  readonly length: string;
}

export const BEAT_BYTES = [1, 2, 4, 8] as const;

/** What is wrong with a packet declaration for `out`, or null. Shared by the model and the compiler. */
export function packetProblem(out: RecordSpec, p: { beatBytes: number; length: string }): string | null {
  if (!(BEAT_BYTES as readonly number[]).includes(p.beatBytes)) return `beatBytes must be one of ${BEAT_BYTES.join(', ')}, got ${p.beatBytes}`;
  const last = out.fields[out.fields.length - 1];
  if (last.name !== p.length) return `the length field must be the last field of ${out.name} (${last.name}), not ${JSON.stringify(p.length)}`;
  if (last.spec.kind !== 'uint') return `the length field ${p.length} must be an unsigned integer`;
  if (last.lsb % 8 !== 0 || last.lsb === 0) return `the fields before ${p.length} must fill whole bytes (they are ${last.lsb} bits)`;
  return null;
}

/** Payload capacity in bytes: the bytes of the fields before the length field. */
export function packetCapacity(out: RecordSpec, p: PacketSpec): number {
  return out.fields[out.fields.length - 1].lsb / 8;
}

/** The wire record of one beat: data (lane 0 in the low byte), keep (bit b = lane b valid), last. */
export function beatRecord(beatBytes: number): RecordSpec {
  return record(`Beat${8 * beatBytes}`, { data: u(8 * beatBytes), keep: u(beatBytes), last: bool() });
}

/** The beats that carry output record `value` (§10): an empty list when its length is 0. */
export function packetBeats(out: RecordSpec, p: PacketSpec, value: Record<string, unknown>): Array<{ data: number | bigint; keep: number; last: boolean }> {
  const cap = packetCapacity(out, p);
  const lf = out.fields[out.fields.length - 1];
  const all = packBits(out, value);
  const n = Math.min(Number(all >> BigInt(lf.lsb)), cap);
  const beats: Array<{ data: number | bigint; keep: number; last: boolean }> = [];
  const B = p.beatBytes;
  for (let j = 0; j * B < n; j++) {
    const lanes = Math.min(B, n - j * B);
    const data = (all >> BigInt(8 * B * j)) & ((1n << BigInt(8 * lanes)) - 1n); // lanes past n are zero
    beats.push({ data: B * 8 > 53 ? data : Number(data), keep: (1 << lanes) - 1, last: (j + 1) * B >= n });
  }
  return beats;
}

/**
 * The wire records of one step's result: nothing for undefined, the record itself, the beats of its packet, or
 * (a unit with several outputs) each record of the array in order.
 */
export function wireRecords(out: RecordSpec, p: PacketSpec | null | undefined, value: Record<string, unknown> | readonly Record<string, unknown>[] | undefined): Array<Record<string, unknown>> {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((v) => wireRecords(out, p, v));
  return p ? packetBeats(out, p, value as Record<string, unknown>) : [value as Record<string, unknown>];
}
