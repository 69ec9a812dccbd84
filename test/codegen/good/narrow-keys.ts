// Table keys narrower than the key type and constant keys: slot and tag selection on short values.
import { record, unit, table, u } from 'tickforge/dsl';

const In = record('In', { a: u(16), v: u(8) });
const Out = record('Out', { x: u(8), y: u(8), z: u(1) });

export default unit({
  name: 'narrow_keys',
  input: In,
  output: Out,
  tables: {
    wide: table({ key: u(16), value: u(8), capacity: 64 }),
    small: table({ key: u(4), value: u(8), capacity: 16 }),
  },
  step(o, { tables: t }) {
    const k = o.a & 0xff; // an 8-bit key into a 16-bit-key table
    const x = t.wide.get(k);
    const y = t.small.get(o.a & 0x7); // a 3-bit key into a 4-bit-key table
    const z = t.wide.has(300) ? 1 : 0; // a constant key
    if (o.v > 128) t.wide.set(k, o.v);
    else t.small.set(o.a & 0x7, o.v);
    return { x, y, z };
  },
});
