// Tables whose value is a vector (docs/dsl.md "Vector values"), Array.from and map: a per-key row of four counters in
// block RAM (set and delete at two places in one event) and a tagged LUT-RAM table of three flags. The row read by
// get is a copy: writing into it before the set changes nothing stored until the set (the model's get returns a
// fresh array, the hardware reads one memory per element). Keys from a small pool, so slots are reused and taken.
import { record, unit, table, u, bool, vec, wrap, type Rng, type RecordValue } from 'tickforge/dsl';

const N = 4;
const In = record('In', { k: u(6), at: u(2), v: u(8), clear: bool(), drop: u(6) });
const Out = record('Out', { hit: bool(), sum: u(10), first: u(8), last: u(8), was: u(8), flags: u(3), taken: bool(), dropped: bool() });

/** Element-wise sum of a row, as a loop (the delay model sees a chain of adds: four here). */
function total(row: number[]): number {
  let s = 0;
  for (let i = 0; i < N; i++) s = s + row[i];
  return s;
}

export default unit({
  name: 'vec_table',
  input: In,
  output: Out,
  tables: {
    rows: table({ key: u(6), value: vec(u(8), N), capacity: 32, memory: 'bram' }),
    marks: table({ key: u(6), value: vec(bool(), 3), capacity: 8 }),
  },
  step(o, { tables: t }) {
    const hit = t.rows.has(o.k);
    const row = t.rows.get(o.k);
    const was = row[o.at];
    // A fresh vector from the index alone, then each place's new count.
    const add = Array.from({ length: N }, (_, i) => (i === o.at ? o.v : 0));
    const next = row.map((x, i) => wrap(x + add[i], u(8)));
    row[0] = 99; // a write into the copy get gave: the table does not see it
    if (o.clear) t.rows.delete(o.drop);
    const taken = !t.rows.set(o.k, next);
    const again = t.rows.get(o.k);
    const m = t.marks.get(o.k);
    const bitsOf = m.map((x, i) => (x ? 1 << i : 0));
    const flags = bitsOf[0] | bitsOf[1] | bitsOf[2];
    const dropped = o.clear && !t.rows.has(o.drop);
    t.marks.set(o.k, [!m[0], m[0] !== m[1], o.clear]);
    return { hit, sum: total(again) + (row[0] === 99 ? 0 : 1), first: again[0], last: again[N - 1], was, flags, taken, dropped };
  },
});

export function synthetic(rng: Rng): RecordValue<typeof In> {
  return { k: rng.below(48), at: rng.below(4), v: rng.below(256), clear: rng.chance(0.2), drop: rng.below(48) };
}
