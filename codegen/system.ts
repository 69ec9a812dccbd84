// Compiling a system: its declaration (frontend/system.ts), each unit through the unit compiler, then the channel
// checks. The result is what the system back ends (rtl/system.ts) and the system cosim (sim/system.ts) read.
import { createHash } from 'node:crypto';
import { CompileError, type Loc } from './diagnostics.ts';
import type { UnitIR } from './ir.ts';
import { checkSystem, readSystem } from './frontend/system.ts';
import { type ChannelSpec, type ExternalInput, externalInputs } from '../dsl/system.ts';
import type { RecordSpec } from '../dsl/record.ts';
import { compile } from './index.ts';
import type { CompileOptions } from './frontend/index.ts';
import type { TimingOptions } from './timing/schedule.ts';
import { buildHashOf } from './buildhash.ts';
import { isLegalName, legalize } from './names.ts';

export type ScheduledUnit = UnitIR & { schedule: NonNullable<UnitIR['schedule']> };

export interface LinkIR {
  /** `<from>_to_<to>`: the name in taps, reports and the generated Verilog. */
  name: string;
  from: number;
  to: number;
  channel: ChannelSpec;
  record: RecordSpec;
  /** The producer has no TREADY: a FIFO between it and its consumer counts what it drops. */
  strobe: boolean;
  loc: Loc;
}

export interface SystemIR {
  kind: 'system';
  name: string;
  /** The top module's name: the system's name, made legal as names.ts makes a unit's (a reserved word gets '_'). */
  top: string;
  file: string;
  loc: Loc;
  units: ScheduledUnit[];
  unitFiles: string[];
  links: LinkIR[];
  /** The system's inputs: every unit input no channel feeds (dsl/system.ts externalInputs), in stage order. */
  externals: ExternalInput[];
  /** SHA-256 over the system file and every unit's build hash, 32 bits (hex). */
  buildHash: string;
}

/** Cycles a record spends in a channel without back-pressure (wire 0; slice, skid, fifo 1). */
export function channelLatency(c: ChannelSpec): number {
  return c.type === 'wire' ? 0 : 1;
}

export function compileSystem(file: string, opts: CompileOptions & { timing?: TimingOptions } = {}): SystemIR {
  const decl = readSystem(file, opts.root);
  const units = decl.units.map((s) => compile(s.file, opts));
  const diags = checkSystem(decl, units);
  if (diags.length) throw new CompileError(diags);
  const top = isLegalName(decl.name, 'unit') ? decl.name : `${decl.name}_`;
  // The top and its channel modules share the module namespace with every unit's modules.
  const taken = new Set(units.flatMap((u) => [legalize(u).name, `${legalize(u).name}_regs`]));
  for (const m of [top, ...['slice', 'skid', 'fifo'].map((k) => `${top}_${k}`)])
    if (taken.has(m)) throw new CompileError([{ code: 'TF150', loc: decl.loc, message: `system ${decl.name}: module ${m} would clash with a unit's module of that name; rename the system` }]);
  const h = createHash('sha256');
  h.update(buildHashOf(file));
  for (const u of units) h.update(`${u.name}:${u.buildHash ?? ''}\n`);
  return {
    kind: 'system',
    name: decl.name,
    top,
    file: decl.file,
    loc: decl.loc,
    units,
    unitFiles: decl.units.map((s) => s.file),
    links: decl.channels.map((c, k) => ({
      name: `${units[k].name}_to_${units[k + 1].name}`,
      from: k,
      to: k + 1,
      channel: c.channel,
      record: units[k].output,
      strobe: units[k].flow === 'strobe',
      loc: c.loc,
    })),
    externals: externalInputs(units.map((u) => ({ name: u.name, input: u.input, ports: u.inputs?.ports ?? null }))),
    buildHash: h.digest('hex').slice(0, 8),
  };
}

/** Latency without back-pressure, input handshake to the first output beat: units' latencies plus channels'. */
export function systemLatency(s: SystemIR): number {
  return s.units.reduce((a, u) => a + u.schedule.latency, 0) + s.links.reduce((a, l) => a + channelLatency(l.channel), 0);
}
