"""The course file: where the course secret and the roster come from (the instructor's side only).

::

    # course.yaml
    name: NET101 autumn 2026
    secret_env: NET101_SECRET          # the secret is read from this environment variable, or
    # secret_file: net101.secret       # from this file (relative to course.yaml; keep it out of version control)
    roster: students.csv               # CSV with a `student` column (and `name`); relative to course.yaml

The secret decides every student's variables (``grader.classwork.variants``); students never have it: they
get their variables file from their instructor (``labgrader show LAB --student ID --vars-out FILE``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from grader.classwork.roster import roster_ids
from grader.classwork.variants import Assignment, assign
from grader.errors import LabFileError
from grader.loader import LoadedLab
from grader.yamlsource import dotted, load_yaml

MIN_SECRET = 16


class CourseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=200)
    secret_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    secret_file: str | None = None
    roster: str = Field(min_length=1, description="the roster CSV, relative to the course file")

    @model_validator(mode="after")
    def _one_secret(self) -> CourseFile:
        if (self.secret_env is None) == (self.secret_file is None):
            raise ValueError("give exactly one of secret_env or secret_file")
        return self


@dataclass
class Course:
    path: Path
    spec: CourseFile
    _assignments: dict[str, Assignment] = field(default_factory=dict, repr=False)

    @property
    def roster_path(self) -> Path:
        return self.path.parent / self.spec.roster

    def secret(self) -> bytes:
        """The course secret; a one-line ``LabFileError`` saying where it should be when it is not there."""
        if self.spec.secret_env:
            value = os.environ.get(self.spec.secret_env, "")
            if not value.strip():
                raise LabFileError([f"{self.path}: the course secret is not set: set the environment variable "
                                    f"{self.spec.secret_env} (named by secret_env)"])
            where = f"environment variable {self.spec.secret_env}"
        else:
            file = self.path.parent / str(self.spec.secret_file)
            try:
                value = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                reason = "file not found" if isinstance(exc, FileNotFoundError) else str(exc)
                raise LabFileError([f"{self.path}: the course secret cannot be read from {file} (secret_file): "
                                    f"{reason}"]) from None
            where = str(file)
        secret = value.strip().encode("utf-8")
        if len(secret) < MIN_SECRET:
            raise LabFileError([f"{self.path}: the course secret in {where} is shorter than {MIN_SECRET} "
                                "characters"])
        return secret

    @cached_property
    def students(self) -> list[str]:
        return roster_ids(self.roster_path)

    def assignment(self, loaded: LoadedLab) -> Assignment:
        """Every student's variables for ``loaded`` (empty values when the lab has no pools); computed once."""
        if loaded.lab.id not in self._assignments:
            self._assignments[loaded.lab.id] = assign(loaded.lab, self.secret(), self.students) \
                if loaded.lab.pool_groups() else Assignment(loaded.lab.id, {s: {} for s in self.students})
        return self._assignments[loaded.lab.id]

    def variables_of(self, loaded: LoadedLab, student: str) -> dict[str, Any]:
        """One student's variables; a student missing from the roster is a one-line error."""
        assignment = self.assignment(loaded)
        if student not in assignment:
            raise LabFileError([f"{self.roster_path}: no student {student!r} in the course roster"])
        return assignment.of(student)


def load_course(path: Path) -> Course:
    source = load_yaml(Path(path))
    if not isinstance(source.data, dict):
        raise LabFileError([f"{path}:1: a course file is a mapping (name, secret_env or secret_file, roster)"])
    try:
        spec = CourseFile.model_validate(source.data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        message = ("required key is missing" if error["type"] == "missing" else
                   f"unknown key {loc[-1]!r}" if error["type"] == "extra_forbidden" else
                   error["msg"].removeprefix("Value error, "))
        raise LabFileError([f"{source.where(loc)}: {dotted(loc) or '(top)'}: {message}"]) from None
    return Course(path=Path(path), spec=spec)
