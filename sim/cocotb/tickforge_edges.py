"""Waiting without waking at every edge: the clock, the input driver and the stall generators of the cocotb bench
(tickforge_cocotb.py), event-driven where cocotbext-axi wakes every coroutine at every edge. Copied next to the
generated test module with tickforge_cocotb.py; docs/cocotb.md, "Speed"."""

from __future__ import annotations

import os
from typing import Optional

from cocotb.simtime import get_sim_time
from cocotb.triggers import ClockCycles, RisingEdge, Timer
from cocotb.utils import get_sim_steps
from cocotbext.axi import AxiStreamSink, AxiStreamSource

CLOCK_PERIOD_NS = 10
# Sleeping through quiet stretches (docs/cocotb.md, "Speed"): a design that sweeps a table after each reset takes no
# input for up to 2^18 cycles, and a Python wake per coroutine per edge made each reset cost minutes. The scoreboard,
# the input driver, the stall generators and the waits sleep while no handshake is possible and count the edges they
# slept through from the simulation time. TICKFORGE_COCOTB_EVERY_EDGE=1 turns that off (every coroutine wakes at
# every edge, cocotbext-axi's way); TICKFORGE_COCOTB_AUDIT=1 keeps it on and adds an auditor that samples every edge
# and fails the test if the scoreboard slept through an edge where a handshake was possible or numbered a cycle
# differently.
EVERY_EDGE = os.environ.get("TICKFORGE_COCOTB_EVERY_EDGE", "") == "1"
AUDIT = os.environ.get("TICKFORGE_COCOTB_AUDIT", "") == "1"
LOOKAHEAD_CYCLES = 4096  # how far a stall generator is read ahead for its next change

# ---------------------------------------------------------------------------------------------------------------
# Waiting without waking at every edge


class EdgeClock:
    """The rising edges of aclk, at `phase` + k * period (the phase is read off the first edge the scoreboard sees).
    A wait of n edges is one timer to the middle of the cycle before the n-th edge and one edge trigger, not n wakes.
    Waits start at an edge's time (every coroutine of the bench is woken by an edge or by a signal that changed after
    one), so "the n-th edge from now" is the same edge ClockCycles(aclk, n) would end on."""

    def __init__(self, dut):
        self.clk = dut.aclk
        self.period = get_sim_steps(CLOCK_PERIOD_NS, "ns")
        self.phase: Optional[int] = None

    def last_edge(self, now: int) -> int:
        """The time of the latest edge at or before `now` (phase known)."""
        return now - (now - self.phase) % self.period

    async def edges(self, n: int) -> None:
        if EVERY_EDGE or self.phase is None or n <= 2:
            await ClockCycles(self.clk, n)
            return
        await self.until(self.last_edge(get_sim_time("step")) + n * self.period)

    async def until(self, edge_time: int) -> None:
        """Until the edge at `edge_time` (a future edge)."""
        now = get_sim_time("step")
        t = edge_time - self.period // 2 - now
        if t > 0:
            await Timer(t, "step")
        await RisingEdge(self.clk)


class EdgePause:
    """cocotbext-axi's pause generator coroutine, waking only when the pause value changes: it reads the generator
    ahead (one value per cycle, as before) and sleeps through runs of equal values."""

    edge_clock: Optional[EdgeClock] = None

    async def _run_pause(self):
        if EVERY_EDGE or self.edge_clock is None:
            await super()._run_pause()
            return
        it = iter(self._pause_generator)
        try:
            val = next(it)
            while True:
                self.pause = val
                n, nxt = 1, next(it)
                while nxt == val and n < LOOKAHEAD_CYCLES:
                    n, nxt = n + 1, next(it)
                await self.edge_clock.edges(n)
                val = nxt
        except StopIteration:
            return


class EdgeSink(EdgePause, AxiStreamSink):
    pass


class EdgeSource(EdgePause, AxiStreamSource):
    """cocotbext-axi 0.1.28's AxiStreamSource._run, with one change: holding a record (tvalid high) that the design
    does not take (tready low), it sleeps until tready rises instead of waking at every edge to find it still low
    (nothing else can happen then: AXI-Stream holds tvalid and tdata, and pauses start only between records).
    Its pause is read, not pushed: the generator's value for the present edge (the k-th edge after the generator
    was set reads its k-th value), computed when the source looks at it; nothing wakes in between."""

    _lazy: Optional[list] = None  # [iterator, time of the edge it was set at, index of `value`, value]

    def set_pause_generator(self, generator=None):
        clock = self.edge_clock
        if EVERY_EDGE or clock is None or clock.phase is None or generator is None:
            self._lazy = None
            super().set_pause_generator(generator)
            return
        super().set_pause_generator(None)
        self._pause_generator = generator
        it = iter(generator)
        self._lazy = [it, clock.last_edge(get_sim_time("step")), 0, next(it, False)]

    @property
    def pause(self):
        lazy = self._lazy
        if lazy is None:
            return self._pause
        clock = self.edge_clock
        k = (clock.last_edge(get_sim_time("step")) - lazy[1]) // clock.period
        while lazy[2] < k:
            lazy[3] = next(lazy[0], lazy[3])
            lazy[2] += 1
        return lazy[3]

    @pause.setter
    def pause(self, val):
        self._pause = val

    async def _run(self):
        if EVERY_EDGE:
            await super()._run()
            return
        frame = None
        frame_offset = 0
        self.active = False
        bus = self.bus
        has_tready, has_tvalid, has_tlast, has_tkeep = (hasattr(bus, x) for x in ("tready", "tvalid", "tlast", "tkeep"))
        has_tid, has_tdest, has_tuser = (hasattr(bus, x) for x in ("tid", "tdest", "tuser"))
        clock_edge_event = RisingEdge(self.clock)
        while True:
            await clock_edge_event
            tready_sample = (not has_tready) or bus.tready.value
            tvalid_sample = (not has_tvalid) or bus.tvalid.value
            if has_tready and tvalid_sample and not tready_sample:
                # Sampled before the edge's update, which is still to come: a rise at this edge is seen at the next.
                await RisingEdge(bus.tready)
                continue
            if (tready_sample and tvalid_sample) or not tvalid_sample:
                if not frame and not self.queue.empty():
                    frame = self.queue.get_nowait()
                    self.dequeue_event.set()
                    self.queue_occupancy_bytes -= len(frame)
                    self.queue_occupancy_frames -= 1
                    self.current_frame = frame
                    frame.sim_time_start = get_sim_time()
                    frame.sim_time_end = None
                    frame.normalize()
                    self.active = True
                    frame_offset = 0
                if frame and not self.pause:
                    tdata_val = tlast_val = tkeep_val = tid_val = tdest_val = tuser_val = 0
                    for offset in range(self.byte_lanes):
                        tdata_val |= (frame.tdata[frame_offset] & self.byte_mask) << (offset * self.byte_size)
                        tkeep_val |= (frame.tkeep[frame_offset] & 1) << offset
                        tid_val = frame.tid[frame_offset]
                        tdest_val = frame.tdest[frame_offset]
                        tuser_val = frame.tuser[frame_offset]
                        frame_offset += 1
                        if frame_offset >= len(frame.tdata):
                            tlast_val = 1
                            frame.sim_time_end = get_sim_time()
                            frame.handle_tx_complete()
                            frame = None
                            self.current_frame = None
                            break
                    bus.tdata.value = tdata_val
                    if has_tvalid:
                        bus.tvalid.value = 1
                    if has_tlast:
                        bus.tlast.value = tlast_val
                    if has_tkeep:
                        bus.tkeep.value = tkeep_val
                    if has_tid:
                        bus.tid.value = tid_val
                    if has_tdest:
                        bus.tdest.value = tdest_val
                    if has_tuser:
                        bus.tuser.value = tuser_val
                else:
                    if has_tvalid:
                        bus.tvalid.value = 0
                    if has_tlast:
                        bus.tlast.value = 0
                    self.active = bool(frame)
                    if not frame and self.queue.empty():
                        self.idle_event.set()
                        self.active_event.clear()
                        await self.active_event.wait()
