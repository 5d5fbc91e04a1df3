"""The engine on recorded output: the collection plan, and live re-checking of objectives with ``wait``
(driven by a scripted transport and a fake clock, so convergence is exact and instant)."""

from __future__ import annotations

from pathlib import Path

from grader.engine.grade import LiveOptions, run
from grader.engine.plan import build_plan
from grader.loader import load_lab
from grader.model.evidence import NodeEvidence
from grader.model.report import Outcome
from grader.platforms import Platform
from grader.transport.replay import ReplayTransport

LAB = Path(__file__).resolve().parents[2] / "labs" / "hcia-ospf-single-area"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class ConvergingTransport:
    """Answers from one capture until ``at`` seconds, from another after; records what was asked."""

    name = "scripted"

    def __init__(self, before: Path, after: Path, clock: FakeClock, at: float) -> None:
        self.before, self.after = ReplayTransport.from_folder(before), ReplayTransport.from_folder(after)
        self.clock, self.at = clock, at
        self.calls: list[tuple[float, str, tuple[str, ...]]] = []

    def collect(self, node: str, platform: Platform, commands: list[str]) -> NodeEvidence:
        self.calls.append((self.clock.now, node, tuple(commands)))
        source = self.after if self.clock.now >= self.at else self.before
        return source.collect(node, platform, commands)


def test_plan_runs_each_command_once_per_node() -> None:
    loaded = load_lab(LAB)
    plan = build_plan(loaded.resolve(), loaded.topology)
    for node, commands in plan.commands.items():
        assert len(commands) == len(set(commands)), node
    # router-ids and passive-lans both read r1's configuration: one command
    assert plan.commands["r1"].count("show running-config") == 1
    assert not plan.unsupported


def test_waiting_objectives_are_rechecked_with_only_their_failing_commands() -> None:
    loaded = load_lab(LAB)
    clock = FakeClock()
    transport = ConvergingTransport(LAB / "submissions" / "initial", LAB / "submissions" / "solution", clock, 3.0)
    report = run(loaded, transport, source="scripted", live=LiveOptions(clock=clock, sleep=clock.sleep)).report
    by_id = {o.id: o for o in report.objectives}
    for waited in ("addressing", "adjacency-r1-r2", "adjacency-r2-r3", "ospf-routes", "end-to-end"):
        assert by_id[waited].outcome is Outcome.PASS, by_id[waited].message
        assert by_id[waited].waited_s == 3.0
    for not_waited in ("router-ids", "passive-lans"):
        assert by_id[not_waited].outcome is Outcome.FAIL
        assert by_id[not_waited].waited_s is None
    rechecks = [commands for at, _, commands in transport.calls if at > 0]
    asked_again = {c for commands in rechecks for c in commands}
    assert "show running-config" not in asked_again  # only objectives without wait need it
    assert "show ip ospf neighbor detail" in asked_again
    assert clock.now == 3.0  # stopped polling as soon as everything waited for passed


def test_waiting_stops_at_the_deadline_and_the_objective_fails() -> None:
    loaded = load_lab(LAB)
    clock = FakeClock()
    initial = LAB / "submissions" / "initial"
    transport = ConvergingTransport(initial, initial, clock, 0.0)
    waits = {"adjacency-r2-r3": 5.0, "adjacency-r1-r2": 0.0, "ospf-routes": 0.0, "end-to-end": 0.0,
             "addressing": 0.0}
    report = run(loaded, transport, source="scripted",
                 live=LiveOptions(waits=waits, clock=clock, sleep=clock.sleep)).report
    by_id = {o.id: o for o in report.objectives}
    assert by_id["adjacency-r2-r3"].outcome is Outcome.FAIL
    assert by_id["adjacency-r2-r3"].waited_s == 5.0
    assert by_id["adjacency-r1-r2"].waited_s is None
    assert clock.now == 5.0


def test_recorded_grading_never_waits() -> None:
    loaded = load_lab(LAB)
    clock = FakeClock()
    transport = ConvergingTransport(LAB / "submissions" / "initial", LAB / "submissions" / "solution", clock, 3.0)
    report = run(loaded, transport, source="scripted").report
    assert report.score == 0 and clock.now == 0.0 and all(at == 0.0 for at, _, _ in transport.calls)


def test_grade_evidence_equals_grading_the_capture() -> None:
    from grader.engine.session import grade_evidence
    from grader.transport.capture import read_capture

    loaded = load_lab(LAB)
    folder = LAB / "submissions" / "hello-mismatch"
    evidence = read_capture(folder).evidence
    from_memory = grade_evidence(loaded, evidence, source="memory").report
    from_folder = run(loaded, ReplayTransport.from_folder(folder), source="folder").report
    assert [(o.id, o.outcome, o.score) for o in from_memory.objectives] == \
        [(o.id, o.outcome, o.score) for o in from_folder.objectives]
    assert from_memory.score < from_memory.max_score
