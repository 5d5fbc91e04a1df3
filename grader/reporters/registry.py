"""The registry of report formats. A reporter module registers its ``render`` function with
``@report_format``, saying what it reads (one ``GradeReport``, or a class of them) and what it writes (text or
bytes); the command line lists formats from here. Adding a format is adding a module to this package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

Reads = Literal["report", "class"]
Writes = Literal["text", "bytes"]


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices a format may honour (others ignore them)."""

    color: bool = False  # ANSI colours (terminal)
    # class exports
    assignment_id: str | None = None  # the gradebook's id of the assignment the grades go to (Canvas)


PLAIN = RenderOptions()


@dataclass(frozen=True)
class ReportFormat:
    name: str
    reads: Reads
    writes: Writes
    suffix: str  # file name suffix, e.g. ".json"
    summary: str
    render: Callable[[Any, RenderOptions], str | bytes]


FORMATS: dict[str, ReportFormat] = {}

_F = TypeVar("_F", bound=Callable[..., Any])


def report_format(name: str, *, summary: str, suffix: str, reads: Reads = "report",
                  writes: Writes = "text") -> Callable[[_F], _F]:
    """Register the decorated ``render(subject, options)`` as format ``name``."""
    def register(render: _F) -> _F:
        known = FORMATS.get(name)
        if known is not None and known.render.__qualname__ != render.__qualname__:  # (a module run as __main__
            raise ValueError(f"report format {name!r} is registered twice")        # registers itself again)
        FORMATS[name] = ReportFormat(name, reads, writes, suffix, summary, render)
        return render
    return register
