// What the control plane needs from a `tickforge build` directory: the register map (the only source of offsets a
// host uses), the design file, the clock and the pipeline latency. A system's build has the system map instead
// (regmap/system.json: the system block and a window per unit, docs/systems.md).
import fs from 'node:fs';
import path from 'node:path';
import type { RegMap, SystemMap } from '../regmap/index.ts';

export interface BuildInfo {
  dir: string;
  map: RegMap;
  /** The design file the build compiled (report.json `file`, resolved against the working directory, then the build's parent). */
  designFile: string;
  clockMHz: number;
  latencyCycles: number;
  latencyNs: number;
}

export interface SystemBuildInfo {
  dir: string;
  system: SystemMap;
  /** The system file the build compiled. */
  designFile: string;
  clockMHz: number;
  latencyCycles: number;
  latencyNs: number;
}

const systemMapFile = (dir: string) => path.join(path.resolve(dir), 'regmap', 'system.json');

/** True when `dir` is a system's build (regmap/system.json, no regmap/regmap.json). */
export function isSystemBuild(dir: string): boolean {
  return fs.existsSync(systemMapFile(dir)) && !fs.existsSync(path.join(path.resolve(dir), 'regmap', 'regmap.json'));
}

type Report = { file?: string; clock?: { mhz: number }; clockMHz?: number; pipelineLatencyCycles?: number; latencyNs?: number };

function designPath(abs: string, file: string, given?: string): string {
  return given ?? [path.resolve(file), path.resolve(abs, '..', file)].find((f) => fs.existsSync(f)) ?? path.resolve(file);
}

export function loadSystemBuild(dir: string, designFile?: string): SystemBuildInfo {
  const abs = path.resolve(dir);
  const system = JSON.parse(fs.readFileSync(systemMapFile(dir), 'utf8')) as SystemMap;
  if (system.schema !== 'tickforge-system-regmap/1') throw new Error(`${systemMapFile(dir)}: schema ${String(system.schema)}, expected tickforge-system-regmap/1`);
  const reportFile = path.join(abs, 'report.json');
  const report = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report) : {};
  if (!report.file) throw new Error(`${reportFile}: no \`file\` (the system file the build compiled)`);
  return { dir: abs, system, designFile: designPath(abs, report.file, designFile), clockMHz: report.clockMHz ?? report.clock?.mhz ?? 322.27, latencyCycles: report.pipelineLatencyCycles ?? 0, latencyNs: report.latencyNs ?? 0 };
}

export function loadBuild(dir: string, designFile?: string): BuildInfo {
  const abs = path.resolve(dir);
  const mapFile = path.join(abs, 'regmap', 'regmap.json');
  const reportFile = path.join(abs, 'report.json');
  if (!fs.existsSync(mapFile) && isSystemBuild(dir)) throw new Error(`${dir}: a system's build (regmap/system.json): the host addresses it as <unit>.<register>`);
  if (!fs.existsSync(mapFile)) throw new Error(`${dir}: no regmap/regmap.json (not a tickforge build directory? run \`tickforge build <design> --out ${dir}\`)`);
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as RegMap;
  if (map.schema !== 'tickforge-regmap/1') throw new Error(`${mapFile}: schema ${String(map.schema)}, expected tickforge-regmap/1`);
  const report = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report) : {};
  const design = designPath(abs, report.file ?? map.file, designFile);
  return { dir: abs, map, designFile: design, clockMHz: report.clock?.mhz ?? 322.27, latencyCycles: report.pipelineLatencyCycles ?? 0, latencyNs: report.latencyNs ?? 0 };
}
