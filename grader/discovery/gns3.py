"""GNS3: the project file (``PROJECT.gns3``, JSON, project revision 5 and later).

::

    {"revision": 9, "version": "2.2.46", "type": "topology",
     "topology": {"computes": [{"compute_id": "e295...", "host": "172.16.174.72", ...}],
                  "nodes": [{"name": "R1", "node_type": "dynamips", "compute_id": "local",
                             "console": 5000, "console_type": "telnet",
                             "properties": {"image": "c7200-adventerprisek9-mz.124-24.T5.image", ...}}]}}

A node's console is ``console_type`` on port ``console`` of its compute: ``local`` is this machine; another
compute's address is in ``topology.computes`` when the project records it (a remote server), and not at
all for the GNS3 VM (``compute_id: "vm"``): give ``--host`` then. A node's ``console_host`` (the server's
node objects carry one) wins; a wildcard there (``0.0.0.0``, ``::``) means 127.0.0.1. Only telnet consoles can be
graded (vnc, spice, http and none are skipped). The project keeps no template name, only image file
names: iou and dynamips nodes are Cisco IOS; qemu/docker images are recognised by name (``vios``,
``csr1000v``, ``huaweiar1k``, ``ce12800``, ``frr``...); anything else takes the lab's platform.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader.discovery.base import (
    LOOPBACK,
    MAX_DEVICES,
    SimDevice,
    console_host,
    console_port,
    decode_text,
    parse_json,
    platform_from_names,
    read_bounded,
    shown,
)
from grader.errors import LabFileError

WHAT = "a GNS3 project (.gns3)"
BUILTIN = {"ethernet_switch", "ethernet_hub", "frame_relay_switch", "atm_switch", "nat", "cloud"}
HOSTS = {"vpcs": "a VPCS PC has no CLI labgrader grades", "traceng": "a TraceNG host has no CLI labgrader grades"}
CISCO_TYPES = {"iou", "dynamips"}
IMAGE_KEYS = ("image", "hda_disk_image", "path", "linked_clone_image", "vmname")


def read_gns3(path: Path) -> list[SimDevice]:
    data = parse_json(path, decode_text(path, read_bounded(path)), WHAT)
    nodes, computes = _nodes_and_computes(path, data)
    devices: list[SimDevice] = []
    for index, node in enumerate(nodes):
        if index >= MAX_DEVICES:
            raise LabFileError([f"{path}: refused: more than {MAX_DEVICES} nodes"])
        if not isinstance(node, dict):
            raise LabFileError([f"{path}: topology.nodes[{index}]: a node is an object"])
        devices.append(_device(path, index, node, computes))
    return devices


def _nodes_and_computes(path: Path, data: Any) -> tuple[list[Any], dict[str, Any]]:
    topology = data.get("topology") if isinstance(data, dict) else None
    if not isinstance(topology, dict) or not isinstance(topology.get("nodes"), list):
        raise LabFileError([f"{path}: not {WHAT}: no topology.nodes list"])
    computes: dict[str, Any] = {}
    for compute in topology.get("computes") or []:
        if isinstance(compute, dict) and compute.get("compute_id") and compute.get("host"):
            computes[str(compute["compute_id"])] = compute["host"]
    return topology["nodes"], computes


def _device(path: Path, index: int, node: dict[str, Any], computes: dict[str, Any]) -> SimDevice:
    name = str(node.get("name") or "").strip()
    node_type = str(node.get("node_type") or "").strip()
    properties = node.get("properties") if isinstance(node.get("properties"), dict) else {}
    images = [str(properties[key]) for key in IMAGE_KEYS if properties.get(key)]
    kind = " ".join([node_type or "node", *images[:1]])
    if not name:
        raise LabFileError([f"{path}: topology.nodes[{index}] ({shown(kind)}) has no name"])
    where = f"{path}: node {shown(name)!r}"
    if node_type in BUILTIN:
        return SimDevice(name, kind, skip=f"a GNS3 built-in {node_type.replace('_', ' ')} has no CLI")
    if node_type in HOSTS:
        return SimDevice(name, kind, skip=HOSTS[node_type])
    console_type = str(node.get("console_type") or "none")
    if console_type != "telnet":
        return SimDevice(name, kind, skip=f"its console is {shown(console_type)!r}, not telnet")
    if node.get("console") in (None, ""):
        return SimDevice(name, kind, skip="it has no console port (never started?)")
    port = console_port(node["console"], where)
    host = _host(node, computes, where)
    platform = "cisco_ios" if node_type in CISCO_TYPES else platform_from_names(*images, node.get("template"))
    return SimDevice(name, kind, host, port, platform)


def _host(node: dict[str, Any], computes: dict[str, Any], where: str) -> str | None:
    """The console's address, or None when the project does not say (the GNS3 VM)."""
    if node.get("console_host") not in (None, ""):
        return console_host(node["console_host"], where)
    compute = str(node.get("compute_id") or "local")
    if compute == "local":
        return LOOPBACK
    if compute in computes:
        return console_host(computes[compute], f"{where}: compute {shown(compute)!r}")
    return None
