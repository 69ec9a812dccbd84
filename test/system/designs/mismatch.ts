// The risk gate's Decision into the OUCH encoder, which takes an Action: TF151.
import { system, fifo } from 'tickforge/dsl';
import gate from '../../../examples/risk-gate/gate.ts';
import encoder from '../../../examples/ouch-encoder/encoder.ts';

export default system({
  name: 'mismatch',
  stages: [gate, fifo(16), encoder],
});
