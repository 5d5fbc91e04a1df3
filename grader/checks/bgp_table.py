"""``bgp_route``: a prefix in the BGP table (not the routing table), with the attributes of its paths.

What route-control labs grade: AS-path prepending (exact path, an AS in it, its length), local preference,
MED, origin, preferred value / weight, communities, next hop, the peer a path came from, best or not. The
table command lists every path with its main attributes; the per-prefix command (``prefix`` in the request)
adds communities and the peer and router id a path was learned from, so it is asked only when the check
needs those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Literal

from pydantic import Field, IPvAnyAddress, IPvAnyNetwork, field_validator, model_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactRequest, FactValue, IPAddress, IPNetwork
from grader.model.report import CheckResult

BGP_ROUTES = fact_kind("bgp_routes", "the BGP table: each path of each prefix with its attributes "
                                     "(arg prefix: one prefix in detail, with communities and the peer)")

Origin = Literal["igp", "egp", "incomplete"]
MAX_AS = 4294967295
# the well-known communities (RFC 1997, RFC 8326) under one spelling each
WELL_KNOWN_COMMUNITIES = {
    "internet": "internet", "no-export": "no-export", "no-advertise": "no-advertise",
    "no-export-subconfed": "no-export-subconfed", "local-as": "no-export-subconfed",
    "graceful-shutdown": "graceful-shutdown", "g-shut": "graceful-shutdown",
}
_WELL_KNOWN_VALUES = {0xFFFFFF01: "no-export", 0xFFFFFF02: "no-advertise", 0xFFFFFF03: "no-export-subconfed",
                      0xFFFF0000: "graceful-shutdown", 0: "internet"}
_AS_PATH_TEXT = re.compile(r"^[\d .{},()]*$")


@dataclass(frozen=True)
class BgpPath:
    """One path of a prefix in the BGP table.

    ``as_path`` is canonical text: AS numbers in asplain, one blank between them, an AS set as ``{1,2}`` and
    a confederation segment as ``(1 2)``; empty for a path originated in the AS. ``communities`` is None when
    the command does not show them (the table form), ``()`` when the path has none. ``peer`` is the address
    the path was learned from (None for a locally originated path, or when the command does not show it).
    """

    prefix: IPNetwork
    next_hop: IPAddress | None
    as_path: str = ""
    origin: Origin | None = None
    med: int | None = None
    local_pref: int | None = None
    weight: int | None = None  # Cisco weight, Huawei preferred value (PrefVal)
    best: bool = False
    valid: bool = True
    internal: bool | None = None  # learned over IBGP
    communities: tuple[str, ...] | None = None
    peer: IPAddress | None = None
    peer_router_id: IPv4Address | None = None


def canonical_as_path(text: str) -> str:
    """``65001  65002 {65003, 65004}`` → ``65001 65002 {65003,65004}``; asdot (``1.10``) becomes asplain."""
    def plain(match: re.Match[str]) -> str:
        high, _, low = match.group(0).partition(".")
        return str(int(high) * 65536 + int(low)) if low else str(int(high))

    text = re.sub(r"\d+(?:\.\d+)?", plain, text.strip())
    text = re.sub(r"\s*,\s*", ",", text)
    text = re.sub(r"\{\s*", "{", re.sub(r"\s*\}", "}", text))
    text = re.sub(r"\(\s*", "(", re.sub(r"\s*\)", ")", text))
    return re.sub(r"\s+", " ", text)


def as_numbers(as_path: str) -> list[int]:
    """Every AS number in a path, sets and confederation segments included."""
    return [int(n) for n in re.findall(r"\d+", as_path)]


def as_path_length(as_path: str) -> int:
    """The length BGP compares (RFC 4271 9.1.2.2): an AS set counts 1, confederation segments 0."""
    outside = re.sub(r"\([^)]*\)", " ", as_path)
    sets = len(re.findall(r"\{[^}]*\}", outside))
    return sets + len(re.findall(r"\d+", re.sub(r"\{[^}]*\}", " ", outside)))


def community_value(text: str) -> str | None:
    """``65001:100``, a well-known name, or a 32-bit number (IOS without ``ip bgp-community new-format``)
    → its one spelling; None when the text is no community."""
    text = text.strip().strip("<>").strip()
    word = WELL_KNOWN_COMMUNITIES.get(text.casefold())
    if word:
        return word
    high, colon, low = text.partition(":")
    if colon and high.isdigit() and low.isdigit() and int(high) <= 65535 and int(low) <= 65535:
        return f"{int(high)}:{int(low)}"
    if text.isdigit() and int(text) <= MAX_AS:
        value = int(text)
        return _WELL_KNOWN_VALUES.get(value, f"{value >> 16}:{value & 0xFFFF}")
    return None


class BgpRouteParams(CheckParams):
    prefix: IPvAnyNetwork = Field(description="the prefix in the BGP table, e.g. 10.1.0.0/16")
    present: bool = Field(default=True, description="false: no path to the prefix may be in the BGP table")
    best: bool | None = Field(default=None, description="true: the matching path must be the best one; "
                              "false: it must not be")
    next_hop: IPvAnyAddress | None = Field(default=None, description="the path's next hop")
    peer: IPvAnyAddress | None = Field(default=None, description="the peer the path was learned from: its "
                                       "address or its router id (reads the per-prefix detail)")
    as_path: str | list[int] | None = Field(default=None, description="the exact AS path, as a list of AS "
                                            "numbers or as printed ('65002 65002 65003'); [] or '' for a path "
                                            "originated in the AS")
    as_path_contains: int | None = Field(default=None, ge=1, le=MAX_AS,
                                         description="an AS number the path goes through")
    as_path_length: int | None = Field(default=None, ge=0, le=255,
                                       description="the AS-path length BGP compares (an AS set counts 1)")
    origin: Origin | None = Field(default=None, description="the origin attribute: igp, egp or incomplete")
    local_pref: int | None = Field(default=None, ge=0, le=MAX_AS, description="the local preference")
    med: int | None = Field(default=None, ge=0, le=MAX_AS, description="the MED (multi-exit discriminator)")
    weight: int | None = Field(default=None, ge=0, le=65535, description="Cisco weight / Huawei preferred "
                               "value (PrefVal)")
    communities: list[str] | None = Field(default=None, description="communities the path must carry (all of "
                                          "them, others allowed): 65001:100, no-export, no-advertise, "
                                          "no-export-subconfed (local-AS); reads the per-prefix detail")

    @field_validator("as_path", mode="after")
    @classmethod
    def _as_path(cls, value: str | list[int] | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, list):
            if any(not 1 <= n <= MAX_AS for n in value):
                raise ValueError(f"AS numbers are 1-{MAX_AS}")
            return " ".join(str(n) for n in value)
        if not _AS_PATH_TEXT.match(value):
            raise ValueError(f"{value!r} is not an AS path (AS numbers separated by blanks)")
        return canonical_as_path(value)

    @field_validator("communities", mode="after")
    @classmethod
    def _communities(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        result = []
        for item in value:
            community = community_value(str(item))
            if community is None:
                raise ValueError(f"{item!r} is not a community (AA:NN with each part 0-65535, or no-export, "
                                 "no-advertise, no-export-subconfed, internet)")
            result.append(community)
        return result

    @model_validator(mode="after")
    def _absent_alone(self) -> BgpRouteParams:
        if not self.present and self._attributes():
            raise ValueError("present: false takes no path attribute")
        return self

    def _attributes(self) -> list[str]:
        return [name for name in ("best", "next_hop", "peer", "as_path", "as_path_contains", "as_path_length",
                                  "origin", "local_pref", "med", "weight", "communities")
                if getattr(self, name) is not None]

    @property
    def needs_detail(self) -> bool:
        """Communities and the peer a path came from are only in the per-prefix detail."""
        return self.communities is not None or self.peer is not None


def describe_path(path: BgpPath) -> str:
    parts = [f"via {path.next_hop}" if path.next_hop else "local",
             f"AS path {path.as_path or '(empty)'}"]
    for label, value in (("origin", path.origin), ("local-pref", path.local_pref), ("MED", path.med),
                         ("weight", path.weight)):
        if value is not None:
            parts.append(f"{label} {value}")
    if path.communities:
        parts.append("communities " + " ".join(path.communities))
    if path.peer is not None:
        parts.append(f"from {path.peer}")
    return ("best " if path.best else "") + "path " + ", ".join(parts)


def _mismatches(path: BgpPath, params: BgpRouteParams) -> list[str]:
    """What of ``params`` the path does not have (empty: it matches)."""
    problems = []
    if params.best is not None and path.best != params.best:
        problems.append("is best" if path.best else "is not best")
    if params.next_hop is not None and path.next_hop != params.next_hop:
        problems.append(f"next hop {path.next_hop}")
    if params.peer is not None and params.peer not in (path.peer, path.peer_router_id):
        problems.append(f"learned from {path.peer or 'this router'}")
    if params.as_path is not None and path.as_path != params.as_path:
        problems.append(f"AS path {path.as_path or '(empty)'}")
    if params.as_path_contains is not None and params.as_path_contains not in as_numbers(path.as_path):
        problems.append(f"AS path {path.as_path or '(empty)'} without AS {params.as_path_contains}")
    if params.as_path_length is not None and as_path_length(path.as_path) != params.as_path_length:
        problems.append(f"AS-path length {as_path_length(path.as_path)}")
    for label, want, have in (("origin", params.origin, path.origin), ("local-pref", params.local_pref,
                              path.local_pref), ("MED", params.med, path.med), ("weight", params.weight,
                              path.weight)):
        if want is not None and have != want:
            problems.append(f"{label} {have if have is not None else 'not shown'}")
    if params.communities is not None:
        missing = [c for c in params.communities if c not in (path.communities or ())]
        if missing:
            problems.append(f"communities {' '.join(path.communities or ()) or 'none'}")
    return problems


def _wanted(params: BgpRouteParams) -> str:
    parts = []
    if params.best is not None:
        parts.append("best" if params.best else "not best")
    for label, value in (("via", params.next_hop), ("from", params.peer), ("AS path", params.as_path),
                         ("AS path through", params.as_path_contains), ("AS-path length", params.as_path_length),
                         ("origin", params.origin), ("local-pref", params.local_pref), ("MED", params.med),
                         ("weight", params.weight)):
        if value is not None:
            parts.append(f"{label} {value if value != '' else '(empty)'}")
    if params.communities:
        parts.append("communities " + " ".join(params.communities))
    return ", ".join(parts)


@check_type
class BgpRouteCheck(CheckType[BgpRouteParams]):
    name = "bgp_route"
    summary = ("a prefix in the BGP table with a path of the given attributes (AS path, local-pref, MED, "
               "origin, communities, next hop, peer, best)")
    passes_when = ("one path to exactly `prefix` has every given attribute (or, with `present: false`, the "
                   "table has no path to it)")
    Params = BgpRouteParams
    fact_kinds = (BGP_ROUTES,)

    def requests(self, params: BgpRouteParams) -> list[FactRequest]:
        detail = params.needs_detail
        return [FactRequest.make(params.node, BGP_ROUTES, prefix=params.prefix if detail else None,
                                 family="ipv6" if params.prefix.version == 6 else None)]

    def judge(self, params: BgpRouteParams, fact: FactValue) -> CheckResult:
        paths: list[BgpPath] = [p for p in fact.value if p.prefix == params.prefix]
        expected = self.expected(params)
        rows = [as_row(p) for p in paths]
        evidence = [evidence_of(fact, rows)]
        where = f"{params.node}: BGP route {params.prefix}"
        if not params.present:
            message = (f"{where} is in the BGP table ({describe_path(paths[0])}), expected absent" if paths
                       else f"{where} is not in the BGP table, as expected")
            return self.result(params, verdict(not paths), message, expected=expected, observed=rows,
                               evidence=evidence)
        if not paths:
            return self.result(params, verdict(False), f"{where} is not in the BGP table", expected=expected,
                               observed=[], evidence=evidence)
        verdicts = [(path, _mismatches(path, params)) for path in paths]
        matching = next((path for path, problems in verdicts if not problems), None)
        if matching is not None:
            return self.result(params, verdict(True), f"{where} has a {describe_path(matching)}",
                               expected=expected, observed=rows, evidence=evidence)
        # the path closest to what was asked: the fewest mismatches, the best one first
        path, problems = min(verdicts, key=lambda v: (len(v[1]), not v[0].best))
        others = f" ({len(paths) - 1} other path{'s' if len(paths) > 2 else ''} neither)" if len(paths) > 1 else ""
        return self.result(params, verdict(False), f"{where}: expected a path {_wanted(params)}; the closest "
                           f"{'best ' if path.best else ''}path has {'; '.join(problems)}{others}",
                           expected=expected, observed=rows, evidence=evidence)
