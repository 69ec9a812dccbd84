import { record, unit, paramVec, u, i } from 'tickforge/dsl';
const In = record('In', { k: u(3) });
const Out = record('Out', { w: i(16) });

export default unit({
  name: 'bad',
  input: In,
  output: Out,
  params: { w: paramVec(i(16), 6) },
  step(x, { params }) {
    return { w: params.w[x.k] };
  },
});
