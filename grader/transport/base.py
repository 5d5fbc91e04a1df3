"""The transport interface: run a list of commands on one node, return what it printed.

A transport never raises for a device problem: an unreachable node comes back as ``NodeEvidence.error`` and a
failed command as ``CommandOutput.error`` (nornir's habit: work for a host carries its failure).
"""

from __future__ import annotations

from typing import Protocol

from grader.model.evidence import NodeEvidence
from grader.platforms import Platform


class Transport(Protocol):
    name: str

    def collect(self, node: str, platform: Platform, commands: list[str]) -> NodeEvidence:
        """Run ``commands`` on ``node`` (one session) and return their output."""
        ...
