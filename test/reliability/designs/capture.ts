// A small design fed from a pcap (test/reliability/inputs.test.ts): one record per UDP payload, its length and
// first byte. Its stimulus reads captures with the project's pcap reader (sim/stimulus/pcap.ts, as the ITCH feed's
// does), counting faults in cosim's Diagnostics so they reach its report.
import { record, unit, reg, u, wrap, type Rng } from 'tickforge/dsl';
import { Diagnostics } from '../../../sim/stimulus/errors.ts';
import { readInputFile } from '../../../sim/stimulus/input.ts';
import { parseFrame, readPcap } from '../../../sim/stimulus/pcap.ts';

export const Payload = record('Payload', { len: u(16), first: u(8) });
export const Sum = record('Sum', { total: u(32), first: u(8) });

export default unit({
  name: 'capture',
  input: Payload,
  output: Sum,
  state: { total: reg(u(32), 0) },
  step(o, { state: s }) {
    s.total = wrap(s.total + o.len, u(32));
    return { total: s.total, first: o.first };
  },
});

export function* stimulus(input: string, rng: Rng, diag = new Diagnostics()) {
  const m = /^synthetic:(\d+)$/.exec(input);
  if (m) {
    for (let i = 0; i < Number(m[1]); i++) yield { len: rng.below(1500), first: rng.below(256) };
    return;
  }
  const payloads: Uint8Array[] = [];
  readPcap(
    readInputFile(input),
    (r) => {
      const t = parseFrame(r.data, r.linkType, r.offset, diag);
      if (t !== undefined && t !== 'ignored' && t.proto === 'udp') payloads.push(r.data.subarray(t.payloadOffset, t.payloadOffset + t.payloadLength));
    },
    diag,
  );
  for (const p of payloads) yield { len: p.length, first: p[0] ?? 0 };
}
