"""Results of grading: one serialisable value (``GradeReport``) that every reporter reads.

JSON reports are ``GradeReport.model_dump(mode="json")``; the schema is versioned by ``schema_version`` and
published as ``grader/schemas/report.schema.json``. Adding optional fields keeps the version; renaming or
removing one bumps it.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel, Field

REPORT_SCHEMA_VERSION = "1.1"  # 1.1 added student, submission and warnings; 1.0 reports load unchanged


class Outcome(str, Enum):
    """The outcome of a check or objective. Only PASS scores; ERROR means "could not tell" and never scores."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    SKIP = "skip"

    def __str__(self) -> str:
        return self.value.upper()


class Evidence(BaseModel):
    """What a check looked at: the node, the command, and the parsed rows that mattered."""

    node: str
    command: str
    rows: list[dict[str, Any]] = Field(default_factory=list)
    excerpt: str | None = None  # a few raw lines when no rows apply (errors, config sections)


class CheckResult(BaseModel):
    type: str
    node: str
    outcome: Outcome
    message: str  # one line a student understands: node, expected, observed
    expected: Any = None
    observed: Any = None
    evidence: list[Evidence] = Field(default_factory=list)


class ObjectiveResult(BaseModel):
    id: str
    title: str
    points: float
    score: float
    outcome: Outcome
    message: str
    feedback: str | None = None  # the lab's pass or fail text for this outcome
    hidden: bool = False
    requires: list[str] = Field(default_factory=list)
    waited_s: float | None = None  # live mode: how long the objective was re-checked before its outcome
    checks: list[CheckResult] = Field(default_factory=list)


class LabInfo(BaseModel):
    id: str
    title: str
    track: str | None = None
    level: str | None = None


class NodeStatus(BaseModel):
    """How collection went for one node: ``error`` is set when the node could not be read at all."""

    node: str
    platform: str
    commands: int = 0
    error: str | None = None


class GradeReport(BaseModel):
    """The result of grading one lab: what every reporter reads, and what ``--format json`` prints."""

    schema_version: str = REPORT_SCHEMA_VERSION
    tool_version: str
    lab: LabInfo
    student: str | None = Field(default=None, description="the student graded (class workflows), if known")
    submission: str | None = Field(default=None, description="the submission graded (bundle, capture), if known")
    variables: dict[str, Any] = Field(default_factory=dict)
    source: str  # e.g. "capture:labs/x/submissions/ok" or "live:inventory.yaml"
    started: datetime
    finished: datetime
    score: float = Field(description="points scored; only PASS scores (partial objectives may score a share)")
    max_score: float = Field(description="sum of every objective's points, hidden ones included")
    percentage: float = Field(description="100 * score / max_score, one decimal (0 to 100)")
    passed: bool = Field(description="every objective passed")
    counts: dict[str, int] = Field(default_factory=dict,
                                   description="objectives per outcome, keys pass/fail/error/skip (all four present)")
    nodes: list[NodeStatus] = Field(default_factory=list)
    objectives: list[ObjectiveResult] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, description=(
        "problems with the submission itself, for a person to look at: a capture taken with other variables, "
        "files its manifest does not name, devices whose facts disagree"))
