// The control plane's view of a system's card: one aperture, window 0 the system block (identity, build hash, a
// DROPS counter per strobe-fed FIFO), window k + 1 unit k's own register file (docs/systems.md). Each unit is
// driven by a CardClient over its map moved to its window (regmap/system.ts windowMap, the one place a system
// offset is computed), so every unit operation (stage, COMMIT, SNAPSHOT, kill, a memory load) is the unit's own
// register sequence, and the host names registers `<unit>.<register>`.
import { REGMAP_LAYOUT, SYSTEM_ID, windowMap, type SystemMap } from '../regmap/index.ts';
import type { AuditLog } from './audit.ts';
import { CardClient, type CardStatus } from './client.ts';
import { ConfigError, validateConfig } from './config.ts';
import { CardError, IdentityError, type Transport } from './transport.ts';

const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export interface SystemStatus {
  card: string;
  system: string;
  id: string;
  layout: number;
  buildHash: string;
  /** Records a full FIFO dropped, by channel. */
  drops: Record<string, number>;
  units: Record<string, Omit<CardStatus, 'card'>>;
}

export class SystemClient {
  /** One client per unit, in stage order. */
  readonly units: Map<string, CardClient>;

  constructor(readonly bus: Transport, readonly map: SystemMap, audit: AuditLog | null, cmd: string) {
    this.units = new Map(map.windows.map((w) => [w.unit, new CardClient(bus, windowMap(map, w.unit), audit, cmd, w.unit)]));
  }

  private word(name: string): number {
    return this.map.block.find((w) => w.name === name)!.offset;
  }

  /** The client of `unit`, or an error listing the units. */
  unit(unit: string): CardClient {
    const c = this.units.get(unit);
    if (!c) throw new CardError(`${unit}: not a unit of ${this.map.system} (units: ${[...this.units.keys()].join(', ')})`);
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
    const id = await this.bus.read32(this.word('ID'));
    if (id !== SYSTEM_ID) throw new IdentityError(`${this.bus.card}: the system block's ID reads ${hex8(id)}, not ${hex8(SYSTEM_ID)}: not a tickforge system (wrong card, BAR or offset?)`);
    const version = await this.bus.read32(this.word('VERSION'));
    if (version >>> 24 !== REGMAP_LAYOUT) throw new IdentityError(`${this.bus.card}: register-map layout ${version >>> 24}, this host speaks layout ${REGMAP_LAYOUT}`);
    const buildHash = (await this.bus.read32(this.word('BUILD_HASH'))).toString(16).padStart(8, '0');
    if (checkHash && buildHash !== this.map.buildHash) throw new IdentityError(`${this.bus.card}: build hash mismatch: the card runs system ${buildHash}, the build is ${this.map.buildHash}; nothing written`);
    return { id, version, buildHash };
  }

  /** DROPS of every strobe-fed FIFO (live counters of the system block, no SNAPSHOT), by channel. */
  async drops(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
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
    const out: Record<string, { cycle?: number }> = {};
    for (const [unit, c] of [...this.units].reverse()) out[unit] = await c.kill();
    return out;
  }

  async disarm(): Promise<Record<string, { cycle?: number }>> {
    await this.identify();
    const out: Record<string, { cycle?: number }> = {};
    for (const [unit, c] of [...this.units].reverse()) out[unit] = await c.disarm();
    return out;
  }

  /** The arm sequence on every unit, first stage last: the stages nearest the wire are armed before records reach them. */
  async arm(clearKill: boolean): Promise<Record<string, { cycle?: number; clearedKill: boolean }>> {
    await this.identify();
    const out: Record<string, { cycle?: number; clearedKill: boolean }> = {};
    for (const [unit, c] of [...this.units].reverse()) out[unit] = await c.arm(clearKill);
    return out;
  }
}
