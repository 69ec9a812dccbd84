import { record, unit, reg, u, wrap } from 'tickforge/dsl';
const In = record('In', { qty: u(32) });
const Out = record('Out', { total: u(64) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  state: { total: reg(u(64), 0n) },
  step(o, { state: s }) {
    const t = wrap(s.total + BigInt(o.qty), u(64));
    s.total = t > 1_000_000_000_000n ? 0n : t;
    return { total: s.total };
  },
});
