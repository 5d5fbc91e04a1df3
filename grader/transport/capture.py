"""The capture format: a folder with one text file per (node, command) and a ``manifest.yaml``.

::

    manifest.yaml
      format: labgrader-capture/1
      lab: hcia-static-routing
      created: 2026-11-28T18:00:00+00:00
      source: live (how it was recorded)
      variables: {lan_b: 3}                # the lab variables it was taken with (a student's variant)
      nodes:
        r1:
          platform: frr
          error: null                      # the node could not be read at all
          commands:
            show ip route: {file: r1/show_ip_route.txt, collected_at: ..., error: null}
    r1/show_ip_route.txt                   # exactly what the device printed

A capture holds no credentials. ``write_capture`` writes into a temporary folder and renames it into place,
so an interrupted write never leaves a half capture behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from grader.errors import CaptureError, LabFileError
from grader.model.evidence import CommandOutput, Evidence, NodeEvidence
from grader.yamlsource import load_yaml, read_text_file

CAPTURE_FORMAT = "labgrader-capture/1"
MANIFEST = "manifest.yaml"


def command_file_name(command: str) -> str:
    """A safe file name for a command: ``show ip route`` → ``show_ip_route.txt``."""
    slug = re.sub(r"[^A-Za-z0-9.-]+", "_", command.strip()).strip("_") or "command"
    return f"{slug[:100]}.txt"


def write_capture(evidence: Evidence, directory: Path, *, lab_id: str, source: str,
                  variables: dict[str, Any] | None = None) -> Path:
    """Write ``evidence`` as a capture folder at ``directory`` (replacing an existing capture there)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()) and not (directory / MANIFEST).exists():
        raise CaptureError(f"{directory}: exists and is not a capture; refusing to overwrite it")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        nodes: dict[str, Any] = {}
        for node, node_evidence in sorted(evidence.items()):
            commands: dict[str, Any] = {}
            used: set[str] = set()
            for command, output in node_evidence.outputs.items():
                name = command_file_name(command)
                while name in used:
                    name = name.removesuffix(".txt") + "_.txt"
                used.add(name)
                (staging / node).mkdir(exist_ok=True)
                (staging / node / name).write_text(output.text, encoding="utf-8")
                commands[command] = {
                    "file": f"{node}/{name}",
                    "collected_at": output.collected_at.isoformat() if output.collected_at else None,
                    "error": output.error,
                }
            nodes[node] = {"platform": node_evidence.platform, "error": node_evidence.error, "commands": commands}
        manifest = {"format": CAPTURE_FORMAT, "lab": lab_id, "created": datetime.now(UTC).isoformat(),
                    "source": source, "variables": dict(variables or {}), "nodes": nodes}
        (staging / MANIFEST).write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True))
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


def read_capture(directory: Path) -> tuple[dict[str, Any], Evidence]:
    """The manifest and the evidence of a capture folder. ``CaptureError`` with a one-line reason if broken."""
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    if not manifest_path.exists():
        raise CaptureError(f"{directory}: not a capture (no {MANIFEST})")
    try:
        manifest = load_yaml(manifest_path).data
    except LabFileError as exc:
        raise CaptureError(exc.problems[0]) from None
    if not isinstance(manifest, dict) or manifest.get("format") != CAPTURE_FORMAT:
        raise CaptureError(f"{manifest_path}: format is not {CAPTURE_FORMAT!r}")
    evidence: Evidence = {}
    for node, entry in (manifest.get("nodes") or {}).items():
        if not isinstance(entry, dict):
            raise CaptureError(f"{manifest_path}: nodes.{node} is not a mapping")
        outputs: dict[str, CommandOutput] = {}
        for command, item in (entry.get("commands") or {}).items():
            file = directory / str(item.get("file", ""))
            try:
                text = read_text_file(file)
            except LabFileError as exc:
                raise CaptureError(f"{manifest_path}: nodes.{node}: {command!r}: {exc.problems[0]}") from None
            collected = item.get("collected_at")
            outputs[command] = CommandOutput(
                command=command, text=text, error=item.get("error"),
                collected_at=datetime.fromisoformat(collected) if isinstance(collected, str) else collected)
        evidence[node] = NodeEvidence(node=node, platform=str(entry.get("platform", "")), outputs=outputs,
                                      error=entry.get("error"))
    return manifest, evidence
