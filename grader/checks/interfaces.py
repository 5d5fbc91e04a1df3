"""``interface``: an interface's admin/oper state and IPv4 address."""

from __future__ import annotations

from ipaddress import IPv4Interface
from typing import ClassVar, Literal

from pydantic import Field

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.model.facts import FactValue, Interface
from grader.model.report import CheckResult, Outcome
from grader.naming import same_interface

State = Literal["up", "down"]


class InterfaceParams(CheckParams):
    interface: str = Field(description="interface name, any usual spelling (GE0/0/1, GigabitEthernet0/0/1, eth1)")
    admin: State | None = Field(default=None, description="expected administrative state")
    oper: State | None = Field(default=None, description="expected operational (line protocol) state")
    ipv4: IPv4Interface | None = Field(default=None, description="expected IPv4 address/prefix length")


def _state(value: bool | None) -> str:
    return "unknown" if value is None else ("up" if value else "down")


class InterfaceCheck(CheckType):
    name = "interface"
    summary = "an interface's admin/oper state and IPv4 address/prefix length"
    Params = InterfaceParams
    fact_kinds: ClassVar = ("interfaces",)

    def judge(self, params: CheckParams, facts: list[FactValue]) -> CheckResult:
        assert isinstance(params, InterfaceParams)
        fact = facts[0]
        interfaces: list[Interface] = list(fact.value)
        found = next((i for i in interfaces if same_interface(i.name, params.interface)), None)
        expected = params.model_dump(mode="json", exclude={"node"}, exclude_none=True)
        if found is None:
            names = ", ".join(i.name for i in interfaces) or "none"
            return self.result(params, Outcome.FAIL, f"{params.node}: interface {params.interface} not found "
                               f"(interfaces: {names})", expected=expected, observed=None,
                               evidence=[evidence_of(fact)])
        problems: list[str] = []
        if params.admin and _state(found.admin_up) != params.admin:
            problems.append(f"is administratively {_state(found.admin_up)}, expected {params.admin}")
        if params.oper and _state(found.oper_up) != params.oper:
            problems.append(f"is operationally {_state(found.oper_up)}, expected {params.oper}")
        if params.ipv4 is not None and params.ipv4 not in found.addresses:
            have = ", ".join(str(a) for a in found.addresses) or "no IPv4 address"
            problems.append(f"has {have}, expected {params.ipv4}")
        observed = as_row(found)
        message = (f"{params.node}: interface {found.name} " + "; ".join(problems) if problems
                   else f"{params.node}: interface {found.name} is as expected")
        return self.result(params, verdict(not problems), message, expected=expected, observed=observed,
                           evidence=[evidence_of(fact, [observed])])
