"""Commands that grade or record a lab: grade, capture."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.cli.common import (
    EXIT_NOT_PASSED,
    EXIT_OK,
    one_line_errors,
    student_variables,
    with_student,
    with_variables,
    write_output,
)
from grader.errors import LabFileError
from grader.reporters import format_names


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--capture", "capture_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Grade recorded output (a capture folder).")
@click.option("--bundle", "bundle_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Grade a submission bundle (made by `labgrader submit`).")
@click.option("--inventory", "inventory_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Grade live devices listed in an inventory file.")
@click.option("--live", is_flag=True, help="Grade the lab deployed by `labgrader up` (its inventory).")
@click.option("--format", "fmt", type=click.Choice(format_names()), default="terminal", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report here.")
@click.option("--student-view", is_flag=True, help="Hide the details of hidden objectives.")
@click.option("--color/--no-color", default=None, help="Colour terminal output (default: when a terminal).")
@click.option("--save-capture", type=click.Path(path_type=Path, file_okay=False),
              help="Live grading: also save the collected output as a capture folder.")
@click.option("--max-wait", type=click.FloatRange(min=0), default=None, metavar="S",
              help="Live grading: re-check converging objectives for at most S seconds (caps each `wait`).")
@click.option("--no-wait", is_flag=True, help="Live grading: judge at once (labs known to be converged).")
@click.option("--strict", is_flag=True,
              help="Refuse a capture that warrants a warning (other variables, files its manifest does not name).")
@click.option("--max-file-mb", type=click.FloatRange(min=0.001, max=1024), default=8.0, show_default=True,
              help="Largest command output a capture may hold.")
@with_variables
@with_student
@one_line_errors
def grade(lab: Path, capture_dir: Path | None, bundle_file: Path | None, inventory_file: Path | None, live: bool,
          fmt: str, output: Path | None, student_view: bool, color: bool | None, save_capture: Path | None,
          max_wait: float | None, no_wait: bool, strict: bool, max_file_mb: float, var_pairs: tuple[str, ...],
          vars_file: Path | None, student: str | None, course_file: Path | None) -> None:
    """Grade LAB from a capture (--capture), a bundle (--bundle), an inventory (--inventory) or the running lab
    (--live). With --student (and --course), that student's variables apply."""
    from grader.engine.session import Identity, grade_capture, grade_live
    from grader.loader import load_lab
    from grader.reporters import render

    sources = (capture_dir, bundle_file, inventory_file, live or None)
    if sum(x is not None for x in sources) != 1:
        raise LabFileError(["give exactly one of --capture DIR, --bundle FILE, --inventory FILE or --live"])
    loaded = load_lab(lab)
    if bundle_file is not None:
        from grader.classwork.course import load_course
        from grader.classwork.submission import grade_bundle, read_bundle

        bundle = read_bundle(bundle_file)
        whose = student or bundle.manifest.student
        variables = student_variables(loaded, whose if course_file else student, course_file, var_pairs,
                                      vars_file)
        course = load_course(course_file) if course_file else None
        assignment = course.assignment(loaded) if course and loaded.lab.pool_groups() else None
        grading = grade_bundle(loaded, bundle, variables, student=whose, assignment=assignment)
        if strict and grading.warnings:
            raise LabFileError([f"{bundle.origin}: {grading.warnings[0]} (--strict)"])
    elif capture_dir is not None:
        from grader.transport.capture import CaptureLimits

        variables = student_variables(loaded, student, course_file, var_pairs, vars_file)
        limits = CaptureLimits(max_file_bytes=int(max_file_mb * 1024 * 1024))
        grading = grade_capture(loaded, capture_dir, variables, strict=strict, limits=limits,
                                identity=Identity(student=student))
    else:
        from grader.cli.progress import LiveProgress
        from grader.engine.session import LiveOptions
        from grader.live import live_transport
        from grader.transport.capture import write_capture

        variables = student_variables(loaded, student, course_file, var_pairs, vars_file)
        transport, source = live_transport(loaded, inventory_file)
        with LiveProgress() as progress:
            options = LiveOptions(max_wait=0.0 if no_wait else max_wait, observer=progress)
            grading = grade_live(loaded, transport, variables, source=source, options=options,
                                 identity=Identity(student=student))
        if save_capture is not None:
            write_capture(grading.evidence, save_capture, lab_id=loaded.lab.id, source=source,
                          variables=grading.report.variables)
    if color is None:
        color = output is None and sys.stdout.isatty()
    write_output(render(grading.report, fmt, color=color, show_hidden=not student_view), output)
    raise SystemExit(EXIT_OK if grading.report.passed else EXIT_NOT_PASSED)


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--inventory", "inventory_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Devices listed in an inventory file.")
@click.option("--live", is_flag=True, help="The lab deployed by `labgrader up`.")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Capture folder to write (replaced if it is already a capture).")
@with_variables
@with_student
@one_line_errors
def capture(lab: Path, inventory_file: Path | None, live: bool, out_dir: Path, var_pairs: tuple[str, ...],
            vars_file: Path | None, student: str | None, course_file: Path | None) -> None:
    """Record every command LAB needs from live devices into a capture folder (for `grade --capture`)."""
    from grader.engine.session import record
    from grader.live import live_transport
    from grader.loader import load_lab

    if (inventory_file is None) == (not live):
        raise LabFileError(["give exactly one of --inventory FILE or --live"])
    loaded = load_lab(lab)
    from grader.cli.progress import LiveProgress

    variables = student_variables(loaded, student, course_file, var_pairs, vars_file)
    transport, source = live_transport(loaded, inventory_file)
    with LiveProgress() as progress:
        recording = record(loaded, transport, variables, out=out_dir, source=source, observer=progress)
    for problem in recording.problems:
        click.echo(f"error: {problem}", err=True)
    failed = len(recording.failed_nodes)
    click.echo(f"captured {recording.command_count} commands from {len(recording.evidence)} nodes into {out_dir}"
               + (f" ({failed} nodes with errors)" if failed else ""))
    raise SystemExit(EXIT_NOT_PASSED if failed else EXIT_OK)


COMMANDS = [grade, capture]
