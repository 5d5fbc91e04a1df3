"""One grading pass: plan, collect, interpret, judge, and (live) re-check objectives that may still converge.

``run`` is the engine's one entry point; ``grader.engine.session`` wraps it for each source of evidence
(a capture, evidence in memory, live devices) and is what the command line and other callers use.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from grader.engine.collect import collect
from grader.engine.consistency import consistency_warnings
from grader.engine.converge import Convergence
from grader.engine.events import Observer
from grader.engine.facts import interpret
from grader.engine.plan import build_plan
from grader.engine.scoring import score_objectives
from grader.errors import LabFileError
from grader.loader import LoadedLab, ResolvedCheck
from grader.model.evidence import Evidence
from grader.model.facts import FactRequest, FactValue
from grader.model.lab import Objective
from grader.model.report import CheckResult, GradeReport, LabInfo, NodeStatus, Outcome
from grader.templating import render_value
from grader.transport.base import Transport
from grader.version import __version__


@dataclass(frozen=True)
class LiveOptions:
    """Live grading: objectives with ``wait`` are re-checked until they pass or their deadline expires (see
    ``engine.converge``). ``waits`` overrides objectives' ``wait`` (seconds) by id; ``clock``/``sleep`` are
    injectable for tests."""

    waits: Mapping[str, float] = field(default_factory=dict)
    max_wait: float | None = None  # caps every objective's wait (0: judge at once, for converged labs)
    settle: frozenset[str] = frozenset()  # objectives polled until their facts settle (lab validation)
    observer: Observer = field(default_factory=Observer)

    def wait_of(self, objective: Objective) -> float:
        wait = self.waits.get(objective.id, objective.wait)
        return wait if self.max_wait is None else min(wait, self.max_wait)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class Identity:
    """Who and what a report is about (class workflows); both optional."""

    student: str | None = None
    submission: str | None = None


@dataclass(frozen=True)
class Grading:
    """What one grading produces: the report, the evidence it was judged on, and warnings about the
    submission (e.g. a capture made with other variables)."""

    report: GradeReport
    evidence: Evidence
    warnings: tuple[str, ...] = ()


def judge(checks: list[ResolvedCheck], facts: Mapping[FactRequest, FactValue]) -> dict[str, list[CheckResult]]:
    """Every check's result, grouped by objective id (pure)."""
    results: dict[str, list[CheckResult]] = {}
    for resolved in checks:
        results.setdefault(resolved.objective.id, []).append(_judge_one(resolved, facts))
    return results


def _judge_one(resolved: ResolvedCheck, facts: Mapping[FactRequest, FactValue]) -> CheckResult:
    try:
        return resolved.check.evaluate(resolved.params, facts)
    except Exception as exc:  # a defect in a check must show as ERROR for that check, never as a pass
        return resolved.check.result(resolved.params, Outcome.ERROR,
                                     f"{resolved.params.node}: internal error in check "
                                     f"{resolved.check.name!r}: {type(exc).__name__}: {exc}")


def run(loaded: LoadedLab, transport: Transport, variables: dict[str, Any] | None = None, *, source: str,
        live: LiveOptions | None = None, identity: Identity | None = None) -> Grading:
    """Collect through ``transport`` and grade. With ``live``, objectives with ``wait`` are re-checked until
    they pass or their deadline expires, re-running only the commands their failing checks need."""
    started = datetime.now(UTC)
    observer = live.observer if live else None
    checks = loaded.resolve(variables)
    topology = loaded.topology
    plan = build_plan(checks, topology)
    t0 = live.clock() if live else 0.0
    evidence = collect(plan.commands, topology, transport, observer)
    facts = interpret(plan, evidence, topology)
    results = judge(checks, facts)
    waited: dict[str, float] = {}
    if live is not None:
        convergence = Convergence(topology, checks, facts, results, evidence, transport, _judge_one, live.clock,
                                  live.sleep, live.observer)
        waits = {o.id: live.wait_of(o) for o in loaded.lab.objectives}
        waited = convergence.run(loaded.lab.objectives, waits, live.settle, t0)
    report = build_report(loaded, variables, results, evidence, plan.commands, source=source, started=started,
                          waited=waited, identity=identity or Identity())
    return with_warnings(Grading(report=report, evidence=evidence), consistency_warnings(topology, facts))


def with_warnings(grading: Grading, warnings: list[str]) -> Grading:
    """``grading`` with ``warnings`` added to its report and its own list."""
    if not warnings:
        return grading
    report = grading.report.model_copy(update={"warnings": [*grading.report.warnings, *warnings]})
    return Grading(report=report, evidence=grading.evidence, warnings=(*grading.warnings, *warnings))


def with_variables(objective: Objective, values: dict[str, Any]) -> Objective:
    """The objective with its title and feedback rendered with the lab variables, as its checks are (a text
    that does not render is kept as written: ``labgrader lint`` reports it)."""
    def text(value: str | None) -> str | None:
        try:
            return render_value(value, values, "objective text")
        except LabFileError:
            return value

    feedback = objective.feedback.model_copy(update={"pass_": text(objective.feedback.pass_),
                                                     "fail": text(objective.feedback.fail)})
    return objective.model_copy(update={"title": text(objective.title), "feedback": feedback})


def build_report(loaded: LoadedLab, variables: dict[str, Any] | None, results: dict[str, list[CheckResult]],
                 evidence: Evidence, commands: dict[str, list[str]], *, source: str, started: datetime,
                 waited: dict[str, float] | None = None, identity: Identity | None = None) -> GradeReport:
    lab = loaded.lab
    identity = identity or Identity()
    values = loaded.variables(variables)
    objectives = score_objectives([with_variables(o, values) for o in lab.objectives], results, waited)
    score = round(sum(o.score for o in objectives), 2)
    max_score = lab.max_score
    counts = {outcome.value: sum(o.outcome is outcome for o in objectives) for outcome in Outcome}
    nodes = [NodeStatus(node=name, platform=node.platform, commands=len(commands.get(name, [])),
                        error=evidence[name].error if name in evidence else None)
             for name, node in loaded.topology.nodes.items() if name in commands]
    return GradeReport(
        tool_version=__version__,
        lab=LabInfo(id=lab.id, title=lab.title, track=lab.track, level=lab.level),
        student=identity.student, submission=identity.submission,
        variables=loaded.variables(variables), source=source, started=started, finished=datetime.now(UTC),
        score=score, max_score=max_score, percentage=round(100 * score / max_score, 1) if max_score else 0.0,
        passed=all(o.outcome is Outcome.PASS for o in objectives), counts=counts, nodes=nodes,
        objectives=objectives)
