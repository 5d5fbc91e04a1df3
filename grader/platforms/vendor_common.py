"""Small normalising helpers shared by the vendor CLI platforms (Cisco IOS, Huawei VRP)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from ipaddress import (
    AddressValueError,
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    NetmaskValueError,
    ip_address,
    ip_interface,
)
from typing import Any

from grader.errors import ParseError, UnsupportedError
from grader.model.facts import (
    CommandRows,
    FactRequest,
    IPAddress,
    IPInterface,
    IPNetwork,
    NextHop,
    Route,
    RouteProtocol,
    RunningConfig,
)
from grader.naming import canonical_interface
from grader.platforms.base import Normaliser


def to_int(text: str | None) -> int | None:
    """``"42"`` → 42; empty or non-numeric → None."""
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def parse_asn(text: str | None) -> int | None:
    """An AS number in asplain (``65000``) or asdot (``65000.1000``) notation as an integer."""
    text = (text or "").strip()
    if text.isdigit():
        return int(text)
    high, dot, low = text.partition(".")
    if dot and high.isdigit() and low.isdigit():
        return int(high) * 65536 + int(low)
    return None


def ipv4_address(text: str | None) -> IPv4Address | None:
    """An IPv4 address, or None for empty/unparsable text."""
    try:
        return IPv4Address((text or "").strip())
    except AddressValueError:
        return None


def any_address(text: str | None) -> IPAddress | None:
    """An IPv4 or IPv6 address (``fe80::1%eth1`` keeps its address, drops the zone), or None."""
    text = (text or "").strip().split("%", 1)[0]
    try:
        return ip_address(text)
    except ValueError:
        return None


def any_interface(text: str) -> IPInterface | None:
    """``10.0.0.1/24`` or ``2001:db8::1/64`` → an interface address of either family; None when not one."""
    try:
        return ip_interface(text.strip()) if "/" in text else None
    except ValueError:
        return None


def required_address(text: str | None, what: str) -> IPv4Address:
    """An IPv4 address the output must contain; ParseError naming ``what`` otherwise."""
    address = ipv4_address(text)
    if address is None:
        raise ParseError(f"{what} {text!r} is not an IPv4 address")
    return address


def ipv4_network(network: str, prefix_length: str) -> IPv4Network:
    """``("10.1.0.0", "16")`` → IPv4Network; ParseError when either part is missing or wrong."""
    try:
        return IPv4Network(f"{network}/{prefix_length}", strict=False)
    except (AddressValueError, NetmaskValueError, ValueError):
        raise ParseError(f"route {network!r}/{prefix_length!r} is not an IPv4 prefix") from None


def ipv4_interface(address: str, prefix_length: str | int | None = None) -> IPv4Interface | None:
    """``("10.0.0.1", "24")`` or ``("10.0.0.1/24",)`` → IPv4Interface; None for ``unassigned`` and the like."""
    text = address.strip() if prefix_length in (None, "") else f"{address.strip()}/{prefix_length}"
    if "/" not in text:
        return None
    try:
        return IPv4Interface(text)
    except (AddressValueError, NetmaskValueError, ValueError):
        return None


def interface_name(text: str | None) -> str | None:
    """Canonical long interface name, or None for an empty column."""
    text = (text or "").strip()
    return canonical_interface(text) if text else None


@dataclass(frozen=True)
class RouteEntry:
    """One row of a routing table: a destination with one next hop. Rows of one route are merged."""

    prefix: IPNetwork
    protocol: RouteProtocol
    next_hop: NextHop
    selected: bool = True
    distance: int | None = None
    metric: int | None = None


def merge_routes(entries: Iterable[RouteEntry]) -> list[Route]:
    """Rows sharing prefix, protocol, distance and metric become one Route with several next hops (ECMP)."""
    grouped: dict[tuple[object, ...], tuple[RouteEntry, list[NextHop]]] = {}
    for entry in entries:
        key = (entry.prefix, entry.protocol, entry.distance, entry.metric, entry.selected)
        _, hops = grouped.setdefault(key, (entry, []))
        if entry.next_hop not in hops:
            hops.append(entry.next_hop)
    return [
        Route(prefix=first.prefix, protocol=first.protocol, next_hops=tuple(hops), selected=first.selected,
              distance=first.distance, metric=first.metric)
        for first, hops in grouped.values()
    ]


def hostname_from(text: str, keyword: str) -> str | None:
    """The value of the first ``<keyword> NAME`` line of a configuration (``hostname`` / ``sysname``)."""
    match = re.search(rf"^[ \t]*{keyword}[ \t]+(\S(?:.*\S)?)[ \t]*$", text, re.MULTILINE)
    return match.group(1) if match else None


def running_config(keyword: str, dialect: str = "cisco_ios") -> Normaliser:
    """A normaliser reading a configuration's host name from its ``<keyword> NAME`` line; ``dialect`` says how
    its hierarchy is read (see RunningConfig)."""
    def normalise(rows: list[dict[str, object]], text: str, request: FactRequest) -> RunningConfig:
        return RunningConfig(text=text, hostname=hostname_from(text, keyword), dialect=dialect)
    return normalise


def command_rows(rows: list[dict[str, object]], text: str, request: FactRequest) -> CommandRows:
    """The ``command`` fact: the raw output of whatever command the check asked for."""
    return CommandRows(command=request.arg("command") or "", text=text)


def require_match(pattern: str, text: str, what: str) -> re.Match[str]:
    """``re.search`` that raises ParseError naming ``what`` when the output lacks it."""
    match = re.search(pattern, text, re.MULTILINE)
    if match is None:
        raise ParseError(f"no {what} in the output")
    return match


def by_family(ipv4: str, ipv6: str | None = None) -> Callable[[FactRequest], str]:
    """A command per address family: the request's ``family`` arg (``ipv6``, else IPv4) picks it; a family
    the platform has no command for is unsupported, and so is a VRF's table (``vrf`` arg)."""
    def command(request: FactRequest) -> str:
        if request.arg("vrf"):
            raise UnsupportedError(f"no VRF form of {ipv4!r} on this platform")
        if request.arg("family") == "ipv6":
            if ipv6 is None:
                raise UnsupportedError(f"no IPv6 form of {ipv4!r} on this platform yet")
            return ipv6
        return ipv4
    return command


# --- BGP tables, route policies, IPv6 (shared by the vendor CLI platforms) ---------------------------------

def classful_network(network: str, prefix_length: str | None = None) -> IPv4Network:
    """A BGP table's network: ``10.1.0.0/16``, or ``("10.1.0.0", "16")``; printed without a mask, the network
    takes its natural (class A/B/C) mask, as Cisco and Huawei print classful networks."""
    network = network.strip()
    if "/" in network:
        network, _, prefix_length = network.partition("/")
    if not prefix_length:
        first = ipv4_address(network)
        if first is None:
            raise ParseError(f"BGP network {network!r} is not an IPv4 address")
        top = int(first) >> 24
        prefix_length = "0" if int(first) == 0 else "8" if top < 128 else "16" if top < 192 else "24"
    return ipv4_network(network, prefix_length)


def not_zero(address: IPAddress | None) -> IPAddress | None:
    """None for the unspecified address (``0.0.0.0``, ``::``: a locally originated BGP path's peer)."""
    return None if address is None or address.is_unspecified else address


def family_only(ipv4: str | Callable[[FactRequest], str], why_not_ipv6: str) -> Callable[[FactRequest], str]:
    """An IPv4-only command: a request for ``family=ipv6`` is unsupported, saying why."""
    def command(request: FactRequest) -> str:
        if request.arg("family") == "ipv6":
            raise UnsupportedError(why_not_ipv6)
        return ipv4(request) if callable(ipv4) else ipv4
    return command


def by_arg(arg: str, value: str, when: Normaliser, otherwise: Normaliser) -> Normaliser:
    """A normaliser choosing by a request argument: ``when`` if ``arg`` equals ``value`` (e.g. OSPF
    ``version`` 3), else ``otherwise``."""
    def normalise(rows: list[dict[str, Any]], text: str, request: FactRequest) -> Any:
        return (when if request.arg(arg) == value else otherwise)(rows, text, request)
    return normalise


def when_given(arg: str, when: Normaliser, otherwise: Normaliser) -> Normaliser:
    """A normaliser choosing ``when`` if the request has ``arg`` (e.g. one BGP prefix), else ``otherwise``."""
    def normalise(rows: list[dict[str, Any]], text: str, request: FactRequest) -> Any:
        return (when if request.arg(arg) else otherwise)(rows, text, request)
    return normalise
