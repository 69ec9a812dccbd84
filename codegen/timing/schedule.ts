// Timing-driven scheduling: which pipeline stage computes each IR node, at a clock, under the delay model.
//
// Stage k is the logic a record passes through in the k-th cycle after the input register took it; a register
// sits between stage k and k+1. Sources (input fields, params, `now`) come out of the input register at stage 0.
//
// State is what forbids plain pipelining. Each state element (register or table) is read and written in one
// stage, its *state stage*, so that a record sees every earlier record's update (II = 1, no hazard). Elements
// whose updates depend on each other's reads form a strongly connected component and share a stage; the logic
// from their reads to their writes is the **recurrence** and must fit in one period. Everything else is pipelined
// freely: logic that only feeds a later state stage or the output is cut wherever the period is reached (ASAP,
// the XLS-style list scheduler with a per-node delay estimate), and an element read by a later stage is carried
// there in registers.
//
// Tables have a registered read (docs/semantics.md §11): the key is presented one stage before the table's state
// stage and the word arrives in it, with the write of the record one stage ahead forwarded. A table whose read key
// depends on its own component's state cannot be read ahead: it is read asynchronously in its state stage, which
// only LUT-RAM can do.
import { CompileError, type Diagnostic } from '../diagnostics.ts';
import { type Node, type NodeId, type UnitIR, operands, writesOf } from '../ir.ts';
import type { MemoryKind } from '../../dsl/table.ts';
import { type DelayModel, type Family, LUT_INPUTS, delayModel, mayOne } from './delay.ts';

/** Largest cone of bit logic the mapper model packs as one (beyond it an operand counts as one input). */
const CONE_MAX = 16;
import { deletesOnly, indexBits, memoryKind, readLatency, tagBits, wordBits } from './memory.ts';

export const DEFAULT_CLOCK_MHZ = 322.27;

export interface TimingOptions {
  clockMHz?: number;
  family?: Family;
  /** Throw on a recurrence or operator that cannot meet the clock (default); otherwise record it and go on. */
  enforce?: boolean;
}

export interface MemoryPlan {
  kind: MemoryKind;
  /** 'sync': key one stage ahead, registered read, write forwarding; 'async': combinational LUT-RAM read. */
  read: 'sync' | 'async';
  /** Cycles from the key to the word: 1 (LUT-RAM, block RAM), 2 (UltraRAM with its output register). */
  readLatency: number;
  stage: number;
  wordBits: number;
  indexBits: number;
  tagBits: number;
  /** Key nodes of the table's reads: one read port per distinct key. */
  readKeys: NodeId[];
  /**
   * Two write ports, one of them delete-only (its bank holds valid bits alone), block RAM or UltraRAM: the word's tag
   * is the other bank's, so each read's tag compare is registered in the cycle before the state stage, after the
   * memory's clock-to-out (when the delay model fits it there); the state stage then sees a 1-bit match.
   */
  earlyTag: boolean;
}

export interface StageReport {
  stage: number;
  /** Estimated arrival of the slowest path ending in this stage, clock-to-Q included (ns). */
  delayNs: number;
  /** IR nodes on that path, first to last. */
  critical: NodeId[];
  /** Logic levels on that path: LUTs after packing, a carry chain counting as one. */
  levels: number;
  /** State elements read and written in this stage. */
  state: string[];
}

export interface Schedule {
  clockMHz: number;
  periodNs: number;
  family: Family;
  /** Stage of every node (constants: 0; they are emitted inline). */
  stage: Map<NodeId, number>;
  /** Estimated arrival time of every node's value within its stage (ns). */
  arrival: Map<NodeId, number>;
  /** Internally pipelined operators (DSP multiplies): cycles from operands to result. */
  multi: Map<NodeId, number>;
  /** State stage of each register and table. */
  stateStage: Map<string, number>;
  memories: Map<string, MemoryPlan>;
  /** Cycles after reset the input waits while the tables are swept empty: the largest table's slots (0 without). */
  sweepCycles: number;
  /** The stage at whose end the output record is registered. */
  lastStage: number;
  /** Cycles from the input handshake to the output handshake when never back-pressured. */
  latency: number;
  stages: StageReport[];
  /** Timing problems found (thrown as errors when enforced). */
  violations: Diagnostic[];
}

/** State element names: registers by name, tables prefixed so the two namespaces cannot collide. */
const tableKey = (t: string) => `table:${t}`;

export function scheduleUnit(u: UnitIR, opts: TimingOptions = {}): Schedule {
  const clockMHz = opts.clockMHz ?? DEFAULT_CLOCK_MHZ;
  if (!(clockMHz > 0 && clockMHz <= 1000)) throw new RangeError(`clock ${clockMHz} MHz: give a frequency in (0, 1000] MHz`);
  const family = opts.family ?? 'xcup';
  const dm = delayModel(family);
  const periodNs = 1000 / clockMHz;
  const budget = periodNs - dm.setup;
  const nodes = u.nodes;

  // ---- state elements, and which elements each node's value depends on
  const elemOf = (n: Node): string | null => (n.op === 'reg' ? n.name : n.op === 'tread' ? tableKey(n.table) : null);
  const deps: Array<Set<string>> = nodes.map(() => new Set());
  for (const n of nodes) {
    const d = deps[n.id];
    const e = elemOf(n);
    if (e) d.add(e);
    for (const o of operands(n)) for (const x of deps[o]) d.add(x);
  }
  const writes = new Map<string, NodeId[]>();
  for (const [r, id] of u.regNext) writes.set(r, [id]);
  for (const [t, w] of u.tableWrites) writes.set(tableKey(t), writesOf(w).flatMap((x) => [x.en, x.key, x.value, x.del]));
  const readKeys = new Map<string, NodeId[]>();
  for (const n of nodes) {
    if (n.op !== 'tread') continue;
    const ks = readKeys.get(n.table) ?? [];
    if (!ks.includes(n.key)) ks.push(n.key);
    readKeys.set(n.table, ks);
  }
  const elems = [...new Set([...u.regs.map((r) => r.name), ...u.tables.map((t) => tableKey(t.name))])].filter(
    (e) => writes.has(e) || nodes.some((n) => elemOf(n) === e),
  );

  // ---- components: X -> Y when Y's write, or Y's read key, depends on X's read
  const succ = new Map<string, Set<string>>(elems.map((e) => [e, new Set()]));
  for (const y of elems) {
    const cone = [...(writes.get(y) ?? []), ...(y.startsWith('table:') ? readKeys.get(y.slice(6)) ?? [] : [])];
    for (const id of cone) for (const x of deps[id]) if (succ.has(x)) succ.get(x)!.add(y);
  }
  const comp = tarjan(elems, succ);

  // A table read whose key depends on its own component is combinational (async).
  const asyncRead = new Set<string>();
  for (const [t, ks] of readKeys) {
    const c = comp.get(tableKey(t))!;
    if (ks.some((k) => [...deps[k]].some((x) => comp.get(x) === c))) asyncRead.add(t);
  }

  // Nodes forced into a component's state stage: they read the component's state and feed its writes.
  const writeCone = new Map<number, Set<NodeId>>(); // component -> nodes feeding its writes
  for (const e of elems) {
    const c = comp.get(e)!;
    const set = writeCone.get(c) ?? new Set<NodeId>();
    const stack = [...(writes.get(e) ?? [])];
    if (e.startsWith('table:') && asyncRead.has(e.slice(6))) stack.push(...(readKeys.get(e.slice(6)) ?? []));
    while (stack.length) {
      const id = stack.pop()!;
      if (set.has(id)) continue;
      set.add(id);
      stack.push(...operands(nodes[id]));
    }
    writeCone.set(c, set);
  }
  const forced = new Map<NodeId, number>(); // node -> component
  for (const n of nodes) {
    for (const x of deps[n.id]) {
      const c = comp.get(x)!;
      if (writeCone.get(c)?.has(n.id)) forced.set(n.id, c);
    }
  }

  const memKind = new Map(u.tables.map((t) => [t.name, memoryKind(t)]));
  const violations: Diagnostic[] = [];
  const costs = nodes.map((n) => dm.node(u, n));
  // Tables whose tag compare is registered before the state stage (MemoryPlan.earlyTag): the path there is the
  // memory's clock-to-out, the tag compare and the select of the older forwarded write folded into its last LUT.
  const earlyTag = new Set<string>();
  for (const t of u.tables) {
    const w = u.tableWrites.get(t.name);
    const kind = memKind.get(t.name)!;
    if (!w?.next || kind === 'lutram' || asyncRead.has(t.name) || !tagBits(t)) continue;
    if (deletesOnly(nodes, w) === deletesOnly(nodes, w.next)) continue;
    const out = dm.op(kind === 'uram' ? 'uramClockToOut' : 'bramClockToOut', 1);
    if (out + dm.op('eq', tagBits(t)) + dm.routing <= budget) earlyTag.add(t.name);
  }

  // ---- fixpoint: ASAP placement given the components' stages, raising a stage until everything it needs is ready
  const settle = (compStage: Map<number, number>) => {
    for (let iter = 0; ; iter++) {
      if (iter > nodes.length + elems.length + 8) throw new Error('internal: scheduling did not converge');
      const place = asap(u, dm, budget, costs, forced, compStage, comp, memKind, asyncRead, earlyTag);
      let changed = false;
      const raise = (c: number, s: number) => {
        if (s > compStage.get(c)!) compStage.set(c, s), (changed = true);
      };
      // Logic feeding a recurrence from outside it must be ready by the component's stage.
      for (const [id, c] of forced) for (const o of operands(nodes[id])) if (forced.get(o) !== c && nodes[o].op !== 'const') raise(c, place.stage[o]);
      for (const e of elems) {
        const c = comp.get(e)!;
        for (const id of writes.get(e) ?? []) if (!forced.has(id) || forced.get(id) !== c) raise(c, place.stage[id]);
        if (e.startsWith('table:')) {
          const t = e.slice(6);
          if (asyncRead.has(t)) continue;
          for (const k of readKeys.get(t) ?? []) {
            // The key is presented to the memory in the stage before; LUT-RAM reads it there combinationally.
            const lut = memKind.get(t) === 'lutram';
            const capacity = u.tables.find((x) => x.name === t)!.capacity;
            const tag = tagBits(u.tables.find((x) => x.name === t)!);
            const fits = !lut || place.arrival[k] + dm.op('lutramRead', capacity) + dm.routing + (tag ? dm.op('eq', tag) + dm.routing : 0) <= budget || nodes[k].op === 'const';
            raise(c, place.stage[k] + readLatency(memKind.get(t)!) + (fits ? 0 : 1));
          }
        }
      }
      if (!changed) return place;
    }
  };
  let compStage = new Map<number, number>([...new Set(comp.values())].map((c) => [c, 0]));
  let place = settle(compStage);
  // A recurrence that misses the period because input-side logic shares its stage gets that logic registered: its
  // stage is raised by one (and what depends on it follows) while that shortens its loop. Tried, not estimated:
  // the trial placement packs LUTs exactly as the final one does.
  for (let round = 0; round <= elems.length; round++) {
    let raised = false;
    for (const [c, worst] of [...place.recurrence].sort((x, y) => y[1].arrival - x[1].arrival)) {
      if (worst.arrival <= budget) continue;
      const trial = new Map(compStage).set(c, compStage.get(c)! + 1);
      const p = settle(trial);
      if ((p.recurrence.get(c)?.arrival ?? 0) < worst.arrival - 1e-9) {
        (compStage = trial), (place = p), (raised = true);
        break;
      }
    }
    if (!raised) break;
  }

  // ---- violations: recurrences and operators that do not fit the period
  // A table that block RAM cannot read in time (TF132, below) is the cause of its component's delay: say only that.
  const unreadable = new Set([...readKeys.keys()].filter((t) => asyncRead.has(t) && memKind.get(t) !== 'lutram').map((t) => comp.get(tableKey(t))));
  for (const [c, worst] of place.recurrence) {
    if (worst.arrival <= budget || unreadable.has(c)) continue;
    const names = elems.filter((e) => comp.get(e) === c).map((e) => (e.startsWith('table:') ? `table ${e.slice(6)}` : e));
    const path = place.pathTo(worst.node);
    const start = nodes[path[0]];
    const logic = path.map((id) => nodes[id]).find((x) => x.op !== 'reg' && x.op !== 'tread') ?? nodes[worst.node];
    violations.push({
      code: 'TF130',
      loc: logic.loc,
      ...(start.op === 'reg' || start.op === 'tread' ? { related: { loc: start.loc, message: `the path starts at the read of ${start.op === 'reg' ? start.name : `table ${start.table}`}` } } : {}),
      message:
        `the update of ${names.join(', ')} does not close in one cycle at ${clockMHz} MHz: estimated ${worst.arrival.toFixed(2)} ns > ` +
        `${periodNs.toFixed(3)} ns period; critical path: ${describePath(path, nodes)}`,
      hint:
        'compute what depends only on the input before the update (compare state with a threshold derived from the input ' +
        'instead of comparing an updated value), keep the state narrow, build small tables in LUT-RAM (memory: \'lutram\'), ' +
        'or build for a lower clock (--clock)',
    });
  }
  for (const n of nodes) {
    const k = costs[n.id];
    if (!k.tooSlow && ((k.cycles !== undefined && !forced.has(n.id)) || dm.clockToQ + k.ns + dm.routing <= budget)) continue;
    if (k.cycles !== undefined) continue; // a multiply in a recurrence: TF130 names the loop
    if (n.op === 'bin' && (n.kind === 'div' || n.kind === 'mod')) {
      violations.push({
        code: 'TF131',
        loc: n.loc,
        message: `a ${nodes[n.a].width}-bit ${n.kind === 'div' ? 'division' : 'remainder'} by a value that is not a power of two is a ${nodes[n.a].width}-row divider, estimated ${k.ns.toFixed(1)} ns: it cannot be built in one cycle at ${clockMHz} MHz`,
        hint: 'divide by a power of two (a shift), multiply by a reciprocal loaded as a param, or compare a * d against b instead of a against b / d',
      });
    } else {
      violations.push({
        code: 'TF131',
        loc: n.loc,
        message: `this ${n.op === 'bin' || n.op === 'cmp' || n.op === 'un' ? `${n.kind} ` : ''}operation (${n.width} bits) takes an estimated ${(dm.clockToQ + k.ns).toFixed(2)} ns, more than the ${periodNs.toFixed(3)} ns period at ${clockMHz} MHz`,
        hint: 'narrow its operands, split it into parts, or build for a lower clock (--clock)',
      });
    }
  }
  for (const [t, ks] of readKeys) {
    if (!asyncRead.has(t) || memKind.get(t) === 'lutram') continue;
    const n = nodes.find((x) => x.op === 'tread' && x.table === t && ks.includes(x.key))!;
    violations.push({
      code: 'TF132',
      loc: n.loc,
      message: `table ${t} is read at a key computed from state updated in the same cycle; ${memKind.get(t) === 'bram' ? 'a block RAM' : 'an UltraRAM'} has a registered read, so the key must be known cycles earlier`,
      hint: "compute the key from the input (or from state updated earlier in the pipeline), or build the table in LUT-RAM (memory: 'lutram', at most a few thousand slots)",
    });
  }
  if (violations.length && opts.enforce !== false) throw new CompileError(violations);

  // ---- result
  const stage = new Map<NodeId, number>();
  const arrival = new Map<NodeId, number>();
  for (const n of nodes) stage.set(n.id, place.stage[n.id]), arrival.set(n.id, place.arrival[n.id]);
  const elemStage = (e: string) => compStage.get(comp.get(e)!)!;
  const usedElems = new Set(elems);
  // State and tables are separate namespaces in the DSL: a register and a table may share a name. stateStage holds
  // registers by name and tables by name unless a register has it (a register's stage must never be a table's:
  // rtl/emit.ts writes each register in its stage); memories below carries every table's stage.
  const regNames = new Set(u.regs.map((r) => r.name));
  const stateStage = new Map<string, number>();
  for (const e of elems) {
    const isTable = e.startsWith('table:');
    if (!(isTable && regNames.has(e.slice(6)))) stateStage.set(isTable ? e.slice(6) : e, elemStage(e));
  }
  const roots = [u.outValid, ...u.outFields.values(), ...u.moreOutputs.flatMap((o) => [o.valid, ...o.fields.values()])];
  let lastStage = Math.max(0, ...roots.map((id) => place.stage[id]));
  for (const e of elems) lastStage = Math.max(lastStage, elemStage(e));
  const memories = new Map<string, MemoryPlan>();
  for (const t of u.tables) {
    if (!usedElems.has(tableKey(t.name))) continue;
    memories.set(t.name, {
      kind: memKind.get(t.name)!,
      read: asyncRead.has(t.name) ? 'async' : 'sync',
      readLatency: readLatency(memKind.get(t.name)!),
      stage: elemStage(tableKey(t.name)),
      wordBits: wordBits(t),
      indexBits: indexBits(t),
      tagBits: tagBits(t),
      readKeys: readKeys.get(t.name) ?? [],
      earlyTag: earlyTag.has(t.name),
    });
  }
  const stages: StageReport[] = [];
  for (let s = 0; s <= lastStage; s++) {
    let worst: NodeId | null = null;
    for (const n of nodes) if (place.stage[n.id] === s && n.op !== 'const' && (worst === null || place.arrival[n.id] > place.arrival[worst])) worst = n.id;
    stages.push({
      stage: s,
      delayNs: round3(worst === null ? dm.clockToQ : place.arrival[worst]),
      critical: worst === null ? [] : place.pathTo(worst),
      levels: worst === null ? 0 : place.pathTo(worst).filter((id) => costs[id].ns > 0 || nodes[id].op === 'tread').length,
      state: [...elems].filter((e) => elemStage(e) === s).map((e) => (e.startsWith('table:') ? e.slice(6) : e)),
    });
  }
  const multi = new Map<NodeId, number>();
  for (const n of nodes) if (costs[n.id].cycles !== undefined && !forced.has(n.id)) multi.set(n.id, costs[n.id].cycles!);
  // Host-written memories are not swept: their contents are loaded (init) and kept, not cleared (rtl/hostmem.ts).
  const sweepCycles = Math.max(0, ...u.tables.filter((t) => memories.has(t.name) && !t.host).map((t) => t.capacity));
  return { clockMHz, periodNs, family, stage, arrival, multi, stateStage, memories, sweepCycles, lastStage, latency: lastStage + 2, stages, violations };
}

/** ASAP placement with cuts at the period; forced nodes stay in their component's stage whatever their arrival. */
function asap(
  u: UnitIR,
  dm: DelayModel,
  budget: number,
  costs: ReturnType<DelayModel['node']>[],
  forced: Map<NodeId, number>,
  compStage: Map<number, number>,
  comp: Map<string, number>,
  memKind: Map<string, MemoryKind>,
  asyncRead: Set<string>,
  earlyTag: Set<string>,
) {
  const nodes = u.nodes;
  // Muxes on a register's next-value path that keep the register (`c ? x : r`, nested): clock enables.
  const enableMux = new Map<NodeId, string>();
  for (const [r, next] of u.regNext) {
    for (let id: NodeId | null = next; id !== null; ) {
      const m: Node = nodes[id];
      if (m.op !== 'mux') break;
      const keeps = (x: NodeId) => nodes[x].op === 'reg' && (nodes[x] as { name: string }).name === r;
      if (keeps(m.f)) enableMux.set(id, r), (id = m.t);
      else if (keeps(m.t)) enableMux.set(id, r), (id = m.f);
      else id = null;
    }
  }
  const stage: number[] = new Array(nodes.length).fill(0);
  const arrival: number[] = new Array(nodes.length).fill(0);
  const pred: Array<NodeId | null> = new Array(nodes.length).fill(null);
  // Per component: the worst arrival among its forced nodes.
  const recurrence = new Map<number, { node: NodeId; arrival: number }>();
  // LUT packing state of single-level bit operations: inputs of the LUT ending at the node, when they arrive.
  const lutSet: Array<Set<NodeId> | null> = new Array(nodes.length).fill(null);
  // One-level bit operations a carry chain can fold into its propagate LUTs: their inputs per bit, and when those settle.
  const absorbN: number[] = new Array(nodes.length).fill(0);
  const absorbA: number[] = new Array(nodes.length).fill(0);
  const q = dm.clockToQ;
  // The tag compare of a has/free read of a table written at two places (rtl/memory2.ts), on the XOR-ed word.
  const dualTag = (n: Extract<Node, { op: 'tread' }>): number => {
    const tb = tagBits(u.tables.find((x) => x.name === n.table)!);
    return (n.what === 'has' || n.what === 'free') && tb ? dm.op('eq', 2 * tb) + dm.routing : 0;
  };
  for (const n of nodes) {
    const id = n.id;
    let k = costs[id];
    // A multiply inside a recurrence cannot use the DSP's pipeline registers: the whole product settles in one cycle.
    if (k.cycles !== undefined && forced.has(id)) k = { ns: dm.op('dsp', 1) + (k.cycles - 2) * dm.op('add', n.width) };
    const routed = k.ns > 0 ? k.ns + dm.routing : 0;
    if (n.op === 'const') continue; // inline: stage 0, arrival 0, usable anywhere
    if (n.op === 'input' || n.op === 'param' || n.op === 'now') {
      arrival[id] = q;
      continue;
    }
    if (n.op === 'reg') {
      stage[id] = compStage.get(comp.get(n.name)!)!;
      arrival[id] = q;
      continue;
    }
    const ops = operands(n).filter((o) => nodes[o].op !== 'const');
    let s = Math.max(0, ...ops.map((o) => stage[o]));
    if (n.op === 'tread') {
      s = compStage.get(comp.get(`table:${n.table}`)!)!;
      if (asyncRead.has(n.table)) {
        const cap = u.tables.find((t) => t.name === n.table)!.capacity;
        const kArr = stage[n.key] === s ? arrival[n.key] : q;
        stage[id] = s;
        pred[id] = stage[n.key] === s ? n.key : null;
        // Two write ports (rtl/memory2.ts): the XOR of the two banks' words, and for has/free the tag compare on it.
        const t2 = u.tableWrites.get(n.table)?.next ? dm.op('lut', 2) + dm.routing + dualTag(n) : 0;
        arrival[id] = kArr + dm.op('lutramRead', cap) + dm.routing + t2 + routed;
      } else {
        const kind = memKind.get(n.table)!;
        const t = u.tables.find((x) => x.name === n.table)!;
        const tag = tagBits(t);
        // The word comes from a fabric register (LUT-RAM: the registered read; block RAM and UltraRAM: the register
        // after their own, which merges the older forwarded write). LUT-RAM compares the tag a stage early.
        // Two write ports (rtl/memory2.ts): the word's select takes both forwarded writes and both banks' words (8
        // to 11 inputs a bit: one LUT level more); the tag compare is as wide as with one write (bank B's tag is
        // XOR-ed with the key's a stage early, LUT-RAM compares a stage early), or not in this stage at all (earlyTag).
        const w = u.tableWrites.get(n.table);
        const dual = w?.next !== undefined;
        const cmp = (n.what === 'has' || n.what === 'free') && tag && kind !== 'lutram' && !earlyTag.has(n.table) ? dm.op('eq', tag) + dm.routing : 0;
        const out = q + cmp + (dual ? dm.op('lut', 6) + dm.routing : 0);
        stage[id] = s;
        arrival[id] = out + routed;
        // The word select is one LUT level per bit (forward hit, two words): a carry chain reading it absorbs it.
        if (n.what === 'value') (absorbN[id] = 4), (absorbA[id] = out);
        // Two writes, one of them delete-only: a value bit is 0 in the valid-bit bank and in that port's forwarded
        // word, so it is the other bank's bit, its forwarded word's bit, and the two forward selects (write enable,
        // slot equal, per port): six inputs, one LUT. (Not a tag bit: the delete's forwarded word carries its key's.)
        if (dual && n.what === 'value' && deletesOnly(nodes, w!) !== deletesOnly(nodes, w!.next!)) {
          arrival[id] = q + dm.op('lut', 6) + dm.routing;
          absorbN[id] = 6;
          absorbA[id] = q;
        }
      }
      noteForced(id);
      continue;
    }
    const c = forced.get(id);
    if (c !== undefined) s = compStage.get(c)!;
    const inArr = (o: NodeId) => (stage[o] === s ? arrival[o] : q);
    let worstOp: NodeId | null = null;
    for (const o of ops) if (worstOp === null || inArr(o) > inArr(worstOp)) worstOp = o;
    let a = (worstOp === null ? q : inArr(worstOp)) + routed;
    // Wiring (a slice, a constant shift, a concatenation): bit for bit one of its operands, so LUT packing sees
    // through it.
    const wiring = k.ns === 0 && k.lutInputs === undefined && k.cycles === undefined;
    const leafSet = (o: NodeId): Set<NodeId> => (stage[o] === s && lutSet[o] ? lutSet[o]! : new Set([o]));
    const leafArr = (set: Set<NodeId>) => Math.max(q, ...[...set].map((x) => (stage[x] === s ? arrival[x] : q)));
    // A LUT's output: the mapper puts the latest input on the fastest pin (LUT6 pins: 127 ps .. 642 ps).
    const lutOut = (set: Set<NodeId>) => lutArrival([...set].map((x) => (stage[x] === s ? arrival[x] : q)), dm, q);
    const latest = (set: Set<NodeId>): NodeId | null => {
      let best: NodeId | null = null;
      for (const x of set) if (stage[x] === s && (best === null || arrival[x] > arrival[best])) best = x;
      return best;
    };
    // `c ? (f | x) : f` with x and f sharing no bit (a conditional concatenation, as if-converted field packing
    // writes it) is per bit either f passed through or (c & x): one LUT on c and x, not a mux level per node.
    let viaOr: [NodeId, NodeId, NodeId] | null = null;
    // `c ? x : r` as the next value of register r is its clock enable: the select does not delay the data.
    let enable: [NodeId, NodeId] | null = null;
    if (n.op === 'mux') {
      const other = (t: NodeId, f: NodeId): NodeId | null => {
        const tn = nodes[t];
        if (tn.op !== 'bin' || (tn.kind !== 'or' && tn.kind !== 'add' && tn.kind !== 'xor')) return null;
        const x = tn.a === f ? tn.b : tn.b === f ? tn.a : null;
        return x !== null && (mayOne(u, x) & mayOne(u, f)) === 0n ? x : null;
      };
      const x = other(n.t, n.f) ?? other(n.f, n.t);
      if (x !== null) viaOr = [n.c, x, other(n.t, n.f) !== null ? n.f : n.t];
      const self = (r: NodeId) => nodes[r].op === 'reg' && enableMux.get(id) === (nodes[r] as { name: string }).name;
      if (self(n.f)) enable = [n.c, n.t];
      else if (self(n.t)) enable = [n.c, n.f];
    }
    if (enable) {
      const [c0, x] = enable;
      stage[id] = s;
      arrival[id] = Math.max(inArr(x), inArr(c0) + dm.op('lut', 2) + dm.routing);
      lutSet[id] = null;
      pred[id] = inArr(x) >= inArr(c0) ? (stage[x] === s ? x : null) : stage[c0] === s ? c0 : null;
      noteForced(id);
      continue;
    }
    if (wiring || viaOr) {
      let set = new Set<NodeId>();
      let arr = q;
      if (viaOr) {
        const [c0, x, f] = viaOr;
        const both = new Set([...leafSet(c0), ...leafSet(x)]);
        set = both.size <= CONE_MAX && lutOut(both) <= lutOut(new Set([c0, x])) ? both : new Set([c0, x]);
        arr = Math.max(inArr(f), lutOut(set));
      } else {
        for (const o of ops) {
          const l = leafSet(o);
          if (l.size > set.size) set = l;
          arr = Math.max(arr, inArr(o));
        }
      }
      stage[id] = s;
      arrival[id] = arr;
      lutSet[id] = set.size ? set : null;
      pred[id] = viaOr ? latest(set) : worstOp !== null && stage[worstOp] === s ? worstOp : null;
      noteForced(id);
      continue;
    }
    if (k.lutInputs !== undefined) {
      // Pack into one LUT6 with cheap operands of the same stage (latest first) while the inputs fit.
      let set = new Set<NodeId>(ops);
      for (const o of [...ops].sort((x, y) => inArr(y) - inArr(x))) {
        if (stage[o] !== s || !lutSet[o]) continue;
        const cand = new Set([...set].filter((x) => x !== o).concat([...lutSet[o]!]));
        if (cand.size <= CONE_MAX && lutOut(cand) <= lutOut(set)) set = cand;
      }
      // A LUT's delay depends on how many pins it uses (cells_sim.v: 127 ps for one input .. 642 ps for six).
      a = lutOut(set);
      if (c !== undefined || a <= budget) {
        lutSet[id] = set;
        absorbN[id] = set.size;
        absorbA[id] = leafArr(set);
        stage[id] = s;
        arrival[id] = a;
        pred[id] = latest(set);
        noteForced(id);
        continue;
      }
      // Past the period: a new stage with registered operands.
      stage[id] = s + 1;
      arrival[id] = q + dm.op('lut', Math.max(1, ops.length)) + dm.routing;
      lutSet[id] = new Set(ops);
      continue;
    }
    // A carry-chain operator (add, compare, min/max, clamp) computes each bit's propagate in a LUT: a one-level
    // bit operation feeding it folds into that LUT when the inputs per bit fit six.
    const carry = (n.op === 'bin' && (n.kind === 'add' || n.kind === 'sub' || n.kind === 'min' || n.kind === 'max')) || n.op === 'cmp' || n.op === 'sat';
    if (carry && k.lutInputs === undefined && k.cycles === undefined && k.ns > 0) {
      let pins = 0;
      let inA = q;
      for (const o of ops) {
        const fold = stage[o] === s && absorbN[o] > 0;
        pins += fold ? absorbN[o] : 1;
        inA = Math.max(inA, fold ? absorbA[o] : inArr(o));
      }
      if (pins <= LUT_INPUTS && inA + routed < a) a = inA + routed;
    }
    if (k.cycles !== undefined && c === undefined) {
      // A pipelined operator takes registered operands and yields a registered result `cycles` stages later.
      if (ops.some((o) => stage[o] === s && arrival[o] > q)) s += 1;
      stage[id] = s + k.cycles;
      arrival[id] = q + dm.routing;
      pred[id] = null;
      continue;
    }
    if (c === undefined && a > budget && a - (worstOp === null ? q : inArr(worstOp)) + q <= budget) {
      // Past the period: start a new stage with the operands registered.
      s += 1;
      a = q + routed;
      worstOp = null;
    }
    stage[id] = s;
    arrival[id] = a;
    pred[id] = worstOp !== null && stage[worstOp] === s ? worstOp : null;
    noteForced(id);
  }
  function noteForced(id: NodeId) {
    const c = forced.get(id);
    if (c === undefined) return;
    const r = recurrence.get(c);
    if (!r || arrival[id] > r.arrival) recurrence.set(c, { node: id, arrival: arrival[id] });
  }
  const pathTo = (id: NodeId): NodeId[] => {
    const p: NodeId[] = [];
    for (let x: NodeId | null = id; x !== null; x = pred[x]) p.unshift(x);
    return p;
  };
  return { stage, arrival, recurrence, pathTo };
}

/** Tarjan's strongly connected components: element -> component number (components numbered in no set order). */
function tarjan(elems: string[], succ: Map<string, Set<string>>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const comp = new Map<string, number>();
  let next = 0;
  let nComp = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of succ.get(v) ?? []) {
      if (!index.has(w)) visit(w), low.set(v, Math.min(low.get(v)!, low.get(w)!));
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      for (;;) {
        const w = stack.pop()!;
        onStack.delete(w);
        comp.set(w, nComp);
        if (w === v) break;
      }
      nComp++;
    }
  };
  for (const e of elems) if (!index.has(e)) visit(e);
  return comp;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** `gate.ts:93 credit + elapsed (1.1 ns) -> gate.ts:94 min ...`: the path's DSL lines, deduplicated in order. */
export function describePath(path: NodeId[], nodes: readonly Node[]): string {
  const parts: string[] = [];
  let last = '';
  for (const id of path) {
    const n = nodes[id];
    const where = `${n.loc.file}:${n.loc.line}`;
    if (where === last) continue;
    last = where;
    parts.push(`${where}${n.label ? ` (${n.label})` : ''}`);
  }
  // A long loop: its start and its end say where to look.
  if (parts.length > 12) return [...parts.slice(0, 5), `... (${parts.length - 10} more) ...`, ...parts.slice(-5)].join(' -> ');
  return parts.join(' -> ');
}

/**
 * When the output of a cone of bit logic with inputs arriving at `arr` settles, mapped to LUT6s the way a
 * timing-driven mapper does it: the latest input on the fastest pin; a cone of more than six inputs is split by
 * Shannon expansion on its k <= 2 latest inputs, the 2^k cofactors (functions of the early inputs, built as LUT
 * trees) feeding the same last LUT. Exported for tests.
 */
export function lutArrival(arr: number[], dm: DelayModel, q: number): number {
  const a = [...arr].sort((x, y) => y - x);
  const pin = (i: number) => dm.op('lut', Math.min(LUT_INPUTS, i + 1));
  const last = (ins: number[]) => Math.max(q + pin(0), ...[...ins].sort((x, y) => y - x).map((t, i) => t + pin(i))) + dm.routing;
  if (a.length <= LUT_INPUTS) return last(a);
  // A tree of LUT6s over n early inputs: ceil(log6 n) levels after the latest of them.
  const tree = (ins: number[]) => {
    let levels = 0;
    for (let n = ins.length; n > 1; n = Math.ceil(n / LUT_INPUTS)) levels++;
    return Math.max(...ins) + Math.max(1, levels) * (dm.op('lut', LUT_INPUTS) + dm.routing);
  };
  let best = Infinity;
  for (const k of [1, 2]) {
    const late = a.slice(0, k);
    const cof = tree(a.slice(k));
    best = Math.min(best, last([...late, ...Array.from({ length: 2 ** k }, () => cof)]));
  }
  return best;
}
