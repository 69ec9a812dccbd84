// report.html of a real co-simulation, rendered by headless Chromium (Debian's chromium, installed by
// scripts/setup.sh): the histogram's bars are on the screenshot, and the DOM holds the run's figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, test, afterAll } from 'vitest';
import { cosim } from '../../sim/cosim.ts';
import { compile } from '../../codegen/index.ts';
import { latencyHistogram, renderReport, writeBenchReport, type CosimReportData } from '../../report/index.ts';
import { countColour, decodePng } from './png.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-report-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const BAR: [number, number, number] = [0x2b, 0x6c, 0xb0]; // svg .bar fill in report/index.ts

function chromium(args: string[]): string {
  const r = spawnSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${path.join(tmp, 'profile')}`, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`chromium could not start (scripts/setup.sh installs Debian's chromium): ${r.error.message}`);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function screenshot(html: string, name: string) {
  const file = path.join(tmp, `${name}.html`);
  fs.writeFileSync(file, html);
  const png = path.join(tmp, `${name}.png`);
  chromium(['--window-size=1000,900', `--screenshot=${png}`, pathToFileURL(file).href]);
  return decodePng(fs.readFileSync(png));
}

describe('latencyHistogram', () => {
  test('one bin per cycle over a small range, equal-width bins over a large one, every latency counted once', () => {
    expect(latencyHistogram([3, 3, 5])).toEqual([{ from: 3, to: 3, count: 2 }, { from: 4, to: 4, count: 0 }, { from: 5, to: 5, count: 1 }]);
    const wide = Array.from({ length: 1000 }, (_, i) => 10 + ((i * 37) % 500));
    const bins = latencyHistogram(wide, 64);
    expect(bins.length).toBeLessThanOrEqual(64);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(1000);
    expect(bins[0]!.from).toBe(10);
    expect(bins[bins.length - 1]!.to).toBe(509);
    expect(latencyHistogram([])).toEqual([]);
  });
});

describe('cosim report.html in headless Chromium', () => {
  test('the risk gate: histogram bars on the screenshot, counts and stages in the DOM, same JSON same bytes', async () => {
    const out = path.join(tmp, 'rg');
    const r = await cosim({ file: 'examples/risk-gate/gate.ts', input: 'synthetic:3000', seed: 3, out, backends: ['model', 'rtl'] });
    expect(r.mismatches).toBe(0);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    // Self-contained: no script, nothing fetched.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|(?:src|href)="(?:https?:)?\/\//);

    const dom = chromium(['--dump-dom', pathToFileURL(path.join(out, 'report.html')).href]);
    const bars = [...dom.matchAll(/<rect class="bar" data-from="(\d+)" data-to="(\d+)" data-count="(\d+)"/g)].map((m) => ({ from: +m[1]!, to: +m[2]!, count: +m[3]! }));
    expect(bars.length).toBeGreaterThan(1);
    expect(bars.reduce((a, b) => a + b.count, 0)).toBe(r.executors.rtl!.outputs);
    expect(bars[0]!.from).toBe(r.latencyCycles!.min);
    expect(bars[bars.length - 1]!.to).toBe(r.latencyCycles!.max);
    expect(dom).toContain('id="verdict">no mismatches');
    for (const [reason, n] of Object.entries(r.outputCounts.reason!)) expect(dom).toMatch(new RegExp(`<td>${reason}</td><td>${n.toLocaleString('en-US')}</td>`));
    const stages = compile('examples/risk-gate/gate.ts').schedule.stages;
    expect(dom.match(/<table class="num stages">.*?<\/table>/s)![0].match(/<tr>/g)!.length).toBe(1 + stages.length);
    expect(dom).toContain(`<td>${stages[0]!.delayNs.toFixed(3)}</td>`);

    const shot = screenshot(html, 'rg');
    const barPixels = countColour(shot, BAR);
    // The tallest bar alone is ~180 px high; the whole histogram is thousands of pixels of the bar colour.
    expect(barPixels).toBeGreaterThan(2000);
    // The check can fail: the same page without the histogram has none of them.
    const data = JSON.parse(fs.readFileSync(path.join(out, 'cosim.json'), 'utf8'));
    const noHist = renderReport({ ...data, kind: 'cosim', latencyHistogram: [], stages: [], periodNs: 3.1 } as CosimReportData);
    expect(countColour(screenshot(noHist, 'nohist'), BAR)).toBe(0);
    fs.copyFileSync(path.join(tmp, 'rg.png'), path.join(out, 'report.png'));
  });

  test('a first mismatch shows every executor\'s value and hex and links its waveform', () => {
    const out = path.join(tmp, 'rg');
    const data = JSON.parse(fs.readFileSync(path.join(out, 'cosim.json'), 'utf8'));
    const m = {
      outputIndex: 17, inputIndex: 19, cycle: 40, disagree: ['rtl'], input: { qty: '5' },
      values: { model: { accepted: true, reason: 'Accept' }, rtl: { accepted: false, reason: 'MaxQty<&>' } },
      hex: { model: '0x01', rtl: '0x04' }, model: null, rtl: null, waveform: path.join(out, 'mismatch.fst'),
    };
    const html = renderReport({ ...data, mismatches: 1, firstMismatch: m, kind: 'cosim', latencyHistogram: [], stages: [], periodNs: 3.1 });
    fs.writeFileSync(path.join(out, 'mismatch.html'), html);
    const dom = chromium(['--dump-dom', pathToFileURL(path.join(out, 'mismatch.html')).href]);
    expect(dom).toContain('id="verdict">1 mismatches');
    expect(dom).toContain('<a id="waveform" href="mismatch.fst">');
    expect(dom).toContain('MaxQty&lt;&amp;&gt;'); // escaped, not markup
    expect(dom).toContain('0x04');
    expect(dom).toMatch(/output 17, input 19, cycle 40: rtl disagrees/);
    expect(renderReport({ ...data, kind: 'cosim', latencyHistogram: [], stages: [], periodNs: 3.1 })).toBe(renderReport({ ...data, kind: 'cosim', latencyHistogram: [], stages: [], periodNs: 3.1 }));
  });
});

describe('bench report.html', () => {
  test('bench.json and a page with every row, escaped', () => {
    const out = path.join(tmp, 'bench');
    const rows: Array<[string, string]> = [['model throughput (risk gate, one core)', '1,234,567 records/s'], ['a <b> & "c"', '1 / 2 / 3 cycles']];
    const file = writeBenchReport(out, rows);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'bench.json'), 'utf8')).rows).toEqual(rows);
    const dom = chromium(['--dump-dom', pathToFileURL(file).href]);
    expect(dom).toContain('<td>model throughput (risk gate, one core)</td><td>1,234,567 records/s</td>');
    expect(dom).toContain('<td>a &lt;b&gt; &amp; "c"</td>');
  });
});
