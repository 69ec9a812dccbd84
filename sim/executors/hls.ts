// The HLS kernel of a unit as an executor: the generated C++ (or a given, possibly hand-edited, kernel) compiled
// with g++ against the C-simulation headers (sim/hls.ts) and run on every record at the cycle it was taken.
import path from 'node:path';
import type { UnitIR } from '../../codegen/ir.ts';
import { wireOutput } from '../../codegen/ir.ts';
import { buildCsim, runCsim, runCsimFiles, CSIM_FLAGS } from '../hls.ts';
import { type Executor, type ExecutorRun, type Stimulus } from '../executor.ts';
import { everyCycle } from './model.ts';

export interface HlsRun extends ExecutorRun {
  readonly build: { buildSeconds: number; buildCached: boolean };
}

/** Raw bits as the C-simulation test bench reads a param value (signed params as signed decimals). */
function signedBits(ir: UnitIR, name: string, bits: bigint): bigint {
  const p = ir.params.find((x) => x.name === name);
  if (!p) throw new Error(`update: ${ir.name} has no param ${name}`);
  return p.spec.kind === 'sint' ? BigInt.asIntN(p.spec.width, bits) : BigInt.asUintN(p.spec.width, bits);
}

export function hlsExecutor(ir: UnitIR, o: { hlsDir?: string; log?: (s: string) => void; verbose?: boolean } = {}): Executor<HlsRun> {
  const log = o.log ?? (() => {});
  return {
    name: 'hls',
    async run(s: Stimulus): Promise<HlsRun> {
      const b = await buildCsim(ir, { srcDir: o.hlsDir ? path.resolve(o.hlsDir) : undefined, log: o.verbose ? log : undefined });
      log(`hls ${ir.name}: ${b.cached ? 'cached build' : `built in ${b.seconds.toFixed(1)} s`} (g++ ${CSIM_FLAGS.join(' ')})`);
      const now = s.cycles ?? everyCycle(s.records.length);
      // Param updates: the shadow values at the input the RTL host began writing, the COMMIT before the first input
      // that saw it (decided by the model from the RTL's COMMIT edge).
      const staged = (s.updates ?? []).flatMap((up) => [
        ...Object.entries(up.values).map(([name, bits]) => ({ at: up.at, name, value: signedBits(ir, name, bits) })),
        ...(up.input != null ? [{ at: up.input, name: 'commit' }] : []),
      ]);
      const r = await runCsim(b, ir, s.packed, now, s.params?.codes ?? {}, s.workDir, staged);
      const outBytes = wireOutput(ir).bytes;
      log(`hls ${ir.name}: ${s.records.length} inputs, ${r.outputs.length / outBytes} outputs (${r.seconds.toFixed(2)} s)`);
      const status = new Map<string, bigint>();
      for (const reg of ir.regs) if (reg.status) status.set(reg.name, BigInt.asUintN(reg.spec.width, r.status[reg.name] ?? -1n));
      return {
        executor: 'hls',
        outputs: r.outputs,
        outBytes,
        inCycles: now,
        outCycles: null,
        taps: new Map(),
        status,
        updates: (s.updates ?? []).map((u) => ({ cycle: null, input: u.input ?? null })),
        cycles: null,
        seconds: r.seconds,
        build: { buildSeconds: b.seconds, buildCached: b.cached },
      };
    },
  };
}

/**
 * The kernel run on inputs and cycles already in files (a long system cosim writes what each unit took as it goes):
 * its outputs left in a file, its status registers (raw bits) by name.
 */
export async function hlsFileRun(ir: UnitIR, files: { inputs: string; now: string }, workDir: string, o: { log?: (s: string) => void; verbose?: boolean; params?: Record<string, bigint> } = {}): Promise<{ outputs: string; status: Map<string, bigint>; seconds: number; build: { buildSeconds: number; buildCached: boolean } }> {
  const b = await buildCsim(ir, { log: o.verbose ? o.log : undefined });
  // Starting param values (raw codes by name, as a unit's cosim passes them), else the declared ones.
  const r = await runCsimFiles(b, ir, files, o.params ?? {}, workDir);
  const status = new Map<string, bigint>();
  for (const reg of ir.regs) if (reg.status) status.set(reg.name, BigInt.asUintN(reg.spec.width, r.status[reg.name] ?? -1n));
  return { outputs: r.outputs, status, seconds: r.seconds, build: { buildSeconds: b.seconds, buildCached: b.cached } };
}
