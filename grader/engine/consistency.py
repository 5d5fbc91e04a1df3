"""Cross-device consistency: do the devices of one grading agree with each other?

Real devices of one lab see each other: an OSPF neighbour's address is an address of the node that sent the
hellos, that node's router id is the one its neighbours report, both ends of a link share a subnet, and an
Established BGP session is Established at both ends. Output written by hand, or pieced together from several
sources, tends to break one of these. ``consistency_warnings`` checks them from the facts a grading collected
anyway (no extra command) and returns one line per disagreement, for a person to look at. It is a pure
function, called for every grading (``engine.grade.run``), so captures, bundles and live devices all get it.

Only default-VRF IPv4/IPv6 facts without arguments are read. Where a fact is missing (not collected, or
unreadable) the checks that need it are skipped: silence means "no disagreement seen", never "consistent".
Router ids and local AS numbers are read from running configurations when the lab collects them (the usual
``router-id`` and ``router bgp``/``bgp`` lines of FRR, Cisco IOS and Huawei VRP).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from grader.model.facts import BgpNeighbor, FactRequest, FactValue, Interface, IPAddress, OspfNeighbor, RunningConfig
from grader.model.topology import Topology
from grader.naming import same_interface

# Stable states of a neighbour heard from now. An Init entry may be a stale one (a neighbour that restarted with
# another router id or address stays listed until its dead interval ends): real captures show them.
_OSPF_HEARD = {"2-Way", "Full"}

_OSPF_SECTION = re.compile(r"^router ospf\b")
_OSPF_ROUTER_ID = re.compile(r"^\s+(?:ospf )?router-id (\d+\.\d+\.\d+\.\d+)\s*$")  # FRR, IOS (in router ospf)
_VRP_OSPF_ROUTER_ID = re.compile(r"^ospf \d+ .*?router-id (\d+\.\d+\.\d+\.\d+)")  # VRP: ospf 1 router-id X
_VRP_ROUTER_ID = re.compile(r"^router id (\d+\.\d+\.\d+\.\d+)\s*$")  # VRP: the global router id
_BGP_AS = re.compile(r"^(?:router bgp|bgp) (\d+)\s*$")  # FRR/IOS "router bgp 65001", VRP "bgp 65001"


@dataclass
class _Node:
    name: str
    interfaces: list[Interface] | None = None
    ospf: list[OspfNeighbor] | None = None
    bgp: list[BgpNeighbor] | None = None
    ospf_router_id: IPAddress | None = None
    local_as: int | None = None
    addresses: set[IPAddress] = field(default_factory=set)

    def names(self, neighbor: OspfNeighbor) -> bool:
        """Whether an OSPF neighbour entry refers to this node (by address or router id)."""
        return (neighbor.address is not None and neighbor.address in self.addresses) or \
            neighbor.router_id == self.ospf_router_id or neighbor.router_id in self.addresses


def _value(facts: Mapping[FactRequest, FactValue], node: str, kind: str) -> object:
    fact = facts.get(FactRequest(node, kind))
    return None if fact is None or fact.error is not None else fact.value


def _from_config(node: _Node, config: RunningConfig) -> None:
    ospf_ids: set[str] = set()
    global_id: str | None = None
    ases: set[int] = set()
    in_ospf = False
    for line in config.text.splitlines():
        if line and not line[0].isspace():
            in_ospf = bool(_OSPF_SECTION.match(line))
            if match := _VRP_OSPF_ROUTER_ID.match(line):
                ospf_ids.add(match.group(1))
            if match := _VRP_ROUTER_ID.match(line):
                global_id = match.group(1)
            if match := _BGP_AS.match(line):
                ases.add(int(match.group(1)))
        elif in_ospf and (match := _OSPF_ROUTER_ID.match(line)):
            ospf_ids.add(match.group(1))
    chosen = ospf_ids or ({global_id} if global_id else set())
    if len(chosen) == 1:  # several OSPF processes with different ids: the neighbours' view is ambiguous
        node.ospf_router_id = ipaddress.ip_address(chosen.pop())
    if len(ases) == 1:
        node.local_as = ases.pop()


def _nodes(topology: Topology, facts: Mapping[FactRequest, FactValue]) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    for name in topology.nodes:
        node = _Node(name)
        interfaces = _value(facts, name, "interfaces")
        if isinstance(interfaces, list):
            node.interfaces = interfaces
            node.addresses = {a.ip for i in interfaces for a in i.addresses}
        ospf = _value(facts, name, "ospf_neighbors")
        node.ospf = ospf if isinstance(ospf, list) else None
        bgp = _value(facts, name, "bgp_neighbors")
        node.bgp = bgp if isinstance(bgp, list) else None
        config = _value(facts, name, "running_config")
        if isinstance(config, RunningConfig):
            _from_config(node, config)
        nodes[name] = node
    return nodes


def _linked(topology: Topology, node: str) -> set[str]:
    return {end.node for link in topology.links if node in (e.node for e in link.endpoints)
            for end in link.endpoints if end.node != node}


def _owner(nodes: dict[str, _Node], address: IPAddress) -> str | None:
    return next((n.name for n in nodes.values() if address in n.addresses), None)


def _unclaimed_is_certain(topology: Topology, nodes: dict[str, _Node], reporter: str) -> bool:
    """No node can own an unknown address: every node linked to ``reporter`` has known interfaces."""
    linked = _linked(topology, reporter)
    return bool(linked) and all(nodes[n].interfaces is not None for n in linked)


def _ospf_warnings(topology: Topology, nodes: dict[str, _Node]) -> list[str]:
    warnings: list[str] = []
    for reporter in nodes.values():
        for neighbor in reporter.ospf or []:
            if neighbor.state not in _OSPF_HEARD or neighbor.address is None:
                continue
            at = f"{neighbor.state} at {neighbor.address}"
            owner = _owner(nodes, neighbor.address)
            by_id = [n for n in nodes.values() if n.name != reporter.name
                     and (n.ospf_router_id == neighbor.router_id or neighbor.router_id in n.addresses)]
            if owner == reporter.name:
                warnings.append(f"{reporter.name} reports itself as an OSPF neighbour ({at})")
                continue
            if owner is None:
                claimed = next((n for n in by_id if n.interfaces is not None), None)
                if claimed is not None:
                    warnings.append(f"{reporter.name} reports {claimed.name} as {at} but {claimed.name} has no "
                                    "such address")
                elif _unclaimed_is_certain(topology, nodes, reporter.name):
                    warnings.append(f"{reporter.name} reports an OSPF neighbour {neighbor.router_id} {at} but "
                                    "no node of the lab has that address")
                continue
            peer = nodes[owner]
            if peer.ospf_router_id is not None and peer.ospf_router_id != neighbor.router_id:
                warnings.append(f"{reporter.name} reports {owner} ({neighbor.address}) with router id "
                                f"{neighbor.router_id} but {owner}'s router id is {peer.ospf_router_id}")
            if neighbor.state == "Full" and peer.ospf is not None and \
                    (reporter.interfaces is not None or reporter.ospf_router_id is not None) and \
                    not any(reporter.names(back) for back in peer.ospf):
                warnings.append(f"{reporter.name} reports {owner} as {at} but {owner} does not list "
                                f"{reporter.name} as an OSPF neighbour")
    return warnings


def _bgp_warnings(topology: Topology, nodes: dict[str, _Node]) -> list[str]:
    warnings: list[str] = []
    for reporter in nodes.values():
        for peer_entry in reporter.bgp or []:
            if peer_entry.state != "Established":
                continue
            address = peer_entry.address
            owner = _owner(nodes, address)
            if owner == reporter.name:
                warnings.append(f"{reporter.name} reports a BGP session with itself ({address}) Established")
                continue
            if owner is None:
                if _unclaimed_is_certain(topology, nodes, reporter.name) and \
                        all(n.interfaces is not None for n in nodes.values() if n.bgp is not None):
                    warnings.append(f"{reporter.name} reports BGP peer {address} Established but no node of the "
                                    "lab has that address")
                continue
            peer = nodes[owner]
            if peer.local_as is not None and peer_entry.remote_as is not None and \
                    peer.local_as != peer_entry.remote_as:
                warnings.append(f"{reporter.name} reports BGP peer {address} ({owner}) Established in AS "
                                f"{peer_entry.remote_as} but {owner} is in AS {peer.local_as}")
            if peer.bgp is not None and reporter.interfaces is not None and not any(
                    back.state == "Established" and back.address in reporter.addresses for back in peer.bgp):
                warnings.append(f"{reporter.name} reports BGP peer {address} ({owner}) Established but {owner} "
                                f"has no Established session with {reporter.name}")
    return warnings


def _usable(interface: Interface) -> list[ipaddress.IPv4Interface | ipaddress.IPv6Interface]:
    return [a for a in interface.addresses if not a.ip.is_link_local and not a.ip.is_loopback]


def _link_warnings(topology: Topology, nodes: dict[str, _Node]) -> list[str]:
    warnings: list[str] = []
    for link in topology.links:
        a, b = link.endpoints
        ends = []
        for end in (a, b):
            interfaces = nodes[end.node].interfaces
            found = next((i for i in interfaces or [] if same_interface(i.name, end.interface)), None)
            ends.append(_usable(found) if found is not None else [])
        for version in (4, 6):
            left = [x for x in ends[0] if x.version == version]
            right = [x for x in ends[1] if x.version == version]
            if not left or not right:
                continue
            if not any(x.ip in y.network or y.ip in x.network for x in left for y in right):
                warnings.append(f"link {a} - {b}: {a.node} has {', '.join(map(str, left))}, {b.node} has "
                                f"{', '.join(map(str, right))}: not in one subnet")
    return warnings


def consistency_warnings(topology: Topology, facts: Mapping[FactRequest, FactValue]) -> list[str]:
    """One line per disagreement between the devices' facts (see the module docs), sorted, no duplicates."""
    nodes = _nodes(topology, facts)
    found = _ospf_warnings(topology, nodes) + _bgp_warnings(topology, nodes) + _link_warnings(topology, nodes)
    return sorted(dict.fromkeys(found))
