"""Reading a batch folder: streaming, tolerant of a journal line cut by a crash, strict (one line) otherwise."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from class_batch import CLASS, LAB, write_batch
from click.testing import CliRunner

from grader.classwork.results import BatchFolderError, read_class
from grader.cli import main
from grader.model.report import GradeReport


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_batch(tmp_path_factory.mktemp("class") / "batch")


@pytest.fixture
def batch(graded: Path, tmp_path: Path) -> Path:
    """A copy of the graded batch folder that a test may damage."""
    return Path(shutil.copytree(graded, tmp_path / "batch"))


def _journal_lines(batch: Path) -> list[str]:
    return (batch / "journal.jsonl").read_text().splitlines(keepends=True)


def _fails(batch: Path, *expected: str) -> str:
    with pytest.raises(BatchFolderError) as info:
        results = read_class(batch)
        for _ in results.reports():
            pass
    message = str(info.value)
    assert "\n" not in message
    for text in expected:
        assert text in message
    return message


def test_reads_batch_entries_and_reports(graded: Path) -> None:
    results = read_class(graded)
    assert results.batch.lab == "hcia-static-routing"
    assert [e.student for e in results.entries] == sorted(s.id for s in CLASS)
    assert (results.count("graded"), results.count("refused"), results.count("error")) == (9, 1, 1)
    assert results.notes == ()
    for entry, report in results.reports():
        if entry.status == "refused":
            assert report is None and "a capture of lab 'hcip-ebgp'" in (entry.reason or "")
            continue
        assert isinstance(report, GradeReport)
        assert (report.student, report.score, report.lab.id) == (entry.student, entry.score, "hcia-static-routing")


def test_reports_are_read_only_when_iterated(batch: Path) -> None:
    results = read_class(batch)
    (batch / "reports" / "heidi.json").unlink()  # after reading the folder: nothing has read it yet
    seen = []
    with pytest.raises(BatchFolderError, match=r"heidi\.json: missing"):
        for entry, _report in results.reports():
            seen.append(entry.student)
    assert seen == ["+mallory", "alice", "bob", "carol", "dave", "erin", "frank", "grace"]


def test_a_last_line_cut_by_a_crash_is_ignored_with_a_note(batch: Path) -> None:
    whole = json.loads(_journal_lines(batch)[0])
    cut = json.dumps({**whole, "student": "zed"})[:57]  # no line end: the write was interrupted
    with (batch / "journal.jsonl").open("a") as journal:
        journal.write(cut)
    results = read_class(batch)
    assert len(results.entries) == len(CLASS)
    assert len(results.notes) == 1
    assert f"journal.jsonl:{len(CLASS) + 1}: the last line is incomplete" in results.notes[0]


def test_a_last_line_without_line_end_was_never_committed(batch: Path) -> None:
    """The batch writes each line with its line end in one write: a line without it was cut by a crash, even
    when it happens to be whole JSON (the batch grades that student again, as its own reader does)."""
    text = (batch / "journal.jsonl").read_text()
    (batch / "journal.jsonl").write_text(text.rstrip("\n"))
    results = read_class(batch)
    assert len(results.entries) == len(CLASS) - 1 and "the last line is incomplete" in results.notes[0]


def test_a_missing_journal_is_an_empty_class_with_a_note(batch: Path) -> None:
    (batch / "journal.jsonl").unlink()
    results = read_class(batch)
    assert results.entries == () and "no student has finished yet" in results.notes[0]


@pytest.mark.parametrize(("line", "damage", "expected"), [
    (3, lambda text: text[:40] + "\n", "journal.jsonl:3: not JSON"),
    (len(CLASS), lambda text: text[:40] + "\n", f"journal.jsonl:{len(CLASS)}: not JSON"),  # complete line
    (2, lambda text: text.replace('"status":"graded"', '"status":"passed"'), "journal.jsonl:2: not a journal "
     "entry: status: Input should be 'graded', 'refused' or 'error'"),
    (2, lambda text: text.replace('"name":', '"nom":'), "journal.jsonl:2: not a journal entry: nom: Extra"),
    (4, lambda text: text.replace('"student":"dave"', '"student":"alice"'), "journal.jsonl:4: student 'alice' "
     "is already on line 1"),
    (1, lambda text: text.replace('"report":"reports/alice.json"', '"report":null'), "journal.jsonl:1: student "
     "'alice' is graded but names no report"),
])
def test_a_damaged_journal_line_is_a_one_line_error(batch: Path, line: int, damage, expected: str) -> None:
    lines = _journal_lines(batch)
    lines[line - 1] = damage(lines[line - 1])
    (batch / "journal.jsonl").write_text("".join(lines))
    _fails(batch, expected)


@pytest.mark.parametrize(("path", "expected"), [
    ("../batch.json", "is not a path inside the batch folder"),
    ("/etc/passwd", "is not a path inside the batch folder"),
    ("reports/bob.json", "a report of student 'bob', the journal says 'alice'"),
    ("batch.json", "not a grade report"),
])
def test_a_report_the_journal_names_is_checked(batch: Path, path: str, expected: str) -> None:
    text = (batch / "journal.jsonl").read_text()
    (batch / "journal.jsonl").write_text(text.replace('"reports/alice.json"', json.dumps(path)))
    _fails(batch, expected)


def test_a_report_of_another_lab_is_refused(batch: Path) -> None:
    path = batch / "reports" / "carol.json"
    report = json.loads(path.read_text())
    report["lab"]["id"] = "hcip-ebgp"
    path.write_text(json.dumps(report))
    _fails(batch, "carol.json: a report of lab 'hcip-ebgp', the batch is of lab 'hcia-static-routing'")


def test_a_report_link_leading_outside_through_a_symlink_is_refused(batch: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    shutil.copy(batch / "reports" / "alice.json", outside)
    (batch / "reports" / "alice.json").unlink()
    (batch / "reports" / "alice.json").symlink_to(outside)
    _fails(batch, "leads outside the batch folder")


def test_batch_json_is_required_and_checked(batch: Path) -> None:
    _fails(batch / "reports", "not a batch folder (no batch.json)")
    _fails(batch / "nothing", "nothing: not a folder")
    info = json.loads((batch / "batch.json").read_text())
    (batch / "batch.json").write_text(json.dumps({**info, "format": "labgrader-batch/9"}))
    _fails(batch, "batch.json: not a batch description: format: Input should be 'labgrader-batch/1'")


def test_the_commands_turn_a_broken_folder_into_one_line_and_exit_2(batch: Path) -> None:
    (batch / "batch.json").write_text("{")
    for args in (["export", str(batch), "--format", "moodle-csv"], ["report", str(batch)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
        assert "batch.json: not a batch description" in result.stderr
    assert LAB.is_dir()
