import { record, unit, u } from 'tickforge/dsl';
import { Fill } from './lib/shared-typo.ts';
const Out = record('Out', { qty: u(32) });
export default unit({
  name: 'bad',
  input: Fill,
  output: Out,
  step(f) {
    return { qty: f.qty };
  },
});
