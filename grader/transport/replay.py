"""Replay transport: answers from a capture folder instead of a device (httpx's shipped fake transport)."""

from __future__ import annotations

from pathlib import Path

from grader.model.evidence import CommandOutput, Evidence, NodeEvidence
from grader.platforms import Platform
from grader.transport.capture import read_capture


class ReplayTransport:
    name = "replay"
    directory: Path | None

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.manifest, self.evidence = read_capture(self.directory)

    @classmethod
    def from_evidence(cls, evidence: Evidence) -> ReplayTransport:
        """Answers from evidence already in memory (no capture folder)."""
        transport = cls.__new__(cls)
        transport.directory, transport.manifest, transport.evidence = None, {}, evidence
        return transport

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
