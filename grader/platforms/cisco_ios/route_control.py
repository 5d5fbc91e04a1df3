"""The route-control facts of cisco_ios: the BGP table, IP prefix lists, route-maps."""

from __future__ import annotations

import re
from typing import Any

from grader.checks.bgp_table import BgpPath, canonical_as_path, community_value
from grader.checks.route_policy import PrefixListEntry, RoutePolicyNode
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.vendor_common import (
    any_address,
    classful_network,
    family_only,
    ipv4_address,
    ipv4_network,
    not_zero,
    to_int,
    when_given,
)

Rows = list[dict[str, Any]]

_ORIGINS = {"i": "igp", "e": "egp", "?": "incomplete", "IGP": "igp", "EGP": "egp", "incomplete": "incomplete"}


def bgp_table(rows: Rows, text: str, request: FactRequest) -> list[BgpPath]:
    """``show ip bgp``: status ``*`` valid, ``>`` best; ``i`` after it = learned over IBGP. A network printed
    without a mask is classful. LocPrf is blank for a path learned over EBGP (None: not shown)."""
    return [
        BgpPath(
            prefix=classful_network(row["network"]),
            next_hop=any_address(row["next_hop"]),
            as_path=canonical_as_path(row["as_path"]),
            origin=_ORIGINS.get(row["origin"]),  # type: ignore[arg-type]
            med=to_int(row["metric"]),
            local_pref=to_int(row["local_pref"]),
            weight=to_int(row["weight"]),
            best=">" in row["status"],
            valid="*" in row["status"],
            internal=row["internal"] == "i",
        )
        for row in rows
    ]


def _communities(text: str) -> tuple[str, ...]:
    """``65001:100 no-export`` (or 32-bit numbers without ``ip bgp-community new-format``) → one spelling each."""
    return tuple(community_value(item) or item for item in text.split())


def bgp_prefix(rows: Rows, text: str, request: FactRequest) -> list[BgpPath]:
    """``show ip bgp <prefix>/<length>``: one block per path. ``Local`` is the empty AS path; ``X from Y (Z)``
    gives the next hop, the peer (0.0.0.0 for a local route) and its router id; the Origin line the attributes
    and ``best``."""
    result = []
    for row in rows:
        flags = [f.strip() for f in row["flags"].split(",")]
        internal = True if "internal" in flags else False if "external" in flags else None
        result.append(BgpPath(
            prefix=ipv4_network(*row["prefix"].split("/")),
            next_hop=any_address(row["next_hop"]),
            as_path="" if row["as_path"] == "Local" else canonical_as_path(row["as_path"]),
            origin=_ORIGINS.get(row["origin"]),  # type: ignore[arg-type]
            med=to_int(row["metric"]),
            local_pref=to_int(row["local_pref"]),
            weight=to_int(row["weight"]),
            best=row["best"] == "best",
            valid="valid" in flags,
            internal=internal,
            communities=_communities(row["community"]),
            peer=not_zero(any_address(row["from"])),
            peer_router_id=ipv4_address(row["peer_router_id"]),
        ))
    return result


def _bgp_command(request: FactRequest) -> str:
    prefix = request.arg("prefix")
    return f"show ip bgp {prefix}" if prefix else "show ip bgp"



def prefix_lists(rows: Rows, text: str, request: FactRequest) -> list[PrefixListEntry]:
    """``show ip prefix-list``: a list's header row (no sequence) is skipped; entries keep ge/le."""
    result = []
    for row in rows:
        if not row["sequence"]:
            continue
        network, _, length = row["prefix"].partition("/")
        result.append(PrefixListEntry(name=row["name"], sequence=int(row["sequence"]), action=row["action"],
                                      prefix=ipv4_network(network, length), ge=to_int(row["ge"]),
                                      le=to_int(row["le"])))
    return result


def route_policies(rows: Rows, text: str, request: FactRequest) -> list[RoutePolicyNode]:
    """``show route-map``: one row per entry, clauses as printed (``ip address prefix-lists: P1``)."""
    def clauses(items: list[str]) -> tuple[str, ...]:
        return tuple(re.sub(r"\s+", " ", item.strip()) for item in items)

    return [RoutePolicyNode(name=row["name"], sequence=int(row["sequence"]), action=row["action"],
                            match=clauses(row["match_clauses"]), set=clauses(row["set_clauses"]))
            for row in rows]


FACTS: dict[str, FactSpec] = {
    "bgp_routes": FactSpec(family_only(_bgp_command, "the IPv6 BGP table (show bgp ipv6 unicast) is not read "
                                                     "yet"), when_given("prefix", bgp_prefix, bgp_table)),
    "prefix_lists": FactSpec("show ip prefix-list", prefix_lists),
    "route_policies": FactSpec("show route-map", route_policies),
}
