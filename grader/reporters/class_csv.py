"""Gradebook imports as CSV, for Moodle ("Import grades > CSV file") and Canvas (Grades > Import).

Only graded students are written: a refused or unfinished student has no grade to import, and an empty cell
would erase a grade already in the gradebook. Text a spreadsheet would take for a formula (``= + - @`` first)
gets a leading apostrophe. See docs/exports.md for the mapping an instructor chooses on import.

Moodle: ``Student ID`` (the roster id; map it to the user field it is: ``useridnumber``, ``useremail`` or
``username``), ``Full name``, ``<lab title>`` (points out of the lab's maximum), ``<lab title> (%)``
(out of 100, the maximum of a new grade item) and ``Feedback`` (score and objectives passed, for the student).

Canvas: ``Student, ID, SIS User ID, SIS Login ID, Section`` then the assignment, ``<lab title> (<id>)`` when
the Canvas assignment id is given, else ``<lab title>`` (Canvas then matches an assignment of exactly that
title or creates one); a ``Points Possible`` row sets its points to the lab's maximum. Canvas finds a student
by ``ID`` (the Canvas user id, left empty), then ``SIS User ID``, then ``SIS Login ID`` (both hold the roster
id), then by name.
"""

from __future__ import annotations

import csv
import io

from grader.model.class_results import ClassResults
from grader.model.classwork import JournalEntry
from grader.reporters.class_stats import clean_entry, one_line, sheet_text
from grader.reporters.registry import PLAIN, RenderOptions, report_format


def number(value: float) -> str:
    """A score as a gradebook reads it: ``12.5``, ``100``, ``96.67`` (a point, at most two decimals)."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _graded(results: ClassResults) -> list[JournalEntry]:
    return [clean_entry(e) for e in results.entries if e.status == "graded"]


def _title(results: ClassResults) -> str:
    return one_line(results.batch.lab_title) or results.batch.lab


@report_format("moodle-csv", reads="class", suffix=".csv",
               summary="Moodle grade import (Grades > Import > CSV file): id, name, points, %, feedback")
def moodle(results: ClassResults, options: RenderOptions = PLAIN) -> str:
    """The graded students as a CSV file for Moodle's grade import."""
    title = _title(results)
    header = ["Student ID", "Full name", title, f"{title} (%)", "Feedback"]
    rows = [[sheet_text(cell) for cell in header]]
    for entry in _graded(results):
        feedback = (f"{number(entry.score)}/{number(entry.max_score)} points ({entry.percentage:.1f}%) "
                    f"in {title}")
        rows.append([sheet_text(one_line(entry.student)), sheet_text(one_line(entry.name)), number(entry.score),
                     number(entry.percentage), sheet_text(feedback)])
    return _csv(rows)


@report_format("canvas-csv", reads="class", suffix=".csv",
               summary="Canvas gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, the lab")
def canvas(results: ClassResults, options: RenderOptions = PLAIN) -> str:
    """The graded students as a CSV file for Canvas' gradebook import."""
    assignment = _title(results)
    if options.assignment_id:
        assignment += f" ({one_line(options.assignment_id)})"
    rows = [[sheet_text(cell) for cell in ("Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment)]]
    rows.append(["Points Possible", "", "", "", "", number(results.batch.max_score)])
    for entry in _graded(results):
        student = sheet_text(one_line(entry.student))
        rows.append([sheet_text(one_line(entry.name)) or student, "", student, student, "", number(entry.score)])
    return _csv(rows)
