"""``labgrader class up|status|down|sheet``: one lab per student on this machine (``grader.runtime.classroom``)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from grader.cli.common import EXIT_ENVIRONMENT, one_line_errors, write_output
from grader.errors import LabFileError

if TYPE_CHECKING:
    from grader.loader import LoadedLab
    from grader.runtime.classroom import Student, VariablesFor


def _lab_id(lab: str) -> str:
    from grader.cli.lab_runtime import _lab_id as lab_id_of

    return lab_id_of(lab)


def read_roster(path: Path) -> list[Student]:
    """The students of a roster CSV (``grader.classwork.roster``: a ``student`` column, ``name`` optional)."""
    from grader.classwork.roster import read_roster as roster_rows
    from grader.runtime.classroom import Student

    return [Student(row.student, row.name) for row in roster_rows(path)]


def _variables_for(enabled: bool, loaded: LoadedLab, course_file: Path | None) -> VariablesFor:
    """The per-student variables hook: the lab's defaults, or each student's variant from the course."""
    from grader.runtime.classroom import lab_defaults

    if not enabled:
        return lab_defaults
    from grader.classwork.course import load_course

    if course_file is None:
        raise LabFileError(["--student-variants needs the course (--course FILE or LABGRADER_COURSE): its secret "
                            "and roster decide each student's variant"])
    course = load_course(course_file)
    course.assignment(loaded)  # a missing secret or a bad roster: one error now, not one per student

    def variables_for(student: Student) -> dict[str, Any]:
        return course.variables_of(loaded, student.id)

    return variables_for


@click.group("class")
def class_group() -> None:
    """A class on one machine: one lab per student, side by side, each with its own password."""


@class_group.command("up")
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--roster", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="CSV of students: a column student (the id) and optionally name.")
@click.option("--student-variants", is_flag=True,
              help="Deploy each student's own variant of the lab (the course decides them).")
@click.option("--course", "course_file", type=click.Path(path_type=Path, dir_okay=False), envvar="LABGRADER_COURSE",
              show_envvar=True, help="The course file (its secret and roster) for --student-variants.")
@click.option("--listen", default=None, metavar="ADDR",
              help="Host address the SSH ports listen on [default: as before for this class, else 127.0.0.1].")
@click.option("--host", "host_name", default=None, metavar="NAME",
              help="Host name printed on the access sheet [default: the listen address or this machine's name].")
@click.option("--config", default="initial", show_default=True, help="initial, solution or a variant name.")
@click.option("--user", "username", default="student", show_default=True, help="The SSH login of every lab.")
@click.option("--workers", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Labs deployed at the same time.")
@click.option("--sheet-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also write the access sheet (CSV, text, HTML; mode 0600) here.")
@click.option("--show-passwords", is_flag=True, help="Print the passwords too (they are always in the sheet).")
@one_line_errors
def class_up(lab: Path, roster: Path, student_variants: bool, course_file: Path | None, listen: str | None,
             host_name: str | None, config: str, username: str, workers: int, sheet_dir: Path | None,
             show_passwords: bool) -> None:
    """Deploy LAB once per student of the roster; a rerun completes what is missing."""
    from grader.cli.class_progress import ClassProgress
    from grader.loader import load_lab
    from grader.runtime import classroom

    loaded = load_lab(lab)
    students = read_roster(roster)
    variables_for = _variables_for(student_variants, loaded, course_file)
    started = time.monotonic()
    with ClassProgress() as progress:
        result = classroom.class_up(loaded, students, config=config, variables_for=variables_for, listen=listen,
                                    host=host_name, username=username, workers=workers, observer=progress)
    counts = {status: sum(o.status == status for o in result.outcomes)
              for status in ("deployed", "redeployed", "kept", "failed")}
    for outcome in result.failed:
        click.echo(f"error: student {outcome.student}: {outcome.error}", err=True)
    click.echo(f"class {loaded.lab.id}: {len(students)} students: " + ", ".join(f"{n} {s}" for s, n in counts.items())
               + f" ({time.monotonic() - started:.1f} s); SSH on {result.settings.listen}")
    paths = _write_sheets(loaded.lab.id, loaded.lab.title, sheet_dir)
    click.echo(_sheet_text(loaded.lab.id, show_passwords), nl=False)
    click.echo("access sheet (mode 0600, it holds the passwords): " + ", ".join(str(p) for p in paths))
    if result.failed:
        click.echo(f"{len(result.failed)} labs failed: run the same command again to complete the class", err=True)
        sys.exit(EXIT_ENVIRONMENT)


def _write_sheets(lab_id: str, title: str, extra_dir: Path | None) -> list[Path]:
    from grader.runtime.access_sheet import write_sheets
    from grader.runtime.classaccess import access_entries
    from grader.runtime.classroom import ClassStore, default_root

    entries = access_entries(lab_id)
    paths = write_sheets(ClassStore(default_root(), lab_id).directory, lab_id, title, entries)
    if extra_dir is not None:
        paths += write_sheets(extra_dir, lab_id, title, entries)
    return paths


def _sheet_text(lab_id: str, show_passwords: bool) -> str:
    from grader.runtime.access_sheet import sheet_text
    from grader.runtime.classaccess import access_entries

    return sheet_text(lab_id, access_entries(lab_id), show_passwords=show_passwords)


@class_group.command("status")
@click.argument("lab")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (no passwords).")
@one_line_errors
def class_status(lab: str, as_json: bool) -> None:
    """Show every student's lab of the class LAB (a lab folder or id): ready, incomplete or absent."""
    from grader.runtime.classroom import class_status as status_of
    from grader.text import printable

    lab_id = _lab_id(lab)
    view = status_of(lab_id)
    if as_json:
        click.echo(json.dumps({"lab": lab_id, "listen": view.settings.listen if view.settings else None,
                               "students": [{"student": s.student, "name": s.name, "deployment": s.deployment,
                                             "state": s.state, "nodes": {
                                                 n: {"state": st.state, "ssh_port": st.ssh_port,
                                                     "container": st.container} for n, st in s.nodes.items()}}
                                            for s in view.labs]}, indent=2))
        return
    if view.settings is None and not view.labs:
        click.echo(f"no class {lab_id} is deployed")
        return
    ready = len(view.ready())
    where = f"SSH on {view.settings.listen}, host {view.settings.host}" if view.settings else "no state here"
    click.echo(f"class {lab_id}: {len(view.labs)} students, {ready} ready ({where})")
    for s in view.labs:
        nodes = "  ".join(f"{n} {st.ssh_port or '-'}" + ("" if st.state == "running" else f" ({st.state})")
                          for n, st in s.nodes.items())
        click.echo(f"  {printable(s.student, one_line=True):<16} {s.state:<10} {nodes}")


@class_group.command("down")
@click.argument("lab")
@click.option("--student", "students", multiple=True, metavar="ID", help="Only this student's lab (repeatable).")
@one_line_errors
def class_down(lab: str, students: tuple[str, ...]) -> None:
    """Remove the labs of the class LAB (or of --student IDs) and forget their passwords."""
    from grader.runtime.classroom import class_down as down_of

    lab_id = _lab_id(lab)
    removed = down_of(lab_id, list(students) or None)
    who = f"students {', '.join(students)}" if students else "every student"
    click.echo(f"class {lab_id}: removed {removed} containers ({who})")


@class_group.command("sheet")
@click.argument("lab")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "html"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write here (mode 0600) instead of printing.")
@click.option("--show-passwords", is_flag=True, help="Text: print the passwords (CSV and HTML always hold them).")
@one_line_errors
def class_sheet(lab: str, fmt: str, output: Path | None, show_passwords: bool) -> None:
    """Print (or write) the access sheet of the class LAB again."""
    from grader.runtime.access_sheet import sheet_csv, sheet_html, sheet_text
    from grader.runtime.classaccess import access_entries

    lab_id = _lab_id(lab)
    entries = access_entries(lab_id)
    if fmt == "csv":
        text = sheet_csv(entries)
    elif fmt == "html":
        text = sheet_html(lab_id, lab_id, entries)
    else:
        text = sheet_text(lab_id, entries, show_passwords=show_passwords or output is not None)
    if output is None:
        if fmt != "text" and sys.stdout.isatty():
            raise LabFileError([f"the {fmt} sheet holds the passwords: give --output FILE"])
        write_output(text, None)
        return
    from grader.runtime.access_sheet import write_private

    write_private(output, text)
    click.echo(f"wrote {output} (mode 0600)")


COMMANDS = [class_group]
