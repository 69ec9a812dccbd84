// A unit that reads `now` (stamp) behind one emitting up to three records per input (requote, `outputs: 3`): the
// records queue in the channel, so the cycle stamp takes each one is not its input's. The HLS top's C-simulation
// equals the composed model only when the model is told those cycles (sim/hls-system.ts csimSchedule).
import { system, skid } from 'tickforge/dsl';
import requote from '../../docs/examples/requote.ts';
import stamp from './stamp.ts';

export default system({
  name: 'stamped',
  stages: [requote, skid(), stamp],
});

export { synthetic } from '../../docs/examples/requote.ts';
