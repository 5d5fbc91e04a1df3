"""The IS-IS facts of cisco_ios: adjacencies."""

from __future__ import annotations

from typing import Any

from grader.checks.isis import IsisNeighbor, isis_state
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.vendor_common import interface_name

Rows = list[dict[str, Any]]

_LEVELS = {"L1": "L1", "L2": "L2", "L1L2": "L12"}


def isis_neighbors(rows: Rows, text: str, request: FactRequest) -> list[IsisNeighbor]:
    """``show isis neighbors``: type L1, L2 or L1L2 (one row at both levels, point-to-point); ES/IS rows
    (end systems, ISO IGRP) are not IS-IS router adjacencies and are left out."""
    result = []
    for row in rows:
        if row["type"] in ("ES", "IS"):
            continue
        level = _LEVELS.get(row["type"])
        if level is None:
            raise ParseError(f"IS-IS neighbor {row['system_id']} has an unknown type {row['type']!r}")
        result.append(IsisNeighbor(
            system_id=row["system_id"],
            interface=interface_name(row["interface"]),
            level=level,  # type: ignore[arg-type]
            state=isis_state(row["state"]),
            process=row["tag"] or None,
        ))
    return result


FACTS: dict[str, FactSpec] = {
    "isis_neighbors": FactSpec("show isis neighbors", isis_neighbors),
}
