"""Helpers shared by the Cisco IOS and Huawei VRP service normalisers: configuration blocks and ACL rule text.

Facts read from the running configuration (NAT rules, DHCP pools, VTY transports, IOS users) go through
hier_config, as the ``config`` check does: ``config_blocks`` gives each top-level line with the lines under it.
"""

from __future__ import annotations

from ipaddress import IPv4Address, ip_address
from typing import Any, cast

from grader.checks.acl import AclRule, Action, AddressMatch, PortMatch, port_number, protocol_name
from grader.checks.config import parse_config
from grader.model.facts import IPAddress, RunningConfig

Block = tuple[str, list[str]]


def config_blocks(text: str, dialect: str) -> list[Block]:
    """Each top-level configuration line with every line under it (any depth), spaces collapsed."""
    tree = parse_config(RunningConfig(text=text, dialect=dialect))
    return [(" ".join(c.text.split()), [" ".join(x.text.split()) for x in c.all_children()]) for c in tree.children]


def address(text: str | None) -> IPAddress | None:
    try:
        return ip_address((text or "").strip())
    except ValueError:
        return None


def addresses(words: list[str]) -> tuple[IPAddress, ...]:
    return tuple(a for a in (address(w) for w in words) if a is not None)


def port_condition(words: list[str], i: int, many: bool) -> tuple[PortMatch | None, int]:
    """The port condition starting at ``words[i]`` (``eq 80``, ``range 1 9``; IOS ``eq 23 22 80``) and the index
    after it; (None, i) when there is none."""
    if i >= len(words):
        return None, i
    operator = words[i].casefold()
    if operator == "range" and i + 2 < len(words):
        low, high = port_number(words[i + 1]), port_number(words[i + 2])
        return (PortMatch("range", (low, high)) if low is not None and high is not None else None), i + 3
    if operator in ("eq", "neq", "lt", "gt"):
        ports: list[int] = []
        j = i + 1
        while j < len(words) and (many or not ports) and (port := port_number(words[j])) is not None:
            ports.append(port)
            j += 1
        return (PortMatch(cast(Any, operator), tuple(ports)) if ports else None), j
    return None, i


# ---- Huawei VRP: rule 5 permit tcp source 10.1.1.0 0.0.0.255 destination-port eq www ----------------------

_VRP_KEYWORDS = frozenset({
    "source", "destination", "source-port", "destination-port", "icmp-type", "logging", "time-range",
    "vpn-instance", "fragment", "none-first-fragment", "tcp-flag", "precedence", "tos", "dscp", "ttl-expired",
    "counting", "fragment-type", "igmp-type", "established",
})


def _vrp_address(words: list[str], i: int) -> tuple[AddressMatch | None, int]:
    """``any`` | ``A WILDCARD`` | ``A 0`` (one host) | ``A/len`` | ``A len`` (IPv6)."""
    if i >= len(words):
        return None, i
    if words[i] == "any":
        return AddressMatch(), i + 1
    try:
        if "/" in words[i]:
            return AddressMatch.prefix(words[i]), i + 1
        base = ip_address(words[i])
        following = words[i + 1] if i + 1 < len(words) else ""
        if following == "0":
            return AddressMatch.host(base), i + 2
        if following.isdigit():
            return AddressMatch.prefix(f"{base}/{following}"), i + 2
        if isinstance(base, IPv4Address) and following.count(".") == 3:
            return AddressMatch.of(base, ip_address(following)), i + 2
        return AddressMatch.host(base), i + 1
    except ValueError:
        return None, i + 1


def vrp_rule(action: str, text: str, sequence: int | None = None, matches: int | None = None) -> AclRule:
    """A VRP rule's match text (after ``rule N permit|deny``) as an AclRule. No protocol (a basic ACL) is ``ip``;
    no ``source``/``destination`` is any address."""
    words = text.split()
    protocol = "ip"
    i = 0
    if words and words[0] not in _VRP_KEYWORDS:
        protocol, i = protocol_name(words[0]), 1
    fields: dict[str, Any] = {"source": AddressMatch(), "destination": AddressMatch()}
    while i < len(words):
        word = words[i]
        if word in ("source", "destination"):
            fields[word], i = _vrp_address(words, i + 1)
        elif word in ("source-port", "destination-port"):
            fields[word.replace("-", "_")], i = port_condition(words, i + 1, many=False)
        else:
            i += 1
    return AclRule(action=cast(Action, action), protocol=protocol, sequence=sequence,
                   text=f"{action} {text}".strip(), matches=matches, **fields)


# ---- Cisco IOS: 10 permit tcp 10.1.1.0 0.0.0.255 host 10.2.2.2 eq www ---------------------------------------


def _ios_address(words: list[str], i: int) -> tuple[AddressMatch | None, int]:
    """``any`` | ``host A`` | ``A WILDCARD`` | ``A, wildcard bits W`` | ``A`` (a standard list's host) |
    ``A/len`` (IPv6); object groups and ``host dynamic NAME`` are unreadable (None)."""
    if i >= len(words):
        return AddressMatch(), i
    word = words[i]
    if word == "any":
        return AddressMatch(), i + 1
    if word in ("object-group", "addrgroup"):
        return None, i + 2
    try:
        if word == "host":
            if i + 1 < len(words) and words[i + 1] == "dynamic":
                return None, i + 3
            return AddressMatch.host(ip_address(words[i + 1])), i + 2
        if "/" in word:
            return AddressMatch.prefix(word), i + 1
        base = ip_address(word.rstrip(","))
        if word.endswith(",") and words[i + 1:i + 3] == ["wildcard", "bits"]:
            return AddressMatch.of(base, ip_address(words[i + 3])), i + 4
        following = words[i + 1] if i + 1 < len(words) else ""
        if isinstance(base, IPv4Address) and following.count(".") == 3:
            return AddressMatch.of(base, ip_address(following)), i + 2
        return AddressMatch.host(base), i + 1
    except (ValueError, IndexError):
        return None, i + 1


def ios_entry(action: str, text: str, standard: bool, sequence: int | None = None,
              matches: int | None = None) -> AclRule:
    """An IOS entry's match text (after the action) as an AclRule: a standard list matches sources only."""
    words = text.split()
    if standard:
        source, _ = _ios_address(words, 0)
        return AclRule(action=cast(Action, action), protocol="ip", source=source, destination=AddressMatch(),
                       sequence=sequence, text=f"{action} {text}", matches=matches)
    protocol = protocol_name(words[0]) if words else None
    source, i = _ios_address(words, 1)
    source_port, i = port_condition(words, i, many=True)
    destination, i = _ios_address(words, i)
    destination_port, i = port_condition(words, i, many=True)
    return AclRule(action=cast(Action, action), protocol=protocol, source=source, destination=destination,
                   source_port=source_port, destination_port=destination_port, sequence=sequence,
                   text=f"{action} {text}", matches=matches)
