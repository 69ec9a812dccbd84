// Reports a person reads: `cosim` and `bench` write report.html next to their JSON. One self-contained page (inline
// CSS and SVG, no script, no network), so it opens from a CI artifact or a mail attachment as it is.
// renderReport is pure (JSON in, HTML out); writeCosimReport/writeBenchReport add what the JSON does not hold (the
// latency of every output, the schedule's stages) and write the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CosimReport } from '../sim/cosim.ts';
import type { SystemCosimReport } from '../sim/system.ts';

export interface HistogramBin {
  /** Latency range [from, to] in cycles, inclusive. */
  from: number;
  to: number;
  count: number;
}

export interface StageRow {
  stage: number;
  delayNs: number;
  levels: number;
  state: string[];
}

export type CosimReportData = CosimReport & {
  kind: 'cosim';
  latencyHistogram: HistogramBin[];
  stages: StageRow[];
  periodNs: number;
};

export interface BenchReportData {
  kind: 'bench';
  date: string;
  machine: string;
  rows: Array<[string, string]>;
}

export type ReportData = CosimReportData | BenchReportData | SystemCosimReport;

/** At most `maxBins` bins of equal width covering min..max; one bin per cycle when the range is small. */
export function latencyHistogram(latencies: readonly number[], maxBins = 64): HistogramBin[] {
  if (!latencies.length) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const l of latencies) {
    if (l < min) min = l;
    if (l > max) max = l;
  }
  const width = Math.max(1, Math.ceil((max - min + 1) / maxBins));
  const bins: HistogramBin[] = [];
  for (let from = min; from <= max; from += width) bins.push({ from, to: Math.min(max, from + width - 1), count: 0 });
  for (const l of latencies) bins[Math.floor((l - min) / width)]!.count++;
  return bins;
}

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const num = (n: number | null | undefined, digits = 0) => (n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

function table(head: string[], rows: unknown[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c === null || c === undefined ? '-' : typeof c === 'object' && 'html' in (c as object) ? (c as { html: string }).html : esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The latency histogram as inline SVG: one bar per bin, heights to scale, axis labels in cycles. */
export function histogramSvg(bins: HistogramBin[]): string {
  const W = 720;
  const H = 240;
  const padL = 56;
  const padB = 36;
  const padT = 12;
  const plotW = W - padL - 12;
  const plotH = H - padB - padT;
  const peak = Math.max(1, ...bins.map((b) => b.count));
  const bw = plotW / Math.max(1, bins.length);
  const bars = bins
    .map((b, i) => {
      const h = b.count ? Math.max(1, (b.count / peak) * plotH) : 0;
      const label = b.from === b.to ? `${b.from}` : `${b.from}-${b.to}`;
      return `<rect class="bar" data-from="${b.from}" data-to="${b.to}" data-count="${b.count}" x="${(padL + i * bw + 1).toFixed(1)}" y="${(padT + plotH - h).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${h.toFixed(1)}"><title>${label} cycles: ${b.count} outputs</title></rect>`;
    })
    .join('');
  const ticks = [0, Math.floor(bins.length / 2), bins.length - 1]
    .filter((v, i, a) => bins.length && a.indexOf(v) === i)
    .map((i) => `<text x="${(padL + (i + 0.5) * bw).toFixed(1)}" y="${H - padB + 16}" text-anchor="middle">${bins[i]!.from}</text>`)
    .join('');
  return `<svg id="latency-histogram" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="latency histogram">
<line x1="${padL}" y1="${padT + plotH}" x2="${W - 12}" y2="${padT + plotH}" class="axis"/><line x1="${padL}" y1="${padT}" x2="${padL}" y2="${padT + plotH}" class="axis"/>
<text x="${padL - 6}" y="${padT + 10}" text-anchor="end">${peak}</text><text x="${padL - 6}" y="${padT + plotH}" text-anchor="end">0</text>
${bars}${ticks}<text x="${padL + plotW / 2}" y="${H - 4}" text-anchor="middle">latency (cycles, input handshake to output handshake)</text></svg>`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1a202c;max-width:1000px}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #cbd5e0;padding:3px 8px;text-align:left;vertical-align:top}th{background:#edf2f7}
td.num,.num td{text-align:right}code,pre{font:12px ui-monospace,monospace}pre{background:#f7fafc;padding:8px;overflow:auto}
.ok{color:#276749;font-weight:600}.bad{color:#c53030;font-weight:600}svg text{font:11px system-ui,sans-serif;fill:#4a5568}
svg .bar{fill:#2b6cb0}svg .axis{stroke:#4a5568}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>\n${body}\n</body></html>\n`;
}

function cosimBody(r: CosimReportData): string {
  const out: string[] = [];
  const verdict = r.mismatches === 0 ? `<span class="ok" id="verdict">no mismatches</span>` : `<span class="bad" id="verdict">${num(r.mismatches)} mismatches</span>`;
  out.push(`<h1>tickforge cosim: ${esc(r.design)}</h1>`);
  out.push(`<p><code>${esc(r.file)}</code>, input <code>${esc(r.input)}</code>, seed ${esc(r.seed)}: ${num(r.inputs)} inputs, ${num(r.compared)} outputs compared, ${verdict}.</p>`);

  out.push(`<h2>Outputs per executor</h2>`);
  out.push(table(['executor', 'outputs', 'compared', 'mismatches', 'seconds', 'records/s'], r.backends.map((b) => {
    const e = r.executors[b];
    return [b + (b === r.reference ? ' (reference)' : ''), num(e?.outputs), b === r.reference ? '-' : num(e?.compared), b === r.reference ? '-' : num(e?.mismatches), num(r.seconds[b], 2), num(r.throughput[b])];
  }), 'num executors'));

  out.push(`<h2>Latency</h2>`);
  if (r.latencyCycles && r.latencyHistogram.length) {
    out.push(`<p>min ${r.latencyCycles.min}, median ${r.latencyCycles.median}, max ${r.latencyCycles.max} cycles at ${r.clockMHz} MHz (${(r.latencyCycles.median * r.periodNs).toFixed(1)} ns median); ${r.pipelineLatencyCycles} cycles without back-pressure. ${num(r.inputStallCycles)} input stall cycles in ${num(r.cycles)} cycles.</p>`);
    out.push(histogramSvg(r.latencyHistogram));
  } else out.push(`<p>No RTL run: latency is measured on the Verilated RTL (backends: ${esc(r.backends.join(', '))}).</p>`);

  const counts = Object.entries(r.outputCounts).filter(([, c]) => Object.keys(c).length);
  if (counts.length) {
    out.push(`<h2>Outputs per value</h2><p>Every enum and bool output field of the reference, e.g. how many outputs per reject reason.</p>`);
    for (const [field, c] of counts) {
      const total = Object.values(c).reduce((a, b) => a + b, 0);
      out.push(`<h3>${esc(field)}</h3>` + table(['value', 'outputs', 'share'], Object.entries(c).map(([k, v]) => [k, num(v), total ? `${((100 * v) / total).toFixed(2)} %` : '-']), 'num counts'));
    }
  }

  out.push(`<h2>Timing per stage</h2><p>The schedule's estimate (delay model) at ${r.clockMHz} MHz, period ${r.periodNs.toFixed(3)} ns; resources come from Yosys (<code>tickforge build --resources</code>, <code>tickforge bench</code>).</p>`);
  out.push(table(['stage', 'delay (ns)', 'slack (ns)', 'logic levels', 'state'], r.stages.map((s) => [s.stage, s.delayNs.toFixed(3), (r.periodNs - s.delayNs).toFixed(3), s.levels, s.state.join(', ')]), 'num stages'));
  if (r.rtl || r.hls) out.push(table(['build', 'seconds', 'cached'], [...(r.rtl ? [['Verilator', r.rtl.buildSeconds.toFixed(1), String(r.rtl.buildCached)]] : []), ...(r.hls ? [['HLS C-simulation (g++)', r.hls.buildSeconds.toFixed(1), String(r.hls.buildCached)]] : [])]));

  if (r.status.length) {
    out.push(`<h2>Status registers</h2>`);
    out.push(table(['register', 'model', 'rtl', 'hls', ''], r.status.map((s) => [s.name, s.model, s.rtl, s.hls, { html: s.match ? '<span class="ok">match</span>' : '<span class="bad">MISMATCH</span>' }]), 'num'));
  }

  out.push(`<h2>First mismatch</h2>`);
  const m = r.firstMismatch;
  if (!m) out.push(`<p id="first-mismatch">none</p>`);
  else {
    const wave = m.waveform ? `<a id="waveform" href="${esc(encodeURI(path.basename(m.waveform)))}">${esc(path.basename(m.waveform))}</a> (FST: open with GTKWave or Surfer)` : 'no waveform (the RTL agrees, or none was written)';
    out.push(`<div id="first-mismatch"><p>output ${m.outputIndex}, input ${m.inputIndex ?? '-'}${m.cycle !== null ? `, cycle ${m.cycle}` : ''}: ${esc(m.disagree.join(' and '))} disagree${m.disagree.length === 1 ? 's' : ''} with the rest. Waveform: ${wave}.</p>`);
    out.push(`<p>input: <code>${esc(json(m.input))}</code></p>`);
    out.push(table(['executor', 'value', 'hex'], r.backends.map((b) => [b, { html: `<code>${esc(json(m.values[b] ?? null))}</code>` }, { html: `<code>${esc(m.hex[b] ?? '-')}</code>` }])));
    out.push(`</div>`);
  }
  const pv = r.propertyViolations.first;
  if (pv) out.push(`<p class="bad">property ${esc(pv.property)} violated ${num(r.propertyViolations.count)} times; first at input ${pv.inputIndex}: <code>${esc(json(pv.input))}</code> &rarr; <code>${esc(json(pv.output))}</code></p>`);
  if (r.commits.length) out.push(`<h2>Param updates</h2>` + table(['at input', 'COMMIT cycle', 'first input that saw it'], r.commits.map((c) => [c.at, c.cycle, c.firstInput]), 'num'));
  out.push(`<p>Data: <a href="cosim.json">cosim.json</a>.</p>`);
  return out.join('\n');
}

function benchBody(r: BenchReportData): string {
  return [
    `<h1>tickforge bench</h1>`,
    `<p>${esc(r.machine)}, ${esc(r.date)}. Wall-clock figures move with the machine's load. Reproduce with <code>npx tickforge bench</code>.</p>`,
    table(['what', 'figure'], r.rows, 'bench'),
  ].join('\n');
}

/** A system's cosim (docs/systems.md): every channel, each unit's HLS kernel, status, end-to-end latency. */
function systemBody(r: SystemCosimReport): string {
  const out: string[] = [];
  const verdict = r.mismatches === 0 ? `<span class="ok" id="verdict">no mismatches</span>` : `<span class="bad" id="verdict">${num(r.mismatches)} mismatches</span>`;
  out.push(`<h1>tickforge cosim: system ${esc(r.design)}</h1>`);
  out.push(`<p><code>${esc(r.file)}</code>, input <code>${esc(r.input)}</code>, seed ${esc(r.seed)}: ${num(r.inputs)} inputs through ${esc(r.units.map((u) => u.name).join(' &rarr; '))}; ${verdict} (${esc(r.backends.join(', '))}).</p>`);
  out.push(`<h2>Latency, input beat to first output beat</h2>`);
  if (r.latency) {
    const c = r.latency.cycles;
    const n = r.latency.ns;
    out.push(table(['', 'min', 'P50', 'P99', 'P99.9', 'max'], [['cycles', c.min, c.p50, c.p99, c.p999, c.max], [`ns at ${r.latency.clockMHz} MHz`, n.min, n.p50, n.p99, n.p999, n.max]], 'num latency'));
    out.push(`<p>${num(r.latency.samples)} outputs; ${r.pipelineLatencyCycles} cycles without back-pressure; ${num(r.inputStallCycles)} input stall cycles in ${num(r.cycles)} cycles.</p>`);
    out.push(histogramSvg(r.latency.histogram));
  } else out.push(`<p>No output was produced, so there is no latency to show.</p>`);
  out.push(`<h2>Channels (model vs RTL)</h2>`);
  out.push(table(['channel', 'kind', 'from', 'to', 'compared', 'mismatches', 'dropped', 'delivered'], [
    ...r.links.map((l) => [l.name, l.channel, l.from, l.to, num(l.compared), num(l.mismatches), num(l.dropped), num(l.delivered)]),
    ['output', '', r.units[r.units.length - 1]?.name, '', num(r.compared), '', '', num(r.outputs.rtl)],
  ], 'num channels'));
  if (r.hls.length) out.push(`<h2>HLS kernels (C-simulated on the records their channel delivered)</h2>` + table(['unit', 'channel', 'inputs', 'compared', 'mismatches'], r.hls.map((h) => [h.unit, h.channel, num(h.inputs), num(h.compared), num(h.mismatches)]), 'num'));
  if (r.drops.length) out.push(`<h2>DROPS registers</h2>` + table(['channel', 'register', 'seen on the channel', ''], r.drops.map((d) => [d.link, num(d.register), num(d.tapped), { html: d.match ? '<span class="ok">match</span>' : '<span class="bad">MISMATCH</span>' }]), 'num'));
  if (r.status.length) out.push(`<h2>Status registers</h2>` + table(['unit', 'register', 'model', 'rtl', 'hls', ''], r.status.map((x) => [x.unit, x.name, x.model, x.rtl, x.hls ?? '-', { html: x.match ? '<span class="ok">match</span>' : '<span class="bad">MISMATCH</span>' }]), 'num'));
  out.push(`<h2>First divergence</h2>`);
  const f = r.firstDivergence;
  if (!f) out.push(`<p id="first-mismatch">none</p>`);
  else {
    out.push(`<div id="first-mismatch"><p>channel <b>${esc(f.channel)}</b>, produced by unit <b>${esc(f.unit)}</b> (${esc(f.executor)} vs model), record ${f.index}${f.inputIndex !== null ? ` (system input ${f.inputIndex})` : ''}.</p>`);
    out.push(table(['executor', 'value'], [['model', { html: `<code>${esc(json(f.model))}</code>` }], [f.executor, { html: `<code>${esc(json(f.executor === 'rtl' ? f.rtl : f.hls))}</code>` }]]));
    out.push(`</div>`);
  }
  out.push(table(['unit', 'file', 'latency (cycles)'], r.units.map((u) => [u.name, u.file, u.latencyCycles]), 'num'));
  out.push(`<p>Data: <a href="cosim.json">cosim.json</a>.</p>`);
  return out.join('\n');
}

/** Writes <out>/report.html for a finished system cosim. */
export function writeSystemReport(out: string, report: SystemCosimReport): string {
  const file = path.join(out, 'report.html');
  fs.writeFileSync(`${file}.tmp`, renderReport(report));
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** The report page of a cosim (with its histogram and stages), a system's cosim, or a bench run. Pure: same JSON, same bytes. */
export function renderReport(data: ReportData): string {
  if (data.kind === 'bench') return page('tickforge bench', benchBody(data));
  if (data.kind === 'system') return page(`tickforge cosim: system ${data.design}`, systemBody(data));
  return page(`tickforge cosim: ${data.design}`, cosimBody(data));
}

/** Writes <out>/report.html for a finished cosim; `latencies` is every output's latency in cycles (RTL run). */
export function writeCosimReport(out: string, report: CosimReport, extra: { latencies: readonly number[]; stages: StageRow[]; periodNs: number }): string {
  const data: CosimReportData = { ...report, kind: 'cosim', latencyHistogram: latencyHistogram(extra.latencies), stages: extra.stages, periodNs: extra.periodNs };
  const file = path.join(out, 'report.html');
  fs.writeFileSync(`${file}.tmp`, renderReport(data));
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** Writes <out>/bench.json and <out>/report.html for a bench run's figures. */
export function writeBenchReport(out: string, rows: Array<[string, string]>): string {
  fs.mkdirSync(out, { recursive: true });
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`;
  const data: BenchReportData = { kind: 'bench', date: new Date().toISOString().slice(0, 10), machine, rows };
  fs.writeFileSync(path.join(out, 'bench.json'), JSON.stringify(data, null, 2) + '\n');
  const file = path.join(out, 'report.html');
  fs.writeFileSync(file, renderReport(data));
  return file;
}
