// Test helpers of the host control plane: the CLI as a child process (`-o json` parsed), and a stand-in card on a
// Unix socket that speaks the sim card's protocol over a plain register array, with faults on demand (no answer,
// a close after N writes), recording every write, so the failure tests can see that nothing was written.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { windowMap, type RegMap, type SystemMap } from '../../regmap/index.ts';

export const REPO = path.resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> | null;
}

export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(REPO, 'bin/tickforge.mjs'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => {
      let json: Record<string, unknown> | null = null;
      try {
        json = JSON.parse(stdout.trim().split('\n').pop() ?? '');
      } catch {
        /* text output */
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

export interface SimCard {
  proc: ChildProcess;
  exit: Promise<number | null>;
  /** Resolves when the card prints READY; rejects with its stderr when it exits first. */
  ready: Promise<void>;
}

/** `tickforge card <args>` as a child process (the caller keeps `proc` to stop it, then awaits `ready`). */
export function startCard(args: string[]): SimCard {
  const proc = spawn(process.execPath, [path.join(REPO, 'bin/tickforge.mjs'), 'card', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((r) => proc.on('exit', (c) => r(c)));
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => ((out += d), out.includes('READY') && resolve()));
    proc.once('exit', (c) => reject(new Error(`card exited ${c}: ${err}`)));
  });
  return { proc, exit, ready };
}

export interface FakeCard {
  socket: string;
  regs: Map<number, number>;
  writes: Array<{ offset: number; value: number }>;
  close(): Promise<void>;
}

/**
 * A register array behind the sim card's line protocol: ID, VERSION, BUILD_HASH from the map (or `buildHash`),
 * param words with their reset values, COMMIT echoed into STATUS. `silent`: accepts and never answers;
 * `closeAfterWrites`: closes the connection on that many-th write (before answering it, after applying nothing).
 */
export async function fakeCard(map: RegMap, socket: string, o: { buildHash?: string; silent?: boolean; closeAfterWrites?: number } = {}): Promise<FakeCard> {
  const regs = new Map<number, number>();
  unitRegisters(map, regs, o.buildHash);
  return serveRegisters(regs, [map], socket, o);
}

/** A unit's register file into `regs`: its standard block, BUILD_HASH, params at their resets, status words at 0. */
function unitRegisters(map: RegMap, regs: Map<number, number>, buildHash?: string): void {
  for (const r of map.standard) regs.set(r.offset, r.reset);
  regs.set(map.standard.find((r) => r.name === 'BUILD_HASH')!.offset, Number.parseInt(buildHash ?? map.buildHash, 16) >>> 0);
  for (const w of map.windows) for (const p of w.params) for (const wd of p.words) regs.set(wd.offset, wd.reset);
  for (const w of map.windows) for (const st of w.status) for (const wd of st.words) regs.set(wd.offset, 0);
}

/**
 * A system's card as a register array: the system block's words (`layout` overrides LAYOUT), and every unit's
 * register file at its window (windowMap), each with its own COMMIT echo and CONTROL -> STATUS.
 */
export async function fakeSystemCard(sys: SystemMap, socket: string, o: { layout?: number } = {}): Promise<FakeCard> {
  const regs = new Map<number, number>();
  for (const w of sys.block) regs.set(w.offset, w.name === 'LAYOUT' && o.layout !== undefined ? o.layout : w.value);
  const maps = sys.windows.map((w) => windowMap(sys, w.unit));
  for (const m of maps) unitRegisters(m, regs);
  return serveRegisters(regs, maps, socket, {});
}

async function serveRegisters(regs: Map<number, number>, maps: RegMap[], socket: string, o: { silent?: boolean; closeAfterWrites?: number }): Promise<FakeCard> {
  const std = (m: RegMap, n: string) => m.standard.find((r) => r.name === n)!.offset;
  const writes: Array<{ offset: number; value: number }> = [];
  const server = net.createServer((c) => {
    let buf = '';
    c.on('data', (d) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (o.silent) continue;
        const [op, a, b] = line.split(' ');
        const off = Number.parseInt(a ?? '0', 16);
        if (op === 'R') c.write(regs.has(off) ? `OK ${(regs.get(off)! >>> 0).toString(16)}\n` : `ERR SLVERR read of 0x${off.toString(16)}\n`);
        else if (op === 'W') {
          if (o.closeAfterWrites !== undefined && writes.length >= o.closeAfterWrites) {
            c.destroy();
            return;
          }
          const v = Number.parseInt(b, 16) >>> 0;
          writes.push({ offset: off, value: v });
          for (const m of maps) {
            const st = std(m, 'STATUS');
            if (off === std(m, 'COMMIT')) regs.set(st, ((v & 0xffff) << 16) | (regs.get(st)! & 3));
            else if (off === std(m, 'CONTROL')) regs.set(st, (regs.get(st)! & ~3) | (v & 3));
          }
          if (!maps.some((m) => off === std(m, 'SNAPSHOT'))) regs.set(off, v);
          c.write('OK 0\n');
        } else if (op === 'INFO') c.write('OK {}\n');
        else c.write(`ERR unknown request: ${line}\n`);
      }
    });
  });
  fs.rmSync(socket, { force: true });
  await new Promise<void>((r) => server.listen(socket, r));
  return { socket, regs, writes, close: () => new Promise<void>((r) => server.close(() => r())) };
}
