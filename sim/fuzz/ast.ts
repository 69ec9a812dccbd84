// The fuzzer's program representation: a small AST of the DSL subset the generator writes, rendered to a design
// file. The generator (gen.ts) builds it with value ranges in hand so every program compiles; the minimizer
// (minimize.ts) edits it (drops outputs, fields, statements, subexpressions) and re-renders.

/** JavaScript representation of a value: number, bigint, boolean, one-character string. */
export type Kind = 'num' | 'big' | 'bool' | 'char';

export interface IntType {
  signed: boolean;
  width: number;
}
export type FieldType = ({ t: 'int' } & IntType) | { t: 'bool' } | { t: 'char' };

export type Expr =
  | { e: 'lit'; kind: Kind; v: bigint | boolean | string }
  /** A name: `o.f`, `p.f`, `s.f`, `now`, a local, a loop index, a helper parameter, a module const. */
  | { e: 'var'; kind: Kind; text: string; konst?: boolean }
  | { e: 'bin'; kind: Kind; op: string; a: Expr; b: Expr }
  | { e: 'cmp'; kind: 'bool'; op: string; a: Expr; b: Expr }
  | { e: 'logic'; kind: 'bool'; op: '&&' | '||'; a: Expr; b: Expr }
  | { e: 'un'; kind: Kind; op: '-' | '~' | '!'; a: Expr }
  | { e: 'tern'; kind: Kind; c: Expr; a: Expr; b: Expr }
  /** wrap/sat (with `ty`), bits/bitsBig/bit, div/mod/min/max, Math.min/Math.max, BigInt, Number,
   *  String.fromCharCode, a helper, or a table method (`fn` is `tb.<table>.<method>`). */
  | { e: 'call'; kind: Kind; fn: string; args: Expr[]; ty?: IntType };

export type Stmt =
  | { s: 'decl'; mut: boolean; name: string; init: Expr }
  | { s: 'assign'; target: string; value: Expr }
  | { s: 'if'; c: Expr; then: Stmt[]; else: Stmt[] | null }
  | { s: 'for'; v: string; from: number; to: Expr; body: Stmt[] }
  /** `return { ...fields }`, or `return undefined` when fields is null. */
  | { s: 'return'; fields: Array<[string, Expr]> | null }
  | { s: 'expr'; x: Expr }
  /** A helper's `return value;`. */
  | { s: 'ret'; x: Expr };

export interface Field {
  name: string;
  ty: FieldType;
  /** Seeds this field's own stimulus stream, so dropping other fields leaves its values unchanged. */
  salt: number;
}
export interface Param {
  name: string;
  ty: IntType;
  init: bigint;
}
export interface Reg {
  name: string;
  ty: IntType;
  init: bigint;
  status: boolean;
}
export interface TableDecl {
  name: string;
  keyWidth: number;
  value: IntType;
  capacity: number;
}
export interface Helper {
  name: string;
  params: Array<{ name: string; ty: IntType }>;
  ret: IntType;
  /** Block body ending in a return; or, for an arrow helper, a single `return` statement rendered as `=> expr`. */
  body: Stmt[];
  arrow: boolean;
}

export interface Program {
  seed: number;
  name: string;
  consts: Array<{ name: string; value: number }>;
  inputs: Field[];
  outputs: Field[];
  params: Param[];
  regs: Reg[];
  table: TableDecl | null;
  helper: Helper | null;
  body: Stmt[];
  /** Output flow (docs/semantics.md §10): 'strobe', or a packet whose length is the output `rlen` (kept last). */
  flow?: 'strobe';
  packet?: { beatBytes: number };
}

/** Total width of record fields, in bits. */
export function fieldBits(fs: Field[]): number {
  return fs.reduce((n, f) => n + (f.ty.t === 'bool' ? 1 : f.ty.t === 'char' ? 8 : f.ty.width), 0);
}

/** The packet length field of a program with a packet output. */
export const PACKET_LENGTH = 'rlen';

/** Padding bits a packet program's payload (the outputs before `rlen`) needs to fill whole bytes (8 if empty). */
export function packetPad(p: Program): number {
  const bits = fieldBits(p.outputs.filter((f) => f.name !== PACKET_LENGTH));
  return bits === 0 ? 8 : (8 - (bits % 8)) % 8;
}

/** Extra text of every record literal `return` renders (a packet's padding field): set while a program renders. */
let returnExtra = '';

export const isBig = (t: IntType) => t.width > 53;
export const kindOfType = (t: FieldType): Kind => (t.t === 'bool' ? 'bool' : t.t === 'char' ? 'char' : isBig(t) ? 'big' : 'num');
export const typeRange = (t: IntType): [bigint, bigint] =>
  t.signed ? [-(1n << BigInt(t.width - 1)), (1n << BigInt(t.width - 1)) - 1n] : [0n, (1n << BigInt(t.width)) - 1n];
export const typeText = (t: IntType) => `${t.signed ? 'i' : 'u'}(${t.width})`;
export const fieldTypeText = (t: FieldType) => (t.t === 'bool' ? 'bool()' : t.t === 'char' ? 'char()' : typeText(t));

// ---- rendering -----------------------------------------------------------------------------------------------

export function renderLit(kind: Kind, v: bigint | boolean | string): string {
  if (kind === 'bool') return String(v);
  if (kind === 'char') return JSON.stringify(v).replace(/^"|"$/g, "'");
  const x = v as bigint;
  const s = kind === 'big' ? `${x}n` : `${x}`;
  return x < 0n ? `(${s})` : s;
}

export function renderExpr(x: Expr): string {
  switch (x.e) {
    case 'lit':
      return renderLit(x.kind, x.v);
    case 'var':
      return x.text;
    case 'bin':
    case 'cmp':
    case 'logic':
      return `(${renderExpr(x.a)} ${x.op} ${renderExpr(x.b)})`;
    case 'un':
      return `(${x.op}${renderExpr(x.a)})`;
    case 'tern':
      return `(${renderExpr(x.c)} ? ${renderExpr(x.a)} : ${renderExpr(x.b)})`;
    case 'call': {
      const args = x.args.map(renderExpr);
      if (x.ty) args.push(typeText(x.ty));
      return `${x.fn}(${args.join(', ')})`;
    }
  }
}

function renderStmts(ss: Stmt[], ind: string, out: string[]): void {
  for (const s of ss) renderStmt(s, ind, out);
}

function renderStmt(s: Stmt, ind: string, out: string[]): void {
  switch (s.s) {
    case 'decl':
      out.push(`${ind}${s.mut ? 'let' : 'const'} ${s.name} = ${renderExpr(s.init)};`);
      return;
    case 'assign':
      out.push(`${ind}${s.target} = ${renderExpr(s.value)};`);
      return;
    case 'expr':
      out.push(`${ind}${renderExpr(s.x)};`);
      return;
    case 'ret':
      out.push(`${ind}return ${renderExpr(s.x)};`);
      return;
    case 'return':
      if (!s.fields) out.push(`${ind}return undefined;`);
      else out.push(`${ind}return { ${s.fields.map(([k, v]) => `${k}: ${renderExpr(v)}`).join(', ')}${returnExtra} };`);
      return;
    case 'if':
      out.push(`${ind}if (${renderExpr(s.c)}) {`);
      renderStmts(s.then, ind + '  ', out);
      if (s.else && s.else.length) {
        out.push(`${ind}} else {`);
        renderStmts(s.else, ind + '  ', out);
      }
      out.push(`${ind}}`);
      return;
    case 'for':
      out.push(`${ind}for (let ${s.v} = ${s.from}; ${s.v} < ${renderExpr(s.to)}; ${s.v}++) {`);
      renderStmts(s.body, ind + '  ', out);
      out.push(`${ind}}`);
      return;
  }
}

const HOST = `
// ---- host-side stimulus (never compiled): edge-heavy values, each field from its own stream ----

function fzEdge(r: Rng, width: number, signed: boolean): bigint {
  const w = BigInt(width);
  const min = signed ? -(1n << (w - 1n)) : 0n;
  const max = signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  let v: bigint;
  const k = r.below(12);
  if (k === 0) v = 0n;
  else if (k === 1) v = 1n;
  else if (k === 2) v = max;
  else if (k === 3) v = min;
  else if (k === 4) v = -1n;
  else if (k === 5) v = 1n << (w - 1n);
  else if (k === 6) v = (1n << (w - 1n)) - 1n;
  else if (k === 7) v = BigInt(r.below(16)) - (signed ? 8n : 0n);
  else if (k === 8) v = max - BigInt(r.below(4));
  else if (k === 9) v = (1n << BigInt(r.below(width))) - BigInt(r.below(2));
  else v = r.bits(width);
  return signed ? BigInt.asIntN(width, v) : BigInt.asUintN(width, v);
}

function fzStream(base: number, salt: number): Rng {
  // One record in four draws from a small pool shared across records, so equal values (and table hits) recur.
  return base % 4 === 0 ? new Rng(salt * 8 + ((base >>> 2) % 3)) : new Rng(BigInt(base) * 65536n + BigInt(salt));
}

function fzInt(base: number, salt: number, width: number, signed: boolean): number {
  return Number(fzEdge(fzStream(base, salt), width, signed));
}
function fzBig(base: number, salt: number, width: number, signed: boolean): bigint {
  return fzEdge(fzStream(base, salt), width, signed);
}
function fzBool(base: number, salt: number): boolean {
  return fzStream(base, salt).chance(0.5);
}
function fzChar(base: number, salt: number): string {
  const r = fzStream(base, salt);
  const k = r.below(5);
  return String.fromCharCode(k === 0 ? 0 : k === 1 ? 127 : k === 2 ? 65 : r.below(128));
}
`;

export function renderProgram(p: Program): string {
  const L: string[] = [];
  const uses = new Set(['record', 'unit', 'u', 'i', 'wrap', 'sat', 'bits', 'bitsBig', 'bit', 'div', 'mod', 'min', 'max', 'Rng']);
  if (p.params.length) uses.add('param');
  if (p.regs.length) uses.add('reg');
  if (p.table) uses.add('table');
  const all = [...p.inputs, ...p.outputs];
  if (all.some((f) => f.ty.t === 'bool')) uses.add('bool');
  if (all.some((f) => f.ty.t === 'char')) uses.add('char');
  L.push(`// Generated by \`tickforge fuzz\` (seed ${p.seed}); docs/fuzz.md.`);
  L.push(`import { ${[...uses].join(', ')}, type RecordValue } from 'tickforge/dsl';`, '');
  for (const c of p.consts) L.push(`const ${c.name} = ${c.value};`);
  if (p.consts.length) L.push('');
  const rec = (name: string, fs: Field[]) => `export const ${name} = record('${name}', { ${fs.map((f) => `${f.name}: ${fieldTypeText(f.ty)}`).join(', ')} });`;
  let outFields = p.outputs;
  returnExtra = '';
  if (p.packet) {
    // The payload (every output but the length) padded to whole bytes, then the length: the layout a packet needs.
    const pad = packetPad(p);
    const len = p.outputs.filter((f) => f.name === PACKET_LENGTH);
    outFields = [...p.outputs.filter((f) => f.name !== PACKET_LENGTH), ...(pad ? [{ name: 'rpad', ty: { t: 'int' as const, signed: false, width: pad }, salt: 0 }] : []), ...len];
    if (pad) returnExtra = ', rpad: 0';
  }
  L.push(rec('In', p.inputs), rec('Out', outFields), '');
  if (p.helper) {
    const h = p.helper;
    const ts = (t: IntType) => (isBig(t) ? 'bigint' : 'number');
    const sig = h.params.map((q) => `${q.name}: ${ts(q.ty)}`).join(', ');
    const only = h.body[0];
    if (h.arrow && h.body.length === 1 && only.s === 'ret') {
      L.push(`const ${h.name} = (${sig}): ${ts(h.ret)} => ${renderExpr(only.x)};`, '');
    } else {
      L.push(`function ${h.name}(${sig}): ${ts(h.ret)} {`);
      renderStmts(h.body, '  ', L);
      L.push('}', '');
    }
  }
  L.push('export default unit({');
  L.push(`  name: '${p.name}',`, '  input: In,', '  output: Out,');
  if (p.flow) L.push(`  flow: '${p.flow}',`);
  if (p.packet) L.push(`  packet: { beatBytes: ${p.packet.beatBytes}, length: '${PACKET_LENGTH}' },`);
  if (p.params.length) {
    L.push('  params: {');
    for (const q of p.params) L.push(`    ${q.name}: param(${typeText(q.ty)}, ${renderLit(isBig(q.ty) ? 'big' : 'num', q.init).replace(/^\((.*)\)$/, '$1')}),`);
    L.push('  },');
  }
  if (p.regs.length) {
    L.push('  state: {');
    for (const r of p.regs) {
      const init = renderLit(isBig(r.ty) ? 'big' : 'num', r.init).replace(/^\((.*)\)$/, '$1');
      L.push(`    ${r.name}: reg(${typeText(r.ty)}, ${init}${r.status ? ', { status: true }' : ''}),`);
    }
    L.push('  },');
  }
  if (p.table) {
    const t = p.table;
    L.push(`  tables: { ${t.name}: table({ key: u(${t.keyWidth}), value: ${typeText(t.value)}, capacity: ${t.capacity} }) },`);
  }
  const ctx = [p.params.length ? 'params: p' : '', p.regs.length ? 'state: s' : '', p.table ? 'tables: tb' : '', 'now'].filter(Boolean);
  L.push(`  step(o, { ${ctx.join(', ')} }) {`);
  renderStmts(p.body, '    ', L);
  L.push('  },', '});');
  returnExtra = '';
  L.push(HOST);
  L.push('export function synthetic(rng: Rng, index: number): RecordValue<typeof In> {');
  L.push('  const b = (rng.u32() ^ Math.imul(index, 0x9e3779b1)) >>> 0;');
  const vals = p.inputs.map((f) => {
    const t = f.ty;
    const v = t.t === 'bool' ? `fzBool(b, ${f.salt})` : t.t === 'char' ? `fzChar(b, ${f.salt})` : `${isBig(t) ? 'fzBig' : 'fzInt'}(b, ${f.salt}, ${t.width}, ${t.signed})`;
    return `${f.name}: ${v}`;
  });
  L.push(`  return { ${vals.join(', ')} };`);
  L.push('}', '');
  return L.join('\n');
}

// ---- traversal helpers (minimizer, statistics) -----------------------------------------------------------------

export function children(x: Expr): Expr[] {
  switch (x.e) {
    case 'lit':
    case 'var':
      return [];
    case 'bin':
    case 'cmp':
    case 'logic':
      return [x.a, x.b];
    case 'un':
      return [x.a];
    case 'tern':
      return [x.c, x.a, x.b];
    case 'call':
      return x.args;
  }
}

export function countNodes(x: Expr): number {
  return 1 + children(x).reduce((n, c) => n + countNodes(c), 0);
}

/** Every expression root in a statement list (initializers, assigned values, conditions, returned fields). */
export function stmtRoots(ss: Stmt[], out: Expr[] = []): Expr[] {
  for (const s of ss) {
    switch (s.s) {
      case 'decl':
        out.push(s.init);
        break;
      case 'assign':
        out.push(s.value);
        break;
      case 'expr':
      case 'ret':
        out.push(s.x);
        break;
      case 'return':
        if (s.fields) for (const [, v] of s.fields) out.push(v);
        break;
      case 'if':
        out.push(s.c);
        stmtRoots(s.then, out);
        if (s.else) stmtRoots(s.else, out);
        break;
      case 'for':
        stmtRoots(s.body, out);
        break;
    }
  }
  return out;
}

export function programRoots(p: Program): Expr[] {
  return [...stmtRoots(p.body), ...(p.helper ? stmtRoots(p.helper.body) : [])];
}

export function clone<T>(x: T): T {
  return structuredClone(x);
}
