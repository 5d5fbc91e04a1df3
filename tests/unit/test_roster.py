"""Rosters are untrusted text: ids become file names, names are shown, paths are read. Every bad row is one
``file:line`` error before anything is graded."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.classwork.roster import check_student_id, read_roster
from grader.errors import LabFileError

HEADER = "student,name,submission\n"


def rows(tmp_path: Path, text: str, **kwargs: object) -> list[object]:
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return list(read_roster(path, **kwargs))


def error(tmp_path: Path, text: str, **kwargs: object) -> str:
    with pytest.raises(LabFileError) as info:
        rows(tmp_path, text, need_submission=True, **kwargs)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(tmp_path / "roster.csv") + ":")
    return message.removeprefix(str(tmp_path / "roster.csv") + ":")


def test_a_good_roster_streams_its_rows(tmp_path: Path) -> None:
    got = rows(tmp_path, "\ufeffStudent, Name ,Submission,email\n s001 ,Ada Lovelace,bundles/s001.zip,a@x\n\n"
                         "s002,\"Turing, Alan\",devices/s002.yaml,\ns003,Grace,,\n", need_submission=True)
    assert [(r.line, r.student, r.name, r.submission) for r in got] == [
        (2, "s001", "Ada Lovelace", "bundles/s001.zip"), (4, "s002", "Turing, Alan", "devices/s002.yaml"),
        (5, "s003", "Grace", None)]


@pytest.mark.parametrize(("row", "message"), [
    ("../../etc/passwd,x,a.zip", "2: student id '../../etc/passwd' is not a safe name"),
    (",x,a.zip", "2: student id '' is not a safe name"),
    ("s.,x,a.zip", "2: student id 's.' is not a safe name"),
    ("CON,x,a.zip", "2: student id 'CON' is a name Windows reserves for devices"),
    ("lpt1.x,x,a.zip", "2: student id 'lpt1.x' is a name Windows reserves for devices"),
    ("s001,Eve \u202egpj.exe,a.zip", "2: name 'Eve gpj.exe' holds control or formatting characters"),
    ("s001,x,/etc/passwd.zip", "2: submission path '/etc/passwd.zip' must be relative"),
    ("s001,x,../other/s001.zip", "2: submission path '../other/s001.zip' must be relative"),
    ("s001,x,C:/Users/x.zip", "must be relative"),
    ("s001,x,bundles\\s001.zip", "must be relative"),
    ("s001,x,s001.tar.gz", "is neither a bundle (.zip) nor an inventory (.yaml, .yml)"),
])
def test_bad_rows_are_one_line_errors_with_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    assert message in error(tmp_path, HEADER + row + "\n")


def test_names_in_any_script_are_welcome(tmp_path: Path) -> None:
    names = ["Zoë Ångström", "Nguyễn Thị Minh Khai", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "李小龍"]
    got = rows(tmp_path, HEADER + "".join(f"s{n},{name},a.zip\n" for n, name in enumerate(names)))
    assert [r.name for r in got] == names  # a zero-width non-joiner (Persian) is part of a name, not a trick


def test_duplicates_are_caught_whatever_their_case(tmp_path: Path) -> None:
    assert error(tmp_path, HEADER + "s001,a,a.zip\nS001,b,b.zip\n") == "3: student 'S001' is listed twice"


def test_header_encoding_and_csv_errors(tmp_path: Path) -> None:
    assert error(tmp_path, "id,name\ns001,x\n") == ("1: the header must name the columns student, name, submission "
                                                    "(missing: student, submission)")
    assert rows(tmp_path, "student\ns001\n")[0].student == "s001"  # a course roster needs ids only
    assert "not UTF-8" in error(tmp_path, HEADER.encode() + b"s001,\xff\xfe,a.zip\n")  # type: ignore[arg-type]
    assert error(tmp_path, HEADER + 's001,"x\0",a.zip\n') == "2: name 'x\ufffd' holds control or formatting characters"
    assert error(tmp_path, HEADER + 's001,"Ada,a.zip\n').startswith("2: not a valid CSV row")


def test_ids_are_safe_file_names() -> None:
    for good in ("s001", "jean-luc.picard", "A_1", "x" * 64):
        assert check_student_id(good) == good
    for bad in ("x" * 65, ".hidden", "a/b", "a b", "é", "nul"):
        with pytest.raises(ValueError):
            check_student_id(bad)
