"""``ping``: a node can (or must not) reach an address."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.model.facts import FactRequest, FactValue, PingResult
from grader.model.report import CheckResult


class PingParams(CheckParams):
    target: str = Field(description="address (or name) to ping from the node")
    source: str | None = Field(default=None, description="source address or interface")
    expect: Literal["success", "failure"] = Field(default="success", description="failure: must NOT answer")


class PingCheck(CheckType):
    name = "ping"
    summary = "a node reaches an address (or must not), optionally from a source"
    Params = PingParams
    fact_kinds: ClassVar = ("ping",)

    def requests(self, params: CheckParams) -> list[FactRequest]:
        assert isinstance(params, PingParams)
        return [FactRequest.make(params.node, "ping", target=params.target, source=params.source)]

    def judge(self, params: CheckParams, facts: list[FactValue]) -> CheckResult:
        assert isinstance(params, PingParams)
        fact = facts[0]
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
