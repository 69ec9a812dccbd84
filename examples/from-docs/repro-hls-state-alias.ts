// Repro (HLS executor mismatch; model and RTL agree): a local bound to a state register before the register is
// reassigned must keep the old value (docs/semantics.md §7: state registers behave as variables). The HLS
// C-simulation returns the new value for `old`.
//   npx tickforge cosim examples/from-docs/repro-hls-state-alias.ts --input synthetic:1000 --seed 3 --out /tmp/fdc-alias
import { record, unit, reg, u, wrap } from 'tickforge/dsl';

export const In = record('In', { x: u(8) });
export const Out = record('Out', { old: u(8), cur: u(8), at: u(48) });

export default unit({
  name: 'repro_hls_state_alias',
  input: In,
  output: Out,
  state: { n: reg(u(8), 0) },
  step(o, { state: s, now }) {
    const old = s.n;
    s.n = wrap(s.n + o.x, u(8));
    return { old, cur: s.n, at: now };
  },
});
