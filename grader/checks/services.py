"""First-hop redundancy and DHCP: ``vrrp``, ``hsrp``, ``dhcp_pool``, ``dhcp_leases``, ``dhcp_relay``.

VRRP states are normalised to Master, Backup and Initialize (IOS ``Init``/``INIT``, FRR and VRP ``Initialize``);
HSRP states to Active, Standby, Speak, Listen, Learn and Init. DHCP pools are the configured ones (global and,
on VRP, interface pools named after their interface); leases and bindings are what the server handed out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import Annotated, Any

from pydantic import AfterValidator, Field, IPvAnyAddress, model_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactRequest, FactValue, IPAddress
from grader.model.report import CheckResult, Outcome
from grader.naming import same_interface

VRRP_GROUPS = fact_kind("vrrp_groups", "VRRP groups: interface, VRID, state, virtual IPs, running priority, "
                        "preemption")
HSRP_GROUPS = fact_kind("hsrp_groups", "HSRP groups: interface, group, state, virtual IP, priority, preemption")
DHCP_POOLS = fact_kind("dhcp_pools", "configured DHCP server pools: network, gateways, DNS servers, lease, "
                       "excluded addresses")
DHCP_LEASES = fact_kind("dhcp_leases", "how many addresses a DHCP pool has leased (arg pool)")
DHCP_BINDINGS = fact_kind("dhcp_bindings", "client addresses a DHCP server has leased (arg pool; IOS lists "
                          "every pool's)")
DHCP_RELAYS = fact_kind("dhcp_relays", "interfaces relaying DHCP and the servers they relay to")

_VRRP_STATES = {"master": "Master", "backup": "Backup", "initialize": "Initialize", "init": "Initialize"}
_HSRP_STATES = {s.casefold(): s for s in ("Active", "Standby", "Speak", "Listen", "Learn", "Init")} | {
    "initial": "Init"}


def vrrp_state(text: str) -> str:
    """``MASTER``, ``Master`` → Master; ``Init``/``INIT`` → Initialize; others title-cased."""
    word = text.strip()
    return _VRRP_STATES.get(word.casefold(), word.title())


def hsrp_state(text: str) -> str:
    word = text.strip()
    return _HSRP_STATES.get(word.casefold(), word.title())


@dataclass(frozen=True)
class RedundancyGroup:
    """A VRRP or HSRP group on one interface, as this router sees it."""

    interface: str
    group: int  # VRID (VRRP) or group number (HSRP)
    state: str
    virtual_ips: tuple[IPAddress, ...] = ()
    priority: int | None = None  # the running priority (after tracking), when the output shows it
    preempt: bool | None = None
    preempt_delay: int | None = None  # seconds
    master: IPAddress | None = None  # the master's (VRRP) / active router's (HSRP) address, when known


def _state_param(vocabulary: dict[str, str]) -> Any:
    def check(value: str) -> str:
        state = vocabulary.get(value.strip().casefold())
        if state is None:
            raise ValueError(f"unknown state {value!r}; one of {', '.join(dict.fromkeys(vocabulary.values()))}")
        return state
    return AfterValidator(check)


_INTERFACE = "the interface of the group (any usual spelling); needed when the number is used on several interfaces"


class VrrpParams(CheckParams):
    vrid: int = Field(ge=1, le=255, description="the VRRP group (virtual router ID), 1-255")
    interface: str | None = Field(default=None, min_length=1, description=_INTERFACE)
    state: Annotated[str, _state_param(_VRRP_STATES)] | None = Field(
        default=None, description="expected state: Master, Backup or Initialize")
    virtual_ip: IPvAnyAddress | None = Field(default=None, description="one of the group's virtual addresses")
    priority: int | None = Field(default=None, ge=1, le=255, description="expected running priority (after "
                                 "tracking), 1-255")
    preempt: bool | None = Field(default=None, description="expected preemption: true (on) or false (off)")
    preempt_delay: int | None = Field(default=None, ge=0, le=3600, description="expected preemption delay in "
                                      "seconds")


class HsrpParams(CheckParams):
    group: int = Field(ge=0, le=4095, description="the HSRP group number, 0-4095")
    interface: str | None = Field(default=None, min_length=1, description=_INTERFACE)
    state: Annotated[str, _state_param(_HSRP_STATES)] | None = Field(
        default=None, description="expected state: Active, Standby, Speak, Listen or Init")
    virtual_ip: IPvAnyAddress | None = Field(default=None, description="the group's virtual address")
    priority: int | None = Field(default=None, ge=0, le=255, description="expected priority, 0-255")
    preempt: bool | None = Field(default=None, description="expected preemption: true (on) or false (off)")


def _judge_group(check: CheckType[Any], params: VrrpParams | HsrpParams, number: int, label: str,
                 fact: FactValue) -> CheckResult:
    expected = check.expected(params)
    groups = [g for g in fact.value if g.group == number
              and (params.interface is None or same_interface(g.interface, params.interface))]
    where = f"{params.node}: {label} {number}" + (f" on {params.interface}" if params.interface else "")
    if not groups:
        seen = ", ".join(f"{g.group} on {g.interface}" for g in fact.value) or "none"
        return check.result(params, verdict(False), f"{where} is not configured (groups: {seen})",
                            expected=expected, observed=[as_row(g) for g in fact.value],
                            evidence=[evidence_of(fact, [as_row(g) for g in fact.value])])
    if len(groups) > 1:  # VRRPv3 runs one group per address family under the same number
        family = params.virtual_ip.version if params.virtual_ip else 4
        groups = [g for g in groups if _family(g) == family] or groups
    if len(groups) > 1:
        names = ", ".join(g.interface for g in groups)
        return check.result(params, Outcome.ERROR, f"{where} exists on {names}: the check must name the interface",
                            expected=expected, evidence=[evidence_of(fact, [as_row(g) for g in groups])])
    group = groups[0]
    row = as_row(group)
    problems, unknown = [], []
    if params.state and group.state != params.state:
        problems.append(f"is {group.state}, expected {params.state}")
    if params.virtual_ip and params.virtual_ip not in group.virtual_ips:
        seen = ", ".join(str(a) for a in group.virtual_ips) or "none"
        problems.append(f"has virtual IP {seen}, expected {params.virtual_ip}")
    wanted = {"priority": params.priority, "preempt": params.preempt,
              "preempt_delay": getattr(params, "preempt_delay", None)}
    words = {"priority": "priority", "preempt": "preemption", "preempt_delay": "preemption delay"}
    for name, value in wanted.items():
        if value is None:
            continue
        seen = getattr(group, name)
        if name == "preempt_delay" and group.preempt is False:
            if params.preempt is None:
                problems.append(f"has preemption off, expected it on with a delay of {value} s")
        elif seen is None:
            unknown.append(words[name])
        elif seen != value:
            problems.append(f"has {words[name]} {_plain(seen)}, expected {_plain(value)}")
    evidence = [evidence_of(fact, [row])]
    if unknown and not problems:
        return check.result(params, Outcome.ERROR, f"{where}: {fact.command!r} does not show the "
                            f"{' or '.join(unknown)}", expected=expected, observed=row, evidence=evidence)
    message = f"{where} " + ("; ".join(problems) if problems else f"is {group.state} as expected")
    return check.result(params, verdict(not problems), message, expected=expected, observed=row, evidence=evidence)


def _family(group: RedundancyGroup) -> int:
    return 6 if any(a.version == 6 for a in group.virtual_ips) else 4


def _plain(value: object) -> str:
    return {True: "on", False: "off"}.get(value, str(value)) if isinstance(value, bool) else str(value)


@check_type
class VrrpCheck(CheckType[VrrpParams]):
    name = "vrrp"
    summary = "a VRRP group: state, virtual IP, running priority, preemption (and its delay)"
    passes_when = "the group (VRID, on `interface` when given) exists and every given field matches"
    Params = VrrpParams
    fact_kinds = (VRRP_GROUPS,)

    def judge(self, params: VrrpParams, fact: FactValue) -> CheckResult:
        return _judge_group(self, params, params.vrid, "VRRP group", fact)


@check_type
class HsrpCheck(CheckType[HsrpParams]):
    name = "hsrp"
    summary = "an HSRP group (Cisco): state, virtual IP, priority, preemption"
    passes_when = "the group (on `interface` when given) exists and every given field matches"
    Params = HsrpParams
    fact_kinds = (HSRP_GROUPS,)

    def judge(self, params: HsrpParams, fact: FactValue) -> CheckResult:
        return _judge_group(self, params, params.group, "HSRP group", fact)


# ---- DHCP -------------------------------------------------------------------------------------------------

DAY = 86400


@dataclass(frozen=True)
class AddressRange:
    start: IPv4Address
    end: IPv4Address

    def covers(self, other: AddressRange) -> bool:
        return self.start <= other.start and other.end <= self.end

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"


@dataclass(frozen=True)
class DhcpPool:
    """A configured DHCP pool. VRP interface pools (``dhcp select interface``) are named after the interface."""

    name: str
    network: IPv4Network | None
    gateways: tuple[IPv4Address, ...] = ()
    dns_servers: tuple[IPv4Address, ...] = ()
    lease: int | None = DAY  # seconds; None = unlimited (both vendors default to one day)
    excluded: tuple[AddressRange, ...] = ()
    interface: str | None = None  # the interface of an interface pool


@dataclass(frozen=True)
class DhcpLeases:
    pool: str
    leased: int


@dataclass(frozen=True)
class DhcpBinding:
    address: IPv4Address
    client: str | None = None  # MAC address or client ID, as printed


@dataclass(frozen=True)
class DhcpRelay:
    interface: str
    servers: tuple[IPv4Address, ...] = ()
    server_group: str | None = None  # VRP: relaying to a named server group


def lease_text(seconds: int | None) -> str:
    """86400 → ``1d``; 90000 → ``1d1h``; None → ``unlimited``."""
    if seconds is None:
        return "unlimited"
    days, rest = divmod(seconds, DAY)
    parts = [f"{days}d" if days else "", f"{rest // 3600}h" if rest // 3600 else "",
             f"{rest % 3600 // 60}m" if rest % 3600 // 60 else ""]
    return "".join(parts) or "0m"


_LEASE = re.compile(r"^(?:(\d+)\s*d(?:ays?)?)?\s*(?:(\d+)\s*h(?:ours?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?$")


def parse_lease(value: str | int) -> int | None:
    """``1d``, ``2d12h``, ``8h``, ``30m``, ``unlimited``/``infinite`` → seconds (None: unlimited)."""
    text = str(value).strip().casefold()
    if text in ("unlimited", "infinite"):
        return None
    match = _LEASE.match(text)
    if not text or match is None:
        raise ValueError(f"{value!r} is not a lease: 1d, 2d12h, 8h, 30m or unlimited")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return days * DAY + hours * 3600 + minutes * 60


def parse_range(value: str) -> AddressRange:
    """``10.0.0.1``, ``10.0.0.1-10.0.0.10`` or ``10.0.0.1 10.0.0.10`` as a range."""
    words = re.split(r"\s*-\s*|\s+", str(value).strip())
    try:
        if len(words) in (1, 2):
            start, end = IPv4Address(words[0]), IPv4Address(words[-1])
            if start <= end:
                return AddressRange(start, end)
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not an IPv4 address or range A-B")


def _pool_name(value: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9][\w./:@-]{0,63}", value):
        return value
    raise ValueError(f"{value!r} is not a pool name (letters, digits, '_', '.', '-', '/', ':')")


PoolName = Annotated[str, AfterValidator(_pool_name)]


class DhcpPoolParams(CheckParams):
    pool: PoolName = Field(description="the pool's name; a VRP interface pool (dhcp select interface) is named by "
                           "its interface, e.g. Vlanif10")
    network: IPv4Network | None = Field(default=None, description="the pool's network, e.g. 192.168.10.0/24")
    gateway: IPv4Address | None = Field(default=None, description="a default gateway the pool hands out")
    dns_servers: list[IPv4Address] = Field(default_factory=list, description="DNS servers the pool must hand out")
    lease: Annotated[str, AfterValidator(lambda v: lease_text(parse_lease(v)))] | None = Field(
        default=None, description="lease time: 1d, 2d12h, 8h, 30m or unlimited")
    excluded: list[Annotated[str, AfterValidator(lambda v: str(parse_range(v)))]] = Field(
        default_factory=list, description="addresses or ranges (A-B) that must be excluded from the pool")


def find_pool(pools: list[DhcpPool], name: str) -> DhcpPool | None:
    return next((p for p in pools if p.name == name or same_interface(p.interface, name)), None)


@check_type
class DhcpPoolCheck(CheckType[DhcpPoolParams]):
    name = "dhcp_pool"
    summary = "a DHCP server pool: network, gateway, DNS servers, lease, excluded addresses"
    passes_when = "the pool is configured and every given field matches (`dns_servers`/`excluded`: at least these)"
    Params = DhcpPoolParams
    fact_kinds = (DHCP_POOLS,)

    def judge(self, params: DhcpPoolParams, fact: FactValue) -> CheckResult:
        expected = self.expected(params)
        pool = find_pool(fact.value, params.pool)
        where = f"{params.node}: DHCP pool {params.pool}"
        if pool is None:
            names = ", ".join(p.name for p in fact.value) or "none"
            return self.result(params, verdict(False), f"{where} is not configured (pools: {names})",
                               expected=expected, observed=None, evidence=[evidence_of(fact)])
        problems = []
        if params.network and pool.network != params.network:
            problems.append(f"serves {pool.network or 'no network'}, expected {params.network}")
        if params.gateway and params.gateway not in pool.gateways:
            problems.append(f"gives gateway {_addresses(pool.gateways)}, expected {params.gateway}")
        missing_dns = [a for a in params.dns_servers if a not in pool.dns_servers]
        if missing_dns:
            problems.append(f"gives DNS {_addresses(pool.dns_servers)}, expected {_addresses(missing_dns)}")
        if params.lease is not None and lease_text(pool.lease) != params.lease:
            problems.append(f"leases for {lease_text(pool.lease)}, expected {params.lease}")
        for text in params.excluded:
            wanted = parse_range(text)
            if not any(r.covers(wanted) for r in pool.excluded):
                seen = ", ".join(str(r) for r in pool.excluded) or "nothing"
                problems.append(f"excludes {seen}, expected {wanted} excluded")
        row = as_row(pool)
        message = f"{where} " + ("; ".join(problems) if problems else "is as expected")
        return self.result(params, verdict(not problems), message, expected=expected, observed=row,
                           evidence=[evidence_of(fact, [row])])


def _addresses(addresses: Any) -> str:
    return ", ".join(str(a) for a in addresses) or "none"


class DhcpLeasesParams(CheckParams):
    pool: PoolName = Field(description="the pool's name (a VRP interface pool: its interface, e.g. Vlanif10)")
    min_leases: int | None = Field(default=None, ge=0, description="at least this many addresses leased "
                                   "(default 1 when `client` is not given)")
    client: IPv4Address | None = Field(default=None, description="this address must be leased to a client")

    @model_validator(mode="after")
    def _something_to_check(self) -> DhcpLeasesParams:
        if self.min_leases is None and self.client is None:
            self.min_leases = 1
        return self


@check_type
class DhcpLeasesCheck(CheckType[DhcpLeasesParams]):
    name = "dhcp_leases"
    summary = "a DHCP pool has handed out at least N leases, or a given client address"
    passes_when = ("the pool has leased at least `min_leases` addresses and, when `client` is given, that address "
                   "(Cisco IOS lists the bindings of every pool together)")
    Params = DhcpLeasesParams
    fact_kinds = (DHCP_LEASES, DHCP_BINDINGS)

    def requests(self, params: DhcpLeasesParams) -> list[FactRequest]:
        kinds = ([DHCP_LEASES] if params.min_leases is not None else []) + ([DHCP_BINDINGS] if params.client else [])
        return [FactRequest.make(params.node, kind, pool=params.pool) for kind in kinds]

    def judge_all(self, params: DhcpLeasesParams, facts: list[FactValue]) -> CheckResult:
        expected = self.expected(params)
        where = f"{params.node}: DHCP pool {params.pool}"
        problems, evidence, seen = [], [], []
        for fact in facts:
            if fact.request.kind == DHCP_LEASES:
                if fact.value is None:
                    return self.result(params, verdict(False), f"{where} does not exist", expected=expected,
                                       evidence=[evidence_of(fact, excerpt_lines=3)])
                seen.append(f"{fact.value.leased} leased")
                evidence.append(evidence_of(fact, [as_row(fact.value)]))
                if fact.value.leased < (params.min_leases or 0):
                    problems.append(f"has leased {fact.value.leased}, expected at least {params.min_leases}")
            else:
                if fact.value is None:
                    return self.result(params, verdict(False), f"{where} does not exist", expected=expected,
                                       evidence=[evidence_of(fact, excerpt_lines=3)])
                rows = [as_row(b) for b in fact.value]
                evidence.append(evidence_of(fact, rows))
                if all(b.address != params.client for b in fact.value):
                    leased = ", ".join(str(b.address) for b in fact.value[:8]) or "none"
                    problems.append(f"has not leased {params.client} (leased: {leased})")
                else:
                    seen.append(f"{params.client} leased")
        message = f"{where} " + ("; ".join(problems) if problems else "has " + ", ".join(seen))
        return self.result(params, verdict(not problems), message, expected=expected, evidence=evidence)


class DhcpRelayParams(CheckParams):
    interface: str = Field(min_length=1, description="the interface relaying DHCP requests (any usual spelling)")
    server: IPv4Address | None = Field(default=None, description="a DHCP server address the interface relays to")


@check_type
class DhcpRelayCheck(CheckType[DhcpRelayParams]):
    name = "dhcp_relay"
    summary = "an interface relays DHCP to a server (VRP dhcp relay, IOS ip helper-address)"
    passes_when = "the interface relays DHCP and, when `server` is given, to that server among others"
    Params = DhcpRelayParams
    fact_kinds = (DHCP_RELAYS,)

    def judge(self, params: DhcpRelayParams, fact: FactValue) -> CheckResult:
        expected = self.expected(params)
        relay = next((r for r in fact.value if same_interface(r.interface, params.interface)), None)
        where = f"{params.node}: {params.interface}"
        if relay is None:
            others = ", ".join(r.interface for r in fact.value) or "none"
            return self.result(params, verdict(False), f"{where} does not relay DHCP (relaying: {others})",
                               expected=expected, evidence=[evidence_of(fact, [as_row(r) for r in fact.value])])
        row = as_row(relay)
        ok = params.server is None or params.server in relay.servers
        targets = _addresses(relay.servers) if relay.servers or not relay.server_group \
            else f"server group {relay.server_group}"
        message = (f"{where} relays DHCP to {targets}" if ok
                   else f"{where} relays DHCP to {targets}, expected {params.server}")
        return self.result(params, verdict(ok), message, expected=expected, observed=row,
                           evidence=[evidence_of(fact, [row])])
