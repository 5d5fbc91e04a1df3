"""The routing and addressing facts of huawei_vrp: interfaces, routes, OSPF and BGP neighbours, ping, configuration."""

from __future__ import annotations

import re
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
from grader.naming import area_dotted, bgp_state, ospf_state
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

_PROTOCOLS: dict[str, RouteProtocol] = {
    "direct": "connected", "static": "static", "ospf": "ospf", "o_ase": "ospf", "o_nssa": "ospf",
    "o_ia": "ospf", "isis": "isis", "isis-l1": "isis", "isis-l2": "isis", "rip": "rip",
    "bgp": "bgp", "ebgp": "bgp", "ibgp": "bgp",
}
_PORT_MODE = re.compile(r"\(\w+\)$")  # VRP8: GigabitEthernet1/0/4(10G)


def interfaces(rows: Rows, text: str, request: FactRequest) -> list[Interface]:
    """``display ip interface brief``: Physical ``*down`` is administratively down; Protocol gives oper state.

    ``^down`` (standby) and ``!down`` (FIB overload) are administratively up. Only the primary address is listed.
    """
    result = []
    for row in rows:
        name = _PORT_MODE.sub("", row["interface"])
        address = ipv4_interface(row["ip_address"])
        result.append(Interface(
            name=interface_name(name) or name,
            admin_up=not row["physical"].startswith("*"),
            oper_up=row["protocol"].startswith("up"),
            addresses=(address,) if address is not None else (),
        ))
    return result


def _protocol(row: dict[str, Any]) -> RouteProtocol:
    """``Direct`` routes delivered to the router itself (next hop 127.0.0.1, not via a LoopBack) are local.

    That covers the interface's own /32, its broadcast /32 and InLoopBack0's 127/8; a LoopBack's address
    stays connected, as on Cisco IOS.
    """
    protocol = _PROTOCOLS.get(row["protocol"].casefold(), "other")
    interface = row["interface"].casefold()
    if protocol == "connected" and row["nexthop"] == "127.0.0.1" and not interface.startswith("loopback"):
        return "local"
    return protocol


def routes(rows: Rows, text: str, request: FactRequest) -> list[Route]:
    """``display ip routing-table``: rows without a destination are further next hops of the one above.

    Flag ``D`` (downloaded to the FIB) marks a route as selected. Connected and local routes get no next-hop
    address, as on Cisco IOS.
    """
    entries = []
    for row in rows:
        protocol = _protocol(row)
        # A Direct route's NextHop column holds this router's own address (or 127.0.0.1), not a gateway.
        gateway = None if protocol in ("connected", "local") else ipv4_address(row["nexthop"])
        entries.append(RouteEntry(
            prefix=ipv4_network(row["network"], row["prefix_length"]),
            protocol=protocol,
            next_hop=NextHop(address=gateway, interface=interface_name(row["interface"])),
            selected="D" in row["flags"],
            distance=to_int(row["preference"]),
            metric=to_int(row["cost"]),
        ))
    return merge_routes(entries)


def ospf_neighbors(rows: Rows, text: str, request: FactRequest) -> list[OspfNeighbor]:
    """``display ospf peer``: router ID, address, state, area and interface of each neighbour."""
    return [
        OspfNeighbor(
            router_id=required_address(row["neighbor_id"], "OSPF router ID"),
            address=ipv4_address(row["address"]),
            state=ospf_state(row["state"]),
            interface=interface_name(row["interface"]),
            area=area_dotted(row["area"]) if row["area"] else None,
        )
        for row in rows
    ]


def bgp_neighbors(rows: Rows, text: str, request: FactRequest) -> list[BgpNeighbor]:
    """``display bgp peer``: PrefRcv counts only for an Established peer (an Idle one shows 0)."""
    result = []
    for row in rows:
        state, _ = bgp_state(row["state"])
        result.append(BgpNeighbor(
            address=_peer(row["peer"]),
            remote_as=parse_asn(row["peer_as"]),
            state=state,
            prefixes_received=to_int(row["prefixes_received"]) if state == "Established" else None,
        ))
    return result


def _peer(text: str) -> IPAddress:
    address = any_address(text)
    if address is None:
        raise ParseError(f"BGP peer {text!r} is not an IP address")
    return address


def ping(rows: Rows, text: str, request: FactRequest) -> PingResult:
    """``5 packet(s) transmitted`` / ``4 packet(s) received`` → received 4 of 5 sent. ``Error:`` lines inside
    a finished report (``ping -v``) are reports about single probes; without statistics the ping did not run,
    and the error line says why."""
    if re.search(r"packet\(s\)\s+transmitted", text) is None and (line := _error_line(text)) is not None:
        raise ParseError(f"the device rejected the command: {line}")
    sent = require_match(r"(\d+)\s+packet\(s\)\s+transmitted", text, "ping statistics")
    received = require_match(r"(\d+)\s+packet\(s\)\s+received", text, "ping statistics")
    return PingResult(target=request.arg("target") or "", sent=int(sent.group(1)), received=int(received.group(1)))


def _error_line(text: str) -> str | None:
    return next((line.strip() for line in text.splitlines() if line.strip().startswith("Error:")), None)


def ping_command(request: FactRequest) -> str:
    """``ping [-a SOURCE-ADDRESS | -i INTERFACE] [-c N] [-vpn-instance V] TARGET``; an IPv6 target is pinged with
    ``ping ipv6 [-a SOURCE] [-c N] [vpn-instance V] TARGET`` (plain ``ping`` takes only IPv4 addresses and names)."""
    vrf, source, count = request.arg("vrf"), request.arg("source"), request.arg("count")
    target = request.arg("target") or ""
    address = any_address(target)
    ipv6 = address is not None and address.version == 6
    via = ""
    if source:
        via = f"-a {source}" if any_address(source) is not None else f"-i {source}"
    instance = (f"vpn-instance {vrf}" if ipv6 else f"-vpn-instance {vrf}") if vrf else ""
    return " ".join(part for part in ("ping", "ipv6" if ipv6 else "", via, f"-c {count}" if count else "",
                                      instance, target) if part)


# --- IPv6, VRFs (VPN instances), OSPFv3, OSPF processes ---------------------------------------------------

def routes_command(request: FactRequest) -> str:
    """``display ip routing-table [vpn-instance V]`` or ``display ipv6 routing-table``."""
    vrf = request.arg("vrf")
    if request.arg("family") == "ipv6":
        if vrf:
            raise UnsupportedError("the IPv6 routing table of a VPN instance is not read yet")
        return "display ipv6 routing-table"
    return f"display ip routing-table vpn-instance {vrf}" if vrf else "display ip routing-table"


def _ipv6_protocol(row: dict[str, Any]) -> RouteProtocol:
    """``Direct`` /128 routes are the router's own addresses (local), except a LoopBack's, as in IPv4."""
    protocol = _PROTOCOLS.get(row["protocol"].casefold(), "other")
    if row["protocol"].casefold().startswith("ospfv3"):
        protocol = "ospf"
    elif row["protocol"].casefold().startswith("ripng"):
        protocol = "rip"
    if protocol == "connected" and row["prefix_length"] == "128" \
            and not row["interface"].casefold().startswith("loopback"):
        return "local"
    return protocol


def ipv6_routes(rows: Rows, text: str, request: FactRequest) -> list[Route]:
    """``display ipv6 routing-table``: one block per route and next hop; ``D`` in Flags = in the FIB
    (selected); NextHop ``::`` (or the router's own address on a Direct route) is no gateway."""
    entries = []
    for row in rows:
        protocol = _ipv6_protocol(row)
        gateway = None if protocol in ("connected", "local") else any_address(row["nexthop"])
        entries.append(RouteEntry(
            prefix=ip_network(f"{row['destination']}/{row['prefix_length']}", strict=False),
            protocol=protocol,
            next_hop=NextHop(address=gateway if gateway and not gateway.is_unspecified else None,
                             interface=interface_name(row["interface"])),
            selected="D" in row["flags"],
            distance=to_int(row["preference"]),
            metric=to_int(row["cost"]),
        ))
    return merge_routes(entries)


def any_routes(rows: Rows, text: str, request: FactRequest) -> list[Route]:
    return ipv6_routes(rows, text, request) if request.arg("family") == "ipv6" else routes(rows, text, request)


def ipv6_interfaces(rows: Rows, text: str, request: FactRequest) -> list[InterfaceIpv6]:
    """``display ipv6 interface``: ``current state : Administratively DOWN`` is admin down; the link-local
    address has no prefix length shown; each global address has its subnet beside it."""
    result = []
    for row in rows:
        addresses = [Ipv6Address(IPv6Address(row["link_local"]))] if row["link_local"] else []
        for address, subnet in zip(row["addresses"], row["subnets"], strict=False):
            addresses.append(Ipv6Address(IPv6Address(address), int(subnet.rsplit("/", 1)[1])))
        state = row["state"].casefold()
        result.append(InterfaceIpv6(
            name=interface_name(row["interface"]) or row["interface"],
            admin_up=not state.startswith("administratively"),
            oper_up=state == "up" and row["protocol_state"].casefold() == "up",
            addresses=tuple(addresses),
        ))
    return result


def vrfs(rows: Rows, text: str, request: FactRequest) -> list[Vrf]:
    """``display ip vpn-instance verbose``: a row per instance and address family; ``Interfaces :`` lists the
    bound interfaces, comma-separated."""
    found: dict[str, Vrf] = {}
    for row in rows:
        names = (interface_name(n) for n in row["interfaces"].split(","))
        rd = row["rd"] if row["rd"] not in ("", "--", "<not set>") else None
        known = found.get(row["name"])
        found[row["name"]] = Vrf(name=row["name"], rd=(known.rd if known else None) or rd,
                                 interfaces=tuple(n for n in names if n))
    return list(found.values())


def ospf_command(request: FactRequest) -> str:
    """``display ospf [N] peer`` / ``display ospfv3 [N] peer``: one process's neighbours when ``process`` is
    given."""
    process = request.arg("process")
    word = "ospfv3" if request.arg("version") == "3" else "ospf"
    return f"display {word} {process} peer" if process else f"display {word} peer"


def ospfv3_neighbors(rows: Rows, text: str, request: FactRequest) -> list[OspfNeighbor]:
    """``display ospfv3 peer``: router id, state (``Full/DR``, ``Full/ -``), interface, area; OSPFv3 shows no
    neighbour address."""
    return [
        OspfNeighbor(
            router_id=required_address(row["neighbor_id"], "OSPFv3 router ID"),
            address=None,
            state=ospf_state(row["state"]),
            interface=interface_name(row["interface"]),
            area=area_dotted(row["area"]) if row["area"] else None,
        )
        for row in rows
    ]



def bgp_command(request: FactRequest) -> str:
    """``display bgp peer``, ``display bgp ipv6 peer``, ``display bgp vpnv4 vpn-instance V peer``."""
    vrf = request.arg("vrf")
    if request.arg("family") == "ipv6":
        if vrf:
            raise UnsupportedError("the IPv6 BGP peers of a VPN instance (display bgp vpnv6 vpn-instance V peer) "
                                   "are not read yet")
        return "display bgp ipv6 peer"
    return f"display bgp vpnv4 vpn-instance {vrf} peer" if vrf else "display bgp peer"


FACTS: dict[str, FactSpec] = {
    "interfaces": FactSpec("display ip interface brief", interfaces),
    "ipv6_interfaces": FactSpec("display ipv6 interface", ipv6_interfaces),
    "vrfs": FactSpec("display ip vpn-instance verbose", vrfs),
    "routes": FactSpec(routes_command, any_routes),
    "ospf_neighbors": FactSpec(ospf_command, by_arg("version", "3", ospfv3_neighbors, ospf_neighbors)),
    "bgp_neighbors": FactSpec(bgp_command, bgp_neighbors),
    "ping": FactSpec(ping_command, ping, parsed=False, check_rejected=False),
    "running_config": FactSpec("display current-configuration",
                               running_config("sysname", dialect="huawei_vrp"), parsed=False),
    "hostname": FactSpec("display current-configuration",
                         running_config("sysname", dialect="huawei_vrp"), parsed=False),
    "command": FactSpec("{command}", command_rows, parsed=False),
}
