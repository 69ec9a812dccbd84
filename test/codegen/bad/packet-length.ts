// A packet output whose length field is not the record's last field: rejected (TF122), as the model rejects it.
import { record, unit, u } from 'tickforge/dsl';

export const In = record('In', { x: u(64) });
export const Frame = record('Frame', { n: u(4), data: u(64) });

export default unit({
  name: 'bad_packet',
  input: In,
  output: Frame,
  packet: { beatBytes: 8, length: 'n' },
  step(o) {
    return { n: 8, data: o.x };
  },
});
