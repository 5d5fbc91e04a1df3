"""Replay transport: answers from a capture instead of a device (httpx's shipped fake transport)."""

from __future__ import annotations

from pathlib import Path

from grader.model.evidence import CommandOutput, Evidence, NodeEvidence
from grader.platforms import Platform
from grader.transport.capture import Capture, CaptureLimits, read_capture


class ReplayTransport:
    name = "replay"

    def __init__(self, evidence: Evidence, capture: Capture | None = None) -> None:
        self.evidence = evidence
        self.capture = capture

    @classmethod
    def from_folder(cls, directory: Path, limits: CaptureLimits | None = None) -> ReplayTransport:
        """Answers from a capture folder (read and checked by ``capture.read_capture``)."""
        capture = read_capture(directory, limits)
        return cls(capture.evidence, capture)

    @classmethod
    def from_evidence(cls, evidence: Evidence) -> ReplayTransport:
        """Answers from evidence already in memory."""
        return cls(evidence)

    def collect(self, node: str, platform: Platform, commands: list[str]) -> NodeEvidence:
        recorded = self.evidence.get(node)
        if recorded is None:
            return NodeEvidence(node=node, platform=platform.name, error=f"the capture has no node {node!r}")
        if recorded.error:
            return NodeEvidence(node=node, platform=platform.name, error=recorded.error)
        outputs = {
            command: recorded.outputs.get(command)
            or CommandOutput(command=command, error="not in the capture")
            for command in commands
        }
        return NodeEvidence(node=node, platform=platform.name, outputs=outputs)
