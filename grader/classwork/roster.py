"""Rosters: CSV files of students, read as a stream and validated row by row (``file:line`` errors).

A roster is untrusted text (exported from a learning platform, edited by hand): student ids become file names
(``reports/<id>.json``), so an id must be a safe name; names are shown to people, so they may not carry
control characters; submission paths must stay inside the roster's folder. The course roster needs the
``student`` column; a batch roster needs ``student``, ``name`` and ``submission``. Other columns are ignored.

::

    student,name,submission
    s001,Ada Lovelace,bundles/s001.zip       a bundle made by `labgrader submit`
    s002,Alan Turing,devices/s002.yaml        an inventory: grade the student's devices live
    s003,Grace Hopper,                        nothing submitted
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.errors import LabFileError
from grader.text import printable

_ID = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_-])?$")
# Names Windows reserves for devices, whatever the extension: a report named CON.json cannot be written there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_NAME = 200
MAX_PATH = 1024
BUNDLE_SUFFIXES = (".zip",)
INVENTORY_SUFFIXES = (".yaml", ".yml")


def check_student_id(value: str) -> str:
    """A student id that is safe as a file name on every system; ``ValueError`` (one line) otherwise."""
    if not _ID.match(value):
        raise ValueError(f"student id {printable(value, one_line=True)!r} is not a safe name (1-64 letters, "
                         "digits, '.', '_' or '-', starting with a letter or digit, not ending with '.')")
    if value.split(".")[0].casefold() in _RESERVED:
        raise ValueError(f"student id {value!r} is a name Windows reserves for devices")
    return value


_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _check_text(value: str, what: str, limit: int) -> str:
    """No control characters, lone surrogates or bidi controls (which reorder what a reader sees); joiners
    and other format characters that names in many scripts need are fine."""
    if len(value) > limit:
        raise ValueError(f"{what} is longer than {limit} characters")
    if any(unicodedata.category(c) in {"Cc", "Cs"} or c in _BIDI for c in value):
        raise ValueError(f"{what} {printable(value, one_line=True)[:60]!r} holds control or formatting characters")
    return value


def check_submission_path(value: str) -> str:
    """A submission path: relative, ``/``-separated, no ``..``, a bundle (.zip) or an inventory (.yaml)."""
    _check_text(value, "submission path", MAX_PATH)
    path = PurePosixPath(value)
    if "\\" in value or path.is_absolute() or re.match(r"^[A-Za-z]:", value) or ".." in path.parts:
        raise ValueError(f"submission path {value!r} must be relative to the roster's folder, without '..'")
    if not value.endswith(BUNDLE_SUFFIXES + INVENTORY_SUFFIXES):
        raise ValueError(f"submission path {value!r} is neither a bundle (.zip) nor an inventory (.yaml, .yml)")
    return value


@dataclass(frozen=True)
class RosterRow:
    line: int
    student: str
    name: str = ""
    submission: str | None = None  # as written in the roster (relative to its folder); None: nothing submitted


def read_roster(path: Path, *, need_submission: bool = False) -> Iterator[RosterRow]:
    """The rows of a roster CSV, validated one by one (``LabFileError`` ``file:line: ...`` on the first bad
    row). Holds one row and the set of ids seen, never the whole file."""
    columns = ("student", "name", "submission") if need_submission else ("student",)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise LabFileError([f"{path}: cannot read the roster: {exc.strerror or exc}"]) from None
    seen: set[str] = set()
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = [h.strip().casefold() for h in next(reader, [])]
            missing = [c for c in columns if c not in header]
            if missing:
                raise LabFileError([f"{path}:1: the header must name the columns {', '.join(columns)} "
                                    f"(missing: {', '.join(missing)})"])
            index = {c: header.index(c) for c in ("student", "name", "submission") if c in header}
            for cells in reader:
                line = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                yield _row(path, line, cells, index, seen)
        except UnicodeDecodeError as exc:
            raise LabFileError([f"{path}: not UTF-8 (byte {exc.start})"]) from None
        except csv.Error as exc:
            raise LabFileError([f"{path}:{reader.line_num}: not a valid CSV row: {exc}"]) from None


def _row(path: Path, line: int, cells: list[str], index: dict[str, int], seen: set[str]) -> RosterRow:
    def cell(column: str) -> str:
        at = index.get(column)
        return cells[at].strip() if at is not None and at < len(cells) else ""

    try:
        student = check_student_id(cell("student"))
        name = _check_text(cell("name"), "name", MAX_NAME)
        submission = cell("submission") or None
        if submission is not None:
            check_submission_path(submission)
    except ValueError as exc:
        raise LabFileError([f"{path}:{line}: {exc}"]) from None
    key = student.casefold()  # s001 and S001 would share a report file on Windows and macOS
    if key in seen:
        raise LabFileError([f"{path}:{line}: student {student!r} is listed twice"])
    seen.add(key)
    return RosterRow(line=line, student=student, name=name, submission=submission)


def roster_ids(path: Path) -> list[str]:
    """Every student id of a roster (a class list: kept in memory, it is small)."""
    return [row.student for row in read_roster(path)]
