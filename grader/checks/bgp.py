"""``bgp_neighbor``: a BGP peer is Established, with the expected remote AS and prefixes received.

An IPv6 ``peer`` reads the IPv6 unicast peers (``family=ipv6`` in the request); ``vrf`` the peers of a VRF /
VPN instance (``vrf=NAME``).
"""

from __future__ import annotations

from pydantic import Field, IPvAnyAddress, field_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.checks.values import PlainName
from grader.model.facts import BgpNeighbor, FactRequest, FactValue
from grader.model.report import CheckResult
from grader.naming import bgp_state_param


def _settle_view(peers: list[BgpNeighbor]) -> object:
    """Up or not, per peer: the states of a session that is not up cycle with its retry timers."""
    return sorted((str(p.address), p.remote_as, p.state == "Established", p.prefixes_received) for p in peers)


BGP_NEIGHBORS = fact_kind("bgp_neighbors", "BGP peers: address, remote AS, state, prefixes received "
                                           "(arg family=ipv6 for IPv6 unicast peers, vrf=NAME for a VRF's)",
                          settle_view=_settle_view)


class BgpNeighborParams(CheckParams):
    peer: IPvAnyAddress = Field(description="the peer's address")
    state: str = Field(default="Established", description="expected session state (Established, Idle, ...)")
    remote_as: int | None = Field(default=None, ge=1, le=4294967295, description="expected remote AS")
    min_prefixes: int | None = Field(default=None, ge=0, description="at least this many prefixes received")
    vrf: PlainName | None = Field(default=None, description="the VRF / VPN instance the peer belongs to")

    @field_validator("state")
    @classmethod
    def _known_state(cls, value: str) -> str:
        return bgp_state_param(value)


@check_type
class BgpNeighborCheck(CheckType[BgpNeighborParams]):
    name = "bgp_neighbor"
    summary = "a BGP peer is Established, with the expected remote AS and at least N prefixes received"
    passes_when = "the peer matches"
    Params = BgpNeighborParams
    fact_kinds = (BGP_NEIGHBORS,)

    def requests(self, params: BgpNeighborParams) -> list[FactRequest]:
        return [FactRequest.make(params.node, BGP_NEIGHBORS, family="ipv6" if params.peer.version == 6 else None,
                                 vrf=params.vrf)]

    def judge(self, params: BgpNeighborParams, fact: FactValue) -> CheckResult:
        peer: BgpNeighbor | None = next((p for p in fact.value if p.address == params.peer), None)
        expected = self.expected(params)
        who = f"{params.node}: BGP peer {params.peer}" + (f" in VRF {params.vrf}" if params.vrf else "")
        if peer is None:
            seen = ", ".join(f"{p.address} ({p.state})" for p in fact.value) or "none"
            everyone = [as_row(p) for p in fact.value]
            return self.result(params, verdict(False), f"{who} not configured (peers: {seen})",
                               expected=expected, observed=everyone, evidence=[evidence_of(fact, everyone)])
        problems: list[str] = []
        if peer.state.casefold() != params.state.casefold():
            problems.append(f"is {peer.state}, expected {params.state}")
        if params.remote_as is not None and peer.remote_as != params.remote_as:
            problems.append(f"has remote AS {peer.remote_as}, expected {params.remote_as}")
        if params.min_prefixes is not None and (peer.prefixes_received or 0) < params.min_prefixes:
            problems.append(f"sent {peer.prefixes_received or 0} prefixes, expected at least {params.min_prefixes}")
        row = as_row(peer)
        message = f"{who} " + ("; ".join(problems) if problems else f"is {peer.state}")
        return self.result(params, verdict(not problems), message, expected=expected, observed=row,
                           evidence=[evidence_of(fact, [row])])
