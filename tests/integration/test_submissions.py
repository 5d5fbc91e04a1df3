"""Every recorded submission grades to exactly what its ``expected.yaml`` says.

``labs/<lab>/submissions/<name>/`` holds a capture recorded from real devices and ``expected.yaml`` with
``score`` and ``fail`` (the objective ids that must not pass; every other objective must pass).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.engine.session import grade_capture
from grader.loader import load_lab
from grader.model.report import Outcome

ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = sorted(p.parent for p in ROOT.glob("labs/*/submissions/*/expected.yaml"))


def test_every_lab_has_a_correct_and_three_broken_submissions() -> None:
    for lab in sorted(ROOT.glob("labs/*/lab.yaml")):
        expectations = [yaml.safe_load(p.read_text()) for p in lab.parent.glob("submissions/*/expected.yaml")]
        correct = [e for e in expectations if not e.get("fail")]
        broken = [e for e in expectations if e.get("fail")]
        assert correct, f"{lab.parent.name}: no correct submission"
        assert len(broken) >= 3, f"{lab.parent.name}: {len(broken)} broken submissions, need 3"


@pytest.mark.parametrize("submission", SUBMISSIONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_submission_grades_as_expected(submission: Path) -> None:
    expected = yaml.safe_load((submission / "expected.yaml").read_text())
    loaded = load_lab(submission.parent.parent)
    report = grade_capture(loaded, submission).report
    not_passed = sorted(o.id for o in report.objectives if o.outcome is not Outcome.PASS)
    assert not_passed == sorted(expected.get("fail") or [])
    assert report.score == pytest.approx(expected["score"])
    assert all(o.outcome is not Outcome.ERROR for o in report.objectives), "recorded output must be gradable"
    if not expected.get("fail"):
        assert report.score == report.max_score
