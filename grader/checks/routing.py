"""``route``: a prefix is (or is not) in the routing table, optionally from a protocol via a next hop.

IPv4 and IPv6 alike: the family of ``prefix`` picks the table (``family=ipv6`` in the fact request, so the
IPv4 command stays what it always was); ``vrf`` reads a VRF's (VPN instance's) table (``vrf=NAME``).
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network

from pydantic import Field, IPvAnyAddress, IPvAnyNetwork

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.checks.values import PlainName
from grader.model.facts import FactRequest, FactValue, Route, RouteProtocol
from grader.model.report import CheckResult
from grader.naming import same_interface

ROUTES = fact_kind("routes", "the routing table: prefixes with protocol, next hops, distance, metric "
                             "(arg family=ipv6 for the IPv6 table, vrf=NAME for a VRF's)")


class RouteParams(CheckParams):
    prefix: IPvAnyNetwork = Field(description="the destination prefix, e.g. 10.0.3.0/24 or 2001:db8:3::/64")
    present: bool = Field(default=True, description="false: the prefix must NOT be in the table")
    protocol: RouteProtocol | None = Field(default=None, description="connected, static, ospf, bgp, ...")
    next_hop: IPvAnyAddress | None = Field(default=None, description="one of the route's next-hop addresses")
    interface: str | None = Field(default=None, min_length=1, description="one of the route's outgoing interfaces")
    vrf: PlainName | None = Field(default=None, description="the VRF / VPN instance whose table is read "
                                  "(default: the global table)")


def routes_request(node: str, prefix: IPv4Network | IPv6Network, vrf: str | None = None) -> FactRequest:
    """The routes fact of the table ``prefix`` belongs to (in VRF ``vrf``)."""
    return FactRequest.make(node, ROUTES, family="ipv6" if prefix.version == 6 else None, vrf=vrf)


def describe_route(route: Route) -> str:
    hops = ", ".join(
        " via ".join(p for p in (str(h.address) if h.address else None, h.interface) if p)
        for h in route.next_hops
    )
    return f"{route.protocol} {route.prefix}" + (f" via {hops}" if hops else "")


@check_type
class RouteCheck(CheckType[RouteParams]):
    name = "route"
    summary = "a prefix is in (or absent from) the routing table, optionally from a protocol via a next hop"
    passes_when = "a selected route for exactly `prefix` matches (or none exists, with `present: false`)"
    Params = RouteParams
    fact_kinds = (ROUTES,)

    def requests(self, params: RouteParams) -> list[FactRequest]:
        return [routes_request(params.node, params.prefix, params.vrf)]

    def judge(self, params: RouteParams, fact: FactValue) -> CheckResult:
        routes = [r for r in fact.value if r.prefix == params.prefix and r.selected]
        expected = self.expected(params)
        rows = [as_row(r) for r in routes]
        evidence = [evidence_of(fact, rows)]
        where = f"{params.node}: route {params.prefix}" + (f" in VRF {params.vrf}" if params.vrf else "")
        if not params.present:
            message = (f"{where} is present ({describe_route(routes[0])}), expected absent" if routes
                       else f"{where} is absent, as expected")
            return self.result(params, verdict(not routes), message, expected=expected, observed=rows,
                               evidence=evidence)
        if not routes:
            return self.result(params, verdict(False), f"{where} is missing from the routing table",
                               expected=expected, observed=[], evidence=evidence)
        matching = [r for r in routes if self._matches(r, params)]
        if matching:
            return self.result(params, verdict(True), f"{where} is present ({describe_route(matching[0])})",
                               expected=expected, observed=rows, evidence=evidence)
        wanted = " ".join(p for p in (
            params.protocol, f"via {params.next_hop}" if params.next_hop else None,
            f"out {params.interface}" if params.interface else None) if p)
        seen = "; ".join(describe_route(r) for r in routes)
        return self.result(params, verdict(False), f"{where} is {seen}, expected {wanted}",
                           expected=expected, observed=rows, evidence=evidence)

    @staticmethod
    def _matches(route: Route, params: RouteParams) -> bool:
        if params.protocol and route.protocol != params.protocol:
            return False
        if params.next_hop and all(h.address != params.next_hop for h in route.next_hops):
            return False
        return not (params.interface and not any(same_interface(h.interface, params.interface)
                                                 for h in route.next_hops))
