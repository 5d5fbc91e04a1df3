"""Wall time of ``labgrader validate LAB --live``, phase by phase.

Runs what the CLI runs, through the Python API: ``deploy`` with the solution config, then
``grader.validation.validate_lab`` on the ``Deployment`` (here with its ``apply`` timed), then ``destroy``.
Each run (solution, every variant, initial) is split into:

* apply       switching the configuration of every node (``apply_configs``);
* first pass  plan, collect from every node (in parallel), parse, judge; ``slowest`` is the longest node
              session of that first collection;
* waiting     re-checking objectives that are not passing yet until they converge (``wait``): ``polls``
              re-collections, one per second at most.

    python benchmarks/validate_lab.py [LAB ...]      (default: labs/hcia-static-routing labs/hcia-ospf-single-area)

Times are printed, never asserted. Each lab is deployed under a throw-away id and always removed (also on
Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from grader.configs import lab_configs
from grader.engine.events import Observer
from grader.errors import DeployError
from grader.loader import load_lab
from grader.model.evidence import NodeEvidence
from grader.runtime.deploy import Deployment, deploy, destroy
from grader.transport.netmiko_cli import NetmikoTransport
from grader.validation import RunResult, validate_lab

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LABS = (ROOT / "labs" / "hcia-static-routing", ROOT / "labs" / "hcia-ospf-single-area")
TARGET_S = 60.0


@dataclass
class RunTiming:
    run: str
    apply_s: float = 0.0
    first_pass_s: float = 0.0
    slowest_session_s: float = 0.0
    waiting_s: float = 0.0
    polls: int = 0
    total_s: float = 0.0
    result: str = ""


@dataclass
class Timeline(Observer):
    """Timestamps of one lab's validation: when each apply ended, when waiting began, the node sessions."""

    runs: list[RunTiming] = field(default_factory=list)
    apply_ended: float = 0.0
    first_wait: float | None = None
    sessions: list[float] = field(default_factory=list)

    def node_finished(self, node: str, evidence: NodeEvidence, seconds: float) -> None:
        if self.first_wait is None:
            self.sessions.append(seconds)

    def waiting(self, objectives: list[str], remaining_s: float) -> None:
        if self.first_wait is None:
            self.first_wait = time.monotonic()
        if self.runs:
            self.runs[-1].polls += 1  # each `waiting` is followed by one re-collection

    def start_run(self) -> None:
        self.runs.append(RunTiming(run="?"))
        self.first_wait = None
        self.sessions = []

    def end_run(self, result: RunResult) -> None:
        now = time.monotonic()
        timing = self.runs[-1]
        timing.run = result.run
        timing.total_s = result.seconds
        timing.first_pass_s = (self.first_wait or now) - self.apply_ended
        timing.waiting_s = now - self.first_wait if self.first_wait is not None else 0.0
        timing.slowest_session_s = max(self.sessions, default=0.0)
        assert result.report is not None
        verdict = "ok" if result.ok else "MISMATCH: " + "; ".join(result.problems)
        timing.result = f"{result.report.score:g}/{result.report.max_score:g} {verdict}"


class TimedLab:
    """A deployment whose ``apply`` is timed (what ``validate_lab`` needs: ``apply`` and ``transport``)."""

    def __init__(self, deployment: Deployment, timeline: Timeline) -> None:
        self.deployment = deployment
        self.timeline = timeline

    def transport(self) -> NetmikoTransport:
        return self.deployment.transport()

    def apply(self, configs: dict[str, str]) -> None:
        self.timeline.start_run()
        started = time.monotonic()
        self.deployment.apply(configs)
        self.timeline.apply_ended = time.monotonic()
        self.timeline.runs[-1].apply_s = self.timeline.apply_ended - started


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def remove(lab_id: str) -> float:
    """Remove a deployment (retried: Docker may race with another removal); returns the seconds it took."""
    started = time.monotonic()
    for attempt in range(3):
        try:
            destroy(lab_id)
            return time.monotonic() - started
        except DeployError as exc:
            print(f"removing {lab_id}: {exc}", file=sys.stderr)
            time.sleep(0.5 * (attempt + 1))
    print(f"could not remove {lab_id}: run `labgrader down {lab_id}`", file=sys.stderr)
    return time.monotonic() - started


def validate_one(lab: Path, index: int) -> tuple[str, float, Timeline, float, float]:
    """Deploy, validate and tear down one lab: (lab id, deploy s, timeline, teardown s, wall s)."""
    loaded = load_lab(lab)
    lab_id = f"bench-{os.getpid()}-{index}"
    timeline = Timeline()
    started = time.monotonic()
    deployment = deploy(lab_id, loaded.topology, lab_configs(loaded, "solution"),
                        ssh_password=secrets.token_urlsafe(12))
    deploy_s = time.monotonic() - started
    try:
        validate_lab(loaded, TimedLab(deployment, timeline), observer=timeline, on_run=timeline.end_run)
    finally:
        teardown_s = remove(lab_id)
    return loaded.lab.id, deploy_s, timeline, teardown_s, time.monotonic() - started


def print_table(lab_id: str, deploy_s: float, timeline: Timeline, teardown_s: float, wall_s: float) -> None:
    print(f"\n{lab_id}")
    print(f"  {'phase':<18} {'total s':>8} {'apply s':>8} {'1st pass':>8} {'slowest':>8} {'waiting':>8} "
          f"{'polls':>5}  result")
    print(f"  {'deploy':<18} {deploy_s:>8.1f}")
    for run in timeline.runs:
        print(f"  {run.run:<18} {run.total_s:>8.1f} {run.apply_s:>8.2f} {run.first_pass_s:>8.2f} "
              f"{run.slowest_session_s:>8.2f} {run.waiting_s:>8.1f} {run.polls:>5}  {run.result}")
    print(f"  {'teardown':<18} {teardown_s:>8.1f}")
    verdict = "under" if wall_s < TARGET_S else "OVER"
    print(f"  {'wall':<18} {wall_s:>8.1f}   ({verdict} the {TARGET_S:g} s target)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labs", nargs="*", type=Path, default=list(DEFAULT_LABS), help="lab folders")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"nproc {os.cpu_count()}")
    for index, lab in enumerate(args.labs):
        print_table(*validate_one(lab, index))
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("\ninterrupted (deployments removed)", file=sys.stderr)
        raise SystemExit(130) from None
