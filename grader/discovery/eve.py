"""EVE-NG: a lab's ``.unl`` file (XML), as exported or copied from ``/opt/unetlab/labs/``.

::

    <lab name="Routing Fundamentals" version="1" ...>
      <topology>
        <nodes>
          <node id="1" name="Router1" type="iol" template="iol"
                image="i86bi_LinuxL3-AdvEnterpriseK9-M2_157_3_May_2018.bin" console="" .../>

The console port is not in the file: EVE-NG computes it when the node runs, from the node id and the pod
(the "tenant") of the user who runs the lab::

    port = 32768 + 128 * pod + node id

(UNetLab, the code EVE-NG Community grew from: ``html/includes/__node.php``, ``Node::__construct``). The
admin user's pod is 0; other users see theirs in EVE's user list. The file does not say where EVE runs
either: ``--eve-host`` gives it. A node's ``console`` is ``telnet`` (the default when empty), ``vnc`` or
``rdp``; only telnet consoles can be graded, and VPCS hosts never. EVE-NG Pro may hand out console ports
another way: check one node's port in its web UI before trusting the formula there.
"""

from __future__ import annotations

from pathlib import Path

from grader.discovery.base import (
    MAX_DEVICES,
    SimDevice,
    console_host,
    decode_text,
    parse_xml,
    platform_from_names,
    read_bounded,
    shown,
)
from grader.errors import LabFileError

WHAT = "an EVE-NG lab (.unl)"
BASE_PORT, PORT_STRIDE, MAX_POD = 32768, 128, 255
CISCO_TYPES = {"iol", "dynamips"}
HOSTS = {"vpcs": "a VPCS host has no CLI labgrader grades"}


def eve_console_port(node_id: int, pod: int) -> int:
    """The telnet port EVE-NG gives node ``node_id`` of a lab run by pod ``pod``."""
    return BASE_PORT + PORT_STRIDE * pod + node_id


def read_eve(path: Path, host: str | None, pod: int) -> list[SimDevice]:
    if not 0 <= pod <= MAX_POD:
        raise LabFileError([f"--eve-pod {pod}: EVE-NG pods are 0-{MAX_POD}"])
    address = console_host(host, "--eve-host") if host else None
    root = parse_xml(path, decode_text(path, read_bounded(path)), WHAT)
    if root.tag != "lab":
        raise LabFileError([f"{path}: not {WHAT}: the root element is <{shown(root.tag, 30)}>, not <lab>"])
    if root.find("topology") is None:
        raise LabFileError([f"{path}: not {WHAT}: no <topology> element"])
    devices: list[SimDevice] = []
    for index, node in enumerate(root.iterfind("./topology/nodes/node")):
        if index >= MAX_DEVICES:
            raise LabFileError([f"{path}: refused: more than {MAX_DEVICES} nodes"])
        name = (node.get("name") or "").strip()
        node_type, template, image = (node.get(key) or "" for key in ("type", "template", "image"))
        kind = " ".join(dict.fromkeys(x for x in (node_type, template, image) if x)) or "node"
        raw_id = (node.get("id") or "").strip()
        if not name:
            raise LabFileError([f"{path}: <node id={shown(raw_id)!r}> ({shown(kind)}) has no name"])
        where = f"{path}: <node name={shown(name)!r}>"
        if not raw_id.isdigit() or not 0 < int(raw_id) < PORT_STRIDE:
            raise LabFileError([f"{where}: id {shown(raw_id)!r} is not a node id (1-{PORT_STRIDE - 1})"])
        if node_type in HOSTS:
            devices.append(SimDevice(name, kind, skip=HOSTS[node_type]))
            continue
        console = (node.get("console") or "telnet").strip().lower()
        if console != "telnet":
            devices.append(SimDevice(name, kind, skip=f"its console is {shown(console)!r}, not telnet"))
            continue
        platform = "cisco_ios" if node_type in CISCO_TYPES else platform_from_names(template, image)
        devices.append(SimDevice(name, kind, address, eve_console_port(int(raw_id), pod), platform))
    return devices
