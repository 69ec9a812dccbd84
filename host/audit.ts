// The audit trail: every register write the control plane makes, one JSON object a line, appended before the
// command returns. Each line carries the SHA-256 of the previous line's hash and its own content, so an edited,
// removed or reordered line breaks the chain; `<log>.head` holds the last sequence number and hash, so a cut tail
// (the last lines removed) is caught too. 17a-4's "who, when, what, before and after" are the fields.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface AuditEntry {
  seq: number;
  /** Operator: --operator, else $TICKFORGE_OPERATOR, else the login name. */
  who: string;
  /** Wall time of the write, nanoseconds since the Unix epoch (decimal string). */
  ns: string;
  card: string;
  /** The command that made the write (deploy, ctl set, ...). */
  cmd: string;
  register: string;
  offset: number;
  /** The word before (null when write-only) and the word written. */
  old: number | null;
  new: number;
  /** The generation (COMMIT) when the write was made; for a COMMIT, the new one. */
  generation: number;
  /** The clock cycle the card took the write at, when the card knows (the sim card); a load's last write. */
  cycle?: number;
  /**
   * A host memory's load (`ctl load`), two lines for all its writes: `phase` start (before the first write; `writes`
   * planned) and done or failed (`writes` the card took). `register` is the memory, `offset` its ADDR word, `new`
   * the entries; the SHA-256 of the file loaded. Writes: ADDR, the DATA words, the read-back's ADDR writes.
   */
  load?: { phase: 'start' | 'done' | 'failed'; entries: number; writes: number; sha256: string; firstCycle?: number };
  prev: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);
const hashOf = (e: Omit<AuditEntry, 'hash'>): string => createHash('sha256').update(JSON.stringify(e)).digest('hex');

export function operatorName(given?: string): string {
  if (given) return given;
  if (process.env.TICKFORGE_OPERATOR) return process.env.TICKFORGE_OPERATOR;
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Wall time in ns: the epoch in ms at start plus a monotonic clock, so entries of one process never go back. */
const t0ms = BigInt(Date.now());
const h0 = process.hrtime.bigint();
export const nowNs = (): string => (t0ms * 1_000_000n + (process.hrtime.bigint() - h0)).toString();

export class AuditLog {
  private seq = 0;
  private prev = GENESIS;

  constructor(readonly file: string, readonly who: string) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    // Continue the chain; a log that does not verify is not appended to (the break would be buried).
    if (fs.existsSync(file)) {
      const v = verifyAudit(file);
      if (!v.ok) throw new Error(`audit log ${file} does not verify (${v.errors[0]}); not appending to it`);
      this.seq = v.entries;
      this.prev = v.head;
    }
    // Fail before any card write if the log cannot be written.
    fs.accessSync(path.dirname(path.resolve(file)), fs.constants.W_OK);
  }

  append(e: Omit<AuditEntry, 'seq' | 'who' | 'ns' | 'prev' | 'hash'>): AuditEntry {
    const body: Omit<AuditEntry, 'hash'> = { seq: this.seq + 1, who: this.who, ns: nowNs(), ...e, prev: this.prev };
    const entry: AuditEntry = { ...body, hash: hashOf(body) };
    fs.appendFileSync(this.file, JSON.stringify(entry) + '\n');
    fs.writeFileSync(this.file + '.head', JSON.stringify({ seq: entry.seq, hash: entry.hash }) + '\n');
    this.seq = entry.seq;
    this.prev = entry.hash;
    return entry;
  }
}

export interface AuditVerdict {
  ok: boolean;
  file: string;
  entries: number;
  head: string;
  errors: string[];
}

/** Checks every line's hash and link, the sequence numbers, and the head file when there is one. */
export function verifyAudit(file: string): AuditVerdict {
  const errors: string[] = [];
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let prev = GENESIS;
  let n = 0;
  lines.forEach((line, i) => {
    const at = `line ${i + 1}`;
    let e: AuditEntry;
    try {
      e = JSON.parse(line) as AuditEntry;
    } catch {
      errors.push(`${at}: not JSON`);
      return;
    }
    const { hash, ...body } = e;
    if (hashOf(body) !== hash) errors.push(`${at} (seq ${e.seq}): its hash does not match its content (edited)`);
    if (e.prev !== prev) errors.push(`${at} (seq ${e.seq}): does not follow the line before it (a line removed, inserted or moved)`);
    if (e.seq !== i + 1) errors.push(`${at}: sequence number ${e.seq}, expected ${i + 1}`);
    prev = hash;
    n++;
  });
  const headFile = file + '.head';
  if (fs.existsSync(headFile)) {
    const h = JSON.parse(fs.readFileSync(headFile, 'utf8')) as { seq: number; hash: string };
    if (h.seq !== n || h.hash !== prev) errors.push(`the log ends at seq ${n}, its head file says seq ${h.seq} (lines cut from the end, or the head replaced)`);
  }
  return { ok: errors.length === 0, file, entries: n, head: prev, errors };
}
