// The register map is computed once and every view follows it: the C header (compiled with gcc, its offsets
// printed and compared with the JSON), the TypeScript client (type-checked by tsc and run against a recording
// transport), the RTL register file, the HLS pragmas, the docs; a param's width change shows up in all of them; the
// BUILD_HASH read over AXI-Lite from the Verilated RTL equals the hash `build` reports.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { emitHls } from '../../hls/index.ts';
import { emitVerilog } from '../../rtl/index.ts';
import { type RegMap, regMapFiles, regMapOf } from '../../regmap/index.ts';
import { buildRtlDesign, paramWrites } from '../../sim/cosim.ts';
import { buildHarness, runHarness } from '../../sim/verilator/index.ts';
import { buildRtl } from '../../rtl/index.ts';

const LIMITS = 'test/docs/examples/limits.ts';
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tf-regmap-'));

function writeMap(m: RegMap): string {
  const dir = tmp();
  for (const [f, text] of regMapFiles(m)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

/** Every (macro, value) the header should define, from the JSON. */
function expectedMacros(m: RegMap): Array<[string, number]> {
  const P = m.top.toUpperCase();
  const C = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  const out: Array<[string, number]> = [];
  for (const r of m.standard) out.push([`${P}_${r.name}_OFFSET`, r.offset], [`${P}_${r.name}_RESET`, r.reset]);
  for (const w of m.windows)
    for (const r of [...w.params, ...w.status]) {
      out.push([`${P}_${C(r.name)}_OFFSET`, r.offset], [`${P}_${C(r.name)}_WIDTH`, r.width], [`${P}_${C(r.name)}_WORDS`, r.words.length]);
      r.words.forEach((wd, k) => out.push([`${P}_${C(r.name)}_W${k}_OFFSET`, wd.offset], [`${P}_${C(r.name)}_W${k}_MASK`, wd.mask], [`${P}_${C(r.name)}_W${k}_RESET`, wd.reset], [`${P}_${C(r.name)}_W${k}_HLS_OFFSET`, wd.hlsOffset]));
    }
  out.push([`${P}_BUILD_HASH`, Number.parseInt(m.buildHash, 16)]);
  return out;
}

function headerValues(dir: string, m: RegMap): Array<[string, number]> {
  const want = expectedMacros(m);
  const c = [`#include <stdio.h>`, `#include "${m.top}_regs.h"`, 'int main(void) {', ...want.map(([k]) => `  printf("${k} %lu\\n", (unsigned long)(${k}));`), '  return 0;', '}'].join('\n');
  fs.writeFileSync(path.join(dir, 'main.c'), c);
  const cc = spawnSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-o', path.join(dir, 'main'), path.join(dir, 'main.c')], { encoding: 'utf8' });
  expect(cc.stderr).toBe('');
  const r = spawnSync(path.join(dir, 'main'), { encoding: 'utf8' });
  return r.stdout.trim().split('\n').map((l) => [l.split(' ')[0], Number(l.split(' ')[1])] as [string, number]);
}

describe('register map', () => {
  const ir = compile(LIMITS, { timing: { enforce: false } });
  const map = regMapOf(ir);

  test('standard block, then the unit window: params from 0x20, one word per 32 bits', () => {
    expect(map.standard.map((r) => [r.name, r.offset])).toEqual([['ID', 0], ['VERSION', 4], ['BUILD_HASH', 8], ['CONTROL', 12], ['COMMIT', 16], ['STATUS', 20], ['SNAPSHOT', 24]]);
    expect(map.windows[0].params.map((p) => [p.name, p.offset, p.words.map((w) => w.mask >>> 0)])).toEqual([
      ['enabled', 0x20, [1]],
      ['maxQty', 0x24, [0xffffffff]],
      ['maxNotional', 0x28, [0xffffffff, 0xffffffff]],
      ['lotSize', 0x30, [0xffff]],
    ]);
    expect(map.buildHash).toBe(ir.buildHash);
    expect(map.buildHash).toMatch(/^[0-9a-f]{8}$/);
  });

  test('the C header compiles with gcc -Wall -Werror and every offset, mask and reset equals the JSON', () => {
    const dir = writeMap(map);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'regmap.json'), 'utf8')) as RegMap;
    expect(headerValues(dir, json)).toEqual(expectedMacros(json));
  });

  test('the TypeScript client type-checks under tsc --strict and writes shadows, then one COMMIT', async () => {
    const dir = writeMap(map);
    fs.writeFileSync(path.join(dir, 'use.ts'), [
      "import { LimitsRegs, type RegTransport } from './limits_regs.ts';",
      'const bus: RegTransport = { read32: () => 0, write32: () => {} };',
      'const r = new LimitsRegs(bus);',
      "void r.update({ enabled: false, maxQty: 5, maxNotional: 10n, lotSize: 100 });",
      '// @ts-expect-error maxNotional is 64 bits: a bigint',
      "void r.set('maxNotional', 5);",
      '',
    ].join('\n'));
    const tsc = spawnSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--allowImportingTsExtensions', path.join(dir, 'use.ts')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const mod = await import(pathToFileURL(path.join(dir, 'limits_regs.ts')).href);
    const writes: Array<[number, number]> = [];
    const regs: Record<number, number> = {};
    const bus = { read32: (o: number) => regs[o] ?? 0, write32: (o: number, v: number) => { writes.push([o, v]); regs[o] = v; } };
    const client = new mod.LimitsRegs(bus);
    const g = await client.update({ maxNotional: 0x1_0000_0002n, lotSize: 7 });
    expect(g).toBe(1);
    expect(writes).toEqual([[0x28, 2], [0x2c, 1], [0x30, 7], [0x10, 1]]);
    expect(await client.get('maxNotional')).toBe(0x1_0000_0002n);
  });

  test('a param width change shows up in the JSON, C header, TypeScript client, RTL, HLS pragmas and docs', () => {
    const dir = path.resolve('build/test-regmap');
    fs.mkdirSync(dir, { recursive: true });
    const variant = path.join(dir, 'limits40.ts');
    fs.writeFileSync(variant, fs.readFileSync(LIMITS, 'utf8').replace("lotSize: param(u(16), 100,", "lotSize: param(u(40), 100,").replace("maxQty: param(u(32),", "maxQty: param(u(20),"));
    const ir2 = compile(variant, { timing: { enforce: false } });
    const m2 = regMapOf(ir2);
    const lot = m2.windows[0].params.find((p) => p.name === 'lotSize')!;
    expect([lot.width, lot.words.length, lot.words[1].mask]).toEqual([40, 2, 0xff]);
    expect(m2.windows[0].params.find((p) => p.name === 'maxQty')!.words[0].mask).toBe(0xfffff);
    expect(m2.buildHash).not.toBe(map.buildHash); // the sources changed
    const out = writeMap(m2);
    const header = new Map(headerValues(out, m2));
    expect(header.get('LIMITS_LOT_SIZE_WIDTH')).toBe(40);
    expect(header.get('LIMITS_LOT_SIZE_WORDS')).toBe(2);
    expect(header.get('LIMITS_LOT_SIZE_W1_MASK')).toBe(0xff);
    expect(header.get('LIMITS_MAX_QTY_W0_MASK')).toBe(0xfffff);
    const ts = fs.readFileSync(path.join(out, 'limits_regs.ts'), 'utf8');
    expect(ts).toMatch(/lotSize: \{ offset: 0x30, width: 40, words: 2/);
    expect(ts).toMatch(/ {2}lotSize: bigint;/);
    const regsV = emitVerilog(ir2).files.get('limits_regs.v')!;
    expect(regsV).toContain('output reg  [39:0] p_lotSize');
    expect(regsV).toContain("10'd13: sh_lotSize[39:32] <= lotSize_w1[7:0];");
    expect(regsV).toContain('output reg  [19:0] p_maxQty');
    const cpp = emitHls(ir2).files.get('limits.cpp')!;
    for (const p of m2.windows[0].params) expect(cpp).toContain(`port=${p.name} offset=0x${p.words[0].hlsOffset.toString(16)} bundle=control`);
    expect(fs.readFileSync(path.join(out, 'limits_regs.md'), 'utf8')).toContain('| 0x34 | lotSize[39:32] | rw (shadow) | 8 |');
    expect(fs.readFileSync(path.join(out, 'limits_regs.rdl'), 'utf8')).toContain('field { sw = rw; hw = r; } value[7:0] = 0x0;');
  });

  test('Verilated RTL: BUILD_HASH, ID, VERSION and STATUS read over AXI-Lite equal the map; the COMMIT generation is echoed', async () => {
    const dir = tmp();
    const rtlDir = path.join(dir, 'rtl');
    buildRtl(ir, rtlDir);
    const design = buildRtlDesign(ir, rtlDir, fs.readdirSync(rtlDir).filter((f) => f.endsWith('.v')).sort());
    const build = await buildHarness(design, {});
    const inputs = new Uint8Array(ir.input.bytes * 4);
    const res = await runHarness(build, design, { inputs, params: paramWrites(ir), seed: 1, workDir: path.join(dir, 'work'), readAfter: [0x00, 0x04, 0x08, 0x10, 0x14] });
    const hash = Number.parseInt(ir.buildHash!, 16);
    expect(res.readback.map((x) => x >>> 0)).toEqual([0x54460001, map.standard[1].reset, hash, 1, 1 << 16]);
  }, 180_000);
});
