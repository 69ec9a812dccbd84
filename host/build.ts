// What the control plane needs from a `tickforge build` directory: the register map (the only source of offsets a
// host uses), the design file, the clock and the pipeline latency.
import fs from 'node:fs';
import path from 'node:path';
import type { RegMap } from '../regmap/index.ts';

export interface BuildInfo {
  dir: string;
  map: RegMap;
  /** The design file the build compiled (report.json `file`, resolved against the working directory, then the build's parent). */
  designFile: string;
  clockMHz: number;
  latencyCycles: number;
  latencyNs: number;
}

export function loadBuild(dir: string, designFile?: string): BuildInfo {
  const abs = path.resolve(dir);
  const mapFile = path.join(abs, 'regmap', 'regmap.json');
  const reportFile = path.join(abs, 'report.json');
  if (!fs.existsSync(mapFile)) throw new Error(`${dir}: no regmap/regmap.json (not a tickforge build directory? run \`tickforge build <design> --out ${dir}\`)`);
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as RegMap;
  if (map.schema !== 'tickforge-regmap/1') throw new Error(`${mapFile}: schema ${String(map.schema)}, expected tickforge-regmap/1`);
  const report = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { file?: string; clock?: { mhz: number }; pipelineLatencyCycles?: number; latencyNs?: number }) : {};
  const file = report.file ?? map.file;
  const design = designFile ?? [path.resolve(file), path.resolve(abs, '..', file)].find((f) => fs.existsSync(f)) ?? path.resolve(file);
  return { dir: abs, map, designFile: design, clockMHz: report.clock?.mhz ?? 322.27, latencyCycles: report.pipelineLatencyCycles ?? 0, latencyNs: report.latencyNs ?? 0 };
}
