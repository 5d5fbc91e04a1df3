"""``interface``: an interface's admin/oper state and IPv4 address."""

from __future__ import annotations

from ipaddress import IPv4Interface
from typing import Literal

from pydantic import Field

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactValue, Interface
from grader.model.report import CheckResult, Outcome
from grader.naming import same_interface

INTERFACES = fact_kind("interfaces", "every interface: name, admin/oper state, addresses (IPv4 and IPv6)")

State = Literal["up", "down"]


class InterfaceParams(CheckParams):
    interface: str = Field(min_length=1, description="interface name, any usual spelling "
                           "(GE0/0/1, GigabitEthernet0/0/1, eth1)")
    admin: State | None = Field(default=None, description="expected administrative state")
    oper: State | None = Field(default=None, description="expected operational (line protocol) state")
    ipv4: IPv4Interface | None = Field(default=None, description="expected IPv4 address/prefix length")


def _state(value: bool | None) -> str:
    return "unknown" if value is None else ("up" if value else "down")


def find_interface(interfaces: list[Interface], name: str) -> Interface | None:
    """The interface called ``name`` in any usual spelling, or None."""
    return next((i for i in interfaces if same_interface(i.name, name)), None)


@check_type
class InterfaceCheck(CheckType[InterfaceParams]):
    name = "interface"
    summary = "an interface's admin/oper state and IPv4 address/prefix length"
    passes_when = ("the interface exists and matches every given field; names compare canonically "
                   "(`GE0/0/1` = `GigabitEthernet0/0/1`)")
    Params = InterfaceParams
    fact_kinds = (INTERFACES,)

    def judge(self, params: InterfaceParams, fact: FactValue) -> CheckResult:
        interfaces: list[Interface] = list(fact.value)
        found = find_interface(interfaces, params.interface)
        expected = self.expected(params)
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
            have = ", ".join(str(a) for a in found.addresses if a.version == 4) or "no IPv4 address"
            problems.append(f"has {have}, expected {params.ipv4}")
        observed = as_row(found)
        message = (f"{params.node}: interface {found.name} " + "; ".join(problems) if problems
                   else f"{params.node}: interface {found.name} is as expected")
        return self.result(params, verdict(not problems), message, expected=expected, observed=observed,
                           evidence=[evidence_of(fact, [observed])])
