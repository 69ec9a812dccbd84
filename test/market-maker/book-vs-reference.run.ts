// The book comparison of book-vs-reference.test.ts at any size, for the bench (issue 12: 10,000,000 messages): the
// market maker's stages up to its book, streamed beat by beat, against the reference book, with a progress line.
//   npx tsx test/market-maker/book-vs-reference.run.ts remapped:10000000[:maxLive] [--seed 1]
//   npx tsx test/market-maker/book-vs-reference.run.ts stress:1000000
//   npx tsx test/market-maker/book-vs-reference.run.ts ../shared/data/itch/12302019_SNIPPET.NASDAQ_ITCH50
// remapped:N is the generator with its locates renumbered into 1..1024 and 2 % unknown references (as the test),
// and at most maxLive live orders (default 200,000: the generated book otherwise grows by 0.38 orders a message and
// fills the DSL order store, whose 4-way sets of 2^20 orders refused adds from about 500,000 live orders on in a 3M
// run, 342,550 overflows and differences after them; a 10M run with 300,000 had 13 overflows, with 200,000 none);
// stress:N the book-stress stream (sim/stimulus/book-stress.ts); anything else is read by the market maker's stimulus, exactly as
// `tickforge cosim examples/market-maker/system.ts --input ...` reads it (its beats; a BinaryFILE, a pcap,
// synthetic:N, hostile:N). Exits 1 on a difference, a stray
// update, or an order the DSL book refused (not a clean book).
import { Rng } from '../../dsl/rng.ts';
import { system, type System } from '../../dsl/system.ts';
import { loadSystem } from '../../sim/system.ts';
import { generateItch } from '../../sim/stimulus/synthetic.ts';
import { beatsOf, moldPayloads, type BeatValue } from '../../examples/itch-feed/stimulus.ts';
import { stimulus } from '../../examples/market-maker/stimulus.ts';
import { messagesOfBeats } from './beats.ts';
import { compareBooks, describeComparison, type DslBookTop } from './compare.ts';
import { stressItch } from '../../sim/stimulus/book-stress.ts';

const args = process.argv.slice(2);
const input = args.find((a, k) => !a.startsWith('--') && args[k - 1] !== '--seed') ?? 'remapped:1000000';
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 1;

const { system: mm } = await loadSystem('examples/market-maker/system.ts');
const stages = mm.def.stages;
const prefix: System = system({ name: 'market_maker_to_book', stages: stages.slice(0, stages.findIndex((s) => s.kind !== 'channel' && s.def.name === 'book') + 1) });

const t0 = performance.now();
let beats: () => Iterable<BeatValue>;
const syn = /^remapped:(\d+)(?::(\d+))?$/.exec(input);
const str = /^stress:(\d+)$/.exec(input);
if (syn || str) {
  const n = Number((syn ?? str)![1]);
  const bin = syn ? generateItch({ count: n, seed, unknownRefs: 0.02, remapLocates: true, maxLive: Number(syn[2] ?? 200_000) }).binaryFile : stressItch({ count: n, seed }).binaryFile;
  const payloads = moldPayloads(bin, seed + 1);
  beats = function* () {
    for (const p of payloads) yield* beatsOf(p);
  };
} else {
  beats = function* () {
    for (const x of stimulus(input, new Rng(seed))) if ('itch_feed' in x) yield x.itch_feed;
  };
}
console.error(`${input}: input ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

let status: Record<string, number> = {};
let done = 0;
const t1 = performance.now();
function* updates(): Generator<DslBookTop> {
  const m = prefix.model();
  let now = 0;
  for (const b of beats()) {
    const o = m.step(b as unknown as Record<string, unknown>, now++);
    if ((now & 0xfffff) === 0) process.stderr.write(`\r${(now / 1e6).toFixed(0)}M beats, ${done} messages compared, ${((performance.now() - t1) / 1000).toFixed(0)} s `);
    if (o !== undefined) for (const x of Array.isArray(o) ? o : [o]) yield x as unknown as DslBookTop;
  }
  status = m.unit('orders').state as Record<string, number>;
}
function* counted<T>(xs: Iterable<T>): Generator<T> {
  for (const x of xs) {
    done++;
    yield x;
  }
}
const r = compareBooks(counted(messagesOfBeats(beats())), updates());
r.overflows = status.overflows;
r.oversize = status.oversize;
r.wideRefs = status.wideRefs;
const s = (performance.now() - t1) / 1000;
process.stderr.write('\n');
console.log(`${input} (seed ${seed}): ${s.toFixed(1)} s, ${Math.round(r.messages / s)} messages/s (DSL model of feed + order store + book, and the reference)`);
console.log(describeComparison(r));
console.log(`DSL orders status: ${JSON.stringify(status)}`);
// (with overflows the DSL book also counts later references to the refused orders as unknown)
for (const k of ['unknownRefs', 'dupAdds', 'oversize', 'wideRefs'] as const) {
  if (status[k] !== r.reference[k]) console.log(`counter ${k}: DSL ${status[k]}, reference ${r.reference[k]}`);
}
const clean = status.overflows === 0 && status.oversize === 0 && status.wideRefs === 0;
if (!clean) console.log('not a clean book: the DSL book refused orders (overflows / oversize / wideRefs above)');
process.exitCode = r.differences === 0 && r.strays === 0 && clean ? 0 : 1; // (not process.exit: a piped stdout would lose its last lines)
