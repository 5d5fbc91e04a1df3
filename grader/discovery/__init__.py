"""Inventories from students' simulators: read a simulator's own project file (eNSP ``.topo``, GNS3
``.gns3``, EVE-NG ``.unl``), find each device's telnet console, match the devices to a lab's topology and
write the inventory that ``labgrader grade --inventory`` reads.

Each reader returns ``SimDevice`` records and never trusts its file (``base``); ``match`` pairs them with
the lab's nodes; ``render`` writes the YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from grader.discovery.base import SimDevice
from grader.discovery.match import Entry, Matching, match, name_key, parse_maps
from grader.discovery.render import render_inventory

__all__ = ["Entry", "Matching", "SimDevice", "Simulator", "match", "name_key", "parse_maps", "read_project",
           "render_inventory"]

Simulator = Literal["ensp", "gns3", "eve"]


def read_project(kind: Simulator, path: Path, *, eve_host: str | None = None, eve_pod: int = 0) -> list[SimDevice]:
    """The devices of a simulator's project file."""
    if kind == "ensp":
        from grader.discovery.ensp import read_ensp

        return read_ensp(path)
    if kind == "gns3":
        from grader.discovery.gns3 import read_gns3

        return read_gns3(path)
    from grader.discovery.eve import read_eve

    return read_eve(path, eve_host, eve_pod)
