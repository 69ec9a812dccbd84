// Delta debugging on the fuzzer's AST: shrink a program while a test (the divergence, crash or rejection still
// reproduces) keeps passing. Passes, repeated until none makes progress or time runs out:
//   1. output fields: ddmin over the set of fields (each return statement loses the dropped ones);
//   2. statements: drop one (an `if` may also become its then or else branch; a loop may run once);
//   3. input fields and params: drop one, every use becoming a literal (a param becomes its default);
//   4. subexpressions: top down, replace a node by a child of the same kind, or by a literal;
// and last, declarations nothing uses any more are removed.
import {
  type Expr,
  type Kind,
  type Program,
  type Stmt,
  children,
  clone,
  PACKET_LENGTH,
  isBig,
  kindOfType,
} from './ast.ts';

export interface MinimizeOptions {
  /** Stop starting new tests after this time (ms since the epoch). */
  deadline: number;
  log?: (s: string) => void;
  /** Edit subexpressions (pass 4; default true). Off for a rejection: a literal in place of an expression can
   *  turn a wrongly rejected program into a rightly rejected one with the same message. */
  exprs?: boolean;
}

export interface MinimizeResult {
  program: Program;
  tests: number;
  accepted: number;
  /** The deadline stopped the search before a fixed point. */
  timedOut: boolean;
}

type Test = (p: Program) => Promise<boolean>;

export async function minimizeProgram(p0: Program, test: Test, o: MinimizeOptions): Promise<MinimizeResult> {
  let best = clone(p0);
  let tests = 0;
  let accepted = 0;
  let timedOut = false;
  const log = o.log ?? (() => {});
  const timeLeft = () => {
    if (Date.now() < o.deadline) return true;
    timedOut = true;
    return false;
  };
  const attempt = async (c: Program | null, anyway = false): Promise<boolean> => {
    if (!c || (!anyway && !timeLeft())) return false;
    tests++;
    if (await test(c)) {
      best = c;
      accepted++;
      return true;
    }
    return false;
  };

  for (let round = 0; timeLeft(); round++) {
    const before = accepted;
    // 1. outputs (ddmin)
    let n = 2;
    while (best.outputs.length >= 2 && timeLeft()) {
      const names = best.outputs.map((f) => f.name);
      const size = Math.ceil(names.length / n);
      let progress = false;
      for (let s = 0; s < names.length; s += size) {
        const drop = new Set(names.slice(s, s + size));
        if (drop.size === names.length) continue;
        if (await attempt(dropOutputs(best, drop))) {
          progress = true;
          n = Math.max(n - 1, 2);
          break;
        }
      }
      if (!progress) {
        if (n >= names.length) break;
        n = Math.min(names.length, 2 * n);
      }
    }
    log(`minimize: round ${round + 1}: ${best.outputs.length} outputs after ${tests} tests`);
    // 2. statements, last first
    for (let i = countStmts(best) - 1; i >= 0 && timeLeft(); i--) {
      for (const mode of ['drop', 'then', 'else', 'once'] as const) {
        if (await attempt(editStmt(best, i, mode))) break;
      }
    }
    // 3. input fields and params
    for (const f of [...best.inputs]) {
      if (best.inputs.length > 1 && timeLeft()) await attempt(dropInput(best, f.name));
    }
    for (const q of [...best.params]) if (timeLeft()) await attempt(dropParam(best, q.name));
    // 4. subexpressions, top down
    for (let i = 0; o.exprs !== false && i < countExprs(best) && timeLeft(); i++) {
      for (;;) {
        const cands = exprCandidates(best, i);
        let ok = false;
        for (const c of cands) {
          if (await attempt(c)) {
            ok = true;
            break;
          }
        }
        if (!ok) break;
      }
    }
    log(`minimize: round ${round + 1} done: ${accepted} of ${tests} edits kept`);
    if (accepted === before) break;
  }
  const tidy = removeUnused(best);
  // Worth one more test even past the deadline: it makes the reproducer much easier to read.
  if (tidy && (await attempt(tidy, true))) log('minimize: removed unused declarations');
  return { program: best, tests, accepted, timedOut };
}

// ---- edits ----------------------------------------------------------------------------------------------------

function dropOutputs(p: Program, drop: Set<string>): Program {
  if (p.packet && drop.has(PACKET_LENGTH)) {
    drop = new Set(drop);
    drop.delete(PACKET_LENGTH); // a packet's length field stays (the unit's packet declaration names it)
  }
  const c = clone(p);
  c.outputs = c.outputs.filter((f) => !drop.has(f.name));
  const visit = (ss: Stmt[]) => {
    for (const s of ss) {
      if (s.s === 'return' && s.fields) s.fields = s.fields.filter(([k]) => !drop.has(k));
      if (s.s === 'if') {
        visit(s.then);
        if (s.else) visit(s.else);
      }
      if (s.s === 'for') visit(s.body);
    }
  };
  visit(c.body);
  return c;
}

/** Statement lists of a program in a fixed order (step body first, nested lists after their statement). */
function stmtLists(p: Program): Stmt[][] {
  const out: Stmt[][] = [];
  const visit = (ss: Stmt[]) => {
    out.push(ss);
    for (const s of ss) {
      if (s.s === 'if') {
        visit(s.then);
        if (s.else) visit(s.else);
      }
      if (s.s === 'for') visit(s.body);
    }
  };
  visit(p.body);
  if (p.helper) visit(p.helper.body);
  return out;
}

function countStmts(p: Program): number {
  return stmtLists(p).reduce((n, l) => n + l.length, 0);
}

function editStmt(p: Program, index: number, mode: 'drop' | 'then' | 'else' | 'once'): Program | null {
  const c = clone(p);
  let k = index;
  for (const l of stmtLists(c)) {
    if (k >= l.length) {
      k -= l.length;
      continue;
    }
    const s = l[k];
    if (mode === 'drop') {
      if (s.s === 'return' && s.fields && l === c.body && k === l.length - 1) return null; // keep the final return
      l.splice(k, 1);
    } else if (mode === 'then' && s.s === 'if') l.splice(k, 1, ...s.then);
    else if (mode === 'else' && s.s === 'if' && s.else) l.splice(k, 1, ...s.else);
    else if (mode === 'once' && s.s === 'for' && !(s.to.e === 'lit' && s.to.v === BigInt(s.from + 1))) s.to = { e: 'lit', kind: 'num', v: BigInt(s.from + 1) };
    else return null;
    return c;
  }
  return null;
}

function zeroLit(kind: Kind): Expr {
  if (kind === 'bool') return { e: 'lit', kind, v: false };
  if (kind === 'char') return { e: 'lit', kind, v: 'A' };
  return { e: 'lit', kind, v: 0n };
}

/** Every expression slot of a program, in pre-order: get the expression, or put another in its place. */
interface Slot {
  get(): Expr;
  set(x: Expr): void;
}
function slots(p: Program): Slot[] {
  const out: Slot[] = [];
  const expr = (get: () => Expr, set: (x: Expr) => void) => {
    out.push({ get, set });
    const x = get();
    switch (x.e) {
      case 'bin':
      case 'cmp':
      case 'logic':
        expr(() => x.a, (y) => (x.a = y));
        expr(() => x.b, (y) => (x.b = y));
        break;
      case 'un':
        expr(() => x.a, (y) => (x.a = y));
        break;
      case 'tern':
        expr(() => x.c, (y) => (x.c = y));
        expr(() => x.a, (y) => (x.a = y));
        expr(() => x.b, (y) => (x.b = y));
        break;
      case 'call':
        x.args.forEach((_, j) => expr(() => x.args[j], (y) => (x.args[j] = y)));
        break;
    }
  };
  const stmts = (ss: Stmt[]) => {
    for (const s of ss) {
      switch (s.s) {
        case 'decl':
          expr(() => s.init, (y) => (s.init = y));
          break;
        case 'assign':
          expr(() => s.value, (y) => (s.value = y));
          break;
        case 'expr':
        case 'ret':
          expr(() => s.x, (y) => (s.x = y));
          break;
        case 'return':
          if (s.fields) s.fields.forEach((f) => expr(() => f[1], (y) => (f[1] = y)));
          break;
        case 'if':
          expr(() => s.c, (y) => (s.c = y));
          stmts(s.then);
          if (s.else) stmts(s.else);
          break;
        case 'for':
          stmts(s.body);
          break;
      }
    }
  };
  stmts(p.body);
  if (p.helper) stmts(p.helper.body);
  return out;
}

function countExprs(p: Program): number {
  return slots(p).length;
}

function exprCandidates(p: Program, i: number): Program[] {
  const x = slots(p)[i]?.get();
  if (!x || x.e === 'lit') return [];
  const reps: Expr[] = [];
  // the bit positions of bits/bitsBig/bit must stay constants: never replace a call by them
  const kids = x.e === 'call' && /^(bits|bitsBig|bit)$/.test(x.fn) ? [x.args[0]] : children(x);
  for (const k of kids) if (k.kind === x.kind) reps.push(k);
  if (x.e !== 'var' || !x.konst) {
    reps.push(zeroLit(x.kind));
    if (x.kind === 'num' || x.kind === 'big') reps.push({ e: 'lit', kind: x.kind, v: 1n });
    if (x.kind === 'bool') reps.push({ e: 'lit', kind: 'bool', v: true });
  }
  return reps.map((r) => {
    const c = clone(p);
    slots(c)[i].set(clone(r));
    return c;
  });
}

function replaceVars(p: Program, text: string, by: Expr): void {
  for (const s of slots(p)) {
    const x = s.get();
    if (x.e === 'var' && x.text === text) s.set(clone(by));
  }
}

function dropInput(p: Program, name: string): Program {
  const c = clone(p);
  const f = c.inputs.find((x) => x.name === name)!;
  replaceVars(c, `o.${name}`, zeroLit(kindOfType(f.ty)));
  c.inputs = c.inputs.filter((x) => x.name !== name);
  return c;
}

function dropParam(p: Program, name: string): Program {
  const c = clone(p);
  const q = c.params.find((x) => x.name === name)!;
  replaceVars(c, `p.${name}`, { e: 'lit', kind: isBig(q.ty) ? 'big' : 'num', v: q.init });
  c.params = c.params.filter((x) => x.name !== name);
  return c;
}

function uses(p: Program): Set<string> {
  const u = new Set<string>();
  for (const s of slots(p)) {
    const x = s.get();
    if (x.e === 'var') u.add(x.text);
    if (x.e === 'call') u.add(x.fn);
  }
  const assigned = (ss: Stmt[]) => {
    for (const s of ss) {
      if (s.s === 'assign') u.add(s.target);
      if (s.s === 'for') {
        if (s.to.e === 'var') u.add(s.to.text);
        assigned(s.body);
      }
      if (s.s === 'if') {
        assigned(s.then);
        if (s.else) assigned(s.else);
      }
    }
  };
  assigned(p.body);
  return u;
}

/** Drops declarations nothing refers to (null when there are none). */
function removeUnused(p: Program): Program | null {
  const c = clone(p);
  const u = uses(c);
  const before = JSON.stringify([c.consts, c.params, c.regs, c.table, c.helper, c.inputs].map((x) => (x ? JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)) : '')));
  c.consts = c.consts.filter((k) => u.has(k.name));
  c.params = c.params.filter((q) => u.has(`p.${q.name}`));
  c.regs = c.regs.filter((r) => u.has(`s.${r.name}`));
  if (c.table && ![...u].some((x) => x.startsWith(`tb.${c.table!.name}.`))) c.table = null;
  if (c.helper && !u.has(c.helper.name)) c.helper = null;
  if (c.inputs.length > 1) {
    const kept = c.inputs.filter((f) => u.has(`o.${f.name}`));
    c.inputs = kept.length ? kept : c.inputs.slice(0, 1);
  }
  const after = JSON.stringify([c.consts, c.params, c.regs, c.table, c.helper, c.inputs].map((x) => (x ? JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)) : '')));
  return before === after ? null : c;
}
