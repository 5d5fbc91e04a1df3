"""Check results → objective outcomes and points. Pure: ERROR never scores, requires gates, partial credit."""

from __future__ import annotations

from grader.model.lab import Objective
from grader.model.report import CheckResult, ObjectiveResult, Outcome


def objective_outcome(checks: list[CheckResult]) -> Outcome:
    """FAIL if any check failed (a definite no), else ERROR if any could not be judged, else PASS."""
    outcomes = {c.outcome for c in checks}
    if Outcome.FAIL in outcomes:
        return Outcome.FAIL
    if Outcome.ERROR in outcomes:
        return Outcome.ERROR
    return Outcome.PASS


def _message(outcome: Outcome, checks: list[CheckResult]) -> str:
    if outcome is Outcome.PASS:
        return checks[0].message if len(checks) == 1 else f"all {len(checks)} checks passed"
    bad = [c for c in checks if c.outcome is outcome]
    more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
    return bad[0].message + more


def score_objectives(objectives: list[Objective], results: dict[str, list[CheckResult]],
                     waited: dict[str, float] | None = None) -> list[ObjectiveResult]:
    """Objectives in lab order; ``results`` maps objective id → its check results."""
    waited = waited or {}
    outcomes: dict[str, Outcome] = {}
    scored: list[ObjectiveResult] = []
    for objective in objectives:
        checks = results.get(objective.id, [])
        blocked = [r for r in objective.requires if outcomes.get(r) is not Outcome.PASS]
        if blocked:
            outcome, score = Outcome.SKIP, 0.0
            message = f"skipped: requires {', '.join(blocked)}, which did not pass"
            feedback = None
        else:
            outcome = objective_outcome(checks)
            message = _message(outcome, checks)
            if outcome is Outcome.PASS:
                score = objective.points
            elif outcome is Outcome.FAIL and objective.partial:
                passed = sum(c.outcome is Outcome.PASS for c in checks)
                score = round(objective.points * passed / len(checks), 2)
            else:
                score = 0.0
            feedback = objective.feedback.pass_ if outcome is Outcome.PASS else (
                objective.feedback.fail if outcome is Outcome.FAIL else None)
        outcomes[objective.id] = outcome
        scored.append(ObjectiveResult(
            id=objective.id, title=objective.title, points=objective.points, score=score, outcome=outcome,
            message=message, feedback=feedback, hidden=objective.hidden, requires=list(objective.requires),
            waited_s=waited.get(objective.id), checks=checks))
    return scored
