"""Objective titles and feedback use the lab variables like the checks do: a student reads them rendered, and
``labgrader lint`` reports one that cannot render."""

from __future__ import annotations

from pathlib import Path

from grader.engine.lint import lint_lab
from grader.engine.session import grade_capture
from grader.loader import load_lab
from grader.model.report import Outcome

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "labs" / "hcia-static-routing"


def test_feedback_and_titles_are_rendered_with_the_variables() -> None:
    report = grade_capture(load_lab(LAB), LAB / "submissions" / "wrong-next-hop").report
    objective = next(o for o in report.objectives if o.id == "r1-static")
    assert objective.outcome is Outcome.FAIL
    assert objective.feedback == "On R1: `ip route 192.168.3.0/24 10.0.12.2`."
    assert all("{{" not in (o.feedback or "") and "{{" not in o.title for o in report.objectives)


def test_lint_reports_feedback_that_cannot_render(tmp_path: Path) -> None:
    lab = tmp_path / "lab"
    lab.mkdir()
    (lab / "topology.clab.yml").write_text("name: t\ntopology:\n  nodes:\n    r1: {labels: {labgrader.platform: "
                                           "huawei_vrp}}\n")
    (lab / "lab.yaml").write_text(
        "id: t\ntitle: T\ntopology: topology.clab.yml\nvariables: {lan: 1}\nobjectives:\n"
        "  - id: o\n    title: 'LAN {{ lan }}'\n    points: 1\n"
        "    feedback: {fail: 'use 192.168.{{ lna }}.0'}\n"
        "    checks:\n      - {type: hostname, node: r1, name: R1}\n")
    problems = lint_lab(lab)
    assert len(problems) == 1 and "objectives[0].feedback.fail" in problems[0] and "lna" in problems[0]
