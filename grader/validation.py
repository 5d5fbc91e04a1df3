"""Prove a lab live: its solution scores full marks, its initial config fails every objective, and each
broken variant fails exactly the objectives it lists.

One deployment per lab; configurations are switched in place between runs. Only objectives expected to
pass are waited for (their ``wait``, at least ``SETTLE_S``), so a run whose objectives are meant to fail
costs no convergence time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from grader.configs import lab_configs, variants
from grader.engine.events import Observer
from grader.engine.grade import grade
from grader.loader import LoadedLab
from grader.model.evidence import Evidence
from grader.model.report import GradeReport, Outcome
from grader.transport.capture import write_capture

# Right after a config switch, links and routes take a moment to settle: an objective expected to pass is
# re-checked for at least this long, whatever its own ``wait`` (which is about what students configure).
SETTLE_S = 5.0


@dataclass
class RunResult:
    lab: str
    run: str  # "solution", "initial" or a variant name
    expected_fail: tuple[str, ...] | None  # None: every objective (initial)
    report: GradeReport | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.report is not None and not self.problems


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
    if run == "solution" and report.score != report.max_score and not problems:
        problems.append(f"score {report.score:g}/{report.max_score:g}, expected full marks")
    return problems


Deployer = Callable[[LoadedLab, dict[str, str]], Any]  # returns a handle with .transport() and .apply(configs)


def validate_lab(loaded: LoadedLab, deployment: Any, *, record: Path | None = None,
                 variables: dict[str, Any] | None = None, observer: Observer | None = None,
                 on_run: Callable[[RunResult], None] | None = None) -> list[RunResult]:
    """Run solution, initial and every variant on a deployed lab (``deployment`` has ``apply(configs)`` and
    ``transport()``). With ``record``, each run's output is written as a submission capture there."""
    runs: list[tuple[str, tuple[str, ...] | None]] = [("solution", ())]
    runs += [(v.name, v.fail) for v in variants(loaded)]
    runs.append(("initial", None))
    results: list[RunResult] = []
    for run, expected_fail in runs:
        started = time.monotonic()
        result = RunResult(lab=loaded.lab.id, run=run, expected_fail=expected_fail)
        deployment.apply(lab_configs(loaded, run, variables))
        waits = {o.id: (0.0 if expected_fail is None or o.id in expected_fail else max(o.wait, SETTLE_S))
                 for o in loaded.lab.objectives}
        evidence: Evidence = {}
        result.report = grade(loaded, deployment.transport(), variables, source=f"validate:{run}", live=True,
                              observer=observer, evidence_sink=evidence, waits=waits)
        result.problems = judge_run(result.report, run, expected_fail)
        result.seconds = round(time.monotonic() - started, 2)
        if record is not None and result.ok:  # a wrong run must not become a reference
            _record(record / run, evidence, result, loaded)
        results.append(result)
        if on_run:
            on_run(result)
    return results


def _record(folder: Path, evidence: Evidence, result: RunResult, loaded: LoadedLab) -> None:
    """A submission: the capture plus ``expected.yaml`` (score, and the objectives that did not pass)."""
    assert result.report is not None
    write_capture(evidence, folder, lab_id=loaded.lab.id, variables=result.report.variables,
                  source=f"labgrader validate --live, {result.run} config, FRR containers")
    not_passed = [o.id for o in result.report.objectives if o.outcome is not Outcome.PASS]
    expected = {"description": f"recorded live from the {result.run} configuration",
                "score": result.report.score, "fail": not_passed}
    (folder / "expected.yaml").write_text(yaml.safe_dump(expected, sort_keys=False))
