// Which memory a table is built in, and its word layout. Every table stores one word per slot: {valid, tag, value}
// (docs/semantics.md §11), so valid bits live in the memory and are cleared by the post-reset sweep, never as one
// flip-flop per slot.
import type { MemoryKind } from '../../dsl/table.ts';
import type { Node, TableIR, TableWrite } from '../ir.ts';

/** Largest table built in LUT-RAM by default (a 1,024-deep LUT-RAM is 16 RAM64 per bit and a 16:1 read mux). */
export const LUTRAM_MAX_SLOTS = 1024;
/** Largest table built in block RAM by default (above: UltraRAM, 4K x 72 per block). */
export const BRAM_MAX_SLOTS = 1 << 15;

export function indexBits(t: TableIR): number {
  return Math.log2(t.capacity);
}
export function tagBits(t: TableIR): number {
  return Math.max(0, t.key.width - indexBits(t));
}
/** Bits of one slot: valid, tag, value; a host-written memory's entry is its value alone (no valid bit, no tag). */
export function wordBits(t: TableIR): number {
  return t.host ? t.value.width : 1 + tagBits(t) + t.value.width;
}

export function memoryKind(t: TableIR): MemoryKind {
  if (t.memory) return t.memory;
  if (t.capacity <= LUTRAM_MAX_SLOTS) return 'lutram';
  return t.capacity <= BRAM_MAX_SLOTS ? 'bram' : 'uram';
}

/**
 * Cycles from presenting the key to the word. LUT-RAM: read in the stage before, registered (1). Block RAM and
 * UltraRAM: their read register, then a fabric register that also merges an older in-flight write (2): their
 * clock-to-out (1.2 / 1.8 ns) would otherwise take most of a 3.1 ns period before any logic.
 */
export function readLatency(kind: MemoryKind): number {
  return kind === 'lutram' ? 1 : 2;
}

/**
 * A write that only ever deletes (its `del` is the constant 1): in a table written at two places its XOR bank holds
 * the valid bit alone (rtl/memory2.ts), so the slot's tag and value are the other bank's.
 */
export function deletesOnly(nodes: readonly Node[], w: TableWrite): boolean {
  const d = nodes[w.del];
  return d.op === 'const' && d.value === 1n;
}
