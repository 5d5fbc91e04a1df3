"""The grading session API: one function per source of evidence, each returning one ``Grading`` value.

    grade_capture(lab, capture_dir, variables)      a recorded capture folder
    grade_evidence(lab, evidence, variables)        evidence already in memory (pure)
    grade_live(lab, devices, variables, options)    live devices (an Inventory or any Transport)
    record(lab, devices, variables, out)            collect what the lab needs and write it as a capture

The command line, lab validation, batch grading and the benchmarks call these; none of them holds grading,
capture-checking or comparison logic of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.engine.collect import collect
from grader.engine.grade import Grading, Identity, LiveOptions, run
from grader.engine.plan import build_plan
from grader.errors import CaptureError
from grader.loader import LoadedLab
from grader.model.evidence import Evidence
from grader.model.inventory import Inventory
from grader.transport.base import Transport
from grader.transport.capture import write_capture
from grader.transport.replay import ReplayTransport

__all__ = ["Grading", "Identity", "LiveOptions", "Recording", "grade_capture", "grade_evidence", "grade_live",
           "record"]


def grade_evidence(loaded: LoadedLab, evidence: Evidence, variables: dict[str, Any] | None = None, *,
                   source: str, identity: Identity | None = None) -> Grading:
    """Grade evidence already collected: a pure function of (lab, variables, evidence)."""
    return run(loaded, ReplayTransport.from_evidence(evidence), variables, source=source, identity=identity)


def grade_capture(loaded: LoadedLab, capture: Path, variables: dict[str, Any] | None = None, *,
                  identity: Identity | None = None) -> Grading:
    """Grade a capture folder. A capture of another lab is refused (``CaptureError``); the variables the
    capture was taken with apply unless given here."""
    transport = ReplayTransport(capture)
    recorded_lab = transport.manifest.get("lab")
    if recorded_lab not in (None, loaded.lab.id):
        raise CaptureError(f"{capture}: a capture of lab {recorded_lab!r}, not {loaded.lab.id!r}")
    merged = {**(transport.manifest.get("variables") or {}), **(variables or {})}
    return run(loaded, transport, merged, source=f"capture:{capture}", identity=identity)


def _transport(devices: Inventory | Transport) -> Transport:
    if isinstance(devices, Inventory):
        from grader.transport.netmiko_cli import NetmikoTransport

        return NetmikoTransport(devices)
    return devices


def grade_live(loaded: LoadedLab, devices: Inventory | Transport, variables: dict[str, Any] | None = None, *,
               source: str = "live", options: LiveOptions | None = None,
               identity: Identity | None = None) -> Grading:
    """Grade live devices; objectives with ``wait`` are re-checked while the network converges."""
    return run(loaded, _transport(devices), variables, source=source, live=options or LiveOptions(),
               identity=identity)


@dataclass(frozen=True)
class Recording:
    """What ``record`` collected: the evidence, where it was written, and the nodes/commands that failed."""

    evidence: Evidence
    directory: Path | None
    command_count: int
    problems: tuple[str, ...]  # "node: reason" or "node: 'command': reason"
    failed_nodes: tuple[str, ...]  # nodes with any problem


def record(loaded: LoadedLab, devices: Inventory | Transport, variables: dict[str, Any] | None = None, *,
           out: Path | None, source: str) -> Recording:
    """Collect every command the lab needs (with ``variables``) and, with ``out``, write it as a capture."""
    plan = build_plan(loaded.resolve(variables), loaded.topology)
    evidence = collect(plan.commands, loaded.topology, _transport(devices))
    if out is not None:
        write_capture(evidence, out, lab_id=loaded.lab.id, source=source, variables=loaded.variables(variables))
    problems: list[str] = []
    failed: list[str] = []
    for node, node_evidence in sorted(evidence.items()):
        mine = [f"{node}: {node_evidence.error}"] if node_evidence.error else []
        mine += [f"{node}: {o.command!r}: {o.error}" for o in node_evidence.outputs.values() if o.error]
        problems += mine
        failed += [node] if mine else []
    return Recording(evidence=evidence, directory=out, command_count=plan.command_count, problems=tuple(problems),
                     failed_nodes=tuple(failed))
