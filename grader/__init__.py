"""labgrader: automatic, fair grading of network lab exercises.

The public API is re-exported here; everything else is private and may move::

    from grader import load_lab, grade, ReplayTransport
    report = grade(load_lab("labs/hcia-static-routing"), ReplayTransport(capture_dir), source="capture")
"""

__version__ = "0.1.0"

from grader.engine.grade import grade, grade_evidence
from grader.errors import (
    CaptureError,
    DeployError,
    GraderError,
    LabFileError,
    ParseError,
    TemplateError,
    TransportError,
    UnsupportedError,
)
from grader.loader import LoadedLab, load_lab
from grader.model.report import GradeReport, ObjectiveResult, Outcome
from grader.transport.netmiko_cli import NetmikoTransport
from grader.transport.replay import ReplayTransport

__all__ = [
    "CaptureError", "DeployError", "GradeReport", "GraderError", "LabFileError", "LoadedLab", "NetmikoTransport",
    "ObjectiveResult", "Outcome", "ParseError", "ReplayTransport", "TemplateError", "TransportError",
    "UnsupportedError", "__version__", "grade", "grade_evidence", "load_lab",
]
