// Every construct outside the synthesizable subset is a diagnostic with file:line:col, a code, a sentence and a
// hint: whole-message tests, one fixture per construct.
import { describe, expect, test } from 'vitest';
import { compile, CompileError, formatDiagnostic } from '../../codegen/index.ts';

function diagnose(name: string): string {
  try {
    compile(`test/codegen/bad/${name}.ts`);
  } catch (err) {
    if (err instanceof CompileError) return err.diagnostics.map(formatDiagnostic).join('\n');
    throw err;
  }
  throw new Error(`${name}.ts compiled, but it should have been rejected`);
}

const cases: Array<[string, string]> = [
  ['return-array', `test/codegen/bad/return-array.ts:10:12: error TF106: a step returns one output record or undefined, not an array of them
  hint: declare outputs: N (N > 1) to return up to N records per input; or keep what is left in state and emit it on later inputs, or return the records as fields of one wider record`],
  // a helper that returns a record or undefined: was compiled as always a record (the undefined path dropped)
  ['helper-maybe', `test/codegen/bad/helper-maybe.ts:14:12: error TF106: pick() returns different kinds of value on different paths (a record, undefined), and its value is used: a value has one kind in hardware
  test/codegen/bad/helper-maybe.ts:7:3: note: returns undefined here
  hint: return a value on every path (a flag field saying whether it holds something), and return undefined from step itself`],
  ['outputs-over', `test/codegen/bad/outputs-over.ts:11:5: error TF106: step returns 3 records; the unit declares outputs: 2
  hint: declare outputs: 3, or return fewer`],
  ['inputs-handler', `test/codegen/bad/inputs-handler.ts:10:7: error TF011: on.b(rec, ctx) { ... } is missing: every input needs its handler`],
  ['outputs-strobe', `test/codegen/bad/outputs-strobe.ts:9:12: error TF122: several outputs per input need TREADY: flow 'strobe' cannot hold the input while they go out`],
  // a type error in a file of shared declarations the design imports: reported at that file
  ['import-typo', `test/codegen/bad/lib/shared-typo.ts:4:45: error TF001: TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.`],
  ['float', `test/codegen/bad/float.ts:12:21: error TF101: 1.5 is not an integer; floating point has no place in bit-exact hardware
  hint: use integers, or decimal fixed point (ufixed(32, 4) holds price x 10^4)`],
  ['float-div', `test/codegen/bad/float-div.ts:12:15: error TF101: \`/\` on numbers gives a floating-point quotient
  hint: use div(a, b) (truncating integer division) or a shift`],
  ['over53', `test/codegen/bad/over53.ts:12:15: error TF102: this number expression may reach 18446744065119617025, beyond 2^53, where JavaScript numbers stop being exact
  hint: compute it in bigint: BigInt(a) * BigInt(b)`],
  ['bitwise32', `test/codegen/bad/bitwise32.ts:12:15: error TF103: JavaScript's & works on 32-bit signed integers, but this operand may be 0..4294967295
  hint: use bigint operands (BigInt(x)), or bits(x, hi, lo) to take bits`],
  ['unbounded', `test/codegen/bad/unbounded.ts:13:5: error TF104: loops must have a bound known at compile time; hardware cannot run an unbounded loop in one cycle
  hint: write \`for (let i = 0; i < N; i++)\` with a constant N`],
  ['let-bound', `test/codegen/bad/let-bound.ts:12:5: error TF104: loops must have a bound known at compile time
  hint: write \`for (let i = A; i < B; i++)\` with constants A and B`],
  ['recursion', `test/codegen/bad/recursion.ts:5:24: error TF105: f calls itself; recursion has no bound in hardware
  test/codegen/bad/recursion.ts:4:1: note: function declared here
  hint: rewrite it as a loop with a constant bound`],
  ['map', `test/codegen/bad/map.ts:12:15: error TF106: new Map allocates memory at run time, which hardware cannot do
  hint: declare a table({ key, value, capacity }) in the unit for fixed-capacity storage`],
  ['array', `test/codegen/bad/array.ts:12:26: error TF106: an empty array literal can only grow at run time (push), which hardware cannot do
  hint: a vector has a fixed length: write its elements ([0, 0, 0, 0]) or declare vec(type, N) state`],
  ['opaque', `test/codegen/bad/opaque.ts:12:17: error TF107: cannot see into Date.now(): only functions with a body in the design's own files (this one or one it imports), tickforge/dsl intrinsics and table methods can be compiled
  hint: move the logic into a function in a design file, or compute it on the host and pass it as a param`],
  ['narrow', `test/codegen/bad/narrow.ts:12:5: error TF108: value may be 0..8589934590, which does not fit state acc (u(32): 0..4294967295)
  hint: narrow it explicitly: wrap(x, u(32)) keeps the low bits, sat(x, u(32)) clamps`],
  ['divzero', `test/codegen/bad/divzero.ts:12:15: error TF110: the divisor may be zero (it ranges over 0..4294967295); JavaScript would give a RangeError
  hint: use div(a, b) / mod(a, b), which define x/0 = 0 and x%0 = x`],
  ['table-twice', `test/codegen/bad/table-twice.ts:14:5: error TF112: table t is written a third time; a table has two write ports, so one event may write it at two places at most
  test/codegen/bad/table-twice.ts:13:5: note: second write here
  hint: compute keys and values first, then write the table at two places at most`],
  // tables whose value is a vector (docs/dsl.md "Vector values"), and Array.from
  ['vec-table-lookup', `test/codegen/bad/vec-table-lookup.ts:11:17: error TF109: a table whose value is a vector has has, get, set and delete; not lookup
  hint: use has() to tell a hit from a miss`],
  ['vec-table-ways', `test/codegen/bad/vec-table-ways.ts:9:76: error TF011: a table whose value is a vector is direct mapped: no ways`],
  ['array-from-length', `test/codegen/bad/array-from-length.ts:10:36: error TF104: Array.from needs a length known at compile time: a vector has a fixed length in hardware
  hint: a literal, a module-level const or a constant expression of them`],
  ['map-named', `test/codegen/bad/map-named.ts:13:30: error TF109: the function is written in place (an arrow function)
  hint: write v.map((x, i) => expression) with the function in place`],
  ['record-65', `test/codegen/bad/record-65.ts:10:11: error TF121: record Out is 65 bytes; a stream beat carries at most 64 bytes (512-bit TDATA)
  hint: split it, or drop fields downstream units can compute`],
  ['packet-length', `test/codegen/bad/packet-length.ts:11:11: error TF122: packet: the length field must be the last field of Frame (data), not "n"
  hint: declare the payload fields first, whole bytes, then the length in bytes as the last field`],
  ['loose', `test/codegen/bad/loose.ts:12:17: error TF113: loose equality converts between types; its result can differ from a bit comparison
  hint: write ===`],
  // Timing (codegen/timing): a recurrence that cannot close at the clock, a divider, a block-RAM read too late.
  ['recurrence', `test/codegen/bad/recurrence.ts:11:20: error TF130: the update of total does not close in one cycle at 322.27 MHz: estimated 5.39 ns > 3.103 ns period; critical path: test/codegen/bad/recurrence.ts:10 (total) -> test/codegen/bad/recurrence.ts:11 (t) -> test/codegen/bad/recurrence.ts:12 (t_gt_1000000000000)
  test/codegen/bad/recurrence.ts:10:3: note: the path starts at the read of total
  hint: compute what depends only on the input before the update (compare state with a threshold derived from the input instead of comparing an updated value), keep the state narrow, build small tables in LUT-RAM (memory: 'lutram'), or build for a lower clock (--clock)`],
  ['divider', `test/codegen/bad/divider.ts:10:17: error TF131: a 32-bit division by a value that is not a power of two is a 32-row divider, estimated 77.4 ns: it cannot be built in one cycle at 322.27 MHz
  hint: divide by a power of two (a shift), multiply by a reciprocal loaded as a param, or compare a * d against b instead of a against b / d`],
  ['bram-key', `test/codegen/bad/bram-key.ts:12:18: error TF132: table link is read at a key computed from state updated in the same cycle; an UltraRAM has a registered read, so the key must be known cycles earlier
  hint: compute the key from the input (or from state updated earlier in the pipeline), or build the table in LUT-RAM (memory: 'lutram', at most a few thousand slots)`],
];

describe('rejected constructs', () => {
  test.each(cases)('%s', (name, expected) => {
    expect(diagnose(name)).toBe(expected);
  });
});
