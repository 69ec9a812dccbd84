// A unit with two inputs that reads `now` (test/system/designs/contend.ts puts it behind requote's bursts): each
// record leaves with which input it came from, the cycle the arbiter took it and the gap since the previous record
// of either input, so its outputs depend on the order and the cycles the arbiter chose.
import { record, unit, reg, u, enumOf, wrap } from 'tickforge/dsl';
import { Action, Act } from '../../docs/examples/requote.ts';

export const Poke = record('Poke', { tag: u(8) });
const Taken = record('Taken', { fromPoke: u(1), act: enumOf('Act', Act), seq: u(16), tag: u(8), at: u(48), gap: u(48), pokes: u(16) });

export default unit({
  name: 'arbitrate',
  inputs: { act: Action, poke: Poke },
  output: Taken,
  state: { last: reg(u(48), 0), pokes: reg(u(16), 0, { status: true, doc: 'pokes taken' }) },
  on: {
    act(a, { state: s, now }) {
      const gap = wrap(now - s.last, u(48));
      s.last = now;
      return { fromPoke: 0, act: a.act, seq: a.seq, tag: 0, at: now, gap, pokes: s.pokes };
    },
    poke(p, { state: s, now }) {
      const gap = wrap(now - s.last, u(48));
      s.last = now;
      s.pokes = wrap(s.pokes + 1, u(16));
      return { fromPoke: 1, act: Act.Enter, seq: 0, tag: p.tag, at: now, gap, pokes: s.pokes };
    },
  },
});
