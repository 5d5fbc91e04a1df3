"""Prove a lab: its solution scores full marks, its initial config fails every objective, and each broken
variant fails exactly the objectives it lists -- live on a deployment, or from recorded submissions.

Live: one deployment per lab; configurations are switched in place between runs. An objective expected to
pass is re-checked until it passes (its ``wait``, at least ``SETTLE_S``); one expected to fail is judged only
once the network has settled -- the facts it reads unchanged for a settle window, its ``wait`` bounding it --
so an initial config or a variant that passes once converged is reported, not judged too early.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from grader.configs import lab_configs, read_expected, variants
from grader.engine.events import Observer
from grader.engine.session import Grading, LiveOptions, grade_capture, grade_live
from grader.loader import LoadedLab
from grader.model.report import GradeReport, Outcome
from grader.transport.base import Transport
from grader.transport.capture import write_capture

# Right after a config switch, links and routes take a moment to settle: an objective expected to pass is
# re-checked for at least this long, whatever its own ``wait`` (which is about what students configure).
SETTLE_S = 5.0


class LabDeployment(Protocol):
    """What validation needs of a running lab (``runtime.deploy.Deployment`` is one)."""

    def apply(self, configs: dict[str, str]) -> None:
        ...

    def transport(self) -> Transport:
        ...


@dataclass
class RunResult:
    lab: str
    run: str  # "solution", "initial", a variant name, or a recorded submission's name
    expected_fail: tuple[str, ...] | None  # None: every objective (initial)
    report: GradeReport | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.report is not None and not self.problems

    @property
    def expectation(self) -> str:
        """The expectation in words, for a table row."""
        if self.expected_fail is None:
            return "every objective fails"
        return "fail: " + ", ".join(self.expected_fail) if self.expected_fail else "full marks"


def judge_run(report: GradeReport, run: str, expected_fail: tuple[str, ...] | None) -> list[str]:
    """What is wrong with a run's outcomes. ERROR is always wrong: the lab must be gradable."""
    problems: list[str] = []
    for objective in report.objectives:
        must_fail = expected_fail is None or objective.id in expected_fail
        if objective.outcome is Outcome.ERROR:
            problems.append(f"{objective.id}: ERROR ({objective.message})")
        elif must_fail and objective.outcome is Outcome.PASS:
            problems.append(f"{objective.id}: passed, expected it to fail"
                            + (" (an objective that passes unconfigured is a defect)" if run == "initial" else ""))
        elif not must_fail and objective.outcome is not Outcome.PASS:
            problems.append(f"{objective.id}: {objective.outcome}, expected PASS ({objective.message})")
    if not expected_fail and expected_fail is not None and report.score != report.max_score and not problems:
        problems.append(f"score {report.score:g}/{report.max_score:g}, expected full marks")
    return problems


def validate_lab(loaded: LoadedLab, deployment: LabDeployment, *, record: Path | None = None,
                 variables: dict[str, Any] | None = None, observer: Observer | None = None,
                 on_run: Callable[[RunResult], None] | None = None) -> list[RunResult]:
    """Run solution, initial and every variant on a deployed lab. With ``record``, each run that behaves as
    expected is written as a submission capture there."""
    runs: list[tuple[str, tuple[str, ...] | None]] = [("solution", ())]
    runs += [(v.name, v.fail) for v in variants(loaded)]
    runs.append(("initial", None))
    results: list[RunResult] = []
    for run, expected_fail in runs:
        started = time.monotonic()
        result = RunResult(lab=loaded.lab.id, run=run, expected_fail=expected_fail)
        deployment.apply(lab_configs(loaded, run, variables))
        must_fail = {o.id for o in loaded.lab.objectives if expected_fail is None or o.id in expected_fail}
        waits = {o.id: o.wait if o.id in must_fail else max(o.wait, SETTLE_S) for o in loaded.lab.objectives}
        grading = grade_live(loaded, deployment.transport(), variables, source=f"validate:{run}",
                             options=LiveOptions(waits=waits, settle=frozenset(must_fail),
                                                 observer=observer or Observer()))
        result.report = grading.report
        result.problems = judge_run(grading.report, run, expected_fail)
        result.seconds = round(time.monotonic() - started, 2)
        if record is not None and result.ok:  # a wrong run must not become a reference
            _record(record / run, grading, result, loaded)
        results.append(result)
        if on_run:
            on_run(result)
    return results


def _record(folder: Path, grading: Grading, result: RunResult, loaded: LoadedLab) -> None:
    """A submission: the capture plus ``expected.yaml`` (score, and the objectives that did not pass)."""
    write_capture(grading.evidence, folder, lab_id=loaded.lab.id, variables=grading.report.variables,
                  source=f"labgrader validate --live, {result.run} config, FRR containers")
    not_passed = [o.id for o in grading.report.objectives if o.outcome is not Outcome.PASS]
    expected = {"description": f"recorded live from the {result.run} configuration",
                "score": grading.report.score, "fail": not_passed}
    (folder / "expected.yaml").write_text(yaml.safe_dump(expected, sort_keys=False))


def recorded_submissions(loaded: LoadedLab) -> list[Path]:
    """The lab's recorded submissions: folders of ``submissions/`` holding an ``expected.yaml``."""
    return sorted(p.parent for p in loaded.directory.glob("submissions/*/expected.yaml"))


def validate_recorded(loaded: LoadedLab, on_run: Callable[[RunResult], None] | None = None) -> list[RunResult]:
    """Grade every recorded submission and compare with its ``expected.yaml`` (``fail`` and ``score``; and
    ``variables`` when it was recorded with other values than the lab's defaults)."""
    results: list[RunResult] = []
    for folder in recorded_submissions(loaded):
        expected = read_expected(folder / "expected.yaml", {o.id for o in loaded.lab.objectives})
        fail = tuple(expected.get("fail") or ())
        result = RunResult(lab=loaded.lab.id, run=folder.name, expected_fail=fail)
        result.report = grade_capture(loaded, folder, expected.get("variables")).report
        result.problems = judge_run(result.report, "solution" if not fail else folder.name, fail)
        if "score" in expected and abs(result.report.score - float(expected["score"])) > 0.01:
            result.problems.append(f"score {result.report.score:g}, expected {expected['score']}")
        results.append(result)
        if on_run:
            on_run(result)
    return results
