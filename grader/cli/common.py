"""Helpers shared by the command modules: exit codes, one-line errors, variables, writing output."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from grader.errors import DeployError, GraderError, LabFileError
from grader.text import printable
from grader.yamlsource import load_yaml, parse_yaml

EXIT_OK, EXIT_NOT_PASSED, EXIT_USAGE, EXIT_ENVIRONMENT, EXIT_INTERNAL = 0, 1, 2, 3, 70

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"error: {printable(message, one_line=True)}", err=True)
    sys.exit(code)


def one_line_errors(func: F) -> F:
    """Turn labgrader's own errors into ``error: ...`` lines and exit codes."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LabFileError as exc:
            for problem in exc.problems:
                click.echo(f"error: {printable(problem, one_line=True)}", err=True)
            sys.exit(EXIT_USAGE)
        except DeployError as exc:
            fail(str(exc), EXIT_ENVIRONMENT)
        except GraderError as exc:
            fail(str(exc), EXIT_USAGE)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except (SystemExit, click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a defect: still one line, with a way to see the traceback
            if isinstance(exc, ModuleNotFoundError) and exc.name == "docker":  # installed without the extra
                fail("this command needs Docker support: pip install 'labgrader[lab]'", EXIT_ENVIRONMENT)
            if os.environ.get("LABGRADER_DEBUG"):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (set LABGRADER_DEBUG=1 for a traceback)",
                 EXIT_INTERNAL)
    return wrapper  # type: ignore[return-value]


_VARIABLE_OPTIONS = [
    click.option("--var", "var_pairs", multiple=True, metavar="NAME=VALUE", help="Set a lab variable."),
    click.option("--vars", "vars_file", type=click.Path(path_type=Path, dir_okay=False),
                 help="YAML file of lab variables (e.g. a student's variant)."),
]


def with_variables(func: F) -> F:
    """The ``--var NAME=VALUE`` and ``--vars FILE`` options."""
    for option in reversed(_VARIABLE_OPTIONS):
        func = option(func)
    return func


_STUDENT_OPTIONS = [
    click.option("--student", metavar="ID", help="The student whose own variables (variant) apply."),
    click.option("--course", "course_file", type=click.Path(path_type=Path, dir_okay=False),
                 envvar="LABGRADER_COURSE", show_envvar=True,
                 help="Instructors: the course file (course secret and roster) that decides each student's "
                      "variables."),
]


def with_student(func: F) -> F:
    """The ``--student ID`` and ``--course FILE`` options (with ``with_variables``)."""
    for option in reversed(_STUDENT_OPTIONS):
        func = option(func)
    return func


def student_variables(loaded: Any, student: str | None, course_file: Path | None, pairs: tuple[str, ...],
                      vars_file: Path | None) -> dict[str, Any]:
    """The variables for a command: a student's from the course (instructors), else ``--vars``/``--var``."""
    from grader.classwork.course import load_course
    from grader.classwork.roster import check_student_id
    from grader.classwork.submission import variables_for

    if student is not None:
        try:
            check_student_id(student)
        except ValueError as exc:
            raise LabFileError([f"--student: {exc}"]) from None
    course = load_course(course_file) if course_file is not None else None
    return variables_for(loaded, student, course, parse_variables(pairs, vars_file))


def parse_variables(pairs: tuple[str, ...], vars_file: Path | None) -> dict[str, Any]:
    """``--vars FILE`` (YAML mapping) then ``--var name=value`` (value read as YAML: 10 is a number)."""
    values: dict[str, Any] = {}
    if vars_file is not None:
        source = load_yaml(vars_file)
        if not isinstance(source.data, dict):
            raise LabFileError([f"{source.name}:1: a variables file is a mapping of name: value"])
        values.update(source.data)
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise LabFileError([f"--var {pair!r}: expected name=value"])
        values[name.strip()] = parse_yaml(text, f"--var {printable(name.strip(), one_line=True)}").data if text else ""
    return values


def write_output(content: str | bytes, output: Path | None) -> None:
    """Print, or write to ``output`` atomically (a partial report never replaces a good one)."""
    if output is None:
        if isinstance(content, bytes):
            raise LabFileError(["this format writes a binary file: give --output FILE"])
        click.echo(content, nl=not content.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.with_name(f".{output.name}.tmp")
    if isinstance(content, bytes):
        staging.write_bytes(content)
    else:
        staging.write_text(content if content.endswith("\n") else content + "\n", encoding="utf-8")
    staging.replace(output)


def lint_and_report(lab: Path) -> bool:
    """Lint one lab, printing each problem as an ``error:`` line; True when it has none."""
    from grader.engine.lint import lint_lab

    problems = lint_lab(lab)
    for problem in problems:
        click.echo(f"error: {printable(problem, one_line=True)}", err=True)
    return not problems
