// Statistics of real ITCH order flow that drive the synthetic generator: message mix, per-symbol price levels,
// price offsets and replace moves in ticks, share sizes, order ages, timestamp gaps. Measured in code from the
// real snippet when it is present (../shared/data/itch/), else taken from the table committed from the same
// measurement (itch-stats-fallback.ts; a test keeps the two equal, so output does not depend on which was used).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ItchMessage } from '../../dsl/protocols/itch50.ts';
import { decodeItchFile } from './decode.ts';
import { ITCH_STATS_FALLBACK } from './itch-stats-fallback.ts';

/** [value, count] pairs sorted by value. */
export type Histogram = Array<[number, number]>;

export interface ItchSymbolStats {
  stock: string;
  stockLocate: number;
  /** Median price (price(4) units) of the symbol's adds, else of its trades/crosses/NOII reference. */
  refPrice: number;
  /** Messages for this locate in the sample. */
  weight: number;
}

export interface ItchStats {
  source: string;
  messages: number;
  /** Messages per type. */
  typeMix: Record<string, number>;
  symbols: ItchSymbolStats[];
  buyFraction: number;
  /** Add price minus the symbol's reference price, in ticks, per side. */
  addOffsetTicksBuy: Histogram;
  addOffsetTicksSell: Histogram;
  /** Replace: new price minus the replaced order's price (if added in the sample, else the symbol's level), in ticks. */
  replaceDeltaTicks: Histogram;
  addShares: Histogram;
  executedShares: Histogram;
  /** Age in messages of the order an E/C/X/D/U refers to (orders added in the sample). */
  orderAgeMessages: Histogram;
  /** Quantiles 0%, 5%, ..., 100% of the timestamp gap between consecutive messages (ns). */
  gapQuantilesNs: number[];
  attributions: Array<[string, number]>;
  printableFraction: number;
  startTimestamp: number;
  firstOrderReferenceNumber: number;
  firstMatchNumber: number;
}

/** Default sample: the real snippet beside the repository. */
export const SNIPPET_PATH = fileURLToPath(new URL('../../../shared/data/itch/12302019_SNIPPET.NASDAQ_ITCH50', import.meta.url));

/** Price tick in price(4) units: one cent at $1 and above, $0.0001 below. */
export function tickOf(price: number): number {
  return price >= 10_000 ? 100 : 1;
}

function histogram(values: number[]): Histogram {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1]!;
}

export function measureItchStats(msgs: readonly ItchMessage[], source: string): ItchStats {
  const typeMix: Record<string, number> = {};
  const perLocate = new Map<number, { stock?: string; adds: number[]; other: number[]; weight: number }>();
  const loc = (l: number) => {
    let e = perLocate.get(l);
    if (!e) perLocate.set(l, (e = { adds: [], other: [], weight: 0 }));
    return e;
  };
  for (const m of msgs) {
    typeMix[m.type] = (typeMix[m.type] ?? 0) + 1;
    const e = loc(m.stockLocate);
    e.weight++;
    if ('stock' in m) e.stock = m.stock;
    if (m.type === 'A' || m.type === 'F') e.adds.push(m.price);
    else if (m.type === 'P') e.other.push(m.price);
    else if (m.type === 'Q') e.other.push(m.crossPrice);
    else if (m.type === 'I' && m.currentReferencePrice > 0) e.other.push(m.currentReferencePrice);
  }
  const symbols: ItchSymbolStats[] = [];
  const ref = new Map<number, number>();
  for (const [stockLocate, e] of [...perLocate.entries()].sort((a, b) => a[0] - b[0])) {
    const prices = e.adds.length ? e.adds : e.other;
    if (e.stock === undefined || prices.length === 0 || stockLocate === 0) continue;
    const refPrice = median(prices);
    ref.set(stockLocate, refPrice);
    symbols.push({ stock: e.stock, stockLocate, refPrice, weight: e.weight });
  }
  const orders = new Map<bigint, { price: number; index: number }>();
  const buyOff: number[] = [];
  const sellOff: number[] = [];
  const addShares: number[] = [];
  const executed: number[] = [];
  const replaceDelta: number[] = [];
  const ages: number[] = [];
  const gaps: number[] = [];
  const attributions = new Map<string, number>();
  let buys = 0;
  let adds = 0;
  let printable = 0;
  let withPrice = 0;
  let firstRef = Infinity;
  let firstMatch = Infinity;
  msgs.forEach((m, index) => {
    if (index > 0) gaps.push(Math.max(0, m.timestamp - msgs[index - 1]!.timestamp));
    const age = (r: bigint) => {
      const o = orders.get(r);
      if (o) ages.push(index - o.index);
      return o;
    };
    switch (m.type) {
      case 'A':
      case 'F': {
        adds++;
        if (m.buySellIndicator === 'B') buys++;
        const r = ref.get(m.stockLocate)!;
        (m.buySellIndicator === 'B' ? buyOff : sellOff).push(Math.round((m.price - r) / tickOf(r)));
        addShares.push(m.shares);
        orders.set(m.orderReferenceNumber, { price: m.price, index });
        firstRef = Math.min(firstRef, Number(m.orderReferenceNumber));
        if (m.type === 'F') attributions.set(m.attribution, (attributions.get(m.attribution) ?? 0) + 1);
        break;
      }
      case 'E':
      case 'C':
        executed.push(m.executedShares);
        age(m.orderReferenceNumber);
        firstMatch = Math.min(firstMatch, Number(m.matchNumber));
        if (m.type === 'C') {
          withPrice++;
          if (m.printable === 'Y') printable++;
        }
        break;
      case 'X':
      case 'D':
        age(m.orderReferenceNumber);
        break;
      case 'U': {
        // Few replaced orders were added inside a 1,000-message sample: otherwise measure from the symbol's level.
        const o = age(m.originalOrderReferenceNumber);
        const from = o?.price ?? ref.get(m.stockLocate);
        if (from !== undefined) replaceDelta.push(Math.round((m.price - from) / tickOf(from)));
        orders.set(m.newOrderReferenceNumber, { price: m.price, index });
        break;
      }
      case 'P':
      case 'Q':
        firstMatch = Math.min(firstMatch, Number(m.matchNumber));
        break;
    }
  });
  const gs = [...gaps].sort((a, b) => a - b);
  const gapQuantilesNs = Array.from({ length: 21 }, (_, k) => (gs.length ? gs[Math.round((k / 20) * (gs.length - 1))]! : 1000));
  return {
    source,
    messages: msgs.length,
    typeMix,
    symbols,
    buyFraction: adds ? buys / adds : 0.5,
    addOffsetTicksBuy: histogram(buyOff),
    addOffsetTicksSell: histogram(sellOff),
    replaceDeltaTicks: histogram(replaceDelta.length ? replaceDelta : [0]),
    addShares: histogram(addShares.length ? addShares : [100]),
    executedShares: histogram(executed.length ? executed : [100]),
    orderAgeMessages: histogram(ages.length ? ages : [1]),
    gapQuantilesNs,
    attributions: [...attributions.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    printableFraction: withPrice ? printable / withPrice : 1,
    startTimestamp: msgs.length ? msgs[0]!.timestamp : 34_200_000_000_000,
    firstOrderReferenceNumber: Number.isFinite(firstRef) ? firstRef : 1,
    firstMatchNumber: Number.isFinite(firstMatch) ? firstMatch : 1,
  };
}

/** Measures a BinaryFILE of ITCH. */
export function measureItchFile(path: string, source = path): ItchStats {
  return measureItchStats(decodeItchFile(new Uint8Array(readFileSync(path))), source);
}

/** The snippet's statistics, measured now if the file is there, else the committed table. */
export function defaultItchStats(): ItchStats {
  if (existsSync(SNIPPET_PATH)) return measureItchFile(SNIPPET_PATH, 'measured now from ../shared/data/itch/12302019_SNIPPET.NASDAQ_ITCH50');
  return ITCH_STATS_FALLBACK;
}
