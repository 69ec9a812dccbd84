// Regression: loop indices as bit positions, a let-bound loop bound rejected, enum table misses.
import { record, unit, table, u, bit, enumOf } from 'tickforge/dsl';

export enum Side {
  Buy = 'B',
  Sell = 'S',
}
const In = record('In', { m: u(16), k: u(4), side: enumOf('Side', Side), write: u(1) });
const Out = record('Out', { count: u(5), last: enumOf('Side', Side), seen: u(1) });

export default unit({
  name: 'popcount',
  input: In,
  output: Out,
  tables: { sides: table({ key: u(4), value: enumOf('Side', Side), capacity: 8 }) },
  step(o, { tables: t }) {
    let count = 0;
    for (let i = 0; i < 16; i++) {
      if (bit(o.m, i)) count = count + 1;
    }
    const seen = t.sides.has(o.k) ? 1 : 0;
    const last = t.sides.get(o.k); // a miss reads Side.Buy, the enum's first member, in model and RTL alike
    if (o.write === 1) t.sides.set(o.k, o.side);
    return { count, last, seen };
  },
});
