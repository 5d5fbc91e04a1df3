"""The switching facts of cisco_ios: VLANs, trunks, switchports, spanning tree and EtherChannels."""

from __future__ import annotations

import re
from typing import Any

from grader.checks.switching import (
    LagMember,
    LagMode,
    LinkAggregation,
    PortMode,
    SpanningTree,
    StpInstance,
    StpMode,
    StpPort,
    StpRole,
    StpState,
    SwitchPort,
    Trunk,
    Vlan,
    VlanSet,
)
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.vendor_common import interface_name, to_int

Rows = list[dict[str, Any]]


def _name(short: str) -> str:
    """Tables print short names (``Gi0/1``, ``Fa0/13``, ``Po1``): the canonical long name."""
    return interface_name(short) or short


def _vlan_list(items: list[str], where: str) -> VlanSet:
    """A VLAN list printed over several lines (each a chunk ending in a comma, or not): joined, then read."""
    try:
        return VlanSet.parse(" ".join(items))
    except ValueError as error:
        raise ParseError(f"{where}: {error}") from None


def vlans(rows: Rows, text: str, request: FactRequest) -> list[Vlan]:
    """``show vlan brief``: name, status and the access ports of each VLAN (trunks are not listed: see
    ``trunks``). Only ``active`` is active (``act/lshut``, ``act/unsup``, ``suspended`` are not)."""
    return [
        Vlan(vlan_id=int(row["vlan_id"]), name=row["name"] or None, description=None,
             active=row["status"] == "active", untagged=tuple(_name(p) for p in row["ports"]))
        for row in rows
    ]


def trunks(rows: Rows, text: str, request: FactRequest) -> list[Trunk]:
    """``show interfaces trunk``: four tables each listing the trunk ports; rows are merged by port. A port whose
    status is ``not-trunking`` carries nothing. ``active``: "allowed and active in management domain"."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = merged.setdefault(row["port"], {"status": "", "native": None, "allowed": [], "active": []})
        entry["status"] = row["status"] or entry["status"]
        entry["native"] = to_int(row["native_vlan"]) or entry["native"]
        entry["allowed"] += row["vlans_allowed"]
        entry["active"] += row["vlans_active"]
    result = []
    for port, entry in merged.items():
        if entry["status"] == "not-trunking":
            continue
        name = _name(port)
        result.append(Trunk(interface=name, native_vlan=entry["native"],
                            allowed=_vlan_list(entry["allowed"], f"trunk {name}"),
                            active=_vlan_list(entry["active"], f"trunk {name}") if entry["active"] else None))
    return result


_MODES: dict[str, PortMode] = {"static access": "access", "access": "access", "trunk": "trunk",
                               "dynamic auto": "dynamic", "dynamic desirable": "dynamic"}


def _mode(text: str) -> PortMode | None:
    word = re.sub(r"\s*\(.*\)$", "", text.strip()).casefold()  # "trunk (member of bundle Po12)"
    if not word or word == "down":
        return None
    return _MODES.get(word, "other")  # private-vlan host/promiscuous, tunnel, ...


def switchports(rows: Rows, text: str, request: FactRequest) -> list[SwitchPort]:
    """``show interfaces switchport``: the operational mode, or the administrative one while the port is down;
    ``Switchport: Disabled`` is a routed port. Trunking VLANs Enabled (``ALL``, a list that wraps) are the VLANs
    a trunk allows; an access port allows none."""
    result = []
    for row in rows:
        name = _name(row["interface"])
        if row["switchport"] == "Disabled":
            result.append(SwitchPort(interface=name, mode="routed", mode_text="routed"))
            continue
        mode = _mode(row["oper_mode"]) or _mode(row["admin_mode"])
        allowed = (_vlan_list(row["trunking_vlans"], f"port {name}")
                   if mode in ("trunk", "dynamic") and row["trunking_vlans"] else None)
        result.append(SwitchPort(interface=name, mode=mode, access_vlan=to_int(row["access_vlan"]) or None,
                                 native_vlan=to_int(row["native_vlan"]) or None, allowed=allowed,
                                 mode_text=row["oper_mode"] or row["admin_mode"] or None))
    return result


_PROTOCOLS: dict[str, StpMode] = {"ieee": "stp", "rstp": "rstp", "mstp": "mstp"}
_ROLES: dict[str, StpRole] = {"Root": "root", "Desg": "designated", "Altn": "alternate", "Back": "backup",
                              "Bkup": "backup", "Mstr": "master", "Disb": "disabled"}
_STATES: dict[str, StpState] = {"FWD": "forwarding", "LRN": "learning", "BLK": "discarding", "LIS": "discarding",
                                "BKN": "broken", "DIS": "disabled"}
_NO_INSTANCE = re.compile(r"^\s*(?:No spanning tree instances? exists?|Spanning tree instance\(s\) for vlan \d+ "
                          r"does not exist)\.?\s*$", re.MULTILINE | re.IGNORECASE)


def stp(rows: Rows, text: str, request: FactRequest) -> SpanningTree:
    """``show spanning-tree``: one row per port of each instance (VLAN0010 for PVST+ / Rapid PVST+, MST0...), the
    instance's bridge and root filled down. The mode is the instances' protocol (ieee = stp). The bridge priority
    is the configured one (``priority 28672 sys-id-ext 200`` → 28672)."""
    if not rows:
        if _NO_INSTANCE.search(text):
            return SpanningTree(enabled=False, mode=None)
        raise ParseError("no spanning tree instance in the output")
    trees: dict[str, dict[str, Any]] = {}
    for row in rows:
        tree = trees.get(row["instance"])
        if tree is None:
            tree = trees[row["instance"]] = {"row": row, "ports": []}
        tree["ports"].append(StpPort(
            interface=_name(row["interface"]), role=_ROLES.get(row["role"]),
            state=_STATES.get(row["status"].rstrip("*")), edge="Edge" in row["type"].split(),
            cost=to_int(row["cost"]), priority=to_int(row["port_priority"])))
    modes = {_PROTOCOLS[t["row"]["protocol"]] for t in trees.values() if t["row"]["protocol"] in _PROTOCOLS}
    return SpanningTree(enabled=True, mode=modes.pop() if len(modes) == 1 else None,
                        instances=tuple(_instance(t["row"], t["ports"]) for t in trees.values()))


def _instance(row: dict[str, Any], ports: list[StpPort]) -> StpInstance:
    name = row["instance"]
    number = int(name[4:] if name.startswith("VLAN") else name[3:])
    bridge_priority = to_int(row["bridge_base_priority"])
    if bridge_priority is None:
        bridge_priority = to_int(row["bridge_priority"])
    bridge_address, root_address = row["bridge_address"].lower() or None, row["root_address"].lower() or None
    is_root = row["is_root"] == "root" or (
        root_address is not None and root_address == bridge_address and row["root_priority"] == row["bridge_priority"])
    return StpInstance(
        vlan=number if name.startswith("VLAN") else None, instance=None if name.startswith("VLAN") else number,
        bridge_priority=bridge_priority, bridge_address=bridge_address, root_priority=to_int(row["root_priority"]),
        root_address=root_address, is_root=is_root, root_cost=0 if is_root else to_int(row["root_cost"]),
        ports=tuple(ports))


_LAG_MODES: dict[str, LagMode | None] = {"LACP": "lacp", "PAgP": "pagp", "-": "manual", "NONE": "manual", "": None}
_BUNDLED = re.compile(r"^(?:P\w*|bndl)$")  # P, Pd (bundled, default port), bndl


def link_aggregations(rows: Rows, text: str, request: FactRequest) -> list[LinkAggregation]:
    """``show etherchannel summary``: a channel's flags (U = in use: up), its protocol (``-`` is mode on) and its
    members with flags; a member is active when bundled (P, Pd, bndl), not when H/hot-sby, s/susp, I, D, w."""
    result = []
    for row in rows:
        if row["protocol"] not in _LAG_MODES:
            raise ParseError(f"channel group {row['group']}: unknown protocol {row['protocol']!r}")
        members = tuple(
            LagMember(interface=_name(port), active=bool(_BUNDLED.match(flags)), status=flags)
            for port, flags in zip(row["members"], row["member_flags"], strict=True)
        )
        result.append(LinkAggregation(interface=_name(row["port_channel"]), mode=_LAG_MODES[row["protocol"]],
                                      up="U" in row["port_channel_flags"], members=members))
    return result


FACTS: dict[str, FactSpec] = {
    "vlans": FactSpec("show vlan brief", vlans),
    "trunks": FactSpec("show interfaces trunk", trunks),
    "switchports": FactSpec("show interfaces switchport", switchports),
    "stp": FactSpec("show spanning-tree", stp),
    "link_aggregations": FactSpec("show etherchannel summary", link_aggregations),
}
