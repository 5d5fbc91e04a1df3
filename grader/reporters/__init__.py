"""Reporters: each turns one ``GradeReport`` into one output format, reading nothing else.

``render(report, fmt)`` picks the format; ``show_hidden=False`` gives the student view, in which hidden
objectives count towards the score but show only their outcome and points.
"""

from __future__ import annotations

from importlib import import_module

from grader.model.report import GradeReport
from grader.reporters.student import student_view

FORMATS = ("terminal", "json", "junit", "gradescope", "markdown")

# Format → module, imported on first use (the terminal format pulls in rich).
_MODULES = {"terminal": "terminal", "json": "json_report", "junit": "junit", "gradescope": "gradescope",
            "markdown": "markdown"}


def render(report: GradeReport, fmt: str, *, color: bool = False, show_hidden: bool = True) -> str:
    """``report`` in format ``fmt`` (one of ``FORMATS``); ``color`` applies to the terminal format only."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; known formats: {', '.join(FORMATS)}")
    if not show_hidden:
        report = student_view(report)
    module = import_module(f"{__name__}.{_MODULES[fmt]}")
    if fmt == "terminal":
        return module.render(report, color=color)
    return module.render(report)


__all__ = ["FORMATS", "render", "student_view"]
