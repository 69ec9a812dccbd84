// A consumer of requote's actions declared with its own record, `Quote`: the same fields and types as requote's
// `Action` under another name, which TF151 accepts (test/system/designs/renamed.ts).
import { record, unit, reg, u, enumOf, wrap } from 'tickforge/dsl';
import { Act } from '../../docs/examples/requote.ts';

const Quote = record('Quote', { act: enumOf('Act', Act), side: u(1), price: u(32), seq: u(16) });
const Counted = record('CountedQuote', { seq: u(16), price: u(32), n: u(16) });

export default unit({
  name: 'count',
  input: Quote,
  output: Counted,
  state: { n: reg(u(16), 0) },
  step(q, { state: s }) {
    s.n = wrap(s.n + 1, u(16));
    return { seq: q.seq, price: q.price, n: s.n };
  },
});
