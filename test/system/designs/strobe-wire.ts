// A strobe producer (signal: no TREADY) wired straight to the risk gate, which can stall: TF152.
import { system } from 'tickforge/dsl';
import feed from '../../../examples/itch-feed/feed.ts';
import signal from '../../../examples/pipeline/signal.ts';
import gate from '../../../examples/risk-gate/gate.ts';

export default system({
  name: 'strobe_wire',
  stages: [feed, signal, gate],
});
