"""The batch folder on disk: ``batch.json``, the append-only ``journal.jsonl`` and atomic report files.

The journal is the commit log of a batch: a student is done when their line is in it. Each line is written
with one ``write`` on a file opened for appending and then ``fsync``-ed, after the student's reports are
safely on disk, so after a crash (even ``kill -9`` or a power cut) a line names reports that exist. A line cut
short by a crash is the only damage possible; ``Journal.open`` removes it before appending again.
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
    path = folder / BATCH_FILE
    if not path.exists():
        return None
    try:
        return BatchInfo.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise LabFileError([f"{path}: not a labgrader batch file ({str(exc).splitlines()[0]})"]) from None


def write_info(folder: Path, info: BatchInfo) -> None:
    write_atomic(folder / BATCH_FILE, info.model_dump_json(indent=2) + "\n")


def entries(folder: Path) -> Iterator[JournalEntry]:
    """The journal's entries, one at a time (a last line cut short by a crash is skipped)."""
    path = folder / JOURNAL_FILE
    if not path.exists():
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.endswith(b"\n"):
                return  # cut short by a crash: never committed
            if not line.strip():
                continue
            try:
                yield JournalEntry.model_validate_json(line)
            except ValidationError as exc:
                raise LabFileError([f"{path}:{number}: not a journal entry ({exc.errors()[0]['msg']})"]) from None


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
        line = (json.dumps(entry.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n")
        data = line.encode("utf-8")
        written = os.write(self._fd, data)
        if written != len(data):
            raise OSError(f"{self.path}: short write ({written} of {len(data)} bytes)")
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
