"""Captures are untrusted: every way a student's capture can try to read the grading machine, choose its own
variables, or crash the grader is refused with one line, or graded with the instructor's values and flagged."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from grader.engine.session import grade_capture
from grader.errors import CaptureError
from grader.loader import load_lab
from grader.transport.capture import CaptureLimits, read_capture

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-static-routing"
CORRECT = LAB / "submissions" / "solution"
SECRET = "root:x:0:0"  # what /etc/passwd starts with: must never appear in an error or a report


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    folder = tmp_path / "capture"
    shutil.copytree(CORRECT, folder)
    (folder / "expected.yaml").unlink()
    return folder


def manifest(folder: Path) -> dict:
    return yaml.safe_load((folder / "manifest.yaml").read_text())


def save(folder: Path, data: dict) -> None:
    (folder / "manifest.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def first_command(data: dict) -> dict:
    return next(iter(data["nodes"]["r1"]["commands"].values()))


def refused(folder: Path, fragment: str, **kwargs: object) -> str:
    with pytest.raises(CaptureError) as info:
        grade_capture(load_lab(LAB), folder, **kwargs)
    message = str(info.value)
    assert "\n" not in message and SECRET not in message
    assert fragment in message, message
    return message


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../../etc/passwd", "r1/../../outside.txt", "r1\\x.txt",
                                  "", ".hidden/../x"])
def test_file_names_outside_the_capture_are_refused(capture: Path, name: str) -> None:
    data = manifest(capture)
    first_command(data)["file"] = name
    save(capture, data)
    refused(capture, "not a plain relative name inside the capture")


def test_symlink_is_refused_not_followed(capture: Path) -> None:
    data = manifest(capture)
    target = capture / first_command(data)["file"]
    target.unlink()
    target.symlink_to("/etc/passwd")
    refused(capture, "symbolic link")


def test_symlinked_folder_is_refused(capture: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "show_ip_route.txt").write_text(SECRET)
    shutil.rmtree(capture / "r1")
    (capture / "r1").symlink_to(outside)
    refused(capture, "symbolic link")


def test_device_fifo_and_directory_are_refused(capture: Path) -> None:
    data = manifest(capture)
    target = capture / first_command(data)["file"]
    target.unlink()
    os.mkfifo(target)  # reading a FIFO with no writer would block forever
    refused(capture, "is a named pipe (FIFO), not a file")
    target.unlink()
    target.mkdir()
    refused(capture, "")


def test_huge_output_is_refused_quickly(capture: Path) -> None:
    data = manifest(capture)
    target = capture / first_command(data)["file"]
    with target.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # 100 MB, sparse: cheap to make, must be cheap to refuse
    refused(capture, "larger than the limit of 8388608 bytes")
    refused(capture, "larger than the limit of 1024 bytes", limits=CaptureLimits(max_file_bytes=1024))


def test_not_utf8_names_the_byte(capture: Path) -> None:
    data = manifest(capture)
    (capture / first_command(data)["file"]).write_bytes(b"ok\n\xff\xfe")
    refused(capture, "not UTF-8 (byte 3)")


@pytest.mark.parametrize(("edit", "fragment"), [
    (lambda d: d.pop("lab"), "lab: required key is missing"),
    (lambda d: d.update(format="labgrader-capture/9"), "format:"),
    (lambda d: d.update(extra="x"), "unknown key 'extra'"),
    (lambda d: d["nodes"]["r1"].update(shell="rm -rf /"), "unknown key 'shell'"),
    (lambda d: d.update(nodes=["r1"]), "nodes:"),
    (lambda d: d.update(lab="hcia-ospf-single-area"), "a capture of lab 'hcia-ospf-single-area'"),
    (lambda d: d["nodes"].update(r9=d["nodes"]["r1"]), "nodes r9 are not in the topology"),
])
def test_malformed_or_foreign_manifest_is_refused(capture: Path, edit, fragment: str) -> None:
    data = manifest(capture)
    edit(data)
    save(capture, data)
    refused(capture, fragment)


@pytest.mark.parametrize("text", ["", "- just\n- a list\n", "nodes: {r1: [\n", "\x00\x01"])
def test_manifest_that_is_not_a_mapping_or_not_yaml(capture: Path, text: str) -> None:
    (capture / "manifest.yaml").write_text(text)
    refused(capture, "manifest.yaml")


def test_missing_node_makes_only_its_checks_error(capture: Path) -> None:
    data = manifest(capture)
    del data["nodes"]["r2"]
    save(capture, data)
    report = grade_capture(load_lab(LAB), capture).report
    by_id = {o.id: o.outcome.value for o in report.objectives}
    assert by_id["r2-static"] == "error" and by_id["r1-static"] == "pass"


def test_extra_files_and_platform_claims_are_flagged(capture: Path) -> None:
    (capture / "notes.txt").write_text("hello")
    data = manifest(capture)
    data["nodes"]["r1"]["platform"] = "huawei_vrp"
    save(capture, data)
    grading = grade_capture(load_lab(LAB), capture)
    assert any("files its manifest does not name: notes.txt" in w for w in grading.report.warnings)
    assert any("captured as platform 'huawei_vrp'" in w for w in grading.report.warnings)
    refused(capture, "(--strict)", strict=True)


def test_control_characters_in_names_never_reach_the_message(capture: Path) -> None:
    data = manifest(capture)
    data["lab"] = "x"
    data["nodes"]["r1\x1b]0;pwned\x07"] = data["nodes"].pop("r1")
    save(capture, data)
    message = refused(capture, "a capture of lab 'x'")
    assert "\x1b" not in message


def test_a_clean_capture_reads_with_no_warning(capture: Path) -> None:
    read = read_capture(capture)
    assert read.unlisted == () and set(read.evidence) == {"r1", "r2", "r3", "pc1", "pc3"}
    assert grade_capture(load_lab(LAB), capture).report.warnings == []
