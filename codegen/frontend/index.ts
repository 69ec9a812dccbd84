// Front end: reads a design file with ts-morph, checks it is in the synthesizable subset, lowers it to the IR.
import { Project, Node, type Expression, type ObjectLiteralExpression, ts } from 'ts-morph';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompileError, type Diagnostic } from '../diagnostics.ts';
import type { NodeId, OutputSlot, PacketIR, ParamIR, TableIR, UnitIR } from '../ir.ts';
import { MAX_OUTPUTS } from '../../dsl/unit.ts';
import { type MergedInput, inputsProblem, mergedInput } from '../../dsl/inputs.ts';
import type { RecordSpec } from '../../dsl/record.ts';
import { MEMORY_KINDS, type MemoryKind } from '../../dsl/table.ts';
import { type PacketSpec, packetProblem, packetCapacity, beatRecord } from '../../dsl/packet.ts';
import { GraphBuilder } from './build.ts';
import { Lowerer, type Val, type FnDecl } from './lower.ts';
import { SpecReader, locOf, isDesignSource } from './specs.ts';
import { readProperties } from './properties.ts';
import { vecParams } from './paramvec.ts';
import { memTable } from './parammem.ts';
import { type AssocIR, type VecTableIR } from './tables.ts';
import { TABLE_HASHES, TABLE_POLICIES, MAX_WAYS, type TableHash, type TablePolicy } from '../../dsl/table.ts';
import { readState, initValue, stateShape } from './state.ts';
import type { ScalarSpec } from '../../dsl/types.ts';

/** Widest stream record: one 512-bit AXI-Stream beat. */
export const MAX_RECORD_BYTES = 64;
const PKG_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let sharedProject: Project | undefined;
/** The front end's ts-morph project (the system front end reads system files with it too). */
export function project(): Project {
  // One project per process: the DSL's own declarations and the lib files are parsed once.
  sharedProject ??= new Project({
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      // Host-side code in a design file (stimulus readers, say) may use Node's API: give the checker its types.
      types: ['node'],
      typeRoots: [path.join(PKG_ROOT, 'node_modules', '@types')],
    },
  });
  return sharedProject;
}

export interface CompileOptions {
  /** Paths in diagnostics are relative to this directory (default: the current directory). */
  root?: string;
}

/** Compiles a design file to the IR; throws CompileError with file:line:col diagnostics. */
export function compileFile(file: string, opts: CompileOptions = {}): UnitIR {
  const root = opts.root ?? process.cwd();
  const abs = path.resolve(file);
  const p = project();
  const old = p.getSourceFile(abs);
  if (old) p.removeSourceFile(old);
  const sf = p.addSourceFileAtPath(abs);
  p.resolveSourceFileDependencies();

  const tsErrors: Diagnostic[] = [];
  // Type errors in the design file and in the design files it imports (shared records, consts, helpers).
  const sources = designSources(sf);
  for (const d of sources.flatMap((x) => x.getPreEmitDiagnostics())) {
    if (d.getCategory() !== ts.DiagnosticCategory.Error) continue;
    // TS1470 (import.meta "in files which will build into CommonJS"): ts-morph's host does not read the package.json
    // "type" that makes these files ES modules (tsc -p . accepts them); host-side helpers a design imports use it.
    if (d.getCode() === 1470) continue;
    const dsf = d.getSourceFile();
    const start = d.getStart() ?? 0;
    const lc = dsf ? dsf.getLineAndColumnAtPos(start) : { line: 1, column: 1 };
    const msg = d.getMessageText();
    tsErrors.push({
      code: 'TF001',
      loc: { file: dsf ? path.relative(root, dsf.getFilePath()) : path.relative(root, abs), line: lc.line, col: lc.column },
      message: `TS${d.getCode()}: ${typeof msg === 'string' ? msg : msg.getMessageText()}`,
    });
  }
  if (tsErrors.length > 0) throw new CompileError(tsErrors);

  const specs: SpecReader = new SpecReader(root);
  const def = findUnit(sf, specs);
  const get = (name: string): Expression | undefined => {
    const prop = def.getProperty(name);
    if (!prop) return undefined;
    if (Node.isPropertyAssignment(prop)) return prop.getInitializerOrThrow();
    if (Node.isMethodDeclaration(prop)) return prop as unknown as Expression;
    return specs.fail(prop, 'TF011', `${name}: expected \`${name}: ...\``);
  };
  const nameExpr = get('name');
  const name = nameExpr && specs.constValue(nameExpr);
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) specs.fail(nameExpr ?? def, 'TF011', "unit needs name: 'identifier'");
  const inputsExpr = get('inputs');
  const inputExpr = inputsExpr ?? get('input') ?? specs.fail(def, 'TF011', 'unit needs input: a record (or inputs: { name: Record, ... } and on: { name(rec, ctx) { ... } })');
  const outputExpr = get('output') ?? specs.fail(def, 'TF011', 'unit needs output: a record');
  const merged = inputsExpr ? readInputs(name, inputsExpr, get('input'), specs) : null;
  const input = merged ? merged.record : specs.record(inputExpr);
  const output = specs.record(outputExpr);
  for (const [r, e] of [...(merged ? merged.ports.map((p) => [p.record, inputsExpr!] as const) : [[input, inputExpr] as const]), [output, outputExpr] as const]) {
    if (r.bytes > MAX_RECORD_BYTES) {
      specs.fail(e, 'TF121', `record ${r.name} is ${r.bytes} bytes; a stream beat carries at most ${MAX_RECORD_BYTES} bytes (512-bit TDATA)`, 'split it, or drop fields downstream units can compute');
    }
  }

  const { flow, packet } = outputFlow(get('flow'), get('packet'), output, def, specs);
  const outputs = outputCount(get('outputs'), flow, packet, specs);

  const params: ParamIR[] = [];
  const hostMems: TableIR[] = [];
  for (const [k, v] of objProps(get('params'), specs)) {
    const c = specs.resolveConst(v);
    if (Node.isCallExpression(c) && specs.dslName(c.getExpression()) === 'paramMem') {
      hostMems.push(memTable(k, c.getArguments() as Expression[], specs, (e, spec) => initValue(e, spec, specs), (e) => docOf(e, specs)));
      continue;
    }
    if (Node.isCallExpression(c) && specs.dslName(c.getExpression()) === 'paramVec') {
      params.push(...vecParams(k, c.getArguments() as Expression[], specs, (e, spec) => initValue(e, spec, specs), (e) => docOf(e, specs)));
      continue;
    }
    const call = callOf(v, 'param', specs);
    const spec = specs.spec(call[0]);
    const words = Math.ceil(spec.width / 32);
    params.push({ name: k, spec, init: initValue(call[1], spec, specs), doc: docOf(call[2], specs), words });
  }
  const paramNames = new Set<string>();
  for (const p of params) {
    if (paramNames.has(p.name)) specs.fail(get('params')!, 'TF011', `param ${p.name} is declared twice (element i of paramVec v is the param v_i)`);
    paramNames.add(p.name);
  }
  const { regs, shapes } = readState(objProps(get('state'), specs), specs, (e, f) => callOf(e, f, specs));
  const tables: TableIR[] = [];
  const assocs: AssocIR[] = [];
  const vecTables: VecTableIR[] = [];
  const builtBy = new Map<string, { table: string }>(); // memory name -> the table declaration that made it
  for (const [k, v] of objProps(get('tables'), specs)) {
    const [arg] = callOf(v, 'table', specs);
    if (!Node.isObjectLiteralExpression(arg)) specs.fail(v, 'TF011', 'table({ key, value, capacity })');
    const o = new Map(specs.props(arg));
    const capacity = specs.int(o.get('capacity') ?? specs.fail(arg, 'TF011', 'table needs capacity'));
    const key = specs.spec(o.get('key') ?? specs.fail(arg, 'TF011', 'table needs key'));
    if (key.kind !== 'uint') specs.fail(arg, 'TF011', 'table keys are unsigned integers');
    if (capacity < 2 || (capacity & (capacity - 1)) !== 0 || capacity > 1 << 20) specs.fail(arg, 'TF011', 'table capacity must be a power of two in 2..2^20');
    const memExpr = o.get('memory');
    const memory = memExpr === undefined ? undefined : specs.constValue(memExpr);
    if (memory !== undefined && !MEMORY_KINDS.includes(memory as MemoryKind)) specs.fail(memExpr!, 'TF011', `table memory must be one of ${MEMORY_KINDS.map((m) => `'${m}'`).join(', ')}`);
    const valueExpr = o.get('value') ?? specs.fail(arg, 'TF011', 'table needs value');
    const shape = stateShape(valueExpr, specs);
    if (shape.kind === 'record' || (shape.kind === 'vec' && shape.elem.kind === 'record')) specs.fail(valueExpr, 'TF011', 'a table value is a scalar type or a vector of scalars (vec(u(64), 8)), not a record', 'a vector of the fields packed into one number each, or one table per field');
    if (shape.kind === 'vec' && o.has('ways')) specs.fail(o.get('ways')!, 'TF011', 'a table whose value is a vector is direct mapped: no ways');
    const mem = memory ? { memory: memory as MemoryKind } : {};
    // A vector value is one memory per element (<t>_<i>), written together: the back ends see scalar tables only.
    const vecTable: VecTableIR | null =
      shape.kind === 'vec' ? { name: k, elems: Array.from({ length: shape.length }, (_, i) => ({ name: `${k}_${i}`, key, value: (shape.elem as { spec: ScalarSpec }).spec, capacity, ...mem })) } : null;
    const value = shape.kind === 'scalar' ? shape.spec : null;
    const assoc = value ? assocOf(k, o, arg, key, value, capacity, memory as MemoryKind | undefined, specs) : null;
    const made = vecTable ? vecTable.elems : assoc ? [...assoc.ways, ...(assoc.victim ? [assoc.victim] : [])] : [{ name: k, key, value: value!, capacity, ...mem }];
    // A set-associative table is built as memories named <t>_w<i> (and <t>_victim), a vector-valued one as <t>_<i>:
    // a table of that name would be the same memory in the Verilog and the C++.
    for (const t of made) {
      const other = builtBy.get(t.name);
      if (other) specs.fail(v, 'TF011', `table ${k} needs a memory named ${t.name}, which table ${other.table} also needs: rename one (a set-associative table t is built as t_w0.., and t_victim with policy 'roundRobin'; a vector-valued one as t_0..)`);
      builtBy.set(t.name, { table: k });
    }
    if (assoc) assocs.push(assoc);
    if (vecTable) vecTables.push(vecTable);
    tables.push(...made);
  }
  // Host-written memories are tables to the back ends (read-only from the unit's side): one namespace with them.
  for (const m of hostMems) {
    if (tables.some((t) => t.name === m.name) || paramNames.has(m.name)) specs.fail(get('params')!, 'TF011', `paramMem ${m.name} has the name of a table or param; give it its own name`);
  }
  tables.push(...hostMems);

  // The step, or (several inputs) one handler per input in `on`, in the order `inputs` declares them.
  const handlers = merged ? readHandlers(def, merged, specs) : null;
  const fn: FnDecl = handlers ? handlers[0] : (functionOf(def.getProperty('step')) ?? specs.fail(def, 'TF011', 'unit needs step(input, ctx) { ... }'));

  const g = new GraphBuilder();
  const lw = new Lowerer({
    root,
    g,
    specs,
    input,
    params: new Map(params.map((x) => [x.name, x.spec])),
    vecs: new Map([
      ...params.filter((x) => x.vec?.index === 0).map((x) => [x.vec!.name, { spec: x.spec, length: x.vec!.length }] as const),
      ...hostMems.map((m) => [m.name, { spec: m.value, length: m.capacity, mem: m }] as const),
    ]),
    regs: new Map(regs.map((x) => [x.name, x.spec])),
    shapes,
    tables: new Map(tables.map((x) => [x.name, x])),
    assocs: new Map(assocs.map((x) => [x.name, x])),
    vecTables: new Map(vecTables.map((x) => [x.name, x])),
    outputs,
  });
  const exits = handlers ? lw.lowerHandlers(handlers.map((h, k) => ({ fn: h, port: merged!.ports[k], index: k }))) : lw.lowerStep(fn);
  const stepLoc = locOf(fn, root);

  // Output: record k is valid on the paths that returned at least k + 1 records; its fields are muxed among those
  // paths. A path returns undefined (none), a record (one) or, with `outputs: N` > 1, an array of up to N records.
  const returned: Array<{ x: (typeof exits)[number]; recs: Array<Extract<Val, { k: 'record' }>> }> = [];
  for (const x of exits) {
    if (x.val.k === 'undef') continue;
    let recs: Val[] = [x.val];
    if (x.val.k === 'vec') {
      if (outputs === 1) specs.fail(x.at ?? fn, 'TF106', `step returns an array; it returns one ${output.name} record or undefined`, 'declare outputs: N (N > 1) to return up to N records per input, or keep the vector in state and emit its elements on later inputs');
      const d = x.env.get(x.val.home);
      if (!d || d.k !== 'vdata') specs.fail(x.at ?? fn, 'TF119', 'the returned array is not reachable here');
      recs = d.elems;
      if (recs.length > outputs) specs.fail(x.at ?? fn, 'TF106', `step returns ${recs.length} records; the unit declares outputs: ${outputs}`, `declare outputs: ${recs.length}, or return fewer`);
    }
    for (const r of recs) {
      if (r.k !== 'record') specs.fail(x.at ?? fn, 'TF108', `step returns a ${r.k}; it must return ${outputs > 1 ? `up to ${outputs} ${output.name} records` : `a ${output.name} record`} or undefined`);
      const missing = output.fields.filter((f) => !r.fields.has(f.name)).map((f) => f.name);
      const extra = [...r.fields.keys()].filter((h) => !output.fields.some((f) => f.name === h));
      if (missing.length || extra.length) {
        specs.fail(x.at ?? fn, 'TF108', `the returned ${output.name} record ${missing.length ? `lacks ${missing.join(', ')}` : ''}${missing.length && extra.length ? ' and ' : ''}${extra.length ? `has unknown ${extra.join(', ')}` : ''}`);
      }
    }
    returned.push({ x, recs: recs as Array<Extract<Val, { k: 'record' }>> });
  }
  const slots: OutputSlot[] = [];
  for (let k = 0; k < outputs; k++) {
    const mine = returned.filter((r) => r.recs.length > k);
    let valid: NodeId = g.const(0n, stepLoc);
    for (const r of mine) valid = g.or2(valid, r.x.pc, stepLoc);
    const fields = new Map<string, NodeId>();
    for (const f of output.fields) {
      let v: NodeId | undefined;
      for (let j = mine.length - 1; j >= 0; j--) {
        const { x, recs } = mine[j];
        const rv = recs[k];
        const fv = lw.fit(rv.fields.get(f.name)!, f.spec, rv.at?.get(f.name) ?? x.at ?? fn, `${output.name}.${f.name}`, x.facts) as { n: NodeId };
        v = v === undefined ? fv.n : g.mux(x.pc, fv.n, v, stepLoc);
      }
      fields.set(f.name, v ?? g.const(0n, stepLoc));
    }
    slots.push({ valid, fields });
  }
  const [{ valid: outValid, fields: outFields }, ...moreOutputs] = slots;

  const regNext = new Map<string, NodeId>();
  for (const r of regs) {
    let v: NodeId | undefined;
    for (let j = exits.length - 1; j >= 0; j--) {
      const n = lw.stateLeaf(exits[j].env, r.name);
      v = v === undefined ? n : g.mux(exits[j].pc, n, v, stepLoc);
    }
    regNext.set(r.name, v!);
  }

  const properties = readProperties(get('properties'), output, params, specs, root);
  return { name, file: path.relative(root, abs), input, inputs: merged, output, flow, packet, params, regs, tables, nodes: g.nodes, outValid, outFields, moreOutputs, regNext, tableWrites: lw.writes, ...(properties.length ? { properties } : {}) };
}

/** The design file and the design files it imports, transitively (not tickforge's DSL, not packages). */
function designSources(sf: import('ts-morph').SourceFile): Array<import('ts-morph').SourceFile> {
  const seen = new Set([sf]);
  const todo = [sf];
  while (todo.length) {
    const x = todo.pop()!;
    for (const d of [...x.getImportDeclarations(), ...x.getExportDeclarations()]) {
      const dep = d.getModuleSpecifierSourceFile();
      if (dep && !seen.has(dep) && isDesignSource(dep)) seen.add(dep), todo.push(dep);
    }
  }
  return [...seen];
}

function findUnit(sf: import('ts-morph').SourceFile, specs: SpecReader): ObjectLiteralExpression {
  const sym = sf.getDefaultExportSymbol();
  const decl = sym?.getDeclarations()[0];
  let e: Expression | undefined = decl && Node.isExportAssignment(decl) ? decl.getExpression() : undefined;
  if (e) e = specs.resolveConst(e);
  if (!e || !Node.isCallExpression(e) || specs.dslName(e.getExpression()) !== 'unit') {
    throw new CompileError([{ code: 'TF010', loc: { file: path.relative(process.cwd(), sf.getFilePath()), line: 1, col: 1 }, message: 'the design file must `export default unit({ ... })`' }]);
  }
  const arg = e.getArguments()[0];
  if (!arg || !Node.isObjectLiteralExpression(arg)) specs.fail(e, 'TF011', 'unit() takes an object literal');
  return arg;
}

function objProps(e: Expression | undefined, specs: SpecReader): Array<[string, Expression]> {
  if (!e) return [];
  if (!Node.isObjectLiteralExpression(e)) specs.fail(e, 'TF011', 'expected an object literal');
  return specs.props(e);
}

function callOf(e: Expression, fn: string, specs: SpecReader): Expression[] {
  const c = specs.resolveConst(e);
  if (!Node.isCallExpression(c) || specs.dslName(c.getExpression()) !== fn) specs.fail(e, 'TF011', `expected ${fn}(...)`);
  return c.getArguments() as Expression[];
}

function docOf(e: Expression | undefined, specs: SpecReader): string | undefined {
  if (!e) return undefined;
  const v = specs.constValue(e);
  return typeof v === 'string' ? v : undefined;
}

/** The unit's `flow` and `packet` declarations (dsl/packet.ts), checked as the model checks them. */
function outputFlow(flowExpr: Expression | undefined, packetExpr: Expression | undefined, output: RecordSpec, def: Node, specs: SpecReader): { flow: UnitIR['flow']; packet: PacketIR | null } {
  let flow: UnitIR['flow'] = 'ready';
  if (flowExpr) {
    const v = specs.constValue(flowExpr);
    if (v !== 'ready' && v !== 'strobe') specs.fail(flowExpr, 'TF122', `flow must be 'ready' or 'strobe'`);
    flow = v;
  }
  if (!packetExpr) return { flow, packet: null };
  if (!Node.isObjectLiteralExpression(packetExpr)) specs.fail(packetExpr, 'TF122', 'packet is an object literal: { beatBytes: 8, length: "<field>" }');
  const o = new Map(specs.props(packetExpr));
  const beatBytes = specs.constValue(o.get('beatBytes') ?? specs.fail(packetExpr, 'TF122', 'packet needs beatBytes'));
  const length = specs.constValue(o.get('length') ?? specs.fail(packetExpr, 'TF122', 'packet needs length: the name of the length field'));
  if (typeof beatBytes !== 'number' || typeof length !== 'string') specs.fail(packetExpr, 'TF122', 'packet: beatBytes is a number and length a field name');
  const why = packetProblem(output, { beatBytes, length });
  if (why) specs.fail(packetExpr, 'TF122', `packet: ${why}`, 'declare the payload fields first, whole bytes, then the length in bytes as the last field');
  if (flow === 'strobe') specs.fail(flowExpr ?? def, 'TF122', "a packet output needs TREADY: flow 'strobe' cannot hold the input while beats go out");
  const spec = { beatBytes: beatBytes as PacketSpec['beatBytes'], length };
  return { flow, packet: { beatBytes, length, capacity: packetCapacity(output, spec), beat: beatRecord(beatBytes) } };
}

/** A method or function-valued property of an object literal (the step, a handler). */
function functionOf(p: Node | undefined): FnDecl | undefined {
  if (p && Node.isMethodDeclaration(p)) return p;
  if (p && Node.isPropertyAssignment(p)) {
    const init = p.getInitializer();
    if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return init;
  }
  return undefined;
}

/** `inputs: { name: Record, ... }`: the ports and the merged event record (dsl/inputs.ts, the model's own layout). */
function readInputs(unitName: string, e: Expression, single: Expression | undefined, specs: SpecReader): MergedInput {
  if (single) specs.fail(single, 'TF011', 'a unit declares input (one) or inputs (several), not both');
  const ports = objProps(e, specs).map(([k, v]) => [k, specs.record(v)] as const);
  const why = inputsProblem(ports);
  if (why) specs.fail(e, 'TF011', why);
  return mergedInput(unitName, ports);
}

/** `on: { name(rec, ctx) { ... } }`: one handler per declared input, in the inputs' order. */
function readHandlers(def: ObjectLiteralExpression, m: MergedInput, specs: SpecReader): FnDecl[] {
  if (def.getProperty('step')) specs.fail(def.getProperty('step')!, 'TF011', 'a unit with several inputs has one handler per input in on: { ... }, not a step');
  const onProp = def.getProperty('on');
  let on = onProp && Node.isPropertyAssignment(onProp) ? onProp.getInitializer() : undefined;
  while (on && (Node.isAsExpression(on) || Node.isParenthesizedExpression(on) || Node.isSatisfiesExpression(on))) on = on.getExpression();
  if (!on || !Node.isObjectLiteralExpression(on)) return specs.fail(onProp ?? def, 'TF011', `a unit with inputs needs on: { ${m.ports.map((p) => `${p.name}(rec, ctx) { ... }`).join(', ')} }`);
  for (const p of on.getProperties()) {
    const n = Node.isMethodDeclaration(p) || Node.isPropertyAssignment(p) ? p.getName() : p.getText();
    if (!m.ports.some((x) => x.name === n)) specs.fail(p, 'TF011', `on.${n} handles no declared input (inputs: ${m.ports.map((x) => x.name).join(', ')})`);
  }
  return m.ports.map((p) => functionOf(on.getProperty(p.name)) ?? specs.fail(on, 'TF011', `on.${p.name}(rec, ctx) { ... } is missing: every input needs its handler`));
}

/** `outputs: N`: the most records one input may produce (dsl/unit.ts). */
function outputCount(e: Expression | undefined, flow: UnitIR['flow'], packet: PacketIR | null, specs: SpecReader): number {
  if (!e) return 1;
  const n = specs.int(e);
  if (n < 1 || n > MAX_OUTPUTS) specs.fail(e, 'TF122', `outputs must be an integer in 1..${MAX_OUTPUTS}`);
  if (n > 1 && flow === 'strobe') specs.fail(e, 'TF122', "several outputs per input need TREADY: flow 'strobe' cannot hold the input while they go out");
  if (n > 1 && packet) specs.fail(e, 'TF122', 'a packet output sends one packet per input; outputs must be 1');
  return n;
}

/** A set-associative table's ways (`ways: N` > 1 in its declaration), or null for a direct-mapped one. */
function assocOf(name: string, o: Map<string, Expression>, arg: Node, key: ScalarSpec, value: ScalarSpec, capacity: number, memory: MemoryKind | undefined, specs: SpecReader): AssocIR | null {
  const waysExpr = o.get('ways');
  const hashExpr = o.get('hash');
  const ways = waysExpr ? specs.int(waysExpr) : 1;
  if (ways < 1 || ways > MAX_WAYS || (ways & (ways - 1)) !== 0 || ways >= capacity) specs.fail(waysExpr ?? arg, 'TF011', `table ways must be a power of two in 1..${MAX_WAYS}, below the capacity`);
  const hash = hashExpr ? specs.constValue(hashExpr) : 'low';
  if (!TABLE_HASHES.includes(hash as TableHash)) specs.fail(hashExpr ?? arg, 'TF011', `table hash must be one of ${TABLE_HASHES.map((h) => `'${h}'`).join(', ')}`);
  if (hashExpr && ways === 1) specs.fail(hashExpr, 'TF011', 'a table hash is declared for set-associative tables (ways > 1)');
  const policyExpr = o.get('policy');
  const policy = policyExpr ? specs.constValue(policyExpr) : 'refuse';
  if (!TABLE_POLICIES.includes(policy as TablePolicy)) specs.fail(policyExpr ?? arg, 'TF011', `table policy must be one of ${TABLE_POLICIES.map((h) => `'${h}'`).join(', ')}`);
  if (policyExpr && ways === 1) specs.fail(policyExpr, 'TF011', "a replacement policy is declared for set-associative tables (ways > 1); a direct-mapped replace() evicts the one slot");
  if (ways === 1) return null;
  const sets = capacity / ways;
  const setBits = Math.log2(sets);
  const way = (i: number): TableIR => ({ name: `${name}_w${i}`, key, value, capacity: sets, ...(memory ? { memory } : {}) });
  // 'roundRobin': the per-set victim pointers, a direct-mapped table keyed by the set index (so it has no tag; log2 N
  // + 1 bits a set). It has as many slots as a way, so it is built in the ways' kind of memory, declared or chosen.
  const victim: TableIR | undefined =
    policy === 'roundRobin'
      ? { name: `${name}_victim`, key: { kind: 'uint', width: setBits }, value: { kind: 'uint', width: Math.log2(ways) }, capacity: sets, ...(memory ? { memory } : {}) }
      : undefined;
  return { name, ways: Array.from({ length: ways }, (_, i) => way(i)), hash: hash as TableHash, setBits, keyWidth: key.width, ...(victim ? { victim } : {}) };
}
