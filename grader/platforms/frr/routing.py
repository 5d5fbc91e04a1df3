"""The routing and addressing facts of frr: interfaces, routes, OSPF and BGP neighbours, ping, configuration."""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv6Interface, ip_network
from typing import Any

from grader.checks.interfaces import InterfaceIpv6, Ipv6Address, Vrf
from grader.errors import ParseError, UnsupportedError
from grader.model.facts import (
    BgpNeighbor,
    FactRequest,
    Interface,
    IPAddress,
    NextHop,
    OspfNeighbor,
    Route,
    RouteProtocol,
)
from grader.naming import area_dotted, bgp_state, ospf_state
from grader.platforms.base import FactSpec
from grader.platforms.linux.routing import ping as linux_ping
from grader.platforms.vendor_common import (
    any_address,
    by_arg,
    command_rows,
    ipv4_address,
    parse_asn,
    running_config,
    to_int,
)

Rows = list[dict[str, Any]]

# The first letter of a ``show ip route`` line; N (NHRP), T (table), A (Babel), F (PBR), ... are "other".
_PROTOCOLS: dict[str, RouteProtocol] = {
    "K": "kernel", "C": "connected", "L": "local", "S": "static", "O": "ospf", "B": "bgp", "I": "isis", "R": "rip",
}


def interfaces(rows: Rows, text: str, request: FactRequest) -> list[Interface]:
    """``show interface``: ``is down`` alone = administratively down; else ``line protocol is up|down``, or the
    kernel's RUNNING flag when link detection is off."""
    result = []
    for row in rows:
        admin_up = row["admin_state"] == "up"
        if not admin_up:
            oper_up = False
        elif row["line_protocol"] in ("up", "down"):
            oper_up = row["line_protocol"] == "up"
        else:
            oper_up = "RUNNING" in row["flags"].split(",")
        result.append(Interface(
            name=row["interface"],
            admin_up=admin_up,
            oper_up=oper_up,
            addresses=tuple(IPv4Interface(address) for address in row["ipv4"]),
            description=row["description"] or None,
        ))
    return result


def _next_hop(row: dict[str, Any]) -> NextHop:
    if row["nh_type"] == "unreachable":  # blackhole / reject routes: a discard route, as Cisco's Null0
        return NextHop(interface="Null0")
    return NextHop(address=any_address(row["nexthop"]), interface=row["interface"] or None)


def _via_column(row: dict[str, Any]) -> int:
    """Column of the next hop on a route's first line (FRR prints ``%c%c%c %s`` and `` [%u/%u]`` before it)."""
    width = 4 + len(row["prefix"])
    if row["distance"]:
        width += len(f" [{row['distance']}/{row['metric']}]")
    return width + 1


@dataclass
class _Route:
    row: dict[str, Any]
    hops: list[NextHop] = field(default_factory=list)
    recursive_column: int | None = None  # deeper lines after a "(recursive)" hop resolve it: not hops


def _add_hop(route: _Route, row: dict[str, Any], column: int) -> None:
    if route.recursive_column is not None and column > route.recursive_column:
        return
    hop = _next_hop(row)
    if hop not in route.hops:
        route.hops.append(hop)
    route.recursive_column = column if "recursive" in row["flags"] else None


def routes(rows: Rows, text: str, request: FactRequest) -> list[Route]:
    """``show ip route``: a route per first line (``>`` = selected); next lines at the same column are ECMP
    next hops; a ``(recursive)`` next hop (iBGP) is kept and the lines resolving it are skipped."""
    built: list[_Route] = []
    for row in rows:
        if row["code"]:
            built.append(_Route(row))
            _add_hop(built[-1], row, _via_column(row))
        elif built:
            _add_hop(built[-1], row, 3 + len(row["indent"]))
        else:
            raise ParseError("a next-hop line before any route")
    return [
        Route(
            prefix=ip_network(route.row["prefix"], strict=False),
            protocol=_PROTOCOLS.get(route.row["code"], "other"),
            next_hops=tuple(route.hops),
            selected=route.row["selected"] == ">",
            distance=to_int(route.row["distance"]),
            metric=to_int(route.row["metric"]),
        )
        for route in built
    ]


def ospf_neighbors(rows: Rows, text: str, request: FactRequest) -> list[OspfNeighbor]:
    """``show ip ospf neighbor detail``: state ``Full/DR`` → Full, with the area (which the table lacks)."""
    return [
        OspfNeighbor(
            router_id=IPv4Address(row["neighbor_id"]),
            address=ipv4_address(row["address"]),
            state=ospf_state(row["state"]),
            interface=row["interface"] or None,
            area=area_dotted(row["area"]) if row["area"] else None,
        )
        for row in rows
    ]


def _peer_address(text: str) -> IPAddress | None:
    """``10.0.14.4``, ``2001:db8::4`` or ``r4(10.0.14.4)`` (with ``bgp default show-hostname``); None for a peer
    named by its interface (BGP unnumbered)."""
    inner = text[text.find("(") + 1:-1] if text.endswith(")") else text
    return any_address(inner)


def bgp_neighbors(rows: Rows, text: str, request: FactRequest) -> list[BgpNeighbor]:
    """``show ip bgp summary``: a number in State/PfxRcd means Established; ``(Policy)`` (eBGP without a
    policy, ``ebgp-requires-policy``) is Established too, with no count. Peers named by an interface
    (unnumbered) are left out."""
    result = []
    for row in rows:
        address = _peer_address(row["neighbor"])
        if address is None:
            continue
        column = row["state_pfxrcd"]
        state, received = ("Established", None) if column.startswith("(") else bgp_state(column)
        result.append(BgpNeighbor(address=address, remote_as=parse_asn(row["remote_as"]), state=state,
                                  prefixes_received=received))
    return result


def ping_command(request: FactRequest) -> str:
    """``ping TARGET``: vtysh passes one word to the system's ping (no count, source or VRF), and the session
    stops it (see the profile's ``interrupts``)."""
    for arg in ("source", "vrf", "count"):
        if request.arg(arg):
            raise UnsupportedError(f"vtysh's ping takes no {arg} (FRR 8.4): ping without it, or from a host")
    return f"ping {request.arg('target')}"


# --- IPv6, VRFs, OSPFv3, OSPF instances ------------------------------------------------------------------

def interfaces_command(request: FactRequest) -> str:
    """``show interface`` lists the default VRF's interfaces; a check about a VRF reads ``show interface vrf
    all``, so an interface bound to another VRF is found (and said to be in the wrong one)."""
    return "show interface vrf all" if request.arg("vrf") else "show interface"


def ipv6_interfaces(rows: Rows, text: str, request: FactRequest) -> list[InterfaceIpv6]:
    """``show interface vrf all``: every ``inet6`` address with its prefix length, link-local ones included
    (an interface that is down has none: the kernel removes them)."""
    return [
        InterfaceIpv6(name=i.name, admin_up=i.admin_up, oper_up=i.oper_up,
                      addresses=tuple(Ipv6Address(IPv6Interface(a).ip, IPv6Interface(a).network.prefixlen)
                                      for a in row["ipv6"]))
        for i, row in zip(interfaces(rows, text, request), rows, strict=True)
    ]


def vrfs(rows: Rows, text: str, request: FactRequest) -> list[Vrf]:
    """``show interface vrf all``: each interface names its VRF; the default VRF is the global table."""
    members: dict[str, list[str]] = {}
    for row in rows:
        if row["vrf"] and row["vrf"] != "default":
            members.setdefault(row["vrf"], []).append(row["interface"])
    return [Vrf(name=name, interfaces=tuple(names)) for name, names in members.items()]


def routes_command(request: FactRequest) -> str:
    """``show ip route [vrf V]``, ``show ipv6 route [vrf V]`` (the same layout, read by ``routes``)."""
    table = "show ipv6 route" if request.arg("family") == "ipv6" else "show ip route"
    vrf = request.arg("vrf")
    return f"{table} vrf {vrf}" if vrf else table


def ospf_command(request: FactRequest) -> str:
    """``show ip ospf [N] [vrf V] neighbor detail``; OSPFv3: ``show ipv6 ospf6 [vrf V] neighbor`` (ospf6d has
    no instances)."""
    process, vrf = request.arg("process"), request.arg("vrf")
    if request.arg("version") == "3":
        if process:
            raise UnsupportedError("FRR's ospf6d runs one instance: give no OSPFv3 process")
        return f"show ipv6 ospf6 vrf {vrf} neighbor" if vrf else "show ipv6 ospf6 neighbor"
    return " ".join(p for p in ("show ip ospf", process, f"vrf {vrf}" if vrf else None, "neighbor detail") if p)


_OSPF6_STATES = {"twoway": "2-Way", "exchange": "Exchange"}


def ospf6_neighbors(rows: Rows, text: str, request: FactRequest) -> list[OspfNeighbor]:
    """``show ipv6 ospf6 neighbor``: ospf6d's words Twoway and ExChange are 2-Way and Exchange; the table
    has neither the neighbour's address nor the area."""
    return [
        OspfNeighbor(router_id=IPv4Address(row["neighbor_id"]), address=None,
                     state=_OSPF6_STATES.get(row["state"].casefold()) or ospf_state(row["state"]),
                     interface=row["interface"] or None)
        for row in rows
    ]



def bgp_command(request: FactRequest) -> str:
    """``show ip bgp summary``; ``show bgp [vrf V] ipv4|ipv6 unicast summary``."""
    family, vrf = request.arg("family") or "ipv4", request.arg("vrf")
    if family == "ipv4" and not vrf:
        return "show ip bgp summary"
    return f"show bgp vrf {vrf} {family} unicast summary" if vrf else f"show bgp {family} unicast summary"


FACTS: dict[str, FactSpec] = {
    "interfaces": FactSpec(interfaces_command, interfaces),
    "ipv6_interfaces": FactSpec("show interface vrf all", ipv6_interfaces),
    "vrfs": FactSpec("show interface vrf all", vrfs),
    "routes": FactSpec(routes_command, routes),
    "ospf_neighbors": FactSpec(ospf_command, by_arg("version", "3", ospf6_neighbors, ospf_neighbors)),
    "bgp_neighbors": FactSpec(bgp_command, bgp_neighbors),
    "running_config": FactSpec("show running-config", running_config("hostname", "cisco_ios"), parsed=False),
    "ping": FactSpec(ping_command, linux_ping, parsed=False),
    "command": FactSpec("{command}", command_rows, parsed=False),
}
