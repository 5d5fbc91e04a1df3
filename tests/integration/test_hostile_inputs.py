"""Hostile YAML and templates through the command line: one ``error:`` line, exit 2 (1 for lint), no internal
error, no traceback, no hang."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-static-routing"
CAPTURE = LAB / "submissions" / "solution"
LAUGHS = "[" + ", ".join(f"&l{i} [" + ", ".join([f"*l{i - 1}" if i else "x"] * 10) + "]" for i in range(7)) + "]"


def one_error(*args: str | Path, code: int = 2) -> str:
    started = time.monotonic()
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert time.monotonic() - started < 5
    assert result.exit_code == code, (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "internal error" not in lines[0]
    return lines[0].removeprefix("error: ")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_vars_file_that_is_a_device() -> None:
    assert one_error("show", LAB, "--vars", "/dev/zero") == "/dev/zero: is a character device, not a file"


def test_vars_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "vars.yaml"
    path.write_bytes(b"lan_b: \xe9\n")
    assert one_error("show", LAB, "--vars", path) == f"{path}: not UTF-8 (byte 7)"


@pytest.mark.parametrize(("value", "message"), [
    (LAUGHS, "--var lan_b:1: too many nodes once aliases are expanded (> 100000)"),
    ("[" * 10_000, "--var lan_b:1: nested deeper than 64 levels (counting through aliases)"),
    ("{a: 1, a: 2}", "--var lan_b:1: a: duplicate key 'a' (first at line 1)"),
    ('"\\udc80"', "--var lan_b:1: (top): lone surrogate \\udc80 in a string (not valid Unicode)"),
    ("!!python/name:os.system", "--var lan_b:1: invalid YAML: could not determine a constructor for the tag "
                                "'tag:yaml.org,2002:python/name:os.system'"),
])
def test_hostile_var_value(value: str, message: str) -> None:
    assert one_error("show", LAB, "--var", f"lan_b={value}") == message


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    folder = tmp_path / "capture"
    shutil.copytree(CAPTURE, folder)
    return folder


def test_capture_manifest_with_an_alias_bomb(capture: Path) -> None:
    manifest = capture / "manifest.yaml"
    manifest.write_text(manifest.read_text() + f"bomb: {LAUGHS}\n")
    line = len(manifest.read_text().splitlines())
    assert one_error("grade", LAB, "--capture", capture) == \
        f"{manifest}:{line}: too many nodes once aliases are expanded (> 100000)"


def test_capture_manifest_with_a_duplicate_key(capture: Path) -> None:
    manifest = capture / "manifest.yaml"
    manifest.write_text(manifest.read_text() + "lab: another-lab\n")
    line = len(manifest.read_text().splitlines())
    assert one_error("grade", LAB, "--capture", capture) == \
        f"{manifest}:{line}: lab: duplicate key 'lab' (first at line 2)"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_capture_output_that_is_a_device(capture: Path) -> None:
    output = next((capture / "r1").glob("*.txt"))
    output.unlink()
    output.symlink_to("/dev/zero")
    assert one_error("grade", LAB, "--capture", capture).endswith(f"{output}: a symbolic link in a capture is refused")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_capture_manifest_that_is_a_fifo(capture: Path) -> None:
    manifest = capture / "manifest.yaml"
    manifest.unlink()
    os.mkfifo(manifest)
    assert one_error("grade", LAB, "--capture", capture) == f"{manifest}: is a named pipe (FIFO), not a file"


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    folder = tmp_path / "labs" / "x"
    shutil.copytree(LAB, folder)
    (tmp_path / "topologies").symlink_to(ROOT / "topologies")
    return folder


def test_lab_title_with_a_lone_surrogate(lab: Path) -> None:
    text = (lab / "lab.yaml").read_text()
    (lab / "lab.yaml").write_text(text.replace("\ntitle: ", '\ntitle: "\\udc80" # ', 1))
    line = next(n for n, row in enumerate((lab / "lab.yaml").read_text().splitlines(), 1) if row.startswith("title:"))
    expected = f"{lab / 'lab.yaml'}:{line}: title: lone surrogate \\udc80 in a string (not valid Unicode)"
    assert one_error("show", lab) == expected
    assert one_error("lint", lab, code=1) == expected


@pytest.mark.parametrize(("template", "message"), [
    ("{{ 'a'*10**9 }}", "a repeated string or list would be longer than 100000 characters/items"),
    ("{{ range(10**9)|list }}", "range() of more than 10000 items"),
    ("{{ 10**(10**10) }}", "a power of more than 1000 digits"),
    ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
])
def test_instructions_with_a_hostile_template(lab: Path, template: str, message: str) -> None:
    text = (lab / "lab.yaml").read_text()
    (lab / "lab.yaml").write_text(text.replace("instructions: |\n", f"instructions: |\n  {template}\n", 1))
    line = next(n for n, row in enumerate((lab / "lab.yaml").read_text().splitlines(), 1) if template in row)
    assert one_error("show", lab) == f"{lab / 'lab.yaml'}:{line}: instructions: variable error: {message}"
