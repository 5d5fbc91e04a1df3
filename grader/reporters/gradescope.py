"""Gradescope autograder ``results.json``, using only the fields of Gradescope's "Autograder Specifications".

Each objective is one test. Hidden objectives get ``"visibility": "hidden"`` (Gradescope shows them to
instructors only; note that students then cannot see their total score). ERROR and SKIP objectives are
``"failed"`` with the reason first in their output. The top-level output names no hidden objective.
The specification defines no top-level ``max_score``, so none is written.
"""

from __future__ import annotations

import html
import json
from typing import Any

from grader.model.report import GradeReport, ObjectiveResult, Outcome
from grader.reporters.registry import PLAIN, RenderOptions, report_format
from grader.reporters.text import counts_line, detail_lines, duration_s, is_redacted, num, title_of

_REASON = {Outcome.ERROR: "Could not be graded", Outcome.SKIP: "Not graded (skipped)"}


def _output(obj: ObjectiveResult) -> str:
    if is_redacted(obj):
        return str(obj.outcome)
    lines = [f"{_REASON[obj.outcome]}: {obj.message}" if obj.outcome in _REASON else obj.message]
    if obj.feedback:
        lines.append(f"Hint: {obj.feedback.strip()}")
    if obj.outcome is not Outcome.PASS:
        lines += detail_lines(obj)
    return "\n".join(line for line in lines if line)


def _test(number: int, obj: ObjectiveResult) -> dict[str, Any]:
    return {
        "name": f"{obj.id}: {title_of(obj)}",
        "number": str(number),
        "score": obj.score,
        "max_score": obj.points,
        "status": "passed" if obj.outcome is Outcome.PASS else "failed",
        "output": _output(obj),
        "output_format": "text",  # shown as plain text: nothing in it is markup
        "visibility": "hidden" if obj.hidden else "visible",
    }


def _summary(report: GradeReport) -> str:
    # The top-level output is rendered as HTML ("simple_format"), so text is escaped.
    warnings = "".join(f"\nWarning: {warning}" for warning in report.warnings)
    return html.escape(
        f"{report.lab.title}: {num(report.score)}/{num(report.max_score)} points "
        f"({report.percentage:.1f}%)\n{counts_line(report)}{warnings}"
    )


@report_format('gradescope', summary='Gradescope autograder results.json', suffix='.json')
def render(report: GradeReport, options: RenderOptions = PLAIN) -> str:
    """The report as Gradescope's results.json."""
    results = {
        "score": report.score,
        "execution_time": round(duration_s(report)),
        "output": _summary(report),
        "output_format": "simple_format",  # HTML-escaped text, line breaks kept
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [_test(n, obj) for n, obj in enumerate(report.objectives, start=1)],
    }
    return json.dumps(results, indent=2, allow_nan=False) + "\n"
