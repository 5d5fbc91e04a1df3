"""Device access facts of cisco_ios: local users and VTY lines from the running configuration, the SSH server
from ``show ip ssh``. IOS has no Telnet server switch: the lines' ``transport input`` decides."""

from __future__ import annotations

from typing import Any

from grader.checks.management import LocalUser, ServerStatus, VtyLine, VtyTransport
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.services_common import Block, config_blocks

Rows = list[dict[str, Any]]


def local_users(rows: Rows, text: str, request: FactRequest) -> list[LocalUser]:
    """``username NAME [privilege N] secret|password ...``: privilege 1 unless set; IOS users have no
    service types (services None)."""
    users = []
    for header, _ in config_blocks(text, "cisco_ios"):
        words = header.split()
        if words[:1] == ["username"] and len(words) >= 2:
            level = words[words.index("privilege") + 1] if "privilege" in words[:-1] else "1"
            users.append(LocalUser(name=words[1], privilege=int(level) if level.isdigit() else None))
    return users


def ssh_server(rows: Rows, text: str, request: FactRequest) -> ServerStatus:
    """``show ip ssh``: ``SSH Enabled - version 2.0`` (1.99: versions 1 and 2)."""
    if not rows or rows[0]["status"] not in ("Enabled", "Disabled"):
        raise ParseError("no SSH state in the output")
    return ServerStatus(enabled=rows[0]["status"] == "Enabled", version=rows[0]["version"] or None)


def _vty_blocks(text: str) -> tuple[list[tuple[range, list[str]]], list[Block]]:
    blocks = config_blocks(text, "cisco_ios")
    lines = []
    for header, children in blocks:
        words = header.split()
        if words[:2] == ["line", "vty"] and len(words) >= 3 and words[2].isdigit():
            last = int(words[3]) if len(words) > 3 and words[3].isdigit() else int(words[2])
            lines.append((range(int(words[2]), last + 1), children))
    return lines, blocks


def vty_lines(rows: Rows, text: str, request: FactRequest) -> list[VtyLine]:
    """``line vty A B``: ``login local``/``login authentication X`` → aaa, ``login`` → password, ``no login`` →
    none; no login command: aaa with ``aaa new-model``, else IOS's default ``login`` (password). Privilege 1
    unless ``privilege level N``."""
    lines, blocks = _vty_blocks(text)
    aaa_model = any(header == "aaa new-model" for header, _ in blocks)
    result: dict[int, VtyLine] = {}
    for numbers, children in lines:
        login = next((c for c in children if c == "no login" or c.startswith("login")), None)
        if login is None:
            mode = "aaa" if aaa_model else "password"
        elif login == "no login":
            mode = "none"
        elif login == "login":
            mode = "aaa" if aaa_model else "password"
        else:
            mode = "aaa"
        level = next((c.split()[2] for c in children if c.startswith("privilege level ")), "1")
        for number in numbers:
            result[number] = VtyLine(number=number, authentication=mode, privilege=int(level))
    return [result[n] for n in sorted(result)]


def vty_transport(rows: Rows, text: str, request: FactRequest) -> list[VtyTransport]:
    """``transport input ssh|telnet|all|none``; no such line keeps the device's default (None)."""
    lines, _ = _vty_blocks(text)
    result: dict[int, VtyTransport] = {}
    for numbers, children in lines:
        words = next((c.split()[2:] for c in children if c.startswith("transport input")), None)
        protocols = None
        if words is not None:
            protocols = ("ssh", "telnet") if "all" in words else tuple(w for w in words if w in ("ssh", "telnet"))
        for number in numbers:
            result[number] = VtyTransport(number=number, protocols=protocols)
    return [result[n] for n in sorted(result)]


FACTS: dict[str, FactSpec] = {
    "local_users": FactSpec("show running-config", local_users, parsed=False),
    "ssh_server": FactSpec("show ip ssh", ssh_server),
    "vty_lines": FactSpec("show running-config", vty_lines, parsed=False),
    "vty_transport": FactSpec("show running-config", vty_transport, parsed=False),
}
