"""``ping``: a node can (or must not) reach an address."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactRequest, FactValue, PingResult
from grader.model.report import CheckResult

PING = fact_kind("ping", "a ping's probes sent and replies received (args: target, source)")


class PingParams(CheckParams):
    target: str = Field(min_length=1, description="address (or name) to ping from the node")
    source: str | None = Field(default=None, description="source address or interface")
    expect: Literal["success", "failure"] = Field(default="success", description="failure: must NOT answer")


@check_type
class PingCheck(CheckType[PingParams]):
    name = "ping"
    summary = "a node reaches an address (or must not), optionally from a source"
    passes_when = "at least one reply (or none, with `expect: failure`)"
    Params = PingParams
    fact_kinds = (PING,)

    def requests(self, params: PingParams) -> list[FactRequest]:
        return [FactRequest.make(params.node, PING, target=params.target, source=params.source)]

    def judge(self, params: PingParams, fact: FactValue) -> CheckResult:
        result: PingResult = fact.value
        from_ = f" from {params.source}" if params.source else ""
        seen = f"{result.received}/{result.sent} replies"
        ok = result.success == (params.expect == "success")
        if params.expect == "success":
            message = f"{params.node}: ping {params.target}{from_} " + ("succeeds" if ok else "fails") + f" ({seen})"
        else:
            message = (f"{params.node}: ping {params.target}{from_} " +
                       ("fails, as expected" if ok else "succeeds, expected it to fail") + f" ({seen})")
        return self.result(params, verdict(ok), message, expected=params.expect,
                           observed="success" if result.success else "failure",
                           evidence=[evidence_of(fact, [as_row(result)], excerpt_lines=0)])
