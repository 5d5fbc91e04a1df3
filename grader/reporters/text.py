"""Plain-text pieces shared by reporters: numbers, one-line messages, outcome counts and evidence blocks."""

from __future__ import annotations

from typing import Any

from grader.model.report import Evidence, GradeReport, ObjectiveResult, Outcome
from grader.text import printable

HIDDEN_TITLE = "hidden objective"
MAX_ROWS = 5
MAX_EXCERPT_LINES = 8
MAX_CELL = 40



def num(value: float) -> str:
    """A score as people write it: ``2``, ``1.5``, ``0.33``."""
    return f"{round(value, 2):g}"


def points(obj: ObjectiveResult) -> str:
    return f"{num(obj.score)}/{num(obj.points)}"


def one_line(text: str | None, limit: int = 200) -> str:
    """First line of ``text``, whitespace collapsed and cut to ``limit`` characters."""
    lines = printable(text or "").strip().splitlines()
    line = " ".join(lines[0].split()) if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def is_redacted(obj: ObjectiveResult) -> bool:
    """True for a hidden objective whose details were removed for the student view."""
    return obj.hidden and obj.title == HIDDEN_TITLE


def title_of(obj: ObjectiveResult) -> str:
    """The objective's title, marked when it is hidden but shown (the instructor view)."""
    if obj.hidden and not is_redacted(obj):
        return f"{obj.title} (hidden)"
    return obj.title


def outcome_counts(report: GradeReport) -> dict[Outcome, int]:
    """Objectives per outcome, every outcome present, in declaration order."""
    counts = dict.fromkeys(Outcome, 0)
    for obj in report.objectives:
        counts[obj.outcome] += 1
    return counts


def counts_line(report: GradeReport) -> str:
    return ", ".join(f"{n} {outcome}" for outcome, n in outcome_counts(report).items())


def duration_s(report: GradeReport) -> float:
    return max((report.finished - report.started).total_seconds(), 0.0)


def _more(n: int, noun: str) -> str:
    return f"{n} more {noun}{'' if n == 1 else 's'}"


def _cell(value: Any) -> str:
    text = "" if value is None else " ".join(printable(str(value)).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def row_lines(rows: list[dict[str, Any]], limit: int = MAX_ROWS) -> list[str]:
    """Rows as an aligned plain-text table (header first), at most ``limit`` rows and a "more" line."""
    if not rows:
        return []
    columns = list(dict.fromkeys(key for row in rows for key in row))
    cells = [[_cell(row.get(col)) for col in columns] for row in rows[:limit]]
    widths = [max(len(col), *(len(r[i]) for r in cells)) for i, col in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    if len(rows) > limit:
        lines.append(f"… {_more(len(rows) - limit, 'row')}")
    return lines


def evidence_lines(evidence: Evidence) -> list[str]:
    """``node# command`` followed by a few rows (or excerpt lines), indented by two spaces."""
    body = row_lines(evidence.rows)
    if not body and evidence.excerpt:
        excerpt = printable(evidence.excerpt.rstrip()).splitlines()
        body = excerpt[:MAX_EXCERPT_LINES]
        if len(excerpt) > MAX_EXCERPT_LINES:
            body.append(f"… {_more(len(excerpt) - MAX_EXCERPT_LINES, 'line')}")
    return [printable(f"{evidence.node}# {evidence.command}"), *(f"  {line}" for line in body)]


def detail_lines(obj: ObjectiveResult) -> list[str]:
    """What an objective's checks found: one line per check (its message names the node), then the evidence
    of each check that did not pass, indented."""
    lines: list[str] = []
    for check in obj.checks:
        lines.append(f"{check.outcome} {check.type}: {one_line(check.message)}")
        if check.outcome is not Outcome.PASS:
            lines += [f"    {line}" for ev in check.evidence for line in evidence_lines(ev)]
    return lines
