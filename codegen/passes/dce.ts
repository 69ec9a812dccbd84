// Dead-code elimination: keeps the nodes that outputs, registers and table writes depend on, renumbered densely
// in their original (topological) order so emitted names stay stable under unrelated edits.
import { type NodeId, type TableWrite, type UnitIR, operands, writesOf } from '../ir.ts';

export function roots(u: UnitIR): NodeId[] {
  const r: NodeId[] = [u.outValid, ...u.outFields.values(), ...u.moreOutputs.flatMap((o) => [o.valid, ...o.fields.values()]), ...u.regNext.values()];
  for (const w of [...u.tableWrites.values()].flatMap(writesOf)) r.push(w.en, w.key, w.value, w.del);
  return r;
}

export function dce(u: UnitIR): UnitIR {
  const live = new Set<NodeId>();
  const stack = roots(u);
  while (stack.length) {
    const id = stack.pop()!;
    if (live.has(id)) continue;
    live.add(id);
    stack.push(...operands(u.nodes[id]));
  }
  const remap = new Map<NodeId, NodeId>();
  const nodes = u.nodes.filter((n) => live.has(n.id));
  nodes.forEach((n, i) => remap.set(n.id, i));
  const m = (id: NodeId) => remap.get(id)!;
  const renumbered = nodes.map((n) => {
    const c = { ...n, id: m(n.id) } as typeof n & Record<string, unknown>;
    for (const k of ['a', 'b', 'c', 't', 'f', 'key'] as const) if (typeof c[k] === 'number' && k in n) (c as Record<string, unknown>)[k] = m(c[k] as number);
    return c;
  });
  return {
    ...u,
    nodes: renumbered,
    outValid: m(u.outValid),
    outFields: new Map([...u.outFields].map(([k, v]) => [k, m(v)])),
    moreOutputs: u.moreOutputs.map((o) => ({ valid: m(o.valid), fields: new Map([...o.fields].map(([k, v]) => [k, m(v)])) })),
    regNext: new Map([...u.regNext].map(([k, v]) => [k, m(v)])),
    tableWrites: new Map([...u.tableWrites].map(([k, w]) => [k, remapWrite(w, m)])),
  };
}

function remapWrite(w: TableWrite, m: (id: NodeId) => NodeId): TableWrite {
  return { ...w, en: m(w.en), key: m(w.key), value: m(w.value), del: m(w.del), ...(w.next ? { next: remapWrite(w.next, m) } : {}) };
}
