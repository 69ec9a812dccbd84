// Naming: an IR node without a DSL name gets one derived from its operation and its operands' names
// (`in_qty_gt_p_maxQty`), so the emitted Verilog and C++ read like the DSL. Long or anonymous chains keep `t<id>`.
import type { Node, UnitIR } from '../ir.ts';

const MAX_LABEL = 28;
const OPS: Record<string, string> = {
  add: 'plus', sub: 'minus', mul: 'times', and: 'and', or: 'or', xor: 'xor', shl: 'shl', shr: 'shr',
  div: 'div', mod: 'mod', min: 'min', max: 'max', eq: 'eq', ne: 'ne', lt: 'lt', le: 'le', gt: 'gt', ge: 'ge',
};

function derive(n: Node, label: (id: number) => string | undefined): string | undefined {
  switch (n.op) {
    case 'bin':
    case 'cmp': {
      const a = label(n.a);
      const b = n.b !== undefined ? label(n.b) : undefined;
      return a && b ? `${a}_${OPS[n.kind]}_${b}` : undefined;
    }
    case 'un': {
      const a = label(n.a);
      return a ? `${n.kind === 'lnot' ? 'not' : n.kind}_${a}` : undefined;
    }
    case 'tread': {
      const k = label(n.key);
      return k ? `${n.table}_${n.what}_${k}` : `${n.table}_${n.what}`;
    }
    case 'wrap':
    case 'sat': {
      const a = label(n.a);
      return a ? `${a}_${n.op}` : undefined;
    }
    default:
      return undefined;
  }
}

export function labelNodes(u: UnitIR): UnitIR {
  const labels = new Map<number, string>();
  const nodes = u.nodes.map((n) => {
    if (n.label) {
      labels.set(n.id, n.label);
      return n;
    }
    // Constants name themselves in expressions; a derived name is used only when it stays short.
    const d = derive(n, (id) => (u.nodes[id].op === 'const' ? String(u.nodes[id].op === 'const' ? (u.nodes[id] as { value: bigint }).value : '').replace('-', 'm') : labels.get(id)));
    if (d && d.length <= MAX_LABEL) {
      labels.set(n.id, d);
      return { ...n, label: d };
    }
    return n;
  });
  return { ...u, nodes };
}
