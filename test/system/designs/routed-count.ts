// A unit taking symmap's output (for mapped.ts): counts the accepted quotes.
import { unit, reg, record, u, wrap } from 'tickforge/dsl';
import { Routed } from '../../docs/examples/symmap.ts';

const Count = record('Count', { n: u(16) });

export default unit({
  name: 'routedcount',
  input: Routed,
  output: Count,
  state: { n: reg(u(16), 0) },
  step(r, { state: s }) {
    if (r.ok) s.n = wrap(s.n + 1, u(16));
    return { n: s.n };
  },
});
