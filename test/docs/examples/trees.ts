// A tree ensemble on the path (docs/dsl.md "Fixed point and models"): 4 trees of depth 2 whose split features,
// thresholds and leaves the host writes (paramVecs), summed into one score. Every tree is walked with a computed
// node index; reading a paramVec at a computed index is a select on the index bits.
import { record, unit, paramVec, u, i, bool, type RecordValue } from 'tickforge/dsl';

export const Book = record('Book', { a: u(16), b: u(16), c: u(16), d: u(16) });
export const Signal = record('Signal', { score: i(18), long: bool() });

const TREES = 4;
const DEPTH = 2;
const NODES = 3; // internal nodes per tree (2^DEPTH - 1), in heap order: node n's children are 2n+1 and 2n+2
const LEAVES = 4; // 2^DEPTH

/** Feature number f of the record (f in 0..3). */
function feature(x: RecordValue<typeof Book>, f: number): number {
  return f === 0 ? x.a : f === 1 ? x.b : f === 2 ? x.c : x.d;
}

/** The leaf value tree t (a constant) reaches: DEPTH compares, each choosing the next node. */
function leafOf(x: RecordValue<typeof Book>, split: readonly number[], threshold: readonly number[], leaf: readonly number[], t: number): number {
  let node = 0;
  for (let d = 0; d < DEPTH; d++) {
    const j = t * NODES + node;
    node = 2 * node + (feature(x, split[j]) > threshold[j] ? 2 : 1);
  }
  return leaf[t * LEAVES + node - NODES];
}

export default unit({
  name: 'trees',
  input: Book,
  output: Signal,
  params: {
    // Node j of tree t is element t * NODES + j; leaf l of tree t is element t * LEAVES + l.
    split: paramVec(u(2), TREES * NODES, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], 'Feature each node compares'),
    threshold: paramVec(u(16), TREES * NODES, [32768, 16384, 49152, 30000, 20000, 40000, 1000, 60000, 5000, 32768, 32768, 32768], 'Go right when the feature is above this'),
    leaf: paramVec(i(16), TREES * LEAVES, [-3, -1, 1, 3, -2, 0, 0, 2, 5, -5, 4, -4, 1, 1, -1, -1], 'Leaf values'),
  },
  step(x, { params: p }) {
    const l0 = leafOf(x, p.split, p.threshold, p.leaf, 0);
    const l1 = leafOf(x, p.split, p.threshold, p.leaf, 1);
    const l2 = leafOf(x, p.split, p.threshold, p.leaf, 2);
    const l3 = leafOf(x, p.split, p.threshold, p.leaf, 3);
    // Summed as a balanced tree: log2(TREES) adder levels, not TREES - 1 in a chain.
    const score = l0 + l1 + (l2 + l3);
    return { score, long: score > 0 };
  },
});
