"""Scoring: only PASS scores, ERROR never does, requires gates with SKIP, partial credit is proportional."""

from __future__ import annotations

from grader.engine.scoring import score_objectives
from grader.model.lab import CheckSpec, Feedback, Objective
from grader.model.report import CheckResult, Outcome


def objective(oid: str, points: float = 10, requires: list[str] | None = None, partial: bool = False) -> Objective:
    return Objective(id=oid, title=oid.title(), points=points, checks=[CheckSpec(type="hostname")],
                     requires=requires or [], partial=partial,
                     feedback=Feedback.model_validate({"pass": "well done", "fail": "try again"}))


def result(outcome: Outcome, message: str = "r1: something") -> CheckResult:
    return CheckResult(type="hostname", node="r1", outcome=outcome, message=message)


def test_outcomes_and_points() -> None:
    objectives = [objective("a"), objective("b"), objective("c"), objective("d")]
    scored = score_objectives(objectives, {
        "a": [result(Outcome.PASS)],
        "b": [result(Outcome.PASS), result(Outcome.FAIL, "r1: bad")],
        "c": [result(Outcome.ERROR, "r1: timeout"), result(Outcome.PASS)],
        "d": [result(Outcome.ERROR, "r1: timeout"), result(Outcome.FAIL, "r1: wrong")],
    })
    assert [(o.outcome, o.score) for o in scored] == [
        (Outcome.PASS, 10), (Outcome.FAIL, 0), (Outcome.ERROR, 0), (Outcome.FAIL, 0)]
    assert scored[1].message == "r1: bad"
    assert scored[2].message == "r1: timeout"
    assert scored[0].feedback == "well done" and scored[1].feedback == "try again"
    assert scored[2].feedback is None  # a hint would mislead when nothing could be judged


def test_requires_gates_with_skip() -> None:
    objectives = [objective("a"), objective("b", requires=["a"]), objective("c", requires=["b"])]
    scored = score_objectives(objectives, {"a": [result(Outcome.ERROR)], "b": [result(Outcome.PASS)],
                                           "c": [result(Outcome.PASS)]})
    assert [o.outcome for o in scored] == [Outcome.ERROR, Outcome.SKIP, Outcome.SKIP]
    assert sum(o.score for o in scored) == 0
    assert scored[1].message == "skipped: requires a, which did not pass"


def test_partial_credit_only_for_fail_never_for_error() -> None:
    objectives = [objective("a", points=20, partial=True), objective("b", points=20, partial=True)]
    scored = score_objectives(objectives, {
        "a": [result(Outcome.PASS), result(Outcome.PASS), result(Outcome.PASS), result(Outcome.FAIL)],
        "b": [result(Outcome.PASS), result(Outcome.ERROR)],
    })
    assert scored[0].outcome is Outcome.FAIL and scored[0].score == 15
    assert scored[1].outcome is Outcome.ERROR and scored[1].score == 0
    assert "(and" not in scored[0].message


def test_message_counts_further_failures() -> None:
    scored = score_objectives([objective("a")], {"a": [result(Outcome.FAIL, "r1: x"), result(Outcome.FAIL)]})
    assert scored[0].message == "r1: x (and 1 more)"
