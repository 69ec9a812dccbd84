// Properties (dsl/property.ts): `properties: { name: ({ out, params }) => boolean }` in a unit, read into a small
// expression tree with an exact integer range on every node, so a back end can evaluate it at a width where
// nothing wraps (sim/formal emits it as a Verilog assertion). The model runs the same function as JavaScript, so
// anything whose JavaScript value could differ from the exact one (a `number` product past 2^53) is rejected here.
import { Node, type Expression } from 'ts-morph';
import type { ScalarSpec } from '../../dsl/types.ts';
import { specRange } from '../../dsl/types.ts';
import type { RecordSpec } from '../../dsl/record.ts';
import type { ParamIR } from '../ir.ts';
import type { Loc } from '../diagnostics.ts';
import { type SpecReader, locOf } from './specs.ts';

/** A property expression; `lo..hi` is the exact range of its value (0..1 for booleans). */
export type PropExpr =
  | { readonly k: 'out'; readonly field: string; readonly spec: ScalarSpec; readonly lo: bigint; readonly hi: bigint }
  | { readonly k: 'param'; readonly name: string; readonly spec: ScalarSpec; readonly lo: bigint; readonly hi: bigint }
  | { readonly k: 'const'; readonly lo: bigint; readonly hi: bigint }
  | { readonly k: 'not'; readonly a: PropExpr; readonly lo: bigint; readonly hi: bigint }
  | { readonly k: 'bin'; readonly op: PropOp; readonly a: PropExpr; readonly b: PropExpr; readonly lo: bigint; readonly hi: bigint }
  | { readonly k: 'cond'; readonly c: PropExpr; readonly a: PropExpr; readonly b: PropExpr; readonly lo: bigint; readonly hi: bigint };
export type PropOp = '&&' | '||' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '+' | '-' | '*';

export interface PropertyIR {
  readonly name: string;
  readonly loc: Loc;
  /** The property's source text, for reports. */
  readonly text: string;
  readonly expr: PropExpr;
}

const BOOL_OPS = new Set(['&&', '||', '<', '<=', '>', '>=', '===', '!==']);
const ARITH_OPS = new Set(['+', '-', '*']);
const MAX_SAFE = (1n << 53n) - 1n;

interface Ctx {
  readonly specs: SpecReader;
  readonly root: string;
  readonly output: RecordSpec;
  readonly params: readonly ParamIR[];
  /** Names bound by the arrow function's parameter: `out`, `params` (or the whole view). */
  readonly outName: string;
  readonly paramsName: string;
  readonly viewName: string | undefined;
}

/** Reads `properties: { ... }` of a unit; [] when there is none. Throws CompileError (TF109, TF102) on misuse. */
export function readProperties(e: Expression | undefined, output: RecordSpec, params: readonly ParamIR[], specs: SpecReader, root: string): PropertyIR[] {
  if (!e) return [];
  if (!Node.isObjectLiteralExpression(e)) specs.fail(e, 'TF011', 'properties: expected an object literal of ({ out, params }) => boolean');
  const out: PropertyIR[] = [];
  for (const [name, v] of specs.props(e)) {
    const fn = Node.isArrowFunction(v) || Node.isFunctionExpression(v) ? v : undefined;
    if (!fn) specs.fail(v, 'TF109', `property ${name}: expected an arrow function ({ out, params }) => boolean`);
    const [p0] = fn.getParameters();
    if (!p0) specs.fail(fn, 'TF109', `property ${name}: the function takes ({ out, params })`);
    let outName = 'out';
    let paramsName = 'params';
    let viewName: string | undefined;
    const bind = p0.getNameNode();
    if (Node.isObjectBindingPattern(bind)) {
      for (const el of bind.getElements()) {
        const prop = el.getPropertyNameNode()?.getText() ?? el.getName();
        if (prop === 'out') outName = el.getName();
        else if (prop === 'params') paramsName = el.getName();
        else specs.fail(el, 'TF109', `property ${name}: a property sees only out and params`);
      }
    } else viewName = bind.getText();
    const body = fn.getBody();
    let ret: Expression | undefined;
    if (Node.isBlock(body)) {
      const stmts = body.getStatements();
      const only = stmts.length === 1 ? stmts[0] : undefined;
      if (only && Node.isReturnStatement(only)) ret = only.getExpression();
      if (!ret) specs.fail(body, 'TF109', `property ${name}: the body must be one expression (or one return statement)`);
    } else ret = body as Expression;
    const ctx: Ctx = { specs, root, output, params, outName, paramsName, viewName };
    const expr = read(ret!, ctx);
    if (expr.lo < 0n || expr.hi > 1n) specs.fail(ret!, 'TF109', `property ${name}: must be a boolean`);
    out.push({ name, loc: locOf(fn, root), text: ret!.getText().replace(/\s+/g, ' '), expr });
  }
  return out;
}

function read(e: Expression, c: Ctx): PropExpr {
  const { specs } = c;
  if (Node.isParenthesizedExpression(e) || Node.isAsExpression(e) || Node.isNonNullExpression(e)) return read(e.getExpression(), c);
  if (Node.isTrueLiteral(e)) return { k: 'const', lo: 1n, hi: 1n };
  if (Node.isFalseLiteral(e)) return { k: 'const', lo: 0n, hi: 0n };
  if (Node.isNumericLiteral(e) || Node.isBigIntLiteral(e)) {
    const v = BigInt(e.getText().replace(/_/g, '').replace(/n$/, ''));
    return { k: 'const', lo: v, hi: v };
  }
  if (Node.isStringLiteral(e) && e.getLiteralValue().length === 1) {
    const v = BigInt(e.getLiteralValue().charCodeAt(0));
    return { k: 'const', lo: v, hi: v };
  }
  if (Node.isPrefixUnaryExpression(e)) {
    const op = e.getOperatorToken();
    const a = read(e.getOperand(), c);
    if (op === 54 /* ! */) return { k: 'not', a, lo: 0n, hi: 1n };
    if (op === 41 /* - */) return { k: 'bin', op: '-', a: { k: 'const', lo: 0n, hi: 0n }, b: a, lo: -a.hi, hi: -a.lo };
  }
  if (Node.isCallExpression(e)) {
    const callee = e.getExpression();
    const args = e.getArguments() as Expression[];
    const name = specs.dslName(callee);
    if (name === 'implies' && args.length === 2) {
      const a = read(args[0], c);
      const b = read(args[1], c);
      return { k: 'bin', op: '||', a: { k: 'not', a, lo: 0n, hi: 1n }, b, lo: 0n, hi: 1n };
    }
    if (Node.isIdentifier(callee) && callee.getText() === 'BigInt' && args.length === 1) return read(args[0], c);
  }
  if (Node.isPropertyAccessExpression(e)) {
    const obj = e.getExpression();
    const field = e.getName();
    let base = obj.getText();
    if (c.viewName && Node.isPropertyAccessExpression(obj) && obj.getExpression().getText() === c.viewName) base = obj.getName() === 'out' ? c.outName : obj.getName() === 'params' ? c.paramsName : base;
    if (Node.isIdentifier(obj) || c.viewName) {
      if (base === c.outName) {
        const f = c.output.fields.find((x) => x.name === field);
        if (f) return leaf('out', field, f.spec);
      }
      if (base === c.paramsName) {
        const p = c.params.find((x) => x.name === field);
        if (p) return leaf('param', field, p.spec);
      }
    }
  }
  if (Node.isConditionalExpression(e)) {
    const cc = read(e.getCondition(), c);
    const a = read(e.getWhenTrue(), c);
    const b = read(e.getWhenFalse(), c);
    return { k: 'cond', c: cc, a, b, lo: a.lo < b.lo ? a.lo : b.lo, hi: a.hi > b.hi ? a.hi : b.hi };
  }
  if (Node.isBinaryExpression(e)) {
    const tok = e.getOperatorToken().getText();
    if (tok === '==' || tok === '!=') specs.fail(e, 'TF113', `loose equality ${tok} in a property`, `write ${tok}= instead`);
    const a = read(e.getLeft(), c);
    const b = read(e.getRight(), c);
    if (BOOL_OPS.has(tok)) {
      const op = (tok === '===' ? '==' : tok === '!==' ? '!=' : tok) as PropOp;
      return { k: 'bin', op, a, b, lo: 0n, hi: 1n };
    }
    if (ARITH_OPS.has(tok)) {
      const cands = tok === '+' ? [a.lo + b.lo, a.hi + b.hi] : tok === '-' ? [a.lo - b.hi, a.hi - b.lo] : [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
      const lo = cands.reduce((x, y) => (y < x ? y : x));
      const hi = cands.reduce((x, y) => (y > x ? y : x));
      // The model computes in JavaScript: a `number` result past 2^53 would be rounded there, so demand BigInt.
      const isBig = e.getType().getText() === 'bigint';
      if (!isBig && (hi > MAX_SAFE || lo < -MAX_SAFE)) {
        specs.fail(e, 'TF102', `${e.getText()} may exceed 2^53 in the model's JavaScript number`, 'convert the operands with BigInt(...)');
      }
      return { k: 'bin', op: tok as PropOp, a, b, lo, hi };
    }
  }
  return specs.fail(e, 'TF109', `${e.getText()}: not supported in a property`, 'a property uses out.<field>, params.<name>, literals, ! && || ?:, comparisons, + - *, BigInt(...) and implies(a, b)');
}

function leaf(k: 'out' | 'param', name: string, spec: ScalarSpec): PropExpr {
  const [lo, hi] = specRange(spec);
  return k === 'out' ? { k, field: name, spec, lo, hi } : { k, name, spec, lo, hi };
}
