"""Exports of a batch folder: Moodle and Canvas CSV, Gradescope results, an XLSX workbook, JUnit XML."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xmlschema
from class_batch import CLASS, write_batch
from click.testing import CliRunner

from grader.classwork.results import read_class
from grader.cli import main
from grader.model.class_results import ClassResults
from grader.reporters import FORMATS, RenderOptions, format_names, gradescope
from grader.reporters.class_stats import file_names, reason, sheet_text

JUNIT_XSD = Path(__file__).resolve().parents[1] / "unit" / "data" / "junit.xsd"
GRADED = sorted(s.id for s in CLASS if s.id not in ("ivan", "judy"))
MALLORY_NAME = '=HYPERLINK("http://evil.example/","click")'


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_batch(tmp_path_factory.mktemp("class") / "batch")


@pytest.fixture(scope="module")
def results(folder: Path) -> ClassResults:
    return read_class(folder)


def export(results: ClassResults, fmt: str, **options: str) -> str | bytes:
    return FORMATS[fmt].render(results, RenderOptions(**options))


def _csv(text: str | bytes) -> list[list[str]]:
    assert isinstance(text, str)
    return list(csv.reader(io.StringIO(text)))


def _formula_like(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r")


def test_class_formats_are_registered() -> None:
    assert set(format_names("class")) == {"moodle-csv", "canvas-csv", "gradescope-zip", "xlsx", "junit-class",
                                          "class-report"}
    assert {FORMATS[f].writes for f in ("xlsx", "gradescope-zip")} == {"bytes"}


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+mallory", "'+mallory"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("alice", "alice"), ("a=b", "a=b"), ("", ""),
])
def test_sheet_text_neutralises_formulas(value: str, expected: str) -> None:
    assert sheet_text(value) == expected


def test_file_names_are_portable_and_distinct() -> None:
    assert file_names(["alice", "../etc", "a/b", "a_b", "A_B", "", ".hidden"]) == {
        "alice": "alice", "../etc": "_etc", "a/b": "a_b", "a_b": "a_b-2", "A_B": "A_B-3", "": "student",
        ".hidden": "hidden"}


@pytest.mark.parametrize(("message", "expected"), [
    ("r2: route 192.168.5.0/24 is missing from the routing table", "r2: route <ip> is missing from the routing table"),
    ("r1: interface GigabitEthernet0/0/1 has 10.0.12.1/25, expected 10.0.12.1/24",
     "r1: interface GigabitEthernet0/0/1 has <ip>, expected <ip>"),
    ("pc1: ping 2001:db8:3::10 fails (0/3 replies)", "pc1: ping <ip> fails (0/3 replies)"),  # a/b kept
    ("r3: bgp neighbor 10.0.23.2 is Active, expected Established (AS 65002)",
     "r3: bgp neighbor <ip> is Active, expected Established (AS <n>)"),
    ("r1:  two\nlines", "r1: two lines"),
])
def test_failure_reasons_generalise_what_varies(message: str, expected: str) -> None:
    assert reason(message) == expected


def test_moodle_csv(results: ClassResults) -> None:
    rows = _csv(export(results, "moodle-csv"))
    title = "Static routing between two LANs"
    assert rows[0] == ["Student ID", "Full name", title, f"{title} (%)", "Feedback"]
    by_id = {row[0]: row for row in rows[1:]}
    assert sorted(by_id) == sorted(sheet_text(s) for s in GRADED)  # refused and error students are left out
    for entry in results.entries:
        if entry.status == "graded":
            row = by_id[sheet_text(entry.student)]
            assert (float(row[2]), float(row[3])) == (entry.score, entry.percentage)
            assert row[4].startswith(f"{row[2]}/100 points (")
    assert by_id["'+mallory"][1] == "'" + MALLORY_NAME
    assert not any(_formula_like(cell) for row in rows for cell in row)


def test_canvas_csv(results: ClassResults) -> None:
    rows = _csv(export(results, "canvas-csv"))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Static routing between two LANs"]
    # the checks Canvas makes of a header: Student first, ID second, Section last of the student columns
    assert "Student" in rows[0][0] and "ID" in rows[0][1] and "Section" in rows[0][4]
    assert rows[1] == ["Points Possible", "", "", "", "", "100"]
    body = {row[2]: row for row in rows[2:]}
    assert sorted(body) == sorted(sheet_text(s) for s in GRADED)
    assert body["alice"] == ["Alice Martin", "", "alice", "alice", "", "100"]
    assert body["carol"][5] == "96.67"
    assert body["'+mallory"][0] == "'" + MALLORY_NAME
    assert not any(_formula_like(cell) for row in rows for cell in row)
    with_id = _csv(export(results, "canvas-csv", assignment_id="4711"))
    assert with_id[0][5] == "Static routing between two LANs (4711)"


def _xml_of(workbook: bytes, member: str) -> str:
    return zipfile.ZipFile(io.BytesIO(workbook)).read(member).decode()


def test_xlsx_workbook(results: ClassResults) -> None:
    content = export(results, "xlsx")
    assert isinstance(content, bytes)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Grades", "Objectives", "Batch"]
    grades = book["Grades"]
    header = [c.value for c in grades[1]]
    objectives = ["addressing", "descriptions", "r1-static", "r2-static", "r3-static", "end-to-end"]
    assert header[:7] == ["Student", "Name", "Status", "Score", "Max", "Percentage", "Flags"]
    assert [h.split(" (")[0] for h in header[7:]] == objectives
    assert grades.freeze_panes == "C2"
    assert all(c.font.bold for c in grades[1])
    table = {row[0]: row for row in grades.iter_rows(min_row=2, values_only=True)}
    assert sorted(table) == sorted(s.id for s in CLASS)
    for entry, report in results.reports():
        row = table[entry.student]
        assert row[1:3] == (entry.name, entry.status)
        if report is None:
            assert row[3] is None and row[5] is None and set(row[7:]) == {None}
            assert row[6].startswith("refused: ")
        else:
            assert (row[3], row[4], row[5]) == (entry.score, 100, entry.percentage)
            assert list(row[7:]) == [o.score for o in report.objectives]
    assert table["+mallory"][1] == MALLORY_NAME  # the value exactly, as text
    assert "the capture was taken with other variables" in table["bob"][6]
    assert table["judy"][6].startswith("error: r2: SSH connection timed out")
    widths = [grades.column_dimensions[letter].width for letter in "ABCDEFG"]
    assert all(8 <= w <= 60 for w in widths) and widths[1] > widths[0]  # names are longer than ids
    assert [c.value for c in book["Objectives"]["A"]][1:] == objectives
    sheet = _xml_of(content, "xl/worksheets/sheet1.xml")
    assert "<f>" not in sheet and "<f " not in sheet  # values only, no formula anywhere
    cells = [c for row in grades.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    formula_like = [c for c in cells if isinstance(c.value, str) and _formula_like(c.value)]
    assert {c.value for c in formula_like} == {"+mallory", MALLORY_NAME}
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_like)


def test_gradescope_zip_and_folder(results: ClassResults, folder: Path, tmp_path: Path) -> None:
    content = export(results, "gradescope-zip")
    assert isinstance(content, bytes)
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = sorted(archive.namelist())
    assert names == sorted([f"{s.id}/results.json" for s in CLASS] + ["students.json"])
    assert json.loads(archive.read("students.json")) == {s.id: s.id for s in CLASS}
    for entry, report in results.reports():
        data = json.loads(archive.read(f"{entry.student}/results.json"))
        if report is None:
            assert data["score"] == 0 and data["tests"] == []
            assert "Not graded: the submission was refused: " in data["output"]
        else:
            assert archive.read(f"{entry.student}/results.json").decode() == gradescope.render(report)
            assert data["score"] == entry.score
    result = CliRunner().invoke(main, ["export", str(folder), "--format", "gradescope-zip", "--out",
                                       str(tmp_path / "gs")])
    assert result.exit_code == 0, result.stderr
    written = sorted(str(p.relative_to(tmp_path / "gs")) for p in (tmp_path / "gs").rglob("*") if p.is_file())
    assert written == names
    assert (tmp_path / "gs" / "alice" / "results.json").read_bytes() == archive.read("alice/results.json")


def test_junit_class_is_valid_and_complete(results: ClassResults) -> None:
    text = export(results, "junit-class")
    assert isinstance(text, str)
    schema = xmlschema.XMLSchema(JUNIT_XSD)
    schema.validate(text)
    root = ET.fromstring(text.encode())
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == sorted(s.id for s in CLASS)
    for suite, (entry, report) in zip(suites, results.reports(), strict=True):
        properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert (properties["student"], properties["student.name"], properties["status"]) == (
            entry.student, entry.name, entry.status)
        cases = suite.findall("testcase")
        if report is None:
            assert [c.get("name") for c in cases] == ["submission"]
            assert cases[0].find("error").get("message").startswith("refused: ")
        else:
            assert len(cases) == len(report.objectives) == int(suite.get("tests"))
    for key in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(key)) == sum(int(s.get(key)) for s in suites)
    assert re.search(r'<property name="student.name" value="&lt;script&gt;', text)


def test_export_command_writes_files_and_says_who_is_missing(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(folder), "--format", "canvas-csv", "--assignment-id", "12"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Student,ID,SIS User ID,SIS Login ID,Section,Static routing between two LANs (12)")
    assert "11 students: 9 graded, 1 refused, 1 not graded (error)" in result.stderr
    assert "  ivan: refused: " in result.stderr and "  judy: error: r2: SSH" in result.stderr
    result = runner.invoke(main, ["export", str(folder), "--format", "xlsx"])
    assert result.exit_code == 2 and "give --output FILE" in result.stderr
    out = tmp_path / "grades.xlsx"
    result = runner.invoke(main, ["export", str(folder), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    result = runner.invoke(main, ["export", str(folder), "--format", "json"])
    assert result.exit_code == 2 and "'json' is not one of" in result.stderr
