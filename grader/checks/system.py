"""``hostname``: the device's configured name."""

from __future__ import annotations

from pydantic import Field

from grader.checks.base import CheckParams, CheckType, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactValue
from grader.model.report import CheckResult

HOSTNAME = fact_kind("hostname", "the configured host name (sysname), read from the configuration")


class HostnameParams(CheckParams):
    name: str = Field(min_length=1, description="expected hostname (sysname on Huawei); compared case-sensitively")


@check_type
class HostnameCheck(CheckType[HostnameParams]):
    name = "hostname"
    summary = "the device's configured hostname (sysname)"
    passes_when = "the configured hostname (`sysname` on Huawei) is exactly `name`"
    Params = HostnameParams
    fact_kinds = (HOSTNAME,)

    def judge(self, params: HostnameParams, fact: FactValue) -> CheckResult:
        seen = fact.value.hostname
        ok = seen == params.name
        message = (f"{params.node}: hostname is {seen}" if ok
                   else f"{params.node}: hostname is {seen or 'not set'}, expected {params.name}")
        return self.result(params, verdict(ok), message, expected=params.name, observed=seen,
                           evidence=[evidence_of(fact, [{"hostname": seen}])])
