// The address map of a system (docs/systems.md): one AXI-Lite aperture of 2^addrBits bytes cut into windows of
// 2^windowBits bytes. Window 0 is the system block (read-only: identity, the system's build hash, and a DROPS counter
// per strobe-fed FIFO); window k + 1 is unit k's own register file (its regMapOf map, unchanged, at `base`): its
// standard block, params with their COMMIT, status with its SNAPSHOT. Nothing else computes a system offset.
import type { SystemIR } from '../codegen/system.ts';
import { type RegMap, type StdReg, type ValueReg, STD_BYTES, regMapOf, standardBlock, versionWord } from './map.ts';

/** ID of a system block: 'TFSY'. */
export const SYSTEM_ID = 0x54465359;
/** The system block's fixed words (its DROPS counters follow from 0x10, one per link, where the map says). */
export const SYSTEM_WORDS = { ID: 0x00, VERSION: 0x04, BUILD_HASH: 0x08, LAYOUT: 0x0c } as const;

const layoutWord = (units: number, windowBits: number) => (units | (windowBits << 8)) >>> 0;
const addrBitsOf = (units: number, windowBits: number) => windowBits + Math.max(1, Math.ceil(Math.log2(units + 1)));

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
  const block: SystemWord[] = [
    { name: 'ID', offset: SYSTEM_WORDS.ID, value: SYSTEM_ID, doc: "Constant 0x54465359 ('TFSY'): a tickforge system" },
    { name: 'VERSION', offset: SYSTEM_WORDS.VERSION, value: versionWord(), doc: 'Register-map layout [31:24] and compiler version [23:0]' },
    { name: 'BUILD_HASH', offset: SYSTEM_WORDS.BUILD_HASH, value: Number.parseInt(s.buildHash, 16) >>> 0, doc: "Hash of the system file and every unit's build hash" },
    { name: 'LAYOUT', offset: SYSTEM_WORDS.LAYOUT, value: layoutWord(s.units.length, windowBits), doc: 'Units [7:0] and window size log2 [15:8]: unit k answers at (k + 1) << windowBits' },
  ];
  s.links.forEach((l, k) => {
    if (l.strobe && l.channel.type === 'fifo')
      block.push({ name: `DROPS_${l.name}`, offset: 0x10 + 4 * k, value: 0, link: k, doc: `Records ${s.units[l.from].name} sent while the ${l.name} FIFO was full (lost; saturates at 2^32-1)` });
  });
  return {
    schema: 'tickforge-system-regmap/1',
    system: s.name,
    buildHash: s.buildHash,
    addrBits: addrBitsOf(s.units.length, windowBits),
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

/** What a card's LAYOUT word says without a build: the units' count, their windows and every unit's standard block. */
export interface CardLayout {
  units: number;
  windowBits: number;
  /** Address bits of the whole aperture (as systemMapOf gives them). */
  addrBits: number;
  /** Unit k (stage order): its window's base and its standard block there (ID, CONTROL, STATUS, COMMIT, ...). */
  windows: Array<{ base: number; standard: StdReg[] }>;
}

/**
 * The windows a system block's LAYOUT word (units [7:0], window size log2 [15:8]) locates, from the card alone:
 * every unit's register file starts with the standard block at (k + 1) << windowBits, so a host without the build
 * can still reach every unit's CONTROL (a kill), STATUS and COMMIT. Null when the word cannot be a layout (no
 * unit, or windows too small for a standard block or wider than an AXI-Lite aperture would be).
 */
export function layoutOf(word: number): CardLayout | null {
  const units = word & 0xff;
  const windowBits = (word >>> 8) & 0xff;
  if (!units || word >>> 16 || 2 ** windowBits < STD_BYTES || addrBitsOf(units, windowBits) > 32) return null;
  const windows = Array.from({ length: units }, (_, k) => {
    const base = (k + 1) * 2 ** windowBits;
    return { base, standard: standardBlock().map((r) => ({ ...r, offset: base + r.offset })) };
  });
  return { units, windowBits, addrBits: addrBitsOf(units, windowBits), windows };
}
