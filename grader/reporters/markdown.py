"""Markdown report: heading, score line, objectives table and a "What to fix" section."""

from __future__ import annotations

import re

from grader.model.report import GradeReport, ObjectiveResult, Outcome
from grader.reporters.registry import PLAIN, RenderOptions, report_format
from grader.reporters.text import counts_line, duration_s, is_redacted, num, one_line, points, title_of

# Backslash-escape what Markdown would otherwise read as markup, `|` included (it ends a table cell).
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")


def escape(text: str) -> str:
    """``text`` as one line of literal Markdown, safe inside a table cell."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(report: GradeReport) -> list[str]:
    lines = [_row(["ID", "Objective", "Outcome", "Points", "Message"]), _row(["---"] * 3 + ["---:", "---"])]
    for obj in report.objectives:
        lines.append(_row([escape(obj.id), escape(title_of(obj)), f"**{obj.outcome}**", points(obj),
                           escape(one_line(obj.message))]))
    return lines


def _fix(obj: ObjectiveResult) -> list[str]:
    head = f"- **{escape(obj.id)}** {escape(title_of(obj))} ({obj.outcome}, {points(obj)})"
    if is_redacted(obj):
        return [head]
    lines = [head + (f": {escape(one_line(obj.message))}" if obj.message else "")]
    lines += [f"  - {escape(f'{c.node}: {one_line(c.message)}')}" for c in obj.checks
              if c.outcome is not Outcome.PASS and c.message and one_line(c.message) != one_line(obj.message)]
    if obj.feedback:
        lines.append(f"  - *Hint:* {escape(obj.feedback)}")
    return lines


@report_format('markdown', summary='Markdown: score, objectives table, what to fix', suffix='.md')
def render(report: GradeReport, options: RenderOptions = PLAIN) -> str:
    """The report as GitHub-flavoured Markdown."""
    lines = [
        f"# {escape(report.lab.title)}",
        "",
        f"Lab `{report.lab.id.replace('`', '')}` · source {escape(report.source)} · "
        f"graded {report.finished:%Y-%m-%d %H:%M} in {duration_s(report):.1f} s",
        "",
        f"**Score: {num(report.score)}/{num(report.max_score)} ({report.percentage:.1f}%)** — "
        f"{'passed' if report.passed else 'not passed'} · {counts_line(report)}",
        "",
        *[f"> **Warning:** {escape(one_line(warning, 300))}" for warning in report.warnings],
        *([""] if report.warnings else []),
        *_table(report),
    ]
    broken = [n for n in report.nodes if n.error]
    if broken:
        lines += ["", "## Nodes that could not be read", ""]
        lines += [f"- **{escape(n.node)}** ({escape(n.platform)}): {escape(one_line(n.error))}" for n in broken]
    to_fix = [obj for obj in report.objectives if obj.outcome in (Outcome.FAIL, Outcome.ERROR)]
    lines += ["", "## What to fix", ""]
    if to_fix:
        for obj in to_fix:
            lines += _fix(obj)
    else:
        lines.append("Nothing failed.")
    return "\n".join(lines) + "\n"
