// `tickforge build` checks what it wrote when the tools are present: Verilator lints the Verilog (-Wall, the bar
// every generated module meets) and g++ parses the HLS kernel and its test bench against hls/include (-fsyntax-only
// with the C-simulation's warning flags). A failure is a TF140 diagnostic at the DSL line the offending generated
// line came from (generated lines end in `// <file>:<line>`), so a broken output is never an exit 0.
import fs from 'node:fs';
import path from 'node:path';
import { CompileError, type Loc } from '../codegen/diagnostics.ts';
import { runChild, verilatorCommand } from './tools.ts';
import { CSIM_FLAGS } from './hls.ts';

export interface CheckResult {
  /** 'verilator-lint' or 'g++-syntax'. */
  check: string;
  /** Command line run (for the record), or why the check was skipped. */
  command: string;
  seconds: number;
  skipped?: string;
}

/** The DSL location of line `line` of a generated file: its trailing `// file.ts:N` comment, else null. */
export function dslLocOf(file: string, line: number): Loc | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const l = text.split('\n')[line - 1] ?? '';
  const m = /\/\/ (\S+\.[cm]?[tj]sx?):(\d+)\s*$/.exec(l);
  return m ? { file: m[1], line: Number(m[2]), col: 1 } : null;
}

/** First `file:line` a tool names in its output, resolved against `cwd`. */
function firstPlace(output: string, cwd: string): { file: string; line: number } | null {
  const m = /(?:^|\s)([^\s:]+\.(?:v|sv|cpp|h)):(\d+)(?::\d+)?:/m.exec(output);
  return m ? { file: path.resolve(cwd, m[1]), line: Number(m[2]) } : null;
}

function fail(designFile: string, what: string, output: string, cwd: string): never {
  const place = firstPlace(output, cwd);
  const loc = (place && dslLocOf(place.file, place.line)) ?? { file: designFile, line: 1, col: 1 };
  const excerpt = output.split('\n').filter((l) => l.trim() && !l.startsWith('- ')).slice(0, 12).join('\n    ');
  throw new CompileError([
    {
      code: 'TF140',
      loc,
      message: `the generated ${what} does not pass its check${place ? ` (${path.relative(process.cwd(), place.file)}:${place.line})` : ''}:\n    ${excerpt}`,
      hint: 'this is a tickforge bug: please report it with the design; --no-check writes the output without checking it',
    },
  ]);
}

/** Lints `<out>/rtl/*.v` with Verilator -Wall; skipped (with a note) when Verilator cannot be found. */
export async function lintVerilog(designFile: string, rtlDir: string, top: string): Promise<CheckResult> {
  const t0 = performance.now();
  let cmd: ReturnType<typeof verilatorCommand>;
  try {
    cmd = verilatorCommand();
  } catch (e) {
    return { check: 'verilator-lint', command: '', seconds: 0, skipped: (e as Error).message };
  }
  const files = fs.readdirSync(rtlDir).filter((f) => f.endsWith('.v')).sort();
  const args = ['--lint-only', '-Wall', '--top-module', top, ...files];
  const command = `verilator ${args.join(' ')}`;
  const r = await runChild(cmd.cmd, args, rtlDir, cmd.env);
  if (r.missing) return { check: 'verilator-lint', command, seconds: 0, skipped: `${cmd.cmd} not found` };
  if (r.status !== 0) fail(designFile, 'Verilog', r.output, rtlDir);
  return { check: 'verilator-lint', command, seconds: (performance.now() - t0) / 1000 };
}

/** Parses the HLS kernel(s) and test bench with g++ against the copied hls/include; skipped without g++. */
export async function syntaxCheckHls(designFile: string, hlsDir: string, top: string, sources: string[] = [`${top}.cpp`]): Promise<CheckResult> {
  const t0 = performance.now();
  const cxx = process.env.CXX || 'g++';
  const flags = [...CSIM_FLAGS.filter((f) => f !== '-O2'), '-fsyntax-only', '-I.', '-Iinclude'];
  // `sources`: a system's top and every unit kernel (hls/system.ts); a unit's is its kernel alone.
  const args = [...flags, ...sources, 'tb.cpp'];
  const command = `${cxx} ${args.join(' ')}`;
  const r = await runChild(cxx, args, hlsDir);
  if (r.missing) return { check: 'g++-syntax', command, seconds: 0, skipped: `${cxx} not found` };
  if (r.status !== 0) fail(designFile, 'HLS C++', r.output, hlsDir);
  return { check: 'g++-syntax', command, seconds: (performance.now() - t0) / 1000 };
}

// ---- given sources (--rtl-dir, --hls-dir): the files used are named, and a directory without the top is refused

/** The source files of a --rtl-dir / --hls-dir, or an error when there are none. */
export function givenSources(dir: string, re: RegExp, what: string, flag: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${flag} ${dir}: not a directory`);
  const files = fs.readdirSync(dir).filter((f) => re.test(f) && f !== 'tb.cpp').sort();
  if (!files.length) throw new Error(`${flag} ${dir}: no ${what} sources in it`);
  return files;
}

/** Refuses a --rtl-dir / --hls-dir without the design's top (module or kernel function), and says what it uses. */
export function requireTop(dir: string, files: string[], top: string, what: string, decl: (t: string) => RegExp, log: (s: string) => void): void {
  const re = decl(top);
  const holders = files.filter((f) => re.test(fs.readFileSync(path.join(dir, f), 'utf8')));
  if (!holders.length) throw new Error(`${dir}: no file defines the ${what} ${top} (files: ${files.join(', ')}); it is the top the design is built with`);
  log(`using ${files.length} given source${files.length > 1 ? 's' : ''} from ${dir}: ${files.join(', ')} (${what} ${top} in ${holders.join(', ')})`);
}
