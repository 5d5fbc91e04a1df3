"""``lldp_neighbor``: the cabling is as designed -- a local interface sees the expected device and port."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactRequest, FactValue
from grader.model.report import CheckResult
from grader.naming import same_interface

LLDP_NEIGHBORS = fact_kind("lldp_neighbors", "LLDP (or, arg protocol=cdp, CDP) neighbours: local interface, "
                                             "neighbour device name, neighbour port")


@dataclass(frozen=True)
class LldpNeighbor:
    """One neighbour row: ``device`` its system name as shown (Cisco cuts it to 20 characters in the table),
    ``port`` its port id as it reports it (an interface name, or a MAC address / number on some devices)."""

    local_interface: str
    device: str
    port: str | None = None


class LldpNeighborParams(CheckParams):
    interface: str = Field(min_length=1, description="the local interface, e.g. GE0/0/1 or Gi0/1")
    device: str | None = Field(default=None, min_length=1, max_length=255,
                               description="the neighbour's system name (sysname / hostname)")
    port: str | None = Field(default=None, min_length=1, description="the neighbour's interface")
    protocol: Literal["lldp", "cdp"] = Field(default="lldp", description="lldp, or cdp (Cisco only)")


def same_device(seen: str, wanted: str) -> bool:
    """Names compare case-insensitively, a domain suffix aside (``R2.lab.local`` is ``R2``); a name cut to the
    column's 20 characters matches the name it starts."""
    seen_key, wanted_key = seen.casefold(), wanted.casefold()
    if seen_key == wanted_key or seen_key.split(".", 1)[0] == wanted_key.split(".", 1)[0]:
        return True
    return len(seen_key) >= 20 and wanted_key.startswith(seen_key)


def _describe(neighbor: LldpNeighbor) -> str:
    return neighbor.device + (f" port {neighbor.port}" if neighbor.port else "")


@check_type
class LldpNeighborCheck(CheckType[LldpNeighborParams]):
    name = "lldp_neighbor"
    summary = "cabling as designed: a local interface's LLDP (or CDP) neighbour is the expected device and port"
    passes_when = "a neighbour seen on `interface` has the given device name and port"
    Params = LldpNeighborParams
    fact_kinds = (LLDP_NEIGHBORS,)

    def requests(self, params: LldpNeighborParams) -> list[FactRequest]:
        return [FactRequest.make(params.node, LLDP_NEIGHBORS,
                                 protocol="cdp" if params.protocol == "cdp" else None)]

    def judge(self, params: LldpNeighborParams, fact: FactValue) -> CheckResult:
        neighbors: list[LldpNeighbor] = list(fact.value)
        here = [n for n in neighbors if same_interface(n.local_interface, params.interface)]
        expected = self.expected(params)
        rows = [as_row(n) for n in here]
        evidence = [evidence_of(fact, rows or [as_row(n) for n in neighbors])]
        where = f"{params.node}: {params.interface}"
        if not here:
            seen = ", ".join(f"{n.local_interface} → {n.device}" for n in neighbors) or "none"
            return self.result(params, verdict(False), f"{where} has no {params.protocol.upper()} neighbour "
                               f"(neighbours: {seen})", expected=expected, observed=[], evidence=evidence)
        for neighbor in here:
            if (params.device is None or same_device(neighbor.device, params.device)) and \
                    (params.port is None or same_interface(neighbor.port, params.port)):
                return self.result(params, verdict(True), f"{where} is connected to {_describe(neighbor)}",
                                   expected=expected, observed=rows, evidence=evidence)
        wanted = " port ".join(p for p in (params.device, params.port) if p)
        seen = "; ".join(_describe(n) for n in here)
        return self.result(params, verdict(False), f"{where} is connected to {seen}, expected {wanted}",
                           expected=expected, observed=rows, evidence=evidence)
