// Progress of a long run (stimulus generation, replays) for a person at a terminal: one line rewritten in place on
// stderr. Quiet when stdout is not a terminal or CI=true, so CI logs and piped output get no carriage returns.
export interface Progress {
  tick(n?: number): void;
  done(): void;
}

export function progressEnabled(): boolean {
  return Boolean(process.stdout.isTTY && process.stderr.isTTY) && process.env.CI !== 'true';
}

/** `label: done/total (p %)` at most every `everyMs`; a no-op when not enabled. */
export function progress(label: string, total: number, o: { enabled?: boolean; write?: (s: string) => void; everyMs?: number } = {}): Progress {
  if (!(o.enabled ?? progressEnabled())) return { tick() {}, done() {} };
  const write = o.write ?? ((s: string) => void process.stderr.write(s));
  const every = o.everyMs ?? 200;
  let n = 0;
  let last = 0;
  let shown = false;
  return {
    tick(k = 1) {
      n += k;
      // performance.now() is cheap, but not per message of a 10M run: look at the clock every 4096 ticks.
      if ((n & 4095) !== 0 && n !== total) return;
      const now = performance.now();
      if (now - last < every && n !== total) return;
      last = now;
      shown = true;
      write(`\rtickforge: ${label}: ${n.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.floor((100 * n) / Math.max(1, total))} %)\x1b[K`);
    },
    done() {
      if (shown) write('\r\x1b[K');
    },
  };
}
