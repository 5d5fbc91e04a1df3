"""Merging batch folders (the shards of one class, or reruns) into one, idempotently.

Every input must be a batch of the same lab and lab hash. A student already in the output's journal is left
as it is; anyone else is added with their report files. Merging the same folders again adds nothing, so a
merge step can be retried safely. A student found in two inputs is taken from the first and reported.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from grader.classwork import journal
from grader.classwork.roster import check_student_id
from grader.errors import LabFileError
from grader.model.classwork import BatchInfo, JournalEntry


@dataclass
class MergeSummary:
    added: int = 0
    present: int = 0
    conflicts: list[str] = field(default_factory=list)


def _info(folder: Path) -> BatchInfo:
    info = journal.read_info(folder)
    if info is None:
        raise LabFileError([f"{folder}: not a batch folder (no {journal.BATCH_FILE})"])
    return info


def _merged_info(infos: list[BatchInfo], existing: BatchInfo | None) -> BatchInfo:
    first = existing or infos[0]
    for info in infos:
        if (info.lab, info.lab_hash) != (first.lab, first.lab_hash):
            raise LabFileError([f"cannot merge batches of different labs or lab versions: {first.lab} "
                                f"({first.lab_hash[:12]}…) and {info.lab} ({info.lab_hash[:12]}…)"])
    everything = [*([existing] if existing else []), *infos]
    rosters = sorted({(i.roster, i.roster_hash) for i in everything})
    roster = rosters[0] if len(rosters) == 1 else (
        "; ".join(r for r, _ in rosters), hashlib.sha256("".join(h for _, h in rosters).encode()).hexdigest())
    started: datetime = min(i.started for i in everything)
    return first.model_copy(update={"roster": roster[0], "roster_hash": roster[1], "shard": None,
                                    "started": started})


def _copy_report(source: Path, out: Path, relative: str | None, student: str) -> None:
    if relative is None:
        return
    name = Path(relative).name
    if relative != f"{journal.REPORTS_DIR}/{name}" or name not in (f"{student}.json", f"{student}.html"):
        raise LabFileError([f"{source}: report path {relative!r} of {student!r} is not reports/<student>.<ext>"])
    journal.write_atomic(out / journal.REPORTS_DIR / name, (source / relative).read_bytes())


def merge_batches(inputs: list[Path], out: Path) -> MergeSummary:
    """Add to ``out`` every student of ``inputs`` it does not hold yet (see the module docs)."""
    existing = journal.read_info(out)
    if not inputs:
        raise LabFileError(["give the batch folders to merge"])
    infos = [_info(folder) for folder in inputs]
    out.mkdir(parents=True, exist_ok=True)
    journal.write_info(out, _merged_info(infos, existing))
    (out / journal.REPORTS_DIR).mkdir(exist_ok=True)
    journal.remove_leftovers(out / journal.REPORTS_DIR)
    summary = MergeSummary()
    taken: dict[str, str] = {e.student.casefold(): str(out) for e in journal.entries(out)}
    with journal.Journal(out) as log:
        for folder in inputs:
            if folder.resolve() == out.resolve():
                continue
            for entry in journal.entries(folder):
                _add(entry, folder, out, log, taken, summary)
    return summary


def _add(entry: JournalEntry, folder: Path, out: Path, log: journal.Journal, taken: dict[str, str],
         summary: MergeSummary) -> None:
    try:
        check_student_id(entry.student)
    except ValueError as exc:
        raise LabFileError([f"{folder / journal.JOURNAL_FILE}: {exc}"]) from None
    key = entry.student.casefold()
    if key in taken:
        if taken[key] == str(out):
            summary.present += 1
        else:
            summary.conflicts.append(f"{entry.student} is in {taken[key]} and {folder}: kept the first")
        return
    _copy_report(folder, out, entry.report, entry.student)
    _copy_report(folder, out, entry.html, entry.student)
    log.append(entry)
    taken[key] = str(folder)
    summary.added += 1
