// A unit emitting up to three records per input (requote, `outputs: 3`) into one that takes one per cycle (tally):
// the skid buffer between them carries bursts, and the output back-pressure holds both.
import { system, skid } from 'tickforge/dsl';
import requote from '../../docs/examples/requote.ts';
import tally from './tally.ts';

export default system({
  name: 'burst',
  stages: [requote, skid(), tally],
});

export { synthetic } from '../../docs/examples/requote.ts';
