"""The batch folder on disk: ``batch.json``, the append-only ``journal.jsonl`` and atomic report files.

The journal is the commit log of a batch: a student is done when their line is in it. Each line is written
with one ``write`` on a file opened for appending, after the student's reports were written (each through a
temporary file and a rename), and ``fsync``-ed with the lines that finished at the same moment. A line cut
short by a crash is the only damage a crash (``kill -9``) can do; ``Journal`` removes it before appending
again. Reports are not ``fsync``-ed one by one (that would double the time of a batch); after a power cut a
journaled student's report may be missing, so ``done`` checks the files and forgets such students (they are
graded again).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from grader.errors import LabFileError
from grader.model.classwork import BatchInfo, JournalEntry

BATCH_FILE = "batch.json"
JOURNAL_FILE = "journal.jsonl"
REPORTS_DIR = "reports"
MAX_LINE_BYTES = 4 << 20  # a journal line: one student's entry, evidence digests included


def write_atomic(path: Path, data: str | bytes, *, sync: bool = True) -> None:
    """Write ``path`` through a temporary file and a rename: readers see the old file or the whole new one."""
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with open(staging, "wb") as handle:
        handle.write(raw)
        handle.flush()
        if sync:
            os.fsync(handle.fileno())
    os.replace(staging, path)


def remove_leftovers(folder: Path) -> None:
    """Temporary files an interrupted run left behind."""
    for stale in folder.glob(".*.tmp"):
        stale.unlink(missing_ok=True)


def read_info(folder: Path) -> BatchInfo | None:
    """The folder's ``batch.json``; None for a folder that does not exist or is empty. A folder holding other
    things is refused: a batch never writes into a folder it did not make."""
    path = folder / BATCH_FILE
    if not path.exists():
        if folder.exists() and any(folder.iterdir()):
            raise LabFileError([f"{folder}: not empty and not a batch folder (no {BATCH_FILE}); use another one"])
        return None
    try:
        return BatchInfo.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise LabFileError([f"{path}: not a labgrader batch file ({str(exc).splitlines()[0]})"]) from None


def write_info(folder: Path, info: BatchInfo) -> None:
    write_atomic(folder / BATCH_FILE, info.model_dump_json(indent=2) + "\n")


def entries(folder: Path, *, notes: list[str] | None = None) -> Iterator[JournalEntry]:
    """The journal's entries, one at a time. A last line without its line end was cut by a crash while it was
    being appended (never committed): it is skipped, and described in ``notes`` when given. Any other line that
    is not an entry is a one-line ``LabFileError`` naming the file and line."""
    path = folder / JOURNAL_FILE
    if not path.exists():
        return
    with path.open("rb") as handle:
        number = 0
        while line := handle.readline(MAX_LINE_BYTES + 1):
            number += 1
            if not line.endswith(b"\n"):
                if len(line) > MAX_LINE_BYTES:
                    raise LabFileError([f"{path}:{number}: line longer than {MAX_LINE_BYTES >> 20} MiB"])
                if notes is not None:
                    notes.append(f"{path}:{number}: the last line is incomplete (cut by an interruption?) and "
                                 "was ignored; rerun the batch to grade that student")
                return
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except (ValueError, UnicodeDecodeError) as exc:
                raise LabFileError([f"{path}:{number}: not JSON: {exc}"]) from None
            try:
                yield JournalEntry.model_validate(data)
            except ValidationError as exc:
                error = exc.errors()[0]
                where = ".".join(str(part) for part in error["loc"])
                more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
                raise LabFileError([f"{path}:{number}: not a journal entry: {where + ': ' if where else ''}"
                                    f"{error['msg']}{more}"]) from None


def _reports_exist(folder: Path, entry: JournalEntry) -> bool:
    for relative in (entry.report, entry.html):
        if relative is not None:
            try:
                if (folder / relative).stat().st_size == 0:
                    return False
            except OSError:
                return False
    return True


def done(folder: Path) -> set[str]:
    """The students (case-folded ids) the journal holds with their reports. Entries whose reports are gone
    (a power cut before the page cache reached the disk) are removed from the journal, to be graded again."""
    students = {e.student.casefold() for e in entries(folder) if _reports_exist(folder, e)}
    if len(students) < sum(1 for _ in entries(folder)):
        staging = folder / f".{JOURNAL_FILE}.{os.getpid()}.tmp"
        with staging.open("wb") as handle:
            for entry in entries(folder):
                if entry.student.casefold() in students:
                    handle.write(_line(entry))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, folder / JOURNAL_FILE)
    return students


def _line(entry: JournalEntry) -> bytes:
    return (json.dumps(entry.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"
            ).encode("utf-8")


class Journal:
    """``journal.jsonl`` opened for appending (one writer: the batch's main process)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / JOURNAL_FILE
        self._repair()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)

    def _repair(self) -> None:
        """Drop a last line that a crash cut short, so the next entry starts on a line of its own."""
        if not self.path.exists():
            return
        with self.path.open("rb+") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size == 0:
                return
            handle.seek(size - 1)
            if handle.read(1) == b"\n":
                return
            keep = size
            while keep > 0:
                step = min(65536, keep)
                handle.seek(keep - step)
                chunk = handle.read(step)
                newline = chunk.rfind(b"\n")
                if newline >= 0:
                    keep = keep - step + newline + 1
                    break
                keep -= step
            handle.truncate(keep)

    def append(self, entry: JournalEntry) -> None:
        """Add one line (one ``write``); ``sync`` makes the lines added so far durable."""
        data = _line(entry)
        written = os.write(self._fd, data)
        if written != len(data):
            raise OSError(f"{self.path}: short write ({written} of {len(data)} bytes)")

    def sync(self) -> None:
        os.fsync(self._fd)

    def close(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
