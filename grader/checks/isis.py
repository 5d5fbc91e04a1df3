"""``isis_neighbor``: an IS-IS adjacency is Up, at the expected level, on the expected interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, field_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactValue
from grader.model.report import CheckResult
from grader.naming import same_interface

ISIS_NEIGHBORS = fact_kind("isis_neighbors", "IS-IS adjacencies: neighbour system id or host name, interface, "
                                             "level, state")

Level = Literal["L1", "L2", "L12"]
IsisState = Literal["Up", "Init", "Down"]
_STATES: dict[str, IsisState] = {"up": "Up", "init": "Init", "initializing": "Init", "down": "Down"}


def isis_state(text: str) -> IsisState:
    """``UP``/``Up`` → Up, ``INIT``/``Init`` → Init; anything else is Down."""
    return _STATES.get(text.strip().casefold(), "Down")


@dataclass(frozen=True)
class IsisNeighbor:
    """One adjacency row. ``system_id`` is what the device shows: the neighbour's dynamic host name, else its
    system id (``0000.0000.0002``). ``level`` L12 is one adjacency at both levels (a point-to-point circuit);
    on a LAN the two levels are two rows. ``process`` is the IS-IS process id (Huawei) or tag (Cisco)."""

    system_id: str
    interface: str | None
    level: Level
    state: IsisState
    process: str | None = None


class IsisNeighborParams(CheckParams):
    neighbor: str = Field(min_length=1, max_length=254, description="the neighbour's host name (as set by "
                          "is-name / hostname dynamic) or system id, e.g. R2 or 0000.0000.0002")
    level: Level | None = Field(default=None, description="the adjacency's level: L1, L2 or L12 (both)")
    interface: str | None = Field(default=None, min_length=1, description="the local interface")
    state: IsisState = Field(default="Up", description="expected state: Up, Init or Down")

    @field_validator("state", mode="before")
    @classmethod
    def _state(cls, value: object) -> object:
        return _STATES.get(str(value).casefold(), value)

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        text = str(value).upper().replace("-", "").replace("LEVEL", "L") if value is not None else None
        return {"L1L2": "L12", "L1": "L1", "L2": "L2", "L12": "L12", "1": "L1", "2": "L2"}.get(text or "", value)


def same_system(seen: str, wanted: str) -> bool:
    """Host names compare case-insensitively; a name cut short by the device's column (Cisco: 14-16
    characters) matches the name it starts; system ids compare without their dots."""
    seen_key, wanted_key = seen.casefold().rstrip("*"), wanted.casefold()
    if seen_key == wanted_key or seen_key.replace(".", "") == wanted_key.replace(".", ""):
        return True
    return len(seen_key) >= 14 and wanted_key.startswith(seen_key)


def _levels(neighbors: list[IsisNeighbor]) -> str:
    levels = {lvl for n in neighbors for lvl in (("L1", "L2") if n.level == "L12" else (n.level,))}
    return "L12" if levels == {"L1", "L2"} else next(iter(levels), "none")


@check_type
class IsisNeighborCheck(CheckType[IsisNeighborParams]):
    name = "isis_neighbor"
    summary = "an IS-IS neighbour (host name or system id) is Up, at level L1/L2/L12, on an interface"
    passes_when = ("the neighbour's adjacencies (on `interface`) are in `state`, and their levels together are "
                   "`level` (L12: both levels, in one row or two)")
    Params = IsisNeighborParams
    fact_kinds = (ISIS_NEIGHBORS,)

    def judge(self, params: IsisNeighborParams, fact: FactValue) -> CheckResult:
        everyone: list[IsisNeighbor] = list(fact.value)
        found = [n for n in everyone if same_system(n.system_id, params.neighbor)]
        expected = self.expected(params)
        who = f"{params.node}: IS-IS neighbour {params.neighbor}"
        if not found:
            seen = ", ".join(f"{n.system_id} ({n.state})" for n in everyone) or "none"
            rows = [as_row(n) for n in everyone]
            return self.result(params, verdict(False), f"{who} not found (neighbours: {seen})",
                               expected=expected, observed=rows, evidence=[evidence_of(fact, rows)])
        rows = [as_row(n) for n in found]
        evidence = [evidence_of(fact, rows)]
        if params.interface:
            here = [n for n in found if same_interface(n.interface, params.interface)]
            if not here:
                where = ", ".join(sorted({n.interface or "?" for n in found}))
                return self.result(params, verdict(False), f"{who} is seen on {where}, expected on "
                                   f"{params.interface}", expected=expected, observed=rows, evidence=evidence)
            found = here
        problems = []
        in_state = [n for n in found if n.state == params.state]
        if not in_state:
            problems.append(f"is {', '.join(sorted({n.state for n in found}))}, expected {params.state}")
        elif params.level is not None and _levels(in_state) != params.level:
            problems.append(f"is at level {_levels(in_state)}, expected {params.level}")
        message = f"{who} " + ("; ".join(problems) if problems
                               else f"is {params.state} at level {_levels(in_state)}")
        return self.result(params, verdict(not problems), message, expected=expected, observed=rows,
                           evidence=evidence)
