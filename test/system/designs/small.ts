// Risk gate -> route -> OUCH encoder, joined by a skid buffer and a register slice: a system without the ITCH feed,
// quick to Verilate, whose channels all see back-pressure (the encoder sends 7 beats per order).
import { system, skid, slice } from 'tickforge/dsl';
import gate from '../../../examples/risk-gate/gate.ts';
import route from '../../../examples/pipeline/route.ts';
import encoder from '../../../examples/ouch-encoder/encoder.ts';

export default system({
  name: 'small',
  stages: [gate, skid(), route, slice(), encoder],
});

export { synthetic } from '../../../examples/risk-gate/gate.ts';
