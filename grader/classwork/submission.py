"""A student's submission: recording it as a bundle, and grading a bundle with the instructor's values.

Both go through the session API (``record``, ``grade_capture``); this module adds what a class needs: whose
variables apply, the bundle around the capture, and the flags a person should see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.classwork.bundle import Bundle, BundleLimits, check_bundle_lab, read_bundle, write_bundle
from grader.classwork.course import Course
from grader.classwork.variants import Assignment
from grader.engine.events import Observer
from grader.engine.session import Grading, Identity, Recording, grade_capture, record, with_warnings
from grader.errors import LabFileError
from grader.loader import LoadedLab
from grader.model.inventory import Inventory
from grader.text import printable
from grader.transport.base import Transport


def variables_for(loaded: LoadedLab, student: str | None, course: Course | None,
                  given: dict[str, Any]) -> dict[str, Any]:
    """The variables to use for ``student``: the course's (instructors: secret + roster) or, without a course,
    those ``given`` (students: the variables file their instructor gave them). One-line errors otherwise."""
    if course is not None and student is not None:
        if given:
            raise LabFileError([f"{course.path}: the course decides each student's variables; drop --var/--vars "
                                "(or --course)"])
        return course.variables_of(loaded, student)
    if student is not None and not given and loaded.lab.pool_groups():
        raise LabFileError([f"lab {loaded.lab.id!r} gives each student their own values: give --vars FILE (the "
                            "variables file from your instructor) or, as an instructor, --course FILE"])
    return given


@dataclass(frozen=True)
class Submission:
    """What ``submit`` wrote: the bundle and how the recording went."""

    bundle: Path
    recording: Recording


def submit(loaded: LoadedLab, devices: Inventory | Transport, *, student: str, variables: dict[str, Any],
           out: Path, source: str, observer: Observer | None = None) -> Submission:
    """Record everything ``loaded`` needs for ``variables`` from ``devices`` into the bundle ``out``."""
    started = datetime.now(UTC)
    recording = record(loaded, devices, variables, out=None, source=source, observer=observer)
    bundle = write_bundle(out, loaded=loaded, student=student, variables=loaded.variables(variables),
                          evidence=recording.evidence, started=started, finished=datetime.now(UTC), source=source,
                          problems=recording.problems)
    return Submission(bundle=bundle, recording=recording)


def bundle_warnings(bundle: Bundle, student: str | None, graded_with: dict[str, Any],
                    assignment: Assignment | None) -> list[str]:
    """Flags on a bundle: made by another student, or captured on another student's variant."""
    warnings: list[str] = []
    claimed = bundle.manifest.student
    if student is not None and claimed != student:
        warnings.append(f"the bundle was made by student {claimed!r}, graded as {student!r}")
    recorded = bundle.capture.manifest.variables
    if assignment is not None and any(recorded.get(k) != v for k, v in graded_with.items()):
        others = [s for s in assignment.owner_of(recorded) if s != student]
        if others:
            warnings.append(f"the capture was taken with the variables of student {others[0]!r}"
                            + (f" (and {len(others) - 1} more)" if len(others) > 1 else ""))
    return warnings


def grade_bundle(loaded: LoadedLab, bundle: Path | Bundle, variables: dict[str, Any] | None = None, *,
                 student: str | None = None, assignment: Assignment | None = None, expected_hash: str | None = None,
                 limits: BundleLimits | None = None) -> Grading:
    """Grade a bundle with ``variables`` (the instructor's), never the bundle's own. A bundle that is damaged,
    changed after capture, or made for another lab (id or lab hash) is refused (``CaptureError``, one line)."""
    read = bundle if isinstance(bundle, Bundle) else read_bundle(bundle, limits)
    check_bundle_lab(read, loaded, expected_hash)
    identity = Identity(student=student or read.manifest.student, submission=printable(read.origin, one_line=True))
    grading = grade_capture(loaded, read.capture, variables, identity=identity, origin=read.origin)
    return with_warnings(grading, bundle_warnings(read, student, loaded.variables(variables), assignment))
