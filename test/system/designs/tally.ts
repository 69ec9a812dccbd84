// A consumer of requote's actions (test/docs/examples/requote.ts emits up to 3 per input): counts them per kind and
// passes each on with its running count, so the channel between the two carries several records per input.
import { record, unit, reg, u, enumOf, wrap } from 'tickforge/dsl';
import { Action, Act } from '../../docs/examples/requote.ts';

const Counted = record('Counted', { act: enumOf('Act', Act), side: u(1), price: u(32), seq: u(16), n: u(16) });

export default unit({
  name: 'tally',
  input: Action,
  output: Counted,
  state: { n: reg(u(16), 0), cancels: reg(u(32), 0, { status: true, doc: 'Cancel actions seen' }) },
  step(a, { state: s }) {
    s.n = wrap(s.n + 1, u(16));
    if (a.act === Act.Cancel) s.cancels = wrap(s.cancels + 1, u(32));
    return { act: a.act, side: a.side, price: a.price, seq: a.seq, n: s.n };
  },
});
