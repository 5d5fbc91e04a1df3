"""Device access facts of huawei_vrp: local users, SSH (STelnet) and Telnet servers, VTY user interfaces.

VTY authentication and privilege come from ``display user-interface`` (A/P/N = aaa/password/none); the
protocols a VTY accepts (``protocol inbound ssh|telnet|all``) only from the configuration.
"""

from __future__ import annotations

from typing import Any

from grader.checks.management import LocalUser, ServerStatus, VtyLine, VtyTransport
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.services_common import config_blocks
from grader.platforms.vendor_common import to_int

Rows = list[dict[str, Any]]

# One letter per service type: VRP5 AuthMask and VRP8 Type columns.
_SERVICES = {"T": "telnet", "S": "ssh", "M": "terminal", "F": "ftp", "H": "http", "W": "web", "P": "ppp",
             "X": "dot1x", "8": "dot1x", "N": "netconf", "A": "all"}


def _services(mask: str) -> tuple[str, ...]:
    if mask in ("-", ""):
        return ()
    if mask.casefold() == "all":
        return ("all",)
    return tuple(dict.fromkeys(_SERVICES.get(letter, f"?{letter}") for letter in mask))


def local_users(rows: Rows, text: str, request: FactRequest) -> list[LocalUser]:
    """``display local-user``: State A/Active (B/Block: blocked), AuthMask or Type letters, AdminLevel."""
    return [LocalUser(name=row["username"], privilege=to_int(row["level"]), services=_services(row["type"]),
                      active=row["state"].casefold() in ("a", "active"))
            for row in rows]


def _enabled(value: str, what: str) -> bool:
    if value.casefold() not in ("enable", "disable"):
        raise ParseError(f"no {what} state in the output")
    return value.casefold() == "enable"


def ssh_server(rows: Rows, text: str, request: FactRequest) -> ServerStatus:
    """``display ssh server status``: the STelnet (IPv4) server switch and the SSH version."""
    if not rows:
        raise ParseError("empty output")
    return ServerStatus(enabled=_enabled(rows[0]["stelnet_server"], "STelnet server"),
                        version=rows[0]["ssh_version"] or None)


def telnet_server(rows: Rows, text: str, request: FactRequest) -> ServerStatus:
    """``display telnet server status``: the IPv4 Telnet server switch."""
    if not rows:
        raise ParseError("empty output")
    return ServerStatus(enabled=_enabled(rows[0]["ipv4_server"], "Telnet server"))


_AUTHENTICATION = {"A": "aaa", "P": "password", "N": "none"}


def vty_lines(rows: Rows, text: str, request: FactRequest) -> list[VtyLine]:
    """``display user-interface``: the VTY rows (``VTY 0`` ...), Auth A/P/N, Privi."""
    lines = []
    for row in rows:
        kind, _, number = row["type"].partition(" ")
        if kind == "VTY":
            lines.append(VtyLine(number=int(number), authentication=_AUTHENTICATION.get(row["auth"]),
                                 privilege=to_int(row["privilege"])))
    return lines


def vty_transport(rows: Rows, text: str, request: FactRequest) -> list[VtyTransport]:
    """``user-interface vty 0 4`` / `` protocol inbound ssh|telnet|all`` in the configuration; lines without
    the command keep the device's default (None)."""
    result: dict[int, VtyTransport] = {}
    for header, children in config_blocks(text, "huawei_vrp"):
        words = header.split()
        if words[:2] != ["user-interface", "vty"] or len(words) < 3 or not words[2].isdigit():
            continue
        first = int(words[2])
        last = int(words[3]) if len(words) > 3 and words[3].isdigit() else first
        inbound = next((c.split()[2:] for c in children if c.startswith("protocol inbound ")), None)
        protocols = None
        if inbound is not None:
            protocols = ("ssh", "telnet") if inbound == ["all"] else tuple(p for p in inbound if p in ("ssh", "telnet"))
        for number in range(first, last + 1):
            result[number] = VtyTransport(number=number, protocols=protocols)
    return [result[n] for n in sorted(result)]


FACTS: dict[str, FactSpec] = {
    "local_users": FactSpec("display local-user", local_users),
    "ssh_server": FactSpec("display ssh server status", ssh_server),
    "telnet_server": FactSpec("display telnet server status", telnet_server),
    "vty_lines": FactSpec("display user-interface", vty_lines),
    "vty_transport": FactSpec("display current-configuration", vty_transport, parsed=False),
}
