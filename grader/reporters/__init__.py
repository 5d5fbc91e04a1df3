"""Reporters: each turns one ``GradeReport`` (or a class of them) into one output format, reading nothing else.

Every module of this package that registers a format (``registry.report_format``) is imported here.
``render(report, fmt)`` renders one report; ``show_hidden=False`` gives the student view, in which hidden
objectives count towards the score but show only their outcome and points.
"""

from __future__ import annotations

import importlib
import pkgutil

from grader.model.report import GradeReport
from grader.reporters.registry import FORMATS, Reads, RenderOptions, ReportFormat
from grader.reporters.student import student_view
from grader.text import printable, printable_data, without_surrogates

_HELPERS = {"registry", "selfcheck", "student", "text"}

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module not in _HELPERS:
        importlib.import_module(f"{__name__}.{_module}")


def format_names(reads: Reads = "report") -> tuple[str, ...]:
    """The formats that render what ``reads`` names, the terminal first."""
    names = [f.name for f in FORMATS.values() if f.reads == reads]
    return tuple(sorted(names, key=lambda n: (n != "terminal", n)))


def get_format(name: str, reads: Reads = "report") -> ReportFormat:
    fmt = FORMATS.get(name)
    if fmt is None or fmt.reads != reads:
        raise ValueError(f"unknown report format {name!r}; known formats: {', '.join(format_names(reads))}")
    return fmt


def render(report: GradeReport, fmt: str, *, color: bool = False, show_hidden: bool = True) -> str | bytes:
    """``report`` in format ``fmt``; ``color`` applies to the terminal format only.

    Every string of the report (lab titles, messages, device output in evidence) is made safe first: for a
    person's formats without terminal escapes, control characters, bidi overrides or lone surrogates
    (``text.printable``); for JSON without lone surrogates only (JSON escapes the rest)."""
    chosen = get_format(fmt)
    if not show_hidden:
        report = student_view(report)
    return chosen.render(safe(report, machine=fmt == "json"), RenderOptions(color=color))


def safe(report: GradeReport, *, machine: bool = False) -> GradeReport:
    """A copy of ``report`` whose strings are safe to show (see ``render``)."""
    clean = without_surrogates if machine else printable
    return GradeReport.model_validate(printable_data(report.model_dump(), clean=clean))


__all__ = ["FORMATS", "RenderOptions", "ReportFormat", "format_names", "get_format", "render", "student_view"]
