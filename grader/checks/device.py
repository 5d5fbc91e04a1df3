"""``version``: the device's model and software version match what the lab requires."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field, field_validator, model_validator

from grader.checks.base import CheckParams, CheckType, as_row, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.model.facts import FactValue
from grader.model.report import CheckResult

VERSION = fact_kind("version", "the device's model and software version")


@dataclass(frozen=True)
class DeviceVersion:
    """``software`` names the system and its version as the device prints them: ``VRP 5.170 (AR610
    V300R019C13SPC200)``, ``IOS 15.2(4)M3 (C2960-LANBASEK9-M)``, ``IOS-XE 16.09.03 (...)``; ``model`` the
    hardware model (``AR617VW-LTE4EA Router``, ``WS-C2960-24TT-L``, ``IOSv``)."""

    software: str
    model: str | None = None


class VersionParams(CheckParams):
    software: str | None = Field(default=None, min_length=1, max_length=200, description="a regular "
                                 "expression the software version must match (searched, case-insensitive), "
                                 "e.g. 'V200R010' or '15\\.[2-9]'")
    model: str | None = Field(default=None, min_length=1, max_length=200, description="a regular expression "
                              "the model must match (searched, case-insensitive), e.g. 'AR2220' or 'C2960'")

    @field_validator("software", "model")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"{value!r} is not a regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _something(self) -> VersionParams:
        if self.software is None and self.model is None:
            raise ValueError("give software, model or both")
        return self


@check_type
class VersionCheck(CheckType[VersionParams]):
    name = "version"
    summary = "the device's model and/or software version match a pattern"
    passes_when = "each given pattern is found (case-insensitive regular expression) in the model / version"
    Params = VersionParams
    fact_kinds = (VERSION,)

    def judge(self, params: VersionParams, fact: FactValue) -> CheckResult:
        seen: DeviceVersion = fact.value
        problems = []
        if params.software and not re.search(params.software, seen.software, re.IGNORECASE):
            problems.append(f"runs {seen.software}, expected software matching {params.software!r}")
        if params.model and not re.search(params.model, seen.model or "", re.IGNORECASE):
            problems.append(f"is a {seen.model or 'device of unknown model'}, expected a model matching "
                            f"{params.model!r}")
        row = as_row(seen)
        message = f"{params.node}: " + ("; ".join(problems) if problems
                                        else f"{seen.model or 'device'} running {seen.software}")
        return self.result(params, verdict(not problems), message, expected=self.expected(params), observed=row,
                           evidence=[evidence_of(fact, [row])])
