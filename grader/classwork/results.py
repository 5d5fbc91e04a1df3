"""Reading a batch folder (the contract is ``grader.model.classwork``) for exports and class analytics.

Streaming and strict. ``batch.json`` must be a ``BatchInfo``. ``journal.jsonl`` is read line by line and each
line must be a ``JournalEntry`` of a student not seen before -- except a last line without its line end that
is not JSON: a crash cut it while it was being appended, so it is ignored with a note (rerunning the batch
grades that student again). Reports are read only when iterated, one at a time, and each must be a
``GradeReport`` inside the folder, of the batch's lab and of its student. Every problem is one line naming the
file (and line), raised as ``BatchFolderError``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from grader.classwork.journal import JOURNAL_FILE, entries
from grader.errors import GraderError, LabFileError
from grader.model.class_results import ClassResults
from grader.model.classwork import BatchInfo, JournalEntry
from grader.model.report import GradeReport
from grader.text import printable

MAX_BATCH_BYTES = 1 << 20
MAX_REPORT_BYTES = 64 << 20


class BatchFolderError(GraderError):
    """A batch folder is missing a file, or one of its files is malformed."""


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where + ': ' if where else ''}{error['msg']}{more}"


def _read_bounded(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise BatchFolderError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise BatchFolderError(f"{path}: larger than {limit >> 20} MiB")
    return data


def _batch_info(folder: Path) -> BatchInfo:
    path = folder / "batch.json"
    if not folder.is_dir():
        raise BatchFolderError(f"{folder}: not a folder")
    if not path.is_file():
        raise BatchFolderError(f"{folder}: not a batch folder (no batch.json)")
    try:
        return BatchInfo.model_validate_json(_read_bounded(path, MAX_BATCH_BYTES))
    except ValidationError as exc:
        raise BatchFolderError(f"{path}: not a batch description: {_first_error(exc)}") from None


def _journal(folder: Path) -> tuple[list[JournalEntry], list[str]]:
    """The journal's entries in file order (read by ``journal.entries``), each of a student not seen before,
    and notes (a cut last line)."""
    path = folder / JOURNAL_FILE
    if not path.exists():
        return [], [f"{path}: missing: no student has finished yet"]
    found: list[JournalEntry] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    try:
        for number, entry in enumerate(entries(folder, notes=notes), start=1):
            where = f"{path}:{number}: student {printable(entry.student, one_line=True)!r}"
            if entry.student in seen:
                raise BatchFolderError(f"{where} is already on line {seen[entry.student]}")
            if entry.status == "graded" and not entry.report:
                raise BatchFolderError(f"{where} is graded but names no report")
            seen[entry.student] = number
            found.append(entry)
    except LabFileError as exc:
        raise BatchFolderError(exc.problems[0]) from None
    except OSError as exc:
        raise BatchFolderError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return found, notes


def _inside(folder: Path, relative: str, what: str) -> Path:
    """``folder/relative`` when ``relative`` is a plain relative path that stays inside ``folder``."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative:
        raise BatchFolderError(f"{folder}: {what} {printable(relative, one_line=True)!r} is not a path inside "
                               "the batch folder")
    path = folder.joinpath(*parts)
    if not path.resolve().is_relative_to(folder.resolve()):
        raise BatchFolderError(f"{folder}: {what} {printable(relative, one_line=True)!r} leads outside the "
                               "batch folder")
    return path


def _report_loader(folder: Path, batch: BatchInfo) -> Callable[[JournalEntry], GradeReport | None]:
    def load(entry: JournalEntry) -> GradeReport | None:
        if not entry.report:
            return None
        path = _inside(folder, entry.report, "report")
        if not path.is_file():
            raise BatchFolderError(f"{path}: missing (the journal names it for student "
                                   f"{printable(entry.student, one_line=True)!r})")
        try:
            report = GradeReport.model_validate_json(_read_bounded(path, MAX_REPORT_BYTES))
        except ValidationError as exc:
            raise BatchFolderError(f"{path}: not a grade report: {_first_error(exc)}") from None
        if report.lab.id != batch.lab:
            raise BatchFolderError(f"{path}: a report of lab {printable(report.lab.id, one_line=True)!r}, the "
                                   f"batch is of lab {printable(batch.lab, one_line=True)!r}")
        if report.student is not None and report.student != entry.student:
            raise BatchFolderError(f"{path}: a report of student {printable(report.student, one_line=True)!r}, "
                                   f"the journal says {printable(entry.student, one_line=True)!r}")
        return report
    return load


def read_class(folder: Path | str) -> ClassResults:
    """Read the batch folder ``folder``: its batch info and journal now, its reports when iterated."""
    folder = Path(folder)
    batch = _batch_info(folder)
    found, notes = _journal(folder)
    for entry in found:
        if entry.html:
            _inside(folder, entry.html, "HTML report")
    found.sort(key=lambda e: e.student)
    return ClassResults(source=str(folder), batch=batch, entries=tuple(found), notes=tuple(notes),
                        load_report=_report_loader(folder, batch))
