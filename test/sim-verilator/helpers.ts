// Shared fixtures and byte helpers for the Verilator harness tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RtlDesign } from '../../sim/verilator/index.ts';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export const pipe40: RtlDesign = { rtlDir: FIXTURES, top: 'pipe40', files: ['pipe40.v', 'axil_regs.v'], inBytes: 5, outBytes: 5, axilAddrBits: 4 };
export const wide72: RtlDesign = { rtlDir: FIXTURES, top: 'wide72', files: ['wide72.v', 'axil_regs.v'], inBytes: 9, outBytes: 16, axilAddrBits: 8 };
export const stuckReg: RtlDesign = { ...pipe40, top: 'stuck_reg', files: ['stuck_reg.v', 'pipe40.v', 'axil_regs.v'] };

const created: string[] = [];

/** A fresh temporary directory, so every test file starts from a cold cache. */
export function tempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tickforge-${tag}-`));
  created.push(dir);
  return dir;
}

/** For afterAll: removes every directory tempDir made in this test file. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Deterministic pseudo-random bytes (LCG), so failures reproduce. */
export function randomRecords(count: number, bytes: number, seed: number): Uint8Array {
  const out = new Uint8Array(count * bytes);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** Little-endian unsigned integer from bytes [from, from + n). */
export function readLE(bytes: Uint8Array, from: number, n: number): bigint {
  let v = 0n;
  for (let b = n - 1; b >= 0; b--) v = (v << 8n) | BigInt(bytes[from + b]);
  return v;
}

export function strictlyIncreasing(a: BigUint64Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] <= a[i - 1]) return false;
  return true;
}
