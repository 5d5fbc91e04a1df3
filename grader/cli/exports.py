"""Commands that read a batch folder: export (gradebook imports, Gradescope, JUnit, a workbook) and report
(the class analytics page)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import click

from grader.cli.common import one_line_errors, write_output
from grader.errors import LabFileError
from grader.model.class_results import ClassResults
from grader.reporters import RenderOptions, format_names
from grader.text import printable

REPORT_NAME = "class-report.html"


def _summary(results: ClassResults) -> None:
    """What a person should know about the export, on stderr: notes and the students not graded."""
    for note in results.notes:
        click.echo(f"note: {printable(note, one_line=True)}", err=True)
    missing = [e for e in results.entries if e.status != "graded"]
    click.echo(f"{len(results.entries)} students: {results.count('graded')} graded, {results.count('refused')} "
               f"refused, {results.count('error')} not graded (error)", err=True)
    for entry in missing[:20]:
        click.echo(f"  {printable(entry.student, one_line=True)}: {entry.status}: "
                   f"{printable(entry.reason or 'no reason given', one_line=True)}", err=True)
    if len(missing) > 20:
        click.echo(f"  ... and {len(missing) - 20} more", err=True)


def _unpack(archive: bytes, out: Path) -> None:
    """Write the files of ``archive`` (names made by a class format: plain relative paths) under ``out``."""
    if out.exists() and not out.is_dir():
        raise LabFileError([f"{out}: exists and is not a folder"])
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        for name in zipped.namelist():
            write_output(zipped.read(name), out / name)


@click.command()
@click.argument("batch_dir", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(format_names("class")), required=True,
              help="What to write (see docs/exports.md).")
@click.option("--out", "--output", "-o", "out", type=click.Path(path_type=Path),
              help="File to write (stdout for text formats when missing); for gradescope-zip, a path not "
                   "ending in .zip is a folder to write <student>/results.json into.")
@click.option("--assignment-id", type=click.IntRange(min=1), default=None,
              help="canvas-csv: the Canvas assignment's id (the number in its URL), to update that assignment.")
@one_line_errors
def export(batch_dir: Path, fmt: str, out: Path | None, assignment_id: int | None) -> None:
    """Export the grades of the batch folder BATCH_DIR for a gradebook, Gradescope, CI or a spreadsheet."""
    from grader.classwork.results import read_class
    from grader.reporters import get_format

    results = read_class(batch_dir)
    chosen = get_format(fmt, "class")
    content = chosen.render(results, RenderOptions(assignment_id=None if assignment_id is None
                                                   else str(assignment_id)))
    if isinstance(content, bytes) and chosen.suffix == ".zip" and out is not None and out.suffix != ".zip":
        _unpack(content, out)
    else:
        write_output(content, out)
    if out is not None:
        click.echo(f"wrote {out}", err=True)
    _summary(results)


@click.command()
@click.argument("batch_dir", type=click.Path(path_type=Path))
@click.option("--out", "--output", "-o", "out", type=click.Path(path_type=Path, dir_okay=False),
              help=f"HTML file to write (default: BATCH_DIR/{REPORT_NAME}).")
@one_line_errors
def report(batch_dir: Path, out: Path | None) -> None:
    """Write the class analytics page of the batch folder BATCH_DIR: one self-contained HTML file."""
    from grader.classwork.results import read_class
    from grader.reporters import get_format

    results = read_class(batch_dir)
    out = out or batch_dir / REPORT_NAME
    write_output(get_format("class-report", "class").render(results, RenderOptions()), out)
    click.echo(f"wrote {out}", err=True)
    _summary(results)


COMMANDS = [export, report]
