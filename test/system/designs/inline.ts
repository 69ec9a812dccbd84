// A unit declared in the system file itself, not imported from its own design file: TF150.
import { system, unit, record, u } from 'tickforge/dsl';
import gate from '../../../examples/risk-gate/gate.ts';

const R = record('R', { x: u(8) });
const local = unit({ name: 'local', input: R, output: R, step: (r) => r });

export default system({
  name: 'inline',
  stages: [local, gate],
});
