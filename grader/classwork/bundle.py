"""Submission bundles: one zip a student hands in, graded offline by the instructor.

::

    alice.zip
      bundle.json                    BundleManifest: format, lab id and lab hash, student, variables used,
                                     nodes and their commands, timestamps, tool version, sha256 of each entry
      capture/manifest.yaml          a capture (``grader.transport.capture``) of everything the lab needs
      capture/r1/show_ip_route.txt   ...

Reading a bundle is hostile-input work: the archive and each entry are bounded before anything is extracted
(declared sizes, entry count, compression ratio; actual sizes while reading), entry names must be plain
relative names (no absolute paths, no ``..``, no links, no duplicates), every entry must match its sha256, and
the capture is read from memory by ``parse_capture`` with its own checks. Nothing is written to disk.

What the hashes prove: the entries have not changed since the manifest was written. They are not a signature:
whoever can edit an output can recompute its hash. A bundle is tamper-evident after capture, never proof that
the output came from a device; the defences against made-up output are per-student variants, the cross-device
consistency checks of every grading and, for hosted labs, live grading.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from grader.classwork.roster import check_student_id
from grader.errors import CaptureError
from grader.loader import LoadedLab
from grader.model.capture import check_member_name
from grader.model.evidence import Evidence
from grader.model.lab import ID_PATTERN
from grader.text import printable
from grader.transport.capture import Capture, CaptureLimits, capture_files, parse_capture
from grader.version import __version__

BUNDLE_FORMAT = "labgrader-bundle/1"
BUNDLE_MANIFEST = "bundle.json"
CAPTURE_PREFIX = "capture/"
_SHA256 = r"^[0-9a-f]{64}$"


def lab_hash(loaded: LoadedLab) -> str:
    """sha256 of the lab definition: ``lab.yaml`` and its topology file, each as bytes, length-prefixed."""
    digest = hashlib.sha256(b"labgrader-lab/1\n")
    for path in (loaded.source.path, loaded.topology_path):
        data = Path(path).read_bytes()
        digest.update(f"{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BundleManifest(BaseModel):
    """``bundle.json``: what the bundle says about itself (checked, never trusted for variables)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["labgrader-bundle/1"]
    lab: str = Field(pattern=ID_PATTERN, max_length=63)
    lab_hash: str = Field(pattern=_SHA256, description="sha256 of lab.yaml and its topology (see lab_hash)")
    student: str = Field(description="the student id given to `labgrader submit`")
    variables: dict[str, Any] = Field(default_factory=dict, description="the variables the capture was made with")
    nodes: dict[str, list[str]] = Field(default_factory=dict, description="node → the commands recorded")
    problems: list[str] = Field(default_factory=list, description="nodes or commands that could not be read")
    started: datetime
    finished: datetime
    source: str = ""
    tool_version: str
    entries: dict[str, str] = Field(description="entry name → sha256 of its bytes (every entry but this file)")

    @field_validator("student")
    @classmethod
    def _student(cls, value: str) -> str:
        return check_student_id(value)

    @field_validator("entries")
    @classmethod
    def _entries(cls, value: dict[str, str]) -> dict[str, str]:
        for name, digest in value.items():
            _entry_name(name)
            if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                raise ValueError(f"entry {name!r}: not a sha256 digest")
        return value


def _entry_name(name: str) -> str:
    """``bundle.json`` or ``capture/<plain relative name>``; ``ValueError`` otherwise."""
    if name == BUNDLE_MANIFEST:
        return name
    if not name.startswith(CAPTURE_PREFIX):
        raise ValueError(f"entry {printable(name, one_line=True)!r} is outside the bundle's capture/ folder")
    try:
        check_member_name(name.removeprefix(CAPTURE_PREFIX))
    except ValueError:
        raise ValueError(f"entry {printable(name, one_line=True)!r} is not a plain relative name inside the "
                         "bundle") from None
    return name


def write_bundle(out: Path, *, loaded: LoadedLab, student: str, variables: dict[str, Any], evidence: Evidence,
                 started: datetime, finished: datetime, source: str, problems: tuple[str, ...] = ()) -> Path:
    """Write ``evidence`` as a bundle at ``out`` (atomically: a partial bundle never replaces a good one)."""
    check_student_id(student)
    files = {CAPTURE_PREFIX + name: data for name, data in capture_files(
        evidence, lab_id=loaded.lab.id, source=source, variables=variables, created=finished).items()}
    manifest = BundleManifest(
        format=BUNDLE_FORMAT, lab=loaded.lab.id, lab_hash=lab_hash(loaded), student=student,
        variables=variables, nodes={node: list(e.outputs) for node, e in sorted(evidence.items())},
        problems=list(problems), started=started, finished=finished, source=source, tool_version=__version__,
        entries={name: sha256(data) for name, data in sorted(files.items())})
    files[BUNDLE_MANIFEST] = (json.dumps(manifest.model_dump(mode="json"), indent=2) + "\n").encode("utf-8")
    stamp = finished.astimezone(UTC).timetuple()[:6]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in [BUNDLE_MANIFEST, *sorted(n for n in files if n != BUNDLE_MANIFEST)]:
                info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                archive.writestr(info, files[name])
        os.replace(staging, out)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return out


@dataclass(frozen=True)
class BundleLimits:
    """Bounds on what a bundle may make the grader read or hold in memory."""

    max_bundle_bytes: int = 64 * 1024 * 1024  # the zip file itself
    max_entries: int = 2_000
    max_entry_bytes: int = 8 * 1024 * 1024  # one entry, uncompressed
    max_total_bytes: int = 64 * 1024 * 1024  # all entries, uncompressed
    max_ratio: float = 200.0  # uncompressed / compressed, for entries over ratio_floor bytes
    ratio_floor: int = 64 * 1024
    max_manifest_bytes: int = 4 * 1024 * 1024


@dataclass(frozen=True)
class Bundle:
    """A bundle as read and checked: its manifest and the capture inside it."""

    origin: str
    manifest: BundleManifest
    capture: Capture


class _MemorySource:
    """The capture entries of a bundle, in memory: a ``CaptureSource`` for ``parse_capture``."""

    def __init__(self, origin: str, files: dict[str, bytes]) -> None:
        self.origin = origin
        self.files = files

    def names(self) -> list[str]:
        return list(self.files)

    def read(self, name: str, limit: int) -> bytes:
        data = self.files.get(name)
        if data is None:
            raise CaptureError(f"{self.origin}/{printable(name, one_line=True)}: named by the manifest but missing")
        if len(data) > limit:
            raise CaptureError(f"{self.origin}/{name}: larger than the limit of {limit} bytes ({len(data)})")
        return data


def _infos(archive: zipfile.ZipFile, origin: str, limits: BundleLimits) -> list[zipfile.ZipInfo]:
    """The entries, checked from the central directory before any is decompressed."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise CaptureError(f"{origin}: more than {limits.max_entries} entries")
    seen: set[str] = set()
    declared = 0
    for info in infos:
        name = info.filename
        try:
            _entry_name(name)
        except ValueError as exc:
            raise CaptureError(f"{origin}: {exc}") from None
        if name in seen:
            raise CaptureError(f"{origin}: entry {name!r} appears twice")
        seen.add(name)
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the tool recorded no file type (Windows, Python)
        if info.is_dir() or kind not in (0, stat.S_IFREG):
            raise CaptureError(f"{origin}: entry {name!r} is not a regular file (links and folders are refused)")
        if info.flag_bits & 0x1:
            raise CaptureError(f"{origin}: entry {name!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise CaptureError(f"{origin}: entry {name!r} uses an unsupported compression method")
        limit = limits.max_manifest_bytes if name == BUNDLE_MANIFEST else limits.max_entry_bytes
        if info.file_size > limit:
            raise CaptureError(f"{origin}: entry {name!r} is larger than the limit of {limit} bytes "
                               f"({info.file_size})")
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise CaptureError(f"{origin}: entry {name!r} expands {info.file_size / max(info.compress_size, 1):.0f} "
                               f"times (more than {limits.max_ratio:.0f}): refused as a zip bomb")
        declared += info.file_size
        if declared > limits.max_total_bytes:
            raise CaptureError(f"{origin}: more than {limits.max_total_bytes} bytes once uncompressed")
    if BUNDLE_MANIFEST not in seen:
        raise CaptureError(f"{origin}: not a labgrader bundle (no {BUNDLE_MANIFEST})")
    return infos


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str) -> bytes:
    """One entry's bytes, never more than it declared (zipfile stops there and checks the CRC)."""
    try:
        with archive.open(info) as entry:
            data = entry.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise CaptureError(f"{origin}: entry {info.filename!r} is damaged ({printable(str(exc), one_line=True)})") \
            from None
    if len(data) != info.file_size:
        raise CaptureError(f"{origin}: entry {info.filename!r} is not the size it declares")
    return data


def _manifest(data: bytes, origin: str) -> BundleManifest:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CaptureError(f"{origin}: {BUNDLE_MANIFEST} is not JSON ({printable(str(exc), one_line=True)})") \
            from None
    if not isinstance(document, dict):
        raise CaptureError(f"{origin}: {BUNDLE_MANIFEST} is not a JSON object")
    try:
        return BundleManifest.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "(top)"
        message = ("required key is missing" if error["type"] == "missing" else
                   "unknown key" if error["type"] == "extra_forbidden" else
                   error["msg"].removeprefix("Value error, "))
        raise CaptureError(f"{origin}: {BUNDLE_MANIFEST}: {printable(where, one_line=True)}: "
                           f"{printable(message, one_line=True)}") from None


def read_bundle(path: Path, limits: BundleLimits | None = None, capture_limits: CaptureLimits | None = None,
                origin: str | None = None) -> Bundle:
    """Read and check a bundle (see the module docs); ``CaptureError`` (one line) when anything is wrong.
    ``origin`` names it in error lines (default: ``path``)."""
    limits = limits or BundleLimits()
    path = Path(path)
    origin = printable(origin or str(path), one_line=True)
    try:
        if path.is_symlink() or not path.is_file():
            raise CaptureError(f"{origin}: no bundle there" if not path.exists() else f"{origin}: not a regular file")
        size = path.stat().st_size
        if size > limits.max_bundle_bytes:
            raise CaptureError(f"{origin}: larger than the limit of {limits.max_bundle_bytes} bytes ({size})")
        with path.open("rb") as handle:
            raw = handle.read(limits.max_bundle_bytes + 1)
        if len(raw) > limits.max_bundle_bytes:
            raise CaptureError(f"{origin}: larger than the limit of {limits.max_bundle_bytes} bytes")
    except OSError as exc:
        raise CaptureError(f"{origin}: cannot read: {exc.strerror or exc}") from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError) as exc:
        raise CaptureError(f"{origin}: not a zip file ({printable(str(exc), one_line=True)})") from None
    with archive:
        infos = _infos(archive, origin, limits)
        files = {info.filename: _extract(archive, info, origin) for info in infos}
    manifest = _manifest(files.pop(BUNDLE_MANIFEST), origin)
    listed, present = set(manifest.entries), set(files)
    if listed != present:
        extra, missing = sorted(present - listed), sorted(listed - present)
        detail = (f"entry {extra[0]!r} is not in {BUNDLE_MANIFEST}" if extra
                  else f"entry {missing[0]!r} listed in {BUNDLE_MANIFEST} is missing")
        raise CaptureError(f"{origin}: {detail} (changed after capture)")
    for name in sorted(files):
        if sha256(files[name]) != manifest.entries[name]:
            raise CaptureError(f"{origin}: entry {name!r} does not match its sha256 (changed after capture)")
    source = _MemorySource(origin, {name.removeprefix(CAPTURE_PREFIX): data for name, data in files.items()})
    capture = parse_capture(source, capture_limits)
    return Bundle(origin=origin, manifest=manifest, capture=capture)


def check_bundle_lab(bundle: Bundle, loaded: LoadedLab, expected_hash: str | None = None) -> None:
    """Refuse (one line) a bundle made for another lab, or for another version of this lab."""
    manifest = bundle.manifest
    if manifest.lab != loaded.lab.id or bundle.capture.manifest.lab != loaded.lab.id:
        raise CaptureError(f"{bundle.origin}: a bundle of lab {printable(manifest.lab)!r}, not {loaded.lab.id!r}")
    mine = expected_hash or lab_hash(loaded)
    if manifest.lab_hash != mine:
        raise CaptureError(f"{bundle.origin}: made for another version of lab {loaded.lab.id!r} (lab hash "
                           f"{manifest.lab_hash[:12]}…, this lab {mine[:12]}…)")
