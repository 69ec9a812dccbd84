import { record, unit, u } from 'tickforge/dsl';
import { itch, readField } from 'tickforge/protocols';
const In = record('In', { w0: u(64), w1: u(64), w2: u(64), w3: u(64) });
const Out = record('Out', { price: u(32) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  step(m) {
    // an Add Order's price is bytes 32..35: a fifth word is needed
    return { price: readField(itch.AddOrder, 'price', [m.w0, m.w1, m.w2, m.w3]) };
  },
});
