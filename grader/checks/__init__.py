"""Vendor-neutral check types. A check names the facts it needs and judges them; it never talks to devices.

Every module of this package is imported here, so its ``@check_type`` classes and ``fact_kind`` declarations
land in the registries (``CHECK_TYPES``, ``FACT_KINDS``). Adding a check type is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil

from grader.checks.base import CheckParams, CheckType, Facts
from grader.checks.registry import CHECK_TYPES, FACT_KINDS, FactKindInfo

__all__ = ["CHECK_TYPES", "FACT_KINDS", "CheckParams", "CheckType", "FactKindInfo", "Facts"]

_NOT_CHECKS = {"base", "registry"}

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module not in _NOT_CHECKS:
        importlib.import_module(f"{__name__}.{_module}")
