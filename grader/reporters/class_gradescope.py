"""Gradescope ``results.json`` for every student, as a zip archive: ``<student>/results.json`` (written by the
``gradescope`` format from the student's report) and ``students.json`` (folder name → student id; ids are
made safe as file names). A student without a report gets a results.json with score 0 that says why (refused,
or not graded). ``labgrader export --format gradescope-zip --out DIR`` writes the folder instead of the zip.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from datetime import UTC

from grader.model.class_results import ClassResults
from grader.model.classwork import JournalEntry
from grader.reporters import gradescope
from grader.reporters.class_stats import clean_entry, file_names, one_line, rows
from grader.reporters.registry import PLAIN, RenderOptions, report_format


def _without_report(entry: JournalEntry) -> str:
    why = "the submission was refused" if entry.status == "refused" else "the submission could not be graded"
    results = {
        "score": 0,
        "output": html.escape(f"Not graded: {why}: {one_line(entry.reason or 'no report')}"),
        "output_format": "simple_format",
        "visibility": "visible",
        "tests": [],
    }
    return json.dumps(results, indent=2) + "\n"


@report_format("gradescope-zip", reads="class", writes="bytes", suffix=".zip",
               summary="Gradescope results.json per student, in a zip (<student>/results.json)")
def render(results: ClassResults, options: RenderOptions = PLAIN) -> bytes:
    """A zip of each student's Gradescope results.json."""
    names = file_names(clean_entry(entry).student for entry in results.entries)
    started = results.batch.started.astimezone(UTC) if results.batch.started.tzinfo else results.batch.started
    stamp = (max(started.year, 1980), started.month, started.day, started.hour, started.minute, started.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        def add(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))

        index: dict[str, str] = {}
        for entry, report in rows(results):
            folder = names[entry.student]
            index[folder] = entry.student
            add(f"{folder}/results.json", _without_report(entry) if report is None else gradescope.render(report))
        add("students.json", json.dumps(index, indent=2, ensure_ascii=False) + "\n")
    return buffer.getvalue()
