// A packet output in 4-byte beats (docs/semantics.md §10): a 13-byte payload of mixed fields (a signed one, a
// 5-bit one straddling byte lanes) and a length that can exceed the capacity (clamped to 13), be 0 (nothing
// sent) or cut the payload mid-beat (the lanes past it read as zero). Random inputs reach every case.
import { record, unit, u, i } from 'tickforge/dsl';

const In = record('In', { a: u(32), b: i(16), c: u(5), d: u(51), len: u(5), skip: u(3) });
const Frame = record('Frame', { a: u(32), b: i(16), c: u(5), d: u(51), length: u(5) });

export default unit({
  name: 'packet_beats',
  input: In,
  output: Frame,
  packet: { beatBytes: 4, length: 'length' },
  step(x) {
    if (x.skip === 0) return undefined; // some inputs send no packet at all
    return { a: x.a, b: x.b, c: x.c, d: x.d, length: x.len };
  },
});
