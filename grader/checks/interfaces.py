"""``interface``: an interface's admin/oper state, IPv4 and IPv6 addresses, and VRF (VPN instance).

IPv6 addresses and VRF membership come from facts of their own (``ipv6_interfaces``, ``vrfs``), asked for only
when the check names an IPv6 address or a VRF: an IPv4-only lab sends the commands it always sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Interface, IPv6Address, IPv6Interface
from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema, field_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.checks.values import PlainName
from grader.model.facts import FactRequest, FactValue, Interface
from grader.model.report import CheckResult, Outcome
from grader.naming import same_interface

INTERFACES = fact_kind("interfaces", "every interface: name, admin/oper state, addresses (IPv4 and IPv6)")
IPV6_INTERFACES = fact_kind("ipv6_interfaces", "every IPv6 interface: name, admin/oper state, IPv6 addresses "
                                               "(global and link-local; prefix lengths where shown)")
VRFS = fact_kind("vrfs", "VRFs / VPN instances: name, route distinguisher, member interfaces")


@dataclass(frozen=True)
class Ipv6Address:
    """An IPv6 address of an interface; ``prefix_length`` None where the command does not show it (Cisco's
    ``show ipv6 interface brief``, a link-local address on Huawei)."""

    address: IPv6Address
    prefix_length: int | None = None

    def __str__(self) -> str:
        return f"{self.address}/{self.prefix_length}" if self.prefix_length is not None else str(self.address)


@dataclass(frozen=True)
class InterfaceIpv6:
    name: str
    admin_up: bool | None = None
    oper_up: bool | None = None
    addresses: tuple[Ipv6Address, ...] = ()  # link-local first, then the global ones


@dataclass(frozen=True)
class Vrf:
    """A VRF (Cisco) / VPN instance (Huawei) with the interfaces bound to it (canonical names)."""

    name: str
    rd: str | None = None
    interfaces: tuple[str, ...] = ()


def vrf_of(vrfs: list[Vrf], interface: str | None) -> str | None:
    """The VRF an interface is bound to, None for the global table."""
    return next((v.name for v in vrfs if any(same_interface(i, interface) for i in v.interfaces)), None)


def _ipv6_param(value: str) -> str:
    """``2001:db8::1/64`` or ``fe80::1`` (no length: any length matches) in canonical form."""
    text = str(value).strip()
    try:
        return str(IPv6Interface(text)) if "/" in text else str(IPv6Address(text))
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv6 address (2001:db8::1/64, fe80::1)") from None

State = Literal["up", "down"]
# One address may be written as a string (the validator below makes a list of it).
Ipv6List = Annotated[list[str], WithJsonSchema({"anyOf": [
    {"type": "string"}, {"type": "array", "items": {"type": "string"}}]})]

# One address may be written as a string (the validator makes it a list of one).
Ipv6List = Annotated[list[str], WithJsonSchema({"anyOf": [
    {"type": "string"}, {"type": "array", "items": {"type": "string"}}]})]


class InterfaceParams(CheckParams):
    interface: str = Field(min_length=1, description="interface name, any usual spelling "
                           "(GE0/0/1, GigabitEthernet0/0/1, eth1)")
    admin: State | None = Field(default=None, description="expected administrative state")
    oper: State | None = Field(default=None, description="expected operational (line protocol) state")
    ipv4: IPv4Interface | None = Field(default=None, description="expected IPv4 address/prefix length")
    ipv6: Ipv6List | None = Field(default=None, description="expected IPv6 addresses, each with its prefix "
                                   "length (2001:db8::1/64) or without (any length), global or link-local "
                                   "(fe80::1); one address or a list, all must be present")
    vrf: PlainName | None = Field(default=None, description="the VRF / VPN instance the interface is bound to")

    @field_validator("ipv6", mode="before")
    @classmethod
    def _ipv6(cls, value: object) -> object:
        if value is None:
            return None
        items = value if isinstance(value, list) else [value]
        return [_ipv6_param(str(item)) for item in items]


def ipv6_missing(wanted: list[str], have: tuple[Ipv6Address, ...]) -> list[str]:
    """The wanted addresses the interface lacks: the address must be there, and its prefix length too where
    both the lab and the device give one."""
    missing = []
    for text in wanted:
        want = IPv6Interface(text)
        length = want.network.prefixlen if "/" in text else None
        if not any(a.address == want.ip and (length is None or a.prefix_length in (None, length)) for a in have):
            missing.append(text)
    return missing


def _state(value: bool | None) -> str:
    return "unknown" if value is None else ("up" if value else "down")


def find_interface(interfaces: list[Interface], name: str) -> Interface | None:
    """The interface called ``name`` in any usual spelling, or None."""
    return next((i for i in interfaces if same_interface(i.name, name)), None)


@check_type
class InterfaceCheck(CheckType[InterfaceParams]):
    name = "interface"
    summary = "an interface's admin/oper state, IPv4 and IPv6 addresses, VRF"
    passes_when = ("the interface exists and matches every given field; names compare canonically "
                   "(`GE0/0/1` = `GigabitEthernet0/0/1`)")
    Params = InterfaceParams
    fact_kinds = (INTERFACES,)  # and, only when ipv6 / vrf is given, IPV6_INTERFACES / VRFS (see requests)

    def requests(self, params: InterfaceParams) -> list[FactRequest]:
        return [FactRequest.make(params.node, kind, vrf=params.vrf if kind == INTERFACES else None)
                for kind, wanted in (
            (INTERFACES, True), (IPV6_INTERFACES, params.ipv6 is not None), (VRFS, params.vrf is not None))
            if wanted]

    def judge_all(self, params: InterfaceParams, facts: list[FactValue]) -> CheckResult:
        result = self.judge(params, facts[0])
        extra = iter(facts[1:])
        problems: list[str] = []
        evidence = list(result.evidence)
        if params.ipv6 is not None:
            fact = next(extra)
            found6 = next((i for i in fact.value if same_interface(i.name, params.interface)), None)
            have: tuple[Ipv6Address, ...] = found6.addresses if found6 is not None else ()
            missing = ipv6_missing(params.ipv6, have)
            if missing:
                seen = ", ".join(str(a) for a in have) or "no IPv6 address"
                problems.append(f"has {seen}, expected {', '.join(missing)}")
            evidence.append(evidence_of(fact, [as_row(found6)] if found6 is not None else []))
        if params.vrf is not None:
            fact = next(extra)
            bound = vrf_of(list(fact.value), params.interface)
            if bound != params.vrf:
                problems.append(f"is in {'VRF ' + bound if bound else 'the global table'}, expected VRF "
                                f"{params.vrf}")
            evidence.append(evidence_of(fact, [as_row(v) for v in fact.value if v.name in (bound, params.vrf)]))
        if not problems or result.observed is None:  # not found: the first fact's message says so
            return result if not problems else result.model_copy(update={"evidence": evidence})
        if result.outcome is Outcome.PASS:
            message = f"{params.node}: interface {params.interface} " + "; ".join(problems)
        else:
            message = result.message + "; " + "; ".join(problems)
        return result.model_copy(update={"outcome": Outcome.FAIL, "message": message, "evidence": evidence})

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
