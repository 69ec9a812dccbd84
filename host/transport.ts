// Card back ends: 32-bit register access to one card, whatever carries it. `sim:<socket>` talks to the simulated
// card's daemon, `xdma:<device>[@<BAR offset>]` preads/pwrites the XDMA user BAR character device, `opae:<BDF>`
// runs `opae.io peek/poke` (docs/host.md says what of it is untested here). Each failure is an Error whose message
// names the card, so the CLI can print it as is.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export class CardError extends Error {}
/** The control plane refused: the request is not safe or not valid as given (exit 1, not a fault). */
export class Refusal extends CardError {}
/** The card is not the one expected (ID, layout or build hash). */
export class IdentityError extends Refusal {}

export interface Transport {
  /** The card spec it was opened with, for messages and the audit log. */
  readonly card: string;
  readonly kind: 'sim' | 'xdma' | 'opae';
  read32(offset: number): Promise<number>;
  /** Resolves with the clock cycle the write was taken at when the back end knows it (the sim card does). */
  write32(offset: number, value: number): Promise<{ cycle?: number }>;
  close(): Promise<void>;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

function checkAccess(card: string, offset: number, aperture: number, value?: number): void {
  if (!Number.isInteger(offset) || offset < 0) throw new CardError(`${card}: offset ${offset} is not a byte offset`);
  if (offset % 4 !== 0) throw new CardError(`${card}: offset ${hex(offset)} is not 4-byte aligned (registers are 32-bit words)`);
  if (offset + 4 > aperture) throw new CardError(`${card}: offset ${hex(offset)} is outside the ${aperture}-byte register aperture`);
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 0xffffffff)) throw new CardError(`${card}: value ${value} is not a 32-bit word`);
}

/** The simulated card: one request line, one answer line (host/simcard/daemon.cpp.hbs). */
export class SimTransport implements Transport {
  readonly kind = 'sim' as const;
  private sock: net.Socket | null = null;
  private buf = '';
  /** The request in flight: `want` answer lines to collect (several for a pipelined batch, writeMany). */
  private pending: { resolve: (lines: string[]) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; req: string; want: number; got: string[] } | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly card: string, private readonly path: string, private readonly aperture: number, private readonly timeoutMs = 5000) {}

  private connect(): Promise<net.Socket> {
    if (this.sock) return Promise.resolve(this.sock);
    return new Promise((resolve, reject) => {
      const s = net.createConnection(this.path);
      const timer = setTimeout(() => (s.destroy(), reject(new CardError(`${this.card}: no answer to connect within ${this.timeoutMs} ms`))), this.timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        this.sock = s;
        s.setEncoding('utf8');
        s.on('data', (d: string) => this.onData(d));
        s.on('close', () => this.fail(new CardError(`${this.card}: the socket closed in the middle of ${this.pending?.req ?? 'a command'}`)));
        s.on('error', (e) => this.fail(new CardError(`${this.card}: ${e.message}`)));
        resolve(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new CardError(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? `${this.card}: no sim card listening at ${this.path} (${e.code})` : `${this.card}: ${e.message}`));
      });
    });
  }

  private onData(d: string): void {
    this.buf += d;
    let nl: number;
    while (this.pending && (nl = this.buf.indexOf('\n')) >= 0) {
      const p = this.pending;
      p.got.push(this.buf.slice(0, nl));
      this.buf = this.buf.slice(nl + 1);
      if (p.got.length < p.want) continue;
      this.pending = null;
      clearTimeout(p.timer);
      p.resolve(p.got);
    }
  }

  private fail(e: Error): void {
    this.sock = null;
    const p = this.pending;
    this.pending = null;
    if (p) clearTimeout(p.timer), p.reject(e);
  }

  /** Requests sent together and their answer lines, in order; serialized with every other request. */
  private exchange(reqs: string[]): Promise<string[]> {
    const what = reqs.length === 1 ? `\`${reqs[0]}\`` : `a batch of ${reqs.length} requests from \`${reqs[0]}\``;
    const run = async () => {
      const s = await this.connect();
      return new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending = null;
          s.destroy();
          this.sock = null;
          reject(new CardError(`${this.card}: no answer to ${what} within ${this.timeoutMs} ms (the card does not answer)`));
        }, this.timeoutMs);
        this.pending = { resolve, reject, timer, req: what, want: reqs.length, got: [] };
        s.write(reqs.map((r) => r + '\n').join(''));
      });
    };
    const r = this.chain.then(run, run);
    this.chain = r.catch(() => undefined);
    return r;
  }

  /**
   * Register writes pipelined: each batch of up to 256 sent at once, the daemon answering them back to back (a
   * round trip per batch, not per word: a 65,536-entry memory load). Resolves with each write's cycle; on the first
   * error answer it throws, `done` (on the error) holding how many writes the card took.
   */
  async writeMany(writes: ReadonlyArray<{ offset: number; value: number }>): Promise<Array<{ cycle?: number }>> {
    for (const w of writes) checkAccess(this.card, w.offset, this.aperture, w.value);
    const out: Array<{ cycle?: number }> = [];
    for (let k = 0; k < writes.length; k += 256) {
      const batch = writes.slice(k, k + 256);
      const lines = await this.exchange(batch.map((w) => `W ${w.offset.toString(16)} ${(w.value >>> 0).toString(16)}`));
      const bad = lines.findIndex((l) => !l.startsWith('OK'));
      if (bad >= 0) {
        const e = new CardError(`${this.card}: write of 0x${(batch[bad].value >>> 0).toString(16)} to 0x${batch[bad].offset.toString(16)}: ${lines[bad].replace(/^ERR\s*/, '')}`) as CardError & { done?: number };
        e.done = out.length + lines.filter((l) => l.startsWith('OK')).length;
        throw e;
      }
      for (const l of lines) out.push({ cycle: Number(l.slice(2).trim()) });
    }
    return out;
  }

  /** One request and its answer; requests are serialized. */
  async request(req: string): Promise<string> {
    const [line] = await this.exchange([req]);
    if (line.startsWith('OK')) return line.slice(2).trim();
    throw new CardError(`${this.card}: \`${req}\`: ${line.replace(/^ERR\s*/, '')}`);
  }

  async read32(offset: number): Promise<number> {
    checkAccess(this.card, offset, this.aperture);
    return Number.parseInt(await this.request(`R ${offset.toString(16)}`), 16) >>> 0;
  }

  async write32(offset: number, value: number): Promise<{ cycle?: number }> {
    checkAccess(this.card, offset, this.aperture, value);
    return { cycle: Number(await this.request(`W ${offset.toString(16)} ${(value >>> 0).toString(16)}`)) };
  }

  /** The daemon's own counters and what it was started with. */
  async info(): Promise<SimInfo> {
    return JSON.parse(await this.request('INFO')) as SimInfo;
  }

  async close(): Promise<void> {
    const s = this.sock;
    this.sock = null;
    if (s) await new Promise<void>((resolve) => s.end(resolve));
  }
}

export interface SimInfo {
  cycle: number;
  periodPs: number;
  inputs: number;
  accepted: number;
  outputs: number;
  inputStallCycles: number;
  gap: number;
  /** False until FEED on a card started with --hold-feed. */
  feeding?: boolean;
  card: { build: string; designFile: string; design: string; buildHash: string; input: string; seed: number; pcap: string; journal: string };
}

/**
 * XDMA user BAR (`/dev/xdma0_user`): the driver maps the character device's file offset to the BAR, so a 4-byte
 * pread/pwrite at `barOffset + offset` is one 32-bit AXI4-Lite access. Offsets must be 4-byte aligned and every
 * access is exactly 4 bytes, little-endian (the driver does the same in its ioread32/iowrite32).
 */
export class XdmaTransport implements Transport {
  readonly kind = 'xdma' as const;
  private fd: number | null = null;

  constructor(readonly card: string, private readonly device: string, private readonly barOffset: number, private readonly aperture: number) {}

  private open(): number {
    if (this.fd !== null) return this.fd;
    try {
      this.fd = fs.openSync(this.device, fs.constants.O_RDWR | fs.constants.O_SYNC);
    } catch (e) {
      throw new CardError(`${this.card}: cannot open ${this.device}: ${(e as Error).message}`);
    }
    return this.fd;
  }

  async read32(offset: number): Promise<number> {
    checkAccess(this.card, offset, this.aperture);
    const b = Buffer.alloc(4);
    const n = fs.readSync(this.open(), b, 0, 4, this.barOffset + offset);
    if (n !== 4) throw new CardError(`${this.card}: read of ${hex(this.barOffset + offset)} returned ${n} bytes, not 4 (is the BAR that large?)`);
    return b.readUInt32LE(0);
  }

  async write32(offset: number, value: number): Promise<{ cycle?: number }> {
    checkAccess(this.card, offset, this.aperture, value);
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0, 0);
    const n = fs.writeSync(this.open(), b, 0, 4, this.barOffset + offset);
    if (n !== 4) throw new CardError(`${this.card}: write to ${hex(this.barOffset + offset)} took ${n} bytes, not 4`);
    return {};
  }

  async close(): Promise<void> {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * OPAE (Agilex): `opae.io -d <BDF> -r <region> peek|poke <offset> [<value>]`, one process per access, through the
 * vfio binding `opae.io init -d <BDF>` makes. Slow (a Python start per access) but what OPAE documents for
 * register access from a shell; untested here (no card, no opae.io in CI): the command lines are tested with a
 * stand-in. $TICKFORGE_OPAE_IO overrides the executable.
 */
export class OpaeTransport implements Transport {
  readonly kind = 'opae' as const;
  constructor(readonly card: string, private readonly bdf: string, private readonly base: number, private readonly aperture: number, private readonly exe = process.env.TICKFORGE_OPAE_IO ?? 'opae.io') {}

  /** The argv of one access (commands as data). */
  argv(op: 'peek' | 'poke', offset: number, value?: number): string[] {
    return ['-d', this.bdf, '-r', '0', op, hex(this.base + offset), ...(value === undefined ? [] : [hex(value)])];
  }

  private run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) =>
      execFile(this.exe, args, { timeout: 10_000 }, (err, stdout, stderr) => {
        if (err) reject(new CardError(`${this.card}: ${this.exe} ${args.join(' ')}: ${(stderr || err.message).trim()}`));
        else resolve(stdout.trim());
      }),
    );
  }

  async read32(offset: number): Promise<number> {
    checkAccess(this.card, offset, this.aperture);
    const out = await this.run(this.argv('peek', offset));
    const v = Number.parseInt(out.split(/\s+/).pop() ?? '', 16);
    if (!Number.isFinite(v)) throw new CardError(`${this.card}: opae.io peek answered \`${out}\`, not a hex word`);
    return v >>> 0;
  }

  async write32(offset: number, value: number): Promise<{ cycle?: number }> {
    checkAccess(this.card, offset, this.aperture, value);
    await this.run(this.argv('poke', offset, value));
    return {};
  }

  async close(): Promise<void> {}
}

/** `sim:<socket>`, `xdma:<device>[@<BAR offset>]`, `opae:<BDF>[@<offset>]`. */
export function openCard(spec: string, aperture: number, opts?: { timeoutMs?: number }): Transport {
  const m = /^(sim|xdma|opae):([^@]+)(?:@(0x[0-9a-fA-F]+|\d+))?$/.exec(spec);
  if (!m) throw new CardError(`--card ${spec}: expected sim:<socket path>, xdma:<device>[@<BAR offset>] or opae:<BDF>[@<offset>]`);
  const base = m[3] ? Number(m[3]) : 0;
  if (base % 4 !== 0) throw new CardError(`--card ${spec}: the kernel's BAR offset must be 4-byte aligned`);
  if (m[1] === 'sim') {
    if (m[3]) throw new CardError(`--card ${spec}: a sim card has no BAR offset`);
    return new SimTransport(spec, m[2], aperture, opts?.timeoutMs);
  }
  if (m[1] === 'xdma') return new XdmaTransport(spec, m[2], base, aperture);
  if (!/^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/.test(m[2])) throw new CardError(`--card ${spec}: ${m[2]} is not a PCIe BDF (dddd:bb:dd.f)`);
  return new OpaeTransport(spec, m[2], base, aperture);
}
