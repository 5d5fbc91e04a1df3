"""``hostname``: the device's configured name."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from grader.checks.base import CheckParams, CheckType, evidence_of, verdict
from grader.model.facts import FactValue
from grader.model.report import CheckResult


class HostnameParams(CheckParams):
    name: str = Field(description="expected hostname (sysname on Huawei); compared case-sensitively")


class HostnameCheck(CheckType):
    name = "hostname"
    summary = "the device's configured hostname (sysname)"
    Params = HostnameParams
    fact_kinds: ClassVar = ("hostname",)

    def judge(self, params: CheckParams, facts: list[FactValue]) -> CheckResult:
        assert isinstance(params, HostnameParams)
        fact = facts[0]
        seen = fact.value.hostname
        ok = seen == params.name
        message = (f"{params.node}: hostname is {seen}" if ok
                   else f"{params.node}: hostname is {seen or 'not set'}, expected {params.name}")
        return self.result(params, verdict(ok), message, expected=params.name, observed=seen,
                           evidence=[evidence_of(fact, [{"hostname": seen}])])
