"""Batch folders for the tests, written as the contract (``grader.model.classwork``) says, from real grading:
the recorded submissions of ``labs/hcia-static-routing`` graded with ``grade_capture`` under several student
ids, some with other variables, one refused (a capture of another lab), one not graded (a node that could
not be read), and names and ids a spreadsheet or a browser could mistake for code.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from grader.engine.session import Identity, grade_capture
from grader.errors import CaptureError
from grader.loader import load_lab
from grader.model.classwork import BatchInfo, JournalEntry
from grader.version import __version__

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-static-routing"
OTHER_LAB = ROOT / "labs" / "hcip-ebgp"
STARTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Student:
    id: str
    name: str
    submission: Path
    variables: dict[str, Any] = field(default_factory=dict)
    dead_node: str | None = None  # a node whose reading failed: the student is not graded (error)


def _sub(name: str, lab: Path = LAB) -> Path:
    return lab / "submissions" / name


CLASS = [
    Student("alice", "Alice Martin", _sub("solution")),
    Student("bob", "Bob Chen", _sub("solution"), {"lan_a": 5}),  # alice's capture, other variables
    Student("carol", "Carol Diaz", _sub("wrong-mask")),
    Student("dave", "Dave O'Neil", _sub("missing-route")),
    Student("erin", "Erin Kaya", _sub("lan-down")),
    Student("frank", "Frank Li", _sub("lan-down")),  # the same capture as erin's
    Student("grace", "Grace Park", _sub("wrong-next-hop")),
    Student("heidi", "Heidi Novak", _sub("initial")),
    Student("+mallory", '=HYPERLINK("http://evil.example/","click")', _sub("wrong-next-hop"), {"lan_b": 7}),
    Student("ivan", "<script>alert('ivan')</script>", _sub("solution", OTHER_LAB)),  # refused
    Student("judy", "Judy Kim", _sub("solution"), dead_node="r2"),  # not graded
]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _with_dead_node(capture: Path, node: str, work: Path) -> Path:
    """A copy of ``capture`` in which ``node`` could not be read (as a live collection records it)."""
    copy = work / f"{capture.name}-{node}-dead"
    if not copy.exists():
        shutil.copytree(capture, copy)
        manifest = yaml.safe_load((copy / "manifest.yaml").read_text())
        manifest["nodes"][node].update(error="SSH connection timed out after 30 s", commands={})
        (copy / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
        shutil.rmtree(copy / node)
    return copy


def _entry(student: Student, loaded: Any, out: Path, work: Path) -> JournalEntry:
    capture = _with_dead_node(student.submission, student.dead_node, work) if student.dead_node else \
        student.submission
    submission = str(student.submission.relative_to(ROOT))
    try:
        grading = grade_capture(loaded, capture, student.variables,
                                identity=Identity(student=student.id, submission=submission))
    except CaptureError as exc:
        return JournalEntry(student=student.id, name=student.name, status="refused", reason=str(exc),
                            submission=submission, finished=STARTED)
    report = grading.report
    relative = f"reports/{student.id}.json"
    (out / relative).write_text(json.dumps(report.model_dump(mode="json"), indent=2) + "\n")
    broken = [f"{n.node}: {n.error}" for n in report.nodes if n.error]
    digests = {f"{node}: {command}": hashlib.sha256(output.text.encode()).hexdigest()
               for node, evidence in grading.evidence.items() for command, output in evidence.outputs.items()
               if output.error is None}
    return JournalEntry(
        student=student.id, name=student.name, status="error" if broken else "graded", score=report.score,
        max_score=report.max_score, percentage=report.percentage, report=relative, html=None,
        reason=broken[0] if broken else None, warnings=list(report.warnings), submission=submission,
        variables=report.variables, evidence_digest=digests, seconds=1.5, finished=report.finished)


def write_batch(out: Path, students: list[Student] = CLASS) -> Path:
    """Grade ``students`` and write the batch folder ``out`` (journal in class order); returns ``out``."""
    loaded = load_lab(LAB)
    (out / "reports").mkdir(parents=True)
    work = out.parent / f"{out.name}-work"
    work.mkdir(exist_ok=True)
    roster = "\n".join(f"{s.id},{s.name}" for s in students)
    info = BatchInfo(lab=loaded.lab.id, lab_title=loaded.lab.title, lab_hash=_sha256(LAB / "lab.yaml"),
                     max_score=sum(o.points for o in loaded.lab.objectives), roster="roster.csv",
                     roster_hash=hashlib.sha256(roster.encode()).hexdigest(), tool_version=__version__,
                     started=STARTED)
    (out / "batch.json").write_text(info.model_dump_json(indent=2) + "\n")
    with (out / "journal.jsonl").open("w") as journal:
        for student in students:
            journal.write(_entry(student, loaded, out, work).model_dump_json() + "\n")
    return out
