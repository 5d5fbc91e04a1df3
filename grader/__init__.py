"""labgrader: automatic, fair grading of network lab exercises.

The public API is re-exported here; everything else is private and may move::

    from grader import load_lab, grade_capture
    grading = grade_capture(load_lab("labs/hcia-static-routing"), capture_dir)
    print(grading.report.score)
"""

from grader.engine.session import (
    Grading,
    Identity,
    LiveOptions,
    Recording,
    grade_capture,
    grade_evidence,
    grade_live,
    record,
)
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
from grader.transport.fake import FakeDevice, FakeNetwork
from grader.transport.netmiko_cli import NetmikoTransport
from grader.transport.replay import ReplayTransport
from grader.version import __version__

__all__ = [
    "CaptureError", "DeployError", "FakeDevice", "FakeNetwork", "GradeReport", "GraderError", "Grading", "Identity",
    "LabFileError", "LiveOptions", "LoadedLab", "NetmikoTransport", "ObjectiveResult", "Outcome", "ParseError",
    "Recording", "ReplayTransport", "TemplateError", "TransportError", "UnsupportedError", "__version__",
    "grade_capture", "grade_evidence", "grade_live", "load_lab", "record",
]
