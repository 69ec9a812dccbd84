// A reader for the VCD files Yosys `sat -dump_vcd` writes: one value change section per time step, scalar and
// vector changes; enough to read a counterexample's inputs and the shown signals back. Steps are numbered in
// file order (Yosys's time stamps skip #1), and the last time stamp, which only marks the end, is no step.
export interface Vcd {
  /** Number of time steps in the trace. */
  readonly length: number;
  readonly names: string[];
  /** The value of a signal (name as in the design, without the leading backslash) at step t. */
  value(name: string, t: number): bigint | undefined;
}

export function readVcd(text: string): Vcd {
  const byId = new Map<string, string[]>();
  for (const m of text.matchAll(/\$var\s+\S+\s+\d+\s+(\S+)\s+(\S+)(?:\s+\[[^\]]*\])?\s+\$end/g)) {
    const name = m[2].replace(/^\\/, '');
    byId.set(m[1], [...(byId.get(m[1]) ?? []), name]);
  }
  const series = new Map<string, Array<bigint | undefined>>();
  let t = -1;
  let changes = 0;
  const cur = new Map<string, bigint>();
  const snap = () => {
    if (t < 0) return;
    for (const [id, names] of byId) for (const n of names) {
      const s = series.get(n) ?? [];
      s[t] = cur.get(id);
      series.set(n, s);
    }
  };
  const body = text.slice(text.indexOf('$enddefinitions'));
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('$')) continue;
    if (line.startsWith('#')) {
      snap();
      t++;
      changes = 0;
      continue;
    }
    changes++;
    if (line[0] === 'b' || line[0] === 'B') {
      const [bits, id] = line.slice(1).split(/\s+/);
      if (!/[xz]/i.test(bits)) cur.set(id, BigInt(`0b${bits}`));
      else cur.delete(id);
    } else if ('01'.includes(line[0])) cur.set(line.slice(1), BigInt(line[0]));
    else if ('xXzZ'.includes(line[0])) cur.delete(line.slice(1));
  }
  // A final time stamp with no changes ends the trace: it is not a step.
  if (changes > 0) snap();
  else t--;
  return { length: t + 1, names: [...series.keys()].sort(), value: (name, step) => series.get(name)?.[step] };
}
