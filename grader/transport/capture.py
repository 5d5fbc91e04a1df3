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

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import yaml
from pydantic import ValidationError

from grader.errors import CaptureError, LabFileError
from grader.model.capture import CAPTURE_FORMAT, MANIFEST, Manifest, check_member_name
from grader.model.evidence import CommandOutput, Evidence, NodeEvidence
from grader.text import printable
from grader.yamlsource import dotted, not_a_file, parse_yaml


def command_file_name(command: str) -> str:
    """A safe file name for a command: ``show ip route`` → ``show_ip_route.txt``."""
    slug = re.sub(r"[^A-Za-z0-9.-]+", "_", command.strip()).strip("_") or "command"
    return f"{slug[:100]}.txt"


def capture_files(evidence: Evidence, *, lab_id: str, source: str, variables: dict[str, Any] | None = None,
                  created: datetime | None = None) -> dict[str, bytes]:
    """``evidence`` as the files of a capture: ``manifest.yaml`` and one output file per (node, command)."""
    files: dict[str, bytes] = {}
    nodes: dict[str, Any] = {}
    for node, node_evidence in sorted(evidence.items()):
        commands: dict[str, Any] = {}
        used: set[str] = set()
        for command, output in node_evidence.outputs.items():
            name = command_file_name(command)
            while name in used:
                name = name.removesuffix(".txt") + "_.txt"
            used.add(name)
            files[f"{node}/{name}"] = output.text.encode("utf-8")
            commands[command] = {
                "file": f"{node}/{name}",
                "collected_at": output.collected_at.isoformat() if output.collected_at else None,
                "error": output.error,
            }
        nodes[node] = {"platform": node_evidence.platform, "error": node_evidence.error, "commands": commands}
    manifest = {"format": CAPTURE_FORMAT, "lab": lab_id, "created": (created or datetime.now(UTC)).isoformat(),
                "source": source, "variables": dict(variables or {}), "nodes": nodes}
    files[MANIFEST] = yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True).encode("utf-8")
    return files


def write_capture(evidence: Evidence, directory: Path, *, lab_id: str, source: str,
                  variables: dict[str, Any] | None = None) -> Path:
    """Write ``evidence`` as a capture folder at ``directory`` (replacing an existing capture there)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()) and not (directory / MANIFEST).exists():
        raise CaptureError(f"{directory}: exists and is not a capture; refusing to overwrite it")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        for name, data in capture_files(evidence, lab_id=lab_id, source=source, variables=variables).items():
            (staging / name).parent.mkdir(exist_ok=True)
            (staging / name).write_bytes(data)
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


@dataclass(frozen=True)
class CaptureLimits:
    """Bounds on what a capture may make the grader read (a capture is untrusted input)."""

    max_file_bytes: int = 8 * 1024 * 1024  # one command's output
    max_total_bytes: int = 256 * 1024 * 1024
    max_files: int = 10_000
    max_manifest_bytes: int = 4 * 1024 * 1024


@dataclass(frozen=True)
class Capture:
    """A capture as read: its manifest, the evidence, and the files present that no command names."""

    manifest: Manifest
    evidence: Evidence
    unlisted: tuple[str, ...] = ()


class CaptureSource(Protocol):
    """The files of a capture: a folder, or the entries of a bundle."""

    origin: str  # what error lines start with

    def names(self) -> list[str]:
        """Every file, as a ``/``-separated name relative to the capture."""
        ...

    def read(self, name: str, limit: int) -> bytes:
        """The bytes of one file (``CaptureError`` if it is missing, not a regular file, or over ``limit``)."""
        ...


# Files a capture folder may hold besides its manifest and outputs: a recorded submission's expectations.
KNOWN_EXTRA_FILES = frozenset({"expected.yaml"})


class FolderSource:
    """A capture folder. Every file must be a regular file inside it: symbolic links, devices, FIFOs and names
    that climb out of the folder are refused, never followed."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.origin = printable(str(self.directory))

    def names(self) -> list[str]:
        found: list[str] = []
        for root, dirs, files in os.walk(self.directory, followlinks=False):
            for name in [*dirs, *files]:
                path = Path(root) / name
                if path.is_symlink():
                    raise CaptureError(f"{printable(str(path))}: a symbolic link in a capture is refused")
            found += [(Path(root) / name).relative_to(self.directory).as_posix() for name in files]
            if len(found) > CaptureLimits.max_files:
                raise CaptureError(f"{self.origin}: more than {CaptureLimits.max_files} files")
        return found

    def read(self, name: str, limit: int) -> bytes:
        try:
            check_member_name(name)
        except ValueError as exc:
            raise CaptureError(f"{self.origin}: {exc}") from None
        path = self.directory / name
        shown = printable(str(path))
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            if any(part.is_symlink() for part in [path, *path.parents][: len(Path(name).parts)]):
                raise CaptureError(f"{shown}: a symbolic link in a capture is refused")
            fd = os.open(path, flags)
        except FileNotFoundError:
            raise CaptureError(f"{shown}: named by the manifest but missing") from None
        except OSError as exc:
            raise CaptureError(f"{shown}: cannot read: {exc.strerror or exc}") from None
        try:
            info = os.fstat(fd)
            if (problem := not_a_file(shown, info.st_mode)) is not None:
                raise CaptureError(problem)
            if info.st_size > limit:
                raise CaptureError(f"{shown}: larger than the limit of {limit} bytes ({info.st_size})")
            data = os.read(fd, limit + 1)
        finally:
            os.close(fd)
        if len(data) > limit:
            raise CaptureError(f"{shown}: larger than the limit of {limit} bytes")
        return data


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise CaptureError(f"{where}: not UTF-8 (byte {exc.start})") from None


def _manifest(source: CaptureSource, limits: CaptureLimits, names: list[str]) -> Manifest:
    if MANIFEST not in names:
        raise CaptureError(f"{source.origin}: not a capture (no {MANIFEST})")
    origin = f"{source.origin}/{MANIFEST}"
    try:
        document = parse_yaml(_text(source.read(MANIFEST, limits.max_manifest_bytes), origin), origin)
    except LabFileError as exc:
        raise CaptureError(exc.problems[0]) from None
    if not isinstance(document.data, dict):
        raise CaptureError(f"{origin}:1: a manifest is a mapping (format, lab, nodes, ...)")
    try:
        return Manifest.model_validate(document.data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        message = "required key is missing" if error["type"] == "missing" else (
            f"unknown key {loc[-1]!r}" if error["type"] == "extra_forbidden"
            else error["msg"].removeprefix("Value error, "))
        more = f" (and {len(exc.errors()) - 1} more problems)" if len(exc.errors()) > 1 else ""
        raise CaptureError(f"{document.where(loc)}: {dotted(loc) or '(top)'}: {printable(message)}{more}") from None


def parse_capture(source: CaptureSource, limits: CaptureLimits | None = None) -> Capture:
    """Read and check a capture from ``source``: a strict manifest, each named file confined to the capture,
    regular, within the size limits and UTF-8. ``CaptureError`` (one line) when anything is wrong."""
    limits = limits or CaptureLimits()
    names = source.names()  # a folder is walked once
    manifest = _manifest(source, limits, names)
    evidence: Evidence = {}
    named: set[str] = {MANIFEST}
    total = 0
    for node, entry in manifest.nodes.items():
        outputs: dict[str, CommandOutput] = {}
        for command, item in entry.commands.items():
            data = source.read(item.file, limits.max_file_bytes)
            total += len(data)
            if total > limits.max_total_bytes:
                raise CaptureError(f"{source.origin}: more than {limits.max_total_bytes} bytes of output in all")
            named.add(item.file)
            outputs[command] = CommandOutput(command=command, text=_text(data, f"{source.origin}/{item.file}"),
                                             error=item.error, collected_at=item.collected_at)
        evidence[node] = NodeEvidence(node=node, platform=entry.platform, outputs=outputs, error=entry.error)
    unlisted = tuple(sorted(set(names) - named - KNOWN_EXTRA_FILES))
    return Capture(manifest=manifest, evidence=evidence, unlisted=unlisted)


def read_capture(directory: Path, limits: CaptureLimits | None = None) -> Capture:
    """A capture folder, read and checked (see ``parse_capture``)."""
    directory = Path(directory)
    if not directory.is_dir() or directory.is_symlink():
        raise CaptureError(f"{printable(str(directory))}: not a capture folder")
    return parse_capture(FolderSource(directory), limits)
