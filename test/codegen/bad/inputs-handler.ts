import { record, unit, u } from 'tickforge/dsl';
const A = record('A', { a: u(8) });
const B = record('B', { b: u(8) });
const Out = record('Out', { v: u(8) });
// on.b is missing (the cast gets it past TypeScript; the compiler names what is missing)
export default unit({
  name: 'bad',
  inputs: { a: A, b: B },
  output: Out,
  on: {
    a(x: { a: number }) {
      return { v: x.a };
    },
  } as never,
});
