// `tickforge ctl <op> --card <spec>`: status, get, set, commit, arm, disarm, kill, reset-counters, counters,
// latency, watch, audit verify (docs/host.md). Every register write goes through the audit log. `-o json` prints
// one JSON object (a line per sample for watch) with `ok`; failures exit non-zero: 1 when the card or the input
// was refused (identity, build hash, config, audit chain), 2 when something failed (no answer, socket closed).
import fs from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { createHash } from 'node:crypto';
import { AuditLog, CardClient, CardError, ConfigError, Refusal, SimTransport, SystemClient, readCardLayout, isSystemBuild, loadBuild, loadSystemBuild, memoryCodes, openCard, operatorName, parseAssignments, validateConfig, verifyAudit, readJournal, replayJournal, replaySystemJournal, designOf, type BuildInfo, type SystemBuildInfo, type Transport } from '../host/index.ts';
import { SYSTEM_ID, SYSTEM_WORDS, type CardLayout } from '../regmap/index.ts';
import { compileSystem } from '../codegen/system.ts';

export interface HostArgs {
  card?: string;
  build?: string;
  audit: string;
  operator?: string;
  o: string;
  timeout: number;
}

export function hostOptions<T>(y: Argv<T>): Argv<T & HostArgs> {
  return y
    .option('card', { type: 'string', default: process.env.TICKFORGE_CARD, describe: 'sim:<socket>, xdma:<device>[@<BAR offset>] or opae:<BDF>[@<offset>] ($TICKFORGE_CARD)' })
    .option('build', { type: 'string', describe: 'the card\'s build directory (its regmap/regmap.json); a sim card tells its own' })
    .option('audit', { type: 'string', default: process.env.TICKFORGE_AUDIT ?? 'tickforge-audit.jsonl', describe: 'audit log (JSON lines, hash-chained) every write is appended to ($TICKFORGE_AUDIT)' })
    .option('operator', { type: 'string', describe: 'who is making the change (default $TICKFORGE_OPERATOR, else the login name)' })
    .option('o', { alias: 'output', type: 'string', choices: ['text', 'json'], default: 'text', describe: 'output format' })
    .option('timeout', { type: 'number', default: 5000, describe: 'ms to wait for each register access of a sim card' }) as Argv<T & HostArgs>;
}

const replacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** Prints a result: JSON (one line) or `key: value` text. */
export function emit(a: HostArgs, r: Record<string, unknown>): void {
  if (a.o === 'json') {
    console.log(JSON.stringify({ ok: true, ...r }, replacer));
    return;
  }
  for (const [k, v] of Object.entries(r)) console.log(`${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v, replacer) : String(v)}`);
}

/** Runs a host command: errors become a message, `{ok:false}` in JSON mode, and an exit code. */
export async function hostRun(a: HostArgs, f: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await f()) ?? 0;
  } catch (err) {
    const e = err as Error;
    const refused = e instanceof ConfigError || e instanceof Refusal;
    if (a.o === 'json') console.log(JSON.stringify({ ok: false, error: e.message, ...(e instanceof ConfigError ? { errors: e.errors } : {}) }));
    process.stderr.write(`tickforge: error: ${e.message}\n`);
    process.exitCode = refused ? 1 : 2;
  }
}

export interface Session {
  client: CardClient;
  bus: Transport;
  build: BuildInfo | null;
  /** A system's card (its build's regmap/system.json): registers are `<unit>.<register>`; `client` has no map then. */
  system: SystemClient | null;
  sysBuild: SystemBuildInfo | null;
  /** Why the build given was set aside (a kill on a card that runs another build). */
  note?: string;
  close(): Promise<void>;
}

/** Opens the card, finds its register map (--build, else the sim card's own build) and the audit log. */
export async function openSession(a: HostArgs, cmd: string, opts?: { needMap?: boolean; audit?: boolean; kill?: boolean }): Promise<Session> {
  if (!a.card) throw new CardError('no card: give --card sim:<socket>, xdma:<device> or opae:<BDF> (or set TICKFORGE_CARD)');
  let build: BuildInfo | null = null;
  let sysBuild: SystemBuildInfo | null = null;
  const load = (dir: string, designFile?: string) => (isSystemBuild(dir) ? (sysBuild = loadSystemBuild(dir, designFile)) : (build = loadBuild(dir, designFile)));
  const aperture = () => 2 ** ((build as BuildInfo | null)?.map.addrBits ?? (sysBuild as SystemBuildInfo | null)?.system.addrBits ?? 12);
  if (a.build) load(a.build);
  let bus = openCard(a.card, aperture(), { timeoutMs: a.timeout });
  let layout: CardLayout | null = null;
  let note: string | undefined;
  // An open socket keeps the process alive: a refusal here closes it before it propagates.
  try {
    if (!a.build && bus instanceof SimTransport) {
      const info = await bus.info();
      if (info.card?.build && fs.existsSync(info.card.build)) {
        load(info.card.build, info.card.designFile);
        await bus.close();
        bus = openCard(a.card, aperture(), { timeoutMs: a.timeout });
      }
    }
    // A kill goes by the card: on a system's card, a build directory that is not this system's (another system's,
    // whose windows may sit elsewhere, or a unit's) must not aim its writes; the card's LAYOUT does then.
    if (opts?.kill && (build || sysBuild) && (await bus.read32(SYSTEM_WORDS.ID)) === SYSTEM_ID) {
      const runs = (await bus.read32(SYSTEM_WORDS.BUILD_HASH)).toString(16).padStart(8, '0');
      const given = (sysBuild as SystemBuildInfo | null)?.system.buildHash;
      if (runs !== given) {
        note = `${(build as BuildInfo | null)?.dir ?? (sysBuild as SystemBuildInfo | null)?.dir} is ${given ? `system build ${given}` : 'a unit\'s build'}, the card runs system ${runs}: units located by the card's LAYOUT word instead`;
        build = sysBuild = null;
      }
    }
    if (!build && !sysBuild && opts?.needMap) throw new CardError(`${a.card}: \`${cmd}\` needs the card's register map: give --build <build dir>`);
    // No build: a system's card still says where its units are (the LAYOUT word), enough for status, kill, disarm, arm.
    layout = !build && !sysBuild ? await readCardLayout(bus, cmd) : null;
    if (layout) {
      await bus.close();
      bus = openCard(a.card, 2 ** layout.addrBits, { timeoutMs: a.timeout });
    }
  } catch (e) {
    await bus.close().catch(() => {});
    throw e;
  }
  const audit = opts?.audit === false ? null : new AuditLog(a.audit, operatorName(a.operator));
  const client = new CardClient(bus, (build as BuildInfo | null)?.map ?? null, audit, cmd);
  const system = sysBuild ? new SystemClient(bus, (sysBuild as SystemBuildInfo).system, audit, cmd) : layout ? new SystemClient(bus, null, audit, cmd, layout) : null;
  return { client, bus, build, system, sysBuild, note, close: () => bus.close() };
}

async function withSession(a: HostArgs, cmd: string, opts: { needMap?: boolean; audit?: boolean; kill?: boolean }, f: (s: Session) => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const s = await openSession(a, cmd, opts);
  try {
    return await f(s);
  } finally {
    await s.close();
  }
}

const baselineFile = (a: HostArgs) => `${path.resolve(a.audit)}.${(a.card ?? '').replace(/[^A-Za-z0-9]+/g, '_')}.counters.json`;

/**
 * Design status registers (SNAPSHOT) and, on the sim card, the card's own stream counters. `baselined`: what a
 * reset-counters baseline covers, the status registers and, on a system, the DROPS counters as `drops.<channel>`.
 */
async function counterValues(a: HostArgs, s: Session): Promise<Record<string, unknown> & { baselined: Record<string, unknown> }> {
  const sys = s.system ? await s.system.counters() : null;
  const design = sys ? sys.counters : await s.client.counters();
  const baselined: Record<string, unknown> = { ...design, ...Object.fromEntries(Object.entries(sys?.drops ?? {}).map(([k, v]) => [`drops.${k}`, v])) };
  const card = s.bus instanceof SimTransport ? await s.bus.info() : null;
  const base = fs.existsSync(baselineFile(a)) ? (JSON.parse(fs.readFileSync(baselineFile(a), 'utf8')) as Record<string, string>) : null;
  const sinceReset: Record<string, string> = {};
  if (base) for (const [k, v] of Object.entries(baselined)) if (base[k] !== undefined) sinceReset[k] = (BigInt(v as never) - BigInt(base[k])).toString();
  return {
    baselined,
    counters: design,
    ...(sys ? { drops: sys.drops } : {}),
    ...(base ? { sinceReset } : {}),
    ...(card ? { card: { cycle: card.cycle, inputs: card.inputs, accepted: card.accepted, outputs: card.outputs, inputStallCycles: card.inputStallCycles } } : {}),
  };
}

/**
 * The sim card's measured latency: its journal replayed through the model (a system's through the composed model,
 * with every unit's param and memory writes) maps each output to its input. A packet's latency is its first beat's.
 */
async function measuredLatency(s: Session): Promise<Record<string, unknown> | null> {
  if (!(s.bus instanceof SimTransport) || !(s.build || s.sysBuild)) return null;
  await s.bus.request('SYNC');
  const info = await s.bus.info();
  const j = readJournal(info.card.journal);
  if (s.sysBuild) {
    const inputsFile = info.card.journal.replace(/\.journal$/, '.inputs');
    if (!fs.existsSync(inputsFile)) return null;
    const sys = compileSystem(s.sysBuild.designFile, { timing: { enforce: false } });
    if (sys.buildHash !== s.sysBuild.system.buildHash) throw new CardError(`${s.sysBuild.designFile} now builds ${sys.buildHash}, the card runs ${s.sysBuild.system.buildHash}: the model cannot replay its journal`);
    const rep = await replaySystemJournal(s.sysBuild.designFile, sys, s.sysBuild.system, new Uint8Array(fs.readFileSync(inputsFile)), j);
    const n = Math.min(rep.from.length, j.outputs.length);
    const lat = rep.from.slice(0, n).flatMap((i, k) => (rep.first[k] ? [j.outputs[k] - j.inputs[i]] : [])).sort((x, y) => x - y);
    // The model's beats must be the card's: a count that differs means the mapping (so the figures) cannot be trusted.
    const agree = rep.outputs.length >= j.outputs.length;
    if (!lat.length) return { outputs: 0 };
    return { outputs: lat.length, beats: n, minCycles: lat[0], medianCycles: lat[lat.length >> 1], maxCycles: lat[lat.length - 1], periodPs: info.periodPs, ...(agree ? {} : { warning: `the model replayed ${rep.outputs.length} beats, the card sent ${j.outputs.length}: outputs past the model's are not mapped` }) };
  }
  if (!s.build) return null;
  const ir = designOf(s.build);
  const inputsFile = info.card.journal.replace(/\.journal$/, '.inputs');
  if (!fs.existsSync(inputsFile)) return null;
  const rep = await replayJournal(s.build.designFile, ir, s.build.map, new Uint8Array(fs.readFileSync(inputsFile)), j);
  const lat = rep.from.slice(0, j.outputs.length).map((i, k) => j.outputs[k] - j.inputs[i]).sort((x, y) => x - y);
  if (!lat.length) return { outputs: 0 };
  return { outputs: lat.length, minCycles: lat[0], medianCycles: lat[lat.length >> 1], maxCycles: lat[lat.length - 1], periodPs: info.periodPs };
}

/** What `counters` prints (counterValues without its baseline view). */
async function readCounters(a: HostArgs, s: Session): Promise<Record<string, unknown>> {
  const { baselined: _b, ...r } = await counterValues(a, s);
  return r;
}

interface CtlArgs extends HostArgs {
  op: string;
  args: string[];
  'clear-kill': boolean;
  interval: number;
  count?: number;
  file?: string;
  commit: boolean;
}

const OPS = ['status', 'get', 'set', 'commit', 'load', 'feed', 'arm', 'disarm', 'kill', 'reset-counters', 'counters', 'latency', 'watch', 'audit'];

/**
 * `ctl load <memory> --file f`: a host memory's whole contents written to its shadow bank (audited as a start and
 * a done line with the file's SHA-256, not a line a word), a sample read back, then the unit's COMMIT switches the
 * banks (unless --no-commit). On a system the memory is `<unit>.<memory>`.
 */
async function loadMemory(a: CtlArgs, s: Session): Promise<Record<string, unknown>> {
  const [name, ...rest] = a.args;
  if (!name || rest.length) throw new ConfigError(['ctl load: give one memory (<memory>, or <unit>.<memory> on a system) and --file <json>']);
  if (!a.file) throw new ConfigError(['ctl load: --file <json> is required: an array of every entry, or a params file holding it under the memory\'s name']);
  const r = s.system ? s.system.resolve(name) : { client: s.client, name, unit: undefined };
  const mem = r.client.memory(r.name);
  const bytes = fs.readFileSync(a.file);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ConfigError([`${a.file}: ${(e as Error).message}`]);
  }
  // Checked whole before the card is touched: a bad file writes nothing.
  const codes = memoryCodes(mem, json, r.unit ? [name, r.name] : [name]);
  if (s.system) await s.system.identify();
  await r.client.identify();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const t0 = Date.now();
  const loaded = await r.client.loadMemory(r.name, codes, sha256);
  const seconds = (Date.now() - t0) / 1000;
  const committed = a.commit ? await r.client.commit() : null;
  return {
    memory: name, file: a.file, sha256, ...loaded, seconds,
    ...(committed ? { committed } : { note: 'written to the shadow bank; `ctl commit` switches the banks (with any staged params of the unit)' }),
  };
}

export const ctlCommand: CommandModule<object, CtlArgs> = {
  command: 'ctl <op> [args..]',
  describe: `Control a card: ${OPS.join(', ')} (audit verify checks the audit log)`,
  builder: (y) =>
    hostOptions(y)
      .positional('op', { type: 'string', choices: OPS, demandOption: true })
      .positional('args', { type: 'string', array: true, default: [], describe: 'get: names; set: <param>=<value>...; load: <memory>; commit: units (a system); audit: verify. A system\'s names are <unit>.<name>' })
      .option('clear-kill', { type: 'boolean', default: false, describe: 'arm: also clear a latched kill (the arm key), a separate deliberate step' })
      .option('interval', { type: 'number', default: 1000, describe: 'watch: ms between samples' })
      .option('count', { type: 'number', describe: 'watch: samples to take (default: until interrupted)' })
      .option('file', { type: 'string', describe: 'load: the memory\'s contents (a JSON array, or a params file holding it under the memory\'s name)' })
      .option('commit', { type: 'boolean', default: true, describe: 'load: COMMIT after the load (--no-commit: leave it in the shadow bank)' }) as never,
  handler: (a) =>
    hostRun(a, async () => {
      switch (a.op) {
        case 'audit': {
          if (a.args[0] !== 'verify') throw new CardError('ctl audit: the only action is `verify`');
          if (!fs.existsSync(a.audit)) throw new CardError(`${a.audit}: no audit log`);
          const v = verifyAudit(a.audit);
          if (a.o === 'json') console.log(JSON.stringify(v));
          else console.log(v.ok ? `${a.audit}: ${v.entries} entries, chain intact (head ${v.head.slice(0, 16)})` : `${a.audit}: BROKEN\n${v.errors.map((e) => `  ${e}`).join('\n')}`);
          return v.ok ? 0 : 1;
        }
        case 'status':
          emit(a, await withSession(a, 'ctl status', { audit: false }, async (s) => ({ ...(s.system ? await s.system.status() : await s.client.status()) })));
          return;
        case 'get':
          emit(a, await withSession(a, 'ctl get', { needMap: true, audit: false }, async (s) => ({ values: s.system ? await s.system.get(a.args) : a.args.length ? Object.fromEntries(await Promise.all(a.args.map(async (n) => [n, await s.client.get(n)]))) : await s.client.getParams() })));
          return;
        case 'set':
          emit(a, await withSession(a, 'ctl set', { needMap: true }, async (s) => {
            if (s.system) {
              const assigned = parseAssignments(a.args);
              if (!Object.keys(assigned).length) throw new ConfigError(['nothing to set: give <unit>.<param>=<value>...']);
              const units = await s.system.stage(assigned);
              return { staged: Object.fromEntries(Object.keys(assigned).map((k) => [k, true])), note: `staged in the shadow registers; \`ctl commit ${units.join(' ')}\` applies each unit's staged params at one clock edge (each unit's own COMMIT)` };
            }
            const values = validateConfig(s.build!.map, parseAssignments(a.args));
            if (!values.size) throw new ConfigError(['nothing to set: give <param>=<value>...']);
            await s.client.identify();
            await s.client.stage(values);
            return { staged: Object.fromEntries([...values.keys()].map((k) => [k, true])), note: 'staged in the shadow registers; `ctl commit` applies every staged param at one clock edge' };
          }));
          return;
        case 'commit':
          emit(a, await withSession(a, 'ctl commit', {}, async (s) => {
            if (s.system) return { committed: await s.system.commit(a.args) };
            await s.client.identify();
            return { ...(await s.client.commit()) };
          }));
          return;
        case 'feed':
          // A sim card started with --hold-feed starts offering its input records (not a register write: not audited).
          emit(a, await withSession(a, 'ctl feed', { audit: false }, async (s) => {
            if (!(s.bus instanceof SimTransport)) throw new CardError(`${a.card}: feed is a sim card's request (its input replay); a card's input is the wire`);
            return { feeding: true, cycle: Number(await s.bus.request('FEED')) };
          }));
          return;
        case 'load':
          emit(a, await withSession(a, 'ctl load', { needMap: true }, (s) => loadMemory(a, s)));
          return;
        case 'kill':
          emit(a, await withSession(a, 'ctl kill', { kill: true }, async (s) => (s.system ? { killed: true, units: await s.system.kill(), ...(s.sysBuild ? { drainCycles: s.sysBuild.latencyCycles } : {}), ...(s.note ? { note: s.note } : {}) } : { killed: true, ...(await s.client.kill()), ...(s.build ? { drainCycles: s.build.latencyCycles } : {}) })));
          return;
        case 'disarm':
          emit(a, await withSession(a, 'ctl disarm', {}, async (s) => ({ held: true, ...(s.system ? { units: await s.system.disarm() } : await s.client.disarm()) })));
          return;
        case 'arm':
          emit(a, await withSession(a, 'ctl arm', {}, async (s) => ({ armed: true, ...(s.system ? { units: await s.system.arm(a['clear-kill']) } : await s.client.arm(a['clear-kill'])) })));
          return;
        case 'counters':
          emit(a, await withSession(a, 'ctl counters', { needMap: true }, (s) => readCounters(a, s)));
          return;
        case 'reset-counters':
          emit(a, await withSession(a, 'ctl reset-counters', { needMap: true }, async (s) => {
            // The design's status registers are its state (no register clears them without a reset): the reset is a
            // baseline the host keeps, and `counters` reports both the raw values and the change since it.
            // On a system the baseline covers the DROPS counters too (drops.<channel>): the RTL clears them only at
            // reset (they saturate at 2^32-1), as it does the units' status registers.
            const c = (await counterValues(a, s)).baselined;
            fs.writeFileSync(baselineFile(a), JSON.stringify(Object.fromEntries(Object.entries(c).map(([k, v]) => [k, String(v)]))) + '\n');
            return { baseline: c, file: baselineFile(a), note: `a host-side baseline: the card's counters${s.system ? ' (the units\' status registers and the system block\'s DROPS)' : ''} are not cleared, no register clears them short of a reset; \`ctl counters\` reports sinceReset` };
          }));
          return;
        case 'latency':
          emit(a, await withSession(a, 'ctl latency', { needMap: true, audit: false }, async (s) => {
            const measured = await measuredLatency(s);
            const b = (s.build ?? s.sysBuild)!;
            return {
              pipeline: { cycles: b.latencyCycles, ns: b.latencyNs, clockMHz: b.clockMHz, note: 'from the build\'s schedule: input handshake to output valid with no back-pressure' },
              ...(measured ? { measured } : {}),
            };
          }));
          return;
        case 'watch': {
          const s = await openSession(a, 'ctl watch', {});
          try {
            for (let k = 0; a.count === undefined || k < a.count; k++) {
              if (k) await new Promise((r) => setTimeout(r, a.interval));
              if (s.system) {
                const sample = { t: new Date().toISOString(), ...(await s.system.status()), ...(s.sysBuild ? await readCounters(a, s) : {}) };
                if (a.o === 'json') console.log(JSON.stringify({ ok: true, ...sample }, replacer));
                else console.log(`${sample.t} ${Object.entries(sample.units).map(([u, x]) => `${u}: gen ${x.generation} ${x.killed ? 'KILLED' : x.held ? 'held' : 'armed'}`).join(', ')} drops ${JSON.stringify(sample.drops)} ${JSON.stringify((sample as Record<string, unknown>).counters ?? {}, replacer)}`);
                continue;
              }
              const sample = { t: new Date().toISOString(), ...(await s.client.status()), ...(s.build ? await readCounters(a, s) : {}) };
              if (a.o === 'json') console.log(JSON.stringify({ ok: true, ...sample }, replacer));
              else console.log(`${sample.t} gen ${sample.generation} ${sample.killed ? 'KILLED' : sample.held ? 'held' : 'armed'} ${JSON.stringify((sample as Record<string, unknown>).counters ?? {}, replacer)} ${JSON.stringify((sample as Record<string, unknown>).card ?? {})}`);
            }
          } finally {
            await s.close();
          }
          return;
        }
      }
      throw new CardError(`unknown ctl op ${a.op}`);
    }),
};
