"""``route``: a prefix is (or is not) in the routing table, optionally from a protocol via a next hop."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import ClassVar

from pydantic import Field

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.model.facts import FactValue, Route, RouteProtocol
from grader.model.report import CheckResult
from grader.naming import same_interface


class RouteParams(CheckParams):
    prefix: IPv4Network = Field(description="the destination prefix, e.g. 10.0.3.0/24")
    present: bool = Field(default=True, description="false: the prefix must NOT be in the table")
    protocol: RouteProtocol | None = Field(default=None, description="connected, static, ospf, bgp, ...")
    next_hop: IPv4Address | None = Field(default=None, description="one of the route's next-hop addresses")
    interface: str | None = Field(default=None, description="one of the route's outgoing interfaces")


def _describe(route: Route) -> str:
    hops = ", ".join(
        " via ".join(p for p in (str(h.address) if h.address else None, h.interface) if p)
        for h in route.next_hops
    )
    return f"{route.protocol} {route.prefix}" + (f" via {hops}" if hops else "")


class RouteCheck(CheckType):
    name = "route"
    summary = "a prefix is in (or absent from) the routing table, optionally from a protocol via a next hop"
    Params = RouteParams
    fact_kinds: ClassVar = ("routes",)

    def judge(self, params: CheckParams, facts: list[FactValue]) -> CheckResult:
        assert isinstance(params, RouteParams)
        fact = facts[0]
        routes = [r for r in fact.value if r.prefix == params.prefix and r.selected]
        expected = params.model_dump(mode="json", exclude={"node"}, exclude_none=True)
        rows = [as_row(r) for r in routes]
        evidence = [evidence_of(fact, rows)]
        where = f"{params.node}: route {params.prefix}"
        if not params.present:
            message = (f"{where} is present ({_describe(routes[0])}), expected absent" if routes
                       else f"{where} is absent, as expected")
            return self.result(params, verdict(not routes), message, expected=expected, observed=rows,
                               evidence=evidence)
        if not routes:
            return self.result(params, verdict(False), f"{where} is missing from the routing table",
                               expected=expected, observed=[], evidence=evidence)
        matching = [r for r in routes if self._matches(r, params)]
        if matching:
            return self.result(params, verdict(True), f"{where} is present ({_describe(matching[0])})",
                               expected=expected, observed=rows, evidence=evidence)
        wanted = " ".join(p for p in (
            params.protocol, f"via {params.next_hop}" if params.next_hop else None,
            f"out {params.interface}" if params.interface else None) if p)
        seen = "; ".join(_describe(r) for r in routes)
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
