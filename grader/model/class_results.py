"""A batch folder as read for exports and class analytics: what the class reporters (``reads="class"``) get.

The journal entries are held in memory (one small record per student); the reports are loaded one at a time
when iterated, so a class of any size is read in bounded memory. ``grader.classwork.results.read_class``
builds it from a folder; tests may build one from values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from grader.model.classwork import BatchInfo, JournalEntry
from grader.model.report import GradeReport


def _no_report(entry: JournalEntry) -> GradeReport | None:
    return None


@dataclass(frozen=True)
class ClassResults:
    """One batch folder: its ``BatchInfo``, one ``JournalEntry`` per student (sorted by student id), notes
    for the reader of an export (e.g. a journal line cut by a crash was ignored), and ``load_report``, which
    reads one student's ``GradeReport`` (None when the entry has none)."""

    source: str  # the folder as given, for messages
    batch: BatchInfo
    entries: tuple[JournalEntry, ...]
    notes: tuple[str, ...] = ()
    load_report: Callable[[JournalEntry], GradeReport | None] = _no_report

    def reports(self) -> Iterator[tuple[JournalEntry, GradeReport | None]]:
        """Each entry with its report, loaded lazily (a second iteration reads the reports again)."""
        for entry in self.entries:
            yield entry, self.load_report(entry)

    def count(self, status: str) -> int:
        return sum(entry.status == status for entry in self.entries)
