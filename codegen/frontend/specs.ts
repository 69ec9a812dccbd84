// Static evaluation of the declarative parts of a design: type specs, records, params, state, tables.
// The compiler never executes the design file; it reads these forms from the syntax tree, so a layout the
// compiler sees is exactly the one the model builds at run time from the same calls.
import { Node, SyntaxKind, type Expression, type ObjectLiteralExpression, type Symbol as TsSymbol, type SourceFile } from 'ts-morph';
import { type ScalarSpec, type EnumSpec, u, i, ufixed, sfixed, bool, char, enumOf } from '../../dsl/types.ts';
import { type RecordSpec, record } from '../../dsl/record.ts';
import { CompileError, type Diagnostic, type Loc } from '../diagnostics.ts';
import { protocolValue, protocolFunction, type ProtocolEval } from './protocols.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DSL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dsl');

export function locOf(node: Node, root: string): Loc {
  const sf = node.getSourceFile();
  const { line, column } = sf.getLineAndColumnAtPos(node.getStart());
  return { file: path.relative(root, sf.getFilePath()) || sf.getBaseName(), line, col: column };
}

/** The declaration a symbol names, through imports: a record, const or helper may live in another design file. */
export function declOf(sym: TsSymbol | undefined): Node | undefined {
  if (!sym) return undefined;
  if (sym.isAlias()) sym = sym.getAliasedSymbol() ?? sym;
  return sym.getDeclarations()[0];
}

/** A file of the user's design sources (the unit's file and what it imports), not tickforge's DSL or a package. */
export function isDesignSource(sf: SourceFile): boolean {
  const file = path.resolve(sf.getFilePath());
  return !file.startsWith(DSL_DIR + path.sep) && !file.split(path.sep).includes('node_modules') && !sf.isDeclarationFile();
}

export class SpecReader {
  constructor(private readonly root: string) {}

  fail(node: Node, code: Diagnostic['code'], message: string, hint?: string): never {
    throw new CompileError([{ code, loc: locOf(node, this.root), message, hint }]);
  }

  /** The DSL export a call or identifier refers to (e.g. 'u', 'wrap'), or undefined for anything else. */
  dslName(expr: Node): string | undefined {
    if (!Node.isIdentifier(expr) && !Node.isPropertyAccessExpression(expr)) return undefined;
    let sym = expr.getSymbol();
    if (!sym) return undefined;
    if (sym.isAlias()) sym = sym.getAliasedSymbol() ?? sym;
    const decl = sym.getDeclarations()[0];
    if (!decl) return undefined;
    const file = decl.getSourceFile().getFilePath();
    if (!path.resolve(file).startsWith(DSL_DIR + path.sep)) return undefined;
    return sym.getName();
  }

  /** Follows an identifier to the initializer of its `const` declaration. */
  resolveConst(expr: Expression): Expression {
    let e: Expression = expr;
    for (let depth = 0; depth < 16 && Node.isIdentifier(e); depth++) {
      const decl = declOf(e.getSymbol());
      if (!decl || !Node.isVariableDeclaration(decl)) break;
      // Only `const` bindings have one value; a `let` (or a loop variable) is a run-time value.
      if (decl.getVariableStatement()?.getDeclarationKind() !== 'const') break;
      const init = decl.getInitializer();
      if (!init) break;
      e = init;
    }
    return e;
  }

  int(expr: Expression): number {
    const e = this.resolveConst(expr);
    const v = this.constValue(e);
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(expr, 'TF011', 'expected an integer literal');
    return v;
  }

  /** A literal (number, bigint, boolean, string, enum member, negation of one), or undefined. */
  constValue(e: Expression): number | bigint | boolean | string | undefined {
    e = this.resolveConst(e);
    if (Node.isParenthesizedExpression(e)) return this.constValue(e.getExpression());
    if (Node.isNumericLiteral(e)) return e.getLiteralValue();
    if (Node.isBigIntLiteral(e)) return e.getLiteralValue() as bigint;
    if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) return e.getLiteralValue();
    if (e.getKind() === SyntaxKind.TrueKeyword) return true;
    if (e.getKind() === SyntaxKind.FalseKeyword) return false;
    if (Node.isPrefixUnaryExpression(e) && e.getOperatorToken() === SyntaxKind.MinusToken) {
      const v = this.constValue(e.getOperand());
      if (typeof v === 'number' || typeof v === 'bigint') return -v;
    }
    if (Node.isPropertyAccessExpression(e)) {
      const decl = declOf(e.getSymbol());
      if (decl && Node.isEnumMember(decl)) return decl.getValue();
    }
    if (Node.isBinaryExpression(e)) return constBinary(e.getOperatorToken().getKind(), this.constValue(e.getLeft()), this.constValue(e.getRight()));
    if (Node.isCallExpression(e) || Node.isPropertyAccessExpression(e)) {
      // a protocol query: fieldOffset(itch.AddOrder, 'price'), itch.AddOrder.length (codegen/frontend/protocols.ts)
      const v = this.protocolValue(e);
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' || typeof v === 'boolean') return v;
    }
    return undefined;
  }

  /** The compile-time value of a protocol-library object or query (a layout, a number, a type), or undefined. */
  protocolValue(e: Node): unknown {
    const ev: ProtocolEval = { literal: (x) => this.constValue(x), fail: (n, m) => this.fail(n, 'TF011', m) };
    return protocolValue(e, ev);
  }

  enumSpec(nameArg: Expression | undefined, enumArg: Expression | undefined, call: Node): EnumSpec {
    const name = nameArg && this.constValue(nameArg);
    const decl = enumArg && declOf(enumArg.getSymbol());
    if (typeof name !== 'string' || !decl || !Node.isEnumDeclaration(decl)) {
      this.fail(enumArg ?? call, 'TF011', "enumOf() takes a name and a TypeScript enum declared in a design file: enumOf('Side', Side)");
    }
    const obj: Record<string, string | number> = {};
    for (const m of decl.getMembers()) {
      const v = m.getValue();
      if (v === undefined || !m.hasInitializer()) {
        this.fail(m, 'TF011', `enum member ${decl.getName()}.${m.getName()} needs an explicit value`, 'write e.g. `Buy = 0` or `Buy = \'B\'`');
      }
      obj[m.getName()] = v;
    }
    try {
      return enumOf(name, obj) as EnumSpec; // the model's own constructor: one definition of enum layout
    } catch (err) {
      this.fail(enumArg, 'TF011', (err as Error).message);
    }
  }

  /** A scalar type spec: u(N), i(N), ufixed(N, s), sfixed(N, s), bool(), char(), enumOf(name, E), or a const naming one. */
  spec(expr: Expression): ScalarSpec {
    const e = this.resolveConst(expr);
    if (!Node.isCallExpression(e)) this.fail(expr, 'TF011', 'expected a type: u(N), i(N), ufixed(N, s), bool(), char() or enumOf(...)');
    const fn = this.dslName(e.getExpression());
    const args = e.getArguments() as Expression[];
    if (protocolFunction(e.getExpression()) === 'fieldSpec') {
      const v = this.protocolValue(e); // fieldSpec(itch.AddOrder, 'price'): ufixed(32, 4)
      if (v && typeof v === 'object' && 'kind' in v) return v as ScalarSpec;
    }
    try {
      switch (fn) {
        case 'u':
          return u(this.int(args[0]));
        case 'i':
          return i(this.int(args[0]));
        case 'ufixed':
          return ufixed(this.int(args[0]), this.int(args[1]));
        case 'sfixed':
          return sfixed(this.int(args[0]), this.int(args[1]));
        case 'bool':
          return bool();
        case 'char':
          return char();
        case 'enumOf':
          return this.enumSpec(args[0], args[1], e);
      }
    } catch (err) {
      if (err instanceof CompileError) throw err;
      this.fail(expr, 'TF011', (err as Error).message);
    }
    return this.fail(expr, 'TF011', 'expected a type: u(N), i(N), ufixed(N, s), bool(), char() or enumOf(...)');
  }

  record(expr: Expression): RecordSpec {
    const e = this.resolveConst(expr);
    if (!Node.isCallExpression(e) || this.dslName(e.getExpression()) !== 'record') {
      this.fail(expr, 'TF011', "expected a record declared with record('Name', { field: type, ... })");
    }
    const [nameArg, fieldsArg] = e.getArguments() as Expression[];
    const name = this.constValue(nameArg);
    if (typeof name !== 'string' || !Node.isObjectLiteralExpression(fieldsArg)) {
      this.fail(e, 'TF011', "record() takes a name and an object literal of fields: record('Order', { qty: u(32) })");
    }
    const fields: Record<string, ScalarSpec> = {};
    for (const [k, v] of this.props(fieldsArg)) fields[k] = this.spec(v);
    return record(name, fields);
  }

  /** Property assignments of an object literal, in source order. */
  props(obj: ObjectLiteralExpression): Array<[string, Expression]> {
    const out: Array<[string, Expression]> = [];
    for (const p of obj.getProperties()) {
      if (!Node.isPropertyAssignment(p)) this.fail(p, 'TF011', 'expected `name: value`');
      out.push([p.getName(), p.getInitializerOrThrow()]);
    }
    return out;
  }
}

/**
 * A binary operator over two compile-time constants, evaluated as JavaScript evaluates it (the model runs the same
 * expression), so `CAP / 2` or `1 << 10` is a constant wherever a literal is required. Mixed number/bigint and
 * anything else give undefined (the caller then reports that a literal is expected).
 */
function constBinary(op: SyntaxKind, a: unknown, b: unknown): number | bigint | boolean | undefined {
  const num = typeof a === 'number' && typeof b === 'number';
  const big = typeof a === 'bigint' && typeof b === 'bigint';
  if (!num && !big) return undefined;
  const x = a as number & bigint;
  const y = b as number & bigint;
  switch (op) {
    case SyntaxKind.PlusToken: return x + y;
    case SyntaxKind.MinusToken: return x - y;
    case SyntaxKind.AsteriskToken: return x * y;
    case SyntaxKind.SlashToken: return big && y === 0n ? undefined : x / y;
    case SyntaxKind.PercentToken: return big && y === 0n ? undefined : x % y;
    case SyntaxKind.AsteriskAsteriskToken: return big && y < 0n ? undefined : x ** y;
    case SyntaxKind.LessThanLessThanToken: return x << y;
    case SyntaxKind.GreaterThanGreaterThanToken: return x >> y;
    case SyntaxKind.GreaterThanGreaterThanGreaterThanToken: return num ? x >>> y : undefined;
    case SyntaxKind.AmpersandToken: return x & y;
    case SyntaxKind.BarToken: return x | y;
    case SyntaxKind.CaretToken: return x ^ y;
    default: return undefined;
  }
}
