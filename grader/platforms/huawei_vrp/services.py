"""VRRP, NAT and DHCP facts of huawei_vrp.

NAT and DHCP pools are read from the running configuration (``display current-configuration``, collected once
for every fact that needs it): VRP has no ``display`` command whose output shows every NAT rule with its
options, and ``display ip pool`` shows neither excluded addresses nor, for global pools, the network. Leases
come from ``display ip pool name X [used]``, relays from ``display dhcp relay all``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from grader.checks.acl import port_number, protocol_name
from grader.checks.nat import NatConfig, SourceNat, StaticNat
from grader.checks.services import (
    DAY,
    AddressRange,
    DhcpBinding,
    DhcpLeases,
    DhcpPool,
    DhcpRelay,
    RedundancyGroup,
    vrrp_state,
)
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.services_common import Block, address, addresses, config_blocks
from grader.platforms.vendor_common import interface_name, ipv4_address, to_int

Rows = list[dict[str, Any]]


def _interface(text: str) -> str:
    """``GE0/1/1.100``, ``GigabitEthernet 0/1/1`` (NE40E) → canonical long names."""
    return interface_name(text.replace(" ", "")) or text


def vrrp_groups(rows: Rows, text: str, request: FactRequest) -> list[RedundancyGroup]:
    """``display vrrp``: VRP5 (AR/S, eNSP) prints each group in detail; CE (VRP8) prints a table without
    priority or preemption (those stay None). A Master IP of 0.0.0.0 (Initialize) is no master."""
    groups = []
    for row in rows:
        master = ipv4_address(row["master_ip"])
        groups.append(RedundancyGroup(
            interface=_interface(row["interface"]),
            group=int(row["vrid"]),
            state=vrrp_state(row["state"]),
            virtual_ips=addresses(row["virtual_ips"]),
            priority=to_int(row["priority_run"]),
            preempt={"YES": True, "NO": False}.get(row["preempt"]),
            preempt_delay=to_int(row["preempt_delay"]) if row["preempt"] == "YES" else None,
            master=master if master is not None and int(master) else None,
        ))
    return groups


# ---- NAT (running configuration) ---------------------------------------------------------------------------

# nat outbound ACL [address-group G [no-pat]] | nat outbound ACL interface X (another interface's address)
_OUTBOUND = re.compile(r"^nat outbound (\S+)(?: address-group (\S+))?(?: interface \S+)?( no-pat)?\b")


def _mapping(words: list[str], interface: str | None) -> StaticNat | None:
    """``[protocol P] global {A|current-interface|interface X} [port] inside A [port] ...`` (nat static/server)."""
    try:
        i = 0
        protocol = None
        if words[i] == "protocol":
            protocol, i = protocol_name(words[i + 1]), i + 2
        if words[i] != "global":
            return None
        i += 1
        global_address, global_interface = None, None
        if words[i] == "current-interface":
            global_interface, i = interface, i + 1
        elif words[i] == "interface":  # "interface Dialer1", or as typed: "interface Dialer 1"
            spaced = words[i + 1].isalpha() and words[i + 2][:1].isdigit()
            global_interface = _interface("".join(words[i + 1:i + 3 if spaced else i + 2]))
            i += 3 if spaced else 2
        else:
            global_address, i = address(words[i]), i + 1
        global_port = port_number(words[i]) if words[i] != "inside" else None
        i = words.index("inside", i) + 1
        inside = address(words[i])
        inside_port = port_number(words[i + 1]) if i + 1 < len(words) else None
    except (IndexError, ValueError):
        return None
    if inside is None or (global_address is None and global_interface is None):
        return None
    ports = protocol in ("tcp", "udp")
    return StaticNat(inside=inside, global_address=global_address, global_interface=global_interface,
                     protocol=protocol if ports else None, inside_port=inside_port if ports else None,
                     global_port=global_port if ports else None, interface=interface)


def _address_groups(blocks: list[Block]) -> dict[str, tuple[str, str]]:
    """``nat address-group 1 A B`` (VRP5) or ``nat address-group NAME`` with ``section 0 A B`` under it."""
    groups: dict[str, tuple[str, str]] = {}
    for header, children in blocks:
        words = header.split()
        if words[:2] != ["nat", "address-group"] or len(words) < 3:
            continue
        if len(words) >= 5:
            groups[words[2]] = (words[3], words[4])
        for child in children:
            section = child.split()
            if section[:1] == ["section"] and len(section) >= 4:
                groups.setdefault(words[2], (section[2], section[3]))
    return groups


def nat(rows: Rows, text: str, request: FactRequest) -> NatConfig:
    """Source NAT (``nat outbound``), ``nat static`` and ``nat server`` from the configuration. A global
    ``nat static`` applies on each interface with ``nat static enable`` (not enabled anywhere: enabled=False)."""
    blocks = config_blocks(text, "huawei_vrp")
    groups = _address_groups(blocks)
    source: list[SourceNat] = []
    static: list[StaticNat] = []
    enabling: list[str] = []
    global_static: list[StaticNat] = []
    for header, children in blocks:
        words = header.split()
        if words[:2] == ["nat", "static"] and (entry := _mapping(words[2:], None)) is not None:
            global_static.append(entry)
        if words[:1] != ["interface"] or len(words) < 2:
            continue
        name = _interface(words[1])
        for line in children:
            if match := _OUTBOUND.match(line):
                acl, group, no_pat = match.groups()
                start, end = groups.get(group, (None, None)) if group else (None, None)
                source.append(SourceNat(acl=acl, interface=name, interface_address=group is None, pool=group,
                                        pool_start=address(start), pool_end=address(end), overload=not no_pat))
            elif line == "nat static enable":
                enabling.append(name)
            elif line.startswith(("nat static ", "nat server ")) and \
                    (entry := _mapping(line.split()[2:], name)) is not None:
                static.append(entry)
    for entry in global_static:
        static.extend([replace(entry, interface=name) for name in enabling] or [replace(entry, enabled=False)])
    return NatConfig(source=tuple(source), static=tuple(static))


# ---- DHCP -------------------------------------------------------------------------------------------------

def _lease(words: list[str]) -> int | None:
    """Seconds from ``lease day 1 hour 2 minute 3``; None for ``lease unlimited``."""
    if words[1:2] == ["unlimited"]:
        return None
    units = {"day": DAY, "hour": 3600, "minute": 60}
    return sum(units[w] * int(n) for w, n in zip(words[1::2], words[2::2], strict=False) if w in units and n.isdigit())


def _pool(name: str, lines: list[str], prefix: str, network: IPv4Network | None,
          gateways: tuple[IPv4Address, ...], interface: str | None) -> DhcpPool:
    dns: tuple[IPv4Address, ...] = ()
    lease: int | None = DAY
    excluded: list[AddressRange] = []
    for line in lines:
        if not line.startswith(prefix):
            continue
        rest = line[len(prefix):].split()
        if rest[:1] == ["network"] and len(rest) >= 4:
            mask = rest[3]
            network = IPv4Network(f"{rest[1]}/{mask}", strict=False)
        elif rest[:1] == ["gateway-list"]:
            gateways = tuple(a for a in map(ipv4_address, rest[1:]) if a)
        elif rest[:1] == ["dns-list"]:
            dns = tuple(a for a in map(ipv4_address, rest[1:]) if a)
        elif rest[:1] == ["excluded-ip-address"] and (start := ipv4_address(rest[1] if len(rest) > 1 else "")):
            excluded.append(AddressRange(start, ipv4_address(rest[2] if len(rest) > 2 else "") or start))
        elif rest[:1] == ["lease"]:
            lease = _lease(rest)
    return DhcpPool(name=name, network=network, gateways=gateways, dns_servers=dns, lease=lease,
                    excluded=tuple(excluded), interface=interface)


def dhcp_pools(rows: Rows, text: str, request: FactRequest) -> list[DhcpPool]:
    """Global pools (``ip pool NAME``) and interface pools (``dhcp select interface``: the interface's primary
    subnet, its address as gateway, ``dhcp server ...`` options)."""
    pools = []
    for header, children in config_blocks(text, "huawei_vrp"):
        words = header.split()
        if words[:2] == ["ip", "pool"] and len(words) == 3:
            pools.append(_pool(words[2], children, "", None, (), None))
        elif words[:1] == ["interface"] and len(words) == 2 and "dhcp select interface" in children:
            primary = next((c.split() for c in children if c.startswith("ip address ") and not c.endswith(" sub")),
                           None)
            network, gateway = None, ()
            if primary is not None and len(primary) >= 4:
                network = IPv4Network(f"{primary[2]}/{primary[3]}", strict=False)
                gateway = (IPv4Address(primary[2]),)
            name = _interface(words[1])
            pools.append(_pool(name, children, "dhcp server ", network, gateway, name))
    return pools


def _pool_command(used: bool) -> Any:
    def command(request: FactRequest) -> str:
        pool = request.arg("pool") or ""
        kind = "interface" if _is_interface(pool) else "name"
        return f"display ip pool {kind} {pool}" + (" used" if used else "")
    return command


def _is_interface(name: str) -> bool:
    """Interface pools are named after their interface (Vlanif10, GigabitEthernet0/0/0)."""
    return re.match(r"(?i)(?:vlanif|(?:\d+|x|multi)?g(?:igabit)?e(?:thernet)?|ethernet|eth-trunk)\s*\d", name) \
        is not None


def _missing_pool(text: str) -> bool:
    """True when VRP says (Error: or Info:) the pool does not exist; ParseError for any other rejection."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip().startswith(("Error:", "Info:"))), None)
    if line is None:
        return False
    if re.search(r"(?i)not\s+exist|no\s+such|does\s+not", line):
        return True
    if line.startswith("Info:"):
        return False  # left to the template, which knows the Info lines it may meet
    raise ParseError(f"the device rejected the command: {line}")


def _pool_row(text: str, request: FactRequest, used: bool) -> dict[str, Any] | None:
    """The pool's parsed row, or None when the device says there is no such pool (rejections are read here,
    before parsing, so that a missing pool is an answer rather than an error)."""
    from grader import parsing

    if _missing_pool(text):
        return None
    rows = parsing.parse("huawei_vrp", _pool_command(used)(request), text)
    return rows[0] if rows else None


def dhcp_leases(rows: Rows, text: str, request: FactRequest) -> DhcpLeases | None:
    """``display ip pool name X``: the Used column of the network section (VRP8 also prints ``Used :N``)."""
    row = _pool_row(text, request, used=False)
    if row is None:
        return None
    used = sum(int(n) for n in row["range_used"]) if row["range_used"] else to_int(row["used"])
    if used is None:
        raise ParseError("no Used count in the pool's output")
    return DhcpLeases(pool=row["pool_name"], leased=used)


def dhcp_bindings(rows: Rows, text: str, request: FactRequest) -> list[DhcpBinding] | None:
    """``display ip pool name X used``: the leased addresses (status Used) with the clients' MAC addresses."""
    row = _pool_row(text, request, used=True)
    if row is None:
        return None
    return [DhcpBinding(IPv4Address(ip), mac) for ip, mac in zip(row["leased_ips"], row["leased_macs"], strict=True)]


def dhcp_relays(rows: Rows, text: str, request: FactRequest) -> list[DhcpRelay]:
    """``display dhcp relay all``: one block per relaying interface (servers, or a server group)."""
    return [DhcpRelay(interface=_interface(row["interface"]),
                      servers=tuple(a for a in map(ipv4_address, row["server_ips"]) if a),
                      server_group=row["server_group"] or None)
            for row in rows if row["interface"]]


FACTS: dict[str, FactSpec] = {
    "vrrp_groups": FactSpec("display vrrp", vrrp_groups),
    "nat": FactSpec("display current-configuration", nat, parsed=False),
    "dhcp_pools": FactSpec("display current-configuration", dhcp_pools, parsed=False),
    "dhcp_leases": FactSpec(_pool_command(used=False), dhcp_leases, parsed=False, check_rejected=False),
    "dhcp_bindings": FactSpec(_pool_command(used=True), dhcp_bindings, parsed=False, check_rejected=False),
    "dhcp_relays": FactSpec("display dhcp relay all", dhcp_relays),
}
