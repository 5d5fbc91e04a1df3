"""What a student sees from ``labgrader check``: the visible objectives with their hints, nothing hidden.

Hidden objectives are counted (how many, how many points) but never named, and their outcomes are not shown
(the total score would give them away, so only the visible share is printed). Messages of visible objectives
go through ``student_view`` first, so they name no hidden objective either.
"""

from __future__ import annotations

from grader.model.report import GradeReport, Outcome
from grader.reporters.student import student_view
from grader.reporters.text import num, one_line, points


def render_self_check(report: GradeReport) -> str:
    """The self-check text: visible objectives, their messages and hints; hidden ones only counted."""
    report = student_view(report)
    visible = [o for o in report.objectives if not o.hidden]
    hidden = [o for o in report.objectives if o.hidden]
    score = sum(o.score for o in visible)
    total = sum(o.points for o in visible)
    who = f" for {one_line(report.student)}" if report.student else ""
    lines = [f"{one_line(report.lab.title)} ({report.lab.id}): self-check{who}",
             f"source: {one_line(report.source)}", ""]
    lines += [f"WARNING: {one_line(w, 300)}" for w in report.warnings]
    lines += [f"node {one_line(n.node)} could not be read: {one_line(n.error)}" for n in report.nodes if n.error]
    if report.warnings or any(n.error for n in report.nodes):
        lines.append("")
    width = max((len(o.id) for o in visible), default=0)
    for obj in visible:
        lines.append(f"{obj.outcome!s:<5}  {obj.id:<{width}}  {one_line(obj.title, 80)}  ({points(obj)})")
        if obj.outcome is not Outcome.PASS:
            lines += [f"       {one_line(c.message, 300)}" for c in obj.checks if c.outcome is not Outcome.PASS]
            if not obj.checks and obj.message:
                lines.append(f"       {one_line(obj.message, 300)}")
            if obj.feedback:
                lines.append(f"       hint: {one_line(obj.feedback, 300)}")
    lines += ["", f"visible objectives: {num(score)}/{num(total)} points, "
                  f"{sum(o.outcome is Outcome.PASS for o in visible)} of {len(visible)} passed"]
    if hidden:
        lines.append(f"{len(hidden)} hidden objective{'s' if len(hidden) != 1 else ''} "
                     f"({num(sum(o.points for o in hidden))} points) {'are' if len(hidden) != 1 else 'is'} graded "
                     "by your instructor and not shown here")
    return "\n".join(lines) + "\n"
