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
             "addressing": 0.0, "router-ping": 0.0}
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


class ScheduledTransport:
    """Answers each command from the solution capture once its time has come, from the initial one before:
    ``ready_at`` maps a command (any node) to the time its solution output appears (default 0)."""

    name = "scheduled"

    def __init__(self, clock: FakeClock, ready_at: dict[str, float], dead: frozenset[str] = frozenset()) -> None:
        self.initial = ReplayTransport.from_folder(LAB / "submissions" / "initial")
        self.solution = ReplayTransport.from_folder(LAB / "submissions" / "solution")
        self.clock, self.ready_at, self.dead = clock, ready_at, dead
        self.calls: list[tuple[float, str, tuple[str, ...]]] = []

    def collect(self, node: str, platform: Platform, commands: list[str]) -> NodeEvidence:
        self.calls.append((self.clock.now, node, tuple(commands)))
        if node in self.dead:
            return NodeEvidence(node=node, platform=platform.name, error="connection refused by ssh 10.0.0.9:22")
        late = [c for c in commands if self.clock.now < self.ready_at.get(c, 0.0)]
        done = [c for c in commands if c not in late]
        evidence = self.solution.collect(node, platform, done)
        evidence.outputs.update(self.initial.collect(node, platform, late).outputs)
        return evidence


def grade_at(transport: ScheduledTransport, clock: FakeClock, **options: object) -> dict[str, object]:
    report = run(load_lab(LAB), transport, source="scheduled",
                 live=LiveOptions(clock=clock, sleep=clock.sleep, **options)).report  # type: ignore[arg-type]
    return {o.id: o for o in report.objectives}


def test_a_dependent_objective_waits_from_when_its_prerequisites_pass() -> None:
    """Adjacencies come up at 30 s, routes at 45 s: ospf-routes (wait 20) gets its 20 s from 30 s on."""
    clock = FakeClock()
    ready = {"show ip ospf neighbor detail": 30.0, "show ip route": 45.0}
    by_id = grade_at(ScheduledTransport(clock, ready), clock)
    assert by_id["adjacency-r1-r2"].outcome is Outcome.PASS and by_id["adjacency-r1-r2"].waited_s == 30.0
    assert by_id["ospf-routes"].outcome is Outcome.PASS and by_id["ospf-routes"].waited_s == 45.0


def test_a_dependent_objective_still_has_a_deadline() -> None:
    clock = FakeClock()
    ready = {"show ip ospf neighbor detail": 30.0, "show ip route": 60.0}
    by_id = grade_at(ScheduledTransport(clock, ready), clock)
    assert by_id["ospf-routes"].outcome is Outcome.FAIL and by_id["ospf-routes"].waited_s == 50.0


def test_objectives_that_will_be_skipped_are_not_waited_for() -> None:
    clock = FakeClock()
    ready = {"show ip ospf neighbor detail": 1000.0}  # never within the waits
    by_id = grade_at(ScheduledTransport(clock, ready), clock, waits={"adjacency-r1-r2": 5.0, "adjacency-r2-r3": 5.0})
    assert by_id["ospf-routes"].outcome is Outcome.SKIP and by_id["end-to-end"].outcome is Outcome.SKIP
    assert clock.now == 5.0  # not ospf-routes' 20 s, not end-to-end's 10 s


def test_a_dead_node_is_settled_at_once_and_never_polled_again() -> None:
    clock = FakeClock()
    transport = ScheduledTransport(clock, {}, dead=frozenset({"r2"}))
    by_id = grade_at(transport, clock)
    assert by_id["adjacency-r1-r2"].outcome is Outcome.ERROR
    assert clock.now == 0.0
    assert [t for t, node, _ in transport.calls if node == "r2"] == [0.0]


def test_max_wait_caps_every_wait() -> None:
    clock = FakeClock()
    by_id = grade_at(ScheduledTransport(clock, {"show ip ospf neighbor detail": 30.0}), clock, max_wait=3.0)
    assert by_id["adjacency-r1-r2"].outcome is Outcome.FAIL and clock.now == 3.0


def test_settle_mode_stops_once_the_facts_stop_changing() -> None:
    clock = FakeClock()
    by_id = grade_at(ScheduledTransport(clock, {"show ip ospf neighbor detail": 1000.0}), clock,
                     settle=frozenset({"adjacency-r1-r2", "adjacency-r2-r3"}),
                     waits={"ospf-routes": 0.0, "end-to-end": 0.0, "addressing": 0.0, "router-ping": 0.0})
    assert by_id["adjacency-r1-r2"].outcome is Outcome.FAIL
    assert clock.now == 6.0  # settle window of a 45 s wait: 6 s of unchanged facts, not 45 s


def test_settle_mode_sees_an_objective_that_passes_after_convergence() -> None:
    """What lab validation needs: an initial config that passes once converged is caught, not judged early."""
    clock = FakeClock()
    by_id = grade_at(ScheduledTransport(clock, {"show ip ospf neighbor detail": 6.0}), clock,
                     settle=frozenset({"adjacency-r1-r2", "adjacency-r2-r3"}))
    assert by_id["adjacency-r1-r2"].outcome is Outcome.PASS and by_id["adjacency-r1-r2"].waited_s == 6.0
