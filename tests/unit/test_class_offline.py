"""Class deployments without Docker: roster, names, the password store, access sheets."""

from __future__ import annotations

import csv
import io
import re
import stat
from pathlib import Path

import pytest

from grader.cli.classroom import read_roster
from grader.errors import DeployError, LabFileError
from grader.runtime.access_sheet import MASK, sheet_csv, sheet_html, sheet_text, write_sheets
from grader.runtime.classroom import AccessEntry, Student, deployment_id, student_slug
from grader.runtime.classstore import ClassStore, new_password
from grader.runtime.state import check_listen, connect_host

# roster and names


def test_roster_reads_ids_and_names(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("\ufeffStudent,Name,email\ns1,Ada Lovelace,a@x\n\ns2,,b@x\n")
    assert read_roster(roster) == [Student("s1", "Ada Lovelace"), Student("s2", "")]


@pytest.mark.parametrize(("text", "message"), [
    ("name\nAda\n", ":1: the header must name the columns student"),
    ("student,name\ns1,A\ns1,B\n", ":3: student 's1' is listed twice"),
    ("student,name\nada@uni,A\n", ":2: student id 'ada@uni' is not a safe name"),
])
def test_roster_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(text)
    with pytest.raises(LabFileError, match=re.escape(message)):
        read_roster(roster)


def test_student_ids_that_cannot_name_a_container_get_a_stable_distinct_slug() -> None:
    assert student_slug("s-042") == "s-042"
    odd = [student_slug(s) for s in ("ada@uni.example", "Ada@uni.example", "ada uni", "élève 7")]
    assert len(set(odd)) == 4
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*-[0-9a-f]{6}", slug) for slug in odd)
    assert student_slug("ada@uni.example") == odd[0]
    assert deployment_id("lab1", "s-042") == "lab1-s-042"
    with pytest.raises(DeployError, match="shorten the lab id"):
        deployment_id("l" * 60, "s-042")


def test_listen_addresses() -> None:
    assert check_listen("0.0.0.0") == "0.0.0.0"
    assert check_listen("::1") == "::1"
    with pytest.raises(DeployError, match="not an IP address"):
        check_listen("localhost")
    assert connect_host("0.0.0.0") == "127.0.0.1"
    assert connect_host("::") == "::1"
    assert connect_host("192.0.2.7") == "192.0.2.7"


# the password store


def test_passwords_are_random_and_readable() -> None:
    made = {new_password() for _ in range(50)}
    assert len(made) == 50
    assert all(re.fullmatch(r"[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}", p) for p in made)


def test_store_keeps_passwords_private_and_stable(tmp_path: Path) -> None:
    store = ClassStore(tmp_path, "lab1")
    first = store.ensure_passwords(["a", "b"])
    assert stat.S_IMODE(store.credentials_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700
    again = store.ensure_passwords(["b", "c"])
    assert again["b"] == first["b"] and again["c"] not in first.values()
    assert store.passwords() == {**first, "c": again["c"]}
    store.credentials_path.chmod(0o644)
    store.passwords()
    assert stat.S_IMODE(store.credentials_path.stat().st_mode) == 0o600
    store.forget(["a"])
    assert set(store.passwords()) == {"b", "c"}
    store.forget(None)
    assert not store.directory.exists()


def test_only_one_command_works_on_a_class_at_a_time(tmp_path: Path) -> None:
    store = ClassStore(tmp_path, "lab1")
    with store.exclusive(), pytest.raises(DeployError, match="another labgrader command"), \
            ClassStore(tmp_path, "lab1").exclusive():
        pass
    with store.exclusive():
        pass


# access sheets


ENTRIES = [
    AccessEntry("s1", "=HYPERLINK(\"http://x\")", "lab.example", "student", {"r1": 40001, "pc": 40002}, "ready",
                password="aaaa-bbbb-cccc"),
    AccessEntry("s2", "<b>Bo</b>", "lab.example", "student", {}, "absent", password="dddd-eeee-ffff"),
]


def test_csv_sheet_has_a_row_per_student_and_a_port_column_per_node() -> None:
    rows = list(csv.DictReader(io.StringIO(sheet_csv(ENTRIES))))
    assert [r["student"] for r in rows] == ["s1", "s2"]
    assert (rows[0]["r1"], rows[0]["pc"], rows[0]["password"]) == ("40001", "40002", "aaaa-bbbb-cccc")
    assert rows[0]["name"].startswith("'=")  # a spreadsheet shows it as text, never runs it
    assert rows[1]["r1"] == "" and rows[1]["state"] == "absent"


def test_text_sheet_masks_passwords_unless_asked() -> None:
    masked = sheet_text("lab1", ENTRIES)
    assert "aaaa-bbbb-cccc" not in masked and MASK in masked
    assert "ssh -p 40001 student@lab.example" in masked and "[absent]" in masked
    assert "aaaa-bbbb-cccc" in sheet_text("lab1", ENTRIES, show_passwords=True)


def test_html_sheet_escapes_names(tmp_path: Path) -> None:
    page = sheet_html("lab1", "Lab <1>", ENTRIES)
    assert "<b>Bo</b>" not in page and "&lt;b&gt;Bo&lt;/b&gt;" in page and "Lab &lt;1&gt;" in page
    paths = write_sheets(tmp_path / "out", "lab1", "Lab", ENTRIES)
    assert {p.name for p in paths} == {"access.csv", "access.txt", "access.html"}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)
