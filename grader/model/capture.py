"""The capture manifest (``manifest.yaml`` of a capture folder or bundle), read as a strict typed model.

A capture comes from students, so its manifest is untrusted: unknown keys, a missing ``lab``, a wrong
``format``, file names that climb out of the folder are errors, never guesses. What a capture cannot decide
is checked by its reader (``transport.capture``) and by grading: the files it names, the node set, and the
variables it was taken with, which grading never uses.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from grader.model.lab import ID_PATTERN

CAPTURE_FORMAT = "labgrader-capture/1"
MANIFEST = "manifest.yaml"
_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")


def check_member_name(name: str) -> str:
    """A file name inside a capture: relative, ``/``-separated, parts of letters, digits and ``._@+-``, no
    ``..``, at most 4 levels. ``ValueError`` otherwise."""
    parts = name.split("/")
    if not name or len(parts) > 4 or any(not _SAFE_PART.match(part) or part in (".", "..") for part in parts):
        raise ValueError(f"file name {name!r} is not a plain relative name inside the capture")
    return name


class CapturedCommand(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str = Field(description="the output's file, relative to the capture folder")
    collected_at: datetime | None = None
    error: str | None = None  # the command could not be run: the file's text is no evidence

    @field_validator("file")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        return check_member_name(value)


class CapturedNode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: str = ""
    error: str | None = None  # the node could not be read at all
    commands: dict[str, CapturedCommand] = Field(default_factory=dict)


class Manifest(BaseModel):
    """What a capture says about itself. ``variables`` records what it was taken with (shown, never used)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["labgrader-capture/1"]
    lab: str = Field(pattern=ID_PATTERN)
    created: datetime | None = None
    source: str | None = None
    variables: dict[str, Any] = Field(default_factory=dict)
    nodes: dict[str, CapturedNode]
