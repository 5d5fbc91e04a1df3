"""Batch grading of the demo class (examples/demo-class): every kind of submission ends with the right status,
one bad submission never stops the others, reruns and shards + merge give what one uninterrupted run gives,
and a batch killed with SIGKILL resumes to the same result."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.classwork.batch import BatchOptions, Shard, run_batch
from grader.classwork.course import load_course
from grader.classwork.merge import merge_batches
from grader.errors import LabFileError
from grader.model.classwork import BatchInfo, JournalEntry
from grader.model.report import GradeReport

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-ospf-single-area"
DEMO = ROOT / "examples" / "demo-class"
ROSTER = DEMO / "roster.csv"
THREADS = BatchOptions(workers=4, executor="threads")
TIMING = {"seconds", "finished"}


def batch(out: Path, roster: Path = ROSTER, **options: Any) -> Any:
    settings = {"workers": 4, "executor": "threads", **options}
    return run_batch(LAB, roster, out, course=load_course(DEMO / "course.yaml"), options=BatchOptions(**settings))


def journal(out: Path) -> dict[str, dict[str, Any]]:
    """The journal by student, without timings; each student must appear once."""
    lines = [json.loads(line) for line in (out / "journal.jsonl").read_text().splitlines()]
    by_student = {e["student"]: {k: v for k, v in e.items() if k not in TIMING} for e in lines}
    assert len(by_student) == len(lines), "a student appears twice in the journal"
    return by_student


def reports(out: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted((out / "reports").glob("*.json")):
        data = json.loads(path.read_text())
        found[path.name] = {k: v for k, v in data.items() if k not in {"started", "finished"}}
    assert sorted(p.stem for p in (out / "reports").glob("*.html")) == sorted(Path(n).stem for n in found)
    return found


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("whole") / "out"
    summary = batch(out)
    assert summary.total == 48 and summary.skipped == 0
    assert summary.counts == {"graded": 40, "refused": 7, "error": 1}
    return out


def expected_score(capture: str) -> float:
    return float(yaml.safe_load((LAB / "submissions" / capture / "expected.yaml").read_text())["score"])


def test_every_kind_of_submission_gets_its_status(whole: Path) -> None:
    entries = journal(whole)
    assert sorted(entries) == [f"s{n:03d}" for n in range(1, 49)]
    for n in range(1, 17):
        e = entries[f"s{n:03d}"]
        assert (e["status"], e["score"], e["warnings"]) == ("graded", 100.0, []), e
    broken = ["area-mismatch"] * 3 + ["hello-mismatch"] * 3 + ["lan-not-passive"] * 3 + ["missing-network"] * 3 \
        + ["passive-transit"] * 3 + ["initial"] * 2
    for n, capture in enumerate(broken, start=17):
        e = entries[f"s{n:03d}"]
        assert (e["status"], e["score"], e["warnings"]) == ("graded", expected_score(capture), []), (n, e)
    for student in ("s034", "s035", "s036"):
        assert entries[student]["status"] == "refused"
        assert entries[student]["reason"] == (f"bundles/{student}.zip: entry 'capture/r1/show_ip_route.txt' does not "
                                              "match its sha256 (changed after capture)")
    assert entries["s037"]["warnings"][-1] == "the capture was taken with the variables of student 's001'"
    assert entries["s038"]["warnings"][-1] == "the capture was taken with the variables of student 's002'"
    assert "the bundle was made by student 's003', graded as 's039'" in entries["s039"]["warnings"]
    for student in ("s037", "s038", "s039"):
        assert entries[student]["status"] == "graded" and entries[student]["score"] < 100
        assert entries[student]["warnings"][0].startswith("the capture was taken with other variables: lan_a=")
    assert entries["s040"]["warnings"] == ["r3 reports r2 as Full at 10.0.23.2 but r2 does not list r3 as an OSPF "
                                           "neighbour"]
    assert entries["s041"]["warnings"] == ["r2 reports r1 as Full at 10.0.12.10 but r1 has no such address"]
    assert entries["s042"]["warnings"] == ["r2 reports r1 (10.0.12.1) with router id 1.1.1.11 but r1's router id "
                                           "is 1.1.1.1"]
    assert any("not in one subnet" in w for w in entries["s043"]["warnings"])
    assert entries["s044"]["reason"] == "bundles/s044.zip: a bundle of lab 'hcia-static-routing', not " \
                                        "'hcia-ospf-single-area'"
    assert entries["s045"]["reason"].endswith("refused as a zip bomb")
    assert "is not a plain relative name inside the bundle" in entries["s046"]["reason"]
    assert entries["s047"]["status"] == "error" and "connection refused" in entries["s047"]["reason"]
    assert entries["s048"] == {**entries["s048"], "status": "refused", "reason": "nothing submitted"}


def test_reports_carry_student_submission_and_the_students_own_variables(whole: Path) -> None:
    entries = journal(whole)
    course = load_course(DEMO / "course.yaml")
    from grader.loader import load_lab

    assignment = course.assignment(load_lab(LAB))
    found = reports(whole)
    graded = [s for s, e in entries.items() if e["status"] == "graded" or e["report"]]
    assert sorted(Path(n).stem for n in found) == sorted(graded)
    for student in graded:
        report = GradeReport.model_validate(found[f"{student}.json"] | {"started": "2026-01-01T00:00:00Z",
                                                                         "finished": "2026-01-01T00:00:00Z"})
        assert report.student == student and report.submission == entries[student]["submission"]
        assert {k: report.variables[k] for k in ("lan_a", "lan_b")} == assignment.of(student)
        assert entries[student]["variables"] == report.variables
    lans = [tuple(assignment.of(s).values()) for s in entries]
    assert len(set(lans)) == 48  # every student of the demo class has a variant of their own
    for entry in entries.values():
        JournalEntry.model_validate({**entry, "finished": "2026-01-01T00:00:00Z"})
    assert BatchInfo.model_validate_json((whole / "batch.json").read_text()).lab == "hcia-ospf-single-area"


def test_a_rerun_grades_nothing_and_changes_nothing(whole: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(whole, out)
    before = (out / "journal.jsonl").read_bytes()
    summary = batch(out)
    assert summary.skipped == 48 and summary.counts == {"graded": 0, "refused": 0, "error": 0}
    assert (out / "journal.jsonl").read_bytes() == before


def test_shards_merged_equal_the_whole_class(whole: Path, tmp_path: Path) -> None:
    shards = []
    for k in (1, 2, 3):
        shards.append(tmp_path / f"shard{k}")
        batch(shards[-1], shard=Shard(k, 3))
        assert json.loads((shards[-1] / "batch.json").read_text())["shard"] == f"{k}/3"
    sizes = [len(journal(s)) for s in shards]
    assert sum(sizes) == 48 and all(sizes)
    merged = tmp_path / "merged"
    first = merge_batches(shards, merged)
    assert (first.added, first.present, first.conflicts) == (48, 0, [])
    assert journal(merged) == journal(whole) and reports(merged) == reports(whole)
    again = merge_batches(shards, merged)
    assert (again.added, again.present) == (0, 48)
    assert journal(merged) == journal(whole)
    assert json.loads((merged / "batch.json").read_text())["shard"] is None


def test_shards_are_stable_whatever_the_roster_order() -> None:
    ids = [f"s{n:03d}" for n in range(1, 200)]
    parts = [{s for s in ids if Shard(k, 4).holds(s)} for k in range(1, 5)]
    assert set().union(*parts) == set(ids) and sum(map(len, parts)) == len(ids)
    assert all(30 < len(p) < 70 for p in parts)
    with pytest.raises(LabFileError, match="expected K/N"):
        Shard.parse("0/4")


def write_roster(path: Path, rows: list[str]) -> Path:
    path.write_text("student,name,submission\n" + "".join(f"{r}\n" for r in rows))
    return path


def test_a_bad_roster_stops_before_anything_is_graded(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "class")
    roster = write_roster(tmp_path / "class" / "batch.csv", ["s001,Ada,bundles/s001.zip",
                                                             "s002,x,../../etc/passwd.zip"])
    with pytest.raises(LabFileError, match=r"batch\.csv:3: submission path '../../etc/passwd.zip' must be relative"):
        batch(tmp_path / "out", roster)
    write_roster(roster, ["s001,Ada,bundles/s001.zip", "x999,Eve,bundles/s002.zip"])
    with pytest.raises(LabFileError, match=r"batch\.csv:3: student 'x999' is not on the course roster"):
        batch(tmp_path / "out", roster)
    assert not (tmp_path / "out").exists()


def test_a_link_out_of_the_roster_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("bundles", "*.py"))
    (folder / "bundles").mkdir()
    (folder / "bundles" / "s001.zip").symlink_to(DEMO / "bundles" / "s001.zip")
    roster = write_roster(folder / "roster.csv", ["s001,Ada,bundles/s001.zip"])
    run_batch(LAB, roster, tmp_path / "out", course=load_course(DEMO / "course.yaml"), options=THREADS)
    entry = journal(tmp_path / "out")["s001"]
    assert (entry["status"], entry["reason"]) == ("refused", "bundles/s001.zip: leads outside the roster's folder")


def test_another_lab_in_the_same_folder_is_refused(whole: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(whole, out)
    info = json.loads((out / "batch.json").read_text())
    (out / "batch.json").write_text(json.dumps({**info, "lab_hash": "0" * 64}))
    with pytest.raises(LabFileError, match="holds a batch of another lab or another version of it"):
        batch(out)


def _run_cli(out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "grader", "batch", str(LAB), "--roster", str(ROSTER), "--out", str(out),
               "--course", str(DEMO / "course.yaml"), "--workers", "1"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def test_a_batch_killed_with_sigkill_resumes_to_the_same_result(whole: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    child = _run_cli(out)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            log = out / "journal.jsonl"
            if log.exists() and log.read_bytes().count(b"\n") >= 5:
                break
            assert child.poll() is None, child.communicate()
            time.sleep(0.005)
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # the batch and its grading workers, at once
        child.wait()
    done = (out / "journal.jsonl").read_bytes().count(b"\n")
    assert 5 <= done < 48, f"killed after {done} students: not mid-run"
    with (out / "journal.jsonl").open("ab") as handle:
        handle.write(b'{"student":"s0')  # a line the kill cut short
    rerun = _run_cli(out)
    stdout, stderr = rerun.communicate(timeout=120)
    assert rerun.returncode == 1, stderr  # 1: some submissions were refused
    assert f"{done} already done" in stdout.decode()
    assert journal(out) == journal(whole)
    assert reports(out) == reports(whole)
    assert not list(out.rglob(".*.tmp"))


def test_a_folder_that_is_not_a_batch_folder_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(LabFileError, match="not empty and not a batch folder"):
        batch(tmp_path)
    with pytest.raises(LabFileError, match="not empty and not a batch folder"):
        merge_batches([], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
