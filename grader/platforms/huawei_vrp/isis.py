"""The IS-IS facts of huawei_vrp: adjacencies."""

from __future__ import annotations

from typing import Any

from grader.checks.isis import IsisNeighbor, isis_state
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.vendor_common import interface_name

Rows = list[dict[str, Any]]

# "L1(L1L2)" is the level-1 adjacency of a circuit running both levels: a row per level.
_LEVELS = {"L1": "L1", "L2": "L2", "L12": "L12", "L1(L1L2)": "L1", "L2(L1L2)": "L2"}


def isis_neighbors(rows: Rows, text: str, request: FactRequest) -> list[IsisNeighbor]:
    """``display isis peer``: a host name too long for its column goes on on the next line (joined here);
    a trailing ``*`` of the name is dropped."""
    result = []
    for row in rows:
        level = _LEVELS.get(row["type"])
        if level is None:
            raise ParseError(f"IS-IS peer {row['system_id']} has an unknown type {row['type']!r}")
        result.append(IsisNeighbor(
            system_id=(row["system_id"] + row["system_id_tail"]).rstrip("*"),
            interface=interface_name(row["interface"]),
            level=level,  # type: ignore[arg-type]
            state=isis_state(row["state"]),
            process=row["process_id"] or None,
        ))
    return result


FACTS: dict[str, FactSpec] = {
    "isis_neighbors": FactSpec("display isis peer", isis_neighbors),
}
