import { system, wire } from 'tickforge/dsl';
import symmap from '../examples/symmap.ts';
import count from './lib/routed-count.ts';

export default system({
  name: 'bad',
  stages: [symmap, wire(), count],
});
