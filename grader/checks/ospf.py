"""``ospf_neighbor``: an OSPF (v2, or v3 for IPv6) neighbour is in the expected state (Full by default).

``process`` asks the device for that process's neighbours only (``process=N`` in the request); ``vrf`` keeps
the neighbours seen on interfaces bound to that VRF / VPN instance (read from the ``vrfs`` fact), since OSPF
runs one process per VRF and the neighbour tables of Huawei and Cisco do not name the VRF (``vrf=NAME`` is in
the request too, for platforms whose command takes a VRF).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, IPvAnyAddress, field_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.interfaces import VRFS, vrf_of
from grader.checks.registry import check_type, fact_kind
from grader.checks.values import PlainName
from grader.model.facts import FactRequest, FactValue, OspfNeighbor
from grader.model.report import CheckResult
from grader.naming import area_dotted, area_param, ospf_state, ospf_state_param, same_interface

OSPF_NEIGHBORS = fact_kind("ospf_neighbors", "OSPF neighbours: router id, address, state, interface, area "
                                             "(arg version=3 for OSPFv3, process=N for one process)")


class OspfNeighborParams(CheckParams):
    neighbor: IPvAnyAddress = Field(description="the neighbour's router id or interface address")
    state: str = Field(default="Full", description="expected state: Full, 2-Way, Init, ExStart, ...")
    interface: str | None = Field(default=None, min_length=1,
                                  description="the local interface the neighbour is seen on")
    area: str | None = Field(default=None, description="the area, 0 or 0.0.0.0 (where the platform shows it)")
    version: Literal[2, 3] = Field(default=2, description="2: OSPFv2 (IPv4); 3: OSPFv3 (IPv6), whose "
                                   "neighbours are named by router id")
    process: int | None = Field(default=None, ge=1, le=65535, description="the OSPF process id the neighbour "
                                "belongs to")
    vrf: PlainName | None = Field(default=None, description="the VRF / VPN instance: the neighbour must be seen "
                                  "on an interface bound to it")

    @field_validator("state")
    @classmethod
    def _known_state(cls, value: str) -> str:
        return ospf_state_param(value)

    @field_validator("area", mode="before")
    @classmethod
    def _area(cls, value: object) -> object:
        return None if value is None else area_param(value)  # type: ignore[arg-type]


@check_type
class OspfNeighborCheck(CheckType[OspfNeighborParams]):
    name = "ospf_neighbor"
    summary = "an OSPF neighbour (router id or address) is Full (or another state), optionally on an interface/area"
    passes_when = "the neighbour is seen in that state (on that interface/area)"
    Params = OspfNeighborParams
    fact_kinds = (OSPF_NEIGHBORS,)  # and VRFS when vrf is given (see requests)

    def requests(self, params: OspfNeighborParams) -> list[FactRequest]:
        neighbors = FactRequest.make(params.node, OSPF_NEIGHBORS, version=3 if params.version == 3 else None,
                                     process=params.process, vrf=params.vrf)
        return [neighbors] + ([FactRequest.make(params.node, VRFS)] if params.vrf else [])

    def judge_all(self, params: OspfNeighborParams, facts: list[FactValue]) -> CheckResult:
        if params.vrf is None:
            return self.judge(params, facts[0])
        fact, vrfs = facts[0], list(facts[1].value)
        inside = [n for n in fact.value if vrf_of(vrfs, n.interface) == params.vrf]
        if not any(params.neighbor in (n.router_id, n.address) for n in inside):
            outside = next((n for n in fact.value if params.neighbor in (n.router_id, n.address)), None)
            if outside is not None:
                where = vrf_of(vrfs, outside.interface)
                return self.result(params, verdict(False), f"{params.node}: OSPF neighbour {params.neighbor} is "
                                   f"seen on {outside.interface} in {'VRF ' + where if where else 'the global table'}"
                                   f", expected in VRF {params.vrf}", expected=self.expected(params),
                                   observed=as_row(outside), evidence=[evidence_of(fact, [as_row(outside)])])
        return self.judge(params, fact, inside)

    def judge(self, params: OspfNeighborParams, fact: FactValue,
              candidates: list[OspfNeighbor] | None = None) -> CheckResult:
        pool: list[OspfNeighbor] = list(fact.value) if candidates is None else candidates
        neighbors = [n for n in pool if params.neighbor in (n.router_id, n.address)]
        expected = self.expected(params)
        rows = [as_row(n) for n in neighbors]
        evidence = [evidence_of(fact, rows)]
        who = f"{params.node}: OSPF{'v3' if params.version == 3 else ''} neighbour {params.neighbor}" + (
            f" (process {params.process})" if params.process else "") + (
            f" in VRF {params.vrf}" if params.vrf else "")
        if not neighbors:
            seen = ", ".join(f"{n.router_id} ({n.state})" for n in pool) or "none"
            everyone = [as_row(n) for n in pool]
            return self.result(params, verdict(False), f"{who} not found (neighbours: {seen})",
                               expected=expected, observed=everyone, evidence=[evidence_of(fact, everyone)])
        want_state = ospf_state(params.state)
        seen_on: list[str] = []
        for neighbor in neighbors:
            problems: list[str] = []
            if neighbor.state != want_state:
                problems.append(f"is {neighbor.state}, expected {want_state}")
            if params.interface and not same_interface(neighbor.interface, params.interface):
                problems.append(f"is on {neighbor.interface}, expected {params.interface}")
            if params.area is not None and neighbor.area is not None \
                    and area_dotted(neighbor.area) != area_dotted(params.area):
                problems.append(f"is in area {neighbor.area}, expected {area_dotted(params.area)}")
            if not problems:
                return self.result(params, verdict(True), f"{who} is {neighbor.state}", expected=expected,
                                   observed=rows, evidence=evidence)
            others = [p for p in problems if not p.startswith("is on")] or ["not the expected interface"]
            seen_on.append("; ".join(problems) if len(neighbors) == 1
                           else f"on {neighbor.interface or '?'}: {'; '.join(others)}")
        if len(neighbors) > 1:  # seen on several interfaces: say what each one shows
            where = ", ".join(n.interface or "?" for n in neighbors)
            return self.result(params, verdict(False), f"{who} is seen on {where}, none as expected ("
                               + "; ".join(seen_on) + ")" + (f", expected on {params.interface}"
                                                             if params.interface else ""),
                               expected=expected, observed=rows, evidence=evidence)
        return self.result(params, verdict(False), f"{who} {seen_on[0]}", expected=expected, observed=rows,
                           evidence=evidence)
