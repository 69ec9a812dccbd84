// Output flows of generated programs (docs/semantics.md §10, docs/fuzz.md): which programs get `flow: 'strobe'`
// or a packet output, and where a packet's length comes from.
import { Rng } from '../../dsl/rng.ts';
import { type Program, type Stmt, PACKET_LENGTH, fieldBits, packetPad } from './ast.ts';

/**
 * 2 programs in 10 get 'strobe', 2 in 10 a packet in 1-, 2-, 4- or 8-byte beats whose length `rlen` (3..7 bits:
 * empty, cut mid-beat, full and past the capacity) is one more output. Drawn from a stream of its own, so a seed
 * that keeps the default flow generates the program it did before flows existed.
 */
export function chooseOutputFlow(p: Program, seed: number): void {
  const fr = new Rng(BigInt(seed) * 1000003n + 7n);
  const k = fr.below(10);
  if (k < 2) p.flow = 'strobe';
  else if (k < 4) {
    const lw = 3 + fr.below(5);
    const beatBytes = [1, 2, 4, 8][fr.below(4)];
    if (fieldBits(p.outputs) + packetPad(p) + lw > 512) return; // the record would pass 64 bytes (TF121)
    p.packet = { beatBytes };
    p.outputs.push({ name: PACKET_LENGTH, ty: { t: 'int', signed: false, width: lw }, salt: 199 });
  }
}

/**
 * A packet's length comes from an input field of its own (`flen`, edge-heavy stimulus: 0, 1, the maximum, ...):
 * a random expression of a 3..7-bit type is nearly always 0 or saturated, which would leave packets empty.
 */
export function lengthFromInput(p: Program): void {
  const ty = p.outputs.find((f) => f.name === PACKET_LENGTH)!.ty;
  if (ty.t !== 'int' || fieldBits(p.inputs) + ty.width > 512) return;
  p.inputs.push({ name: 'flen', ty, salt: 99 });
  const visit = (ss: Stmt[]) => {
    for (const st of ss) {
      if (st.s === 'return' && st.fields) st.fields = st.fields.map(([k, v]) => [k, k === PACKET_LENGTH ? { e: 'var', kind: 'num', text: 'o.flen' } : v]);
      if (st.s === 'if') {
        visit(st.then);
        if (st.else) visit(st.else);
      }
      if (st.s === 'for') visit(st.body);
    }
  };
  visit(p.body);
}
