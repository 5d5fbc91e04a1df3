"""nat_outbound, nat_static, nat_translation: NAT read from VRP and IOS configurations into one shape, and the
checks judged on it."""

from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from grader.checks import CHECK_TYPES
from grader.checks.nat import NatConfig, SourceNat, StaticNat
from grader.model.facts import FactRequest, FactValue
from grader.model.report import Outcome
from grader.platforms import get_platform

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
A = IPv4Address


def run(check_type: str, value: Any, **params: Any) -> tuple[Outcome, str]:
    check = CHECK_TYPES[check_type]
    parsed = check.Params.model_validate({"node": "r1", **params})
    facts = {r: FactValue(request=r, command="show x", value=value) for r in check.requests(parsed)}
    result = check.evaluate(parsed, facts)
    return result.outcome, result.message


VRP_CONFIG = """\
#
sysname RT
#
acl number 2000
 rule 5 permit source 192.168.0.0 0.0.255.255
#
nat address-group 1 202.0.0.3 202.0.0.4
nat address-group 2 202.0.0.5 202.0.0.6
nat static global 202.0.0.9 inside 192.168.0.9 netmask 255.255.255.255
#
interface GigabitEthernet0/0/0
 ip address 202.0.0.1 255.255.255.0
 nat static enable
 nat outbound 2010 address-group 1
 nat outbound 2020 address-group 2 no-pat
 nat server protocol tcp global current-interface 8080 inside 192.168.1.24 www
 nat server protocol tcp global 202.0.0.7 www inside 192.168.1.25 www
 nat static global 202.0.0.8 inside 10.0.0.1 netmask 255.255.255.255
#
interface GigabitEthernet0/0/1
 ip address 192.168.0.1 255.255.255.0
#
interface Dialer1
 link-protocol ppp
 nat outbound 2000
#
interface Vlanif1
 ip address 192.168.10.1 255.255.255.0
 nat server protocol tcp global interface Dialer 1 22 inside 192.168.10.2 22
#
return
"""

IOS_CONFIG = """\
!
hostname R1
!
interface Ethernet0/0
 ip address 192.168.10.1 255.255.255.0
 ip nat inside
!
interface Ethernet0/1
 ip address 192.168.20.1 255.255.255.0
 ip nat inside
!
interface Ethernet0/2
 ip address 80.80.195.2 255.255.255.252
 ip nat outside
!
ip nat pool NAT 80.80.195.65 80.80.195.69 netmask 255.255.255.192
ip nat inside source list 1 interface Ethernet0/2 overload
ip nat inside source list NAT_ACL pool NAT
ip nat inside source static tcp 192.168.10.2 22 80.80.195.130 22 extendable
ip nat inside source static 192.168.10.3 80.80.195.131
ip nat inside source static udp 192.168.10.4 53 interface Ethernet0/2 53
!
end
"""


def _nat(platform: str, text: str) -> NatConfig:
    return get_platform(platform).interpret(FactRequest.make("r1", "nat"), text)


def test_vrp_nat_from_the_configuration() -> None:
    nat = _nat("huawei_vrp", VRP_CONFIG)
    assert nat.inside_interfaces is None and nat.outside_interfaces is None
    assert nat.source == (
        SourceNat("2010", "GigabitEthernet0/0/0", False, "1", A("202.0.0.3"), A("202.0.0.4"), True),
        SourceNat("2020", "GigabitEthernet0/0/0", False, "2", A("202.0.0.5"), A("202.0.0.6"), False),
        SourceNat("2000", "Dialer1", True),
    )
    by_inside = {str(s.inside): s for s in nat.static}
    assert by_inside["192.168.1.24"] == StaticNat(A("192.168.1.24"), None, "GigabitEthernet0/0/0", "tcp", 80, 8080,
                                                  "GigabitEthernet0/0/0")
    assert (by_inside["192.168.1.25"].global_address, by_inside["192.168.1.25"].global_port) == (A("202.0.0.7"), 80)
    assert by_inside["10.0.0.1"] == StaticNat(A("10.0.0.1"), A("202.0.0.8"), interface="GigabitEthernet0/0/0")
    assert by_inside["192.168.0.9"].interface == "GigabitEthernet0/0/0"  # global, enabled on GE0/0/0
    assert by_inside["192.168.10.2"].global_interface == "Dialer1"


def test_vrp_global_static_without_nat_static_enable_is_not_enabled() -> None:
    text = VRP_CONFIG.replace(" nat static enable\n", "")
    entry = next(s for s in _nat("huawei_vrp", text).static if str(s.inside) == "192.168.0.9")
    assert not entry.enabled
    outcome, message = run("nat_static", _nat("huawei_vrp", text), inside="192.168.0.9", global_address="202.0.0.9")
    assert outcome is Outcome.FAIL and "not enabled on any interface (nat static enable)" in message


def test_ios_nat_from_the_configuration() -> None:
    nat = _nat("cisco_ios", IOS_CONFIG)
    assert nat.inside_interfaces == ("Ethernet0/0", "Ethernet0/1") and nat.outside_interfaces == ("Ethernet0/2",)
    assert nat.source == (
        SourceNat("1", "Ethernet0/2", True, overload=True),
        SourceNat("NAT_ACL", None, False, "NAT", A("80.80.195.65"), A("80.80.195.69"), overload=False),
    )
    assert nat.static == (
        StaticNat(A("192.168.10.2"), A("80.80.195.130"), None, "tcp", 22, 22),
        StaticNat(A("192.168.10.3"), A("80.80.195.131")),
        StaticNat(A("192.168.10.4"), None, "Ethernet0/2", "udp", 53, 53),
    )


@pytest.mark.parametrize(("platform", "params", "outcome", "fragment"), [
    ("huawei_vrp", {"acl": 2000, "interface": "Dialer1", "address": "interface", "pat": True}, Outcome.PASS,
     "is configured (ACL 2000 to Dialer1 address)"),
    ("huawei_vrp", {"acl": 2010, "interface": "GE0/0/0", "address": "pool", "pool_start": "202.0.0.3",
                    "pool_end": "202.0.0.4"}, Outcome.PASS, "pool 1 (202.0.0.3-202.0.0.4) on GigabitEthernet0/0/0"),
    ("huawei_vrp", {"acl": 2020, "pat": True}, Outcome.FAIL, "translates addresses only (no PAT)"),
    ("huawei_vrp", {"acl": 2010, "address": "interface"}, Outcome.FAIL,
     "uses a pool, expected the interface address"),
    ("huawei_vrp", {"acl": 2000, "interface": "GE0/0/0"}, Outcome.FAIL, "is not configured (source NAT: ACL 2010"),
    ("huawei_vrp", {"acl": 2000, "inside_interface": "GE0/0/1"}, Outcome.ERROR, "no NAT inside interfaces"),
    ("cisco_ios", {"acl": 1, "interface": "Eth0/2", "address": "interface", "pat": True, "inside_interface": "Et0/0"},
     Outcome.PASS, "is configured"),
    ("cisco_ios", {"acl": "NAT_ACL", "interface": "Ethernet0/2", "pool_start": "80.80.195.65"}, Outcome.PASS,
     "pool NAT (80.80.195.65-80.80.195.69)"),
    ("cisco_ios", {"acl": "NAT_ACL", "pat": True}, Outcome.FAIL, "translates addresses only (no PAT)"),
    ("cisco_ios", {"acl": 1, "inside_interface": "Ethernet0/3"}, Outcome.FAIL, "Ethernet0/3 is not a NAT inside"),
    ("cisco_ios", {"acl": 1, "interface": "Ethernet0/0"}, Outcome.FAIL, "is not configured"),
])
def test_nat_outbound(platform: str, params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    config = VRP_CONFIG if platform == "huawei_vrp" else IOS_CONFIG
    got, message = run("nat_outbound", _nat(platform, config), **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


def test_an_outside_mark_is_needed_for_an_interface_rule_on_ios() -> None:
    text = IOS_CONFIG.replace(" ip nat outside\n", "")
    outcome, message = run("nat_outbound", _nat("cisco_ios", text), acl=1, interface="Ethernet0/2")
    assert outcome is Outcome.FAIL and "Ethernet0/2 is not a NAT outside interface" in message


@pytest.mark.parametrize(("platform", "params", "outcome", "fragment"), [
    ("huawei_vrp", {"inside": "192.168.1.24", "global_interface": "GE0/0/0", "protocol": "tcp", "inside_port": 80,
                    "global_port": 8080}, Outcome.PASS, "tcp 192.168.1.24:80 as GigabitEthernet0/0/0 address:8080"),
    ("huawei_vrp", {"inside": "192.168.1.25", "global_address": "202.0.0.7", "inside_port": "www"}, Outcome.PASS,
     "configured"),
    ("huawei_vrp", {"inside": "192.168.1.24", "global_port": 80}, Outcome.FAIL, "has global port 8080, expected 80"),
    ("huawei_vrp", {"inside": "10.0.0.1", "global_address": "202.0.0.8", "interface": "GE0/0/1"}, Outcome.FAIL,
     "is configured on GigabitEthernet0/0/0, expected GE0/0/1"),
    ("huawei_vrp", {"inside": "10.0.0.2"}, Outcome.FAIL, "static NAT of 10.0.0.2 is not configured (static NAT: "),
    ("cisco_ios", {"inside": "192.168.10.2", "global_address": "80.80.195.130", "protocol": "tcp",
                   "inside_port": 22, "global_port": 22, "interface": "Ethernet0/2"}, Outcome.PASS, "configured"),
    ("cisco_ios", {"inside": "192.168.10.3", "global_address": "80.80.195.130"}, Outcome.FAIL,
     "maps to 80.80.195.131, expected 80.80.195.130"),
    ("cisco_ios", {"inside": "192.168.10.3", "protocol": "tcp"}, Outcome.FAIL, "maps protocol any, expected tcp"),
    ("cisco_ios", {"inside": "192.168.10.4", "global_interface": "Eth0/2", "protocol": "udp"}, Outcome.PASS, "udp"),
])
def test_nat_static(platform: str, params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    config = VRP_CONFIG if platform == "huawei_vrp" else IOS_CONFIG
    got, message = run("nat_static", _nat(platform, config), **params)
    assert got is outcome, message
    assert fragment in message


@pytest.mark.parametrize("params", [
    {"inside": "192.168.1.300"}, {"inside": "10.0.0.1", "inside_port": "webz"},
    {"inside": "10.0.0.1", "protocol": "icmp"},
])
def test_nat_static_refuses_bad_parameters(params: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CHECK_TYPES["nat_static"].Params.model_validate({"node": "r1", **params})


TRANSLATIONS = get_platform("cisco_ios").interpret(
    FactRequest.make("r1", "nat_translations"),
    (FIXTURES / "cisco_ios/show_ip_nat_translations/static_port_forward_and_simple.raw").read_text())


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({}, Outcome.PASS, "6 in use"),
    ({"inside_local": "10.1.0.2", "protocol": "tcp", "min_count": 3}, Outcome.PASS, "tcp from 10.1.0.2: 3 in use"),
    ({"inside_local": "10.1.0.2", "protocol": "tcp", "min_count": 4}, Outcome.FAIL, "3 in use, expected at least 4"),
    ({"inside_local": "192.168.1.12", "inside_global": "100.95.3.180"}, Outcome.PASS, "1 in use"),
    ({"outside": "10.2.0.2", "protocol": "icmp"}, Outcome.PASS, "icmp to 10.2.0.2"),
    ({"inside_local": "10.1.0.9"}, Outcome.FAIL, "0 in use, expected at least 1 (6 translations in all)"),
])
def test_nat_translation(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("nat_translation", TRANSLATIONS, **params)
    assert got is outcome and fragment in message, message


def test_vrp_and_ios_rules_say_the_same_thing_the_same_way() -> None:
    vrp = _nat("huawei_vrp", "interface GigabitEthernet0/0/1\n nat outbound 2000\n#\n")
    ios = _nat("cisco_ios", "interface GigabitEthernet0/0/1\n ip nat outside\n!\n"
                            "ip nat inside source list 2000 interface GigabitEthernet0/0/1 overload\n")
    assert vrp.source == ios.source
