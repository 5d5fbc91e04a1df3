"""Deploy a topology as Docker containers joined by veth links; re-configure it; tear it down.

Each node is a container ``lg-<lab>-<node>`` on the default bridge, which only carries SSH (published on
127.0.0.1 unless told otherwise, port chosen by Docker). Data links are veth pairs named as in the topology
(see ``links``).
The SSH password is copied into the container before it starts and deleted by its entrypoint, so it shows
neither in ``docker inspect`` nor in a label; the user name is a label.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from docker.errors import APIError
from docker.models.containers import Container
from pydantic import SecretStr

from grader.errors import DeployError, GraderError
from grader.model.inventory import Inventory
from grader.model.topology import PLATFORM_LABEL, Topology
from grader.platforms import all_platforms, get_platform
from grader.runtime import links as veth
from grader.runtime import nodeio
from grader.runtime.dockerapi import client
from grader.runtime.images import REPOSITORY, image_for
from grader.runtime.inventory import HOST, inventory_data, make_inventory, write_inventory_file
from grader.runtime.state import (
    INTERFACES_LABEL,
    LAB_LABEL,
    NODE_LABEL,
    USER_LABEL,
    check_lab_id,
    check_listen,
    connect_host,
    container_name,
    lab_containers,
    remove_containers,
    ssh_binding,
    ssh_port,
)
from grader.transport.netmiko_cli import NetmikoTransport

ROUTER_RECIPE = "frr"  # the image whose nodes forward packets
CAPS = ["NET_ADMIN", "SYS_ADMIN", "NET_RAW"]
READY_SECONDS = 60.0
_NODE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
_IPV6 = Path("/proc/sys/net/ipv6").is_dir()  # the engine is local: its kernel is this one
_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass
class DeployedNode:
    name: str
    platform: str
    container: str
    ssh_port: int
    interfaces: list[str] = field(default_factory=list)


@dataclass
class Deployment:
    """A running lab. ``ssh_password`` is None when the deployment was read back from Docker."""

    lab_id: str = ""
    nodes: dict[str, DeployedNode] = field(default_factory=dict)
    ssh_user: str = "student"
    ssh_password: SecretStr | None = None
    host: str = HOST  # where the published SSH ports are reached from this machine

    @classmethod
    def load(cls, lab_id: str) -> Deployment:
        """The deployment of a running lab, from its containers' labels."""
        containers = lab_containers(check_lab_id(lab_id))
        if not containers:
            raise DeployError(f"no lab {lab_id!r} is deployed (see `labgrader status`)")
        found = cls(lab_id=lab_id)
        for container in containers:
            labels = container.labels
            port = ssh_port(container)
            if container.status != "running" or port is None:
                raise DeployError(f"lab {lab_id}: container {container.name} is {container.status}; "
                                  f"run `labgrader down {lab_id}` and deploy again")
            found.ssh_user = labels.get(USER_LABEL, found.ssh_user)
            found.host = connect_host(ssh_binding(container)[0])
            node = labels[NODE_LABEL]
            found.nodes[node] = DeployedNode(node, labels.get(PLATFORM_LABEL, "linux"), container.name, port,
                                             labels.get(INTERFACES_LABEL, "").split())
        found.nodes = dict(sorted(found.nodes.items()))
        return found

    def _ports(self) -> dict[str, int]:
        return {name: node.ssh_port for name, node in self.nodes.items()}

    def inventory(self) -> Inventory:
        """How the grader reaches each node (the password in memory when known, else from the environment)."""
        return make_inventory(self._ports(), self.ssh_user, self.ssh_password, self.host)

    def apply(self, configs: dict[str, str]) -> None:
        """Switch the running configuration of the nodes named in ``configs`` (see ``apply_configs``)."""
        apply_configs(self, configs)

    def transport(self) -> NetmikoTransport:
        """A live transport to every node (SSH on ``host``)."""
        return NetmikoTransport(self.inventory())

    def write_inventory(self, path: str | Path, *, literal_password: bool = False) -> Path:
        """Write the inventory as YAML; the password is named by ``LABGRADER_PASSWORD`` unless asked."""
        data = inventory_data(self._ports(), self.ssh_user, self.ssh_password, literal_password, self.host)
        return write_inventory_file(path, self.lab_id, data)


def _parallel(work: Callable[[_T], _R], items: Iterable[_T], cancel: threading.Event | None = None) -> list[_R]:
    """``work`` on every item in threads; the first failure (or Ctrl-C) sets ``cancel`` and is raised."""
    items = list(items)
    if not items:
        return []
    pool = ThreadPoolExecutor(max_workers=min(8, len(items)))
    try:
        futures = [pool.submit(work, item) for item in items]
        wait(futures, return_when=FIRST_EXCEPTION)
        failed = [f.exception() for f in futures if f.done() and f.exception() is not None]
        if failed:
            raise failed[0]  # type: ignore[misc]
        return [f.result() for f in futures]
    except BaseException:
        if cancel is not None:
            cancel.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def check_deployable(topology: Topology) -> None:
    """``DeployError`` (one line) for a topology with nodes that name no containerlab kind."""
    undeployable = [name for name, node in topology.nodes.items() if node.kind is None]
    if undeployable:
        raise DeployError(f"topology {topology.name}: nodes {', '.join(undeployable)} name no containerlab kind: "
                          "the lab is graded from captures or inventories only (give each node a kind and an "
                          "image to deploy it)")


def _images(topology: Topology) -> dict[str, str]:
    images: dict[str, str] = {}
    for name, node in topology.nodes.items():
        recipe = get_platform(node.platform).container_recipe
        if recipe is None:
            deployable = ", ".join(p.name for p in all_platforms() if p.container_recipe)
            raise DeployError(f"node {name}: platform {node.platform} cannot run in a container here "
                              f"(only {deployable})")
        reference = node.image or f"{REPOSITORY}/{recipe}"
        image = image_for(reference)
        built_from = (client().images.get(image).labels or {}).get("labgrader.recipe")
        if built_from != recipe:
            raise DeployError(f"node {name}: image {reference} is not a labgrader {recipe} image "
                              f"(platform {node.platform} runs {REPOSITORY}/{recipe})")
        images[name] = image
    return images


def _check(lab_id: str, topology: Topology, configs: dict[str, str]) -> None:
    check_lab_id(lab_id)
    unknown = sorted(set(configs) - set(topology.nodes))
    if unknown:
        raise DeployError(f"configs name nodes not in the topology: {', '.join(unknown)}")
    for name in topology.nodes:
        if not _NODE_NAME.match(name):
            raise DeployError(f"node name {name!r} cannot name a container: use letters, digits, '.', '_', '-'")
    for link in topology.links:
        for end in link.endpoints:
            veth.check_interface(end.node, end.interface)
    if lab_containers(lab_id):
        raise DeployError(f"lab {lab_id} is already deployed; run `labgrader down {lab_id}` first")


def deploy(lab_id: str, topology: Topology, configs: dict[str, str], *, ssh_user: str = "student",
           ssh_password: str = "labgrader", ready_seconds: float = READY_SECONDS, listen: str = HOST,
           labels: Mapping[str, str] | None = None, isolated_management: bool = False,
           host_ports: Mapping[str, int] | None = None) -> Deployment:
    """Start one container per node, link them, apply ``configs`` (node → rendered text), wait until ready.

    For platform frr a config is a complete frr.conf; for linux a shell script run with ``sh -e``. Returns
    once every node's sshd answers and its configuration is applied (FRR: vtysh answers). On any failure,
    or Ctrl-C, everything created is removed and ``DeployError`` raised.

    SSH is published on the host address ``listen``, on the port ``host_ports[node]`` when given (else one
    Docker chooses); ``labels`` are added to every container (they cannot replace labgrader's own). With
    ``isolated_management`` a node whose management interface stayed beside the lab's (see the recipes'
    README) fails the deployment: without the isolation, its logins could reach other containers on Docker's
    bridge.
    """
    check_deployable(topology)
    _check(lab_id, topology, configs)
    if not ssh_user or not ssh_password or "\n" in ssh_user + ssh_password or ":" in ssh_user:
        raise DeployError("the SSH user and password must be non-empty, without line breaks (user: no ':')")
    check_listen(listen)
    extra = dict(labels or {})
    if any(key in _OWN_LABELS for key in extra):
        raise DeployError(f"labels {', '.join(sorted(set(extra) & _OWN_LABELS))} are set by deploy itself")
    images = _images(topology)
    interfaces = veth.interfaces_by_node(topology.links)
    options = _Options(ssh_user, ssh_password, ready_seconds, listen, extra, isolated_management,
                       dict(host_ports or {}))
    try:
        return _deploy(lab_id, topology, configs, images, interfaces, options)
    except BaseException as exc:
        problems = remove_containers(lab_containers(lab_id))
        left = f" (cleanup failed: {'; '.join(problems)})" if problems else ""
        if isinstance(exc, KeyboardInterrupt):
            raise DeployError(f"deploy of lab {lab_id} interrupted; removed what it had created{left}") from None
        if isinstance(exc, GraderError):
            raise DeployError(f"{exc}{left}") from None
        raise DeployError(f"deploy of lab {lab_id} failed: {exc}{left}") from exc


_OWN_LABELS = {LAB_LABEL, NODE_LABEL, PLATFORM_LABEL, USER_LABEL, INTERFACES_LABEL}


@dataclass(frozen=True)
class _Options:
    ssh_user: str
    ssh_password: str
    ready_seconds: float
    listen: str
    labels: dict[str, str]
    isolated_management: bool
    host_ports: dict[str, int]


def _deploy(lab_id: str, topology: Topology, configs: dict[str, str], images: dict[str, str],
            interfaces: dict[str, list[str]], options: _Options) -> Deployment:
    ssh_user, ssh_password, ready_seconds = options.ssh_user, options.ssh_password, options.ready_seconds

    def create(name: str) -> Container:
        platform = topology.nodes[name].platform
        # IPv6 on, without duplicate address detection: an address is usable (not "tentative") as soon as it
        # is configured, a second or two earlier, and a lab's veth links have no duplicates to detect.
        sysctls = {"net.ipv6.conf.all.disable_ipv6": "0", "net.ipv6.conf.all.accept_dad": "0",
                   "net.ipv6.conf.default.accept_dad": "0"} if _IPV6 else {}
        if get_platform(platform).container_recipe == ROUTER_RECIPE:
            sysctls["net.ipv4.ip_forward"] = "1"
            if _IPV6:
                sysctls["net.ipv6.conf.all.forwarding"] = "1"
        try:
            container = client().containers.create(
                images[name], name=container_name(lab_id, name), hostname=name, detach=True,
                labels={**options.labels, LAB_LABEL: lab_id, NODE_LABEL: name, PLATFORM_LABEL: platform,
                        USER_LABEL: ssh_user, INTERFACES_LABEL: " ".join(interfaces.get(name, []))},
                cap_add=CAPS, sysctls=sysctls, ports={"22/tcp": (options.listen, options.host_ports.get(name))},
                environment={"LABGRADER_INTERFACES": " ".join(interfaces.get(name, [])),
                             "LABGRADER_WAIT_SECONDS": str(int(ready_seconds))})
        except APIError as exc:
            raise DeployError(f"node {name}: cannot create container: {exc.explanation or exc}") from None
        files = {nodeio.CREDENTIALS_PATH: f"{ssh_user}\n{ssh_password}\n"}
        if name in configs:
            files[nodeio.CONFIG_PATH] = configs[name]
        nodeio.put_files(container, files)
        try:
            container.start()
            container.reload()
        except APIError as exc:
            raise DeployError(f"node {name}: cannot start container: {exc.explanation or exc}") from None
        return container

    names = list(topology.nodes)
    containers = dict(zip(names, _parallel(create, names), strict=True))
    pids = {name: int(c.attrs["State"]["Pid"]) for name, c in containers.items()}
    for link in topology.links:
        veth.connect(link, pids)
    ports: dict[str, int] = {}
    for name, container in containers.items():
        port = ssh_port(container)
        if port is None:
            raise DeployError(f"node {name}: Docker published no port for SSH")
        ports[name] = port
    deadline = time.monotonic() + ready_seconds
    cancel = threading.Event()
    host = connect_host(options.listen)
    isolated = _parallel(lambda name: nodeio.wait_ready(name, containers[name], ports[name], deadline, cancel,
                                                        host), names, cancel)
    if options.isolated_management:
        for name, ok in zip(names, isolated, strict=True):
            if not ok:
                raise DeployError(f"node {name}: its management interface could not be moved out of the lab "
                                  "(see the entrypoint's log); refusing to deploy without that isolation")
    nodes = {name: DeployedNode(name, topology.nodes[name].platform, containers[name].name, ports[name],
                                interfaces.get(name, [])) for name in names}
    return Deployment(lab_id=lab_id, nodes=nodes, ssh_user=ssh_user, ssh_password=SecretStr(ssh_password),
                      host=host)


def apply_configs(deployment: Deployment | str, configs: dict[str, str]) -> None:
    """Replace the running configuration of the nodes named in ``configs``, all in parallel.

    Each node is brought to a clean slate first (FRR stopped; addresses, routes and virtual links of the
    previous configuration removed; data links up), then configured as by ``deploy``: the result does not
    depend on what ran before. ``DeployError`` lists every node whose configuration failed.
    """
    lab = deployment if isinstance(deployment, Deployment) else Deployment.load(deployment)
    unknown = sorted(set(configs) - set(lab.nodes))
    if unknown:
        raise DeployError(f"lab {lab.lab_id} has no node {', '.join(unknown)}")
    engine = client()

    def one(name: str) -> str | None:
        container = engine.containers.get(lab.nodes[name].container)
        return nodeio.apply(name, container, configs[name])

    problems = [p for p in _parallel(one, sorted(configs)) if p]
    if problems:
        raise DeployError("; ".join(problems))


def destroy(lab_id: str) -> int:
    """Remove every container of the lab (their links go with them). Returns how many were removed."""
    containers = lab_containers(check_lab_id(lab_id))
    problems = remove_containers(containers)
    if problems:
        raise DeployError(f"lab {lab_id}: could not remove {'; '.join(problems)}")
    return len(containers)
