"""What a check type is: validated parameters, the facts it needs, and a pure judgement over them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from grader.model.facts import FactRequest, FactValue
from grader.model.report import CheckResult, Evidence, Outcome

Facts = Mapping[FactRequest, FactValue]


class CheckParams(BaseModel):
    """Parameters common to every check. Unknown keys are errors (``extra='forbid'``)."""

    model_config = ConfigDict(extra="forbid")

    node: str = Field(min_length=1, description="the node whose facts the check reads")


P = TypeVar("P", bound=CheckParams)


class CheckType(Generic[P]):
    """A kind of check. Subclasses set the class attributes and implement ``judge`` (one fact) or, when
    they read several facts, ``judge_all``. Register a subclass with ``@check_type`` (``checks.registry``).

    ``summary`` is one line for ``labgrader checks``; ``passes_when`` completes "the check passes when ..."
    in the generated check table of the lab-format documentation.
    """

    name: ClassVar[str]
    summary: ClassVar[str]
    passes_when: ClassVar[str]
    Params: ClassVar[type[CheckParams]]
    fact_kinds: ClassVar[tuple[str, ...]]

    def requests(self, params: P) -> list[FactRequest]:
        """The facts this check needs (default: each of ``fact_kinds`` from ``params.node``, no arguments)."""
        return [FactRequest.make(params.node, kind) for kind in self.fact_kinds]

    def evaluate(self, params: P, facts: Facts) -> CheckResult:
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
        return self.judge_all(params, [facts[r] for r in needed])

    def judge_all(self, params: P, facts: list[FactValue]) -> CheckResult:
        """Judge every needed fact (in ``requests`` order); by default the one fact a check reads."""
        return self.judge(params, facts[0])

    def judge(self, params: P, fact: FactValue) -> CheckResult:
        raise NotImplementedError(f"check {self.name!r} implements neither judge nor judge_all")

    def result(self, params: P, outcome: Outcome, message: str, *, expected: Any = None,
               observed: Any = None, evidence: list[Evidence] | None = None) -> CheckResult:
        return CheckResult(type=self.name, node=params.node, outcome=outcome, message=message,
                           expected=expected, observed=observed, evidence=evidence or [])

    def expected(self, params: P) -> dict[str, Any]:
        """The check's parameters as the report's ``expected`` value (``node`` and unset ones left out)."""
        return params.model_dump(mode="json", exclude={"node"}, exclude_none=True)


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
    if is_dataclass(value) and not isinstance(value, type):
        return " ".join(str(getattr(value, f.name)) for f in fields(value) if getattr(value, f.name) is not None)
    return str(value)
