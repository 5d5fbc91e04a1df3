"""The class analytics page: charts as inline SVG, reasons, flags, refused and errors; escaped, self-contained."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from class_batch import CLASS, write_batch
from click.testing import CliRunner
from html_page import Page

from grader.classwork.results import read_class
from grader.cli import main
from grader.model.class_results import ClassResults
from grader.model.classwork import JournalEntry
from grader.model.report import Outcome
from grader.reporters import FORMATS, RenderOptions
from grader.reporters.class_similar import similarity


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_batch(tmp_path_factory.mktemp("class") / "batch")


@pytest.fixture(scope="module")
def results(folder: Path) -> ClassResults:
    return read_class(folder)


@pytest.fixture(scope="module")
def html(results: ClassResults) -> str:
    page = FORMATS["class-report"].render(results, RenderOptions())
    assert isinstance(page, str)
    return page


def test_histogram_has_a_bar_per_tenth_as_tall_as_its_count(results: ClassResults, html: str) -> None:
    bars = Page(html).bars("histogram")
    assert len(bars) == 10
    expected = [0] * 10
    for entry in results.entries:
        if entry.status == "graded":
            expected[min(int(entry.percentage // 10), 9)] += 1
    assert expected == [1, 0, 0, 0, 2, 0, 2, 2, 0, 2]  # the class as graded: heidi 0 %, ..., alice 100 %
    unit = max(float(b["height"]) for b in bars) / max(expected)
    assert [round(float(b["height"]) / unit) for b in bars] == expected
    titles = re.findall(r'<rect class="bar"[^>]*><title>([^<]*)</title>', html)
    assert titles[:2] == ["0-10: 1 students", "10-20: 0 students"]


def test_objective_bars_show_each_pass_rate(results: ClassResults, html: str) -> None:
    bars = Page(html).bars("rates")
    passed: Counter[str] = Counter()
    graded = 0
    for entry, report in results.reports():
        if entry.status == "graded" and report is not None:
            graded += 1
            passed.update(o.id for o in report.objectives if o.outcome is Outcome.PASS)
    objectives = ["addressing", "descriptions", "r1-static", "r2-static", "r3-static", "end-to-end"]
    assert len(bars) == len(objectives)
    full = max(float(b["width"]) for b in bars) / max(passed[o] / graded for o in objectives)
    assert [round(float(b["width"]) / full, 3) for b in bars] == [round(passed[o] / graded, 3) for o in objectives]


def test_frequent_failure_reasons_count_students(results: ClassResults, html: str) -> None:
    missing = re.compile(r"r2: route \S+ is missing from the routing table")
    students = 0
    for entry, report in results.reports():
        if entry.status == "graded" and report is not None:
            students += any(missing.fullmatch(c.message) for o in report.objectives if o.id == "r2-static"
                            for c in o.checks if c.outcome is Outcome.FAIL)
    rows = Page(html).table("Most frequent failure reasons")
    assert rows[0] == ["Objective", "Reason (addresses and numbers generalised)", "Students", "Share"]
    row = next(row for row in rows if row[0] == "r2-static")
    assert row[1:3] == ["r2: route <ip> is missing from the routing table", str(students)]
    assert students == 4


def test_flags_warnings_and_identical_work(html: str) -> None:
    flags = {row[0]: row[3] for row in Page(html).table("Students flagged")[1:] if len(row) == 4}
    assert "the capture was taken with other variables: lan_a=1 (graded with 5)" in flags["bob"]
    assert "same output as" in flags["bob"] and "alice" in flags["bob"]
    assert "r1: show interface" in flags["bob"]  # r1's addresses depend on lan_a
    assert "every output identical to frank" in flags["erin"]
    assert "every output identical to erin" in flags["frank"]
    assert "ivan" not in flags  # refused: no outputs to compare


def test_refused_and_errors_are_listed(html: str) -> None:
    rows = {row[0]: row for row in Page(html).table("Refused and not graded")[1:]}
    assert sorted(rows) == ["ivan", "judy"]
    assert rows["ivan"][2] == "refused" and "a capture of lab 'hcip-ebgp'" in rows["ivan"][3]
    assert rows["judy"][2:] == ["error", "r2: SSH connection timed out after 30 s"]


def test_student_text_is_escaped_and_nothing_is_fetched(html: str) -> None:
    page = Page(html)
    assert not [tag for tag, _, _ in page.elements if tag in ("script", "link", "img", "iframe", "object")]
    assert "<script>alert('ivan')</script>" in "".join(page.text)  # shown as text
    assert "&lt;script&gt;alert(&#x27;ivan&#x27;)&lt;/script&gt;" in html
    assert not [a for _, a, _ in page.elements for k in ("src", "href") if a.get(k, "").startswith(("http", "//"))]
    assert not re.search(r"url\(|@import", html)
    assert "default-src 'none'" in html


def test_a_class_without_copying_has_no_identical_work_flag(tmp_path: Path) -> None:
    honest = [s for s in CLASS if s.id in ("alice", "carol", "dave")]
    page = FORMATS["class-report"].render(read_class(write_batch(tmp_path / "batch", honest)), RenderOptions())
    assert isinstance(page, str)
    assert "No student flagged." in page and "<h3>Identical outputs</h3>" not in page


def _entry(student: str, variables: dict[str, int], digests: dict[str, str]) -> JournalEntry:
    return JournalEntry(student=student, status="graded", variables=variables, evidence_digest=digests,
                        finished=datetime(2026, 1, 1, tzinfo=UTC))


def test_similarity_needs_different_expectations_for_the_same_output() -> None:
    entries = [_entry("a", {"x": 1}, {"r1: show ip route": "d1", "r2: show ip route": "e1"}),
               _entry("b", {"x": 2}, {"r1: show ip route": "d1", "r2: show ip route": "e2"}),
               _entry("c", {"x": 1}, {"r1: show ip route": "d1", "r2: show ip route": "e3"})]
    expected = {"a": {"r1: show ip route": "X1", "r2: show ip route": "Y"},
                "b": {"r1: show ip route": "X2", "r2: show ip route": "Y"},
                "c": {"r1: show ip route": "X1", "r2: show ip route": "Y"}}
    found = similarity(entries, expected)
    assert found.pairs() == [("a", "b", ("r1: show ip route",)), ("b", "c", ("r1: show ip route",))]
    assert found.identical == []
    assert found.flags("b") == ["same output as a, c although the expected results differ (other variables), "
                                "for 1 command: r1: show ip route"]
    assert found.flags("a") == ["same output as b although the expected results differ (other variables), "
                                "for 1 command: r1: show ip route"]
    same = [_entry("a", {"x": 1}, {"k": "1"}), _entry("b", {"x": 1}, {"k": "1"})]
    assert similarity(same, {"a": {"k": "X"}, "b": {"k": "X"}}).flags("a") == ["every output identical to b"]


def test_report_command_writes_the_page_into_the_batch_folder(folder: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert (folder / "class-report.html").read_text().startswith("<!DOCTYPE html>")
    out = tmp_path / "elsewhere" / "class.html"
    result = CliRunner().invoke(main, ["report", str(folder), "--out", str(out)])
    assert result.exit_code == 0 and f"wrote {out}" in result.stderr
    assert out.read_text() == (folder / "class-report.html").read_text()
