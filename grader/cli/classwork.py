"""Commands for a class: submit, check (students); batch, merge, variants (instructors).

``submit`` and ``check`` are what a student runs on their own laptop (often Windows, with eNSP): they need
``pip install labgrader`` only, never Docker.
"""

from __future__ import annotations

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


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--inventory", "inventory_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Your devices, listed in an inventory file (eNSP, GNS3, EVE-NG, real kit).")
@click.option("--live", is_flag=True, help="The lab deployed by `labgrader up`.")
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The bundle to write (a .zip you hand in).")
@with_variables
@with_student
@one_line_errors
def submit(lab: Path, inventory_file: Path | None, live: bool, out_file: Path, var_pairs: tuple[str, ...],
           vars_file: Path | None, student: str | None, course_file: Path | None) -> None:
    """Record everything LAB needs from your devices into one bundle to hand in (--student ID required)."""
    from grader.classwork.submission import submit as record_bundle
    from grader.cli.progress import LiveProgress
    from grader.live import live_transport
    from grader.loader import load_lab

    if student is None:
        raise LabFileError(["give --student ID (your student id)"])
    if (inventory_file is None) == (not live):
        raise LabFileError(["give exactly one of --inventory FILE or --live"])
    if out_file.suffix != ".zip":
        raise LabFileError([f"--out {out_file}: a bundle is a .zip file"])
    loaded = load_lab(lab)
    variables = student_variables(loaded, student, course_file, var_pairs, vars_file)
    transport, source = live_transport(loaded, inventory_file)
    with LiveProgress() as progress:
        done = record_bundle(loaded, transport, student=student, variables=variables, out=out_file,
                             source=source.split(":", 1)[0], observer=progress)
    for problem in done.recording.problems:
        click.echo(f"error: {problem}", err=True)
    failed = len(done.recording.failed_nodes)
    click.echo(f"recorded {done.recording.command_count} commands from {len(done.recording.evidence)} nodes into "
               f"{done.bundle}" + (f" ({failed} nodes with errors: check them and submit again)" if failed else ""))
    raise SystemExit(EXIT_NOT_PASSED if failed else EXIT_OK)


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--bundle", "bundle_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Check the bundle you are about to hand in.")
@click.option("--capture", "capture_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Check a capture folder.")
@click.option("--inventory", "inventory_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Check your devices, listed in an inventory file.")
@click.option("--live", is_flag=True, help="Check the lab deployed by `labgrader up`.")
@click.option("--no-wait", is_flag=True, help="Live: judge at once (do not wait for routing to converge).")
@with_variables
@with_student
@one_line_errors
def check(lab: Path, bundle_file: Path | None, capture_dir: Path | None, inventory_file: Path | None, live: bool,
          no_wait: bool, var_pairs: tuple[str, ...], vars_file: Path | None, student: str | None,
          course_file: Path | None) -> None:
    """Check your work before handing it in: the visible objectives with hints (hidden ones are only counted)."""
    from grader.engine.session import Identity, grade_capture
    from grader.loader import load_lab
    from grader.reporters.selfcheck import render_self_check

    if sum(x is not None for x in (bundle_file, capture_dir, inventory_file, live or None)) != 1:
        raise LabFileError(["give exactly one of --bundle FILE, --capture DIR, --inventory FILE or --live"])
    loaded = load_lab(lab)
    identity = Identity(student=student)
    if bundle_file is not None:
        from grader.classwork.submission import grade_bundle, read_bundle

        bundle = read_bundle(bundle_file)
        student = student or bundle.manifest.student
        variables = student_variables(loaded, student, course_file, var_pairs, vars_file)
        grading = grade_bundle(loaded, bundle, variables, student=student)
    elif capture_dir is not None:
        variables = student_variables(loaded, student, course_file, var_pairs, vars_file)
        grading = grade_capture(loaded, capture_dir, variables, identity=identity)
    else:
        from grader.cli.progress import LiveProgress
        from grader.engine.session import LiveOptions, grade_live
        from grader.live import live_transport

        variables = student_variables(loaded, student, course_file, var_pairs, vars_file)
        transport, source = live_transport(loaded, inventory_file)
        with LiveProgress() as progress:
            options = LiveOptions(max_wait=0.0 if no_wait else None, observer=progress)
            grading = grade_live(loaded, transport, variables, source=source, options=options, identity=identity)
    write_output(render_self_check(grading.report), None)
    visible = [o for o in grading.report.objectives if not o.hidden]
    raise SystemExit(EXIT_OK if all(o.outcome.value == "pass" for o in visible) else EXIT_NOT_PASSED)


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--roster", "roster_file", type=click.Path(path_type=Path, dir_okay=False),
              help="CSV: student,name,submission (a bundle .zip or an inventory .yaml, relative to the roster).")
@click.option("--class", "live_class", is_flag=True,
              help="Grade every student's lab of the class deployed here (`labgrader class up`), live.")
@click.option("--save-bundles", type=click.Path(path_type=Path, file_okay=False), default=None, metavar="DIR",
              help="With --class: keep each student's evidence as DIR/<student>.zip (a bundle).")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="The batch folder (created; an interrupted batch there is resumed).")
@click.option("--course", "course_file", type=click.Path(path_type=Path, dir_okay=False), envvar="LABGRADER_COURSE",
              show_envvar=True, help="The course file: the secret and roster that decide each student's variables.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Gradings at once (default: CPUs, <= 8; with --class 8).")
@click.option("--executor", type=click.Choice(["processes", "threads"]), default=None,
              help="Processes for bundles (CPU work, the default); threads suit live devices (--class: always).")
@click.option("--shard", metavar="K/N", help="Grade only part K of N of the class (1 <= K <= N).")
@click.option("--max-wait", type=click.FloatRange(min=0), default=0.0, show_default=True, metavar="S",
              help="Live rows: seconds to let objectives converge.")
@one_line_errors
def batch(lab: Path, roster_file: Path | None, live_class: bool, save_bundles: Path | None, out_dir: Path,
          course_file: Path | None, workers: int | None, executor: str | None, shard: str | None,
          max_wait: float) -> None:
    """Grade a whole class into OUT: reports/<id>.json and .html per student and journal.jsonl (resumable).
    The students and their work come from --roster, or with --class from the labs deployed here."""
    from grader.classwork.batch import BatchOptions, Shard, run_batch
    from grader.classwork.course import load_course
    from grader.cli.progress import BatchProgress

    if (roster_file is None) == (not live_class):
        raise LabFileError(["give exactly one of --roster FILE or --class"])
    if save_bundles is not None and not live_class:
        raise LabFileError(["--save-bundles keeps the evidence of live grading: give it with --class"])
    if live_class and executor == "processes":
        raise LabFileError(["--class grades live devices with threads: leave --executor out"])
    defaults = BatchOptions()
    options = BatchOptions(workers=workers or (8 if live_class else defaults.workers),
                           executor="threads" if live_class else (executor or "processes"),  # type: ignore[arg-type]
                           shard=Shard.parse(shard) if shard else None, max_wait=max_wait)
    course = load_course(course_file) if course_file is not None else None
    live = None
    if live_class:
        from grader.cli.class_batch import class_source
        from grader.loader import load_lab

        roster_file, live = class_source(load_lab(lab), bundles=save_bundles)
    assert roster_file is not None
    with BatchProgress() as progress:
        summary = run_batch(lab, roster_file, out_dir, course=course, options=options, observer=progress,
                            live=live)
    counts = summary.counts
    click.echo(f"{summary.total} students{f' (shard {options.shard})' if options.shard else ''}: "
               f"{counts['graded']} graded, {counts['refused']} refused, {counts['error']} errors"
               + (f", {summary.skipped} already done" if summary.skipped else "") + f" → {out_dir}")
    raise SystemExit(EXIT_OK if not counts["refused"] and not counts["error"] else EXIT_NOT_PASSED)


@click.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="The merged batch folder (merging again adds only what is missing).")
@one_line_errors
def merge(folders: tuple[Path, ...], out_dir: Path) -> None:
    """Combine batch folders (e.g. the shards of one class) into one."""
    from grader.classwork.merge import merge_batches

    summary = merge_batches(list(folders), out_dir)
    for line in summary.conflicts:
        click.echo(f"warning: {line}", err=True)
    click.echo(f"{summary.added} students added, {summary.present} already there → {out_dir}")


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--course", "course_file", required=True, type=click.Path(path_type=Path, dir_okay=False),
              envvar="LABGRADER_COURSE", show_envvar=True, help="The course file (secret and roster).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the CSV here.")
@one_line_errors
def variants(lab: Path, course_file: Path, output: Path | None) -> None:
    """Every student's variables for LAB, as CSV (student, then one column per pooled variable)."""
    import csv
    import io

    from grader.classwork.course import load_course
    from grader.loader import load_lab

    loaded = load_lab(lab)
    assignment = load_course(course_file).assignment(loaded)
    names = [n for group in loaded.lab.pool_groups().values() for n in group]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *names])
    for student in load_course(course_file).students:
        values = assignment.of(student)
        writer.writerow([student, *(values.get(n, "") for n in names)])
    write_output(buffer.getvalue(), output)


COMMANDS = [submit, check, batch, merge, variants]
