"""VRRP facts of frr (vrrpd): ``show vrrp``.

Each FRR virtual router runs an IPv4 and an IPv6 state machine; a group is reported once per family that has
virtual addresses (once, as IPv4, when it has none), with that family's state and effective priority. vrrpd
has no preemption delay. Interface names stay as the kernel spells them.
"""

from __future__ import annotations

from typing import Any

from grader.checks.services import RedundancyGroup, vrrp_state
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.services_common import addresses
from grader.platforms.vendor_common import to_int

Rows = list[dict[str, Any]]


def vrrp_groups(rows: Rows, text: str, request: FactRequest) -> list[RedundancyGroup]:
    groups = []
    for row in rows:
        families = [f for f in ("v4", "v6") if row[f"ipv{f[1]}_addresses"]] or ["v4"]
        for family in families:
            groups.append(RedundancyGroup(
                interface=row["interface"],
                group=int(row["vrid"]),
                state=vrrp_state(row[f"status_{family}"]),
                virtual_ips=addresses(row[f"ipv{family[1]}_addresses"]),
                priority=to_int(row[f"effective_priority_{family}"]),
                preempt={"Yes": True, "No": False}.get(row["preempt"]),
            ))
    return groups


FACTS: dict[str, FactSpec] = {
    "vrrp_groups": FactSpec("show vrrp", vrrp_groups),
}
