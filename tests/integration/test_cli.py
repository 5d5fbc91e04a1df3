"""The command line as users meet it: exit codes, one-line errors, report formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-static-routing"
CORRECT = LAB / "submissions" / "solution"
BROKEN = ROOT / "tests" / "data" / "broken_labs"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_lint_bundled_labs_passes() -> None:
    code, out, err = run("lint", *sorted(str(p.parent) for p in ROOT.glob("labs/*/lab.yaml")))
    assert code == 0, err
    assert out.count("ok: ") == len(list(ROOT.glob("labs/*/lab.yaml")))


def test_lint_rejects_broken_labs_with_file_line_and_no_traceback() -> None:
    code, _, err = run("lint", BROKEN / "unknown_check_type.yaml", BROKEN / "misspelt_param.yaml")
    assert code == 1
    assert "Traceback" not in err
    assert (f"error: {BROKEN / 'unknown_check_type.yaml'}:11: objectives[0].checks[0].type: unknown check type "
            "'ospf_neighbour' (did you mean 'ospf_neighbor'?)") in err.splitlines()


def test_grade_capture_json_and_exit_code() -> None:
    code, out, _ = run("grade", LAB, "--capture", CORRECT, "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["score"] == report["max_score"] == 100
    assert {o["outcome"] for o in report["objectives"]} == {"pass"}


def test_grade_broken_capture_exits_1_and_writes_output(tmp_path: Path) -> None:
    out_file = tmp_path / "report.xml"
    code, out, _ = run("grade", LAB, "--capture", LAB / "submissions" / "missing-route", "--format", "junit",
                       "--output", out_file)
    assert code == 1
    assert out == ""
    assert "<failure" in out_file.read_text()


def test_grade_missing_capture_is_one_line_error(tmp_path: Path) -> None:
    code, _out, err = run("grade", LAB, "--capture", tmp_path / "nothing")
    assert code == 2
    assert err.strip().count("\n") == 0 and "not a capture" in err


def test_capture_missing_a_node_makes_its_checks_error(tmp_path: Path) -> None:
    capture = tmp_path / "capture"
    shutil.copytree(CORRECT, capture)
    manifest = (capture / "manifest.yaml").read_text()
    import yaml

    data = yaml.safe_load(manifest)
    del data["nodes"]["r2"]
    (capture / "manifest.yaml").write_text(yaml.safe_dump(data))
    code, out, _ = run("grade", LAB, "--capture", capture, "--format", "json")
    report = json.loads(out)
    outcomes = {o["id"]: o["outcome"] for o in report["objectives"]}
    assert code == 1
    assert outcomes["r2-static"] == "error"
    assert outcomes["r1-static"] == "pass"
    assert report["score"] < 100


def test_show_renders_variables() -> None:
    code, out, _ = run("show", LAB, "--var", "lan_b=77")
    assert code == 0
    assert "192.168.77.0/24" in out and "{{" not in out


def test_unknown_variable_is_an_error() -> None:
    code, _, err = run("show", LAB, "--var", "lan_z=1")
    assert code == 2 and "unknown variable 'lan_z'" in err


def test_checks_lists_every_type() -> None:
    code, out, _ = run("checks")
    assert code == 0
    for name in ("interface", "route", "ospf_neighbor", "bgp_neighbor", "ping", "config", "hostname", "command"):
        assert f"{name}: " in out


def test_grading_never_takes_variables_from_the_capture(tmp_path: Path) -> None:
    """A student assigned lan_b=42 who hands in a capture of the default lab must not score: the variables come
    from the instructor (--var/--vars, else the lab's defaults), and a capture taken with others is flagged."""
    import yaml

    capture = tmp_path / "capture"
    shutil.copytree(CORRECT, capture)  # made with the defaults (lan_b=3)
    code, out, _ = run("grade", LAB, "--capture", capture, "--format", "json", "--var", "lan_b=42")
    report = json.loads(out)
    assert code == 1 and report["variables"]["lan_b"] == 42
    assert {o["id"]: o["outcome"] for o in report["objectives"]}["r1-static"] == "fail"
    assert report["warnings"] == ["the capture was taken with other variables: lan_b=3 (graded with 42)"]

    manifest = yaml.safe_load((capture / "manifest.yaml").read_text())
    manifest["variables"] = {"lan_a": 1, "lan_b": 42}  # the student claims the variant the capture is not of
    (capture / "manifest.yaml").write_text(yaml.safe_dump(manifest))
    code, out, _ = run("grade", LAB, "--capture", capture, "--format", "json")
    report = json.loads(out)
    assert report["variables"]["lan_b"] == 3 and report["score"] == 100  # graded with the lab's own values
    assert "lan_b=42 (graded with 3)" in report["warnings"][0]
    code, out, _ = run("grade", LAB, "--capture", capture)
    assert "WARNING" in out and "lan_b=42 (graded with 3)" in out
    code, _, err = run("grade", LAB, "--capture", capture, "--strict")
    assert code == 2 and err.count("\n") == 1 and "(--strict)" in err


def test_capture_of_another_lab_is_refused() -> None:
    other = ROOT / "labs" / "hcia-ospf-single-area" / "submissions" / "solution"
    code, _, err = run("grade", LAB, "--capture", other)
    assert code == 2 and "a capture of lab 'hcia-ospf-single-area', not 'hcia-static-routing'" in err


def test_capture_only_lab_lints_and_refuses_to_deploy() -> None:
    lab = ROOT / "tests" / "data" / "capture_only"
    code, out, _ = run("lint", lab)
    assert code == 0, out
    pytest.importorskip("docker", reason="`up` needs labgrader[lab]; without it, it says so")
    code, _, err = run("up", lab)
    assert code == 3 and err.count("\n") == 1
    assert "nodes sw1, sw2 name no containerlab kind: the lab is graded from captures or inventories only" in err
