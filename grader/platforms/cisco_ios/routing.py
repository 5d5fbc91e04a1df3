"""Cisco IOS / IOS-XE: show commands parsed by the project's cisco_ios templates (routed in our index)."""

from __future__ import annotations

from ipaddress import IPv6Address, ip_network
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
    PingResult,
    Route,
    RouteProtocol,
)
from grader.naming import bgp_state, ospf_state
from grader.platforms.base import FactSpec
from grader.platforms.vendor_common import (
    RouteEntry,
    any_address,
    by_arg,
    command_rows,
    interface_name,
    ipv4_address,
    ipv4_interface,
    ipv4_network,
    merge_routes,
    parse_asn,
    require_match,
    required_address,
    running_config,
    to_int,
)

Rows = list[dict[str, Any]]

# The route code's first letter (``O`` of ``O IA``, ``S`` of ``S*``); EIGRP, ODR, NHRP, ... are "other".
_PROTOCOLS: dict[str, RouteProtocol] = {
    "C": "connected", "L": "local", "S": "static", "O": "ospf", "B": "bgp", "i": "isis", "R": "rip",
}


def interfaces(rows: Rows, text: str, request: FactRequest) -> list[Interface]:
    """``show ip interface``: ``X is <link>, line protocol is <protocol>`` plus primary/secondary addresses."""
    result = []
    for row in rows:
        addresses = (ipv4_interface(a, p) for a, p in zip(row["ip_address"], row["prefix_length"], strict=False))
        result.append(Interface(
            name=interface_name(row["interface"]) or row["interface"],
            admin_up=not row["link_status"].startswith("administratively"),
            oper_up=row["protocol_status"].startswith("up"),
            addresses=tuple(a for a in addresses if a is not None),
        ))
    return result


def routes(rows: Rows, text: str, request: FactRequest) -> list[Route]:
    """``show ip route``: one row per next hop (the template fills the prefix down over continuation lines)."""
    entries = (
        RouteEntry(
            prefix=ipv4_network(row["network"], row["prefix_length"]),
            protocol=_PROTOCOLS.get(row["protocol"], "other"),
            # a VRF's IPv4 route may resolve over an IPv6 next hop ("via FC01::1 (default:ipv6)"): kept as is
            next_hop=NextHop(address=any_address(row["nexthop_ip"]), interface=interface_name(row["nexthop_if"])),
            distance=to_int(row["distance"]),
            metric=to_int(row["metric"]),
        )
        for row in rows
    )
    return merge_routes(entries)


def ospf_neighbors(rows: Rows, text: str, request: FactRequest) -> list[OspfNeighbor]:
    """``show ip ospf neighbor``: the state column is ``FULL/DR``, ``2WAY/DROTHER``, ``FULL/  -``; no area."""
    return [
        OspfNeighbor(
            router_id=required_address(row["neighbor_id"], "neighbor ID"),
            address=ipv4_address(row["ip_address"]),
            state=ospf_state(row["state"]),
            interface=interface_name(row["interface"]),
        )
        for row in rows
    ]


def bgp_neighbors(rows: Rows, text: str, request: FactRequest) -> list[BgpNeighbor]:
    """``show ip bgp summary``: State/PfxRcd is a number when Established, else the state."""
    result = []
    for row in rows:
        state, received = bgp_state(row["state_or_prefixes_received"])
        result.append(BgpNeighbor(
            address=_neighbor(row["bgp_neighbor"]),
            remote_as=parse_asn(row["neighbor_as"]),
            state=state,
            prefixes_received=received,
        ))
    return result


def ping(rows: Rows, text: str, request: FactRequest) -> PingResult:
    """``Success rate is 80 percent (4/5)`` → received 4 of 5 sent."""
    match = require_match(r"Success rate is \d+ percent \((\d+)/(\d+)\)", text, "ping success rate")
    return PingResult(target=request.arg("target") or "", sent=int(match.group(2)), received=int(match.group(1)))


def ping_command(request: FactRequest) -> str:
    """``ping [vrf V] TARGET [source S] [repeat N]``: one line, no extended-ping dialog."""
    vrf, source, count = request.arg("vrf"), request.arg("source"), request.arg("count")
    return " ".join(part for part in ("ping", f"vrf {vrf}" if vrf else "", request.arg("target") or "",
                                      f"source {source}" if source else "", f"repeat {count}" if count else "")
                    if part)


def _neighbor(text: str) -> IPAddress:
    """A summary's neighbour: IPv4, or IPv6 (``show ip bgp summary`` lists IPv6 neighbours of its IPv4 family
    too, e.g. with ``neighbor X activate`` under ``address-family ipv4``)."""
    address = any_address(text)
    if address is None:
        raise ParseError(f"BGP neighbor {text!r} is not an IP address")
    return address


# --- IPv6, VRFs, OSPFv3, OSPF processes ----------------------------------------------------------------------

def routes_command(request: FactRequest) -> str:
    """``show ip route [vrf V]``, ``show ipv6 route [vrf V]``."""
    table = "show ipv6 route" if request.arg("family") == "ipv6" else "show ip route"
    vrf = request.arg("vrf")
    return f"{table} vrf {vrf}" if vrf else table


def _ipv6_protocol(code: str) -> RouteProtocol:
    """IPv6 route codes: C, L/LC (local), S, B, R; O, OI, OE1, ON2... OSPF; I1, I2, IA, IS IS-IS; ND, NDp, D,
    EX, U, H, l... other."""
    if code in ("C", "L", "LC", "S", "B", "R"):
        return {"C": "connected", "L": "local", "LC": "local", "S": "static", "B": "bgp", "R": "rip"}[code]
    if code.startswith("O"):
        return "ospf"
    return "isis" if code in ("I1", "I2", "IA", "IS") else "other"


def ipv6_routes(rows: Rows, text: str, request: FactRequest) -> list[Route]:
    """``show ipv6 route``: one row per ``via`` line; a connected or local route's via names only the
    interface (``directly connected`` / ``receive``)."""
    entries = []
    for row in rows:
        protocol = _ipv6_protocol(row["protocol"])
        gateway = None if row["nexthop_note"] in ("directly connected", "receive") else any_address(row["nexthop_ip"])
        entries.append(RouteEntry(
            prefix=ip_network(f"{row['network']}/{row['prefix_length']}", strict=False),
            protocol=protocol,
            next_hop=NextHop(address=gateway, interface=interface_name(row["nexthop_if"])),
            distance=to_int(row["distance"]),
            metric=to_int(row["metric"]),
        ))
    return merge_routes(entries)


def any_routes(rows: Rows, text: str, request: FactRequest) -> list[Route]:
    return ipv6_routes(rows, text, request) if request.arg("family") == "ipv6" else routes(rows, text, request)


def ipv6_interfaces(rows: Rows, text: str, request: FactRequest) -> list[InterfaceIpv6]:
    """``show ipv6 interface brief``: ``[up/up]``, then the addresses (link-local first) without their prefix
    lengths."""
    return [
        InterfaceIpv6(
            name=interface_name(row["interface"]) or row["interface"],
            admin_up=not row["link_status"].startswith("administratively"),
            oper_up=row["protocol_status"] == "up",
            addresses=tuple(Ipv6Address(IPv6Address(a)) for a in row["ipv6_address"]),
        )
        for row in rows
    ]


def vrfs(rows: Rows, text: str, request: FactRequest) -> list[Vrf]:
    """``show vrf``: name, default RD (``<not set>`` is empty), interfaces in short form."""
    return [
        Vrf(name=row["name"], rd=row["default_rd"] or None,
            interfaces=tuple(n for n in (interface_name(i) for i in row["interfaces"]) if n))
        for row in rows
    ]


def ospf_command(request: FactRequest) -> str:
    """``show ip ospf [N] neighbor`` / ``show ipv6 ospf [N] neighbor``."""
    process = request.arg("process")
    word = "show ipv6 ospf" if request.arg("version") == "3" else "show ip ospf"
    return f"{word} {process} neighbor" if process else f"{word} neighbor"


def ospfv3_neighbors(rows: Rows, text: str, request: FactRequest) -> list[OspfNeighbor]:
    """``show ipv6 ospf neighbor``: router id, state, interface; OSPFv3 shows no neighbour address, no area."""
    return [
        OspfNeighbor(router_id=required_address(row["neighbor_id"], "OSPFv3 neighbor ID"), address=None,
                     state=ospf_state(row["state"]), interface=interface_name(row["interface"]))
        for row in rows
    ]



def bgp_command(request: FactRequest) -> str:
    """``show ip bgp summary``; ``show bgp ipv6 unicast summary``; a VRF's: ``show ip bgp vpnv4 vrf V summary``
    (IPv4 only)."""
    vrf = request.arg("vrf")
    if request.arg("family") == "ipv6":
        if vrf:
            raise UnsupportedError("the IPv6 BGP peers of a VRF are not read yet")
        return "show bgp ipv6 unicast summary"
    return f"show ip bgp vpnv4 vrf {vrf} summary" if vrf else "show ip bgp summary"


FACTS: dict[str, FactSpec] = {
    "interfaces": FactSpec("show ip interface", interfaces),
    "ipv6_interfaces": FactSpec("show ipv6 interface brief", ipv6_interfaces),
    "vrfs": FactSpec("show vrf", vrfs),
    "routes": FactSpec(routes_command, any_routes),
    "ospf_neighbors": FactSpec(ospf_command, by_arg("version", "3", ospfv3_neighbors, ospf_neighbors)),
    "bgp_neighbors": FactSpec(bgp_command, bgp_neighbors),
    "ping": FactSpec(ping_command, ping, parsed=False, check_rejected=False),
    "running_config": FactSpec("show running-config", running_config("hostname"), parsed=False),
    "hostname": FactSpec("show running-config", running_config("hostname"), parsed=False),
    "command": FactSpec("{command}", command_rows, parsed=False),
}
