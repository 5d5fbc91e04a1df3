"""The ``labgrader`` command line. Thin: parse options, call the engine/runtime, pick a reporter.

Exit codes: 0 every objective passed (or the lint/validation found nothing); 1 some objective did not pass
(or lint/validate found problems); 2 a lab, capture, inventory or usage error; 3 an environment error
(Docker, images, deployment). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import click

from grader import __version__
from grader.cli_common import EXIT_ENVIRONMENT, EXIT_NOT_PASSED, EXIT_OK, EXIT_USAGE

__all__ = ["EXIT_ENVIRONMENT", "EXIT_NOT_PASSED", "EXIT_OK", "EXIT_USAGE", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="labgrader")
def main() -> None:
    """labgrader: grade network lab exercises from device output (recorded or live)."""


def _register() -> None:
    from grader import cli_labs, cli_live, cli_runtime

    # cli_live's `down` (lab folder or id, --all, state cleanup) replaces the runtime's plain one.
    for command in [*cli_runtime.COMMANDS, *cli_labs.COMMANDS, *cli_live.COMMANDS]:
        main.add_command(command)


_register()
