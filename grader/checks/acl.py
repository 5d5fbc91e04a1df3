"""``acl`` and ``acl_applied``: an access list holds (or lacks) a rule, and is applied to an interface.

Rules are compared as a small structured match, so a VRP rule and an IOS entry saying the same thing are
equal: ``rule 5 deny ip source 192.168.1.0 0.0.0.255`` and ``10 deny ip 192.168.1.0 0.0.0.255 any`` both
become action ``deny``, protocol ``ip``, source ``192.168.1.0/24``, destination ``any``. Addresses are an
address plus a wildcard (a prefix is a contiguous wildcard; ``host A`` and VRP's ``A 0`` a zero one); ports an
operator with port numbers (``www`` is 80). A check names only the fields it cares about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from typing import Annotated, Literal, cast

from pydantic import AfterValidator, Field, field_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactRequest, FactValue, IPAddress
from grader.model.report import CheckResult
from grader.naming import same_interface

ACLS = fact_kind("acls", "access lists with their rules as structured matches (arg family=ipv6 for IPv6 lists)")
ACL_BINDINGS = fact_kind("acl_bindings", "access lists applied to interfaces: interface, direction, list")

Action = Literal["permit", "deny"]
Direction = Literal["inbound", "outbound"]

# Port keywords as Cisco IOS and Huawei VRP print them.
PORT_NAMES: dict[str, int] = {
    "echo": 7, "discard": 9, "daytime": 13, "chargen": 19, "ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23,
    "smtp": 25, "time": 37, "nameserver": 42, "whois": 43, "tacacs": 49, "domain": 53, "dns": 53, "bootps": 67,
    "bootpc": 68, "tftp": 69, "gopher": 70, "finger": 79, "www": 80, "http": 80, "www-http": 80, "hostname": 101,
    "pop2": 109, "pop3": 110, "sunrpc": 111, "ident": 113, "nntp": 119, "ntp": 123, "netbios-ns": 137,
    "netbios-dgm": 138, "netbios-ss": 139, "snmp": 161, "snmptrap": 162, "xdmcp": 177, "bgp": 179, "irc": 194,
    "dnsix": 195, "https": 443, "isakmp": 500, "biff": 512, "exec": 512, "login": 513, "who": 513, "cmd": 514,
    "syslog": 514, "lpd": 515, "talk": 517, "rip": 520, "uucp": 540, "klogin": 543, "kshell": 544,
    "mobile-ip": 434, "pim-auto-rp": 496,
}
# IP protocols by number, and the spellings of each vendor for the same protocol.
PROTOCOL_NAMES: dict[int, str] = {1: "icmp", 2: "igmp", 4: "ipinip", 6: "tcp", 17: "udp", 47: "gre", 50: "esp",
                                  51: "ah", 89: "ospf", 103: "pim", 112: "vrrp"}
_PROTOCOL_ALIASES = {"ipv6": "ip", "ahp": "ah", "icmpv6": "icmp", "ipv6-icmp": "icmp", "nos": "ipinip"}


def protocol_name(text: str) -> str:
    """``tcp``, ``6``, ``TCP`` → ``tcp``; ``ipv6`` (any IPv6 packet) → ``ip``; unknown names lower-cased."""
    word = text.strip().casefold()
    if word.isdigit():
        return PROTOCOL_NAMES.get(int(word), word)
    return _PROTOCOL_ALIASES.get(word, word)


def port_number(text: str) -> int | None:
    """``80`` or ``www`` → 80; anything else None."""
    word = text.strip().casefold()
    if word.isdigit():
        return int(word) if int(word) <= 65535 else None
    return PORT_NAMES.get(word)


@dataclass(frozen=True)
class AddressMatch:
    """An ACL address field: any address (``address`` None), or an address with a wildcard mask whose set bits
    are "don't care". The address is stored with those bits cleared, so ``10.1.1.5 0.0.0.255`` = ``10.1.1.0/24``."""

    address: IPAddress | None = None
    wildcard: IPAddress | None = None

    @classmethod
    def of(cls, address: IPAddress, wildcard: IPAddress) -> AddressMatch:
        if type(address) is not type(wildcard):
            raise ValueError(f"{address} and wildcard {wildcard} are of different families")
        bits = 32 if isinstance(address, IPv4Address) else 128
        care = ~int(wildcard) & ((1 << bits) - 1)
        if care == 0:
            return cls()
        return cls(type(address)(int(address) & care), wildcard)

    @classmethod
    def prefix(cls, text: str) -> AddressMatch:
        network = ip_network(text, strict=False)
        return cls.of(network.network_address, network.hostmask)

    @classmethod
    def host(cls, address: IPAddress) -> AddressMatch:
        return cls.of(address, type(address)(0))

    def __str__(self) -> str:
        if self.address is None or self.wildcard is None:
            return "any"
        if int(self.wildcard) == 0:
            return f"host {self.address}"
        bits = 32 if isinstance(self.wildcard, IPv4Address) else 128
        inverse = int(self.wildcard) + 1
        if inverse & (inverse - 1) == 0:  # contiguous: a prefix
            return f"{self.address}/{bits - inverse.bit_length() + 1}"
        return f"{self.address} {self.wildcard}"


@dataclass(frozen=True)
class PortMatch:
    """A port condition: ``eq`` (any of the ports), ``neq``, ``lt``, ``gt`` or ``range`` (two ports)."""

    operator: Literal["eq", "neq", "lt", "gt", "range"]
    ports: tuple[int, ...]

    def __str__(self) -> str:
        return f"{self.operator} {' '.join(str(p) for p in self.ports)}"


@dataclass(frozen=True)
class AclRule:
    """One rule (VRP) or entry (IOS). A field that could not be read (an object group, a host name) is None;
    ``text`` is the rule as the device printed it."""

    action: Action
    protocol: str | None  # "ip" matches every IP packet; tcp, udp, icmp, ospf, ... or a number
    source: AddressMatch | None
    destination: AddressMatch | None
    source_port: PortMatch | None = None
    destination_port: PortMatch | None = None
    sequence: int | None = None
    text: str = ""
    matches: int | None = None  # packets that hit the rule, when the device counts them


@dataclass(frozen=True)
class Acl:
    """An access list known by its number, its name, or both (VRP ``acl name NAT 3000``)."""

    number: int | None
    name: str | None
    kind: str  # basic, advanced, standard, extended, ... as the device calls it, lower-case
    rules: tuple[AclRule, ...] = ()

    def known_as(self, reference: str) -> bool:
        return reference == self.name or (reference.isdigit() and self.number == int(reference))

    @property
    def label(self) -> str:
        return self.name or str(self.number)


@dataclass(frozen=True)
class AclBinding:
    """An access list filtering the packets entering (``inbound``) or leaving an interface."""

    interface: str
    direction: Direction
    acl: str  # number or name, as the binding names it


# ---- parameters -------------------------------------------------------------------------------------------


def parse_address_param(text: str) -> AddressMatch:
    """``any``, ``host A``, ``A`` (one host), ``A/len`` or ``A WILDCARD`` (IPv4) as an AddressMatch."""
    words = text.strip().split()
    try:
        if words == ["any"]:
            return AddressMatch()
        if len(words) == 2 and words[0].casefold() == "host":
            return AddressMatch.host(ip_address(words[1]))
        if len(words) == 1 and "/" in words[0]:
            return AddressMatch.prefix(words[0])
        if len(words) == 1:
            return AddressMatch.host(ip_address(words[0]))
        if len(words) == 2:
            return AddressMatch.of(ip_address(words[0]), ip_address(words[1]))
    except ValueError:
        pass
    raise ValueError(f"{text!r} is not an ACL address: any, host A, A, A/len or A WILDCARD")


_PORT_PARAM = re.compile(r"^(?:(eq|neq|lt|gt)\s+)?([\w-]+)$|^range\s+([\w-]+)\s+([\w-]+)$", re.IGNORECASE)


def parse_port_param(value: int | str) -> PortMatch:
    """``80``, ``www``, ``eq 80``, ``gt 1023``, ``range 1000 2000`` as a PortMatch."""
    match = _PORT_PARAM.match(str(value).strip())
    if match:
        if match.group(2):
            port = port_number(match.group(2))
            if port is not None:
                operator = cast(Literal["eq", "neq", "lt", "gt"], (match.group(1) or "eq").casefold())
                return PortMatch(operator, (port,))
        else:
            low, high = port_number(match.group(3)), port_number(match.group(4))
            if low is not None and high is not None and low <= high:
                return PortMatch("range", (low, high))
    raise ValueError(f"{value!r} is not a port condition: 80, www, eq 80, lt/gt/neq N or range N M")


def _address_text(text: str) -> str:
    return str(parse_address_param(text))


def _port_text(value: int | str) -> str:
    return str(parse_port_param(value))


def _acl_reference(value: int | str) -> str:
    text = str(value).strip()
    if re.fullmatch(r"[A-Za-z0-9][\w.@-]{0,63}", text):
        return text
    raise ValueError(f"{value!r} is not an access list number or name (letters, digits, '_', '.', '-', '@')")


AddressParam = Annotated[str, AfterValidator(_address_text)]
PortParam = Annotated[int | str, AfterValidator(_port_text)]
AclReference = Annotated[int | str, AfterValidator(_acl_reference)]


class AclParams(CheckParams):
    acl: AclReference = Field(description="the access list's number or name (3000, 101, BLOCK_WEB)")
    action: Action | None = Field(default=None, description="the rule's action")
    protocol: str | None = Field(default=None, description="ip (any IP packet), tcp, udp, icmp, ospf, ... or a "
                                 "protocol number")
    source: AddressParam | None = Field(default=None, description="source: any, host A, A, A/len or A WILDCARD "
                                        "(192.168.1.0 0.0.0.255)")
    destination: AddressParam | None = Field(default=None, description="destination, written as `source`")
    source_port: PortParam | None = Field(default=None, description="source port: 80, www, eq 80, gt 1023, "
                                          "range 1000 2000")
    destination_port: PortParam | None = Field(default=None, description="destination port, written as "
                                               "`source_port`")
    absent: bool = Field(default=False, description="true: no rule of the list may match (a missing list passes)")

    @field_validator("protocol")
    @classmethod
    def _protocol(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name = protocol_name(str(value))
        if not re.fullmatch(r"[a-z][a-z0-9-]*|\d{1,3}", name) or (name.isdigit() and int(name) > 255):
            raise ValueError(f"{value!r} is not an IP protocol name or number 0-255")
        return name

    def wanted(self) -> dict[str, object]:
        """The rule fields the check compares, structured."""
        fields: dict[str, object] = {}
        if self.action:
            fields["action"] = self.action
        if self.protocol:
            fields["protocol"] = self.protocol
        for name in ("source", "destination"):
            if (text := getattr(self, name)) is not None:
                fields[name] = parse_address_param(text)
        for name in ("source_port", "destination_port"):
            if (value := getattr(self, name)) is not None:
                fields[name] = parse_port_param(value)
        return fields

    def family(self) -> str | None:
        for text in (self.source, self.destination):
            if text is not None and isinstance(parse_address_param(text).address, IPv6Address):
                return "ipv6"
        return None


def rule_matches(rule: AclRule, wanted: dict[str, object]) -> bool:
    """Every wanted field equals the rule's (a field the rule could not read never matches)."""
    return all(getattr(rule, name) == value for name, value in wanted.items())


def describe_wanted(wanted: dict[str, object]) -> str:
    """``deny tcp from 192.168.1.0/24 port eq 80``: the wanted fields in rule order."""
    words = [str(wanted[k]) for k in ("action", "protocol") if k in wanted]
    for side, label in (("source", "from"), ("destination", "to")):
        if side in wanted:
            words.append(f"{label} {wanted[side]}")
        if f"{side}_port" in wanted:
            words.append(f"{label if side not in wanted else ''} port {wanted[side + '_port']}".strip())
    return " ".join(words) or "anything"


def describe_rule(rule: AclRule) -> str:
    head = f"{rule.sequence} " if rule.sequence is not None else ""
    return head + (rule.text or rule.action)


@check_type
class AclCheck(CheckType[AclParams]):
    name = "acl"
    summary = "an access list has (or lacks) a rule with the given action, protocol, addresses and ports"
    passes_when = ("a rule of the list matches every given field (with `absent: true`: none does, or the list "
                   "does not exist); addresses compare as address + wildcard, so prefix and wildcard forms are equal")
    Params = AclParams
    fact_kinds = (ACLS,)

    def requests(self, params: AclParams) -> list[FactRequest]:
        return [FactRequest.make(params.node, ACLS, family=params.family())]

    def judge(self, params: AclParams, fact: FactValue) -> CheckResult:
        expected = self.expected(params)
        acl: Acl | None = next((a for a in fact.value if a.known_as(params.acl)), None)
        where = f"{params.node}: ACL {params.acl}"
        wanted = params.wanted()
        summary = describe_wanted(wanted)
        if acl is None:
            names = ", ".join(a.label for a in fact.value) or "none"
            return self.result(params, verdict(params.absent),
                               f"{where} does not exist" + ("" if params.absent else f" (lists: {names})"),
                               expected=expected, observed=None, evidence=[evidence_of(fact)])
        hits = [r for r in acl.rules if rule_matches(r, wanted)]
        rows = [as_row(r) for r in (hits or acl.rules)]
        evidence = [evidence_of(fact, rows)]
        if params.absent:
            message = (f"{where} has {describe_rule(hits[0])}, expected no rule matching {summary}" if hits
                       else f"{where} has no rule matching {summary}, as expected")
            return self.result(params, verdict(not hits), message, expected=expected, observed=rows,
                               evidence=evidence)
        if hits:
            return self.result(params, verdict(True), f"{where} has {describe_rule(hits[0])}", expected=expected,
                               observed=rows, evidence=evidence)
        seen = "; ".join(describe_rule(r) for r in acl.rules[:5]) or "no rules"
        more = f" (+{len(acl.rules) - 5} more)" if len(acl.rules) > 5 else ""
        return self.result(params, verdict(False), f"{where} has no rule matching {summary} (rules: {seen}{more})",
                           expected=expected, observed=rows, evidence=evidence)


def _direction(value: str) -> str:
    word = value.strip().casefold()
    spellings = {"in": "inbound", "inbound": "inbound", "out": "outbound", "outbound": "outbound"}
    if word not in spellings:
        raise ValueError(f"{value!r} is not a direction: inbound (in) or outbound (out)")
    return spellings[word]


class AclAppliedParams(CheckParams):
    interface: str = Field(min_length=1, description="the interface, any usual spelling (GE0/0/1, Gi0/1)")
    direction: Annotated[str, AfterValidator(_direction)] = Field(
        description="inbound (in: packets entering the interface) or outbound (out)")
    acl: AclReference = Field(description="the access list's number or name")


@check_type
class AclAppliedCheck(CheckType[AclAppliedParams]):
    name = "acl_applied"
    summary = "an access list filters an interface's inbound or outbound packets"
    passes_when = ("the interface has the list applied in that direction (VRP `traffic-filter`, IOS "
                   "`ip access-group`)")
    Params = AclAppliedParams
    fact_kinds = (ACL_BINDINGS,)

    def judge(self, params: AclAppliedParams, fact: FactValue) -> CheckResult:
        expected = self.expected(params)
        here = [b for b in fact.value if same_interface(b.interface, params.interface)]
        rows = [as_row(b) for b in here]
        where = f"{params.node}: {params.interface} {params.direction}"
        same_way = [b for b in here if b.direction == params.direction]
        if any(b.acl == params.acl for b in same_way):
            return self.result(params, verdict(True), f"{where} is filtered by ACL {params.acl}",
                               expected=expected, observed=rows, evidence=[evidence_of(fact, rows)])
        seen = ", ".join(f"{b.direction} {b.acl}" for b in here) or "no ACL"
        return self.result(params, verdict(False), f"{where}: expected ACL {params.acl}, interface has {seen}",
                           expected=expected, observed=rows, evidence=[evidence_of(fact, rows)])
