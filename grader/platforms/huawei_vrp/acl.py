"""Access list facts of huawei_vrp: ``display acl all`` (``display acl ipv6 all``) and the traffic filters
applied to interfaces (``traffic-filter`` in the running configuration)."""

from __future__ import annotations

import re
from typing import Any, cast

from grader.checks.acl import Acl, AclBinding, AclRule, Direction
from grader.errors import ParseError
from grader.model.facts import FactRequest
from grader.platforms.base import FactSpec
from grader.platforms.services_common import config_blocks, vrp_rule
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


_FILTER = re.compile(r"^traffic-filter (inbound|outbound) (?:ipv6 )?acl (?:name )?(\S+)$")


def acl_bindings(rows: Rows, text: str, request: FactRequest) -> list[AclBinding]:
    """``traffic-filter inbound|outbound [ipv6] acl [name] X`` under each interface of the configuration.

    The configuration rather than ``display traffic-filter applied-record``: it says the same for interfaces,
    and no recorded output shows what that command prints when nothing is applied."""
    result = []
    for header, children in config_blocks(text, "huawei_vrp"):
        words = header.split()
        if words[:1] != ["interface"] or len(words) != 2:
            continue
        for line in children:
            if match := _FILTER.match(line):
                result.append(AclBinding(interface=interface_name(words[1]) or words[1],
                                         direction=cast(Direction, match.group(1)), acl=match.group(2)))
    return result


FACTS: dict[str, FactSpec] = {
    "acls": FactSpec(by_family("display acl all", "display acl ipv6 all"), acls),
    "acl_bindings": FactSpec("display current-configuration", acl_bindings, parsed=False),
}
