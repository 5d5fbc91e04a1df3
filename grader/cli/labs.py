"""Commands that read lab definitions: lint, checks, show."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from grader.cli.common import (
    EXIT_NOT_PASSED,
    EXIT_OK,
    lint_and_report,
    one_line_errors,
    student_variables,
    with_student,
    with_variables,
    write_output,
)


@click.command()
@click.argument("labs", nargs=-1, required=True, type=click.Path(path_type=Path))
@one_line_errors
def lint(labs: tuple[Path, ...]) -> None:
    """Validate lab definitions without touching a device.

    Checks the schema, variables, check parameters, that every check is supported on its node's platform,
    that templates compile, and that config files and expectations name real nodes and objectives.
    """
    bad = 0
    for lab in labs:
        clean = lint_and_report(lab)
        bad += not clean
        if clean:
            click.echo(f"ok: {lab}")
    raise SystemExit(EXIT_NOT_PASSED if bad else EXIT_OK)


@click.command("checks")
@click.option("--markdown", is_flag=True, help="Print the check table of docs/lab-format.md instead.")
def list_checks(markdown: bool) -> None:
    """List check types, their parameters, and the platforms that support each."""
    from grader.docs import check_catalogue, check_table

    if markdown:
        click.echo(check_table(), nl=False)
        return
    for entry in check_catalogue():
        click.echo(f"{entry.name}: {entry.summary}")
        click.echo(f"  platforms: {', '.join(entry.platforms) or 'none'}")
        for parameter in entry.parameters:
            click.echo(f"  {parameter.name} ({parameter.requirement}): {parameter.description}")


@click.command()
@click.argument("lab", type=click.Path(path_type=Path))
@click.option("--vars-out", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the variables as a file to hand to the student (for --vars).")
@with_variables
@with_student
@one_line_errors
def show(lab: Path, vars_out: Path | None, var_pairs: tuple[str, ...], vars_file: Path | None, student: str | None,
         course_file: Path | None) -> None:
    """Print the student instructions of LAB, with its variables (a student's own with --student) filled in."""
    from grader.loader import load_lab

    loaded = load_lab(lab)
    variables = student_variables(loaded, student, course_file, var_pairs, vars_file)
    text = loaded.render_instructions(variables)
    if vars_out is not None:
        header = f"# lab {loaded.lab.id}" + (f", student {student}" if student else "") + \
            ": your variables (use them with --vars)\n"
        write_output(header + yaml.safe_dump(loaded.variables(variables), sort_keys=False), vars_out)
    header = f"# {loaded.lab.title}\n"
    meta = " · ".join(x for x in (loaded.lab.track, loaded.lab.level) if x)
    points = f"{loaded.lab.max_score:g} points, {len(loaded.lab.objectives)} objectives"
    write_output(header + (f"{meta} · {points}\n\n" if meta else f"{points}\n\n") + text, None)


COMMANDS = [lint, list_checks, show]
