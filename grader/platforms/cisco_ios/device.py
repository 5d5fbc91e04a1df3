"""The device facts of cisco_ios: model and software version."""

from __future__ import annotations

from typing import Any

from grader.checks.device import DeviceVersion
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec

Rows = list[dict[str, Any]]


def version(rows: Rows, text: str, request: FactRequest) -> DeviceVersion:
    """``show version``: ``IOS 15.2(4)M3 (C2960-LANBASEK9-M)``, or ``IOS-XE 16.09.03 / 16.9.3 (...)`` when an IOS XE
    line is printed; the model is the ``cisco <model> ... processor`` line's."""
    if len(rows) != 1:
        raise ParseError("no IOS version line in the output")
    row = rows[0]
    system, number = ("IOS-XE", row["xe_version"]) if row["xe_version"] else ("IOS", row["version"])
    if row["xe_version"] and row["version"] != row["xe_version"]:
        number += f" / {row['version']}"  # 16.09.03 / 16.9.3: either spelling matches
    image = f" ({row['software_image']})" if row["software_image"] else ""
    return DeviceVersion(software=f"{system} {number}{image}", model=row["hardware"] or None)


FACTS: dict[str, FactSpec] = {
    "version": FactSpec("show version", version),
}
