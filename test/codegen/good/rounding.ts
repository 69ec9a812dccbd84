// roundShift in every rounding mode, on numbers and on bigints, small shifts (where ties are frequent in random
// input) and a wide one: the corpus co-simulates it three-way (test/cosim/corpus.test.ts).
import { record, unit, i, roundShift, type Rng, type RecordValue } from 'tickforge/dsl';

export const In = record('In', { x: i(20), big: i(60) });
export const Out = record('Out', {
  floor: i(18), ceil: i(18), zero: i(18), halfUp: i(18), halfEven: i(18), even1: i(20), bigEven: i(56), bigZero: i(56), bigUp: i(24),
});

export default unit({
  name: 'rounding',
  input: In,
  output: Out,
  step({ x, big }) {
    return {
      floor: roundShift(x, 3, 'floor'),
      ceil: roundShift(x, 3, 'ceil'),
      zero: roundShift(x, 3, 'zero'),
      halfUp: roundShift(x, 3, 'half-up'),
      halfEven: roundShift(x, 3, 'half-even'),
      even1: roundShift(x, 1, 'half-even'),
      bigEven: roundShift(big, 5, 'half-even'),
      bigZero: roundShift(big, 5, 'zero'),
      bigUp: Number(roundShift(big, 37, 'half-up')),
    };
  },
});

/** Values near ties and zero as often as anywhere else. */
export function synthetic(rng: Rng, n: number): RecordValue<typeof In> {
  const small = rng.below(64) - 32;
  const x = n % 3 === 0 ? small : Number(BigInt.asIntN(20, rng.bits(20)));
  const big = n % 3 === 1 ? BigInt(small) * 32n + 16n : BigInt.asIntN(60, rng.bits(60));
  return { x, big };
}
