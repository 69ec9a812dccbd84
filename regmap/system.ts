// The address map of a system (docs/systems.md): one AXI-Lite aperture of 2^addrBits bytes cut into windows of
// 2^windowBits bytes. Window 0 is the system block (read-only: identity, the system's build hash, and a DROPS counter
// per strobe-fed FIFO); window k + 1 is unit k's own register file (its regMapOf map, unchanged, at `base`): its
// standard block, params with their COMMIT, status with its SNAPSHOT. Nothing else computes a system offset.
import type { SystemIR } from '../codegen/system.ts';
import { type RegMap, type ValueReg, regMapOf, versionWord } from './map.ts';

/** ID of a system block: 'TFSY'. */
export const SYSTEM_ID = 0x54465359;

export interface SystemWord {
  name: string;
  offset: number;
  /** Constant value (ignored when `link` is set). */
  value: number;
  /** A DROPS counter: the index of its link. */
  link?: number;
  doc: string;
}

export interface SystemWindow {
  unit: string;
  base: number;
  /** Address bits the unit's own register file decodes. */
  addrBits: number;
  map: RegMap;
}

export interface SystemMap {
  schema: 'tickforge-system-regmap/1';
  system: string;
  buildHash: string;
  addrBits: number;
  windowBits: number;
  block: SystemWord[];
  windows: SystemWindow[];
}

export function systemMapOf(s: SystemIR): SystemMap {
  const maps = s.units.map((u) => regMapOf(u));
  const windowBits = Math.max(...maps.map((m) => m.addrBits));
  const selBits = Math.max(1, Math.ceil(Math.log2(s.units.length + 1)));
  const block: SystemWord[] = [
    { name: 'ID', offset: 0x00, value: SYSTEM_ID, doc: "Constant 0x54465359 ('TFSY'): a tickforge system" },
    { name: 'VERSION', offset: 0x04, value: versionWord(), doc: 'Register-map layout [31:24] and compiler version [23:0]' },
    { name: 'BUILD_HASH', offset: 0x08, value: Number.parseInt(s.buildHash, 16) >>> 0, doc: "Hash of the system file and every unit's build hash" },
    { name: 'LAYOUT', offset: 0x0c, value: (s.units.length | (windowBits << 8)) >>> 0, doc: 'Units [7:0] and window size log2 [15:8]: unit k answers at (k + 1) << windowBits' },
  ];
  s.links.forEach((l, k) => {
    if (l.strobe && l.channel.type === 'fifo')
      block.push({ name: `DROPS_${l.name}`, offset: 0x10 + 4 * k, value: 0, link: k, doc: `Records ${s.units[l.from].name} sent while the ${l.name} FIFO was full (lost; saturates at 2^32-1)` });
  });
  return {
    schema: 'tickforge-system-regmap/1',
    system: s.name,
    buildHash: s.buildHash,
    addrBits: windowBits + selBits,
    windowBits,
    block,
    windows: s.units.map((u, k) => ({ unit: u.name, base: (k + 1) * 2 ** windowBits, addrBits: maps[k].addrBits, map: maps[k] })),
  };
}

/** The writes that give every unit its params (each unit's own COMMIT), at the system's offsets; `k` is the unit's stage. */
export function systemParamWrites(m: SystemMap, write: (map: RegMap, k: number) => Array<{ offset: number; value: number; noReadback?: true }>): Array<{ offset: number; value: number; noReadback?: true }> {
  return m.windows.flatMap((w, k) => write(w.map, k).map((x) => ({ ...x, offset: w.base + x.offset })));
}

/**
 * Unit `unit`'s register map as the system's host sees it: the same map with every offset moved to the unit's
 * window (standard block, params, status, memories; the HLS offsets are the unit kernel's own and stay). This is
 * how a host resolves `<unit>.<register>` to an absolute offset in the system's aperture.
 */
export function windowMap(m: SystemMap, unit: string): RegMap {
  const w = m.windows.find((x) => x.unit === unit);
  if (!w) throw new Error(`${m.system} has no unit ${unit} (units: ${m.windows.map((x) => x.unit).join(', ')})`);
  const at = (o: number) => w.base + o;
  const value = (r: ValueReg): ValueReg => ({ ...r, offset: at(r.offset), words: r.words.map((x) => ({ ...x, offset: at(x.offset) })) });
  return {
    ...w.map,
    standard: w.map.standard.map((r) => ({ ...r, offset: at(r.offset) })),
    windows: w.map.windows.map((u) => ({
      ...u,
      base: at(u.base),
      params: u.params.map(value),
      status: u.status.map(value),
      memories: u.memories.map((x) => ({ ...x, offset: at(x.offset), data: x.data.map(at) })),
    })),
  };
}
