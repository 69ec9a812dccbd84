// Scheduling: which pipeline stage computes each node.
//
//   stage 0  input register (the accepted record and the cycle it was accepted in)
//   stage 1  optional pre-compute: nodes that depend only on the input and params, registered at the cut,
//            inserted when that logic is deep (a multiplier or divider)
//   stage 2  the state stage: state/table reads, everything depending on them, state/table writes and the
//            output register. Reading and writing state in one stage is what keeps II = 1 free of hazards.
import { type NodeId, type UnitIR, operands } from '../ir.ts';
import { roots } from './dce.ts';

export interface Schedule {
  /** 1 or 2 for every node (consts are 2: they are emitted inline wherever used). */
  stage: Map<NodeId, 1 | 2>;
  /** Stage-1 nodes whose values stage 2 needs: each becomes a pipeline register. */
  cut: NodeId[];
  hasPreStage: boolean;
  /** Cycles from the input handshake to the output handshake when never back-pressured. */
  latency: number;
}

export function schedule(u: UnitIR): Schedule {
  const stateful = new Set<NodeId>();
  for (const n of u.nodes) {
    if (n.op === 'reg' || n.op === 'tread' || operands(n).some((o) => stateful.has(o))) stateful.add(n.id);
  }
  // A multiplication by a power of two is a shift (wiring), not a multiplier.
  const pow2Const = (id: NodeId) => {
    const c = u.nodes[id];
    return c.op === 'const' && c.value > 0n && (c.value & (c.value - 1n)) === 0n;
  };
  const heavy = u.nodes.some(
    (n) => !stateful.has(n.id) && n.op === 'bin' && (n.kind === 'div' || n.kind === 'mod' || (n.kind === 'mul' && !pow2Const(n.a) && !pow2Const(n.b))) && n.width > 8,
  );
  const stage = new Map<NodeId, 1 | 2>();
  for (const n of u.nodes) stage.set(n.id, heavy && !stateful.has(n.id) && n.op !== 'const' ? 1 : 2);
  const cut = new Set<NodeId>();
  if (heavy) {
    for (const n of u.nodes) {
      if (stage.get(n.id) !== 2) continue;
      for (const o of operands(n)) if (stage.get(o) === 1) cut.add(o);
    }
    for (const r of roots(u)) if (stage.get(r) === 1) cut.add(r);
  }
  return { stage, cut: [...cut].sort((a, b) => a - b), hasPreStage: heavy, latency: heavy ? 3 : 2 };
}
