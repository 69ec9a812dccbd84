// Tick to trade on one card: ITCH 5.0 in (MoldUDP64 payload beats), OUCH 5.0 out (SoupBinTCP packets, 64-bit beats).
//   feed    examples/itch-feed/feed.ts       ITCH parser (no TREADY)
//   fifo    the order store can stall (its table's sweep after reset, a U's two records); drops are counted
//   orders  orders.ts                        the order store: A F E C X D U -> price-level changes, each with the
//                                            symbol's slot from the host-loaded locate -> slot map (param `slots`:
//                                            by default locates 1..1024 -> slots 0..1023)
//   levels  levels.ts                        the full-depth level store: every price level's shares and a bitmap of
//                                            the live ones per slot and side; with each change, the next level past
//                                            its price (a bounded search), when it can vouch for it
//   refill  refill.ts                        a copy of the level store's shares: the next level's shares
//   book    book.ts                          top-DEPTH ladders (8; a build-time constant) per slot and side -> top of
//                                            book; a ladder that runs out is refilled with the next level
//   quoter  quoter.ts                        the strategy: quotes around the mid, skewed by its fills (system
//                                            input quoter_fill), widened by a linear signal
//   gate    examples/risk-gate/gate.ts       pre-trade risk checks
//   oms     oms.ts                           accepted intents -> Enter / Replace / Cancel Order
//   encoder examples/ouch-encoder/encoder.ts OUCH packets as 64-bit beats
// The order store, the level store and the book do not close their update loops at 322.27 MHz yet (docs/strategy.md,
// BENCHMARKS): build at 245 MHz, the fastest clock every stage meets, or with --timing warn to see the estimates at
// 322.27 MHz.
// Build and co-simulate (from the repository root):
//   npx tickforge build examples/market-maker/system.ts --out /tmp/mm --clock 245
//   npx tickforge cosim examples/market-maker/system.ts --clock 245 --input ../shared/data/itch/12302019_SNIPPET.NASDAQ_ITCH50
//   npx tickforge decode build/cosim/output.pcap
// Another symbol set: a params file `{ "orders.slots": [65,536 entries: slot + 1 per locate, 0 untracked] }` given
// to cosim as --params (docs/strategy.md "Symbols").
import { system, fifo } from 'tickforge/dsl';
import feed from '../itch-feed/feed.ts';
import orders from './orders.ts';
import levels from './levels.ts';
import refill from './refill.ts';
import book from './book.ts';
import quoter from './quoter.ts';
import gate from '../risk-gate/gate.ts';
import oms from './oms.ts';
import encoder from '../ouch-encoder/encoder.ts';

export default system({
  name: 'market_maker',
  stages: [feed, fifo(512), orders, levels, refill, book, quoter, gate, oms, encoder],
});

export { stimulus } from './stimulus.ts';
