"""Live grading over time: objectives with a ``wait`` are re-checked while the network converges.

An objective is polled until it passes or its deadline passes. Its deadline runs from the moment its
``requires`` pass (from the start of grading when it requires nothing), so a path that can only appear once a
session is up gets its whole ``wait`` after that. It stops being polled early when it can no longer change
its outcome: a prerequisite failed for good (it will be SKIP), or every check that does not pass reads a node
that could not be reached (dead nodes are never re-polled).

Lab validation adds a second mode, *settle*: an objective expected to fail is polled until the facts read by
every settling objective have not changed for a settle window (the network has settled), its deadline
bounding it; if it passes meanwhile, that is what validation reports. Only the commands of the checks being
re-checked are re-run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from grader.checks import FACT_KINDS
from grader.engine.collect import collect
from grader.engine.events import Observer
from grader.engine.facts import interpret
from grader.engine.plan import build_plan
from grader.loader import ResolvedCheck
from grader.model.evidence import Evidence
from grader.model.facts import FactRequest, FactValue
from grader.model.lab import Objective
from grader.model.report import CheckResult, Outcome
from grader.model.topology import Topology
from grader.transport.base import Transport

POLL_INTERVAL_S = 1.0
MIN_SETTLE_S, MAX_SETTLE_S = 2.0, 6.0


def settle_window(wait: float) -> float:
    """How long an objective's facts must stay unchanged to call the network settled: a quarter of its wait,
    at least 2 s and at most 6 s (state changes of a converging OSPF or BGP show within seconds)."""
    return max(MIN_SETTLE_S, min(MAX_SETTLE_S, wait / 4))


@dataclass
class _Watch:
    objective: Objective
    wait: float
    settle: float | None  # settle mode: the window; None: until it passes
    started: float | None = None  # when its prerequisites passed
    last_change: float = 0.0
    seen: tuple[str, ...] | None = None


@dataclass
class Convergence:
    """One live grading's waiting: the state shared with the first pass (facts, results, evidence)."""

    topology: Topology
    checks: list[ResolvedCheck]
    facts: dict[FactRequest, FactValue]
    results: dict[str, list[CheckResult]]
    evidence: Evidence
    transport: Transport
    judge_one: Callable[[ResolvedCheck, Mapping[FactRequest, FactValue]], CheckResult]
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    observer: Observer = field(default_factory=Observer)

    def passing(self, objective_id: str) -> bool:
        return all(c.outcome is Outcome.PASS for c in self.results.get(objective_id, []))

    def run(self, objectives: list[Objective], waits: Mapping[str, float], settle: frozenset[str],
            t0: float) -> dict[str, float]:
        """Poll until every watched objective is decided; returns seconds waited (from ``t0``) by id."""
        dead = {node for node, node_evidence in self.evidence.items() if node_evidence.error}
        watches = {o.id: _Watch(o, waits.get(o.id, o.wait), settle_window(waits.get(o.id, o.wait))
                                if o.id in settle else None, last_change=t0)
                   for o in objectives if waits.get(o.id, o.wait) > 0}
        for watch in watches.values():
            watch.seen = self._fingerprint(watch.objective.id)
        waited: dict[str, float] = {}
        decided: set[str] = set()
        while True:
            now = self.clock()
            for oid, watch in watches.items():
                if oid in decided:
                    continue
                verdict = self._decide(watch, watches, decided, dead, now, t0)
                if verdict is not None:
                    decided.add(oid)
                    if verdict >= 0:
                        waited[oid] = verdict
            pending = [oid for oid in watches if oid not in decided]
            if not pending:
                return waited
            deadlines = [w.started + w.wait for oid, w in watches.items()
                         if oid not in decided and w.started is not None]
            horizon = max(deadlines, default=now) - now
            self.observer.waiting(pending, horizon)
            self.sleep(min(POLL_INTERVAL_S, max(0.0, min(deadlines, default=now + POLL_INTERVAL_S) - now)))
            self._recheck([watches[oid] for oid in pending], dead)

    def _decide(self, watch: _Watch, watches: dict[str, _Watch], decided: set[str], dead: set[str], now: float,
                t0: float) -> float | None:
        """None: keep polling; else the seconds to report as waited (-1: decided, nothing to report)."""
        objective = watch.objective
        if self.passing(objective.id):
            return round(now - t0, 2)
        prerequisites = [r for r in objective.requires]
        if any(not self.passing(r) and (r not in watches or r in decided) for r in prerequisites):
            return -1  # a prerequisite failed for good: this objective will be SKIP
        if any(not self.passing(r) for r in prerequisites):
            return None  # its clock starts when they pass
        if watch.started is None:
            watch.started = now if prerequisites else t0
        if now >= watch.started + watch.wait:
            return round(watch.started + watch.wait - t0, 2)
        failing = [c for c, r in zip(self._checks(objective.id), self.results[objective.id], strict=True)
                   if r.outcome is not Outcome.PASS]
        if failing and all(c.params.node in dead for c in failing):
            return round(now - t0, 2)  # only unreachable nodes are left: nothing can change
        if watch.settle is not None and now - watch.last_change >= watch.settle:
            return round(now - t0, 2)
        return None

    def _checks(self, objective_id: str) -> list[ResolvedCheck]:
        return [c for c in self.checks if c.objective.id == objective_id]

    def _fingerprint(self, objective_id: str) -> tuple[str, ...]:
        """What the objective's checks read, as text: equal fingerprints mean nothing changed (as far as each
        fact kind's ``settle_view`` sees it)."""
        requests = [r for c in self._checks(objective_id) for r in c.check.requests(c.params)]
        return tuple(self._view(self.facts[r]) if r in self.facts else "" for r in requests)

    @staticmethod
    def _view(fact: FactValue) -> str:
        kind = FACT_KINDS.get(fact.request.kind)
        if fact.error is not None or fact.value is None or kind is None or kind.settle_view is None:
            return repr((fact.value, fact.error))
        return repr(kind.settle_view(fact.value))

    def _recheck(self, watches: list[_Watch], dead: set[str]) -> None:
        ids = {w.objective.id for w in watches}
        settling = {w.objective.id for w in watches if w.settle is not None}
        recheck = [c for c in self.checks if c.objective.id in ids and c.params.node not in dead
                   and (c.objective.id in settling or self.results[c.objective.id][c.index].outcome
                        is not Outcome.PASS)]
        subplan = build_plan(recheck, self.topology)
        fresh = collect(subplan.commands, self.topology, self.transport, self.observer)
        for node, node_evidence in fresh.items():
            if node_evidence.error or node not in self.evidence or self.evidence[node].error:
                self.evidence[node] = node_evidence
            else:
                self.evidence[node].outputs.update(node_evidence.outputs)
        self.facts.update(interpret(subplan, fresh, self.topology))
        now = self.clock()
        moving = False
        for watch in watches:
            oid = watch.objective.id
            self.results[oid] = [self.judge_one(c, self.facts) for c in self._checks(oid)]
            fingerprint = self._fingerprint(oid)
            if fingerprint != watch.seen:
                watch.seen, watch.last_change = fingerprint, now
                moving = moving or watch.settle is not None
        if moving:  # the network is still moving: no settling objective has settled
            for watch in watches:
                watch.last_change = now
