"""Evidence: the raw text each command printed on each node, as a transport collected it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class CommandOutput:
    command: str
    text: str = ""
    collected_at: datetime | None = None
    error: str | None = None  # the command could not be run (session dropped, timeout): text is not evidence
    duration_s: float | None = None


@dataclass
class NodeEvidence:
    """All output from one node. ``error`` set means the node could not be read at all (unreachable, login)."""

    node: str
    platform: str
    outputs: dict[str, CommandOutput] = field(default_factory=dict)
    error: str | None = None

    def output(self, command: str) -> CommandOutput | None:
        return self.outputs.get(command)


Evidence = dict[str, NodeEvidence]
