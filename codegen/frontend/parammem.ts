// Host-written memories in the front end (dsl/parammem.ts). A `paramMem(T, N, [...])` declared in `params` becomes
// a TableIR with `host` set: a read-only table from the unit's side, keyed by the index (u(log2 N), so no tag),
// never written by step. `params.m[i]` is one memory read (a `tread` of its value), scheduled and built like a
// table read in block RAM; the host's write port, the two banks and the bank switch are the back ends' (rtl/hostmem.ts,
// hls/emit.ts) and the register map's (regmap/map.ts `memories`).
import { Node, SyntaxKind, type Expression } from 'ts-morph';
import type { ScalarSpec } from '../../dsl/types.ts';
import { specRange, u } from '../../dsl/types.ts';
import { MAX_PARAM_MEM, MAX_PARAM_MEM_WIDTH } from '../../dsl/parammem.ts';
import type { TableIR } from '../ir.ts';
import type { SpecReader } from './specs.ts';

/** The host memory of `name: paramMem(spec, length, init?, doc?)` (call arguments `args`). */
export function memTable(name: string, args: Expression[], specs: SpecReader, initValue: (e: Expression | undefined, spec: ScalarSpec) => bigint, docOf: (e: Expression | undefined) => string | undefined): TableIR {
  const spec = specs.spec(args[0] ?? specs.fail(args[0], 'TF011', 'paramMem(type, length, init?, doc?)'));
  const length = specs.int(args[1] ?? specs.fail(args[0], 'TF011', 'paramMem needs a length'));
  if (length < 2 || length > MAX_PARAM_MEM || (length & (length - 1)) !== 0) {
    specs.fail(args[1], 'TF011', `paramMem length must be a power of two in 2..${MAX_PARAM_MEM}, got ${length}`, length > MAX_PARAM_MEM ? 'split it over several memories (index bits choose one)' : `round it up to ${2 ** Math.ceil(Math.log2(Math.max(2, length)))} and mask the index`);
  }
  if (spec.width > MAX_PARAM_MEM_WIDTH) specs.fail(args[0], 'TF011', `paramMem values are at most ${MAX_PARAM_MEM_WIDTH} bits; this type has ${spec.width}`, 'split the value over two memories');
  let init: bigint[] = new Array(length).fill(0n);
  const initArg = args[2] && specs.resolveConst(args[2]);
  const gen = initArg && generatorOf(initArg, specs);
  if (gen) {
    if (gen.length !== length) specs.fail(args[2], 'TF011', `paramMem init has ${gen.length} values for ${length} entries`);
    const [lo, hi] = spec.kind === 'bool' || spec.kind === 'char' || spec.kind === 'enum' ? [0n, (1n << BigInt(spec.width)) - 1n] : specRange(spec);
    for (let i = 0; i < length; i++) {
      const v = gen.at(i);
      const x = typeof v === 'boolean' ? (v ? 1n : 0n) : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : typeof v === 'bigint' ? v : specs.fail(gen.body, 'TF011', `paramMem init: entry ${i} is not an integer constant (${String(v)})`);
      if (x < lo || x > hi) specs.fail(gen.body, 'TF108', `paramMem init: entry ${i} is ${x}, outside ${lo}..${hi}`);
      init[i] = x;
    }
  } else if (initArg && initArg.getText() !== 'undefined') {
    if (!Node.isArrayLiteralExpression(initArg)) specs.fail(args[2], 'TF011', 'paramMem init is an array literal of constants, Array.from({ length: N }, (_, i) => expression of i and constants), or omitted (all zero)');
    const els = initArg.getElements() as Expression[];
    if (els.length !== length) specs.fail(args[2], 'TF011', `paramMem init has ${els.length} values for ${length} entries`);
    init = els.map((e) => initValue(e, spec));
  }
  const doc = docOf(args[3]);
  return { name, key: u(Math.log2(length)), value: spec, capacity: length, memory: 'bram', host: { init, ...(doc ? { doc } : {}) } };
}

/**
 * `Array.from({ length: N }, (_, i) => body)`: contents computed from the index at compile time, as JavaScript computes
 * them (a default map: `(_, l) => (l >= 1 && l <= SYMBOLS ? l : 0)`). The body is constants, the index, arithmetic,
 * comparisons, `&&` `||` `!` and `?:`; the parts without the index are evaluated once.
 */
function generatorOf(e: Expression, specs: SpecReader): { length: number; body: Expression; at(i: number): unknown } | null {
  if (!Node.isCallExpression(e) || e.getExpression().getText() !== 'Array.from') return null;
  const [lenObj, fn] = e.getArguments();
  if (!lenObj || !fn || !Node.isObjectLiteralExpression(lenObj) || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return null;
  const lenProp = lenObj.getProperty('length');
  if (!lenProp || !Node.isPropertyAssignment(lenProp)) return null;
  const length = specs.int(lenProp.getInitializerOrThrow());
  const params = fn.getParameters();
  const index = params[1]?.getName();
  const body = fn.getBody();
  if (!Node.isExpression(body)) specs.fail(fn, 'TF011', 'paramMem init: the generator is an arrow function returning an expression');
  // Compiled once into closures (the parts without the index folded to constants), then run per entry.
  const uses = (n: Node): boolean => (Node.isIdentifier(n) && n.getText() === index) || n.getChildren().some(uses);
  type F = (i: number) => unknown;
  const build = (n: Node): F => {
    if (Node.isParenthesizedExpression(n)) return build(n.getExpression());
    if (Node.isIdentifier(n) && n.getText() === index) return (i) => i;
    if (!uses(n)) {
      const v = specs.constValue(n as Expression);
      return () => v;
    }
    if (Node.isConditionalExpression(n)) {
      const [c, t, f] = [build(n.getCondition()), build(n.getWhenTrue()), build(n.getWhenFalse())];
      return (i) => (c(i) ? t(i) : f(i));
    }
    if (Node.isPrefixUnaryExpression(n)) {
      const x = build(n.getOperand()) as (i: number) => number;
      if (n.getOperatorToken() === SyntaxKind.MinusToken) return (i) => -x(i);
      if (n.getOperatorToken() === SyntaxKind.ExclamationToken) return (i) => !x(i);
    }
    if (Node.isBinaryExpression(n)) {
      const a = build(n.getLeft()) as (i: number) => number;
      const b = build(n.getRight()) as (i: number) => number;
      switch (n.getOperatorToken().getKind()) {
        case SyntaxKind.AmpersandAmpersandToken: return (i) => a(i) && b(i);
        case SyntaxKind.BarBarToken: return (i) => a(i) || b(i);
        case SyntaxKind.PlusToken: return (i) => a(i) + b(i);
        case SyntaxKind.MinusToken: return (i) => a(i) - b(i);
        case SyntaxKind.AsteriskToken: return (i) => a(i) * b(i);
        case SyntaxKind.PercentToken: return (i) => a(i) % b(i);
        case SyntaxKind.LessThanLessThanToken: return (i) => a(i) << b(i);
        case SyntaxKind.GreaterThanGreaterThanToken: return (i) => a(i) >> b(i);
        case SyntaxKind.AmpersandToken: return (i) => a(i) & b(i);
        case SyntaxKind.BarToken: return (i) => a(i) | b(i);
        case SyntaxKind.CaretToken: return (i) => a(i) ^ b(i);
        case SyntaxKind.LessThanToken: return (i) => a(i) < b(i);
        case SyntaxKind.LessThanEqualsToken: return (i) => a(i) <= b(i);
        case SyntaxKind.GreaterThanToken: return (i) => a(i) > b(i);
        case SyntaxKind.GreaterThanEqualsToken: return (i) => a(i) >= b(i);
        case SyntaxKind.EqualsEqualsEqualsToken: return (i) => a(i) === b(i);
        case SyntaxKind.ExclamationEqualsEqualsToken: return (i) => a(i) !== b(i);
      }
    }
    return specs.fail(n as Expression, 'TF011', `paramMem init: ${n.getText()} is not a constant expression of the index`);
  };
  const ev = build(body);
  return { length, body: body as Expression, at: ev };
}
