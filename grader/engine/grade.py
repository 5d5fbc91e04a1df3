"""One grading pass: plan, collect, interpret, judge, and (live) re-check objectives that may still converge."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from grader import __version__
from grader.engine.collect import collect
from grader.engine.events import Observer
from grader.engine.facts import interpret
from grader.engine.plan import build_plan
from grader.engine.scoring import score_objectives
from grader.loader import LoadedLab, ResolvedCheck
from grader.model.evidence import Evidence
from grader.model.facts import FactRequest, FactValue
from grader.model.report import CheckResult, GradeReport, LabInfo, NodeStatus, Outcome
from grader.model.topology import Topology
from grader.transport.base import Transport

POLL_INTERVAL_S = 1.0


def judge(checks: list[ResolvedCheck], facts: dict[FactRequest, FactValue]) -> dict[str, list[CheckResult]]:
    """Every check's result, grouped by objective id (pure)."""
    results: dict[str, list[CheckResult]] = {}
    for resolved in checks:
        results.setdefault(resolved.objective.id, []).append(_judge_one(resolved, facts))
    return results


def _judge_one(resolved: ResolvedCheck, facts: dict[FactRequest, FactValue]) -> CheckResult:
    try:
        return resolved.check.evaluate(resolved.params, facts)
    except Exception as exc:  # a defect in a check must show as ERROR for that check, never as a pass
        return resolved.check.result(resolved.params, Outcome.ERROR,
                                     f"{resolved.params.node}: internal error in check "
                                     f"{resolved.check.name!r}: {type(exc).__name__}: {exc}")


def grade_evidence(loaded: LoadedLab, evidence: Evidence, variables: dict[str, Any] | None = None, *,
                   source: str) -> GradeReport:
    """Grade evidence already collected: a pure function of (lab, variables, evidence)."""
    from grader.transport.replay import ReplayTransport

    return grade(loaded, ReplayTransport.from_evidence(evidence), variables, source=source)


def grade(loaded: LoadedLab, transport: Transport, variables: dict[str, Any] | None = None, *, source: str,
          live: bool = False, observer: Observer | None = None,
          clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
          evidence_sink: Evidence | None = None, waits: dict[str, float] | None = None) -> GradeReport:
    """Collect through ``transport`` and grade. With ``live``, objectives with ``wait`` are re-checked until they
    pass or their deadline expires, re-running only the commands their failing checks need.
    ``evidence_sink`` (a dict) receives the newest output of every command, e.g. to write a capture.
    ``waits`` overrides objectives' ``wait`` (seconds) by id."""
    started = datetime.now(UTC)
    t0 = clock()
    checks = loaded.resolve(variables)
    topology = loaded.topology
    plan = build_plan(checks, topology)
    evidence = collect(plan.commands, topology, transport, observer)
    facts = interpret(plan, evidence, topology)
    results = judge(checks, facts)
    waited: dict[str, float] = {}
    if live:
        wait_for = {o.id: o.wait for o in loaded.lab.objectives}
        wait_for.update(waits or {})
        waited = _wait_for_convergence(loaded.topology, wait_for, checks, facts, results, evidence, transport,
                                       observer, clock, sleep, t0)
    if evidence_sink is not None:
        evidence_sink.update(evidence)
    return build_report(loaded, variables, results, evidence, plan.commands, source=source, started=started,
                        waited=waited)


def _wait_for_convergence(topology: Topology, wait_for: dict[str, float], checks: list[ResolvedCheck],
                          facts: dict[FactRequest, FactValue], results: dict[str, list[CheckResult]],
                          evidence: Evidence, transport: Transport, observer: Observer | None,
                          clock: Callable[[], float], sleep: Callable[[float], None], t0: float) -> dict[str, float]:
    deadlines = {oid: t0 + wait for oid, wait in wait_for.items() if wait > 0}
    waited: dict[str, float] = {}

    def passing(objective_id: str) -> bool:
        return all(c.outcome is Outcome.PASS for c in results.get(objective_id, []))

    for objective_id in deadlines:
        if passing(objective_id):
            waited[objective_id] = 0.0
    while True:
        now = clock()
        pending = [o for o, deadline in deadlines.items() if o not in waited and now < deadline]
        for objective_id, deadline in deadlines.items():
            if objective_id not in waited and now >= deadline:
                waited[objective_id] = round(deadline - t0, 2)
        if not pending:
            return waited
        if observer:
            observer.waiting(pending, max(deadlines[o] for o in pending) - now)
        sleep(min(POLL_INTERVAL_S, max(0.0, min(deadlines[o] for o in pending) - now)))
        recheck = [c for c in checks if c.objective.id in pending
                   and results[c.objective.id][c.index].outcome is not Outcome.PASS]
        subplan = build_plan(recheck, topology)
        fresh = collect(subplan.commands, topology, transport, observer)
        for node, node_evidence in fresh.items():
            if node_evidence.error or node not in evidence or evidence[node].error:
                evidence[node] = node_evidence
            else:
                evidence[node].outputs.update(node_evidence.outputs)
        facts.update(interpret(subplan, fresh, topology))
        for objective_id in pending:
            results[objective_id] = [_judge_one(c, facts) for c in checks if c.objective.id == objective_id]
            if passing(objective_id):
                waited[objective_id] = round(clock() - t0, 2)


def build_report(loaded: LoadedLab, variables: dict[str, Any] | None, results: dict[str, list[CheckResult]],
                 evidence: Evidence, commands: dict[str, list[str]], *, source: str, started: datetime,
                 waited: dict[str, float] | None = None) -> GradeReport:
    lab = loaded.lab
    objectives = score_objectives(lab.objectives, results, waited)
    score = round(sum(o.score for o in objectives), 2)
    max_score = lab.max_score
    counts = {outcome.value: sum(o.outcome is outcome for o in objectives) for outcome in Outcome}
    nodes = [NodeStatus(node=name, platform=node.platform, commands=len(commands.get(name, [])),
                        error=evidence[name].error if name in evidence else None)
             for name, node in loaded.topology.nodes.items() if name in commands]
    return GradeReport(
        tool_version=__version__,
        lab=LabInfo(id=lab.id, title=lab.title, track=lab.track, level=lab.level),
        variables=loaded.variables(variables), source=source, started=started, finished=datetime.now(UTC),
        score=score, max_score=max_score, percentage=round(100 * score / max_score, 1) if max_score else 0.0,
        passed=all(o.outcome is Outcome.PASS for o in objectives), counts=counts, nodes=nodes,
        objectives=objectives)
