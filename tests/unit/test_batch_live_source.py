"""Batch grading from live devices handed in by the caller (``LiveSource``, what ``batch --class`` uses),
without Docker: each student's devices replay a recorded capture. One student without devices is an error
entry and the others are graded; a rerun grades nobody twice; the evidence kept as bundles grades the same
offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from grader.classwork.batch import BatchOptions, LiveDevices, LiveSource, run_batch
from grader.classwork.bundle import read_bundle
from grader.engine.session import grade_capture
from grader.errors import LabFileError
from grader.loader import load_lab
from grader.transport.capture import read_capture
from grader.transport.replay import ReplayTransport

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-static-routing"
SUBMISSIONS = LAB / "submissions"


def replay(name: str) -> ReplayTransport:
    capture = read_capture(SUBMISSIONS / name)
    return ReplayTransport(capture.evidence, capture)


def source(bundles: Path | None = None) -> LiveSource:
    return LiveSource(devices={
        "s1": LiveDevices(label="class:lab-s1", transport=replay("solution")),
        "s2": LiveDevices(label="class:lab-s2", transport=replay("wrong-mask")),
        "s3": LiveDevices(label="class:lab-s3", problem="the student's lab is absent"),
    }, variables={"s1": {}, "s2": {}}, bundles=str(bundles) if bundles else None)


def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("student,name,submission\ns1,Ada,\ns2,Bo,\ns3,Cy,\n")
    return path


def entries(out: Path) -> dict[str, dict]:
    return {e["student"]: e for e in map(json.loads, (out / "journal.jsonl").read_text().splitlines())}


def test_live_source_grades_each_student_and_reports_the_one_without_devices(tmp_path: Path) -> None:
    out, bundles = tmp_path / "out", tmp_path / "bundles"
    options = BatchOptions(workers=2, executor="threads")
    summary = run_batch(LAB, roster(tmp_path), out, options=options, live=source(bundles))
    assert summary.counts == {"graded": 2, "refused": 0, "error": 1}
    found = entries(out)
    assert (found["s1"]["status"], found["s1"]["score"]) == ("graded", 100.0)
    expected = float(yaml.safe_load((SUBMISSIONS / "wrong-mask" / "expected.yaml").read_text())["score"])
    assert found["s2"]["score"] == pytest.approx(expected, abs=0.01)
    assert found["s2"]["submission"] == "class:lab-s2"
    assert found["s3"]["status"] == "error" and "absent" in found["s3"]["reason"]
    assert (out / "reports" / "s1.json").exists() and not (out / "reports" / "s3.json").exists()
    assert sorted(p.name for p in bundles.iterdir()) == ["s1.zip", "s2.zip"]
    again = run_batch(LAB, roster(tmp_path), out, options=options, live=source())
    assert (again.skipped, again.counts["graded"]) == (3, 0)
    # the kept evidence is a bundle like any other: it reads back, and its capture grades to the same score
    loaded = load_lab(LAB)
    for student in ("s1", "s2"):
        bundle = read_bundle(bundles / f"{student}.zip")
        assert bundle.manifest.student == student and set(bundle.manifest.nodes) == set(loaded.topology.nodes)
        assert grade_capture(loaded, bundle.capture, {}).report.score == found[student]["score"]


def test_live_devices_need_threads(tmp_path: Path) -> None:
    with pytest.raises(LabFileError, match="threads"):
        run_batch(LAB, roster(tmp_path), tmp_path / "out", options=BatchOptions(executor="processes"),
                  live=source())
