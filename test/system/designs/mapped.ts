// A system holding host-written memories (docs/semantics.md §9): symmap (a locate -> slot map, a per-slot price
// limit and a bias by slot, all paramMem) -> slice -> routedcount (counts the quotes symmap accepted). Its counts
// depend on every memory's contents, so a cosim with `--params` (test/system/mapped.test.ts) fails if any executor
// ignores them.
import { system, slice } from 'tickforge/dsl';
import symmap from '../../docs/examples/symmap.ts';
import count from './routed-count.ts';

export default system({
  name: 'mapped',
  stages: [symmap, slice(), count],
});
