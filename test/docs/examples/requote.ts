// Several outputs per input (docs/dsl.md "Several outputs per input"): a quoter that answers a mid-price tick with
// nothing, one order action or both sides at once, and a halt with three records. `outputs: 3` bounds what one
// input may produce; step returns an array literal of up to 3 records, which leave in that order.
import { record, unit, param, reg, u, enumOf, wrap, type RecordValue, Rng } from 'tickforge/dsl';

export enum Ev {
  Mid = 0, // a new mid price
  Fill = 1, // one of our quotes traded: requote that side
  Halt = 2, // cancel both quotes and say so
}
export enum Act {
  Enter = 0,
  Replace = 1,
  Cancel = 2,
  Halted = 3,
}

export const Tick = record('Tick', { ev: enumOf('Ev', Ev), mid: u(32), side: u(1) });
export const Action = record('Action', { act: enumOf('Act', Act), side: u(1), price: u(32), seq: u(16) });
type Action = RecordValue<typeof Action>;

/** A helper returning a record: one element of the returned array. */
function cancel(side: number, seq: number): Action {
  return { act: Act.Cancel, side, price: 0, seq };
}

export default unit({
  name: 'requote',
  input: Tick,
  output: Action,
  outputs: 3,
  params: {
    halfSpread: param(u(16), 5, 'Quote this far either side of the mid'),
    threshold: param(u(16), 3, 'Requote when the mid moved more than this'),
  },
  state: { quoted: reg(u(1), 0), lastMid: reg(u(32), 0), seq: reg(u(16), 0) },
  step(t, { params: p, state: s }) {
    const bid = t.mid > p.halfSpread ? t.mid - p.halfSpread : 0;
    const ask = wrap(t.mid + p.halfSpread, u(32));
    const seq = s.seq;
    if (t.ev === Ev.Halt) {
      if (s.quoted === 0) return undefined;
      s.quoted = 0;
      s.seq = wrap(seq + 3, u(16));
      return [cancel(0, seq), cancel(1, wrap(seq + 1, u(16))), { act: Act.Halted, side: 0, price: s.lastMid, seq: wrap(seq + 2, u(16)) }];
    }
    if (t.ev === Ev.Fill) {
      if (s.quoted === 0) return undefined;
      s.seq = wrap(seq + 1, u(16));
      return { act: Act.Replace, side: t.side, price: t.side === 0 ? bid : ask, seq };
    }
    // |mid - lastMid| > threshold, as bounds from the input (docs/dsl.md "Meeting the clock"): lo may be negative.
    const lo = t.mid - p.threshold;
    const hi = t.mid + p.threshold;
    const far = s.lastMid < lo || s.lastMid > hi;
    if (s.quoted === 1 && !far) return undefined;
    const act = s.quoted === 1 ? Act.Replace : Act.Enter;
    s.quoted = 1;
    s.lastMid = t.mid;
    s.seq = wrap(seq + 2, u(16));
    return [
      { act, side: 0, price: bid, seq },
      { act, side: 1, price: ask, seq: wrap(seq + 1, u(16)) },
    ];
  },
});

export function synthetic(rng: Rng): RecordValue<typeof Tick> {
  const r = rng.below(100);
  const ev = r < 6 ? Ev.Halt : r < 30 ? Ev.Fill : Ev.Mid;
  return { ev, mid: 1_000 + rng.below(20), side: rng.below(2) };
}
