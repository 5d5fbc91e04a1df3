"""Collection plan: which command on which node, each command once per node however many checks need it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from grader.errors import GraderError
from grader.loader import ResolvedCheck
from grader.model.facts import FactRequest
from grader.model.topology import Topology
from grader.platforms import get_platform


@dataclass
class CollectionPlan:
    commands: dict[str, list[str]] = field(default_factory=dict)  # node → commands, in first-needed order
    request_commands: dict[FactRequest, str] = field(default_factory=dict)
    unsupported: dict[FactRequest, str] = field(default_factory=dict)  # request → why it has no command

    @property
    def command_count(self) -> int:
        return sum(len(c) for c in self.commands.values())


def build_plan(checks: Iterable[ResolvedCheck], topology: Topology) -> CollectionPlan:
    plan = CollectionPlan()
    for resolved in checks:
        for request in resolved.check.requests(resolved.params):
            if request in plan.request_commands or request in plan.unsupported:
                continue
            platform_name = topology.nodes[request.node].platform
            try:
                command = get_platform(platform_name).command_for(request)
            except GraderError as exc:
                plan.unsupported[request] = str(exc)
                continue
            plan.request_commands[request] = command
            node_commands = plan.commands.setdefault(request.node, [])
            if command not in node_commands:
                node_commands.append(command)
    return plan
