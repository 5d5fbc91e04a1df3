"""The cabling facts of huawei_vrp: LLDP neighbours (VRP has no CDP)."""

from __future__ import annotations

from typing import Any

from grader.checks.cabling import LldpNeighbor
from grader.errors import UnsupportedError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.vendor_common import interface_name

Rows = list[dict[str, Any]]


def lldp_neighbors(rows: Rows, text: str, request: FactRequest) -> list[LldpNeighbor]:
    """``display lldp neighbor brief``: local interface, neighbour device (system name), neighbour port."""
    return [
        LldpNeighbor(local_interface=interface_name(row["local_interface"]) or row["local_interface"],
                     device=row["neighbor_device"], port=row["neighbor_interface"] or None)
        for row in rows
    ]


def _command(request: FactRequest) -> str:
    if request.arg("protocol") == "cdp":
        raise UnsupportedError("Huawei VRP speaks LLDP, not CDP")
    return "display lldp neighbor brief"


FACTS: dict[str, FactSpec] = {
    "lldp_neighbors": FactSpec(_command, lldp_neighbors),
}
