"""The switching facts of huawei_vrp: VLANs, port VLAN settings, spanning tree and Eth-Trunks."""

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

_LINK_STATE = re.compile(r"\(\w*\)$")  # GE1/0/1(U), GE1/0/7(D)


def _port(token: str) -> str:
    name = _LINK_STATE.sub("", token.strip())
    return interface_name(name) or name


def _vlan_list(items: list[str], where: str) -> VlanSet:
    try:
        return VlanSet.parse(" ".join(items))
    except ValueError as error:
        raise ParseError(f"{where}: {error}") from None


def vlans(rows: Rows, text: str, request: FactRequest) -> list[Vlan]:
    """``display vlan``: the ports table and the status table give rows of their own, merged by VLAN id.

    The Description column is what the table shows of a VLAN's words (``name`` only shows in ``display vlan N
    verbose``); ``enable`` is active. Mapping/stacking members (``MP:``/``ST:``) are not VLAN members.
    """
    merged: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = merged.setdefault(int(row["vlan_id"]), {"untagged": [], "tagged": [], "status": "", "text": ""})
        entry["untagged"] += [_port(p) for p in row["untagged_ports"]]
        entry["tagged"] += [_port(p) for p in row["tagged_ports"]]
        entry["status"] = row["status"] or entry["status"]
        entry["text"] = row["description"] or entry["text"]
    return [
        Vlan(vlan_id=vlan_id, name=None, description=entry["text"] or None,
             active=entry["status"].casefold() == "enable" if entry["status"] else None,
             untagged=tuple(dict.fromkeys(entry["untagged"])), tagged=tuple(dict.fromkeys(entry["tagged"])))
        for vlan_id, entry in sorted(merged.items())
    ]


_LINK_TYPES: dict[str, PortMode] = {"access": "access", "trunk": "trunk", "hybrid": "hybrid", "desirable": "dynamic",
                                    "auto": "dynamic", "dot1q-tunnel": "other", "qinq": "other"}


def switchports(rows: Rows, text: str, request: FactRequest) -> list[SwitchPort]:
    """``display port vlan``: link type, PVID and the Trunk VLAN List (one item per printed line; ``-`` for none).

    The PVID is an access port's VLAN and a trunk or hybrid port's native VLAN. A hybrid port's list holds its
    tagged and untagged VLANs alike. Link type ``-`` (a port that is not layer 2, e.g. an Eth-Trunk member) has
    no mode.
    """
    result = []
    for row in rows:
        name = interface_name(row["interface"]) or row["interface"]
        link_type = row["link_type"].casefold()
        if link_type != "-" and link_type not in _LINK_TYPES:
            raise ParseError(f"port {name}: unknown link type {row['link_type']!r}")
        mode = _LINK_TYPES.get(link_type)
        pvid = to_int(row["pvid"]) or None  # "0" for a port without one
        allowed = _vlan_list(row["trunk_vlans"], f"port {name}") if mode not in (None, "access") else None
        result.append(SwitchPort(interface=name, mode=mode, access_vlan=pvid if mode == "access" else None,
                                 native_vlan=pvid if mode not in (None, "access") else None, allowed=allowed,
                                 mode_text=row["link_type"]))
    return result


def trunks(rows: Rows, text: str, request: FactRequest) -> list[Trunk]:
    """``display port vlan``: the trunk ports, their PVID (native VLAN) and allowed VLANs; the device does not say
    which allowed VLANs exist, so ``active`` stays unknown. Hybrid ports are left to ``display vlan``'s UT/TG."""
    return [Trunk(interface=p.interface, native_vlan=p.native_vlan, allowed=p.allowed or VlanSet())
            for p in switchports(rows, text, request) if p.mode == "trunk"]


_STP_MODES: dict[str, StpMode] = {"STP": "stp", "RSTP": "rstp", "MSTP": "mstp"}
_ROLES: tuple[StpRole, ...] = ("root", "designated", "alternate", "backup", "master", "disabled")
_STATES: dict[str, StpState] = {"forwarding": "forwarding", "discarding": "discarding", "learning": "learning",
                                "blocking": "discarding", "listening": "discarding", "disabled": "disabled"}
_BRIDGE_ID = re.compile(r"^(\d+)\s*\.\s*([0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4})$")


def _bridge_id(text: str) -> tuple[int | None, str | None]:
    """``32768.4c1f-cc4c-6f4e`` or ``4096 .00e0-fc12-3456`` → (priority, MAC)."""
    match = _BRIDGE_ID.match(text.strip())
    return (int(match.group(1)), match.group(2).lower()) if match else (None, None)


def stp_role(text: str) -> StpRole | None:
    """``Designated Port``, ``CIST Designated Port``, ``DESI``, ``ALTE``, ``BACK``, ``MAST``, ``DISA`` → role."""
    word = text.strip().casefold()
    if not word:
        return None
    role = next((r for r in _ROLES if r in word or word == r[:4]), None)
    if role is None:
        raise ParseError(f"unknown spanning tree port role {text!r}")
    return role


def stp_state(text: str) -> StpState | None:
    """``FORWARDING`` (VRP5) or ``forwarding`` (CE), ``DISCARDING``, ``LEARNING`` → state."""
    word = text.strip().casefold()
    if not word:
        return None
    if word not in _STATES:
        raise ParseError(f"unknown spanning tree port state {text!r}")
    return _STATES[word]


def _edge(text: str) -> bool | None:
    word = text.strip().casefold()
    return {"enabled": True, "disabled": False}.get(word)


def stp(rows: Rows, text: str, request: FactRequest) -> SpanningTree:
    """``display stp``: per instance (CIST = 0, or the MSTI number) a row without a port, then a row per port.

    This switch is the root of an instance when the root (an MSTI's regional root) is its own bridge ID.
    """
    if not rows:
        raise ParseError("no spanning tree information in the output")
    if all(row["protocol_status"].casefold() == "disabled" for row in rows):
        return SpanningTree(enabled=False, mode=None)
    trees: dict[str, dict[str, Any]] = {}
    mode: StpMode | None = None
    for row in rows:
        if not row["instance"]:
            raise ParseError("a spanning tree port outside any instance")
        mode = mode or _STP_MODES.get(row["mode"])
        tree = trees.get(row["instance"])
        if tree is None:
            bridge, root = _bridge_id(row["bridge_id"]), _bridge_id(row["root_id"])
            tree = trees[row["instance"]] = {
                "instance": 0 if row["instance"] == "CIST" else int(row["instance"]),
                "bridge": bridge, "root": root, "root_cost": to_int(row["root_cost"]), "ports": [],
                "is_root": (bridge == root) if bridge[0] is not None and root[0] is not None else None,
            }
        if row["interface"]:
            tree["ports"].append(StpPort(
                interface=interface_name(row["interface"]) or row["interface"], role=stp_role(row["port_role"]),
                state=stp_state(row["port_state"]), edge=_edge(row["edged_active"]),
                cost=to_int(row["port_cost"]), priority=to_int(row["port_priority"])))
    return SpanningTree(enabled=True, mode=mode, instances=tuple(
        StpInstance(vlan=None, instance=t["instance"], bridge_priority=t["bridge"][0], bridge_address=t["bridge"][1],
                    root_priority=t["root"][0], root_address=t["root"][1], is_root=t["is_root"],
                    root_cost=t["root_cost"], ports=tuple(t["ports"]))
        for t in trees.values()))


_LAG_MODES: dict[str, LagMode] = {"normal": "manual", "lacp": "lacp", "static": "lacp", "dynamic": "lacp"}


def link_aggregations(rows: Rows, text: str, request: FactRequest) -> list[LinkAggregation]:
    """``display eth-trunk``: a trunk row (no port), then actor rows, then -- in LACP modes -- partner rows.

    Working mode NORMAL/Normal is manual load balancing; LACP, STATIC/Static (lacp-static) and Dynamic are LACP.
    An actor port is active when Selected (LACP) or Up (manual); eNSP and VRP8 print ``Unselect``.
    """
    bundles: dict[str, dict[str, Any]] = {}
    for row in rows:
        bundle = bundles.get(row["trunk"])
        if bundle is None:
            mode_word = row["working_mode"].casefold()
            if mode_word not in _LAG_MODES:
                raise ParseError(f"{row['trunk']}: unknown working mode {row['working_mode']!r}")
            status = row["operate_status"].casefold()
            bundle = bundles[row["trunk"]] = {
                "mode": _LAG_MODES[mode_word], "up": status == "up" if status else None, "members": {}}
        if row["port"] and not row["partner_system_id"]:
            name = interface_name(row["port"]) or row["port"]
            bundle["members"][name] = LagMember(interface=name, status=row["status"],
                                                active=row["status"].casefold() in ("up", "selected"))
    return [LinkAggregation(interface=interface_name(trunk) or trunk, mode=b["mode"], up=b["up"],
                            members=tuple(b["members"].values()))
            for trunk, b in bundles.items()]


FACTS: dict[str, FactSpec] = {
    "vlans": FactSpec("display vlan", vlans),
    "switchports": FactSpec("display port vlan", switchports),
    "trunks": FactSpec("display port vlan", trunks),
    "stp": FactSpec("display stp", stp),
    "link_aggregations": FactSpec("display eth-trunk", link_aggregations),
}
