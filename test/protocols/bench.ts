// Model decode throughput on synthetic ITCH (not a test): `npx tsx test/protocols/bench.ts [count] [seed]`.
// Generates `count` messages (default 10,000,000) into a BinaryFILE in memory, then times BinaryFILE framing +
// the compiled ITCH decoders producing message objects, best of 3 passes.
import { itch50 } from '../../dsl/protocols/itch50.ts';
import { readBinaryFile } from '../../sim/stimulus/binaryfile.ts';
import { Diagnostics } from '../../sim/stimulus/errors.ts';
import { decodeBytes } from '../../sim/stimulus/decode.ts';
import { generateItch } from '../../sim/stimulus/synthetic.ts';

const count = Number(process.argv[2] ?? 10_000_000);
const seed = Number(process.argv[3] ?? 1);
let t = performance.now();
const { binaryFile } = generateItch({ count, seed });
const genS = (performance.now() - t) / 1000;
console.log(`generated ${count} messages, ${(binaryFile.length / 1e6).toFixed(1)} MB, in ${genS.toFixed(2)} s (${((count / genS) / 1e6).toFixed(2)} M msg/s)`);

const set = itch50();
let best = Infinity;
let checksum = 0;
// Decoded objects are kept in a ring so that they escape (the optimiser cannot elide their construction).
const ring: unknown[] = new Array(1024);
for (let pass = 0; pass < 3; pass++) {
  const diag = new Diagnostics();
  let n = 0;
  t = performance.now();
  readBinaryFile(
    binaryFile,
    (o, len) => {
      const m = set.decode(binaryFile, o, len);
      if (m) {
        ring[n++ & 1023] = m;
        checksum += m.stockLocate;
      }
    },
    diag,
  );
  const s = (performance.now() - t) / 1000;
  if (n !== count || diag.total) throw new Error(`decoded ${n} of ${count}, ${diag.total} errors`);
  best = Math.min(best, s);
  console.log(`pass ${pass + 1}: ${s.toFixed(2)} s, ${((count / s) / 1e6).toFixed(2)} M msg/s`);
}
console.log(`model decode (BinaryFILE framing + ITCH decode to objects): ${((count / best) / 1e6).toFixed(2)} M msg/s, ${((binaryFile.length / best) / 1e6).toFixed(0)} MB/s (best of 3; checksum ${checksum})`);

// The whole reader as the CLI runs it (format detection, per-type counts, one item object per message).
t = performance.now();
let items = 0;
decodeBytes(binaryFile, {}, (it) => {
  ring[items++ & 1023] = it;
});
const full = (performance.now() - t) / 1000;
console.log(`decodeBytes (the CLI's reader, no JSON): ${((count / full) / 1e6).toFixed(2)} M msg/s`);
