// Tick to trade on one card: ITCH 5.0 in (MoldUDP64 payload beats), OUCH 5.0 out (SoupBinTCP packets, 64-bit beats).
//   feed    examples/itch-feed/feed.ts       ITCH parser (no TREADY)
//   fifo    the order store can stall (its table's sweep after reset, a U's two records); drops are counted
//   orders  orders.ts                        the order store: A F E C X D U -> price-level changes
//   book    book.ts                          top-8 ladders per symbol and side -> top-of-book records
//   quoter  quoter.ts                        the strategy: quotes around the mid, skewed by its fills (system
//                                            input quoter_fill), widened by a linear signal
//   gate    examples/risk-gate/gate.ts       pre-trade risk checks
//   oms     oms.ts                           accepted intents -> Enter / Replace / Cancel Order
//   encoder examples/ouch-encoder/encoder.ts OUCH packets as 64-bit beats
// The order store and the book do not close their update loops at 322.27 MHz yet (docs/strategy.md, BENCHMARKS):
// build at the clock every stage meets, or with --timing warn to see the estimates at 322.27 MHz.
// Build and co-simulate (from the repository root):
//   npx tickforge build examples/market-maker/system.ts --out /tmp/mm --clock 150
//   npx tickforge cosim examples/market-maker/system.ts --clock 150 --input ../shared/data/itch/12302019_SNIPPET.NASDAQ_ITCH50
//   npx tickforge decode build/cosim/output.pcap
import { system, fifo } from 'tickforge/dsl';
import feed from '../itch-feed/feed.ts';
import orders from './orders.ts';
import book from './book.ts';
import quoter from './quoter.ts';
import gate from '../risk-gate/gate.ts';
import oms from './oms.ts';
import encoder from '../ouch-encoder/encoder.ts';

export default system({
  name: 'market_maker',
  stages: [feed, fifo(512), orders, book, quoter, gate, oms, encoder],
});

export { stimulus } from './stimulus.ts';
