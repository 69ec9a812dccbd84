// `verilator --lint-only -Wall` on a directory of generated Verilog: the warning and error lines ('' when clean).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { verilatorCommand } from '../../sim/tools.ts';

export function verilatorLint(dir: string, top: string): string {
  const v = verilatorCommand();
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.v')).sort().map((f) => path.join(dir, f));
  const r = spawnSync(v.cmd, ['--lint-only', '-Wall', '--top-module', top, ...files], { env: { ...process.env, ...v.env }, encoding: 'utf8' });
  return r.stderr.split('\n').filter((l) => l.startsWith('%')).join('\n');
}
