// The compiler's public surface: design file -> IR -> passes -> scheduled IR.
export { compileFile } from './frontend/index.ts';
export { buildHashOf, COMPILER_VERSION } from './buildhash.ts';
export { CompileError, formatDiagnostic, CODES } from './diagnostics.ts';
export type { Diagnostic, Loc, Code } from './diagnostics.ts';
export { printIR } from './ir.ts';
export type { UnitIR, Node, NodeId } from './ir.ts';
export type { PropertyIR, PropExpr, PropOp } from './frontend/properties.ts';
export { dce } from './passes/dce.ts';
export { scheduleUnit, DEFAULT_CLOCK_MHZ, describePath } from './timing/schedule.ts';
export type { Schedule, StageReport, MemoryPlan, TimingOptions } from './timing/schedule.ts';
export { delayModel } from './timing/delay.ts';

import { compileFile, type CompileOptions } from './frontend/index.ts';
import { dce } from './passes/dce.ts';
import { labelNodes } from './passes/label.ts';
import { dropMissSelects } from './passes/misssel.ts';
import { scheduleUnit, type TimingOptions } from './timing/schedule.ts';
import type { UnitIR } from './ir.ts';
import { buildHashOf } from './buildhash.ts';

/** Front end, the IR passes every back end wants (misssel, dce, label), then timing-driven scheduling at the clock. */
export function compile(file: string, opts: CompileOptions & { timing?: TimingOptions } = {}): UnitIR & { schedule: NonNullable<UnitIR['schedule']> } {
  const u = labelNodes(dce(dropMissSelects(compileFile(file, opts))));
  return { ...u, schedule: scheduleUnit(u, opts.timing), buildHash: buildHashOf(file) };
}
