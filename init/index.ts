// `tickforge init [dir]`: a new project that uses tickforge from its own repository: package.json (tickforge as a
// dependency), tsconfig, a first design and its vitest model test, .gitignore, and CI for GitHub Actions and GitLab
// CI that run the same commands as the README. The files are init/template/ as they are, but for two placeholders;
// dot-files are stored as `_name` there because `npm pack` leaves out files called .gitignore.
import fs from 'node:fs';
import path from 'node:path';
import { PKG_ROOT } from '../toolchain/index.ts';

const TEMPLATE = path.join(PKG_ROOT, 'init', 'template');

export interface InitOptions {
  /** The package.json dependency spec of tickforge (default `^<this version>`; a tarball path or `file:` works too). */
  tickforge?: string;
  /** package.json name (default: the folder's name, made a valid npm name). */
  name?: string;
}

function templateFiles(dir = TEMPLATE, rel = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? templateFiles(path.join(dir, e.name), path.join(rel, e.name)) : [path.join(rel, e.name)])).sort();
}

/** The project-relative name a template file is written under: `_github/x` -> `.github/x`. */
const target = (rel: string) => rel.split(path.sep).map((p) => p.replace(/^_/, '.')).join(path.sep);

export function npmName(folder: string): string {
  const n = path.basename(path.resolve(folder)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '');
  return n || 'tickforge-design';
}

/** Writes the project into `dir` (created; refused when it holds anything already); returns the files written. */
export function initProject(dir: string, o: InitOptions = {}): string[] {
  const abs = path.resolve(dir);
  if (fs.existsSync(abs) && fs.readdirSync(abs).length) throw new Error(`${dir} is not empty: \`tickforge init\` writes a new project into an empty or new folder`);
  const version = JSON.parse(fs.readFileSync(path.join(PKG_ROOT, 'package.json'), 'utf8')).version as string;
  let spec = o.tickforge ?? `^${version}`;
  // A local tarball or folder given as a path: npm wants `file:` and a path it resolves from the project.
  if (!spec.startsWith('file:') && (spec.endsWith('.tgz') || spec.startsWith('.') || spec.startsWith('/'))) spec = `file:${path.resolve(spec)}`;
  const values: Record<string, string> = { name: o.name ?? npmName(abs), tickforge: spec };
  const written: string[] = [];
  for (const rel of templateFiles()) {
    const text = fs.readFileSync(path.join(TEMPLATE, rel), 'utf8').replace(/\{\{(name|tickforge)\}\}/g, (_m, k: string) => values[k]!);
    const out = path.join(abs, target(rel));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, text);
    written.push(target(rel));
  }
  return written;
}
