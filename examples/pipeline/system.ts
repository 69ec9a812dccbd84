// A whole path on one card: ITCH 5.0 in (MoldUDP64 payload beats), OUCH 5.0 out (SoupBinTCP packets).
//   feed    examples/itch-feed/feed.ts       ITCH parser, one message per beat at most (no TREADY)
//   signal  examples/pipeline/signal.ts      big Add Orders -> order intents, the rest -> reference prices
//   fifo    64 records                       the gate can stall (its table sweep, back-pressure); drops are counted
//   gate    examples/risk-gate/gate.ts       pre-trade risk checks
//   route   examples/pipeline/route.ts       accepted orders -> OUCH Enter Order actions
//   encoder examples/ouch-encoder/encoder.ts OUCH packets as 64-bit beats
// Build and co-simulate (from the repository root):
//   npx tickforge build examples/pipeline/system.ts --out /tmp/pipeline
//   npx tickforge cosim examples/pipeline/system.ts --input ../shared/data/itch/12302019_SNIPPET.NASDAQ_ITCH50
import { system, fifo } from 'tickforge/dsl';
import feed from '../itch-feed/feed.ts';
import signal from './signal.ts';
import gate from '../risk-gate/gate.ts';
import route from './route.ts';
import encoder from '../ouch-encoder/encoder.ts';

export default system({
  name: 'pipeline',
  stages: [feed, signal, fifo(64), gate, route, encoder],
});

// The system's input is the feed's: the same stimulus readers (captures, synthetic:N, hostile:N).
export { stimulus } from '../itch-feed/stimulus.ts';
