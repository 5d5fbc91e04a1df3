"""The registries of check types and fact kinds: the one place each is listed.

A check module declares the fact kinds it introduces with ``fact_kind`` and registers its check types with
the ``@check_type`` decorator. Everything that lists checks or kinds (``labgrader checks``, the lab JSON
Schema, the check table of ``docs/lab-format.md``, the platform tables' validation) reads these dicts, so a
new check type is one new module here plus the platform rows that provide its facts.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from grader.checks.base import CheckType


@dataclass(frozen=True)
class FactKindInfo:
    """A kind of fact platforms can be asked for: its name, what it holds, and the module declaring it."""

    name: str
    summary: str
    module: str
    # What of a value counts as a change while lab validation waits for the network to settle (default: all
    # of it); e.g. a BGP session cycling Active/Connect towards a wrong address is not converging.
    settle_view: Callable[[Any], Any] | None = None


FACT_KINDS: dict[str, FactKindInfo] = {}
CHECK_TYPES: dict[str, CheckType] = {}

_C = TypeVar("_C", bound="type[CheckType]")


def fact_kind(name: str, summary: str, *, settle_view: Callable[[Any], Any] | None = None) -> str:
    """Declare a fact kind (once); returns its name for use in ``fact_kinds`` and platform tables."""
    frame = inspect.currentframe()
    caller = str(frame.f_back.f_globals.get("__name__", "?")) if frame and frame.f_back else "?"
    known = FACT_KINDS.get(name)
    if known is not None and known.module != caller:
        raise ValueError(f"fact kind {name!r} is declared twice ({known.module} and {caller})")
    FACT_KINDS[name] = FactKindInfo(name, summary, caller, settle_view)
    return name


def check_type(cls: _C) -> _C:
    """Class decorator: register one instance of a check type under its ``name``."""
    name = cls.name
    if name in CHECK_TYPES and type(CHECK_TYPES[name]) is not cls:
        raise ValueError(f"check type {name!r} is registered twice")
    undeclared = [kind for kind in cls.fact_kinds if kind not in FACT_KINDS]
    if undeclared:
        raise ValueError(f"check type {name!r} needs undeclared fact kinds {undeclared}")
    CHECK_TYPES[name] = cls()
    return cls
