"""The ``labgrader`` command line: one module per group of commands, each command a thin adapter over the
session API (``grader.engine.session``), validation, the runtime and the reporters.

Exit codes: 0 every objective passed (or the lint/validation found nothing); 1 some objective did not pass
(or lint/validate found problems); 2 a lab, capture, inventory or usage error; 3 an environment error
(Docker, images, deployment); 70 an internal error. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import click

from grader.cli.common import EXIT_ENVIRONMENT, EXIT_NOT_PASSED, EXIT_OK, EXIT_USAGE
from grader.version import __version__

__all__ = ["EXIT_ENVIRONMENT", "EXIT_NOT_PASSED", "EXIT_OK", "EXIT_USAGE", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="labgrader")
def main() -> None:
    """labgrader: grade network lab exercises from device output (recorded or live)."""


def _register() -> None:
    from grader.cli import classroom, classwork, exports, grading, inventory, lab_runtime, labs, validate

    for module in (labs, grading, inventory, lab_runtime, classroom, validate, classwork, exports):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
