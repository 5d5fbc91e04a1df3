"""The cabling facts of cisco_ios: LLDP neighbours, or CDP neighbours (arg protocol=cdp)."""

from __future__ import annotations

from typing import Any

from grader.checks.cabling import LldpNeighbor
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.vendor_common import interface_name

Rows = list[dict[str, Any]]


def lldp_neighbors(rows: Rows, text: str, request: FactRequest) -> list[LldpNeighbor]:
    """``show lldp neighbors`` / ``show cdp neighbors``: device id (cut to 20 characters by LLDP's table),
    local interface and port id in short form (``Gi0/1``; CDP writes ``Gig 0/1``)."""
    return [
        LldpNeighbor(local_interface=interface_name(row["local_interface"]) or row["local_interface"],
                     device=row["device_id"], port=row["port_id"] or None)
        for row in rows
    ]


def _command(request: FactRequest) -> str:
    return "show cdp neighbors" if request.arg("protocol") == "cdp" else "show lldp neighbors"


FACTS: dict[str, FactSpec] = {
    "lldp_neighbors": FactSpec(_command, lldp_neighbors),
}
