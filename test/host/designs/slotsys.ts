// The host's system fixture (test/host/system.test.ts): symmap (host-written memories: a locate -> slot map and a
// per-slot limit) -> slice -> slotcount (a param, status counters). Small enough to Verilate in seconds.
import { system, slice } from 'tickforge/dsl';
import symmap from '../../docs/examples/symmap.ts';
import slotcount from './slotcount.ts';

export default system({
  name: 'slotsys',
  stages: [symmap, slice(), slotcount],
});
