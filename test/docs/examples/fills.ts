// test/docs/examples/fills.ts: net position per symbol from fills, with the record, enum, constants and helper
// imported from ./lib-shared.ts.
import { record, unit, table, u, i, wrap } from 'tickforge/dsl';
import { Fill, Side, SYMBOLS, capped } from './lib-shared.ts';

export const Net = record('Net', { symbol: u(16), net: i(32) });

export default unit({
  name: 'fills',
  input: Fill,
  output: Net,
  tables: { pos: table({ key: u(16), value: i(32), capacity: SYMBOLS / 2 }) },
  step(f, { tables: t }) {
    const q = capped(f.qty);
    const net = wrap(t.pos.get(f.symbol) + (f.side === Side.Buy ? q : -q), i(32));
    t.pos.set(f.symbol, net);
    return { symbol: f.symbol, net };
  },
});
