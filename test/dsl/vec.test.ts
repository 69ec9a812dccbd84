// The model side of vectors and record state (dsl/vec.ts): reset values, fixed length, and the state check naming
// the element and field that went out of range.
import { describe, expect, test } from 'vitest';
import { unit, record, reg, vec, u, bool } from '../../dsl/index.ts';

const In = record('In', { k: u(8), v: u(16) });
const Out = record('Out', { v: u(16) });
const Level = record('Level', { price: u(16), live: bool() });

const design = unit({
  name: 'vecmodel',
  input: In,
  output: Out,
  state: { xs: reg(vec(u(16), 4), [1, 2, 3, 4]), ls: reg(vec(Level, 2)), one: reg(Level, { price: 7, live: true }) },
  step(x, { state }) {
    state.xs[x.k] = x.v; // the compiler would reject this index (TF118); the model must not grow the array
    return { v: state.xs[0] };
  },
});

describe('vectors in the model', () => {
  test('reset values: given, zeros, a record', () => {
    const m = design.model();
    expect(m.state.xs).toEqual([1, 2, 3, 4]);
    expect(m.state.ls).toEqual([{ price: 0, live: false }, { price: 0, live: false }]);
    expect(m.state.one).toEqual({ price: 7, live: true });
  });
  test('two models do not share a vector', () => {
    const a = design.model();
    const b = design.model();
    a.step({ k: 0, v: 9 });
    expect(b.state.xs[0]).toBe(1);
  });
  test('an index past the end throws instead of growing the vector', () => {
    const m = design.model();
    expect(() => m.step({ k: 4, v: 1 })).toThrow(TypeError);
    expect(m.state.xs.length).toBe(4);
  });
  test('a value out of its element type is reported with its place', () => {
    const m = design.model();
    m.state.ls[1] = { price: 70_000, live: true };
    expect(() => m.step({ k: 0, v: 1 })).toThrow(/70000 does not fit u\(16\) \(ls\[1\]\.price: u\(16\)\)/);
  });
  test('reg() checks a vector reset value', () => {
    expect(() => reg(vec(u(8), 2), [1, 2, 3])).toThrow(/array of 2/);
    expect(() => reg(vec(u(8), 2), [1, 256])).toThrow(RangeError);
    expect(() => vec(u(8), 0)).toThrow(RangeError);
  });
});
