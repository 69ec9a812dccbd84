// A consumer of requote's actions that reads `now`: each record leaves with the cycle the unit took it and the gap
// since the previous one (test/system/designs/stamped.ts puts it behind requote's bursts).
import { record, unit, reg, u, enumOf, wrap } from 'tickforge/dsl';
import { Action, Act } from '../../docs/examples/requote.ts';

const Stamped = record('Stamped', { act: enumOf('Act', Act), seq: u(16), at: u(48), gap: u(48) });

export default unit({
  name: 'stamp',
  input: Action,
  output: Stamped,
  state: { last: reg(u(48), 0) },
  step(a, { state: s, now }) {
    const gap = wrap(now - s.last, u(48));
    s.last = now;
    return { act: a.act, seq: a.seq, at: now, gap };
  },
});
