// A linear model on the path (docs/dsl.md "Fixed point and models"): four Q8 weights the host writes (a paramVec),
// an exact multiply-add, then one declared rounding and one declared saturation back to the output's type.
import { record, unit, param, paramVec, i, bool, sat, roundShift } from 'tickforge/dsl';

export const Features = record('Features', { f0: i(16), f1: i(16), f2: i(16), f3: i(16) });
export const Score = record('Score', { score: i(16), buy: bool() });

export default unit({
  name: 'linear',
  input: Features,
  output: Score,
  params: {
    w: paramVec(i(16), 4, [256, -128, 64, 32], 'Weights, Q8 (256 = 1.0)'), // 0x20..0x2C
    bias: param(i(32), 0, 'Bias, Q8'), //                                     0x30
    threshold: param(i(16), 100, 'Buy when the score is above this'), //        0x34
  },
  step(x, { params: p }) {
    // Exact: each product is at most 2^30 in magnitude, the sum below 2^33 (a number holds it exactly).
    const acc = p.bias + p.w[0] * x.f0 + p.w[1] * x.f1 + p.w[2] * x.f2 + p.w[3] * x.f3;
    // Q8 -> integer: divide by 2^8 rounding to nearest, ties to even; then clamp into i(16).
    const score = sat(roundShift(acc, 8, 'half-even'), i(16));
    return { score, buy: score > p.threshold };
  },
});
