"""``nat_outbound``, ``nat_static``, ``nat_translation``: source NAT for a list of hosts, one-to-one and port
mappings, and translations in use.

The NAT configuration is one shape for both vendors. Huawei VRP configures NAT on the outbound interface
(``nat outbound 2000`` is Easy IP: the interface's own address with port translation; ``address-group 1``
uses a pool; ``no-pat`` translates addresses only; ``nat static`` and ``nat server`` map one address or port).
Cisco IOS marks interfaces ``ip nat inside``/``ip nat outside`` and configures rules globally
(``ip nat inside source list 1 interface Gi0/1 overload``, ``... pool P``, ``... static [tcp] A [p] B [q]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, IPvAnyAddress

from grader.checks.acl import AclReference, port_number
from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactValue, IPAddress
from grader.model.report import CheckResult, Outcome
from grader.naming import same_interface

NAT = fact_kind("nat", "the NAT configuration: source NAT rules, static mappings, inside/outside interfaces")
NAT_TRANSLATIONS = fact_kind("nat_translations", "NAT translations in use: protocol, inside local/global, outside")


@dataclass(frozen=True)
class SourceNat:
    """Dynamic source NAT of the hosts an ACL permits."""

    acl: str | None  # the ACL's number or name (None: an IOS route-map rule)
    interface: str | None  # VRP: the interface it is configured on; IOS: the interface whose address it uses
    interface_address: bool  # translates to the interface's own address (VRP Easy IP, IOS `interface X`)
    pool: str | None = None  # VRP address-group, IOS pool name
    pool_start: IPAddress | None = None
    pool_end: IPAddress | None = None
    overload: bool = True  # port translation (PAT): VRP unless no-pat, IOS with overload


@dataclass(frozen=True)
class StaticNat:
    """A one-to-one mapping of an inside address (or, with a protocol, of one port: VRP ``nat server``)."""

    inside: IPAddress
    global_address: IPAddress | None  # None when the interface's own address is used
    global_interface: str | None = None  # VRP current-interface / IOS `interface X`
    protocol: str | None = None  # tcp/udp for a port mapping
    inside_port: int | None = None
    global_port: int | None = None
    interface: str | None = None  # VRP: the interface it applies to
    enabled: bool = True  # VRP: a global `nat static` needs `nat static enable` on an interface


@dataclass(frozen=True)
class NatConfig:
    source: tuple[SourceNat, ...] = ()
    static: tuple[StaticNat, ...] = ()
    inside_interfaces: tuple[str, ...] | None = None  # IOS `ip nat inside`; None on VRP (no such notion)
    outside_interfaces: tuple[str, ...] | None = None


@dataclass(frozen=True)
class NatTranslation:
    protocol: str | None  # tcp, udp, icmp; None for a bare address translation
    inside_local: IPAddress
    inside_global: IPAddress
    inside_local_port: int | None = None
    inside_global_port: int | None = None
    outside_local: IPAddress | None = None
    outside_global: IPAddress | None = None


def _on_interface(config: NatConfig, configured: str | None, wanted: str) -> bool:
    """A rule is on ``wanted`` when configured there, or (IOS) when it names none and ``wanted`` is outside."""
    if configured is not None:
        return same_interface(configured, wanted)
    return any(same_interface(i, wanted) for i in config.outside_interfaces or ())


def _marking_problems(config: NatConfig, outside: str | None, inside: str | None) -> tuple[list[str], str | None]:
    """IOS inside/outside marks: (problems, error) -- error when the platform has no such marks."""
    problems: list[str] = []
    if inside is not None:
        if config.inside_interfaces is None:
            return [], "this platform has no NAT inside interfaces (Huawei VRP configures NAT on the outbound one)"
        if not any(same_interface(i, inside) for i in config.inside_interfaces):
            problems.append(f"{inside} is not a NAT inside interface")
    if outside is not None and config.outside_interfaces is not None \
            and not any(same_interface(i, outside) for i in config.outside_interfaces):
        problems.append(f"{outside} is not a NAT outside interface")
    return problems, None


class NatOutboundParams(CheckParams):
    acl: AclReference | None = Field(default=None, description="the ACL (number or name) selecting the hosts")
    interface: str | None = Field(default=None, min_length=1, description="the outbound (outside) interface")
    address: Literal["interface", "pool"] | None = Field(
        default=None, description="interface: the interface's own address (VRP Easy IP, IOS `interface X`); "
        "pool: an address pool (VRP address-group, IOS `pool`)")
    pool_start: IPvAnyAddress | None = Field(default=None, description="the pool's first address")
    pool_end: IPvAnyAddress | None = Field(default=None, description="the pool's last address")
    pat: bool | None = Field(default=None, description="true: ports are translated too (PAT/NAPT, IOS overload); "
                             "false: addresses only (VRP no-pat)")
    inside_interface: str | None = Field(default=None, min_length=1, description="Cisco IOS: an interface that "
                                         "must be marked `ip nat inside`")


def _describe_source(rule: SourceNat) -> str:
    to = f"{rule.interface} address" if rule.interface_address else f"pool {rule.pool or '?'}"
    if not rule.interface_address and rule.pool_start is not None:
        to += f" ({rule.pool_start}-{rule.pool_end})"
    where = f" on {rule.interface}" if rule.interface and not rule.interface_address else ""
    return f"ACL {rule.acl or '-'} to {to}{where}{'' if rule.overload else ' without PAT'}"


@check_type
class NatOutboundCheck(CheckType[NatOutboundParams]):
    name = "nat_outbound"
    summary = "source NAT (Easy IP / PAT / dynamic pool) translates an ACL's hosts out of an interface"
    passes_when = "a source NAT rule matches every given field (and, on IOS, the interfaces are marked inside/outside)"
    Params = NatOutboundParams
    fact_kinds = (NAT,)

    def judge(self, params: NatOutboundParams, fact: FactValue) -> CheckResult:
        config: NatConfig = fact.value
        expected = self.expected(params)
        where = f"{params.node}: source NAT" + (f" of ACL {params.acl}" if params.acl else "") + \
            (f" out of {params.interface}" if params.interface else "")
        marks, error = _marking_problems(config, params.interface, params.inside_interface)
        if error:
            return self.result(params, Outcome.ERROR, f"{params.node}: {error}", expected=expected)
        rules = [r for r in config.source if (params.acl is None or r.acl == params.acl)
                 and (params.interface is None or _on_interface(config, r.interface, params.interface))]
        rows = [as_row(r) for r in config.source]
        evidence = [evidence_of(fact, rows)]
        if not rules:
            seen = "; ".join(_describe_source(r) for r in config.source) or "none"
            return self.result(params, verdict(False), f"{where} is not configured (source NAT: {seen})",
                               expected=expected, observed=rows, evidence=evidence)
        attempts = [(r, self._problems(params, r)) for r in rules]
        rule, problems = min(attempts, key=lambda a: len(a[1]))
        problems = problems + marks
        message = f"{where} " + ("; ".join(problems) if problems else f"is configured ({_describe_source(rule)})")
        return self.result(params, verdict(not problems), message, expected=expected, observed=as_row(rule),
                           evidence=evidence)

    @staticmethod
    def _problems(params: NatOutboundParams, rule: SourceNat) -> list[str]:
        problems = []
        mode = "interface" if rule.interface_address else "pool"
        if params.address and mode != params.address:
            problems.append(f"uses {'the interface address' if mode == 'interface' else 'a pool'}, expected "
                            f"{'the interface address' if params.address == 'interface' else 'a pool'}")
        for name in ("pool_start", "pool_end"):
            wanted = getattr(params, name)
            if wanted is not None and getattr(rule, name) != wanted:
                problems.append(f"has {name.replace('_', ' ')} {getattr(rule, name) or 'none'}, expected {wanted}")
        if params.pat is not None and rule.overload != params.pat:
            problems.append("translates ports (PAT)" if rule.overload else "translates addresses only (no PAT)")
        return problems


def _port(value: int | str) -> int:
    port = port_number(str(value))
    if port is None:
        raise ValueError(f"{value!r} is not a port number or name (80, www)")
    return port


class NatStaticParams(CheckParams):
    inside: IPvAnyAddress = Field(description="the inside (private) address")
    global_address: IPvAnyAddress | None = Field(default=None, description="the global (public) address")
    global_interface: str | None = Field(default=None, min_length=1, description="the interface whose address is "
                                         "the global one (VRP current-interface, IOS `interface X`)")
    protocol: Literal["tcp", "udp"] | None = Field(default=None, description="for a port mapping (VRP nat server, "
                                                   "port forwarding): tcp or udp")
    inside_port: Annotated[int | str, AfterValidator(_port)] | None = Field(
        default=None, description="the inside port (80 or www)")
    global_port: Annotated[int | str, AfterValidator(_port)] | None = Field(
        default=None, description="the global port (8080 or www)")
    interface: str | None = Field(default=None, min_length=1, description="the interface it is configured on "
                                  "(VRP) or an outside interface (IOS)")


def _describe_static(entry: StaticNat) -> str:
    outside = str(entry.global_address) if entry.global_address else f"{entry.global_interface} address"
    if entry.protocol:
        return f"{entry.protocol} {entry.inside}:{entry.inside_port} as {outside}:{entry.global_port}"
    return f"{entry.inside} as {outside}"


@check_type
class NatStaticCheck(CheckType[NatStaticParams]):
    name = "nat_static"
    summary = "a static NAT mapping of an inside address, or of one port (NAT server / port forwarding)"
    passes_when = "a static mapping of `inside` matches every given field"
    Params = NatStaticParams
    fact_kinds = (NAT,)

    def judge(self, params: NatStaticParams, fact: FactValue) -> CheckResult:
        config: NatConfig = fact.value
        expected = self.expected(params)
        where = f"{params.node}: static NAT of {params.inside}"
        mine = [e for e in config.static if e.inside == params.inside]
        rows = [as_row(e) for e in config.static]
        evidence = [evidence_of(fact, rows)]
        if not mine:
            seen = "; ".join(_describe_static(e) for e in config.static) or "none"
            return self.result(params, verdict(False), f"{where} is not configured (static NAT: {seen})",
                               expected=expected, observed=rows, evidence=evidence)
        entry, problems = min(((e, self._problems(params, config, e)) for e in mine), key=lambda a: len(a[1]))
        marks, _ = _marking_problems(config, params.interface, None)
        problems = problems + marks
        message = f"{where} " + ("; ".join(problems) if problems else f"is configured ({_describe_static(entry)})")
        return self.result(params, verdict(not problems), message, expected=expected, observed=as_row(entry),
                           evidence=evidence)

    @staticmethod
    def _problems(params: NatStaticParams, config: NatConfig, entry: StaticNat) -> list[str]:
        problems = []
        if params.global_address is not None and entry.global_address != params.global_address:
            problems.append(f"maps to {entry.global_address or entry.global_interface}, expected "
                            f"{params.global_address}")
        if params.global_interface is not None and not same_interface(entry.global_interface,
                                                                      params.global_interface):
            problems.append(f"maps to {entry.global_address or entry.global_interface}, expected the address of "
                            f"{params.global_interface}")
        if params.protocol is not None and entry.protocol != params.protocol:
            problems.append(f"maps protocol {entry.protocol or 'any'}, expected {params.protocol}")
        for name in ("inside_port", "global_port"):
            wanted = getattr(params, name)
            if wanted is not None and getattr(entry, name) != wanted:
                problems.append(f"has {name.replace('_', ' ')} {getattr(entry, name) or 'none'}, expected {wanted}")
        if params.interface is not None and entry.interface is not None \
                and not same_interface(entry.interface, params.interface):
            problems.append(f"is configured on {entry.interface}, expected {params.interface}")
        if not entry.enabled:
            problems.append("is not enabled on any interface (nat static enable)")
        return problems


class NatTranslationParams(CheckParams):
    inside_local: IPvAnyAddress | None = Field(default=None, description="the inside host's own address")
    inside_global: IPvAnyAddress | None = Field(default=None, description="the address it is translated to")
    outside: IPvAnyAddress | None = Field(default=None, description="the outside host it talks to")
    protocol: Literal["tcp", "udp", "icmp"] | None = Field(default=None, description="the translation's protocol")
    min_count: int = Field(default=1, ge=1, description="at least this many matching translations")


@check_type
class NatTranslationCheck(CheckType[NatTranslationParams]):
    name = "nat_translation"
    summary = "NAT translations are in use (for an inside host, to a global address, towards an outside host)"
    passes_when = "at least `min_count` translations match every given field"
    Params = NatTranslationParams
    fact_kinds = (NAT_TRANSLATIONS,)

    def judge(self, params: NatTranslationParams, fact: FactValue) -> CheckResult:
        expected = self.expected(params)
        hits = [t for t in fact.value if (params.inside_local is None or t.inside_local == params.inside_local)
                and (params.inside_global is None or t.inside_global == params.inside_global)
                and (params.outside is None or params.outside in (t.outside_local, t.outside_global))
                and (params.protocol is None or t.protocol == params.protocol)]
        what = " ".join(p for p in (params.protocol, f"from {params.inside_local}" if params.inside_local else None,
                                    f"as {params.inside_global}" if params.inside_global else None,
                                    f"to {params.outside}" if params.outside else None) if p)
        rows = [as_row(t) for t in (hits or fact.value)][:20]
        where = f"{params.node}: NAT translations" + (f" {what}" if what else "")
        ok = len(hits) >= params.min_count
        message = (f"{where}: {len(hits)} in use" if ok
                   else f"{where}: {len(hits)} in use, expected at least {params.min_count} "
                        f"({len(fact.value)} translations in all)")
        return self.result(params, verdict(ok), message, expected=expected, observed=rows,
                           evidence=[evidence_of(fact, rows)])
