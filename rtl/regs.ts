// The AXI4-Lite register file of a unit: emitted from the one register map (regmap/), which owns every offset.
import type { UnitIR } from '../codegen/ir.ts';
import { ID_MAGIC, emitRegFile, regMapOf } from '../regmap/index.ts';

export const ID_VALUE = ID_MAGIC;

export function axilAddrBits(u: UnitIR): number {
  return regMapOf(u).addrBits;
}

export function emitRegs(u: UnitIR): string {
  return emitRegFile(regMapOf(u));
}

export function statusRegs(u: UnitIR) {
  return u.regs.filter((r) => r.status);
}
