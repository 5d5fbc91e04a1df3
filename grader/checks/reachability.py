"""``ping``: a node can (or must not) reach an address -- from a host or from a router itself."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.checks.values import HostTarget, PlainName, SourceName
from grader.model.facts import FactRequest, FactValue, PingResult
from grader.model.report import CheckResult


def _settle_view(result: PingResult) -> object:
    """No reply, some, or all: how many probes an interrupted ping sent (a router's ping is stopped by the
    session after a few replies or seconds) varies from one run to the next."""
    return (result.received == 0, result.received == result.sent)


PING = fact_kind("ping", "a ping's probes sent and replies received (args: target, source, vrf, count)",
                 settle_view=_settle_view)


class PingParams(CheckParams):
    target: HostTarget = Field(description="address or host name to ping from the node")
    source: SourceName | None = Field(default=None, description=(
        "source address or interface (Huawei `ping -a`, Cisco `source`, Linux `-I`)"))
    vrf: PlainName | None = Field(default=None, description="VRF (VPN instance on Huawei) to ping in")
    count: int | None = Field(default=None, ge=1, le=20, description="probes to send (the platform's default)")
    min_success: float | None = Field(default=None, gt=0, le=100, allow_inf_nan=False, description=(
        "percent of replies needed (default: any reply)"))
    expect: Literal["success", "failure"] = Field(default="success", description="failure: no reply may come")


@check_type
class PingCheck(CheckType[PingParams]):
    name = "ping"
    summary = "a node (host or router) reaches an address, or must not; optionally from a source, in a VRF"
    passes_when = ("at least one reply, or `min_success` percent of them (with `expect: failure`: no reply at "
                   "all)")
    Params = PingParams
    fact_kinds = (PING,)

    def requests(self, params: PingParams) -> list[FactRequest]:
        return [FactRequest.make(params.node, PING, target=params.target, source=params.source, vrf=params.vrf,
                                 count=params.count)]

    def judge(self, params: PingParams, fact: FactValue) -> CheckResult:
        result: PingResult = fact.value
        where = " ".join(part for part in (f"from {params.source}" if params.source else "",
                                           f"in VRF {params.vrf}" if params.vrf else "") if part)
        what = f"{params.node}: ping {params.target}" + (f" {where}" if where else "")
        seen = f"{result.received}/{result.sent} replies"
        if params.expect == "failure":
            ok = result.received == 0
            message = f"{what} " + ("fails, as expected" if ok else "succeeds, expected it to fail") + f" ({seen})"
        else:
            needed = params.min_success
            rate = result.success_rate
            ok = rate >= needed if needed is not None else result.success
            if ok:
                message = f"{what} succeeds ({seen})"
            elif needed is not None and result.success:
                message = f"{what} succeeds only {rate:.0f}% ({seen}), expected at least {needed:g}%"
            else:
                message = f"{what} fails ({seen})"
        return self.result(params, verdict(ok), message, expected=params.expect,
                           observed="success" if result.success else "failure",
                           evidence=[evidence_of(fact, [as_row(result)], excerpt_lines=0)])
