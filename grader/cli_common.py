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
from grader.yamlsource import load_yaml, parse_yaml, printable

EXIT_OK, EXIT_NOT_PASSED, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def one_line_errors(func: F) -> F:
    """Turn labgrader's own errors into ``error: ...`` lines and exit codes."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LabFileError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
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
            if os.environ.get("LABGRADER_DEBUG"):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (set LABGRADER_DEBUG=1 for a traceback)", 70)
    return wrapper  # type: ignore[return-value]


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
        values[name.strip()] = parse_yaml(text, f"--var {printable(name.strip())}").data if text else ""
    return values


def write_output(text: str, output: Path | None) -> None:
    """Print, or write to ``output`` atomically (a partial report never replaces a good one)."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.with_name(f".{output.name}.tmp")
    staging.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    staging.replace(output)
