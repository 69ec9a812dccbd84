// The executors (sim/executor.ts): one file each, for units; sim/system.ts composes them for systems.
export { type RtlRun, type RtlOptions, rtlExecutor, buildRtlDesign, paramWrites } from './rtl.ts';
export { type ModelRun, modelExecutor, everyCycle } from './model.ts';
export { type HlsRun, hlsExecutor } from './hls.ts';
