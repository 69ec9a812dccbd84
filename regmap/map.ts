// The register map of a design, computed once from the compiled IR. Every consumer reads this one structure (or
// its JSON): the AXI-Lite register file RTL, the HLS interface pragmas, the C header, the TypeScript client, the
// docs, SystemRDL, the cocotb bench and the Verilator cosim harness. Nothing else computes an offset.
//
// Layout (docs/regmap.md): a standard block of eight words at 0x00, then one window per unit (one unit today; a
// system adds a window per unit). A window holds the unit's params (⌈width/32⌉ words each, low word first), then
// its host-readable status registers, then its host-written memories (dsl/parammem.ts): per memory an ADDR word
// and one DATA word per started 32 bits of an entry (the address/data window, docs/regmap.md).
import { createHash } from 'node:crypto';
import { type UnitIR, printIR } from '../codegen/ir.ts';
import { COMPILER_VERSION } from '../codegen/buildhash.ts';
import { describeSpec, enumCode, type ScalarSpec } from '../dsl/types.ts';

/** Bumped when the standard block or the window layout changes (VERSION[31:24]). */
export const REGMAP_LAYOUT = 2;
/** ID register: 'TF' and the layout family; the same magic since the first register file. */
export const ID_MAGIC = 0x54460001;
/** Standard block size, and the alignment of each unit's window. */
export const STD_BYTES = 0x20;
const WINDOW_ALIGN = 0x20;
/**
 * CONTROL.ARM_KEY ('ARM' in ASCII): a write of ARM_KEY<<8 | HOLD (KILL 0, all four byte strobes) clears a latched
 * kill. The key makes clearing a kill a deliberate sequence no stray write can make, and requiring HOLD in the same
 * word means a cleared kill leaves the design disarmed: records flow again only after a further write of HOLD = 0.
 */
export const ARM_KEY = 0x41524d;


export type Access = 'ro' | 'rw' | 'wo';

export interface FieldDef {
  name: string;
  lsb: number;
  width: number;
  access: Access;
  doc: string;
}

/** One register of the standard block. */
export interface StdReg {
  name: 'ID' | 'VERSION' | 'BUILD_HASH' | 'CONTROL' | 'COMMIT' | 'STATUS' | 'SNAPSHOT';
  offset: number;
  access: Access;
  /** Reset value (for ID, VERSION, BUILD_HASH: the constant). */
  reset: number;
  doc: string;
  fields: FieldDef[];
}

/** One 32-bit word of a param or status register. */
export interface WordDef {
  offset: number;
  /** Bits of the value this word holds: value[lsb + width - 1 : lsb] in word bits [width-1:0]. */
  lsb: number;
  width: number;
  mask: number;
  reset: number;
  /** HLS route: the byte offset of this word in the Vitis s_axilite map (see hlsLayout below). */
  hlsOffset: number;
}

export interface ValueReg {
  name: string;
  /** DSL type, e.g. u(32), bool, enum Reason. */
  type: string;
  kind: ScalarSpec['kind'];
  width: number;
  signed: boolean;
  /** Reset value as an unsigned bit pattern (decimal string: may exceed 2^53). */
  reset: string;
  doc?: string;
  /** Enum members (name, code), for clients and docs. */
  members?: Array<{ name: string; code: number }>;
  offset: number;
  words: WordDef[];
}

export interface UnitWindow {
  unit: string;
  base: number;
  size: number;
  /** Params: written to shadow registers; take effect together on COMMIT. */
  params: ValueReg[];
  /** Status registers: read-only, captured together by SNAPSHOT. */
  status: ValueReg[];
  /** Host-written memories (dsl/parammem.ts): an address/data window each; COMMIT switches their banks. */
  memories: MemWindow[];
}

/**
 * A host-written memory's window: ADDR (the entry index; rw) at `offset`, then `words` DATA words (low first) at
 * `data`. Writing the last DATA word writes the whole entry (the DATA words written before it, byte strobes
 * honoured, are held until then) to the shadow bank at ADDR and advances ADDR by one (mod entries); reading a DATA
 * word returns that word of the shadow bank's entry at ADDR. A COMMIT after any entry was written switches the
 * banks (docs/regmap.md "Host-written memories").
 */
export interface MemWindow {
  name: string;
  /** DSL type of an entry, e.g. u(10). */
  type: string;
  kind: ScalarSpec['kind'];
  width: number;
  signed: boolean;
  entries: number;
  /** Bits of ADDR that hold the index (log2 entries). */
  indexBits: number;
  /** DATA words per entry (⌈width/32⌉). */
  words: number;
  /** The ADDR word. */
  offset: number;
  /** Bytes of the window: ADDR and the DATA words. */
  bytes: number;
  /** The DATA words' offsets, low word first. */
  data: number[];
  doc?: string;
  /** HLS route: the kernel's array argument (Vitis places an s_axilite array itself; see its driver header). */
  hlsArg: string;
}

export interface RegMap {
  /** Schema of this JSON. */
  schema: 'tickforge-regmap/1';
  design: string;
  top: string;
  file: string;
  compilerVersion: string;
  layout: number;
  /** 8 hex digits: the BUILD_HASH register. */
  buildHash: string;
  /** AXI-Lite address width of the register file (at least 12: a 4 KiB aperture). */
  addrBits: number;
  standard: StdReg[];
  /** CONTROL.ARM_KEY: a CONTROL write of armKey<<8 | HOLD clears a latched kill (docs/regmap.md "Kill, hold and arm"). */
  armKey: number;
  windows: UnitWindow[];
  /** HLS route: where the standard block's host-visible registers live in the Vitis s_axilite map. */
  hls: { commit: number; control: number; generation: number; buildHash: number; note: string };
}

export const STATUS_GEN_LSB = 16;

/** VERSION register value: layout, then the compiler's major.minor.patch. */
export function versionWord(v = COMPILER_VERSION): number {
  const [a, b, c] = v.split('.').map((x) => Number.parseInt(x, 10) & 0xff);
  return ((REGMAP_LAYOUT << 24) | (a << 16) | (b << 8) | c) >>> 0;
}

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
export { hex as hexOffset };

function valueReg(name: string, spec: ScalarSpec, init: bigint, doc: string | undefined, offset: number, hlsBase: number): ValueReg {
  const words: WordDef[] = [];
  const n = Math.ceil(spec.width / 32);
  const bits = BigInt.asUintN(spec.width, init);
  for (let k = 0; k < n; k++) {
    const width = Math.min(32, spec.width - 32 * k);
    const mask = width === 32 ? 0xffffffff : (2 ** width - 1) >>> 0;
    words.push({ offset: offset + 4 * k, lsb: 32 * k, width, mask, reset: Number((bits >> BigInt(32 * k)) & BigInt(mask)), hlsOffset: hlsBase + 4 * k });
  }
  return {
    name,
    type: describeSpec(spec),
    kind: spec.kind,
    width: spec.width,
    signed: spec.kind === 'sint',
    reset: bits.toString(),
    ...(doc ? { doc } : {}),
    ...(spec.kind === 'enum' ? { members: spec.members.map((m) => ({ name: m.name, code: enumCode(spec as never, m.value) })) } : {}),
    offset,
    words,
  };
}

/**
 * Vitis HLS s_axilite layout (ap_ctrl_none): user registers start at 0x10; a scalar input of up to 32 bits takes
 * a data word and a reserved word (8 bytes), a 64-bit one two data words and a reserved word (we give it 16); a
 * scalar output (pointer) takes a data word per 32 bits and a control word (ap_vld). The interface pragmas give
 * these offsets explicitly, so the map below is what Vitis builds; it differs from the RTL's dense map, and the C
 * header names both (docs/regmap.md "The HLS route").
 */
const hlsSpan = (words: number, output: boolean) => (output ? 4 * words + 4 : words === 1 ? 8 : 16);

/**
 * The standard block of every register file of this layout. A host that has no build directory at hand (a kill on
 * an unknown card) takes CONTROL's offset from here after checking ID and VERSION's layout.
 */
export function standardBlock(buildHash = '00000000'): StdReg[] {
  return [
    { name: 'ID', offset: 0x00, access: 'ro', reset: ID_MAGIC, doc: 'Constant 0x54460001: a tickforge register file', fields: [] },
    { name: 'VERSION', offset: 0x04, access: 'ro', reset: versionWord(), doc: `Register-map layout [31:24] and compiler version [23:0] (${COMPILER_VERSION})`, fields: [
      { name: 'LAYOUT', lsb: 24, width: 8, access: 'ro', doc: 'Register-map layout version' },
      { name: 'COMPILER', lsb: 0, width: 24, access: 'ro', doc: 'Compiler major.minor.patch, a byte each' },
    ] },
    { name: 'BUILD_HASH', offset: 0x08, access: 'ro', reset: Number.parseInt(buildHash, 16) >>> 0, doc: 'Hash of the DSL sources and compiler version (printed by `tickforge build`)', fields: [] },
    { name: 'CONTROL', offset: 0x0c, access: 'rw', reset: 0, doc: 'Control bits', fields: [
      { name: 'KILL', lsb: 0, width: 1, access: 'rw', doc: 'Writing 1 latches the kill: every input record from the next cycle on is accepted and dropped (no event). Writing 0 does nothing; only reset or the arm key (ARM_KEY) clears it.' },
      { name: 'HOLD', lsb: 1, width: 1, access: 'rw', doc: 'Disarm: while 1, every input record from the next cycle on is accepted and dropped, as under KILL. Every write of CONTROL sets it to the written bit; 0 after reset (armed).' },
      { name: 'ARM_KEY', lsb: 8, width: 24, access: 'wo', doc: `A write of 0x${ARM_KEY.toString(16).toUpperCase()} here with HOLD 1 and KILL 0 (all byte strobes) clears the kill and leaves the design held; reads 0` },
    ] },
    { name: 'COMMIT', offset: 0x10, access: 'rw', reset: 0, doc: 'Writing a value different from the current generation makes every param take its shadow value at that clock edge and sets the generation to it; reads return the generation', fields: [] },
    { name: 'STATUS', offset: 0x14, access: 'ro', reset: 0, doc: 'Kill and hold state and the low 16 bits of the generation (the last COMMIT value that took effect)', fields: [
      { name: 'KILLED', lsb: 0, width: 1, access: 'ro', doc: 'The kill is latched' },
      { name: 'HELD', lsb: 1, width: 1, access: 'ro', doc: 'CONTROL.HOLD is set (disarmed)' },
      { name: 'GENERATION', lsb: STATUS_GEN_LSB, width: 16, access: 'ro', doc: 'Generation[15:0]' },
    ] },
    { name: 'SNAPSHOT', offset: 0x18, access: 'wo', reset: 0, doc: 'Any write captures every status register at that clock edge; status words read the captured values (reads 0)', fields: [] },
  ];
}

export function regMapOf(u: UnitIR): RegMap {
  const buildHash = u.buildHash ?? createHash('sha256').update(`tickforge ${COMPILER_VERSION}\n${printIR(u)}`).digest('hex').slice(0, 8);
  const standard = standardBlock(buildHash);
  // The HLS route: control words first, then params, then status outputs.
  let h = 0x10;
  const hlsAt = (words: number, output: boolean) => {
    const at = h;
    h += hlsSpan(words, output);
    return at;
  };
  const hlsCommit = hlsAt(1, false);
  const hlsControl = hlsAt(1, false);
  const hlsGeneration = hlsAt(1, true);
  const hlsBuildHash = hlsAt(1, true);
  const base = STD_BYTES;
  let off = base;
  const params = u.params.map((p) => {
    const words = Math.ceil(p.spec.width / 32);
    const r = valueReg(p.name, p.spec, p.init, p.doc, off, hlsAt(words, false));
    off += 4 * words;
    return r;
  });
  const status = u.regs
    .filter((r) => r.status)
    .map((r) => {
      const words = Math.ceil(r.spec.width / 32);
      const v = valueReg(r.name, r.spec, r.init, r.status!.doc, off, hlsAt(words, true));
      off += 4 * words;
      return v;
    });
  const memories: MemWindow[] = u.tables
    .filter((t) => t.host)
    .map((t) => {
      const words = Math.ceil(t.value.width / 32);
      const m: MemWindow = {
        name: t.name,
        type: describeSpec(t.value),
        kind: t.value.kind,
        width: t.value.width,
        signed: t.value.kind === 'sint',
        entries: t.capacity,
        indexBits: Math.log2(t.capacity),
        words,
        offset: off,
        bytes: 4 * (1 + words),
        data: Array.from({ length: words }, (_, k) => off + 4 * (1 + k)),
        ...(t.host!.doc ? { doc: t.host!.doc } : {}),
        hlsArg: t.name,
      };
      off += m.bytes;
      return m;
    });
  const size = Math.max(WINDOW_ALIGN, Math.ceil((off - base) / WINDOW_ALIGN) * WINDOW_ALIGN);
  const end = base + size;
  return {
    schema: 'tickforge-regmap/1',
    design: u.name,
    top: u.name,
    file: u.file,
    compilerVersion: COMPILER_VERSION,
    layout: REGMAP_LAYOUT,
    buildHash,
    addrBits: Math.max(12, Math.ceil(Math.log2(end))),
    standard,
    armKey: ARM_KEY,
    windows: [{ unit: u.name, base, size, params, status, memories }],
    hls: {
      commit: hlsCommit,
      control: hlsControl,
      generation: hlsGeneration,
      buildHash: hlsBuildHash,
      note: 'Vitis HLS places s_axilite scalars at the offsets the interface pragmas give; inputs take a data word and a reserved word, outputs a data word and an ap_vld control word, so the HLS map is not the RTL map. ID, VERSION and SNAPSHOT have no HLS register; STATUS.GENERATION is the generation output.',
    },
  };
}

export function stdReg(m: RegMap, name: StdReg['name']): StdReg {
  return m.standard.find((r) => r.name === name)!;
}

/** All param words of the map, across windows, in address order. */
export function paramWords(m: RegMap): Array<{ reg: ValueReg; word: WordDef; index: number }> {
  return m.windows.flatMap((w) => w.params.flatMap((reg) => reg.words.map((word, index) => ({ reg, word, index }))));
}

export function statusWords(m: RegMap): Array<{ reg: ValueReg; word: WordDef; index: number }> {
  return m.windows.flatMap((w) => w.status.flatMap((reg) => reg.words.map((word, index) => ({ reg, word, index }))));
}

/**
 * The AXI-Lite writes a host makes to give params these values: every param word (low word first) to its shadow
 * register, then one COMMIT with the next generation, so all of them take effect at one clock edge.
 */
export function commitWrites(m: RegMap, values?: Record<string, bigint>, generation = 1): Array<{ offset: number; value: number; noReadback?: true }> {
  const out: Array<{ offset: number; value: number; noReadback?: true }> = [];
  for (const w of m.windows) {
    for (const r of w.params) {
      const v = BigInt.asUintN(r.width, values?.[r.name] ?? BigInt(r.reset));
      for (const wd of r.words) out.push({ offset: wd.offset, value: Number((v >> BigInt(wd.lsb)) & BigInt(wd.mask)) });
    }
    // A host-written memory given a value (every entry: `<name>[<i>]`, sim/params.ts) is written whole, from entry 0
    // (ADDR advances by itself); its words are not read back as written (DATA reads the shadow entry at ADDR).
    for (const mem of w.memories) if (values?.[`${mem.name}[0]`] !== undefined) out.push(...memoryWrites(mem, Array.from({ length: mem.entries }, (_, i) => values[`${mem.name}[${i}]`] ?? 0n)));
  }
  out.push({ offset: stdReg(m, 'COMMIT').offset, value: generation >>> 0 });
  return out;
}

/** The AXI-Lite writes that fill host memory `mem` with `values` (entry i = values[i], as integer codes). */
export function memoryWrites(mem: MemWindow, values: readonly bigint[]): Array<{ offset: number; value: number; noReadback: true }> {
  if (values.length !== mem.entries) throw new Error(`memory ${mem.name} has ${mem.entries} entries; got ${values.length} values`);
  const out: Array<{ offset: number; value: number; noReadback: true }> = [{ offset: mem.offset, value: 0, noReadback: true }];
  for (const v of values) {
    const bits = BigInt.asUintN(mem.width, v);
    mem.data.forEach((off, k) => out.push({ offset: off, value: Number((bits >> BigInt(32 * k)) & 0xffffffffn), noReadback: true }));
  }
  return out;
}
