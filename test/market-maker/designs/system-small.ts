// examples/market-maker/system.ts with the order store of designs/orders-small.ts (2^14 orders): every other unit
// and channel is the example's. For the cocotb bench in CI (the full system's 262,144-cycle sweep costs minutes
// there); the example itself is co-simulated with Verilator in system.test.ts.
import { system, fifo } from 'tickforge/dsl';
import feed from '../../../examples/itch-feed/feed.ts';
import orders from './orders-small.ts';
import book from '../../../examples/market-maker/book.ts';
import quoter from '../../../examples/market-maker/quoter.ts';
import gate from '../../../examples/risk-gate/gate.ts';
import oms from '../../../examples/market-maker/oms.ts';
import encoder from '../../../examples/ouch-encoder/encoder.ts';

export default system({
  name: 'market_maker',
  stages: [feed, fifo(512), orders, book, quoter, fifo(64), gate, oms, encoder],
});

export { stimulus } from '../../../examples/market-maker/stimulus.ts';
