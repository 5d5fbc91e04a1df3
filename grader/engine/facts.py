"""Evidence → facts: each planned request's output parsed and normalised by its node's platform."""

from __future__ import annotations

from grader.engine.plan import CollectionPlan
from grader.errors import GraderError
from grader.model.evidence import Evidence
from grader.model.facts import FactRequest, FactValue
from grader.model.topology import Topology
from grader.platforms import get_platform


def interpret(plan: CollectionPlan, evidence: Evidence, topology: Topology) -> dict[FactRequest, FactValue]:
    facts: dict[FactRequest, FactValue] = {}
    for request, reason in plan.unsupported.items():
        facts[request] = FactValue(request=request, command="", error=reason)
    for request, command in plan.request_commands.items():
        facts[request] = fact_from_evidence(request, command, evidence, topology)
    return facts


def fact_from_evidence(request: FactRequest, command: str, evidence: Evidence, topology: Topology) -> FactValue:
    fact = FactValue(request=request, command=command)
    node_evidence = evidence.get(request.node)
    if node_evidence is None:
        fact.error = "no output collected from this node"
        return fact
    if node_evidence.error:
        fact.error = node_evidence.error
        return fact
    output = node_evidence.output(command)
    if output is None:
        fact.error = "no output collected for this command"
        return fact
    fact.raw = output.text
    if output.error:
        fact.error = output.error
        return fact
    platform = get_platform(topology.nodes[request.node].platform)
    try:
        fact.value = platform.interpret(request, output.text)
    except GraderError as exc:
        fact.error = str(exc)
    except Exception as exc:  # a normaliser meeting output it does not expect: ERROR, not a crash
        fact.error = f"could not read the output ({type(exc).__name__}: {exc})"
    return fact
