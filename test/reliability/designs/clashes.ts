// Hostile names, second set (test/reliability/names.test.ts): non-ASCII names, a param and a state register with
// the same name, state registers named like the signals generated for a table, a table above 2^16 slots, and a
// table whose value is never read.
import { record, unit, param, reg, table, u, bool, wrap, type Rng } from 'tickforge/dsl';

export const In = record('entrée', { clé: u(20), prix: u(16), côté: bool() });
export const Out = record('sortie résultat', { somme: u(16), vu: bool(), n_u00e9: u(8) });

export default unit({
  name: 'main',
  input: In,
  output: Out,
  params: { prix: param(u(16), 7), book_valid: param(u(8), 1) },
  state: { prix: reg(u(16), 0), book_valid: reg(u(8), 0), book_value: reg(u(8), 3), book_mem: reg(u(8), 0), seen_tag: reg(u(8), 0) },
  tables: {
    book: table({ key: u(20), value: u(16), capacity: 131072 }),
    seen: table({ key: u(16), value: u(8), capacity: 1024 }), // written, value never read (only has())
  },
  step(o, { params: p, state: s, tables: t }) {
    const somme = wrap(t.book.get(o.clé) + p.prix + s.prix, u(16));
    t.book.set(o.clé, wrap(o.prix + s.prix, u(16)));
    s.prix = wrap(s.prix + 1, u(16));
    s.book_valid = wrap(s.book_valid + p.book_valid, u(8));
    s.book_value = wrap(s.book_value + s.book_valid, u(8));
    s.book_mem = wrap(s.book_mem + (o.côté ? 1 : 0), u(8));
    s.seen_tag = wrap(s.book_mem + s.book_value, u(8));
    const vu = t.seen.has(o.prix);
    t.seen.set(o.prix, s.seen_tag);
    return { somme, vu, n_u00e9: s.seen_tag };
  },
});

export function synthetic(rng: Rng) {
  return { clé: rng.below(1 << 20), prix: rng.below(2000), côté: rng.chance(0.5) };
}
