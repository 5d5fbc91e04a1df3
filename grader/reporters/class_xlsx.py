"""The class as an Excel workbook (openpyxl, written row by row): values only, no formulas.

Sheets: ``Grades`` (student, name, status, score, max, percentage, flags, then the points scored on each
objective; header row and the first two columns frozen), ``Objectives`` (title, points, outcome counts, pass
rate) and ``Batch`` (what was graded, by which tool version). Every text cell is stored as text, and text a
spreadsheet would take for a formula (``= + - @`` first) is also marked with Excel's quote prefix, so that
editing the cell keeps it text.
"""

from __future__ import annotations

import io
from datetime import UTC
from typing import TYPE_CHECKING, Any

from grader.model.class_results import ClassResults
from grader.model.report import Outcome
from grader.reporters.class_stats import FORMULA_START, ClassStats, clean_entry, collect, one_line, rows
from grader.reporters.registry import PLAIN, RenderOptions, report_format
from grader.reporters.text import num

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written, not with every command
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MIN_WIDTH, MAX_WIDTH = 8, 60
GRADES_HEADER = ["Student", "Name", "Status", "Score", "Max", "Percentage", "Flags"]


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=one_line(value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if cell.value.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _widths(sheet: WriteOnlyWorksheet, columns: list[list[Any]]) -> None:
    from openpyxl.utils import get_column_letter

    for n, values in enumerate(columns, start=1):
        longest = max((len(one_line(v) if isinstance(v, str) else num(v)) for v in values if v is not None),
                      default=0)
        sheet.column_dimensions[get_column_letter(n)].width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)


def _flags(stats: ClassStats, entry: Any) -> str:
    reason = [f"{entry.status}: {entry.reason}"] if entry.reason else []
    return "; ".join(one_line(flag) for flag in reason + stats.flags(entry))


def _grades(book: Workbook, results: ClassResults, stats: ClassStats) -> None:
    sheet = book.create_sheet("Grades")
    objectives = list(stats.objectives.values())
    header = GRADES_HEADER + [f"{o.id} ({num(o.points)})" for o in objectives]
    entries = [clean_entry(e) for e in results.entries]
    flags = {e.student: _flags(stats, e) for e in entries}
    _widths(sheet, [[header[0], *(e.student for e in entries)], [header[1], *(e.name for e in entries)],
                    [header[2], "refused"], [header[3], "100.00"], [header[4], "100.00"], [header[5]],
                    [header[6], *flags.values()], *([h] for h in header[len(GRADES_HEADER):])])
    sheet.freeze_panes = "C2"
    sheet.append([_cell(sheet, h, bold=True) for h in header])
    for entry, report in rows(results):
        scored = {o.id: o.score for o in report.objectives} if report else {}
        has_score = entry.status == "graded" or (entry.status == "error" and report is not None)
        values: list[Any] = [entry.student, entry.name, entry.status,
                             entry.score if has_score else None, results.batch.max_score,
                             entry.percentage if has_score else None, flags[entry.student]]
        values += [scored.get(o.id) for o in objectives]
        sheet.append([_cell(sheet, v) for v in values])


def _objectives(book: Workbook, stats: ClassStats) -> None:
    sheet = book.create_sheet("Objectives")
    header = ["Objective", "Title", "Points", "Hidden", "Pass", "Fail", "Error", "Skip", "Pass rate (%)"]
    objectives = list(stats.objectives.values())
    _widths(sheet, [[header[0], *(o.id for o in objectives)], [header[1], *(o.title for o in objectives)],
                    *([h] for h in header[2:])])
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, h, bold=True) for h in header])
    for o in objectives:
        sheet.append([_cell(sheet, v) for v in (
            o.id, o.title, o.points, "yes" if o.hidden else "no", *(o.counts[x] for x in Outcome),
            round(100 * o.pass_rate, 1))])


def _batch(book: Workbook, results: ClassResults) -> None:
    sheet = book.create_sheet("Batch")
    batch = results.batch
    pairs: list[tuple[str, Any]] = [
        ("Lab", batch.lab), ("Lab title", batch.lab_title), ("Lab hash", batch.lab_hash),
        ("Maximum score", batch.max_score), ("Roster", batch.roster), ("Roster hash", batch.roster_hash),
        ("Shard", batch.shard or "whole class"), ("Tool version", batch.tool_version),
        ("Started", batch.started.isoformat(timespec="seconds")),
        *((f"Student {status}", results.count(status)) for status in ("graded", "refused", "error")),
        *(("Note", note) for note in results.notes),
    ]
    _widths(sheet, [[k for k, _ in pairs], [v for _, v in pairs]])
    for key, value in pairs:
        sheet.append([_cell(sheet, key, bold=True), _cell(sheet, value)])


@report_format("xlsx", reads="class", writes="bytes", suffix=".xlsx",
               summary="Excel workbook: grades (points per objective), objectives, batch; values only")
def render(results: ClassResults, options: RenderOptions = PLAIN) -> bytes:
    """The class as an .xlsx workbook."""
    from openpyxl import Workbook

    stats = collect(results)
    book = Workbook(write_only=True)
    started = results.batch.started
    if started.tzinfo is not None:  # workbook properties are naive UTC
        started = started.astimezone(UTC).replace(tzinfo=None)
    book.properties.created = book.properties.modified = started
    book.properties.title = one_line(results.batch.lab_title)
    _grades(book, results, stats)
    _objectives(book, stats)
    _batch(book, results)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
