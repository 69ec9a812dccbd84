import { record, unit, u } from 'tickforge/dsl';
import { ouch, writeField } from 'tickforge/protocols';
const In = record('In', { qty: u(64) });
const Out = record('Out', { w0: u(64), w1: u(64) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  step(o) {
    // quantity is 4 bytes (OUCH Enter Order); a u(64) may not fit
    return { w0: writeField(ouch.EnterOrder, 'quantity', o.qty, 0, 0), w1: writeField(ouch.EnterOrder, 'quantity', o.qty, 0, 1) };
  },
});
