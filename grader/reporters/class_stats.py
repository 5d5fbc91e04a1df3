"""What the class reporters share: entries and reports made safe to show, spreadsheet-safe text, file-safe
names, and the class statistics gathered in one pass over the reports.

Identical work is found by ``class_similar``.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from grader.model.class_results import ClassResults
from grader.model.classwork import JournalEntry
from grader.model.report import GradeReport, Outcome
from grader.reporters.class_similar import Similarity, expectations, similarity
from grader.text import printable, printable_data

BINS = 10  # score histogram: 0-10 %, ..., 90-100 %
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- safe text ---------------------------------------------------------------------------------------


def clean_entry(entry: JournalEntry) -> JournalEntry:
    """``entry`` with every string safe to show to a person (see ``grader.text.printable``)."""
    return JournalEntry.model_validate(printable_data(entry.model_dump()))


def clean_report(report: GradeReport) -> GradeReport:
    return GradeReport.model_validate(printable_data(report.model_dump()))


def rows(results: ClassResults) -> Iterator[tuple[JournalEntry, GradeReport | None]]:
    """Each student's entry and report (None when it has none), strings made safe to show."""
    for entry, report in results.reports():
        yield clean_entry(entry), None if report is None else clean_report(report)


def sheet_text(value: str) -> str:
    """``value`` as a spreadsheet shows it literally: text a spreadsheet would take for a formula (starting
    with ``= + - @``, a tab or a carriage return) gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def one_line(value: str) -> str:
    return " ".join(printable(value, one_line=True).replace("\ufffd", " ").split())


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._@+-]")


def file_names(students: Iterable[str]) -> dict[str, str]:
    """A distinct, portable file name for each student id (characters outside ``A-Z a-z 0-9 . _ @ + -``
    become ``_``; a clash gets ``-2``, ``-3``, ...)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for student in students:
        base = _UNSAFE_NAME.sub("_", student).lstrip(".")[:80] or "student"
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.casefold())
        names[student] = name
    return names


# --- normalised failure reasons ----------------------------------------------------------------------

_IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?(?![\w.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:/\d{1,3})?(?![\w:])")
_NUMBER = re.compile(r"(?<![\w./:-])\d+(?:\.\d+)?(?![\w./:])")


def reason(message: str) -> str:
    """A failure message with what varies between students replaced: addresses become ``<ip>``, standalone
    numbers ``<n>`` (``r1``, ``eth2`` and ``GigabitEthernet0/0/1`` are kept)."""
    text = one_line(message)
    text = _IPV4.sub("<ip>", text)
    text = _IPV6.sub("<ip>", text)
    return _NUMBER.sub("<n>", text)


# --- statistics ----------------------------------------------------------------------------------------


@dataclass
class ObjectiveStats:
    id: str
    title: str
    points: float
    hidden: bool
    counts: Counter[Outcome] = field(default_factory=Counter)

    @property
    def graded(self) -> int:
        return sum(self.counts.values())

    @property
    def pass_rate(self) -> float:
        """Share of graded students for whom the objective passed (0 to 1)."""
        return self.counts[Outcome.PASS] / self.graded if self.graded else 0.0


@dataclass
class ClassStats:
    objectives: dict[str, ObjectiveStats] = field(default_factory=dict)  # in lab order
    reasons: Counter[tuple[str, str]] = field(default_factory=Counter)  # (objective, reason) → students
    similar: Similarity = field(default_factory=Similarity)
    percentages: list[float] = field(default_factory=list)  # of graded students

    def histogram(self) -> list[int]:
        """Graded students per tenth of the maximum score (100 % falls in the last bin)."""
        bins = [0] * BINS
        for value in self.percentages:
            bins[min(max(int(value // (100 / BINS)), 0), BINS - 1)] += 1
        return bins

    def summary(self) -> dict[str, float]:
        values = self.percentages
        if not values:
            return {}
        return {"mean": statistics.fmean(values), "median": statistics.median(values), "min": min(values),
                "max": max(values)}

    def flags(self, entry: JournalEntry) -> list[str]:
        """What a person should look at for this student: the report's warnings, then identical work."""
        return [*entry.warnings, *self.similar.flags(entry.student)]


def collect(results: ClassResults) -> ClassStats:
    """The class statistics, in one pass over the reports. Objective counts and failure reasons cover the
    graded students (not the refused, not those in error)."""
    stats = ClassStats()
    expected: dict[str, dict[str, str]] = {}
    entries: list[JournalEntry] = []
    for entry, report in rows(results):
        entries.append(entry)
        if report is None:
            continue
        expected[entry.student] = expectations(report)
        for obj in report.objectives:
            stats.objectives.setdefault(obj.id, ObjectiveStats(obj.id, obj.title, obj.points, obj.hidden))
        if entry.status != "graded":
            continue
        stats.percentages.append(entry.percentage)
        seen: set[tuple[str, str]] = set()
        for obj in report.objectives:
            stats.objectives[obj.id].counts[obj.outcome] += 1
            if obj.outcome not in (Outcome.FAIL, Outcome.ERROR):
                continue
            bad = [c.message for c in obj.checks if c.outcome in (Outcome.FAIL, Outcome.ERROR)] or [obj.message]
            seen.update((obj.id, reason(message)) for message in bad)
        stats.reasons.update(seen)
    stats.similar = similarity(entries, expected)
    return stats
