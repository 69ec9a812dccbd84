// Where the tests find the real captures: ../shared/data beside the repository (CI has it there).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const DATA = path.resolve(REPO, '..', 'shared', 'data');
export const SNIPPET = path.join(DATA, 'itch', '12302019_SNIPPET.NASDAQ_ITCH50');
export const DIRECTORY = path.join(DATA, 'itch', 'stock-directory-head1000.itch');
export const OUCH_DIR = path.join(DATA, 'pcap', 'ouch50-soupbintcp');

/** Every pcap under ../shared/data/pcap, sorted. */
export function allPcaps(): string[] {
  const root = path.join(DATA, 'pcap');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => path.join(root, f))
    .sort();
}

export const pcapsIn = (dir: string) => allPcaps().filter((f) => f.startsWith(dir + path.sep));
