// The compiler's public surface: design file -> IR -> passes.
export { compileFile, PARAM_BASE } from './frontend/index.ts';
export { CompileError, formatDiagnostic, CODES } from './diagnostics.ts';
export type { Diagnostic, Loc, Code } from './diagnostics.ts';
export { printIR } from './ir.ts';
export type { UnitIR, Node, NodeId } from './ir.ts';
export { dce } from './passes/dce.ts';
export { schedule } from './passes/schedule.ts';

import { compileFile, type CompileOptions } from './frontend/index.ts';
import { dce } from './passes/dce.ts';
import { labelNodes } from './passes/label.ts';
import type { UnitIR } from './ir.ts';

/** Front end plus the IR passes every back end wants. */
export function compile(file: string, opts?: CompileOptions): UnitIR {
  return labelNodes(dce(compileFile(file, opts)));
}
