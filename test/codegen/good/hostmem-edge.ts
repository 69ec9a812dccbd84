// Host-written memories at their edges (dsl/parammem.ts): one-bit entries, 64-bit signed entries (two DATA words),
// a two-entry memory read at a constant index, and a memory step never reads (the host can still write and read it).
import { record, unit, paramMem, u, i, bool } from 'tickforge/dsl';

const In = record('In', { k: u(8), x: i(32) });
const Out = record('Out', { flag: bool(), w: i(64), c: u(4) });

export default unit({
  name: 'hostmemedge',
  input: In,
  output: Out,
  params: {
    flags: paramMem(bool(), 256, undefined, 'One bit per k'),
    wide: paramMem(i(64), 16, [-1n, 1n, -(2n ** 63n), 2n ** 63n - 1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 5n]),
    two: paramMem(u(4), 2, [3, 9]),
    unread: paramMem(u(12), 64),
  },
  step(r, { params: p }) {
    const w = p.wide[r.k & 15];
    return { flag: p.flags[r.k], w, c: p.two[1] };
  },
});
