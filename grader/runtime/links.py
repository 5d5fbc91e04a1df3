"""Point-to-point data links between containers, containerlab style: one veth pair per link.

Each end is created directly inside its container's network namespace under its final name
(``ip link add eth1 netns <pid-a> type veth peer name eth2 netns <pid-b>``), so no end ever exists in the
host namespace: no temporary names, no clash between labs deployed side by side, and nothing is left on the
host when a container goes (the kernel deletes a veth pair when either namespace disappears).
"""

from __future__ import annotations

import re
import subprocess

from grader.errors import DeployError
from grader.model.topology import Link

_IFNAME = re.compile(r"^[A-Za-z0-9_.:-]{1,15}$")
RESERVED = ("lo", "eth0")  # eth0 is the management (SSH) interface


def check_interface(node: str, name: str) -> None:
    """``DeployError`` unless ``name`` can be a Linux interface name of a data link."""
    if not _IFNAME.match(name) or name in (".", ".."):
        raise DeployError(f"node {node!r}: interface name {name!r} is not a Linux interface name "
                          "(at most 15 letters, digits, '_', '.', '-', ':')")
    if name in RESERVED:
        raise DeployError(f"node {node!r}: interface {name!r} is reserved (eth0 is the management interface)")


def _ip(*args: str) -> None:
    try:
        done = subprocess.run(["ip", *args], capture_output=True, text=True, check=False, timeout=30)
    except FileNotFoundError:
        raise DeployError("creating links needs the `ip` command (iproute2)") from None
    if done.returncode != 0:
        line = (done.stderr.strip().splitlines() or ["exit status " + str(done.returncode)])[-1]
        if "Operation not permitted" in line:
            line += " (creating links needs root)"
        raise DeployError(f"ip {' '.join(args)}: {line}")


def connect(link: Link, pids: dict[str, int]) -> None:
    """Create the veth pair of ``link`` between the namespaces of the running containers ``pids[node]``."""
    a, b = link.endpoints
    _ip("link", "add", a.interface, "netns", str(pids[a.node]), "type", "veth",
        "peer", "name", b.interface, "netns", str(pids[b.node]))


def interfaces_by_node(links: list[Link]) -> dict[str, list[str]]:
    """node → its data interfaces, in the order of the topology."""
    found: dict[str, list[str]] = {}
    for link in links:
        for end in link.endpoints:
            found.setdefault(end.node, []).append(end.interface)
    return found
