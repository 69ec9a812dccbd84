// The shares of the level that refills the ladder (examples/market-maker/system.ts): a copy of levels.ts's `shares`
// store, written with what that stage sends (the shares at the change's price after it), read at the price that
// stage found (nextPrice). Both keys come from the record, so the read is an ordinary block RAM read: the search in
// levels.ts and this read are two stages, not a loop.
//
// The copy is the same table (geometry, hash, ways) given the same writes in the same order (a level the store
// refused is sent with 0 shares, a delete of a key the copy does not hold either), so it holds what the store holds.
// The refill is offered only when the copy holds the level found (nextOk stays true only then).
import { unit, table, u, reg, wrap } from 'tickforge/dsl';
import { BookOp, LEVELS, LEVEL_WAYS, levelKey } from './records.ts';

export default unit({
  name: 'refill',
  input: BookOp,
  output: BookOp,
  tables: {
    shares: table({ key: u(43), value: u(32), capacity: LEVELS, ways: LEVEL_WAYS, hash: 'fold', memory: 'uram' }),
  },
  state: {
    missing: reg(u(32), 0, { status: true, doc: 'Levels found by the level store that this copy did not hold (never expected: no refill offered)' }),
  },
  step(op, { tables: t, state: s }) {
    const key = levelKey(op.slot, op.buy, op.price);
    // The store's two writes, in its order: delete, then put back what is left (the same ways as there).
    t.shares.delete(key);
    if (op.levelShares !== 0) t.shares.set(key, op.levelShares);
    const next = levelKey(op.slot, op.buy, op.nextPrice);
    const has = t.shares.has(next);
    const nextShares = t.shares.get(next);
    if (op.nextOk && !has) s.missing = wrap(s.missing + 1, u(32));
    return {
      ...op,
      nextOk: op.nextOk && has,
      nextShares,
    };
  },
});

// Host-side stimulus for cosim and cocotb of this unit alone (ordinary JavaScript, never compiled): the level
// store's records for the market maker's stimulus (unit-stimulus.ts).
export { refillStimulus as stimulus } from './unit-stimulus.ts';
