"""The route-control facts of frr: the BGP table, prefix lists, route-maps."""

from __future__ import annotations

from ipaddress import ip_network
from typing import Any

from grader.checks.bgp_table import BgpPath, canonical_as_path, community_value
from grader.checks.route_policy import PrefixListEntry, RoutePolicyNode
from grader.errors import ParseError
from grader.model.facts import FactRequest, IPNetwork
from grader.platforms.base import FactSpec
from grader.platforms.frr.routing import _peer_address
from grader.platforms.vendor_common import any_address, ipv4_address, not_zero, to_int, when_given

Rows = list[dict[str, Any]]

_ORIGINS = {"i": "igp", "e": "egp", "?": "incomplete", "IGP": "igp", "EGP": "egp", "incomplete": "incomplete"}


def _network(text: str) -> IPNetwork:
    try:
        return ip_network(text, strict=False)
    except ValueError:
        raise ParseError(f"BGP network {text!r} is not a prefix") from None


def bgp_table(rows: Rows, text: str, request: FactRequest) -> list[BgpPath]:
    """``show ip bgp`` / ``show bgp ipv6 unicast``: ``*`` valid, ``>`` best, ``i`` learned over IBGP; every
    network has its length; LocPrf is empty unless the path carries one."""
    return [
        BgpPath(
            prefix=_network(row["network"]),
            next_hop=any_address(row["next_hop"]),
            as_path=canonical_as_path(row["path"]),
            origin=_ORIGINS.get(row["origin"]),  # type: ignore[arg-type]
            med=to_int(row["metric"]),
            local_pref=to_int(row["local_pref"]),
            weight=to_int(row["weight"]),
            best=row["selection"] == ">",
            valid=row["status"] == "*",
            internal=row["internal"] == "i",
        )
        for row in rows
    ]


def bgp_prefix(rows: Rows, text: str, request: FactRequest) -> list[BgpPath]:
    """``show ip bgp <prefix>/<length>``: one block per path; ``Local`` is the empty AS path; weight is printed
    only when not 0; communities as FRR words them (``no-export``, ``local-AS``)."""
    result = []
    for row in rows:
        path_type = row["path_type"]
        internal = True if path_type in ("internal", "confed-internal") else \
            False if path_type in ("external", "confed-external") else None
        result.append(BgpPath(
            prefix=_network(row["prefix"]),
            next_hop=any_address(row["next_hop"]),
            as_path="" if row["as_path"] == "Local" else canonical_as_path(row["as_path"]),
            origin=_ORIGINS.get(row["origin"]),  # type: ignore[arg-type]
            med=to_int(row["metric"]),
            local_pref=to_int(row["local_pref"]),
            weight=to_int(row["weight"]) or 0,
            best=row["best"] == "best",
            valid=row["validity"] == "valid",
            internal=internal,
            communities=tuple(community_value(c) or c for c in row["community"].split()),
            peer=not_zero(_peer_address(row["from"])),
            peer_router_id=ipv4_address(row["peer_router_id"]),
        ))
    return result


def _bgp_command(request: FactRequest) -> str:
    """``show ip bgp [prefix/len]``; IPv6: ``show bgp ipv6 unicast [prefix/len]``."""
    table = "show bgp ipv6 unicast" if request.arg("family") == "ipv6" else "show ip bgp"
    prefix = request.arg("prefix")
    return f"{table} {prefix}" if prefix else table



def _prefix_list_prefix(row: dict[str, Any]) -> tuple[IPNetwork, int | None]:
    """``any`` is every prefix: 0.0.0.0/0 le 32 (IPv6: ::/0 le 128)."""
    if row["prefix"] == "any":
        return (ip_network("::/0"), 128) if row["family"] == "ipv6" else (ip_network("0.0.0.0/0"), 32)
    return _network(row["prefix"]), to_int(row["le"])


def prefix_lists(rows: Rows, text: str, request: FactRequest) -> list[PrefixListEntry]:
    """``show ip prefix-list``: every daemon prints its own copy of each list; an entry is kept once."""
    seen: dict[tuple[str, int], PrefixListEntry] = {}
    for row in rows:
        prefix, le = _prefix_list_prefix(row)
        key = (row["name"], int(row["sequence"]))
        seen.setdefault(key, PrefixListEntry(name=row["name"], sequence=key[1], action=row["action"],
                                             prefix=prefix, ge=to_int(row["ge"]), le=le))
    return list(seen.values())


def route_policies(rows: Rows, text: str, request: FactRequest) -> list[RoutePolicyNode]:
    """``show route-map``: each daemon prints the clauses it understands (BGP's copy has the BGP ones), so the
    copies of an entry are merged; ``call X`` and ``on-match goto N`` count as set clauses."""
    merged: dict[tuple[str, int], tuple[str, list[str], list[str]]] = {}
    for row in rows:
        key = (row["route_map"], int(row["sequence"]))
        _, match, sets = merged.setdefault(key, (row["action"], [], []))
        extra = [f"call {row['call']}"] if row["call"] else []
        if row["exit_policy"].startswith("Goto"):
            extra.append(f"on-match goto {row['exit_policy'].split()[1]}")
        elif row["exit_policy"] == "Continue to next entry":
            extra.append("on-match next")
        match.extend(c for c in row["match"] if c not in match)
        sets.extend(c for c in (*row["set"], *extra) if c not in sets)
    return [RoutePolicyNode(name=name, sequence=sequence, action=action,  # type: ignore[arg-type]
                            match=tuple(match), set=tuple(sets))
            for (name, sequence), (action, match, sets) in merged.items()]


FACTS: dict[str, FactSpec] = {
    "bgp_routes": FactSpec(_bgp_command, when_given("prefix", bgp_prefix, bgp_table)),
    "prefix_lists": FactSpec("show ip prefix-list", prefix_lists),
    "route_policies": FactSpec("show route-map", route_policies),
}
