// codegen/passes/misssel.ts: the hit test of get() is dropped only where an empty slot reads 0 (direct mapped on
// the whole key, no delete-only bank), and the design still agrees three-way (model, RTL, HLS).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile } from '../../codegen/index.ts';
import { cosim } from '../../sim/cosim.ts';

const hasReads = (file: string) => {
  const u = compile(file);
  const n = new Map<string, number>();
  for (const x of u.nodes) if (x.op === 'tread' && x.what === 'has') n.set(x.table, (n.get(x.table) ?? 0) + 1);
  return n;
};

describe('misssel: get() without the hit test', () => {
  test('dropped on tables keyed by their slot index, kept with a delete-only bank or a tag', () => {
    const n = hasReads('test/codegen/good/miss-free.ts');
    expect(n.get('one') ?? 0).toBe(0);
    expect(n.get('two') ?? 0).toBe(0);
    expect(n.get('gone') ?? 0).toBeGreaterThan(0);
    // narrow-keys.ts: `wide` has a tag (u(16) keys, 64 slots): its get() keeps the hit test; `small` does not need it.
    const m = hasReads('test/codegen/good/narrow-keys.ts');
    expect(m.get('wide') ?? 0).toBeGreaterThan(0);
    expect(m.get('small') ?? 0).toBe(0);
  });

  test('model, RTL and HLS agree', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-misssel-'));
    const r = await cosim({ file: 'test/codegen/good/miss-free.ts', input: 'synthetic:5000', seed: 3, out });
    expect(r.executors.model!.outputs).toBe(5000);
    expect(r.executors.rtl!.compared).toBe(5000);
    expect(r.executors.hls!.compared).toBe(5000);
    expect(r.mismatches).toBe(0);
  }, 300_000);
});
