// `tickforge decode <input..> --jsonl`: every decoded message as one JSON object per line (bigints as decimal
// strings), from a BinaryFILE, a pcap (ITCH over MoldUDP64, OUCH over SoupBinTCP) or synthetic:<N>. Counts and
// errors go to stderr; the exit code is 1 if the input had any error, else 0.
import type { Argv, CommandModule } from 'yargs';
import { toJsonLine } from '../dsl/protocols/codec.ts';
import { decodeInput, type DecodedItem, type DecodeSummary } from '../sim/stimulus/decode.ts';
import { Diagnostics } from '../sim/stimulus/errors.ts';
import { intOption, seedOption } from '../sim/stimulus/input.ts';

export interface DecodeCliOptions {
  inputs: string[];
  jsonl: boolean;
  session: boolean;
  offsets: boolean;
  seed: number;
  soupApp: 'ouch' | 'itch';
  maxErrors: number;
}

/** The JSON object printed for one item, or undefined if it is not printed with these options. */
export function itemToJson(it: DecodedItem, o: { session: boolean; offsets: boolean }): Record<string, unknown> | undefined {
  let v: Record<string, unknown>;
  if (it.layer === 'itch') v = it.value;
  else if (it.layer === 'ouch-in' || it.layer === 'ouch-out') v = { type: it.value.type, direction: it.layer === 'ouch-in' ? 'in' : 'out', ...it.value };
  else if (o.session) v = { layer: it.layer, ...it.value };
  else return undefined;
  return o.offsets ? { ...v, offset: it.offset } : v;
}

function summaryLine(input: string, s: DecodeSummary): string {
  const fmt = (m: Map<string, number>) => [...m.entries()].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const total = [...s.messages.values()].reduce((a, b) => a + b, 0);
  const codes = [...s.diag.counts.entries()].map(([k, n]) => `${k} ${n}`).join(', ');
  return `${input}: ${s.format}, ${total} messages (${fmt(s.messages)}); session: ${fmt(s.session)}${s.ignoredFrames ? `; ${s.ignoredFrames} non-IPv4-UDP/TCP frames ignored` : ''}; ${s.diag.total} errors${codes ? ` (${codes})` : ''}`;
}

export function runDecode(o: DecodeCliOptions): number {
  seedOption(o.seed);
  intOption('--max-errors', o.maxErrors, 0, 1_000_000);
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  let chunk = '';
  const flush = () => {
    if (chunk) process.stdout.write(chunk);
    chunk = '';
  };
  let errors = 0;
  for (const input of o.inputs) {
    const diag = new Diagnostics(o.maxErrors);
    const s = decodeInput(
      input,
      { seed: o.seed, soupApp: o.soupApp },
      (it) => {
        if (!o.jsonl) return;
        const v = itemToJson(it, o);
        if (!v) return;
        chunk += toJsonLine(v) + '\n';
        if (chunk.length > 1 << 16) flush();
      },
      diag,
    );
    flush();
    process.stderr.write(`tickforge: decode ${summaryLine(input, s)}\n`);
    for (const e of diag.first) process.stderr.write(`tickforge:   ${e.code} at byte ${e.offset}: ${e.message}\n`);
    if (diag.total > diag.first.length) process.stderr.write(`tickforge:   ... ${diag.total - diag.first.length} more errors\n`);
    errors += diag.total;
  }
  return errors > 0 ? 1 : 0;
}

function builder(y: Argv) {
  return y
    .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'BinaryFILE, pcap, or synthetic:<N>' })
    .option('jsonl', { type: 'boolean', default: false, describe: 'print every message as one JSON object per line' })
    .option('session', { type: 'boolean', default: false, describe: 'also print session records (MoldUDP64 headers, SoupBinTCP packets) with a "layer" key' })
    .option('offsets', { type: 'boolean', default: false, describe: 'add the file byte offset of each message as "offset"' })
    .option('seed', { type: 'number', default: 1, describe: 'seed for synthetic:<N>' })
    .option('soup-app', { choices: ['ouch', 'itch'] as const, default: 'ouch' as const, describe: 'what SoupBinTCP carries' })
    .option('max-errors', { type: 'number', default: 20, describe: 'errors listed in full per input (all are counted)' });
}

/** Sets the exit code from `f`; an exception is reported as one line (exit 2), like the other commands. */
export async function runCli(f: () => number | Promise<number>): Promise<void> {
  try {
    process.exitCode = await f();
  } catch (err) {
    process.stderr.write(`tickforge: error: ${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}

export const decodeCommand: CommandModule<object, ReturnType<typeof builder> extends Argv<infer A> ? A : never> = {
  command: 'decode <inputs..>',
  describe: 'Decode ITCH (BinaryFILE, MoldUDP64 pcap) or OUCH (SoupBinTCP pcap) or synthetic:<N>; --jsonl prints every message',
  builder,
  handler: (a) =>
    runCli(() =>
      runDecode({ inputs: a.inputs as string[], jsonl: a.jsonl, session: a.session, offsets: a.offsets, seed: a.seed, soupApp: a['soup-app'], maxErrors: a['max-errors'] }),
    ),
};
