"""Access list facts of cisco_ios: ``show access-lists`` (IPv4 and IPv6 lists together) and the lists applied to
interfaces (``show ip interface``: ``Inbound/Outgoing access list is ...``)."""

from __future__ import annotations

from typing import Any

from grader.checks.acl import Acl, AclBinding, AclRule
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.services_common import ios_entry
from grader.platforms.vendor_common import interface_name, to_int

Rows = list[dict[str, Any]]


def acls(rows: Rows, text: str, request: FactRequest) -> list[Acl]:
    """One header row per list (``Standard IP access list 1``, ``Extended IP access list NAME``, ``IPv6 access
    list X``), then its entries; reflexive ``evaluate`` entries are left out. A standard entry matches sources."""
    result: list[Acl] = []
    rules: list[AclRule] = []
    standard = False
    for row in rows:
        if not row["action"]:
            if result:
                result[-1] = Acl(result[-1].number, result[-1].name, result[-1].kind, tuple(rules))
            rules, standard = [], row["acl_type"] == "Standard"
            name = row["acl_name"]
            result.append(Acl(number=to_int(name), name=None if name.isdigit() else name,
                              kind=(row["acl_type"] or "extended").casefold()))
        elif not result:
            raise ParseError(f"entry {row['match']!r} before any access list header")
        elif row["action"] in ("permit", "deny"):
            rules.append(ios_entry(row["action"], row["match"], standard, to_int(row["sequence"]),
                                   to_int(row["matches"])))
    if result:
        result[-1] = Acl(result[-1].number, result[-1].name, result[-1].kind, tuple(rules))
    return result


def acl_bindings(rows: Rows, text: str, request: FactRequest) -> list[AclBinding]:
    """``show ip interface``: ``Inbound  access list is X`` / ``Outgoing access list is Y`` per interface."""
    result = []
    for row in rows:
        name = interface_name(row["interface"]) or row["interface"]
        if row["inbound_acl"]:
            result.append(AclBinding(interface=name, direction="inbound", acl=row["inbound_acl"]))
        if row["outgoing_acl"]:
            result.append(AclBinding(interface=name, direction="outbound", acl=row["outgoing_acl"]))
    return result


FACTS: dict[str, FactSpec] = {
    "acls": FactSpec("show access-lists", acls),
    "acl_bindings": FactSpec("show ip interface", acl_bindings),
}
