// symmap's consumer in the host's system fixture (slotsys.ts): counts the quotes symmap accepted, and those of them
// in slots up to the param `maxSlot`, as status registers, and passes each on with the in-range count. Its outputs
// and counters depend on symmap's memories and on its own param, so a host that set or loaded neither is caught.
import { record, unit, param, reg, u, bool, wrap } from 'tickforge/dsl';
import { Routed } from '../../docs/examples/symmap.ts';

const Counted = record('SlotCounted', { slot: u(10), ok: bool(), n: u(16) });

export default unit({
  name: 'slotcount',
  input: Routed,
  output: Counted,
  params: { maxSlot: param(u(10), 1023, 'Count accepted quotes in slots up to this one') },
  state: {
    n: reg(u(16), 0),
    accepted: reg(u(32), 0, { status: true, doc: 'Quotes symmap accepted' }),
    inRange: reg(u(32), 0, { status: true, doc: 'Accepted quotes in slots up to maxSlot' }),
  },
  step(r, { state: s, params: p }) {
    if (r.ok) s.accepted = wrap(s.accepted + 1, u(32));
    if (r.ok && r.slot <= p.maxSlot) {
      s.inRange = wrap(s.inRange + 1, u(32));
      s.n = wrap(s.n + 1, u(16));
    }
    return { slot: r.slot, ok: r.ok, n: s.n };
  },
});
