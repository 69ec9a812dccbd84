// The market maker's order store with 2^14 orders instead of 2^20 (same code: storeOrder), so that a test bench
// that runs every cycle in Python (cocotb) does not spend its time in the table's post-reset sweep: 4,096 cycles
// instead of 262,144.
import { unit, reg, table, u } from 'tickforge/dsl';
import { ItchMsg } from '../../../examples/itch-feed/feed.ts';
import { LevelOp, storeOrder } from '../../../examples/market-maker/orders.ts';

export default unit({
  name: 'orders',
  input: ItchMsg,
  output: LevelOp,
  outputs: 2,
  tables: {
    orders: table({ key: u(64), value: u(64), capacity: 1 << 14, ways: 4, hash: 'fold' }),
  },
  state: {
    unknownRefs: reg(u(32), 0, { status: true, doc: 'E C X D U messages of a tracked symbol naming no live order' }),
    dupAdds: reg(u(32), 0, { status: true, doc: 'A F U adds whose reference was already live (ignored)' }),
    overflows: reg(u(32), 0, { status: true, doc: 'Adds refused: the order set was full (the book misses those orders)' }),
    oversize: reg(u(32), 0, { status: true, doc: 'Adds of 2^31 shares or more (not stored)' }),
  },
  step(m, { tables: t, state: s }) {
    return storeOrder(m, t, s);
  },
});
