"""The device facts of huawei_vrp: model and software version."""

from __future__ import annotations

from typing import Any

from grader.checks.device import DeviceVersion
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec

Rows = list[dict[str, Any]]


def version(rows: Rows, text: str, request: FactRequest) -> DeviceVersion:
    """``display version``: ``VRP (R) software, Version 5.170 (AR610 V300R019C13SPC200)`` and the model from
    the ``<model> uptime is`` line."""
    if len(rows) != 1 or not rows[0]["vrp_version"]:
        raise ParseError("no VRP version line in the output")
    row = rows[0]
    release = f" ({row['product_version']})" if row["product_version"] else ""
    return DeviceVersion(software=f"VRP {row['vrp_version']}{release}", model=row["model"] or None)


FACTS: dict[str, FactSpec] = {
    "version": FactSpec("display version", version),
}
