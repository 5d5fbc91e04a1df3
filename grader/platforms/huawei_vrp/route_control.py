"""The route-control facts of huawei_vrp: the BGP table, IP prefix lists, route-policies."""

from __future__ import annotations

import re
from ipaddress import IPv4Network
from typing import Any

from grader.checks.bgp_table import BgpPath, canonical_as_path, community_value
from grader.checks.route_policy import PrefixListEntry, RoutePolicyNode
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.vendor_common import (
    any_address,
    family_only,
    ipv4_address,
    ipv4_network,
    not_zero,
    to_int,
    when_given,
)

Rows = list[dict[str, Any]]

_ORIGINS = {"i": "igp", "e": "egp", "?": "incomplete", "igp": "igp", "egp": "egp", "incomplete": "incomplete"}


def _network(network: str, prefix_length: str) -> IPv4Network:
    """A network printed without a mask ends at its last non-zero octet: ``10.1.2.0`` is a /24 (an interface's
    /24 imported into BGP prints so), ``10.0.0.0`` and ``127.0.0.0`` are /8 -- not always the class mask."""
    if prefix_length:
        return ipv4_network(network, prefix_length)
    octets = network.split(".")
    while octets and octets[-1] == "0":
        octets.pop()
    return ipv4_network(network, str(8 * len(octets)))


def bgp_table(rows: Rows, text: str, request: FactRequest) -> list[BgpPath]:
    """``display bgp routing-table``: status ``*`` valid, ``>`` best, ``i`` learned over IBGP; PrefVal is the
    preferred value (kept as ``weight``)."""
    return [
        BgpPath(
            prefix=_network(row["network"], row["prefix_length"]),
            next_hop=any_address(row["nexthop"]),
            as_path=canonical_as_path(row["as_path"]),
            origin=_ORIGINS.get(row["origin"]),  # type: ignore[arg-type]
            med=to_int(row["med"]),
            local_pref=to_int(row["local_pref"]),
            weight=to_int(row["pref_val"]),
            best=">" in row["status"],
            valid="*" in row["status"],
            internal="i" in row["status"],
        )
        for row in rows
    ]


def _communities(text: str) -> tuple[str, ...]:
    """``<100:1>, <100:2>, no-export`` → ("100:1", "100:2", "no-export"); unknown words are kept as printed."""
    items = [item for item in re.split(r"[\s,]+", text.strip()) if item]
    return tuple(community_value(item) or item.strip("<>") for item in items)


def bgp_prefix(rows: Rows, text: str, request: FactRequest) -> list[BgpPath]:
    """``display bgp routing-table <network> <length>``: one block per path. ``From: X (Y)`` is the peer and
    its router id (0.0.0.0 for a local route); the AS-path line ends in the path's state words (``valid,
    internal, best, select, pre 255``); ``Nil`` is the empty AS path."""
    result = []
    for row in rows:
        words = [w.strip() for w in row["attributes"].split(",")]
        internal = True if "internal" in words else False if "external" in words else None
        result.append(BgpPath(
            prefix=ipv4_network(*row["prefix"].split("/")),
            next_hop=ipv4_address(row["original_nexthop"]) or ipv4_address(row["relay_nexthop"]),
            as_path="" if row["as_path"] == "Nil" else canonical_as_path(row["as_path"]),
            origin=_ORIGINS.get(row["origin"]),  # type: ignore[arg-type]
            med=to_int(row["med"]),
            local_pref=to_int(row["local_pref"]),
            weight=to_int(row["pref_val"]),
            best="best" in words,
            valid="valid" in words,
            internal=internal,
            communities=_communities(row["community"]),
            peer=not_zero(ipv4_address(row["from"])),
            peer_router_id=ipv4_address(row["from_router_id"]),
        ))
    return result


def _bgp_command(request: FactRequest) -> str:
    prefix = request.arg("prefix")
    if not prefix:
        return "display bgp routing-table"
    network, _, length = prefix.partition("/")
    return f"display bgp routing-table {network} {length}"



def prefix_lists(rows: Rows, text: str, request: FactRequest) -> list[PrefixListEntry]:
    """``display ip ip-prefix``: one row per entry (``index: 10 permit 10.1.1.0/24 ge 24 le 32``)."""
    result = []
    for row in rows:
        network, _, length = row["prefix"].partition("/")
        result.append(PrefixListEntry(name=row["name"], sequence=int(row["index"]), action=row["action"],
                                      prefix=ipv4_network(network, length), ge=to_int(row["ge"]),
                                      le=to_int(row["le"])))
    return result


def route_policies(rows: Rows, text: str, request: FactRequest) -> list[RoutePolicyNode]:
    """``display route-policy``: one row per node; ``goto``/``call`` clauses count as apply clauses."""
    def clauses(items: list[str]) -> tuple[str, ...]:
        return tuple(re.sub(r"\s+", " ", item.strip()) for item in items)

    result = []
    for row in rows:
        if row["action"] not in ("permit", "deny"):
            raise ParseError(f"route-policy {row['policy']} node {row['node']} has no permit/deny")
        result.append(RoutePolicyNode(name=row["policy"], sequence=int(row["node"]), action=row["action"],
                                      match=clauses(row["match_clauses"]),
                                      set=clauses(row["apply_clauses"] + row["other_clauses"])))
    return result


FACTS: dict[str, FactSpec] = {
    "bgp_routes": FactSpec(family_only(_bgp_command, "the IPv6 BGP table (display bgp ipv6 routing-table) "
                                                     "is not read yet"), when_given("prefix", bgp_prefix, bgp_table)),
    "prefix_lists": FactSpec("display ip ip-prefix", prefix_lists),
    "route_policies": FactSpec("display route-policy", route_policies),
}
