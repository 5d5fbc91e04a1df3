"""What is deployed, read back from Docker: every container of a lab carries labels naming its lab and node.

Nothing is kept in memory or on disk, so ``status`` and ``down`` work the same after a crash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from docker.errors import APIError, NotFound
from docker.models.containers import Container

from grader.errors import DeployError
from grader.model.topology import PLATFORM_LABEL
from grader.runtime.dockerapi import client

LAB_LABEL = "labgrader.lab"
NODE_LABEL = "labgrader.node"
USER_LABEL = "labgrader.user"
INTERFACES_LABEL = "labgrader.interfaces"
NAME_PREFIX = "lg-"
_LAB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")


@dataclass(frozen=True)
class NodeStatus:
    """One container of a lab as Docker reports it."""

    node: str
    platform: str
    container: str  # container name
    state: str  # running, exited, created, ...
    ssh_port: int | None  # published on 127.0.0.1
    image: str
    interfaces: tuple[str, ...]


@dataclass(frozen=True)
class LabStatus:
    """A deployed lab: its nodes, sorted by name."""

    lab_id: str
    nodes: tuple[NodeStatus, ...]

    @property
    def running(self) -> bool:
        return bool(self.nodes) and all(n.state == "running" for n in self.nodes)


def check_lab_id(lab_id: str) -> str:
    """``lab_id`` if it can name containers, else ``DeployError``."""
    if not _LAB_ID.match(lab_id):
        raise DeployError(f"lab id {lab_id!r} must be letters, digits, '.', '_' or '-' (at most 63)")
    return lab_id


def container_name(lab_id: str, node: str) -> str:
    return f"{NAME_PREFIX}{lab_id}-{node}"


def ssh_port(container: Container) -> int | None:
    """The host port publishing the container's port 22, if any."""
    bindings = (container.attrs.get("NetworkSettings", {}).get("Ports") or {}).get("22/tcp") or []
    for binding in bindings:
        if binding.get("HostPort"):
            return int(binding["HostPort"])
    return None


def lab_containers(lab_id: str | None = None) -> list[Container]:
    """Containers of one lab (or of every lab), whatever their state."""
    label = f"{LAB_LABEL}={lab_id}" if lab_id is not None else LAB_LABEL
    try:
        return client().containers.list(all=True, filters={"label": label})
    except APIError as exc:
        raise DeployError(f"cannot list containers: {exc.explanation or exc}") from None


def node_status(container: Container) -> NodeStatus:
    labels = container.labels
    image = (container.attrs.get("Config") or {}).get("Image", "")
    return NodeStatus(
        node=labels.get(NODE_LABEL, container.name),
        platform=labels.get(PLATFORM_LABEL, "linux"),
        container=container.name,
        state=container.status,
        ssh_port=ssh_port(container),
        image=image,
        interfaces=tuple(labels.get(INTERFACES_LABEL, "").split()),
    )


def _group(containers: Iterable[Container]) -> list[LabStatus]:
    labs: dict[str, list[NodeStatus]] = {}
    for container in containers:
        labs.setdefault(container.labels.get(LAB_LABEL, ""), []).append(node_status(container))
    return [LabStatus(lab, tuple(sorted(nodes, key=lambda n: n.node))) for lab, nodes in sorted(labs.items())]


def running_labs() -> list[LabStatus]:
    """Every lab that has at least one container, running or not."""
    return _group(lab_containers())


def lab_status(lab_id: str) -> LabStatus | None:
    """One lab's status, or None when it has no container."""
    labs = _group(lab_containers(check_lab_id(lab_id)))
    return labs[0] if labs else None


def remove_containers(containers: Iterable[Container]) -> list[str]:
    """Force-remove containers (their network namespaces, and so their links, go with them)."""
    from concurrent.futures import ThreadPoolExecutor

    def remove(container: Container) -> str | None:
        try:
            container.remove(force=True, v=True)
        except NotFound:
            return None
        except APIError as exc:
            return f"{container.name}: {exc.explanation or exc}"
        return None

    items = list(containers)
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=min(8, len(items))) as pool:
        return [problem for problem in pool.map(remove, items) if problem]
