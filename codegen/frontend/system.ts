// System front end: reads `export default system({ name, stages: [...] })` from the syntax tree (never running the
// file), resolves each unit stage to the design file whose default export it is, compiles those units, and checks
// the channels between them: record types match (TF151), a strobe producer only feeds a consumer that never stalls
// or a FIFO (TF152), a packet output only leaves the system (TF150).
import { Node, type Expression, type SourceFile } from 'ts-morph';
import path from 'node:path';
import { CompileError, type Diagnostic, type Loc } from '../diagnostics.ts';
import type { UnitIR } from '../ir.ts';
import type { ChannelSpec } from '../../dsl/system.ts';
import { fifo, skid, slice, wire } from '../../dsl/system.ts';
import type { RecordSpec } from '../../dsl/record.ts';
import { SpecReader, declOf, locOf } from './specs.ts';
import { project } from './index.ts';

export interface StageDecl {
  /** The stage element in the system file. */
  loc: Loc;
  /** The design file whose default export the stage is. */
  file: string;
}
export interface ChannelDecl {
  channel: ChannelSpec;
  /** The channel call, or (for the implicit wire) the consumer's stage element. */
  loc: Loc;
}
export interface SystemDecl {
  name: string;
  file: string;
  loc: Loc;
  units: StageDecl[];
  /** channels[k] joins units[k] to units[k + 1]. */
  channels: ChannelDecl[];
}

const CHANNELS: Record<string, (n: number) => ChannelSpec> = { wire, slice, skid, fifo };

/** True when the file's default export is a `system(...)` call (the CLI's dispatch between units and systems). */
export function isSystemFile(file: string, root = process.cwd()): boolean {
  const sf = sourceOf(file);
  const e = defaultCall(sf, new SpecReader(root));
  return e !== undefined && new SpecReader(root).dslName(e.getExpression()) === 'system';
}

function sourceOf(file: string): SourceFile {
  const abs = path.resolve(file);
  const p = project();
  const old = p.getSourceFile(abs);
  if (old) p.removeSourceFile(old);
  const sf = p.addSourceFileAtPath(abs);
  p.resolveSourceFileDependencies();
  return sf;
}

function defaultCall(sf: SourceFile, specs: SpecReader) {
  const decl = sf.getDefaultExportSymbol()?.getDeclarations()[0];
  let e: Expression | undefined = decl && Node.isExportAssignment(decl) ? decl.getExpression() : undefined;
  if (e) e = specs.resolveConst(e);
  return e && Node.isCallExpression(e) ? e : undefined;
}

/** Reads the declaration (no unit is compiled yet). */
export function readSystem(file: string, root = process.cwd()): SystemDecl {
  const specs: SpecReader = new SpecReader(root);
  const sf = sourceOf(file);
  const call = defaultCall(sf, specs);
  if (!call || specs.dslName(call.getExpression()) !== 'system')
    throw new CompileError([{ code: 'TF010', loc: { file: path.relative(root, sf.getFilePath()), line: 1, col: 1 }, message: 'a system file must `export default system({ ... })`' }]);
  const arg = call.getArguments()[0];
  if (!arg || !Node.isObjectLiteralExpression(arg)) specs.fail(call, 'TF150', 'system() takes an object literal: { name, stages: [...] }');
  const props = new Map(specs.props(arg));
  const nameExpr = props.get('name');
  const name = nameExpr && specs.constValue(nameExpr);
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) specs.fail(nameExpr ?? arg, 'TF150', "system needs name: 'identifier'");
  let stagesExpr = props.get('stages') ?? specs.fail(arg, 'TF150', 'system needs stages: [unit, channel?, unit, ...]');
  stagesExpr = specs.resolveConst(stagesExpr);
  if (!Node.isArrayLiteralExpression(stagesExpr)) specs.fail(stagesExpr, 'TF150', 'stages is an array literal of units and channels');

  const units: StageDecl[] = [];
  const channels: ChannelDecl[] = [];
  let pending: ChannelDecl | null = null;
  for (const el of stagesExpr.getElements()) {
    const c = specs.resolveConst(el);
    if (Node.isCallExpression(c)) {
      const fn = specs.dslName(c.getExpression());
      if (fn === 'unit') specs.fail(el, 'TF150', `${el.getText()} is not the default import of a design file`, UNIT_HINT);
      if (!fn || !(fn in CHANNELS)) specs.fail(el, 'TF150', 'a stage is a unit (the default import of a design file) or a channel: wire(), slice(), skid(), fifo(N)');
      if (units.length === 0) specs.fail(el, 'TF150', 'a system starts with a unit, not a channel');
      if (pending) specs.fail(el, 'TF150', 'two channels in a row: a channel stands between two units');
      const a = c.getArguments()[0] as Expression | undefined;
      let depth = 0;
      if (fn === 'fifo') {
        if (!a) specs.fail(c, 'TF150', 'fifo(depth): the depth is a power of two from 2 to 65536');
        depth = specs.int(a);
      }
      try {
        pending = { channel: CHANNELS[fn](depth), loc: locOf(el, root) };
      } catch (err) {
        specs.fail(el, 'TF150', (err as Error).message.replace(/^tickforge: /, ''));
      }
      continue;
    }
    units.push({ loc: locOf(el, root), file: unitFile(el, specs) });
    if (units.length > 1) channels.push(pending ?? { channel: wire(), loc: locOf(el, root) });
    pending = null;
  }
  if (pending) throw new CompileError([{ code: 'TF150', loc: pending.loc, message: 'a system ends with a unit, not a channel' }]);
  if (units.length < 2) specs.fail(stagesExpr, 'TF150', 'a system chains at least two units');
  return { name, file: path.relative(root, sf.getFilePath()), loc: locOf(call, root), units, channels };
}

/** The design file a unit stage comes from: the stage must be the default import of a design file. */
const UNIT_HINT = 'define each unit in its own design file as `export default unit({...})` and `import name from \'./file.ts\'` it';

function unitFile(el: Expression, specs: SpecReader): string {
  const hint = UNIT_HINT;
  if (!Node.isIdentifier(el)) specs.fail(el, 'TF150', 'a unit stage is the name of an imported unit', hint);
  const sym = el.getSymbol();
  const local = sym?.getDeclarations()[0];
  if (!local || !Node.isImportClause(local)) specs.fail(el, 'TF150', `${el.getText()} is not the default import of a design file`, hint);
  const target = declOf(sym);
  const sf = target?.getSourceFile();
  if (!sf || !target || !Node.isExportAssignment(target)) specs.fail(el, 'TF150', `${el.getText()} is not the default export of a design file`, hint);
  return sf.getFilePath();
}

export interface SystemCheckUnit {
  ir: Pick<UnitIR, 'name' | 'input' | 'output' | 'flow' | 'packet'> & { inputs?: UnitIR['inputs']; schedule?: { sweepCycles: number }; tables?: UnitIR['tables'] };
}

/** Same record type: the same fields, in the same order, of the same types (names of the records may differ). */
export function sameRecord(a: RecordSpec, b: RecordSpec): boolean {
  if (a.width !== b.width || a.fields.length !== b.fields.length) return false;
  return a.fields.every((f, k) => {
    const g = b.fields[k];
    return f.name === g.name && f.lsb === g.lsb && JSON.stringify(f.spec) === JSON.stringify(g.spec);
  });
}

/** A unit that never holds s_axis_tready low once reset is over: its output has no TREADY and it has no table sweep. */
export function neverStalls(u: SystemCheckUnit['ir']): boolean {
  return u.flow === 'strobe' && (u.schedule?.sweepCycles ?? 0) === 0;
}

/** The channel checks, as diagnostics (empty: the system is well formed). */
/** The record a channel into unit `c` carries: its input's, or its first input's (the others are system inputs). */
export function chainInput(c: SystemCheckUnit['ir']): RecordSpec {
  return c.inputs ? c.inputs.ports[0].record : c.input;
}

export function checkSystem(decl: SystemDecl, units: SystemCheckUnit['ir'][]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, number>();
  units.forEach((u, k) => {
    const prev = seen.get(u.name);
    if (prev !== undefined) out.push({ code: 'TF150', loc: decl.units[k].loc, message: `unit ${u.name} appears twice (stages ${prev} and ${k}); each unit appears once`, related: { loc: decl.units[prev].loc, message: 'first here' } });
    seen.set(u.name, k);
  });
  for (let k = 0; k + 1 < units.length; k++) {
    const p = units[k];
    const c = units[k + 1];
    const ch = decl.channels[k];
    const at = decl.units[k + 1].loc;
    const producer = { loc: decl.units[k].loc, message: `producer ${p.name} (output ${p.output.name}${p.flow === 'strobe' ? ", flow 'strobe'" : ''})` };
    if (p.packet) out.push({ code: 'TF150', loc: at, message: `${p.name} sends packets (a packet output leaves the system); it cannot feed ${c.name}`, related: producer, hint: 'make the packet unit the last stage' });
    else if (!sameRecord(p.output, chainInput(c)))
      out.push({ code: 'TF151', loc: at, message: `${c.name} takes ${chainInput(c).name} {${chainInput(c).fields.map((f) => f.name).join(', ')}}${c.inputs ? ` on its first input, ${c.inputs.ports[0].name},` : ''} but ${p.name} sends ${p.output.name} {${p.output.fields.map((f) => f.name).join(', ')}}`, related: producer, hint: 'put a unit between them that converts one record to the other' });
    if (p.flow === 'strobe' && ch.channel.type !== 'fifo' && !neverStalls(c)) {
      const why = c.flow !== 'strobe' ? 'its output has TREADY, so back-pressure stalls its input' : `its tables' post-reset sweep holds its input for ${c.schedule?.sweepCycles} cycles`;
      out.push({ code: 'TF152', loc: at, message: `${p.name} has no TREADY (flow 'strobe') and feeds ${c.name} through a ${ch.channel.type}, but ${c.name} can stall: ${why}; a record it refuses would be lost`, related: producer, hint: `put a fifo(N) between them (a record that finds it full is dropped and counted in the system's DROPS register)` });
    }
  }
  return out;
}
