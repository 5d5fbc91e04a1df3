"""What batch grading of a class writes, as typed models: the contract between batch grading (which writes
them), exports and class analytics (which read them).

A batch folder::

    OUT/
      batch.json               BatchInfo: the lab, its hash, the roster, the shard, the tool version
      journal.jsonl            one JournalEntry per student, appended atomically as each finishes
      reports/<student>.json   the student's GradeReport (schema 1.1; ``student`` and ``submission`` set)
      reports/<student>.html   the same, as a self-contained page

A student appears in the journal exactly once per batch folder (a rerun after an interruption grades only the
students missing from it). ``status`` says what happened: ``graded`` (a report exists), ``refused`` (the
submission was refused: tampered, another lab, unreadable — ``reason`` says why, no report), ``error`` (the
grader could not grade it: dead devices, ... — ``reason``; a report may exist with ERROR outcomes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BATCH_FORMAT = "labgrader-batch/1"
Status = Literal["graded", "refused", "error"]


class JournalEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    student: str = Field(description="the student id from the roster")
    name: str = Field(default="", description="the student's name from the roster")
    status: Status
    score: float = 0.0
    max_score: float = 0.0
    percentage: float = 0.0
    report: str | None = Field(default=None, description="path of the JSON report, relative to the batch folder")
    html: str | None = Field(default=None, description="path of the HTML report, relative to the batch folder")
    reason: str | None = Field(default=None, description="why refused / not graded (one line)")
    warnings: list[str] = Field(default_factory=list, description="flags on the submission (see GradeReport)")
    submission: str | None = Field(default=None, description="the bundle or devices graded")
    variables: dict[str, object] = Field(default_factory=dict, description="the variables it was graded with")
    evidence_digest: dict[str, str] = Field(default_factory=dict, description=(
        "'node: command' → sha256 of that output, to spot identical work where variants should differ"))
    seconds: float = 0.0
    finished: datetime


class BatchInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["labgrader-batch/1"] = BATCH_FORMAT
    lab: str
    lab_title: str
    lab_hash: str = Field(description="sha256 of the lab definition the class was graded against")
    max_score: float
    roster: str = Field(description="the roster file as given")
    roster_hash: str
    shard: str | None = Field(default=None, description="K/N when this folder holds one shard of the class")
    tool_version: str
    started: datetime
