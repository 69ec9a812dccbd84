import { csimSystem } from './sim/hls-system.ts';
for (const input of ['../shared/data/itch/12302019_SNIPPET.NASDAQ_ITCH50', 'synthetic:100000']) {
  const r = await csimSystem({ file: 'examples/pipeline/system.ts', input, out: '/tmp/hlstry-pl', log: console.log });
  console.log(input, JSON.stringify({ inputs: r.inputs, channels: r.channels, outputs: r.outputs, compared: r.compared, mismatches: r.mismatches, status: r.status.length, bad: r.status.filter((x) => !x.match), hash: r.buildHash.match, s: r.seconds }));
}
