"""The student view of a report: hidden objectives keep their outcome and points, lose everything else."""

from __future__ import annotations

from grader.model.report import GradeReport, ObjectiveResult
from grader.reporters.text import HIDDEN_TITLE


def student_view(report: GradeReport) -> GradeReport:
    """A copy of ``report`` in which each hidden objective shows only its outcome and points.

    Its id becomes ``hidden-<n>`` (ids tend to name what is checked), and ``requires`` lists are rewritten to
    match; title, message, feedback and checks (with their expected/observed values and evidence) are dropped.
    """
    renamed = {
        obj.id: f"hidden-{n}"
        for n, obj in enumerate((o for o in report.objectives if o.hidden), start=1)
    }
    objectives: list[ObjectiveResult] = []
    for obj in report.objectives:
        requires = [renamed.get(req, req) for req in obj.requires]
        if obj.hidden:
            obj = obj.model_copy(update={
                "id": renamed[obj.id], "title": HIDDEN_TITLE, "message": "", "feedback": None, "checks": [],
            })
        objectives.append(obj.model_copy(update={"requires": requires}))
    return report.model_copy(update={"objectives": objectives})
