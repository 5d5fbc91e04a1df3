"""Collect evidence: every node's planned commands through a transport, nodes in parallel."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from grader.engine.events import Observer
from grader.model.evidence import Evidence, NodeEvidence
from grader.model.topology import Topology
from grader.platforms import get_platform
from grader.transport.base import Transport
from grader.transport.replay import ReplayTransport


def collect(commands: dict[str, list[str]], topology: Topology, transport: Transport,
            observer: Observer | None = None, max_workers: int = 8) -> Evidence:
    """Run ``commands`` ({node: [command]}) through ``transport``; one bad node never stops the others."""
    observer = observer or Observer()

    def one(node: str) -> NodeEvidence:
        platform = get_platform(topology.nodes[node].platform)
        observer.node_started(node, len(commands[node]))
        started = time.monotonic()
        try:
            evidence = transport.collect(node, platform, commands[node])
        except Exception as exc:  # a transport bug must not lose the other nodes' evidence
            evidence = NodeEvidence(node=node, platform=platform.name, error=f"{type(exc).__name__}: {exc}")
        observer.node_finished(node, evidence, time.monotonic() - started)
        return evidence

    nodes = [n for n in commands if commands[n]]
    if not nodes:
        return {}
    if isinstance(transport, ReplayTransport):  # answers from memory: threads would only cost time
        return {node: one(node) for node in nodes}
    with ThreadPoolExecutor(max_workers=min(max_workers, len(nodes))) as pool:
        return dict(zip(nodes, pool.map(one, nodes), strict=True))
