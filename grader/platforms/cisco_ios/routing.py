"""Cisco IOS / IOS-XE: show commands parsed by the project's cisco_ios templates (routed in our index)."""

from __future__ import annotations

from typing import Any

from grader.model.facts import (
    BgpNeighbor,
    FactRequest,
    Interface,
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
    by_family,
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
            next_hop=NextHop(address=ipv4_address(row["nexthop_ip"]), interface=interface_name(row["nexthop_if"])),
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
            address=required_address(row["bgp_neighbor"], "BGP neighbor"),
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


FACTS: dict[str, FactSpec] = {
    "interfaces": FactSpec("show ip interface", interfaces),
    "routes": FactSpec(by_family("show ip route"), routes),
    "ospf_neighbors": FactSpec("show ip ospf neighbor", ospf_neighbors),
    "bgp_neighbors": FactSpec("show ip bgp summary", bgp_neighbors),
    "ping": FactSpec(ping_command, ping, parsed=False, check_rejected=False),
    "running_config": FactSpec("show running-config", running_config("hostname"), parsed=False),
    "hostname": FactSpec("show running-config", running_config("hostname"), parsed=False),
    "command": FactSpec("{command}", command_rows, parsed=False),
}
