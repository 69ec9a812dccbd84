// The control plane's view of a system's card: one aperture, window 0 the system block (identity, build hash, a
// DROPS counter per strobe-fed FIFO), window k + 1 unit k's own register file (docs/systems.md). Each unit is
// driven by a CardClient over its map moved to its window (regmap/system.ts windowMap, the one place a system
// offset is computed), so every unit operation (stage, COMMIT, SNAPSHOT, kill, a memory load) is the unit's own
// register sequence, and the host names registers `<unit>.<register>`. Without the build (a kill in an emergency),
// the system block's LAYOUT word locates every unit's standard block (regmap/system.ts layoutOf): the units are then
// `window1`, `window2`, ... (window k + 1 is stage k) and only standard-block operations are possible.
import { ID_MAGIC, REGMAP_LAYOUT, SYSTEM_ID, SYSTEM_WORDS, layoutOf, windowMap, type CardLayout, type SystemMap } from '../regmap/index.ts';
import type { AuditLog } from './audit.ts';
import { CardClient, type CardStatus } from './client.ts';
import { ConfigError, validateConfig } from './config.ts';
import { CardError, IdentityError, type Transport } from './transport.ts';

const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export interface SystemStatus {
  card: string;
  /** The system's name (null without its build: the card does not hold it). */
  system: string | null;
  id: string;
  layout: number;
  buildHash: string;
  /** Records a full FIFO dropped, by channel (without the build: not known which words are DROPS, omitted). */
  drops?: Record<string, number>;
  units: Record<string, Omit<CardStatus, 'card'>>;
  note?: string;
}

/** What to tell an operator when the card alone cannot locate the units. */
export const WITH_BUILD = (card: string, cmd: string) => `\`tickforge ${cmd} --card ${card} --build <the system's build dir>\``;

/**
 * The card's system block read without a build: ID 'TFSY', this host's layout, and the LAYOUT word decoded (the
 * units' windows). Null when word 0 is not a system block's ID; a Refusal naming the command that works when the
 * block is a system's but its LAYOUT cannot be one.
 */
export async function readCardLayout(bus: Transport, cmd: string): Promise<CardLayout | null> {
  if ((await bus.read32(SYSTEM_WORDS.ID)) !== SYSTEM_ID) return null;
  const version = await bus.read32(SYSTEM_WORDS.VERSION);
  if (version >>> 24 !== REGMAP_LAYOUT) throw new IdentityError(`${bus.card}: a tickforge system of register-map layout ${version >>> 24}; this host speaks layout ${REGMAP_LAYOUT}, so it cannot read its LAYOUT word: ${WITH_BUILD(bus.card, cmd)} with a host of that layout`);
  const word = await bus.read32(SYSTEM_WORDS.LAYOUT);
  const layout = layoutOf(word);
  if (!layout) throw new IdentityError(`${bus.card}: a tickforge system whose LAYOUT word reads ${hex8(word)}, which locates no unit window (units [7:0], window size log2 [15:8]); the build's map is needed: ${WITH_BUILD(bus.card, cmd)}`);
  return layout;
}

export class SystemClient {
  /** One client per unit, in stage order. */
  readonly units: Map<string, CardClient>;

  /** `map` null: the units located by `layout` (the card's LAYOUT word), named window1, window2, ...: status, kill, disarm, arm only. */
  constructor(readonly bus: Transport, readonly map: SystemMap | null, audit: AuditLog | null, private readonly cmd: string, readonly layout?: CardLayout) {
    if (map) this.units = new Map(map.windows.map((w) => [w.unit, new CardClient(bus, windowMap(map, w.unit), audit, cmd, w.unit)]));
    else if (layout) this.units = new Map(layout.windows.map((w, k) => [`window${k + 1}`, new CardClient(bus, null, audit, cmd, `window${k + 1}`, w.standard)]));
    else throw new Error('SystemClient: a system map or a card layout is needed');
  }

  private get name(): string {
    return this.map?.system ?? 'the system';
  }

  /** The client of `unit`, or an error listing the units. */
  unit(unit: string): CardClient {
    const c = this.units.get(unit);
    if (!c) throw new CardError(`${unit}: not a unit of ${this.name} (units: ${[...this.units.keys()].join(', ')})`);
    return c;
  }

  /** `<unit>.<name>` as the unit's client and the unit's own name for it. */
  resolve(qualified: string): { unit: string; client: CardClient; name: string } {
    const dot = qualified.indexOf('.');
    if (dot < 0) throw new CardError(`${qualified}: a system's registers are named <unit>.<register>, with a unit of ${[...this.units.keys()].join(', ')}`);
    const unit = qualified.slice(0, dot);
    return { unit, client: this.unit(unit), name: qualified.slice(dot + 1) };
  }

  /** The system block's ID, VERSION and BUILD_HASH; throws unless it is this system's build. */
  async identify(checkHash = true): Promise<{ id: number; version: number; buildHash: string }> {
    const id = await this.bus.read32(SYSTEM_WORDS.ID);
    if (id !== SYSTEM_ID) throw new IdentityError(`${this.bus.card}: the system block's ID reads ${hex8(id)}, not ${hex8(SYSTEM_ID)}: not a tickforge system (wrong card, BAR or offset?)`);
    const version = await this.bus.read32(SYSTEM_WORDS.VERSION);
    if (version >>> 24 !== REGMAP_LAYOUT) throw new IdentityError(`${this.bus.card}: register-map layout ${version >>> 24}, this host speaks layout ${REGMAP_LAYOUT}`);
    const buildHash = (await this.bus.read32(SYSTEM_WORDS.BUILD_HASH)).toString(16).padStart(8, '0');
    if (checkHash && this.map && buildHash !== this.map.buildHash) throw new IdentityError(`${this.bus.card}: build hash mismatch: the card runs system ${buildHash}, the build is ${this.map.buildHash}; nothing written`);
    return { id, version, buildHash };
  }

  /**
   * Without the build, every window the LAYOUT word located must hold a unit's register file (its ID) before any
   * write: a LAYOUT that does not describe the card writes nothing anywhere.
   */
  private async checkWindows(): Promise<void> {
    if (this.map) return;
    for (const [name, c] of this.units) {
      const at = c.stdOffset('ID');
      const id = await this.bus.read32(at).catch((e: Error) => {
        throw new IdentityError(`${this.bus.card}: the LAYOUT word puts ${name} at ${hex8(at)}, but reading its ID failed (${e.message}); nothing written: ${WITH_BUILD(this.bus.card, this.cmd)}`);
      });
      if (id !== ID_MAGIC) throw new IdentityError(`${this.bus.card}: the LAYOUT word puts ${name} at ${hex8(at)}, but its ID reads ${hex8(id)}, not ${hex8(ID_MAGIC)}; nothing written: ${WITH_BUILD(this.bus.card, this.cmd)}`);
    }
  }

  /** DROPS of every strobe-fed FIFO (live counters of the system block, no SNAPSHOT), by channel. */
  async drops(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    if (!this.map) return out;
    for (const w of this.map.block) if (w.link !== undefined) out[w.name.replace(/^DROPS_/, '')] = await this.bus.read32(w.offset);
    return out;
  }

  async status(): Promise<SystemStatus> {
    const { id, version, buildHash } = await this.identify();
    const units: SystemStatus['units'] = {};
    for (const [name, c] of this.units) {
      const { card: _card, ...s } = await c.status();
      units[name] = s;
    }
    if (!this.map) return { card: this.bus.card, system: null, id: hex8(id), layout: version >>> 24, buildHash, units, note: `no build at hand: ${this.units.size} units located by the LAYOUT word, named by window (window k + 1 is stage k); DROPS and names need the build` };
    return { card: this.bus.card, system: this.map.system, id: hex8(id), layout: version >>> 24, buildHash, drops: await this.drops(), units };
  }

  /** Staged params (shadows) or status registers (last SNAPSHOT) by `<unit>.<name>`; every unit's params without names. */
  async get(names: string[]): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    if (!names.length) {
      for (const [unit, c] of this.units) for (const [k, v] of Object.entries(await c.getParams())) out[`${unit}.${k}`] = v;
      return out;
    }
    for (const n of names) {
      const { client, name } = this.resolve(n);
      out[n] = await client.get(name);
    }
    return out;
  }

  /**
   * Checks `<unit>.<param>: value` against every unit's map (all errors together, nothing written with any), and
   * returns the bits per unit.
   */
  validate(config: Record<string, unknown>): Map<string, Map<string, bigint>> {
    const per = new Map<string, Record<string, unknown>>();
    const errors: string[] = [];
    for (const [k, v] of Object.entries(config)) {
      const dot = k.indexOf('.');
      const unit = dot < 0 ? '' : k.slice(0, dot);
      if (!this.units.has(unit)) {
        errors.push(`${k}: a system's params are <unit>.<param>, with a unit of ${[...this.units.keys()].join(', ')}`);
        continue;
      }
      const o = per.get(unit) ?? {};
      o[k.slice(dot + 1)] = v;
      per.set(unit, o);
    }
    const out = new Map<string, Map<string, bigint>>();
    for (const [unit, o] of per) {
      try {
        out.set(unit, validateConfig(this.unit(unit).map!, o));
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        errors.push(...e.errors.map((x) => `${unit}.${x}`));
      }
    }
    if (errors.length) throw new ConfigError(errors);
    return out;
  }

  /** Stages `<unit>.<param>` values in their units' shadow registers; nothing takes effect until each unit's COMMIT. */
  async stage(config: Record<string, unknown>): Promise<string[]> {
    const values = this.validate(config);
    await this.identify();
    for (const [unit, v] of values) await this.unit(unit).stage(v);
    return [...values.keys()];
  }

  /** Each named unit's own COMMIT (all units when none named), in stage order: a COMMIT is one unit's, not the system's. */
  async commit(units: string[]): Promise<Record<string, { generation: number; cycle?: number }>> {
    await this.identify();
    const names = units.length ? units : [...this.units.keys()];
    names.forEach((u) => this.unit(u));
    const out: Record<string, { generation: number; cycle?: number }> = {};
    for (const u of [...this.units.keys()].filter((x) => names.includes(x))) out[u] = await this.unit(u).commit();
    return out;
  }

  /** Every unit's status registers (each unit's SNAPSHOT, then its registers) as `<unit>.<reg>`, and the DROPS counters. */
  async counters(): Promise<{ counters: Record<string, unknown>; drops: Record<string, number> }> {
    const counters: Record<string, unknown> = {};
    for (const [unit, c] of this.units) for (const [k, v] of Object.entries(await c.counters())) counters[`${unit}.${k}`] = v;
    return { counters, drops: await this.drops() };
  }

  /**
   * The kill of every unit, last stage first (the one nearest the wire stops sending first); only that the card is
   * a tickforge system is checked, as for a unit's kill.
   */
  async kill(): Promise<Record<string, { cycle?: number }>> {
    await this.identify(false);
    await this.checkWindows();
    const out: Record<string, { cycle?: number }> = {};
    for (const [unit, c] of [...this.units].reverse()) out[unit] = await c.kill();
    return out;
  }

  async disarm(): Promise<Record<string, { cycle?: number }>> {
    await this.identify();
    await this.checkWindows();
    const out: Record<string, { cycle?: number }> = {};
    for (const [unit, c] of [...this.units].reverse()) out[unit] = await c.disarm();
    return out;
  }

  /** The arm sequence on every unit, first stage last: the stages nearest the wire are armed before records reach them. */
  async arm(clearKill: boolean): Promise<Record<string, { cycle?: number; clearedKill: boolean }>> {
    await this.identify();
    await this.checkWindows();
    const out: Record<string, { cycle?: number; clearedKill: boolean }> = {};
    for (const [unit, c] of [...this.units].reverse()) out[unit] = await c.arm(clearKill);
    return out;
  }
}
