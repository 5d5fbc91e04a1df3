"""The class commands as people meet them: one student's instructions and variables file, grading a bundle with
the instructor's values, the self-check, batch and merge exit codes and summaries."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from grader.classwork.course import load_course
from grader.cli import main
from grader.loader import load_lab

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-ospf-single-area"
DEMO = ROOT / "examples" / "demo-class"
COURSE = DEMO / "course.yaml"


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], env={"LABGRADER_COURSE": ""})
    return result.exit_code, result.stdout, result.stderr


def own(student: str) -> dict[str, int]:
    return load_course(COURSE).variables_of(load_lab(LAB), student)


def test_show_renders_a_students_variant_and_writes_their_variables(tmp_path: Path) -> None:
    mine = own("s007")
    code, out, err = run("show", LAB, "--student", "s007", "--course", COURSE, "--vars-out", tmp_path / "s007.yaml")
    assert code == 0, err
    assert f"PC1 (192.168.{mine['lan_a']}.10) and PC3 (192.168.{mine['lan_b']}.10)" in out
    written = (tmp_path / "s007.yaml").read_text()
    assert written.startswith("# lab hcia-ospf-single-area, student s007: your variables")
    assert yaml.safe_load(written) == {**mine, "area": "0.0.0.0"}
    code, out_again, _ = run("show", LAB, "--vars", tmp_path / "s007.yaml")  # what the student sees with it
    assert code == 0 and out_again == out


def test_show_and_variants_need_the_course_on_pooled_labs() -> None:
    code, _, err = run("show", LAB, "--student", "s007")
    assert code == 2 and err.count("\n") == 1 and "give --vars FILE" in err
    code, _, err = run("show", LAB, "--student", "../x", "--course", COURSE)
    assert code == 2 and "--student: student id '../x' is not a safe name" in err
    code, out, _ = run("variants", LAB, "--course", COURSE)
    rows = [line.split(",") for line in out.splitlines()]
    assert rows[0] == ["student", "lan_a", "lan_b"] and len(rows) == 49
    assert rows[7] == ["s007", str(own("s007")["lan_a"]), str(own("s007")["lan_b"])]


def test_grade_a_bundle_with_the_instructors_values() -> None:
    code, out, _ = run("grade", LAB, "--bundle", DEMO / "bundles" / "s037.zip", "--course", COURSE,
                       "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["student"] == "s037"
    assert {k: report["variables"][k] for k in ("lan_a", "lan_b")} == own("s037")
    assert report["warnings"][-1] == "the capture was taken with the variables of student 's001'"
    code, _, err = run("grade", LAB, "--bundle", DEMO / "bundles" / "s037.zip", "--course", COURSE, "--strict")
    assert code == 2 and err.count("\n") == 1 and "(--strict)" in err
    code, _, err = run("grade", LAB, "--bundle", DEMO / "bundles" / "s034.zip", "--course", COURSE)
    assert code == 2 and err.count("\n") == 1 and "does not match its sha256 (changed after capture)" in err
    code, out, _ = run("grade", LAB, "--bundle", DEMO / "bundles" / "s005.zip", "--course", COURSE)
    assert code == 0 and "100/100" in out


def test_check_shows_visible_objectives_for_the_students_own_values(tmp_path: Path) -> None:
    (tmp_path / "vars.yaml").write_text(yaml.safe_dump(own("s020")))
    code, out, _ = run("check", LAB, "--bundle", DEMO / "bundles" / "s020.zip", "--vars", tmp_path / "vars.yaml")
    assert code == 1
    assert "self-check for s020" in out and "FAIL" in out and "hint:" in out
    expected = yaml.safe_load((LAB / "submissions" / "hello-mismatch" / "expected.yaml").read_text())["score"]
    assert f"visible objectives: {expected:g}/100 points" in out  # s020 handed in the hello-timer mistake
    code, _, err = run("check", LAB, "--bundle", DEMO / "bundles" / "s020.zip")  # without the student's values
    assert code == 2 and "give --vars FILE (the variables file from your instructor)" in err


def test_batch_and_merge_commands(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    lines = (DEMO / "roster.csv").read_text().splitlines()
    roster.write_text("\n".join(lines[:1] + [ln.replace(",bundles/", f",{DEMO}/bundles/") for ln in lines[1:4]]))
    code, _, err = run("batch", LAB, "--roster", roster, "--course", COURSE, "--out", tmp_path / "out")
    assert code == 2 and "must be relative to the roster's folder" in err
    shards = []
    for k in (1, 2):
        shards.append(tmp_path / f"shard{k}")
        code, out, err = run("batch", LAB, "--roster", DEMO / "roster.csv", "--course", COURSE, "--out", shards[-1],
                             "--shard", f"{k}/2", "--executor", "threads")
        assert code == 1, err  # the demo class has refused and broken submissions
        assert f"(shard {k}/2)" in out
    code, out, _ = run("merge", *shards, "--out", tmp_path / "merged")
    assert code == 0 and out.startswith("48 students added, 0 already there")
    code, out, _ = run("merge", *shards, "--out", tmp_path / "merged")
    assert code == 0 and out.startswith("0 students added, 48 already there")
    code, _, err = run("merge", tmp_path, "--out", tmp_path / "merged")
    assert code == 2 and "not a batch folder" in err
