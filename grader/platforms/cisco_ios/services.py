"""VRRP, HSRP, NAT and DHCP facts of cisco_ios.

NAT rules and DHCP pools are read from the running configuration (``show running-config``, collected once for
every fact that needs it): ``show ip nat statistics`` does not say whether a pool mapping overloads and lists no
static entries, and ``show ip dhcp pool`` prints neither default router nor DNS servers. Leases come from
``show ip dhcp pool`` / ``show ip dhcp binding``, translations from ``show ip nat translations``, relays from
the helper addresses of ``show ip interface``.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import Any

from grader.checks.acl import port_number, protocol_name
from grader.checks.nat import NatConfig, NatTranslation, SourceNat, StaticNat
from grader.checks.services import (
    DAY,
    AddressRange,
    DhcpBinding,
    DhcpLeases,
    DhcpPool,
    DhcpRelay,
    RedundancyGroup,
    hsrp_state,
    vrrp_state,
)
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.services_common import address, config_blocks
from grader.platforms.vendor_common import interface_name, ipv4_address, to_int

Rows = list[dict[str, Any]]


def _interface(text: str) -> str:
    return interface_name(text) or text


def vrrp_groups(rows: Rows, text: str, request: FactRequest) -> list[RedundancyGroup]:
    """``show vrrp``: v2 states Master/Backup/Init, v3 MASTER/BACKUP/INIT; the priority shown is the running one
    (``Priority is 70 (Configured 90)``). Preemption without ``, delay min N secs`` has no delay (0)."""
    return [RedundancyGroup(
        interface=_interface(row["interface"]),
        group=int(row["group"]),
        state=vrrp_state(row["state"]),
        virtual_ips=tuple(a for a in (address(row["virtual_ip"]),) if a is not None),
        priority=to_int(row["priority"]),
        preempt={"enabled": True, "disabled": False}.get(row["preempt"]),
        preempt_delay=(to_int(row["preempt_delay"]) or 0) if row["preempt"] == "enabled" else None,
        master=address(row["master_address"]),
    ) for row in rows]


def hsrp_groups(rows: Rows, text: str, request: FactRequest) -> list[RedundancyGroup]:
    """``show standby brief``: ``P`` marks preemption; Active is ``local`` when this router is active."""
    return [RedundancyGroup(
        interface=_interface(row["interface"]),
        group=int(row["group"]),
        state=hsrp_state(row["state"]),
        virtual_ips=tuple(a for a in (address(row["virtual_ip"]),) if a is not None),
        priority=to_int(row["priority"]),
        preempt=row["preempt"] == "P",
        master=address(row["active"]),
    ) for row in rows]


# ---- NAT --------------------------------------------------------------------------------------------------


def _static(words: list[str]) -> StaticNat | None:
    """``[tcp|udp] INSIDE [port] (GLOBAL|interface X) [port] [extendable ...]`` after ``... source static``."""
    protocol = None
    if words and words[0] in ("tcp", "udp"):
        protocol, words = words[0], words[1:]
    if not words or words[0] == "network":
        return None
    inside, i = address(words[0]), 1
    inside_port = None
    if protocol and i < len(words):
        inside_port, i = port_number(words[i]), i + 1
    global_address, global_interface = None, None
    if i < len(words) and words[i] == "interface" and i + 1 < len(words):
        global_interface, i = _interface(words[i + 1]), i + 2
    elif i < len(words):
        global_address, i = address(words[i]), i + 1
    global_port = port_number(words[i]) if protocol and i < len(words) else None
    if inside is None or (global_address is None and global_interface is None):
        return None
    return StaticNat(inside=inside, global_address=global_address, global_interface=global_interface,
                     protocol=protocol, inside_port=inside_port, global_port=global_port)


def nat(rows: Rows, text: str, request: FactRequest) -> NatConfig:
    """``ip nat inside``/``outside`` under interfaces, ``ip nat pool``, ``ip nat inside source list|route-map ...``
    and ``ip nat inside source static ...`` (``ip nat outside source`` rules are not read)."""
    blocks = config_blocks(text, "cisco_ios")
    inside, outside = [], []
    pools: dict[str, tuple[str, str]] = {}
    rules: list[list[str]] = []
    for header, children in blocks:
        words = header.split()
        if words[:1] == ["interface"] and len(words) == 2:
            if "ip nat inside" in children:
                inside.append(_interface(words[1]))
            if "ip nat outside" in children:
                outside.append(_interface(words[1]))
        elif words[:3] == ["ip", "nat", "pool"] and len(words) >= 6:
            pools[words[3]] = (words[4], words[5])
        elif words[:4] == ["ip", "nat", "inside", "source"]:
            rules.append(words[4:])
    source: list[SourceNat] = []
    static: list[StaticNat] = []
    for words in rules:
        if words[:1] == ["static"]:
            if (entry := _static(words[1:])) is not None:
                static.append(entry)
            continue
        if words[:1] not in (["list"], ["route-map"]) or len(words) < 4:
            continue
        acl = words[1] if words[0] == "list" else None
        interface = _interface(words[3]) if words[2] == "interface" else None
        pool = words[3] if words[2] == "pool" else None
        start, end = pools.get(pool, (None, None)) if pool else (None, None)
        source.append(SourceNat(acl=acl, interface=interface, interface_address=interface is not None, pool=pool,
                                pool_start=address(start), pool_end=address(end), overload="overload" in words))
    return NatConfig(source=tuple(source), static=tuple(static), inside_interfaces=tuple(inside),
                     outside_interfaces=tuple(outside))


def _port(text: str) -> int | None:
    return to_int(text)


def nat_translations(rows: Rows, text: str, request: FactRequest) -> list[NatTranslation]:
    """``show ip nat translations``: protocol ``---`` is a bare address (static) translation."""
    result = []
    for row in rows:
        inside_local, inside_global = address(row["inside_local"]), address(row["inside_global"])
        if inside_local is None or inside_global is None:
            raise ParseError(f"translation without inside addresses: {row}")
        result.append(NatTranslation(
            protocol=None if row["protocol"] == "---" else protocol_name(row["protocol"]),
            inside_local=inside_local, inside_global=inside_global,
            inside_local_port=_port(row["inside_local_port"]), inside_global_port=_port(row["inside_global_port"]),
            outside_local=address(row["outside_local"]), outside_global=address(row["outside_global"]),
        ))
    return result


# ---- DHCP -------------------------------------------------------------------------------------------------


def _lease(words: list[str]) -> int | None:
    """``lease 7`` (days), ``lease 0 8`` (days hours), ``lease 0 0 30`` (days hours minutes), ``lease infinite``."""
    if words[1:2] == ["infinite"]:
        return None
    numbers = [int(w) for w in words[1:4] if w.isdigit()] + [0, 0, 0]
    return numbers[0] * DAY + numbers[1] * 3600 + numbers[2] * 60


def dhcp_pools(rows: Rows, text: str, request: FactRequest) -> list[DhcpPool]:
    """``ip dhcp pool NAME`` blocks; ``ip dhcp excluded-address A [B]`` go to the pools whose network holds A."""
    excluded: list[AddressRange] = []
    pools: list[DhcpPool] = []
    for header, children in config_blocks(text, "cisco_ios"):
        words = header.split()
        if words[:3] == ["ip", "dhcp", "excluded-address"]:
            numbers = [a for a in map(ipv4_address, words[3:]) if a is not None]  # after an optional vrf NAME
            if numbers:
                excluded.append(AddressRange(numbers[0], numbers[-1]))
        elif words[:3] == ["ip", "dhcp", "pool"] and len(words) == 4:
            pools.append(_pool(words[3], children))
    return [DhcpPool(p.name, p.network, p.gateways, p.dns_servers, p.lease,
                     tuple(r for r in excluded if p.network is not None and r.start in p.network))
            for p in pools]


def _pool(name: str, lines: list[str]) -> DhcpPool:
    network, gateways, dns, lease = None, (), (), DAY
    for line in lines:
        words = line.split()
        if words[:1] == ["network"] and len(words) >= 3:
            mask = words[2].lstrip("/")
            network = IPv4Network(f"{words[1]}/{mask}", strict=False)
        elif words[:1] == ["default-router"]:
            gateways = tuple(a for a in map(ipv4_address, words[1:]) if a)
        elif words[:1] == ["dns-server"]:
            dns = tuple(a for a in map(ipv4_address, words[1:]) if a)
        elif words[:1] == ["lease"]:
            lease = _lease(words)
    return DhcpPool(name=name, network=network, gateways=gateways, dns_servers=dns, lease=lease)


def dhcp_leases(rows: Rows, text: str, request: FactRequest) -> DhcpLeases | None:
    """``show ip dhcp pool``: the requested pool's ``Leased addresses`` (None: no such pool)."""
    name = request.arg("pool")
    row = next((r for r in rows if r["pool"] == name), None)
    if row is None:
        return None
    leased = to_int(row["leased_addresses"])
    if leased is None:
        raise ParseError(f"no leased address count for pool {name}")
    return DhcpLeases(pool=row["pool"], leased=leased)


def dhcp_bindings(rows: Rows, text: str, request: FactRequest) -> list[DhcpBinding]:
    """``show ip dhcp binding``: every pool's bindings (IOS does not say which pool leased an address)."""
    return [DhcpBinding(address=IPv4Address(row["ip_address"]), client="".join(row["client_id"]) or None)
            for row in rows]


def dhcp_relays(rows: Rows, text: str, request: FactRequest) -> list[DhcpRelay]:
    """``show ip interface``: the interfaces with helper addresses."""
    return [DhcpRelay(interface=_interface(row["interface"]),
                      servers=tuple(a for a in map(ipv4_address, row["ip_helper"]) if a))
            for row in rows if row["ip_helper"]]


FACTS: dict[str, FactSpec] = {
    "vrrp_groups": FactSpec("show vrrp", vrrp_groups),
    "hsrp_groups": FactSpec("show standby brief", hsrp_groups),
    "nat": FactSpec("show running-config", nat, parsed=False),
    "nat_translations": FactSpec("show ip nat translations", nat_translations),
    "dhcp_pools": FactSpec("show running-config", dhcp_pools, parsed=False),
    "dhcp_leases": FactSpec("show ip dhcp pool", dhcp_leases),
    "dhcp_bindings": FactSpec("show ip dhcp binding", dhcp_bindings),
    "dhcp_relays": FactSpec("show ip interface", dhcp_relays),
}
