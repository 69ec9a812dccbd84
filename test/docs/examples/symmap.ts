// Host-written memories (docs/dsl.md "Host-written memories: paramMem"): a locate -> slot map of 1,024 entries and
// a per-slot price limit, both in block RAM, filled by the host over AXI-Lite; a COMMIT switches each to its new
// contents at one edge. The limit is read at the slot the first memory gave: two memory reads in a row.
import { record, unit, param, paramMem, u, i, bool } from 'tickforge/dsl';

export const Quote = record('Quote', { locate: u(16), price: u(32) });
export const Routed = record('Routed', { slot: u(10), ok: bool(), adjusted: i(42) });

export default unit({
  name: 'symmap',
  input: Quote,
  output: Routed,
  params: {
    enabled: param(bool(), true, 'Clear to drop every quote'),
    slots: paramMem(u(10), 1024, undefined, 'Slot of each locate (locate mod 1024)'),
    limits: paramMem(u(32), 1024, undefined, 'Highest price accepted in each slot'),
    bias: paramMem(i(40), 8, [0, 1, -1, 100, -100, 2 ** 38, -(2 ** 39), 7], 'Price adjustment by slot mod 8'),
  },
  step(q, { params: p }) {
    if (!p.enabled) return undefined;
    const slot = p.slots[q.locate & 1023];
    const ok = q.price <= p.limits[slot];
    return { slot, ok, adjusted: q.price + p.bias[slot & 7] };
  },
});
