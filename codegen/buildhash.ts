// The build hash: which DSL sources and which compiler a build came from. compile() sets it on the IR; the
// register map (regmap/) puts it in the BUILD_HASH register and `tickforge build` prints it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The compiler version (package.json), part of VERSION and of the build hash. */
export const COMPILER_VERSION: string = JSON.parse(fs.readFileSync(path.join(HERE, '..', 'package.json'), 'utf8')).version;

/**
 * Build hash: SHA-256 over the compiler version and the DSL sources (the design file and every file it imports
 * by a relative path, in a fixed order), truncated to 32 bits. `build` prints it and the RTL returns it from
 * BUILD_HASH, so a host can tell which sources the loaded bitstream came from.
 */
export function buildHashOf(file: string): string {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (abs: string) => {
    if (seen.has(abs) || !fs.existsSync(abs) || !fs.statSync(abs).isFile()) return;
    seen.add(abs);
    order.push(abs);
    const text = fs.readFileSync(abs, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.\.?\/[^'"]+)['"]/g)) {
      let p = path.resolve(path.dirname(abs), m[1]);
      if (!fs.existsSync(p) && fs.existsSync(p + '.ts')) p += '.ts';
      visit(p);
    }
  };
  const root = path.resolve(file);
  visit(root);
  const h = createHash('sha256');
  h.update(`tickforge ${COMPILER_VERSION}\n`);
  for (const abs of order) {
    // Paths relative to the design file, so the hash does not depend on where the checkout lives.
    h.update(`${path.relative(path.dirname(root), abs)}\n`);
    h.update(fs.readFileSync(abs));
  }
  return h.digest('hex').slice(0, 8);
}

