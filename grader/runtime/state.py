"""What is deployed, read back from Docker: every container of a lab carries labels naming its lab and node.

Nothing is kept in memory or on disk, so ``status`` and ``down`` work the same after a crash.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from grader.errors import DeployError
from grader.model.topology import PLATFORM_LABEL

if TYPE_CHECKING:  # the Docker SDK (labgrader[lab]) is imported only by what talks to Docker
    from docker.models.containers import Container

LAB_LABEL = "labgrader.lab"
NODE_LABEL = "labgrader.node"
USER_LABEL = "labgrader.user"
INTERFACES_LABEL = "labgrader.interfaces"
# A class deployment (``grader.runtime.classroom``): one lab per student, ``labgrader.lab`` = ``<lab>-<student>``.
CLASS_LABEL = "labgrader.class"  # the lab id of the class the container belongs to
STUDENT_LABEL = "labgrader.student"  # the student id from the roster
NAME_PREFIX = "lg-"
_LAB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")


@dataclass(frozen=True)
class NodeStatus:
    """One container of a lab as Docker reports it."""

    node: str
    platform: str
    container: str  # container name
    state: str  # running, exited, created, ...
    ssh_port: int | None  # published on ``ssh_host``
    image: str
    interfaces: tuple[str, ...]
    ssh_host: str = "127.0.0.1"  # the host address the port is published on (0.0.0.0: every address)


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


def check_listen(address: str) -> str:
    """``address`` if it is an IP address of this host to publish SSH on, else ``DeployError``."""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise DeployError(f"listen address {address!r} is not an IP address (e.g. 127.0.0.1, 0.0.0.0)") from None
    return address


def connect_host(listen: str) -> str:
    """Where this machine reaches a port published on ``listen`` (a wildcard is reached on loopback)."""
    if not listen or listen == "0.0.0.0":
        return "127.0.0.1"
    return "::1" if listen == "::" else listen


def ssh_binding(container: Container) -> tuple[str, int | None]:
    """The host address and port publishing the container's port 22 (port None when not published)."""
    bindings = (container.attrs.get("NetworkSettings", {}).get("Ports") or {}).get("22/tcp") or []
    for binding in bindings:
        if binding.get("HostPort"):
            return binding.get("HostIp") or "0.0.0.0", int(binding["HostPort"])
    host_config = ((container.attrs.get("HostConfig") or {}).get("PortBindings") or {}).get("22/tcp") or []
    return next((b.get("HostIp") or "0.0.0.0" for b in host_config), "127.0.0.1"), None


def ssh_port(container: Container) -> int | None:
    """The host port publishing the container's port 22, if any."""
    return ssh_binding(container)[1]


def lab_containers(lab_id: str | None = None) -> list[Container]:
    """Containers of one lab (or of every lab), whatever their state."""
    from docker.errors import APIError

    from grader.runtime.dockerapi import client

    label = f"{LAB_LABEL}={lab_id}" if lab_id is not None else LAB_LABEL
    try:
        return client().containers.list(all=True, filters={"label": label})
    except APIError as exc:
        raise DeployError(f"cannot list containers: {exc.explanation or exc}") from None


def node_status(container: Container) -> NodeStatus:
    labels = container.labels
    image = (container.attrs.get("Config") or {}).get("Image", "")
    host, port = ssh_binding(container)
    return NodeStatus(
        node=labels.get(NODE_LABEL, container.name),
        platform=labels.get(PLATFORM_LABEL, "linux"),
        container=container.name,
        state=container.status,
        ssh_port=port,
        image=image,
        interfaces=tuple(labels.get(INTERFACES_LABEL, "").split()),
        ssh_host=host,
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

    from docker.errors import APIError, NotFound

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
