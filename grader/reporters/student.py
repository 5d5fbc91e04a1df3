"""The student view of a report: hidden objectives keep their outcome and points, lose everything else."""

from __future__ import annotations

import re

from grader.model.report import GradeReport, ObjectiveResult
from grader.reporters.text import HIDDEN_TITLE


def student_view(report: GradeReport) -> GradeReport:
    """A copy of ``report`` in which each hidden objective shows only its outcome and points.

    Its id becomes ``hidden-<n>`` (ids tend to name what is checked) wherever it appears: ``requires`` lists
    and the messages of visible objectives (e.g. "skipped: requires <id>"). Title, message, feedback and
    checks (with their expected/observed values and evidence) of hidden objectives are dropped.
    """
    renamed = {
        obj.id: f"hidden-{n}"
        for n, obj in enumerate((o for o in report.objectives if o.hidden), start=1)
    }
    if not renamed:
        return report
    ids = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(renamed, key=len, reverse=True)))
                     + r")(?![\w-])")

    def mask(text: str) -> str:
        return ids.sub(lambda m: renamed[m.group(1)], text)

    objectives: list[ObjectiveResult] = []
    for obj in report.objectives:
        if obj.hidden:
            objectives.append(obj.model_copy(update={
                "id": renamed[obj.id], "title": HIDDEN_TITLE, "message": "", "feedback": None, "checks": [],
                "requires": [renamed.get(req, req) for req in obj.requires],
            }))
            continue
        objectives.append(obj.model_copy(update={
            "message": mask(obj.message),
            "feedback": None if obj.feedback is None else mask(obj.feedback),
            "requires": [renamed.get(req, req) for req in obj.requires],
            "checks": [c.model_copy(update={"message": mask(c.message)}) for c in obj.checks],
        }))
    return report.model_copy(update={"objectives": objectives})
