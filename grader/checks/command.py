"""``command``: any command, parsed by a named TextFSM template or a regex, with expected rows.

The escape hatch for what the built-in checks lack. ``rows`` lists row patterns that must each match at
least one parsed row; ``absent`` lists patterns no row may match; a pattern maps field → regex (full match,
case-insensitive). With ``regex`` the named groups of every match are the rows.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, field_validator, model_validator

from grader.checks.base import CheckParams, CheckType, evidence_of, verdict
from grader.checks.registry import check_type, fact_kind
from grader.errors import GraderError
from grader.model.facts import FactRequest, FactValue
from grader.model.report import CheckResult, Outcome
from grader.parsing import parse_with_template, resolve_template_name

COMMAND = fact_kind("command", "the raw output of any command (arg: command)")

RowPattern = dict[str, str]


class CommandParams(CheckParams):
    command: str = Field(description="the command to run, e.g. 'display vrrp brief'")
    template: str | None = Field(default=None, description="TextFSM template file name (ours or ntc-templates')")
    regex: str | None = Field(default=None, description="regex with named groups; each match is a row")
    rows: list[RowPattern] = Field(default_factory=list, description="each must match at least one row")
    absent: list[RowPattern] = Field(default_factory=list, description="none may match any row")
    min_rows: int | None = Field(default=None, ge=0, description="at least this many rows")

    @field_validator("regex")
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                if not re.compile(value, re.MULTILINE).groupindex:
                    raise ValueError("the regex has no named groups (?P<name>...)")
            except re.error as exc:
                raise ValueError(f"bad regex: {exc}") from None
        return value

    @field_validator("template")
    @classmethod
    def _template_exists(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                resolve_template_name(value)
            except GraderError as exc:
                raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _one_parser(self) -> CommandParams:
        if (self.template is None) == (self.regex is None):
            raise ValueError("give exactly one of 'template' or 'regex'")
        if not (self.rows or self.absent or self.min_rows is not None):
            raise ValueError("give at least one of 'rows', 'absent' or 'min_rows'")
        return self


def _row_matches(row: dict[str, Any], pattern: RowPattern) -> bool:
    return all(re.fullmatch(want, str(row.get(key.lower(), "")), re.IGNORECASE) for key, want in pattern.items())


def rows_of(params: CommandParams, text: str) -> list[dict[str, Any]]:
    if params.template is not None:
        return parse_with_template(resolve_template_name(params.template), text)
    assert params.regex is not None
    return [{k.lower(): v for k, v in m.groupdict().items()}
            for m in re.finditer(params.regex, text, re.MULTILINE)]


@check_type
class CommandCheck(CheckType[CommandParams]):
    name = "command"
    summary = "any command, parsed by a named TextFSM template or a regex, with expected rows"
    passes_when = ("the command's parsed rows match: each `rows` pattern (field → regex) matches a row; "
                   "no `absent` pattern does")
    Params = CommandParams
    fact_kinds = (COMMAND,)

    def requests(self, params: CommandParams) -> list[FactRequest]:
        return [FactRequest.make(params.node, COMMAND, command=params.command)]

    def judge(self, params: CommandParams, fact: FactValue) -> CheckResult:
        try:
            rows = rows_of(params, fact.value.text)
        except GraderError as exc:
            return self.result(params, Outcome.ERROR, f"{params.node}: {params.command!r}: {exc}",
                               evidence=[evidence_of(fact, excerpt_lines=5)])
        problems = [f"no row matches {p}" for p in params.rows if not any(_row_matches(r, p) for r in rows)]
        hits = [r for p in params.absent for r in rows if _row_matches(r, p)]
        problems += [f"unexpected row {r}" for r in hits]
        if params.min_rows is not None and len(rows) < params.min_rows:
            problems.append(f"{len(rows)} rows, expected at least {params.min_rows}")
        shown = [r for r in rows if any(_row_matches(r, p) for p in params.rows)] + hits or rows[:10]
        message = (f"{params.node}: '{params.command}' " + "; ".join(problems) if problems
                   else f"{params.node}: '{params.command}' output is as expected")
        return self.result(params, verdict(not problems), message,
                           expected=params.model_dump(mode="json", include={"rows", "absent", "min_rows"},
                                                      exclude_none=True),
                           observed=len(rows), evidence=[evidence_of(fact, shown)])
