"""``ospf_neighbor``: an OSPF neighbour is in the expected state (Full by default)."""

from __future__ import annotations

from pydantic import Field, IPvAnyAddress, field_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactValue, OspfNeighbor
from grader.model.report import CheckResult
from grader.naming import area_dotted, area_param, ospf_state, ospf_state_param, same_interface

OSPF_NEIGHBORS = fact_kind("ospf_neighbors", "OSPF neighbours: router id, address, state, interface, area")


class OspfNeighborParams(CheckParams):
    neighbor: IPvAnyAddress = Field(description="the neighbour's router id or interface address")
    state: str = Field(default="Full", description="expected state: Full, 2-Way, Init, ExStart, ...")
    interface: str | None = Field(default=None, min_length=1,
                                  description="the local interface the neighbour is seen on")
    area: str | None = Field(default=None, description="the area, 0 or 0.0.0.0 (where the platform shows it)")

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
    fact_kinds = (OSPF_NEIGHBORS,)

    def judge(self, params: OspfNeighborParams, fact: FactValue) -> CheckResult:
        neighbors: list[OspfNeighbor] = [n for n in fact.value if params.neighbor in (n.router_id, n.address)]
        expected = self.expected(params)
        rows = [as_row(n) for n in neighbors]
        evidence = [evidence_of(fact, rows)]
        who = f"{params.node}: OSPF neighbour {params.neighbor}"
        if not neighbors:
            seen = ", ".join(f"{n.router_id} ({n.state})" for n in fact.value) or "none"
            everyone = [as_row(n) for n in fact.value]
            return self.result(params, verdict(False), f"{who} not found (neighbours: {seen})",
                               expected=expected, observed=everyone, evidence=[evidence_of(fact, everyone)])
        want_state = ospf_state(params.state)
        problems: list[str] = []
        for neighbor in neighbors:
            problems = []
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
        return self.result(params, verdict(False), f"{who} " + "; ".join(problems), expected=expected,
                           observed=rows, evidence=evidence)
