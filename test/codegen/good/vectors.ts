// Vectors at their edges, co-simulated three-way by the corpus test: aliases of a state vector (a local name, a
// helper's parameter) write the state; writes on both arms of an if merge per element; a helper returns a fresh
// array; dynamic reads and writes with guarded and clamped indices; vectors of bools and of bigints; for-of
// with destructuring; a countdown loop; a module-level constant record.
import { record, unit, reg, vec, u, i, bool, min, wrap, type RecordValue } from 'tickforge/dsl';

const In = record('In', { a: u(16), b: u(16), idx: u(4), op: u(2), big: u(64) });
const Out = record('Out', { picked: u(16), sum: u(20), flags: u(4), wide: u(64), lo: i(8), hi: i(8) });
const Pair = record('Pair', { lo: i(8), hi: i(8) });
type Pair = RecordValue<typeof Pair>;
const ZERO: Pair = { lo: 0, hi: 0 };

function bump(v: number[], k: number, by: number): void {
  v[k] = wrap(v[k] + by, u(16));
}
function total(v: number[]): number {
  let t = 0;
  for (let k = 0; k < v.length; k++) t += v[k]; // a parameter's length is a constant bound
  return t;
}
function reversed(v: number[]): number[] {
  return [v[3], v[2], v[1], v[0]];
}

export default unit({
  name: 'vectors',
  input: In,
  output: Out,
  state: {
    v: reg(vec(u(16), 4), [1, 2, 3, 4]),
    seen: reg(vec(bool(), 4)),
    wides: reg(vec(u(64), 2)),
    pairs: reg(vec(Pair, 2), [ZERO, { lo: -1, hi: 1 }]),
  },
  step(x, { state }) {
    const alias = state.v;
    const k = min(x.idx, 3);
    if (x.op === 0) alias[k] = x.a; // writes state.v through the alias
    else if (x.op === 1) bump(state.v, k, x.b);
    else state.v[3 - k] = x.b;
    state.seen[k] = !state.seen[k];
    const r = reversed(state.v);
    let sum = total([x.a, x.b]) >> 2; // an array literal as an argument
    for (const e of r) sum += e;
    for (let j = 3; j > 0; j--) if (x.op === 3) state.v[j] = state.v[j - 1];
    let flags = 0;
    for (let j = 0; j < state.seen.length; j++) if (state.seen[j]) flags += 1 << j;
    state.wides[x.idx < 2 ? x.idx : 1] = x.big;
    const p = state.pairs[x.idx & 1];
    state.pairs[1] = { ...state.pairs[0], hi: p.lo };
    state.pairs[0] = { lo: wrap(p.hi + 1, i(8)), hi: p.lo };
    let lo = 0;
    for (const { lo: l } of state.pairs) lo += l;
    if (x.idx >= 4) return undefined;
    return { picked: r[x.idx], sum, flags, wide: state.wides[0] ^ state.wides[1], lo: wrap(lo, i(8)), hi: state.pairs[1].hi };
  },
});
