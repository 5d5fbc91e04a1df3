"""The routing and addressing facts of linux: interfaces, routes, OSPF and BGP neighbours, ping, configuration."""

from __future__ import annotations

import re
from ipaddress import IPv4Interface, IPv6Interface, ip_network
from typing import Any

from grader.checks.interfaces import InterfaceIpv6, Ipv6Address
from grader.errors import ParseError, UnsupportedError
from grader.model.facts import (
    FactRequest,
    Interface,
    IPNetwork,
    NextHop,
    PingResult,
    Route,
    RouteProtocol,
    RunningConfig,
)
from grader.platforms.base import FactSpec
from grader.platforms.vendor_common import any_address, by_family, command_rows, to_int

Rows = list[dict[str, Any]]

# ``proto`` of ``ip route``: kernel = the subnet of an address (connected); none/boot = added by hand.
_PROTOCOLS: dict[str, RouteProtocol] = {
    "kernel": "connected", "": "static", "boot": "static", "static": "static",
    "ospf": "ospf", "bgp": "bgp", "isis": "isis", "rip": "rip",
}
# Route types that drop the packet; shown as a next hop on Null0 like a Cisco discard route.
_DISCARD_TYPES = {"blackhole", "unreachable", "prohibit"}

PING_COUNT = 3
_PING_STATS = re.compile(r"^(\d+) packets transmitted, (\d+) (?:packets )?received", re.MULTILINE)


def _flags(text: str) -> set[str]:
    return {flag.strip() for flag in text.split(",") if flag.strip()}


def interfaces(rows: Rows, text: str, request: FactRequest) -> list[Interface]:
    """``ip addr show``: admin up = the UP flag; oper up = UP and LOWER_UP (carrier)."""
    result = []
    for row in rows:
        flags = _flags(row["flags"])
        admin_up = "UP" in flags
        result.append(Interface(
            name=row["interface"],
            admin_up=admin_up,
            oper_up=admin_up and "LOWER_UP" in flags,
            addresses=tuple(IPv4Interface(address) for address in row["ipv4"]),
        ))
    return result


def ipv6_interfaces(rows: Rows, text: str, request: FactRequest) -> list[InterfaceIpv6]:
    """``ip addr show``: every ``inet6`` address with its prefix length (link-local and ``::1`` included)."""
    return [
        InterfaceIpv6(name=i.name, admin_up=i.admin_up, oper_up=i.oper_up,
                      addresses=tuple(Ipv6Address(IPv6Interface(a).ip, IPv6Interface(a).network.prefixlen)
                                      for a in row["ipv6"]))
        for i, row in zip(interfaces(rows, text, request), rows, strict=True)
    ]


def _prefix(text: str, family: str | None) -> IPNetwork:
    if text == "default":
        text = "::/0" if family == "ipv6" else "0.0.0.0/0"
    try:
        return ip_network(text, strict=False)
    except ValueError:
        raise ParseError(f"route {text!r} is not an IP prefix") from None


def _next_hop(row: dict[str, Any]) -> NextHop:
    if row.get("type") in _DISCARD_TYPES:
        return NextHop(interface="Null0")
    return NextHop(address=any_address(row["nexthop"]), interface=row["interface"] or None)


def routes(rows: Rows, text: str, request: FactRequest) -> list[Route]:
    """``ip route show``: one route per line; ``nexthop`` lines add next hops to the route above (ECMP).

    A route on a link without carrier (``linkdown``) is listed but not selected."""
    result: list[Route] = []
    for row in rows:
        if not row["prefix"]:
            if not result:
                raise ParseError("a multipath next hop before any route")
            last = result[-1]
            hops = (*last.next_hops, _next_hop(row))
            result[-1] = Route(prefix=last.prefix, protocol=last.protocol, next_hops=hops,
                               selected=last.selected, metric=last.metric)
            continue
        protocol = _PROTOCOLS.get(row["protocol"], "other")
        hops = (_next_hop(row),) if row["nexthop"] or row["interface"] or row["type"] in _DISCARD_TYPES else ()
        result.append(Route(prefix=_prefix(row["prefix"], request.arg("family")), protocol=protocol, next_hops=hops,
                            selected=not row["linkdown"], metric=to_int(row["metric"])))
    return result


def ping(rows: Rows, text: str, request: FactRequest) -> PingResult:
    """iputils/BusyBox ``ping``: ``3 packets transmitted, 2 received``. ``connect: Network is unreachable``
    (no route, nothing sent) is 0 of 0; any other output without statistics (an unknown host name) is an error."""
    target = request.arg("target") or ""
    match = _PING_STATS.search(text)
    if match:
        return PingResult(target=target, sent=int(match.group(1)), received=int(match.group(2)))
    if re.search(r"^ping: (?:connect|sendmsg): Network is unreachable", text, re.MULTILINE):
        return PingResult(target=target, sent=0, received=0)
    problem = next((line.strip() for line in text.splitlines() if line.startswith("ping:")), None)
    raise ParseError(f"ping did not run: {problem}" if problem else "no ping statistics in the output")


def ping_command(request: FactRequest) -> str:
    """``ping -c 3 -i 0.2 -W 1 [-I source] target``: three probes (or ``count``) 0.2 s apart (the shortest
    interval a non-root user may ask for), one second each to answer, then it ends."""
    if request.arg("vrf"):
        raise UnsupportedError("a Linux host pings in its only routing table (no vrf)")
    source = request.arg("source")
    count = request.arg("count") or PING_COUNT
    return f"ping -c {count} -i 0.2 -W 1 " + (f"-I {source} " if source else "") + f"{request.arg('target')}"


def hostname(rows: Rows, text: str, request: FactRequest) -> RunningConfig:
    """``hostname``: a host has no running configuration; its name is what a config check can look at."""
    name = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return RunningConfig(text=text, hostname=name, dialect="generic")


FACTS: dict[str, FactSpec] = {
    "interfaces": FactSpec("ip addr show", interfaces),
    "routes": FactSpec(by_family("ip -4 route show", "ip -6 route show"), routes),
    "ipv6_interfaces": FactSpec("ip addr show", ipv6_interfaces),
    "ping": FactSpec(ping_command, ping, parsed=False),
    "running_config": FactSpec("hostname", hostname, parsed=False),
    "hostname": FactSpec("hostname", hostname, parsed=False),
    "command": FactSpec("{command}", command_rows, parsed=False),
}
