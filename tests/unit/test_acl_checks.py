"""The acl and acl_applied checks: the structured match model, its parameters, VRP and IOS rule text read the
same way, and the checks' outcomes and messages."""

from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from grader.checks import CHECK_TYPES
from grader.checks.acl import Acl, AclBinding, AddressMatch, PortMatch, parse_address_param, parse_port_param
from grader.model.facts import FactRequest, FactValue
from grader.model.report import Outcome
from grader.platforms import get_platform
from grader.platforms.services_common import ios_entry, vrp_rule

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def run(check_type: str, value: Any, **params: Any) -> tuple[Outcome, str]:
    check = CHECK_TYPES[check_type]
    parsed = check.Params.model_validate({"node": "r1", **params})
    facts = {r: FactValue(request=r, command="show x", value=value) for r in check.requests(parsed)}
    result = check.evaluate(parsed, facts)
    return result.outcome, result.message


@pytest.mark.parametrize(("text", "shown"), [
    ("any", "any"),
    ("host 10.1.1.1", "host 10.1.1.1"),
    ("10.1.1.1", "host 10.1.1.1"),
    ("192.168.1.0/24", "192.168.1.0/24"),
    ("192.168.1.77 0.0.0.255", "192.168.1.0/24"),  # host bits under the wildcard do not count
    ("10.0.0.0 0.255.0.255", "10.0.0.0 0.255.0.255"),  # not contiguous: stays a wildcard
    ("0.0.0.0 255.255.255.255", "any"),
    ("2001:db8::/32", "2001:db8::/32"),
])
def test_address_forms_normalise(text: str, shown: str) -> None:
    assert str(parse_address_param(text)) == shown


def test_prefix_and_wildcard_and_vrp_zero_are_the_same_match() -> None:
    assert parse_address_param("192.168.1.0/24") == parse_address_param("192.168.1.0 0.0.0.255")
    assert vrp_rule("permit", "source 10.1.1.1 0").source == AddressMatch.host(IPv4Address("10.1.1.1"))
    assert parse_address_param("10.1.1.0/24") != parse_address_param("10.1.1.0/25")


@pytest.mark.parametrize(("value", "expected"), [
    (80, PortMatch("eq", (80,))), ("www", PortMatch("eq", (80,))), ("eq 22", PortMatch("eq", (22,))),
    ("gt 1023", PortMatch("gt", (1023,))), ("range 1000 2000", PortMatch("range", (1000, 2000))),
])
def test_port_forms(value: int | str, expected: PortMatch) -> None:
    assert parse_port_param(value) == expected


@pytest.mark.parametrize("params", [
    {"acl": "3000", "source": "10.1.1.0 mask 24"},
    {"acl": "3000", "source": "300.1.1.1"},
    {"acl": "3000", "destination_port": "range 90 80"},
    {"acl": "3000", "destination_port": "webby"},
    {"acl": "3000", "protocol": "999"},
    {"acl": "3000; reload", "action": "deny"},
    {"acl": "3000", "action": "drop"},
])
def test_bad_acl_parameters_are_refused(params: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        CHECK_TYPES["acl"].Params.model_validate({"node": "r1", **params})


def test_vrp_rule_and_ios_entry_saying_the_same_thing_are_equal() -> None:
    vrp = vrp_rule("deny", "tcp source 192.168.1.0 0.0.0.255 destination 10.0.0.5 0 destination-port eq www")
    ios = ios_entry("deny", "tcp 192.168.1.0 0.0.0.255 host 10.0.0.5 eq 80", standard=False)
    fields = ("action", "protocol", "source", "destination", "source_port", "destination_port")
    assert all(getattr(vrp, f) == getattr(ios, f) for f in fields)
    basic = vrp_rule("permit", "source 192.168.1.0 0.0.0.255")
    standard = ios_entry("permit", "192.168.1.0, wildcard bits 0.0.0.255", standard=True)
    assert all(getattr(basic, f) == getattr(standard, f) for f in fields)
    assert (basic.protocol, str(basic.destination)) == ("ip", "any")


def test_unreadable_fields_never_match() -> None:
    rule = ios_entry("permit", "udp object-group SRC host 10.1.2.3 eq domain", standard=False)
    assert rule.source is None and str(rule.destination) == "host 10.1.2.3"
    acl = Acl(101, None, "extended", (rule,))
    assert run("acl", [acl], acl=101, source="any")[0] is Outcome.FAIL
    assert run("acl", [acl], acl=101, destination="10.1.2.3", destination_port="domain")[0] is Outcome.PASS


VRP_ACLS = get_platform("huawei_vrp").interpret(
    FactRequest.make("r1", "acls"), (FIXTURES / "huawei_vrp/display_acl_all/ar_basic_advanced_named.raw").read_text())
IOS_ACLS = get_platform("cisco_ios").interpret(
    FactRequest.make("r1", "acls"), (FIXTURES / "cisco_ios/show_ip_access-lists/several_lists.raw").read_text())


@pytest.mark.parametrize(("acls", "params", "outcome", "fragment"), [
    (VRP_ACLS, {"acl": 3998, "action": "deny", "protocol": "tcp", "destination": "192.214.198.156",
                "destination_port": "www"}, Outcome.PASS, "has 10 deny tcp destination 192.214.198.156 0"),
    (VRP_ACLS, {"acl": "REGLE_NAT", "action": "deny", "destination": "192.23.0.0/16",
                "destination_port": "range 50 80"}, Outcome.PASS, "ACL REGLE_NAT has 15 deny"),
    (VRP_ACLS, {"acl": 2000, "action": "permit", "source": "10.0.0.0/8"}, Outcome.PASS,
     "has 25 permit source 10.0.0.0 0.255.255.255"),
    (VRP_ACLS, {"acl": 2000, "action": "deny", "source": "10.0.0.0/8"}, Outcome.FAIL,
     "no rule matching deny from 10.0.0.0/8 (rules: 5 permit source"),
    (VRP_ACLS, {"acl": 2000, "action": "deny", "absent": True}, Outcome.PASS, "as expected"),
    (VRP_ACLS, {"acl": 2000, "source": "host 85.14.167.234", "absent": True}, Outcome.FAIL,
     "has 5 permit source 85.14.167.234 0, expected no rule"),
    (VRP_ACLS, {"acl": 3001, "action": "permit"}, Outcome.FAIL, "ACL 3001 does not exist (lists: 2000, 2500"),
    (VRP_ACLS, {"acl": 3001, "absent": True}, Outcome.PASS, "does not exist"),
    (IOS_ACLS, {"acl": 99, "action": "permit", "source": "10.0.10.0 0.255.0.255"}, Outcome.PASS, "30 permit"),
    (IOS_ACLS, {"acl": "sample", "protocol": "tcp", "source": "10.10.37.24/29", "destination": "10.3.140.64/27",
                "destination_port": "range 9821 9823"}, Outcome.PASS, "600 permit tcp"),
    (IOS_ACLS, {"acl": 101, "protocol": "udp", "destination_port": "eq 16384"}, Outcome.FAIL, "no rule matching"),
])
def test_acl_check(acls: list[Acl], params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("acl", acls, **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


def test_ipv6_addresses_ask_for_the_ipv6_lists() -> None:
    check = CHECK_TYPES["acl"]
    params = check.Params.model_validate({"node": "r1", "acl": 3999, "source": "2a01:728::/29"})
    assert check.requests(params) == [FactRequest.make("r1", "acls", family="ipv6")]
    assert get_platform("huawei_vrp").command_for(check.requests(params)[0]) == "display acl ipv6 all"


BINDINGS = [AclBinding("GigabitEthernet0/0/1", "inbound", "3000"), AclBinding("Vlanif10", "outbound", "BLOCK")]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"interface": "GE0/0/1", "direction": "in", "acl": 3000}, Outcome.PASS, "filtered by ACL 3000"),
    ({"interface": "GE0/0/1", "direction": "outbound", "acl": 3000}, Outcome.FAIL,
     "expected ACL 3000, interface has inbound 3000"),
    ({"interface": "Vlanif10", "direction": "out", "acl": "OTHER"}, Outcome.FAIL, "interface has outbound BLOCK"),
    ({"interface": "GE0/0/2", "direction": "in", "acl": 3000}, Outcome.FAIL, "interface has no ACL"),
])
def test_acl_applied(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("acl_applied", BINDINGS, **params)
    assert got is outcome and fragment in message, message


def test_acl_applied_refuses_an_unknown_direction() -> None:
    with pytest.raises(ValidationError, match="not a direction"):
        CHECK_TYPES["acl_applied"].Params.model_validate(
            {"node": "r1", "interface": "g0/1", "direction": "both", "acl": 1})


def test_ios_bindings_come_from_show_ip_interface() -> None:
    text = (FIXTURES / "cisco_ios/show_ip_interface/secondary_address.raw").read_text()
    bindings = get_platform("cisco_ios").interpret(FactRequest.make("r1", "acl_bindings"), text)
    assert [(b.direction, b.acl) for b in bindings] == [("inbound", "ACL-IN"), ("outbound", "ACL-OUT")]
    assert get_platform("cisco_ios").command_for(FactRequest.make("r1", "acl_bindings")) == "show ip interface"


VRP_FILTERS = """\
#
interface GigabitEthernet0/0/0
 ip address 10.0.12.1 255.255.255.0
 traffic-filter inbound acl 3000
 traffic-filter outbound acl name WEB_ONLY
#
interface Vlanif3
 traffic-filter inbound ipv6 acl 3001
#
acl number 3000
 rule 5 deny ip source 192.168.1.0 0.0.0.255
#
return
"""


def test_vrp_bindings_come_from_the_configuration() -> None:
    bindings = get_platform("huawei_vrp").interpret(FactRequest.make("r1", "acl_bindings"), VRP_FILTERS)
    assert bindings == [AclBinding("GigabitEthernet0/0/0", "inbound", "3000"),
                        AclBinding("GigabitEthernet0/0/0", "outbound", "WEB_ONLY"),
                        AclBinding("Vlanif3", "inbound", "3001")]
    assert run("acl_applied", bindings, interface="GE0/0/0", direction="out", acl="WEB_ONLY")[0] is Outcome.PASS
