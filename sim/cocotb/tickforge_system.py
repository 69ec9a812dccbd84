"""The cocotb bench of a system (docs/systems.md; test_system.py.hbs): the unit bench's drivers around the system's
top, with a scoreboard per channel. Copied next to the generated test module with tickforge_cocotb.py."""

from __future__ import annotations

import json
from collections import deque
from typing import Optional

import tickforge_cocotb
from tickforge_cocotb import Bench, BenchConfig, BenchError, Expected, ModelClient, Scoreboard

# ---------------------------------------------------------------------------------------------------------------
# Systems (docs/systems.md): each unit against its own model, on exactly the records its channel delivered


class SystemModelClient(ModelClient):
    def ustep(self, unit: int, data: bytes, now: int) -> list[bytes]:
        return [bytes.fromhex(x) for x in self.call(op="ustep", unit=unit, bytes=data.hex(), now=now)["outs"]]


class SystemScoreboard(Scoreboard):
    """At every edge: each channel's producer side in order against its producer's model (stepped with the records
    its own channel delivered, at the cycles the unit accepted them), the system's output against the last unit's
    model, and every unit's input handshake stepping its model. A divergence names the unit and the channel."""

    def __init__(self, bench: "Bench"):
        cfg = bench.cfg
        self.units: list[str] = cfg.extra["units"]
        self.links: list[dict] = cfg.extra["links"]
        self.link_expected: list[deque] = [deque() for _ in self.links]
        self.link_compared = [0] * len(self.links)
        self.link_dropped = [0] * len(self.links)
        self.unit_inputs = [0] * len(self.units)
        self._sig = [{s: getattr(bench.dut, f"{l['name']}_{s}") for s in ("src_tvalid", "src_tready", "src_tdata", "drop", "dst_tvalid", "dst_tready", "dst_tdata")} for l in self.links]
        super().__init__(bench)
        # Asleep, it also waits for a change on any channel's handshake signals.
        self._pairs += [p for l, s in zip(self.links, self._sig) for p in ((s["src_tvalid"], None if l["strobe"] else s["src_tready"]), (s["dst_tvalid"], s["dst_tready"]))]

    def _quiet(self) -> bool:
        if not super()._quiet():
            return False
        for l, s in zip(self.links, self._sig):
            if int(s["src_tvalid"].value) and (l["strobe"] or int(s["src_tready"].value)):
                return False
            if int(s["dst_tvalid"].value) and int(s["dst_tready"].value):
                return False
        return True

    def pending(self) -> int:
        return len(self.expected) + sum(len(q) for q in self.link_expected)

    def _link_decode(self, k: int, data: Optional[bytes]) -> str:
        if data is None:
            return "none"
        return f"{json.dumps(self.model.decode(self.links[k]['name'], data))} (hex {data.hex()})"

    def _edge(self) -> None:
        d = self.dut
        ib, ob = self.in_bytes, self.out_bytes
        last = len(self.units) - 1
        if not int(d.aresetn.value):
            if not self.in_reset:
                self.in_reset = True
                self.resets += 1
                self.discarded += self.pending()
                self.bench.log.info("aresetn low at cycle %d: %d records in flight discarded", self._cycle, self.pending())
                self.expected.clear()
                for q in self.link_expected:
                    q.clear()
                self.model.reset()
            if self._out_handshake():
                self.ignore_reset_output += 1
            self._cycle = 0
            self.epoch_inputs = 0
            self.unit_inputs = [0] * len(self.units)
            self.in_cycles = []
            self.out_cycles = []
            self._frame = b""
            return
        self.in_reset = False
        c = self._cycle
        # Every handshake of this edge, sampled before any model runs.
        src, dst = [], []
        for k, (l, s) in enumerate(zip(self.links, self._sig)):
            hs = int(s["src_tvalid"].value) and (l["strobe"] or int(s["src_tready"].value))
            src.append((int(s["src_tdata"].value).to_bytes(l["bytes"], "little"), int(s["drop"].value)) if hs else None)
            hs = int(s["dst_tvalid"].value) and int(s["dst_tready"].value)
            dst.append(int(s["dst_tdata"].value).to_bytes(l["bytes"], "little") if hs else None)

        for k, x in enumerate(src):
            if x is None:
                continue
            got, drop = x
            self.link_dropped[k] += drop
            q = self.link_expected[k]
            name, unit = self.links[k]["name"], self.units[k]
            if not q:
                self.fail(f"cycle {c}: channel {name}: unit {unit} sent {self._link_decode(k, got)}, but its model has no output pending")
                continue
            e = q.popleft()
            self.link_compared[k] += 1
            self.compared += 1
            if e.out != got:
                self.fail(f"cycle {c}: channel {name}: unit {unit}'s output for its input {e.index} (accepted at cycle {e.cycle}) differs\n"
                          f"    expected: {self._link_decode(k, e.out)}\n    got:      {self._link_decode(k, got)}")

        if self._out_handshake():
            got = self._out_record(ob)
            self.outputs += 1
            self.out_data.append(got)
            self.out_cycles.append(c)
            if not self.expected:
                self.fail(f"cycle {c}: unexpected output {self._decode('output', got)}: unit {self.units[last]}'s model has no output pending")
            else:
                e = self.expected.popleft()
                self.compared += 1
                if e.out != got:
                    self.fail(f"cycle {c}: output of unit {self.units[last]} for its input {e.index} (accepted at cycle {e.cycle}) differs\n"
                              f"    expected: {self._decode('output', e.out)}\n    got:      {self._decode('output', got)}")

        def take(unit: int, data: bytes) -> None:
            q = self.expected if unit == last else self.link_expected[unit]
            for out in self.model.ustep(unit, data, c):
                q.append(Expected(out, self.unit_inputs[unit], c, data))
            self.unit_inputs[unit] += 1

        extra = self.bench.cfg.extra
        def event(unit: int, port: int, lsb: int, rec: int) -> bytes:
            # A unit with several inputs steps on its merged event: the input's index, its record at `lsb`.
            return ((port | (rec << lsb)) if port >= 0 else rec).to_bytes(extra["unit_in_bytes"][unit], "little")

        if self.bench.cfg.in_ports:
            # Several system inputs: each taken record to the unit it feeds (inputs of different units may be
            # taken in one cycle; a unit's arbiter takes one per cycle).
            for p, e in zip(self.bench.cfg.in_ports, extra["externals"]):
                v = int(getattr(d, f"s_axis_{p['name']}_tvalid").value)
                r = int(getattr(d, f"s_axis_{p['name']}_tready").value)
                if v and not r:
                    self._stalls += 1
                if v and r:
                    rec = int(getattr(d, f"s_axis_{p['name']}_tdata").value) & ((1 << p["width"]) - 1)
                    take(e["unit"], event(e["unit"], e["port"], e["lsb"], rec))
                    self.in_cycles.append(c)
                    self.epoch_inputs += 1
                    self.inputs += 1
        else:
            if int(d.s_axis_tvalid.value) and not int(d.s_axis_tready.value):
                self._stalls += 1
            if int(d.s_axis_tvalid.value) and int(d.s_axis_tready.value):
                take(0, int(d.s_axis_tdata.value).to_bytes(ib, "little"))
                self.in_cycles.append(c)
                self.epoch_inputs += 1
                self.inputs += 1
        for k, data in enumerate(dst):
            if data is not None:
                u = k + 1
                lsb = extra["chain_lsb"][u]
                take(u, event(u, 0, lsb, int.from_bytes(data, "little")) if lsb >= 0 else data)
        self._cycle = c + 1

    def check(self, what: str, drained: bool = True) -> None:
        super().check(what, drained)
        if drained:
            for k, q in enumerate(self.link_expected):
                if q:
                    e = q[0]
                    raise BenchError(f"{what}: channel {self.links[k]['name']}: {len(q)} record(s) of unit {self.units[k]} never came; the first is "
                                     f"its output for its input {e.index} (accepted at cycle {e.cycle}): {self._link_decode(k, e.out)}")


_system_model: Optional[SystemModelClient] = None


class SystemBench(Bench):
    """The unit bench's drivers (AXI-Stream source and sink, AXI-Lite master, stalls) around a system's top, with
    the per-channel scoreboard."""

    def __init__(self, dut, cfg: BenchConfig, test_index: int):
        global _system_model
        if _system_model is None:
            _system_model = SystemModelClient(cfg.model_argv)
        tickforge_cocotb._model = _system_model  # the one model server model_client() hands the bench
        super().__init__(dut, cfg, test_index)

    def make_scoreboard(self) -> "Scoreboard":
        return SystemScoreboard(self)

    def make_regs(self) -> Optional["RegFile"]:
        return None  # the system bench makes no register writes (each unit's register file has its own bench)

    async def wait_idle(self, timeout_cycles: int) -> None:
        await self._wait(lambda: self.source.idle() and self.sb.pending() == 0, timeout_cycles, "all records accepted and every channel drained")
