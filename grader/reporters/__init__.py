"""Reporters: each turns one ``GradeReport`` into one output format, reading nothing else.

``render(report, fmt)`` picks the format; ``show_hidden=False`` gives the student view, in which hidden
objectives count towards the score but show only their outcome and points.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.model.report import GradeReport
from grader.reporters import gradescope, json_report, junit, markdown, terminal
from grader.reporters.student import student_view

FORMATS = ("terminal", "json", "junit", "gradescope", "markdown")

_RENDERERS: dict[str, Callable[[GradeReport], str]] = {
    "json": json_report.render,
    "junit": junit.render,
    "gradescope": gradescope.render,
    "markdown": markdown.render,
}


def render(report: GradeReport, fmt: str, *, color: bool = False, show_hidden: bool = True) -> str:
    """``report`` in format ``fmt`` (one of ``FORMATS``); ``color`` applies to the terminal format only."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; known formats: {', '.join(FORMATS)}")
    if not show_hidden:
        report = student_view(report)
    if fmt == "terminal":
        return terminal.render(report, color=color)
    return _RENDERERS[fmt](report)


__all__ = ["FORMATS", "render", "student_view"]
