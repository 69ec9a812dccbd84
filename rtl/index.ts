// Verilog back end: public surface.
import fs from 'node:fs';
import path from 'node:path';
import type { UnitIR } from '../codegen/ir.ts';
import { emitVerilog, type RtlOutput } from './emit.ts';
export { emitVerilog } from './emit.ts';
export { axilAddrBits, ID_VALUE } from './regs.ts';

/** Writes `<dir>/*.v` and returns what was emitted. */
export function buildRtl(ir: UnitIR, dir: string, opts: { srcLocs?: boolean } = {}): RtlOutput {
  const out = emitVerilog(ir, opts);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of out.files) fs.writeFileSync(path.join(dir, name), text);
  return out;
}
