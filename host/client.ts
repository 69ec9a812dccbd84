// The control plane's view of one card: the register map of its build (offsets from regmap.json, never restated
// here), a back end, and the audit log every write goes through. Each operation is the register sequence
// docs/regmap.md and docs/host.md describe.
import { ID_MAGIC, REGMAP_LAYOUT, SYSTEM_ID, STATUS_GEN_LSB, memoryWrites, standardBlock, type MemWindow, type RegMap, type StdReg, type ValueReg } from '../regmap/index.ts';
import type { AuditLog } from './audit.ts';
import { bitsValue, params, validateConfig } from './config.ts';
import { CardError, IdentityError, Refusal, SimTransport, type Transport } from './transport.ts';

const KILL = 1;
const HOLD = 2;
const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export interface CardStatus {
  card: string;
  id: string;
  layout: number;
  compiler: string;
  buildHash: string;
  killed: boolean;
  held: boolean;
  /** Records flow: neither killed nor held. */
  armed: boolean;
  generation: number;
}

export class CardClient {
  private readonly std: Map<StdReg['name'], StdReg>;

  /**
   * `map` null: the standard block only (kill, status), for a card whose build is not at hand. `unit`: the unit's
   * name in a system (its map then at the unit's window, regmap/system.ts windowMap): the audit log and messages
   * name its registers `<unit>.<register>`. `standard`: where the standard block is when there is no map (a
   * system's unit located by the card's LAYOUT word, regmap/system.ts layoutOf); at 0 by default.
   */
  constructor(readonly bus: Transport, readonly map: RegMap | null, private readonly audit: AuditLog | null, private readonly cmd: string, readonly unit?: string, standard?: StdReg[]) {
    this.std = new Map((map?.standard ?? standard ?? standardBlock()).map((r) => [r.name, r]));
  }

  /** A register's name as the host shows it: `<unit>.<register>` in a system. */
  private qual(name: string): string {
    return this.unit ? `${this.unit}.${name}` : name;
  }

  private off(name: StdReg['name']): number {
    return this.std.get(name)!.offset;
  }

  /** A standard register's offset on this card (the unit's window in a system). */
  stdOffset(name: StdReg['name']): number {
    return this.off(name);
  }

  private requireMap(): RegMap {
    if (!this.map) throw new CardError(`${this.bus.card}: this needs the card's register map: give --build <build dir>`);
    return this.map;
  }

  private armKey(): number {
    return this.map?.armKey ?? 0x41524d;
  }

  /** ID, VERSION and BUILD_HASH; throws unless it is a tickforge register file of this layout (and of this build, with a map). */
  async identify(checkHash = true): Promise<{ id: number; version: number; buildHash: string }> {
    const id = await this.bus.read32(this.off('ID'));
    if (id === SYSTEM_ID && !this.unit) throw new IdentityError(`${this.bus.card}: ID reads ${hex8(id)}: a tickforge system's block; give --build <the system's build dir> to address its units`);
    if (id !== ID_MAGIC) throw new IdentityError(`${this.bus.card}: ID reads ${hex8(id)}, not ${hex8(ID_MAGIC)}: not a tickforge register file (wrong card, BAR or offset?)`);
    const version = await this.bus.read32(this.off('VERSION'));
    if (version >>> 24 !== REGMAP_LAYOUT) throw new IdentityError(`${this.bus.card}: register-map layout ${version >>> 24}, this host speaks layout ${REGMAP_LAYOUT}`);
    const buildHash = (await this.bus.read32(this.off('BUILD_HASH'))).toString(16).padStart(8, '0');
    if (checkHash && this.map && buildHash !== this.map.buildHash) throw new IdentityError(`${this.bus.card}: build hash mismatch: the card runs ${buildHash}, the build is ${this.map.buildHash}; nothing written`);
    return { id, version, buildHash };
  }

  async status(): Promise<CardStatus> {
    const { id, version, buildHash } = await this.identify();
    const s = await this.bus.read32(this.off('STATUS'));
    const generation = await this.bus.read32(this.off('COMMIT'));
    const killed = (s & KILL) !== 0;
    const held = (s & HOLD) !== 0;
    return { card: this.bus.card, id: hex8(id), layout: version >>> 24, compiler: [(version >> 16) & 0xff, (version >> 8) & 0xff, version & 0xff].join('.'), buildHash, killed, held, armed: !killed && !held, generation };
  }

  /** One audited write: the old word (when readable), the write, then the log line. */
  private async write(register: string, offset: number, value: number, readable: boolean, generation?: number): Promise<{ cycle?: number }> {
    const old = readable ? await this.bus.read32(offset) : null;
    const gen = generation ?? (await this.bus.read32(this.off('COMMIT')));
    const r = await this.bus.write32(offset, value >>> 0);
    this.audit?.append({ card: this.bus.card, cmd: this.cmd, register: this.qual(register), offset, old, new: value >>> 0, generation: gen, ...(r.cycle !== undefined ? { cycle: r.cycle } : {}) });
    return r;
  }

  private param(name: string): ValueReg {
    const r = params(this.requireMap()).find((p) => p.name === name);
    if (!r) throw new CardError(`${this.qual(name)}: not a param of ${this.requireMap().top} (params: ${params(this.requireMap()).map((p) => p.name).join(', ')})`);
    return r;
  }

  private async readBits(r: ValueReg): Promise<bigint> {
    let v = 0n;
    for (const w of r.words) v |= BigInt(await this.bus.read32(w.offset)) << BigInt(w.lsb);
    return v;
  }

  /** The staged (shadow) value of every param, or of the named ones. */
  async getParams(names?: string[]): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const r of names ? names.map((n) => this.param(n)) : params(this.requireMap())) out[r.name] = bitsValue(r, await this.readBits(r));
    return out;
  }

  /** Stages params (shadow writes, read back); nothing takes effect until commit(). Returns the old bits. */
  async stage(values: Map<string, bigint>, old = new Map<string, bigint>()): Promise<Map<string, bigint>> {
    const gen = await this.bus.read32(this.off('COMMIT'));
    for (const [name, bits] of values) {
      const r = this.param(name);
      // Recorded before the first word is written, so a failure part way can put this param back too.
      old.set(name, await this.readBits(r));
      for (const w of r.words) await this.write(r.words.length > 1 ? `${name}[${w.lsb + w.width - 1}:${w.lsb}]` : name, w.offset, Number((bits >> BigInt(w.lsb)) & BigInt(w.mask)), true, gen);
    }
    for (const [name, bits] of values) {
      const got = await this.readBits(this.param(name));
      if (got !== bits) throw new CardError(`${this.bus.card}: ${this.qual(name)} reads back ${got} after writing ${bits}`);
    }
    return old;
  }

  /** COMMIT = generation + 1, then waits for the echo; returns the new generation and the cycle it was taken at. */
  async commit(): Promise<{ generation: number; cycle?: number }> {
    const g = await this.bus.read32(this.off('COMMIT'));
    const next = (g + 1) >>> 0;
    const r = await this.write('COMMIT', this.off('COMMIT'), next, true, next);
    const echo = await this.bus.read32(this.off('STATUS'));
    if (echo >>> STATUS_GEN_LSB !== (next & 0xffff)) throw new CardError(`${this.bus.card}: COMMIT ${next} written but STATUS reports generation ${echo >>> STATUS_GEN_LSB}`);
    return { generation: next, cycle: r.cycle };
  }

  /**
   * deploy: validate, stage every param of the config, read back, one COMMIT. Any failure before the COMMIT puts
   * the shadows back as they were (when the card still answers), so nothing is applied, now or by a later COMMIT.
   */
  async deploy(config: unknown): Promise<{ generation: number; cycle?: number; params: Record<string, { old: unknown; new: unknown }> }> {
    const values = validateConfig(this.requireMap(), config);
    await this.identify();
    const old = new Map<string, bigint>();
    try {
      await this.stage(values, old);
      const c = await this.commit();
      const changed: Record<string, { old: unknown; new: unknown }> = {};
      for (const [k, v] of values) changed[k] = { old: bitsValue(this.param(k), old.get(k)!), new: bitsValue(this.param(k), v) };
      return { ...c, params: changed };
    } catch (e) {
      if (old.size) {
        try {
          await this.stage(old);
        } catch (e2) {
          throw new CardError(`${(e as Error).message}; nothing was committed, but the staged shadows could not be put back (${(e2 as Error).message}): the next COMMIT would apply them`);
        }
      }
      throw e;
    }
  }

  /** KILL and HOLD in one write: from the next edge every record is dropped; only the arm sequence clears it. */
  async kill(): Promise<{ cycle?: number }> {
    // A kill must go through whatever build the card runs: only that it is a tickforge register file is checked.
    await this.identify(false);
    return this.write('CONTROL', this.off('CONTROL'), KILL | HOLD, true);
  }

  /** HOLD: records dropped until arm(); the kill is left as it is. */
  async disarm(): Promise<{ cycle?: number }> {
    await this.identify();
    return this.write('CONTROL', this.off('CONTROL'), HOLD, true);
  }

  /** The arm sequence: the key (clears a kill, stays held) when `clearKill`, then HOLD = 0. */
  async arm(clearKill: boolean): Promise<{ cycle?: number; clearedKill: boolean }> {
    await this.identify();
    const s = await this.bus.read32(this.off('STATUS'));
    let cleared = false;
    if (s & KILL) {
      if (!clearKill) throw new Refusal(`${this.bus.card}: the kill is latched; clearing it is a separate, deliberate step: \`ctl arm --clear-kill\``);
      await this.write('CONTROL', this.off('CONTROL'), ((this.armKey() << 8) | HOLD) >>> 0, true);
      if ((await this.bus.read32(this.off('STATUS'))) & KILL) throw new CardError(`${this.bus.card}: the arm key did not clear the kill`);
      cleared = true;
    }
    const r = await this.write('CONTROL', this.off('CONTROL'), 0, true);
    const after = await this.bus.read32(this.off('STATUS'));
    if (after & (KILL | HOLD)) throw new CardError(`${this.bus.card}: still not armed after the arm sequence (STATUS ${hex8(after)})`);
    return { cycle: r.cycle, clearedKill: cleared };
  }

  /** SNAPSHOT, then every status register: values from one clock edge. */
  async counters(): Promise<Record<string, unknown>> {
    const m = this.requireMap();
    const status = m.windows.flatMap((w) => w.status);
    const out: Record<string, unknown> = {};
    if (!status.length) return out;
    await this.write('SNAPSHOT', this.off('SNAPSHOT'), 1, false);
    for (const r of status) out[r.name] = bitsValue(r, await this.readBits(r));
    return out;
  }

  memory(name: string): MemWindow {
    const all = this.requireMap().windows.flatMap((w) => w.memories);
    const m = all.find((x) => x.name === name);
    if (!m) throw new CardError(`${this.qual(name)}: not a host-written memory of ${this.requireMap().top} (memories: ${all.map((x) => x.name).join(', ') || 'none'})`);
    return m;
  }

  /**
   * Fills host memory `name`'s shadow bank with `codes` (every entry, integer codes) through its window: ADDR = 0,
   * then each entry's DATA words (ADDR advances by itself), then a sample of entries read back (ADDR = i, DATA).
   * Audited as two lines, not one a word (65,536 lines for one table would bury everything else): `load.phase`
   * `start` before the first write (entries, the writes planned, the SHA-256 of what is loaded), then `done` or
   * `failed` with the writes the card took; a start without its end is a load cut short. Nothing takes effect
   * until commit() switches the banks. On the sim card the writes are pipelined (SimTransport.writeMany).
   */
  async loadMemory(name: string, codes: readonly bigint[], sha256: string): Promise<{ entries: number; writes: number; checked: number; firstCycle?: number; lastCycle?: number }> {
    const mem = this.memory(name);
    const writes = memoryWrites(mem, codes);
    const gen = await this.bus.read32(this.off('COMMIT'));
    // Entries read back: the first, the last and up to 14 between them (each costs an ADDR write and the DATA reads).
    const n = Math.min(16, mem.entries);
    const sample = [...new Set(Array.from({ length: n }, (_, k) => Math.round((k * (mem.entries - 1)) / Math.max(1, n - 1))))];
    const line = (phase: 'start' | 'done' | 'failed', done: number, cycles: { first?: number; last?: number }) =>
      this.audit?.append({
        card: this.bus.card, cmd: this.cmd, register: this.qual(name), offset: mem.offset, old: null, new: codes.length, generation: gen,
        ...(cycles.last !== undefined ? { cycle: cycles.last } : {}),
        load: { phase, entries: codes.length, writes: done, sha256, ...(cycles.first !== undefined ? { firstCycle: cycles.first } : {}) },
      });
    line('start', writes.length + sample.length, {});
    let done = 0;
    const cycles: { first?: number; last?: number } = {};
    const took = (r: { cycle?: number }) => ((cycles.first ??= r.cycle), (cycles.last = r.cycle), done++);
    try {
      if (this.bus instanceof SimTransport) {
        try {
          for (const r of await this.bus.writeMany(writes)) took(r);
        } catch (e) {
          done += (e as { done?: number }).done ?? 0;
          throw e;
        }
      } else for (const w of writes) took(await this.bus.write32(w.offset, w.value));
      for (const i of sample) {
        took(await this.bus.write32(mem.offset, i));
        let got = 0n;
        for (const [k, off] of mem.data.entries()) got |= BigInt(await this.bus.read32(off)) << BigInt(32 * k);
        const want = BigInt.asUintN(mem.width, codes[i]);
        if (got !== want) throw new CardError(`${this.bus.card}: ${this.qual(name)}[${i}] reads back ${got} after loading ${want}; nothing committed`);
      }
    } catch (e) {
      line('failed', done, cycles);
      throw e;
    }
    line('done', done, cycles);
    return { entries: codes.length, writes: done, checked: sample.length, firstCycle: cycles.first, lastCycle: cycles.last };
  }

  /** Reads one param (its shadow) or status register (last SNAPSHOT) by name. */
  async get(name: string): Promise<unknown> {
    const m = this.requireMap();
    const st = m.windows.flatMap((w) => w.status).find((r) => r.name === name);
    if (st) return bitsValue(st, await this.readBits(st));
    return (await this.getParams([name]))[name];
  }
}
