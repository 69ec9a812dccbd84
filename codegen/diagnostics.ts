// Diagnostics are data: one table of stable codes, each message a sentence; rendered as file:line:col.
export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export const CODES = {
  TF001: 'TypeScript error',
  TF010: 'design file has no default export of unit({...})',
  TF011: 'declaration the compiler cannot evaluate statically',
  TF101: 'floating-point value or operation',
  TF102: 'number value may exceed 2^53',
  TF103: 'JavaScript 32-bit bitwise operation on a wider value',
  TF104: 'unbounded loop',
  TF105: 'recursion',
  TF106: 'dynamic allocation (Map, Set, arrays, objects)',
  TF107: 'call to a function the compiler cannot see into',
  TF108: 'value does not fit its destination',
  TF109: 'unsupported construct',
  TF110: 'division or remainder by a value that may be zero',
  TF111: 'mixing number and bigint',
  TF112: 'table written at more than two places (or read after replace)',
  TF113: 'loose equality',
  TF118: 'vector index may be outside the vector',
  TF119: 'array or record used where JavaScript references and hardware registers would differ',
  TF120: 'not supported by the HLS back end',
  TF121: 'stream record too wide',
  TF122: 'bad output flow or packet declaration',
  TF130: 'state update does not close in one cycle at the clock',
  TF131: 'operation too slow for the clock',
  TF132: 'table read key not known a cycle ahead',
  TF140: 'generated output fails its check (Verilator lint, g++)',
  TF150: 'bad system declaration',
  TF151: 'channel joins records of different types',
  TF152: 'strobe producer feeds a consumer that can stall',
} as const;
export type Code = keyof typeof CODES;

export interface Diagnostic {
  readonly code: Code;
  readonly loc: Loc;
  readonly message: string;
  readonly hint?: string;
  readonly related?: { loc: Loc; message: string };
}

export function formatLoc(l: Loc): string {
  return `${l.file}:${l.line}:${l.col}`;
}

export function formatDiagnostic(d: Diagnostic): string {
  let s = `${formatLoc(d.loc)}: error ${d.code}: ${d.message}`;
  if (d.related) s += `\n  ${formatLoc(d.related.loc)}: note: ${d.related.message}`;
  if (d.hint) s += `\n  hint: ${d.hint}`;
  return s;
}

/** Thrown to abandon lowering at the first error; carries every diagnostic collected so far. */
export class CompileError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'CompileError';
  }
}
