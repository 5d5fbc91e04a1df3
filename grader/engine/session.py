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
from grader.engine.events import Observer
from grader.engine.grade import Grading, Identity, LiveOptions, run, with_warnings
from grader.engine.plan import build_plan
from grader.errors import CaptureError
from grader.loader import LoadedLab
from grader.model.evidence import Evidence
from grader.model.inventory import Inventory
from grader.text import printable
from grader.transport.base import Transport
from grader.transport.capture import Capture, CaptureLimits, read_capture, write_capture
from grader.transport.replay import ReplayTransport

__all__ = ["Grading", "Identity", "LiveOptions", "Recording", "grade_capture", "grade_evidence", "grade_live",
           "record", "with_warnings"]


def grade_evidence(loaded: LoadedLab, evidence: Evidence, variables: dict[str, Any] | None = None, *,
                   source: str, identity: Identity | None = None) -> Grading:
    """Grade evidence already collected: a pure function of (lab, variables, evidence)."""
    return run(loaded, ReplayTransport.from_evidence(evidence), variables, source=source, identity=identity)


def grade_capture(loaded: LoadedLab, capture: Path | Capture, variables: dict[str, Any] | None = None, *,
                  identity: Identity | None = None, strict: bool = False,
                  limits: CaptureLimits | None = None, origin: str | None = None) -> Grading:
    """Grade a capture (a folder, or one already read, e.g. from a bundle).

    The capture is untrusted: it is read with ``limits`` and refused (``CaptureError``, one line) when it is
    of another lab or names nodes the lab's topology does not have. Grading never takes variables from it:
    ``variables`` (the instructor's; the lab's defaults for the rest) apply, and a capture taken with other
    values is graded with these and flagged in the report's warnings -- refused with ``strict``. ``origin``
    names a capture already read (e.g. the bundle it came from) in error lines and the report's source."""
    if isinstance(capture, Capture):
        read, origin = capture, origin or "bundle"
    else:
        read, origin = read_capture(capture, limits), origin or str(capture)
    manifest = read.manifest
    if manifest.lab != loaded.lab.id:
        raise CaptureError(f"{printable(origin)}: a capture of lab {printable(manifest.lab)!r}, "
                           f"not {loaded.lab.id!r}")
    unknown = sorted(set(manifest.nodes) - set(loaded.topology.nodes))
    if unknown:
        raise CaptureError(f"{printable(origin)}: nodes {', '.join(printable(n) for n in unknown)} are not in "
                           f"the topology of lab {loaded.lab.id!r}")
    warnings = submission_warnings(loaded, read, variables)
    if strict and warnings:
        raise CaptureError(f"{printable(origin)}: {warnings[0]} (--strict)")
    grading = run(loaded, ReplayTransport(read.evidence, read), variables, source=f"capture:{printable(origin)}",
                  identity=identity)
    return with_warnings(grading, warnings)


def submission_warnings(loaded: LoadedLab, capture: Capture, variables: dict[str, Any] | None) -> list[str]:
    """What a person should look at in a capture before trusting its grade."""
    warnings: list[str] = []
    graded_with = loaded.variables(variables)
    recorded = capture.manifest.variables
    differing = sorted(name for name in set(recorded) | set(graded_with)
                       if recorded.get(name, _MISSING) != graded_with.get(name, _MISSING))
    if differing:
        shown = ", ".join(f"{name}={_show(recorded.get(name, _MISSING))} (graded with "
                          f"{_show(graded_with.get(name, _MISSING))})" for name in differing[:6])
        warnings.append(f"the capture was taken with other variables: {shown}"
                        + (f" and {len(differing) - 6} more" if len(differing) > 6 else ""))
    if capture.unlisted:
        listed = ", ".join(printable(name) for name in capture.unlisted[:5])
        warnings.append(f"the capture holds files its manifest does not name: {listed}"
                        + (f" and {len(capture.unlisted) - 5} more" if len(capture.unlisted) > 5 else ""))
    for node, entry in sorted(capture.manifest.nodes.items()):
        expected = loaded.topology.nodes[node].platform
        if entry.platform and entry.platform != expected:
            warnings.append(f"node {printable(node)} was captured as platform {printable(entry.platform)!r}, "
                            f"the lab's topology says {expected!r}")
    return warnings


_MISSING = object()


def _show(value: Any) -> str:
    return "(unset)" if value is _MISSING else printable(repr(value), one_line=True)[:60]


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
           out: Path | None, source: str, observer: Observer | None = None) -> Recording:
    """Collect every command the lab needs (with ``variables``) and, with ``out``, write it as a capture."""
    plan = build_plan(loaded.resolve(variables), loaded.topology)
    evidence = collect(plan.commands, loaded.topology, _transport(devices), observer)
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
