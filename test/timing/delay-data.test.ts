// The UltraScale+ delay table the timing-driven scheduler loads (codegen/timing/data/xcup.json, written by
// scripts/characterize-delay.ts): schema and sanity of every point.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const table = JSON.parse(
  readFileSync(new URL('../../codegen/timing/data/xcup.json', import.meta.url), 'utf8'),
) as { family: string; comment: string; clockToQ: number; setup: number; routing: number; ops: Record<string, unknown> };

const REQUIRED = ['add', 'cmp', 'eq', 'logic', 'bool', 'mux', 'lut', 'minmax', 'sat', 'shiftVar', 'mulLut', 'dsp',
  'dspRegistered', 'lutramRead', 'bramClockToOut', 'uramClockToOut'];
// Ops whose delay grows with width (or depth): a wider one must never be estimated faster.
const MONOTONE = ['add', 'cmp', 'eq', 'logic', 'mux', 'lut', 'minmax', 'sat', 'shiftVar', 'mulLut', 'lutramRead'];

describe('delay data xcup.json', () => {
  it('has the header fields', () => {
    expect(table.family).toBe('xcup');
    expect(typeof table.comment).toBe('string');
    expect(table.clockToQ).toBeGreaterThan(0);
    expect(table.setup).toBeGreaterThanOrEqual(0);
    expect(table.routing).toBeGreaterThan(0);
  });

  it('has every required op and no unknown one', () => {
    expect(Object.keys(table.ops).sort()).toEqual([...REQUIRED].sort());
  });

  it.each(REQUIRED)('%s: [width, ns] points, widths ascending, delays positive', (op) => {
    const pts = table.ops[op] as [number, number][];
    expect(Array.isArray(pts) && pts.length > 0).toBe(true);
    for (const p of pts) {
      expect(p).toHaveLength(2);
      expect(Number.isInteger(p[0]) && p[0] >= 1).toBe(true);
      expect(p[1]).toBeGreaterThan(0);
      expect(p[1]).toBeLessThan(10); // ns; anything larger is a unit mix-up (ps)
    }
    for (let i = 1; i < pts.length; i++) expect(pts[i]![0]).toBeGreaterThan(pts[i - 1]![0]);
  });

  it.each(MONOTONE)('%s: delay non-decreasing in width', (op) => {
    const pts = table.ops[op] as [number, number][];
    for (let i = 1; i < pts.length; i++) expect(pts[i]![1]).toBeGreaterThanOrEqual(pts[i - 1]![1]);
  });

  it('registered DSP multiply is faster than the unregistered one', () => {
    const d = table.ops.dsp as [number, number][], r = table.ops.dspRegistered as [number, number][];
    expect(r[0]![1]).toBeLessThan(d[0]![1]);
  });
});
