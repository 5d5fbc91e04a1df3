"""Exceptions raised by labgrader.

The tree::

    GraderError                 root: every error labgrader raises on purpose
    ├── LabFileError            a lab or topology file is malformed; carries file:line and key path
    ├── TemplateError           a TextFSM template is missing or does not compile
    ├── ParseError              device output could not be parsed
    ├── UnsupportedError        a check or fact has no command on a node's platform
    ├── CaptureError            a capture directory is missing or malformed
    ├── TransportError          a device could not be reached or a session failed
    └── DeployError             containers, links or images could not be set up

Outcomes of grading are never exceptions: a failing or erroring check is a value (see ``grader.model.report``).
These errors say that the *input* or the *environment* is wrong, with one line a person can act on.
"""

from __future__ import annotations


class GraderError(Exception):
    """Root of labgrader's own errors; ``str()`` is one line for a person."""


class LabFileError(GraderError):
    """A lab/topology/variables file is wrong. ``problems`` lists each one as ``file:line: path: message``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.problems[0] if len(self.problems) == 1 else f"{len(self.problems)} problems:\n"
                         + "\n".join(self.problems))


class TemplateError(GraderError):
    """A TextFSM template is missing for a command, or does not compile."""


class ParseError(GraderError):
    """Raw device output could not be parsed into rows."""


class UnsupportedError(GraderError):
    """A check or fact has no command/template on a node's platform."""


class CaptureError(GraderError):
    """A capture directory is missing, incomplete or malformed."""


class TransportError(GraderError):
    """A device could not be reached, refused the login, timed out or dropped the session."""


class DeployError(GraderError):
    """Images, containers or links could not be built, started or removed."""
