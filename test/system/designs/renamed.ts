// Two units joined by one record under two names (requote's Action, count's Quote): the HLS top copies it between
// two streams (hls/system.ts).
import { system } from 'tickforge/dsl';
import requote from '../../docs/examples/requote.ts';
import count from './count.ts';

export default system({
  name: 'renamed',
  stages: [requote, count],
});

export { synthetic } from '../../docs/examples/requote.ts';
