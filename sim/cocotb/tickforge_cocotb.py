"""cocotb test bench support for tickforge designs (copied next to the generated test module).

The pieces:
  * ModelClient   -- the DSL model in a Node subprocess (sim/cocotb/model-server.ts), JSON lines.
  * RegFile       -- the AXI4-Lite register file of docs/semantics.md section 9 (shadow low words, strobes,
                     SLVERR), so a bus write can be turned into the param value the model is told.
  * Scoreboard    -- one coroutine sampling every rising edge where a handshake is possible (it sleeps through
                     the others and counts them): input and output handshakes, AXI-Lite write commits and aresetn.
                     It steps the model with each accepted record at the cycle it was accepted and compares every
                     output handshake, in order, byte for byte.
  * Bench         -- clock, cocotbext-axi source/sink/AXI-Lite master, seeded pause generators, reset, stimulus.
Alongside: tickforge_edges.py (the clock, driver and stall generators that do not wake at every edge; docs/cocotb.md,
"Speed") and tickforge_system.py (the bench of a system).

Time: the cycle of a handshake is the number of rising edges sampled with aresetn=1 since the last edge sampled
with aresetn=0 (the RTL's 48-bit counter). A param write commits at the edge where the slave raises bvalid; a
record accepted at that same edge still sees the old value, records accepted at later edges see the new one.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import subprocess
import warnings
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

import cocotb
from cocotb.clock import Clock
from cocotb.simtime import get_sim_time
from cocotb.triggers import ClockCycles, Event, First, ReadOnly, RisingEdge, SimTimeoutError, Timer, ValueChange, select, with_timeout
from cocotbext.axi import AxiLiteBus, AxiLiteMaster, AxiStreamBus, AxiStreamFrame

from tickforge_edges import AUDIT, CLOCK_PERIOD_NS, EVERY_EDGE, EdgeClock, EdgeSink, EdgeSource

# cocotbext-axi 0.1.28 still calls APIs that cocotb 2 deprecates (setimmediatevalue, Task.kill); they work.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"cocotbext\.axi")

MAX_REPORTED = 5
AXIL_TIMEOUT_CYCLES = 1000  # an AXI-Lite transaction with no response by then is a failure, not a hang


class BenchError(AssertionError):
    """A check of the bench failed (the test fails with this message)."""


# ---------------------------------------------------------------------------------------------------------------
# The model


class ModelClient:
    """The design's own model, run by Node: one request line out, one reply line back."""

    def __init__(self, argv: list[str]):
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.requests = 0

    def call(self, **req) -> dict:
        if self.proc.poll() is not None:
            raise RuntimeError(f"model server exited with {self.proc.returncode}: {' '.join(self.argv)}")
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        self.requests += 1
        if not line:
            raise RuntimeError(f"model server closed its output (exit {self.proc.poll()}) after request {req.get('op')}")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"model server: {reply['error']} (request {json.dumps(req)[:200]})")
        return reply

    def step(self, data: bytes, now: int) -> list[bytes]:
        """The wire records the event produces: none, one output record, or the beats of its packet."""
        return [bytes.fromhex(x) for x in self.call(op="step", bytes=data.hex(), now=now)["outs"]]

    def param(self, name: str, bits) -> None:
        if isinstance(bits, list):  # a host-written memory, whole (its entries' bits)
            self.call(op="memory", name=name, values=[str(b) for b in bits])
        else:
            self.call(op="param", name=name, value=str(bits))

    def reset(self) -> None:
        self.call(op="reset")

    def kill(self) -> None:
        self.call(op="kill")

    def control(self, word: int) -> None:
        self.call(op="control", value=word)

    def gen(self, seed: int, count: int, input: str = "") -> list[bytes]:
        """`count` records of the design's stimulus: generated from `seed`, or (input a file) consecutive records of
        the file from `seed` on, wrapping."""
        return [bytes.fromhex(h) for h in self.call(op="gen", seed=seed, count=count, input=input)["records"]]

    def decode(self, record: str, data: Optional[bytes]):
        if data is None:
            return None
        return self.call(op="decode", record=record, bytes=data.hex())["value"]

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# ---------------------------------------------------------------------------------------------------------------
# The register file (docs/semantics.md section 9, rtl/regs.ts)


@dataclass(frozen=True)
class Param:
    name: str
    offset: int
    words: int
    width: int
    init: int  # the default, as the param's unsigned bit pattern
    kind: str  # uint | sint | bool | char | enum
    codes: tuple = ()  # enum: the member codes


@dataclass(frozen=True)
class Memory:
    """A host-written memory's window (docs/regmap.md "Host-written memories"): ADDR, then DATA words."""
    name: str
    offset: int
    data: tuple
    entries: int
    width: int
    kind: str


def memories_of(regmap: dict) -> list[Memory]:
    return [Memory(name=m["name"], offset=m["offset"], data=tuple(m["data"]), entries=m["entries"], width=m["width"], kind=m["kind"])
            for w in regmap["windows"] for m in w.get("memories", [])]


def load_regmap(path: str) -> dict:
    """The register map JSON `tickforge build` writes to <out>/regmap/regmap.json (regmap/map.ts): the bench
    takes every offset from it, as the C header, the TypeScript client and the cosim harness do."""
    with open(path) as f:
        return json.load(f)


def params_of(regmap: dict) -> list[Param]:
    return [Param(name=r["name"], offset=r["offset"], words=len(r["words"]), width=r["width"], init=int(r["reset"]),
                  kind=r["kind"], codes=tuple(m["code"] for m in r.get("members", [])))
            for w in regmap["windows"] for r in w["params"]]


class RegFile:
    """The register file as the host sees it (docs/regmap.md), read off the register map: the standard block
    (ID, VERSION, BUILD_HASH constants; CONTROL.KILL latched; COMMIT and its generation; STATUS; SNAPSHOT), param
    words written to shadow registers that take effect together on a COMMIT whose value differs from the
    generation, status words (read from the last SNAPSHOT, which the bench does not model: it reads params).
    Byte strobes merge into the current word. Writes to read-only or unmapped words answer SLVERR."""

    def __init__(self, regmap: dict):
        self.map = regmap
        self.std = {r["name"]: r for r in regmap["standard"]}
        self.params = params_of(regmap)
        self.by_word: dict[int, tuple[Param, int]] = {}
        for p in self.params:
            for k in range(p.words):
                self.by_word[(p.offset >> 2) + k] = (p, k)
        self.status_words = {wd["offset"] >> 2 for w in regmap["windows"] for r in w["status"] for wd in r["words"]}
        # Host-written memories: ADDR and DATA words by word address -> (memory, -1 for ADDR or the DATA word index).
        self.mems = memories_of(regmap)
        self.mem_words: dict[int, tuple[Memory, int]] = {}
        for m in self.mems:
            self.mem_words[m.offset >> 2] = (m, -1)
            for k, o in enumerate(m.data):
                self.mem_words[o >> 2] = (m, k)
        self.reset()

    def off(self, name: str) -> int:
        return self.std[name]["offset"]

    def reset(self) -> None:
        self.value = {p.name: p.init for p in self.params}  # live: what the design uses
        self.shadow = {p.name: p.init for p in self.params}  # staged: what the host wrote
        self.generation = 0
        self.killed = False
        self.held = False
        # Per memory: ADDR, the DATA words as last written, and the entries written since the last bank switch (the
        # shadow bank; an entry not written since holds older contents the bench does not track).
        self.mem_addr = {m.name: 0 for m in self.mems}
        self.mem_data = {m.name: [0] * len(m.data) for m in self.mems}
        self.mem_shadow: dict[str, dict[int, int]] = {m.name: {} for m in self.mems}

    def _word(self, bits: int, k: int) -> int:
        return (bits >> (32 * k)) & 0xFFFFFFFF

    def write(self, addr: int, data: int, strb: int) -> tuple[int, list[tuple[str, int]]]:
        """Returns (bresp, [(param, new live bits)]) for a write of `data` under byte strobes `strb`: the params
        change only on a COMMIT, all of them at once."""
        mask = 0
        for b in range(4):
            if strb >> b & 1:
                mask |= 0xFF << (8 * b)
        merge = lambda cur: (cur & ~mask & 0xFFFFFFFF) | (data & mask)
        w = addr >> 2
        if w == self.off("CONTROL") >> 2:
            # KILL latches; HOLD takes bit 1; ARM_KEY in [31:8] with HOLD 1, KILL 0 and every strobe clears the kill.
            if strb & 1:
                self.held = bool(data & 2)
                if data & 1:
                    self.killed = True
                elif strb == 0xF and data & 2 and data >> 8 == self.map["armKey"]:
                    self.killed = False
            return 0, []
        if w == self.off("COMMIT") >> 2:
            g = merge(self.generation)
            if g == self.generation:
                return 0, []
            self.generation = g
            changes = [(p.name, self.shadow[p.name]) for p in self.params if self.shadow[p.name] != self.value[p.name]]
            self.value.update(self.shadow)
            # A memory written since the last COMMIT switches banks: its shadow becomes live (the bench writes whole
            # memories; a partial update would make older entries live, which it does not model).
            for m in self.mems:
                sh = self.mem_shadow[m.name]
                if not sh:
                    continue
                if len(sh) != m.entries:
                    raise BenchError(f"internal: memory {m.name} committed with {len(sh)} of {m.entries} entries written")
                changes.append((m.name, [sh[i] for i in range(m.entries)]))
                self.mem_shadow[m.name] = {}
            return 0, changes
        if w == self.off("SNAPSHOT") >> 2:
            return 0, []
        mw = self.mem_words.get(w)
        if mw is not None:
            m, k = mw
            bits = (m.entries - 1).bit_length() if m.entries > 1 else 1
            if k < 0:
                self.mem_addr[m.name] = merge(self.mem_addr[m.name]) & ((1 << bits) - 1)
                return 0, []
            wmask = ((1 << m.width) - 1) >> (32 * k) & 0xFFFFFFFF
            self.mem_data[m.name][k] = merge(self.mem_data[m.name][k]) & wmask
            if k == len(m.data) - 1:
                a = self.mem_addr[m.name]
                self.mem_shadow[m.name][a] = sum(x << (32 * j) for j, x in enumerate(self.mem_data[m.name]))
                self.mem_addr[m.name] = (a + 1) % m.entries
            return 0, []
        hit = self.by_word.get(w)
        if hit is None:
            return 2, []
        p, k = hit
        full = (1 << p.width) - 1
        wmask = full >> (32 * k) & 0xFFFFFFFF
        new = merge(self._word(self.shadow[p.name], k)) & wmask
        self.shadow[p.name] = (self.shadow[p.name] & ~(wmask << (32 * k))) | (new << (32 * k))
        return 0, []

    def read(self, addr: int) -> tuple[int, int]:
        """(data, rresp) the slave should answer for a read of `addr`. Status words read the last SNAPSHOT, which the
        bench does not model: it never asks for them."""
        w = addr >> 2
        if w in self.status_words:
            raise BenchError(f"internal: the register model does not model status word 0x{addr:x}")
        for name in ("ID", "VERSION", "BUILD_HASH"):
            if w == self.off(name) >> 2:
                return self.std[name]["reset"], 0
        if w == self.off("CONTROL") >> 2:
            return (int(self.held) << 1) | int(self.killed), 0
        if w == self.off("COMMIT") >> 2:
            return self.generation, 0
        if w == self.off("STATUS") >> 2:
            return ((self.generation & 0xFFFF) << 16) | (int(self.held) << 1) | int(self.killed), 0
        if w in (self.off("SNAPSHOT") >> 2, (self.off("SNAPSHOT") >> 2) + 1):
            return 0, 0
        mw = self.mem_words.get(w)
        if mw is not None:
            m, k = mw
            if k < 0:
                return self.mem_addr[m.name], 0
            a = self.mem_addr[m.name]
            if a not in self.mem_shadow[m.name]:
                raise BenchError(f"internal: the register model does not know entry {a} of memory {m.name}'s shadow bank")
            return (self.mem_shadow[m.name][a] >> (32 * k)) & 0xFFFFFFFF, 0
        hit = self.by_word.get(w)
        if hit is None:
            return 0, 2
        p, k = hit
        return self._word(self.shadow[p.name], k), 0


def pick_param_value(p: Param, rng: random.Random, current: Optional[int] = None) -> int:
    """A value worth writing, different from `current` when there is one: a bool toggles; otherwise the default, a
    value near it, 0, the largest, or random bits."""
    if p.kind == "bool":
        return 1 - current if current is not None else rng.randint(0, 1)
    for _ in range(8):
        v = _pick(p, rng)
        if v != current:
            return v
    return v


def _pick(p: Param, rng: random.Random) -> int:
    if p.kind == "enum":
        return rng.choice(p.codes) if p.codes else p.init
    if p.kind == "char":
        return rng.randint(32, 126)
    full = (1 << p.width) - 1
    signed = p.kind == "sint"
    lo, hi = (-(1 << (p.width - 1)), (1 << (p.width - 1)) - 1) if signed else (0, full)
    init = p.init - (1 << p.width) if signed and p.init >> (p.width - 1) else p.init
    r = rng.random()
    if r < 0.25:
        v = init
    elif r < 0.6:
        span = max(1, abs(init))
        v = min(hi, max(lo, init + rng.randint(-span // 2, span)))
    elif r < 0.8:
        return rng.getrandbits(p.width)
    elif r < 0.9:
        v = 0
    else:
        v = hi
    return v & full


# ---------------------------------------------------------------------------------------------------------------
# Stimulus timing


def bursts(rng: random.Random, p_start: float, max_len: int) -> Iterator[bool]:
    """Pause generator (True = pause this cycle): a pause of 1..max_len cycles starts with probability p_start."""
    while True:
        if rng.random() < p_start:
            for _ in range(rng.randint(1, max_len)):
                yield True
        else:
            yield False


def never() -> Iterator[bool]:
    while True:
        yield False


def always() -> Iterator[bool]:
    while True:
        yield True


# ---------------------------------------------------------------------------------------------------------------
# The scoreboard


@dataclass
class Expected:
    out: bytes
    index: int  # input index since the last reset
    cycle: int
    data: bytes


@dataclass
class ParamCommit:
    cycle: int
    name: str
    bits: int


class Scoreboard:
    def __init__(self, bench: "Bench"):
        self.bench = bench
        self.dut = bench.dut
        self.model = bench.model
        self.regs = bench.regs
        self.in_bytes = bench.in_bytes
        self.out_bytes = bench.out_bytes
        self._cycle = 0
        self.in_reset = True
        self.resets = 0  # reset assertions seen (the bench's initial one included)
        self.epoch_inputs = 0  # accepted records since the last reset
        self.inputs = 0  # all accepted records
        self.outputs = 0  # all output handshakes outside reset
        self.compared = 0
        self.discarded = 0  # expected outputs dropped by a reset (records in flight)
        self.expected: deque[Expected] = deque()
        self.in_cycles: list[int] = []  # cycles of accepted records in this epoch
        self.out_data: list[bytes] = []  # every output handshake outside reset, for cross-checks
        self.out_cycles: list[int] = []  # cycles of output handshakes in this epoch
        self.has_ready = bench.cfg.has_ready
        self.beat_bytes = bench.cfg.beat_bytes
        self.frames: list[bytes] = []  # packet designs: the kept bytes of each complete packet (what a sink receives)
        self._frame = b""
        self._stalls = 0  # cycles with s_axis_tvalid high and s_axis_tready low, out of reset
        self.commits: list[ParamCommit] = []
        self.commit_edges: list[int] = []  # cycles of COMMIT writes that changed at least one param
        self.killed_inputs = 0  # records accepted while CONTROL.KILL was latched
        self.mismatches = 0
        self.messages: list[str] = []
        self.failed = Event()
        self.ignore_reset_output = 0  # output beats sampled on edges with aresetn low (not transfers)
        self._aw: deque[int] = deque()
        self._w: deque[tuple[int, int]] = deque()
        self._writes: deque[tuple[int, int, int]] = deque()
        self._prev_bvalid = 0
        self._prev_bhs = 0
        self._last_out: Optional[tuple[int, bytes]] = None
        # Sleeping (EVERY_EDGE off): after an edge where no handshake was possible, and none is possible at the next
        # one, the scoreboard sleeps until one of the handshake signals (or aresetn) changes.
        self.sleeping = False
        self.woke = Event()  # set when it wakes (Bench._wait sleeps with it)
        self.slept = 0  # edges slept through
        self._edge_t = 0  # the time of the last edge it sampled
        self._stalled = 0  # inputs valid and not ready during the current sleep
        d = self.dut
        ports = [f"s_axis_{p['name']}" for p in bench.cfg.in_ports] or ["s_axis"]
        self._in_pairs = [(getattr(d, f"{p}_tvalid"), getattr(d, f"{p}_tready")) for p in ports]
        # (valid, ready) pairs whose handshake the scoreboard samples (ready None: valid alone is the transfer), and
        # signals any change of which matters; asleep, it watches a pair's valid, and its ready only while valid is high.
        self._pairs = [(d.m_axis_tvalid, d.m_axis_tready if self.has_ready else None), *self._in_pairs,
                       (d.s_axil_awvalid, d.s_axil_awready), (d.s_axil_wvalid, d.s_axil_wready), (d.s_axil_bvalid, None)]
        self._watched = [d.aresetn]
        self._numbered: dict[int, int] = {}  # AUDIT: edge time -> the cycle the scoreboard gave it
        self.task = cocotb.start_soon(self._run())
        if AUDIT:
            self.audit_task = cocotb.start_soon(self._audit())

    @property
    def cycle(self) -> int:
        """The cycle number the next edge gets (edges slept through counted)."""
        return self._cycle + (self._slept_now() if self.sleeping else 0)

    @property
    def input_stalls(self) -> int:
        """Cycles an input waited (tvalid high, tready low) out of reset, per input."""
        return self._stalls + (self._stalled * self._slept_now() if self.sleeping else 0)

    def _slept_now(self) -> int:
        return (get_sim_time("step") - self._edge_t) // self.bench.clock.period

    def _on_edge(self) -> None:
        self._edge_t = get_sim_time("step")
        clock = self.bench.clock
        if clock.phase is None:
            clock.phase = self._edge_t % clock.period
        if AUDIT and int(self.dut.aresetn.value):
            self._numbered[self._edge_t] = self._cycle

    def _quiet(self) -> bool:
        """No handshake is possible at an edge sampling the signals' present values (and aresetn is high): no input
        or output transfer, no AXI-Lite write address, data or response."""
        d = self.dut
        if not int(d.aresetn.value) or int(d.s_axil_bvalid.value) or self._out_handshake():
            return False
        if any(int(v.value) and int(r.value) for v, r in self._in_pairs):
            return False
        return not (int(d.s_axil_awvalid.value) and int(d.s_axil_awready.value)) and not (int(d.s_axil_wvalid.value) and int(d.s_axil_wready.value))

    def _sleep_bound(self) -> Optional[int]:
        """At most how many edges from the last sampled one the scoreboard may sleep (None: no bound). A design with
        no output back-pressure must never stall its input after its start-up sweep: an input waiting then is
        failed at the edge the per-edge scoreboard would fail it."""
        if not self.has_ready and self._stalled:
            return self.bench.cfg.startup_cycles - self._cycle + 1
        return None

    async def _sleep(self) -> None:
        """Called at an edge where nothing happened: once every write of the edge is in, if nothing can happen at the
        next edge either, sleeps until a signal that could change that changes. Every signal of the design and of the
        bench's drivers changes only at an edge (flip-flops, and coroutines woken by the edge), so the edges slept
        through all sampled the values seen here: they are counted (cycle numbers, input stalls), not visited."""
        await ReadOnly()
        if not self._quiet():
            return
        self._stalled = sum(1 for v, r in self._in_pairs if int(v.value) and not int(r.value))
        bound = self._sleep_bound()
        if bound is not None and bound < 2:
            return
        period = self.bench.clock.period
        waits = [ValueChange(s) for s in self._watched]
        for v, r in self._pairs:
            waits.append(ValueChange(v))
            if r is not None and int(v.value):
                waits.append(ValueChange(r))
        if bound is not None:
            waits.append(Timer(bound * period - period // 2, "step"))  # wakes before the bound-th edge
        self.sleeping = True
        await First(*waits)
        n = self._slept_now()
        self.sleeping = False
        self._cycle += n
        self._stalls += self._stalled * n
        self.slept += n
        if n:
            self._prev_bvalid = self._prev_bhs = 0
        self.woke.set()

    async def _audit(self) -> None:
        """TICKFORGE_COCOTB_AUDIT=1: samples every edge as a per-edge scoreboard does; fails the test if the scoreboard
        slept through an edge where a handshake was possible or gave an edge another cycle number."""
        edge = RisingEdge(self.dut.aclk)
        cycle = 0
        while True:
            await edge
            t = get_sim_time("step")
            if not int(self.dut.aresetn.value):
                cycle = 0
                continue
            if self.sleeping and not self._quiet():
                self.fail(f"audit: the scoreboard slept through cycle {cycle}, where a handshake was possible")
            # The scoreboard may sample this edge after the auditor does: its numbering is compared one edge later.
            prev = t - self.bench.clock.period
            given = self._numbered.pop(prev, None)
            if given is not None and given != cycle - 1:
                self.fail(f"audit: the scoreboard numbered cycle {cycle - 1} as cycle {given}")
            cycle += 1

    def fail(self, msg: str) -> None:
        self.mismatches += 1
        if len(self.messages) < MAX_REPORTED:
            self.messages.append(msg)
        self.failed.set()

    def _decode(self, which: str, data: Optional[bytes]) -> str:
        if data is None:
            return "none"
        return f"{json.dumps(self.model.decode(which, data))} (hex {data.hex()})"

    async def _run(self) -> None:
        edge = RisingEdge(self.dut.aclk)
        while True:
            await edge
            self._on_edge()
            self._edge()
            if not EVERY_EDGE and not self.in_reset and self._quiet():
                await self._sleep()

    def _edge(self) -> None:
        d = self.dut
        ib, ob = self.in_bytes, self.out_bytes
        if not int(d.aresetn.value):
            if not self.in_reset:
                self.in_reset = True
                self.resets += 1
                self.discarded += len(self.expected)
                self.bench.log.info("aresetn low at cycle %d: %d records in flight discarded", self._cycle, len(self.expected))
                self.expected.clear()
                self.model.reset()
                self.regs.reset()
            if self._out_handshake():
                self.ignore_reset_output += 1
            self._cycle = 0
            self.epoch_inputs = 0
            self.in_cycles = []
            self.out_cycles = []
            self._frame = b""
            self._aw.clear()
            self._w.clear()
            self._writes.clear()
            self._prev_bvalid = self._prev_bhs = 0
            return
        self.in_reset = False
        c = self._cycle

        # A write response raised at the previous edge: the write committed there (cycle c - 1), after the
        # record accepted at that edge and before the record accepted at this one.
        bvalid = int(d.s_axil_bvalid.value)
        if bvalid and (not self._prev_bvalid or self._prev_bhs):
            self._commit(c - 1, int(d.s_axil_bresp.value))
        self._prev_bvalid = bvalid
        self._prev_bhs = bvalid and int(d.s_axil_bready.value)

        # Output handshake: in order against what the model produced for earlier records.
        if self._out_handshake():
            got = self._out_record(ob)
            self.outputs += 1
            self.out_data.append(got)
            self.out_cycles.append(c)
            if not self.expected:
                self.fail(f"cycle {c}: unexpected output {self._decode('output', got)}: the model has no output pending "
                          f"({self.epoch_inputs} records accepted since the last reset, {self.compared} outputs compared)")
            else:
                e = self.expected.popleft()
                self.compared += 1
                if e.out != got:
                    self._mismatch(c, e, got)
            self._last_out = (c, got)

        # Input handshake: the model runs the record with now = this cycle.
        if self.bench.cfg.in_ports:
            # Several inputs: the event the arbiter took, as the merged record the model steps on.
            data, waiting = merged_handshake(d, self.bench.cfg, ib)
            self._stalls += waiting
        else:
            data = None
            if int(d.s_axis_tvalid.value) and not int(d.s_axis_tready.value):
                self._stalls += 1
                if not self.has_ready and c >= self.bench.cfg.startup_cycles:
                    self.fail(f"cycle {c}: s_axis_tready is low with s_axis_tvalid high: a design with no output "
                              "back-pressure (flow strobe) must never stall its input")
            if int(d.s_axis_tvalid.value) and int(d.s_axis_tready.value):
                data = int(d.s_axis_tdata.value).to_bytes(ib, "little")
        if data is not None:
            # CONTROL.KILL latched at an earlier edge: the model drops the record (no event, no output).
            if self.regs.killed or self.regs.held:
                self.killed_inputs += 1
            for out in self.model.step(data, c):
                self.expected.append(Expected(out, self.epoch_inputs, c, data))
            self.in_cycles.append(c)
            self.epoch_inputs += 1
            self.inputs += 1

        # AXI-Lite write address and data, which may arrive at different edges.
        if int(d.s_axil_awvalid.value) and int(d.s_axil_awready.value):
            self._aw.append(int(d.s_axil_awaddr.value))
        if int(d.s_axil_wvalid.value) and int(d.s_axil_wready.value):
            self._w.append((int(d.s_axil_wdata.value), int(d.s_axil_wstrb.value)))
        while self._aw and self._w:
            addr = self._aw.popleft()
            data, strb = self._w.popleft()
            self._writes.append((addr, data, strb))
        self._cycle = c + 1

    def _out_handshake(self) -> bool:
        d = self.dut
        return bool(int(d.m_axis_tvalid.value)) and (not self.has_ready or bool(int(d.m_axis_tready.value)))

    def _out_record(self, ob: int) -> bytes:
        """The output handshake as a wire record: tdata, or for a packet beat { data, keep, last } packed."""
        d = self.dut
        if not self.beat_bytes:
            return int(d.m_axis_tdata.value).to_bytes(ob, "little")
        bb = self.beat_bytes
        data, keep, last = int(d.m_axis_tdata.value), int(d.m_axis_tkeep.value), int(d.m_axis_tlast.value)
        self._frame += b"".join(((data >> (8 * k)) & 0xFF).to_bytes(1, "little") for k in range(bb) if (keep >> k) & 1)
        if last:
            self.frames.append(self._frame)
            self._frame = b""
        return (data | (keep << (8 * bb)) | (last << (9 * bb))).to_bytes(ob, "little")

    def _mismatch(self, c: int, e: Expected, got: bytes) -> None:
        """Reports a wrong output, naming the likely cause when it is the output of a later record (earlier ones
        were lost; the scoreboard resynchronizes) or a repeat of the previous output (a duplicate)."""
        later = next((k for k, x in enumerate(self.expected) if x.out == got and k < 64), None)
        if later is not None:
            lost = [e] + [self.expected.popleft() for _ in range(later)]
            mine = self.expected.popleft()
            self.fail(f"cycle {c}: {len(lost)} output(s) lost: this is the output of input {mine.index} (accepted at cycle "
                      f"{mine.cycle}), but the outputs of input(s) {', '.join(str(x.index) for x in lost)} never came; the first:\n"
                      f"    input:    {self._decode('input', e.data)} (accepted at cycle {e.cycle})\n"
                      f"    expected: {self._decode('output', e.out)}")
            return
        dup = f" (a repeat of the output at cycle {self._last_out[0]})" if self._last_out and self._last_out[1] == got else ""
        self.fail(f"cycle {c}: output for input {e.index} (accepted at cycle {e.cycle}) differs{dup}\n"
                  f"    input:    {self._decode('input', e.data)}\n"
                  f"    expected: {self._decode('output', e.out)}\n"
                  f"    got:      {self._decode('output', got)}")

    def _commit(self, cycle: int, bresp: int) -> None:
        if not self._writes:
            self.fail(f"cycle {cycle}: write response without a write address and data handshake")
            return
        addr, data, strb = self._writes.popleft()
        want, changes = self.regs.write(addr, data, strb)
        if addr >> 2 == self.regs.off("CONTROL") >> 2 and strb & 1:
            self.model.control(data)
        if bresp != want:
            self.fail(f"cycle {cycle}: write of 0x{data:08x} (strobes {strb:04b}) to 0x{addr:x} answered bresp {bresp}, expected {want}")
        # A COMMIT: every staged param at once, before the record accepted at the next edge.
        for name, bits in changes:
            self.model.param(name, bits)
            self.commits.append(ParamCommit(cycle, name, bits))
        if changes:
            self.commit_edges.append(cycle)

    def check(self, what: str, drained: bool = True) -> None:
        """Raises with the first mismatches, if any, and (when the traffic is `drained`) if outputs are missing."""
        if self.mismatches:
            more = f"\n  ({self.mismatches - len(self.messages)} more)" if self.mismatches > len(self.messages) else ""
            raise BenchError(f"{what}: {self.mismatches} mismatch(es) after {self.compared} matching outputs:\n  "
                             + "\n  ".join(self.messages) + more)
        if drained and self.expected:
            e = self.expected[0]
            raise BenchError(f"{what}: {len(self.expected)} output(s) never came; the first is for input {e.index} "
                             f"(accepted at cycle {e.cycle})\n    input:    {self._decode('input', e.data)}\n"
                             f"    expected: {self._decode('output', e.out)}")


# ---------------------------------------------------------------------------------------------------------------
# The bench


@dataclass
class BenchConfig:
    top: str
    in_bytes: int
    out_bytes: int
    regmap: dict
    model_argv: list[str]
    seed: int
    records: int
    addr_bits: int = 12
    has_ready: bool = True  # False: flow strobe, no m_axis_tready
    beat_bytes: int = 0  # packet designs: bytes per output beat (m_axis_tkeep, m_axis_tlast)
    outputs: int = 1  # the most output records one input may produce (`outputs: N`)
    # Several inputs (dsl/inputs.ts): each {name, lsb, width, bytes}, driven on s_axis_<name>_*; an input record is a
    # merged event whose low `port_bits` bits name its input and bits [lsb, lsb + width) hold its record.
    port_bits: int = 0
    in_ports: list = field(default_factory=list)
    input: str = ""  # --input: a capture the design's stimulus reads (empty: its generator)
    startup_cycles: int = 0  # after each reset, s_axis_tready may stay low this long (the tables' sweep)
    extra: dict = field(default_factory=dict)


_model: Optional[ModelClient] = None


def model_client(cfg: BenchConfig) -> ModelClient:
    """One model server for the whole simulation (reset at the start of every test)."""
    global _model
    if _model is None:
        _model = ModelClient(cfg.model_argv)
    return _model


class InputStreams:
    """The input side of a unit with several inputs, used like one AxiStreamSource: `send_nowait` takes a merged
    event (dsl/inputs.ts) and queues its record on its own input's source; pauses apply to every input, each from its
    own copy of the generator, so the inputs are often valid together and the design's arbiter chooses."""

    def __init__(self, dut, cfg: "BenchConfig"):
        self.ports = cfg.in_ports
        self.port_bits = cfg.port_bits
        self.sources = [EdgeSource(AxiStreamBus.from_prefix(dut, f"s_axis_{p['name']}"), dut.aclk, dut.aresetn,
                                        reset_active_level=False) for p in self.ports]

    def send_nowait(self, frame: AxiStreamFrame) -> None:
        ev = int.from_bytes(bytes(frame.tdata), "little")
        k = ev & ((1 << self.port_bits) - 1)
        if k >= len(self.ports):
            raise BenchError(f"event names input {k}; the design has {len(self.ports)}")
        p = self.ports[k]
        rec = (ev >> p["lsb"]) & ((1 << p["width"]) - 1)
        self.sources[k].send_nowait(AxiStreamFrame(rec.to_bytes(p["bytes"], "little")))

    def set_pause_generator(self, gen: Iterator[bool]) -> None:
        copies = itertools.tee(gen, len(self.sources))
        for s, g in zip(self.sources, copies):
            s.set_pause_generator(g)

    def idle(self) -> bool:
        return all(s.idle() for s in self.sources)

    def clear(self) -> None:
        for s in self.sources:
            s.clear()


def merged_handshake(d, cfg: "BenchConfig", in_bytes: int) -> tuple[Optional[bytes], int]:
    """Several inputs: the merged event taken this cycle (None if none) and how many inputs waited (valid, not ready)."""
    taken = None
    waiting = 0
    for k, p in enumerate(cfg.in_ports):
        if not int(getattr(d, f"s_axis_{p['name']}_tvalid").value):
            continue
        if not int(getattr(d, f"s_axis_{p['name']}_tready").value):
            waiting += 1
            continue
        if taken is not None:
            raise BenchError(f"two inputs taken in one cycle (the second is {p['name']}): the arbiter takes one")
        rec = int(getattr(d, f"s_axis_{p['name']}_tdata").value) & ((1 << p["width"]) - 1)
        taken = (k | (rec << p["lsb"])).to_bytes(in_bytes, "little")
    return taken, waiting


def input_ready_text(d, cfg: "BenchConfig") -> str:
    if cfg.in_ports:
        return " ".join(f"s_axis_{p['name']}_tready={int(getattr(d, f's_axis_' + p['name'] + '_tready').value)}" for p in cfg.in_ports)
    return f"s_axis_tready={int(d.s_axis_tready.value)}"


class Bench:
    def __init__(self, dut, cfg: BenchConfig, test_index: int):
        self.dut = dut
        self.cfg = cfg
        self.in_bytes = cfg.in_bytes
        self.out_bytes = cfg.out_bytes
        self.log = logging.getLogger(f"cocotb.tickforge.{cfg.top}")
        # Every test draws from its own stream, so one test's length does not shift another's stimulus.
        self.seed = cfg.seed * 1000 + test_index
        self.rng = random.Random(self.seed)
        self.model = model_client(cfg)
        self.regs = self.make_regs()
        self.model.reset()  # whatever the previous test left; the scoreboard starts in reset

        dut.aresetn.value = 0
        for p in cfg.in_ports or [{"name": ""}]:
            getattr(dut, f"s_axis_{p['name']}_tvalid" if p["name"] else "s_axis_tvalid").value = 0
        if cfg.has_ready:
            dut.m_axis_tready.value = 0
        for s in ("awvalid", "wvalid", "bready", "arvalid", "rready"):
            getattr(dut, f"s_axil_{s}").value = 0
        # The clock in the simulator's C++ (GPI) rather than a Python task that wakes twice a cycle.
        cocotb.start_soon(Clock(dut.aclk, CLOCK_PERIOD_NS, unit="ns", impl="py" if EVERY_EDGE else "gpi").start())
        self.clock = EdgeClock(dut)

        for bus in ("s_axis", "m_axis", "s_axil", *(f"s_axis_{p['name']}" for p in cfg.in_ports)):  # the components log every frame at INFO
            logging.getLogger(f"cocotb.{dut._name}.{bus}").setLevel(logging.WARNING)
        if cfg.in_ports:
            self.source = InputStreams(dut, cfg)
            for src in self.source.sources:
                src.edge_clock = self.clock
        else:
            self.source = EdgeSource(AxiStreamBus.from_prefix(dut, "s_axis"), dut.aclk, dut.aresetn, reset_active_level=False)
            self.source.edge_clock = self.clock
        self.sink = EdgeSink(AxiStreamBus.from_prefix(dut, "m_axis"), dut.aclk, dut.aresetn, reset_active_level=False)
        self.sink.edge_clock = self.clock
        self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.aclk, dut.aresetn, reset_active_level=False)
        self.sb = self.make_scoreboard()
        self._cursor = 0  # --input: the next record of the capture
        self._input_resets = self.sb.resets

    def make_scoreboard(self) -> "Scoreboard":
        return Scoreboard(self)

    def make_regs(self) -> Optional["RegFile"]:
        return RegFile(self.cfg.regmap)

    # -- control

    async def cycles(self, n: int) -> None:
        await self.clock.edges(n)

    async def reset(self, cycles: int = 4) -> None:
        """aresetn low for `cycles` rising edges (driven just after an edge), then high. The scoreboard sees the
        reset on the bus and restarts the model, the register model and the cycle count itself."""
        self.dut.aresetn.value = 0
        await ClockCycles(self.dut.aclk, cycles)
        self.dut.aresetn.value = 1

    def stalls(self, source: Iterator[bool], sink: Iterator[bool]) -> None:
        self.source.set_pause_generator(source)
        self.sink.set_pause_generator(sink)

    def random_stalls(self, rng: random.Random) -> None:
        """Seeded random tvalid stalls (source) and bursts of tready back-pressure of up to 8 cycles (sink)."""
        self.stalls(bursts(random.Random(rng.getrandbits(32)), 0.25, 4), bursts(random.Random(rng.getrandbits(32)), 0.12, 8))

    def stimulus(self, seed: int, count: int) -> list[bytes]:
        """`count` input records: from the design's generator (seeded), or, with --input a capture, the capture read as
        one stream: each call continues where the last left off, and after a reset it starts again from the capture's
        beginning (a new session), so a stream that frames messages across records stays framed."""
        if self.cfg.input and not self.cfg.input.startswith("synthetic:"):
            if self.sb.resets != self._input_resets:
                self._input_resets = self.sb.resets
                self._cursor = 0
            recs = self.model.gen(self._cursor, count, self.cfg.input)
            self._cursor += count
            return recs
        return self.model.gen(seed, count, self.cfg.input)

    def send(self, records: list[bytes]) -> None:
        for r in records:
            self.source.send_nowait(AxiStreamFrame(r))

    def drain_sink(self) -> list[bytes]:
        out = []
        while not self.sink.empty():
            out.append(bytes(self.sink.recv_nowait().tdata))
        return out

    def sink_expected(self) -> list[bytes]:
        """What the sink should have received: each output record, or each packet's kept bytes."""
        return self.sb.frames if self.cfg.beat_bytes else self.sb.out_data

    async def until_input_ready(self) -> None:
        """Until an edge where the design's input (one of them, with several) is ready."""
        readies = [r for _, r in self.sb._in_pairs]
        while not any(int(r.value) for r in readies):
            await First(*(RisingEdge(r) for r in readies))
            await RisingEdge(self.dut.aclk)

    async def wait_accepted(self, count: int, timeout_cycles: int) -> None:
        """Until `count` records were accepted since the last reset (or a mismatch)."""
        await self._wait(lambda: self.sb.epoch_inputs >= count, timeout_cycles, f"{count} records accepted")

    async def wait_idle(self, timeout_cycles: int) -> None:
        """Until the source has sent everything and every expected output came out (or a mismatch)."""
        await self._wait(lambda: self.source.idle() and not self.sb.expected, timeout_cycles,
                         "all records accepted and all outputs out")

    async def _wait(self, cond: Callable[[], bool], timeout_cycles: int, what: str) -> None:
        """Checks `cond` every 8 edges from now. What it reads (records accepted, outputs pending, the source idle)
        changes only with a handshake, so while the scoreboard sleeps this sleeps too, and checks again on the same
        8-edge grid once it wakes (or at the timeout)."""
        step = 8
        waited = 0
        clock = self.clock
        start = clock.last_edge(get_sim_time("step")) if clock.phase is not None else None
        while not cond() and not self.sb.failed.is_set():
            if waited >= timeout_cycles:
                self.sb.check(f"waiting for {what}", drained=False)  # a mismatch explains a hang best
                raise BenchError(f"timed out after {timeout_cycles} cycles waiting for {what}: {self.sb.epoch_inputs} accepted "
                                 f"since the last reset, {len(self.sb.expected)} outputs pending, "
                                 f"{input_ready_text(self.dut, self.cfg)} m_axis_tvalid={int(self.dut.m_axis_tvalid.value)}")
            if self.sb.sleeping and start is not None:
                self.sb.woke.clear()
                limit = -(-timeout_cycles // step) * step  # the grid edge the timeout is checked at
                await select(self.sb.woke.wait(), clock.until(start + limit * clock.period), self.sb.failed.wait())
                passed = (get_sim_time("step") - start) // clock.period
                waited = min(limit, (passed // step + 1) * step)
                if passed < waited:
                    await select(clock.until(start + waited * clock.period), self.sb.failed.wait())
                continue
            await select(clock.edges(step), self.sb.failed.wait())
            waited += step

    # -- AXI-Lite

    async def _axil(self, what: str, op):
        try:
            return await with_timeout(op, AXIL_TIMEOUT_CYCLES * CLOCK_PERIOD_NS, "ns")
        except SimTimeoutError:
            raise BenchError(f"AXI-Lite {what}: no response within {AXIL_TIMEOUT_CYCLES} cycles") from None

    async def write_word(self, addr: int, value: int) -> int:
        resp = await self._axil(f"write to 0x{addr:x}", self.axil.write(addr, (value & 0xFFFFFFFF).to_bytes(4, "little")))
        return int(resp.resp)

    async def write_bytes(self, addr: int, data: bytes) -> int:
        resp = await self._axil(f"write to 0x{addr:x}", self.axil.write(addr, data))
        return int(resp.resp)

    async def read_word(self, addr: int) -> tuple[int, int]:
        resp = await self._axil(f"read of 0x{addr:x}", self.axil.read(addr & ~3, 4))
        return int.from_bytes(resp.data, "little"), int(resp.resp)

    @property
    def params(self) -> list[Param]:
        return self.regs.params

    async def commit(self) -> int:
        """COMMIT with the next generation: every staged param takes effect at the edge the write lands."""
        g = (self.regs.generation + 1) & 0xFFFFFFFF
        await self.write_word(self.regs.off("COMMIT"), g)
        return g

    async def set_params(self, values: dict, rng: random.Random) -> None:
        """Stages params (records keep flowing between the writes, on the old values), then commits them."""
        for name, bits in values.items():
            p = next(x for x in self.params if x.name == name)
            await self.write_param(p, bits, rng)
        await self.commit()

    async def write_memory(self, m: Memory, values: list[int], rng: random.Random) -> None:
        """Writes every entry of a memory through its window (ADDR 0, then each entry's DATA words, low first), records
        flowing between some of the writes; the entry written last is read back (DATA reads the shadow bank)."""
        await self.write_word(m.offset, 0)
        for v in values:
            if rng.random() < 0.05:
                await self.cycles(rng.randint(1, 8))
            for k, o in enumerate(m.data):
                await self.write_word(o, v >> (32 * k))
        last = m.entries - 1
        await self.write_word(m.offset, last)
        for k, o in enumerate(m.data):
            got = await self.read_word(o)
            want = self.regs.read(o)
            if got != want:
                raise BenchError(f"memory {m.name} entry {last} word {k} reads 0x{got[0]:08x} (rresp {got[1]}), expected 0x{want[0]:08x}")
        await self.write_word(m.offset, 0)

    async def write_param(self, p: Param, bits: int, rng: random.Random, partial: bool = False) -> None:
        """Stages a param as a host driver would: word by word, low word first, into its shadow registers (it takes
        effect at the next COMMIT)."""
        if p.words == 1 and partial and p.width > 8:
            k = rng.randrange(min(4, (p.width + 7) // 8))
            await self.write_bytes(p.offset + k, bytes([(bits >> (8 * k)) & 0xFF]))
            return
        for k in range(p.words):
            if k and rng.random() < 0.5:
                await self.cycles(rng.randint(1, 20))  # records flow between the low and the high word
            await self.write_word(p.offset + 4 * k, bits >> (32 * k))

    async def check_registers(self, what: str) -> None:
        """Reads back the standard block and every param word; compares them with the register model (the ID,
        VERSION and BUILD_HASH constants come from the register map JSON, so BUILD_HASH read over AXI-Lite is checked
        against the hash `tickforge build` printed)."""
        for name in ("ID", "VERSION", "BUILD_HASH", "CONTROL", "COMMIT", "STATUS"):
            addr = self.regs.off(name)
            want = self.regs.read(addr)
            got = await self.read_word(addr)
            if got != want:
                raise BenchError(f"{what}: {name} (0x{addr:02x}) reads 0x{got[0]:08x} (rresp {got[1]}), expected 0x{want[0]:08x}")
        for p in self.params:
            for k in range(p.words):
                addr = p.offset + 4 * k
                want = self.regs.read(addr)
                got = await self.read_word(addr)
                if got != want:
                    raise BenchError(f"{what}: param {p.name} word {k} (0x{addr:02x}) reads 0x{got[0]:08x} (rresp {got[1]}), "
                                     f"expected 0x{want[0]:08x} (rresp {want[1]})")
