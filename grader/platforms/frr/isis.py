"""The IS-IS facts of frr: adjacencies."""

from __future__ import annotations

from typing import Any

from grader.checks.isis import IsisNeighbor, isis_state
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec

Rows = list[dict[str, Any]]

# level 3 is one adjacency at both levels (a point-to-point circuit of a level-1-2 router)
_LEVELS = {"1": "L1", "2": "L2", "3": "L12"}


def isis_neighbors(rows: Rows, text: str, request: FactRequest) -> list[IsisNeighbor]:
    """``show isis neighbor``: level 1, 2 or 3 (both); state Up, Initializing, Down; the area tag as process."""
    result = []
    for row in rows:
        level = _LEVELS.get(row["level"])
        if level is None:
            raise ParseError(f"IS-IS neighbor {row['system_id']} has no level")
        result.append(IsisNeighbor(system_id=row["system_id"], interface=row["interface"] or None,
                                   level=level, state=isis_state(row["state"]),  # type: ignore[arg-type]
                                   process=row["area"] or None))
    return result


FACTS: dict[str, FactSpec] = {
    "isis_neighbors": FactSpec("show isis neighbor", isis_neighbors),
}
