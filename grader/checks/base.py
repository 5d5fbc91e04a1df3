"""What a check type is: validated parameters, the facts it needs, and a pure judgement over them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from grader.model.facts import FactKind, FactRequest, FactValue
from grader.model.report import CheckResult, Evidence, Outcome

Facts = Mapping[FactRequest, FactValue]


class CheckParams(BaseModel):
    """Parameters common to every check. Unknown keys are errors (``extra='forbid'``)."""

    model_config = ConfigDict(extra="forbid")

    node: str = Field(description="the node whose facts the check reads")


class CheckType:
    """A kind of check. Subclasses set ``name``, ``Params``, ``fact_kinds`` and implement ``judge``."""

    name: ClassVar[str]
    summary: ClassVar[str]
    Params: ClassVar[type[CheckParams]]
    fact_kinds: ClassVar[tuple[FactKind, ...]]

    def requests(self, params: CheckParams) -> list[FactRequest]:
        """The facts this check needs (default: each of ``fact_kinds`` from ``params.node``, no arguments)."""
        return [FactRequest.make(params.node, kind) for kind in self.fact_kinds]

    def evaluate(self, params: CheckParams, facts: Facts) -> CheckResult:
        """ERROR when a needed fact is missing or broken, else the check's own judgement."""
        needed = self.requests(params)
        for request in needed:
            fact = facts.get(request)
            if fact is None:
                return self.result(params, Outcome.ERROR, f"{request.node}: no output collected for "
                                   f"{request.kind.replace('_', ' ')}")
            if fact.error is not None:
                return self.result(params, Outcome.ERROR, f"{request.node}: {fact.command!r}: {fact.error}",
                                   evidence=[evidence_of(fact, excerpt_lines=3)])
        return self.judge(params, [facts[r] for r in needed])

    def judge(self, params: CheckParams, facts: list[FactValue]) -> CheckResult:
        raise NotImplementedError

    def result(self, params: CheckParams, outcome: Outcome, message: str, *, expected: Any = None,
               observed: Any = None, evidence: list[Evidence] | None = None) -> CheckResult:
        return CheckResult(type=self.name, node=params.node, outcome=outcome, message=message,
                           expected=expected, observed=observed, evidence=evidence or [])


def evidence_of(fact: FactValue, rows: list[dict[str, Any]] | None = None,
                excerpt_lines: int = 0) -> Evidence:
    """Evidence naming the command; ``rows`` are the parsed rows that mattered."""
    excerpt = None
    if excerpt_lines and fact.raw:
        excerpt = "\n".join(fact.raw.strip().splitlines()[:excerpt_lines]) or None
    return Evidence(node=fact.request.node, command=fact.command, rows=rows or [], excerpt=excerpt)


def verdict(ok: bool) -> Outcome:
    return Outcome.PASS if ok else Outcome.FAIL


def as_row(value: Any) -> dict[str, Any]:
    """A fact object as a flat row for evidence: addresses and names as strings, None left out."""
    from dataclasses import fields, is_dataclass

    if not is_dataclass(value) or isinstance(value, type):
        return {"value": str(value)}
    row: dict[str, Any] = {}
    for field in fields(value):
        item = getattr(value, field.name)
        if item is None or item == ():
            continue
        if isinstance(item, tuple):
            row[field.name] = ", ".join(_plain(v) for v in item)
        elif isinstance(item, bool | int | float):
            row[field.name] = item
        else:
            row[field.name] = str(item)
    return row


def _plain(value: Any) -> str:
    from dataclasses import fields, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return " ".join(str(getattr(value, f.name)) for f in fields(value) if getattr(value, f.name) is not None)
    return str(value)
