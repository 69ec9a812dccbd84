import { record, unit, paramMem, u } from 'tickforge/dsl';
const In = record('In', { locate: u(16) });
const Out = record('Out', { slot: u(10) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  params: { slots: paramMem(u(10), 1024, Array.from({ length: 1024 }, (_, l) => Math.min(l, 7))) },
  step(q, { params: p }) {
    return { slot: p.slots[q.locate & 1023] };
  },
});
