"""Progress observers: the engine reports what it does; a CLI may draw it. The engine itself never prints."""

from __future__ import annotations

from grader.model.evidence import NodeEvidence


class Observer:
    """No-op base; override what you want to show."""

    def node_started(self, node: str, commands: int) -> None:
        """Collection from ``node`` starts."""

    def node_finished(self, node: str, evidence: NodeEvidence, seconds: float) -> None:
        """Collection from ``node`` ended (``evidence.error`` says if it failed)."""

    def waiting(self, objectives: list[str], remaining_s: float) -> None:
        """Live mode: these objectives are not passing yet and are re-checked until their deadline."""
