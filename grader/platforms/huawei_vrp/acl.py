"""Access list facts of huawei_vrp: ``display acl all`` (``display acl ipv6 all``) and the traffic filters
applied to interfaces (``display traffic-filter applied-record``)."""

from __future__ import annotations

import re
from typing import Any

from grader.checks.acl import Acl, AclBinding, AclRule
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.services_common import vrp_rule
from grader.platforms.vendor_common import by_family, interface_name, to_int

Rows = list[dict[str, Any]]


def acls(rows: Rows, text: str, request: FactRequest) -> list[Acl]:
    """One header row per list (``Advanced ACL 3000``, ``Advanced ACL NAME 3998``, ``Advanced IPv6 ACL 3999
    name N``), then its rule rows. A basic rule names no protocol: it is ``ip``."""
    result: list[Acl] = []
    rules: list[AclRule] = []
    for row in rows:
        if not row["rule_id"]:
            if result:
                result[-1] = Acl(result[-1].number, result[-1].name, result[-1].kind, tuple(rules))
            rules = []
            kind = row["acl_type"].replace(" IPv6", "").casefold()
            result.append(Acl(number=to_int(row["acl_number"]), name=row["acl_name"] or None, kind=kind))
        elif not result:
            raise ParseError(f"rule {row['rule_id']} before any ACL header")
        else:
            rules.append(vrp_rule(row["action"], row["rule"], to_int(row["rule_id"]), to_int(row["matches"])))
    if result:
        result[-1] = Acl(result[-1].number, result[-1].name, result[-1].kind, tuple(rules))
    return result


_APPLIED = re.compile(r"(?i)^(?:ipv[46]\s+)?acl\s+(?:name\s+)?(\S+)$")


def acl_bindings(rows: Rows, text: str, request: FactRequest) -> list[AclBinding]:
    """The Interface table's rows (``acl 3000``, ``acl name X``, ``IPv4 ACL 4000``, ``ipv6 acl name Y``);
    traffic profiles are not interfaces and are left out."""
    result = []
    for row in rows:
        if row["table"] != "Interface":
            continue
        match = _APPLIED.match(row["acl"].strip())
        if match is None:
            raise ParseError(f"unreadable applied record {row['acl']!r}")
        result.append(AclBinding(interface=interface_name(row["applied_to"]) or row["applied_to"],
                                 direction=row["direction"].casefold(), acl=match.group(1)))
    return result


FACTS: dict[str, FactSpec] = {
    "acls": FactSpec(by_family("display acl all", "display acl ipv6 all"), acls),
    "acl_bindings": FactSpec("display traffic-filter applied-record", acl_bindings),
}
