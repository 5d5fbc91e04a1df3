"""Huawei eNSP: the ``.topo`` file of a saved topology.

::

    <?xml version="1.0" encoding="UNICODE" ?>
    <topo version="1.3.00.100">
        <devices>
            <dev id="12E2..." name="AR1" poe="0" model="AR2220" settings="" system_mac="00-E0-FC-DC-7F-9A"
                 com_port="2000" bootmode="0" cx="267.0" cy="187.0" ...>

Each device's console is a telnet server on 127.0.0.1 at ``com_port`` (eNSP numbers them from 2000 in the
order devices were added); ``com_port="0"`` means no console (PCs, clients, servers, clouds, hubs). The
``name`` is what the student typed. AR routers, the generic ``Router`` and S switches run VRP5
(huawei_vrp); CE switches and NE routers run VRP8 (huawei_vrpv8). The declared encoding is "UNICODE" while
the bytes are ANSI/UTF-8: see ``base.decode_text``.
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.discovery.base import (
    LOOPBACK,
    MAX_DEVICES,
    SimDevice,
    console_port,
    decode_text,
    parse_xml,
    read_bounded,
    shown,
)
from grader.errors import LabFileError

WHAT = "an eNSP topology (.topo)"

# eNSP models without a CLI worth grading (their com_port is 0 anyway)
HOSTS = {"pc", "client", "server", "mcs", "sta", "cellphone", "cloud", "hub", "frsw", "router_cloud"}
_MODELS: tuple[tuple[str, str], ...] = (
    (r"ar\d+[a-z0-9-]*|router", "huawei_vrp"),  # AR1220, AR2220, AR3260, the generic "Router"
    (r"s\d{4}[a-z0-9-]*", "huawei_vrp"),  # S3700, S5700
    (r"ce\d+[a-z0-9-]*|ne\d+[a-z0-9-]*", "huawei_vrpv8"),  # CE6800, CE12800, NE40E
)


def platform_of_model(model: str) -> str | None:
    lowered = model.strip().lower()
    return next((platform for pattern, platform in _MODELS if re.fullmatch(pattern, lowered)), None)


def read_ensp(path: Path) -> list[SimDevice]:
    root = parse_xml(path, decode_text(path, read_bounded(path)), WHAT)
    if root.tag != "topo":
        raise LabFileError([f"{path}: not {WHAT}: the root element is <{shown(root.tag, 30)}>, not <topo>"])
    devices: list[SimDevice] = []
    for index, dev in enumerate(root.iterfind("./devices/dev")):
        if index >= MAX_DEVICES:
            raise LabFileError([f"{path}: refused: more than {MAX_DEVICES} devices"])
        name = (dev.get("name") or "").strip()
        model = (dev.get("model") or "").strip()
        where = f"{path}: <dev name={shown(name)!r}>"
        if not name:
            raise LabFileError([f"{path}: <dev> number {index + 1} (model {shown(model)!r}) has no name"])
        raw_port = (dev.get("com_port") or "0").strip()
        port = None if raw_port == "0" else console_port(raw_port, where)
        if model.lower() in HOSTS or port is None:
            why = ("an eNSP host (PC, client or server) has no CLI labgrader grades" if model.lower() in HOSTS
                   else "it has no console (com_port 0)")
            devices.append(SimDevice(name, model, skip=why))
            continue
        devices.append(SimDevice(name, model, LOOPBACK, port, platform_of_model(model)))
    if not devices and root.find("devices") is None:
        raise LabFileError([f"{path}: not {WHAT}: no <devices> element"])
    return devices
