"""Each check type: facts in, outcome and one-line message out (no devices, no parsing)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network, IPv6Address, IPv6Interface, IPv6Network
from typing import Any

import pytest

from grader.checks import CHECK_TYPES
from grader.model.facts import (
    BgpNeighbor,
    CommandRows,
    FactValue,
    Interface,
    NextHop,
    OspfNeighbor,
    PingResult,
    Route,
    RunningConfig,
)
from grader.model.report import Outcome


def run(check_type: str, value: Any, **params: Any) -> tuple[Outcome, str]:
    check = CHECK_TYPES[check_type]
    parsed = check.Params.model_validate({"node": "r1", **params})
    facts = {request: FactValue(request=request, command="show x", value=value) for request in check.requests(parsed)}
    result = check.evaluate(parsed, facts)
    return result.outcome, result.message


INTERFACES = [
    Interface("GigabitEthernet0/0/1", admin_up=True, oper_up=True, addresses=(IPv4Interface("10.0.12.1/24"),)),
    Interface("GigabitEthernet0/0/2", admin_up=False, oper_up=False),
]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"interface": "GE0/0/1", "ipv4": "10.0.12.1/24", "oper": "up"}, Outcome.PASS, "as expected"),
    ({"interface": "ge0/0/1", "ipv4": "10.0.12.1/25"}, Outcome.FAIL, "has 10.0.12.1/24, expected 10.0.12.1/25"),
    ({"interface": "GigabitEthernet0/0/2", "admin": "up"}, Outcome.FAIL, "administratively down, expected up"),
    ({"interface": "GE0/0/3"}, Outcome.FAIL, "not found"),
])
def test_interface(params: dict[str, str], outcome: Outcome, fragment: str) -> None:
    got, message = run("interface", INTERFACES, **params)
    assert got is outcome
    assert fragment in message and message.startswith("r1: ")


ROUTES = [
    Route(IPv4Network("192.168.3.0/24"), "static", (NextHop(IPv4Address("10.0.12.2"), "eth1"),)),
    Route(IPv4Network("3.3.3.3/32"), "ospf", (NextHop(IPv4Address("10.0.12.2"), "eth1"),
                                              NextHop(IPv4Address("10.0.13.3"), "eth2"))),
    Route(IPv4Network("10.9.9.0/24"), "ospf", (NextHop(IPv4Address("10.0.12.2"), "eth1"),), selected=False),
]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"prefix": "192.168.3.0/24", "protocol": "static", "next_hop": "10.0.12.2"}, Outcome.PASS, "present"),
    ({"prefix": "192.168.3.0/24", "next_hop": "10.0.12.3"}, Outcome.FAIL, "expected via 10.0.12.3"),
    ({"prefix": "192.168.3.0/24", "protocol": "ospf"}, Outcome.FAIL, "is static 192.168.3.0/24 via 10.0.12.2"),
    ({"prefix": "3.3.3.3/32", "next_hop": "10.0.13.3", "interface": "eth2"}, Outcome.PASS, "present"),
    ({"prefix": "192.168.9.0/24"}, Outcome.FAIL, "missing"),
    ({"prefix": "192.168.9.0/24", "present": False}, Outcome.PASS, "absent"),
    ({"prefix": "192.168.3.0/24", "present": False}, Outcome.FAIL, "expected absent"),
    ({"prefix": "10.9.9.0/24"}, Outcome.FAIL, "missing"),  # in the table but not selected
])
def test_route(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("route", ROUTES, **params)
    assert got is outcome, message
    assert fragment in message


NEIGHBORS = [
    OspfNeighbor(IPv4Address("2.2.2.2"), IPv4Address("10.0.12.2"), "Full", "eth1", "0.0.0.0"),
    OspfNeighbor(IPv4Address("3.3.3.3"), IPv4Address("10.0.13.3"), "Init", "eth2"),
]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"neighbor": "2.2.2.2", "interface": "eth1", "area": "0"}, Outcome.PASS, "is Full"),
    ({"neighbor": "10.0.12.2"}, Outcome.PASS, "is Full"),
    ({"neighbor": "3.3.3.3"}, Outcome.FAIL, "OSPF neighbour 3.3.3.3 is Init, expected Full"),
    ({"neighbor": "2.2.2.2", "interface": "eth2"}, Outcome.FAIL, "is on eth1, expected eth2"),
    ({"neighbor": "2.2.2.2", "area": "1"}, Outcome.FAIL, "area 0.0.0.0, expected 0.0.0.1"),
    ({"neighbor": "4.4.4.4"}, Outcome.FAIL, "not found (neighbours: 2.2.2.2 (Full), 3.3.3.3 (Init))"),
    ({"neighbor": "3.3.3.3", "state": "init"}, Outcome.PASS, "is Init"),
])
def test_ospf_neighbor(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("ospf_neighbor", NEIGHBORS, **params)
    assert got is outcome, message
    assert fragment in message


PEERS = [BgpNeighbor(IPv4Address("10.0.12.2"), 65002, "Established", 3),
         BgpNeighbor(IPv4Address("10.0.13.3"), 65003, "Active", None)]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"peer": "10.0.12.2", "remote_as": 65002, "min_prefixes": 3}, Outcome.PASS, "Established"),
    ({"peer": "10.0.12.2", "min_prefixes": 4}, Outcome.FAIL, "sent 3 prefixes, expected at least 4"),
    ({"peer": "10.0.12.2", "remote_as": 65009}, Outcome.FAIL, "remote AS 65002, expected 65009"),
    ({"peer": "10.0.13.3"}, Outcome.FAIL, "is Active, expected Established"),
    ({"peer": "10.0.14.4"}, Outcome.FAIL, "not configured"),
])
def test_bgp_neighbor(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("bgp_neighbor", PEERS, **params)
    assert got is outcome, message
    assert fragment in message


@pytest.mark.parametrize(("received", "expect", "outcome"), [
    (3, "success", Outcome.PASS), (0, "success", Outcome.FAIL),
    (0, "failure", Outcome.PASS), (1, "failure", Outcome.FAIL),
])
def test_ping(received: int, expect: str, outcome: Outcome) -> None:
    got, message = run("ping", PingResult("10.0.0.1", 3, received), target="10.0.0.1", expect=expect)
    assert got is outcome
    assert f"{received}/3 replies" in message


def test_ping_settles_on_replies_not_on_probes_sent() -> None:
    """Lab validation waits for unchanged facts: an interrupted router ping sends 3 or 4 probes from one run to
    the next, which must not count as a change; none, some or all of them answered does."""
    from grader.checks.registry import FACT_KINDS

    view = FACT_KINDS["ping"].settle_view
    assert view is not None
    assert view(PingResult("2001:db8:3::1", 3, 0)) == view(PingResult("2001:db8:3::1", 4, 0))
    assert view(PingResult("2001:db8:3::1", 3, 3)) == view(PingResult("2001:db8:3::1", 4, 4))
    assert len({view(PingResult("t", 3, n)) for n in (0, 1, 3)}) == 3


FRR_CONFIG = """frr version 8.4.4
frr defaults traditional
hostname R1
!
interface eth1
 ip address 10.0.12.1/24
 ip ospf network point-to-point
exit
!
interface eth2
 ip address 192.168.1.1/24
 ip ospf passive
exit
!
router ospf
 ospf router-id 1.1.1.1
 network 10.0.12.0/24 area 0
exit
!
"""

VRP_CONFIG = """#
sysname R1
#
interface GigabitEthernet0/0/1
 ip address 10.0.12.1 255.255.255.0
#
ospf 1 router-id 1.1.1.1
 area 0.0.0.0
  network 10.0.12.0 0.0.0.255
#
return
"""


@pytest.mark.parametrize(("config", "params", "outcome", "fragment"), [
    (RunningConfig(FRR_CONFIG, "R1"), {"section": "router ospf", "contains": r"ospf router-id 1\.1\.1\.1"},
     Outcome.PASS, "as expected"),
    (RunningConfig(FRR_CONFIG, "R1"), {"section": "interface eth1", "contains": "ip ospf passive"},
     Outcome.FAIL, "missing 'ip ospf passive'"),
    (RunningConfig(FRR_CONFIG, "R1"), {"section": "interface eth2", "contains": "ip ospf passive"},
     Outcome.PASS, "as expected"),
    (RunningConfig(FRR_CONFIG, "R1"), {"section": "router bgp", "contains": "x"}, Outcome.FAIL, "no section"),
    (RunningConfig(FRR_CONFIG, "R1"), {"lacks": "ip route .*"}, Outcome.PASS, "as expected"),
    (RunningConfig(FRR_CONFIG, "R1"), {"section": "router ospf", "lacks": "network .* area 0"}, Outcome.FAIL,
     "has 'network 10.0.12.0/24 area 0'"),
    (RunningConfig(VRP_CONFIG, "R1", dialect="huawei_vrp"),
     {"section": ["ospf 1", "area 0.0.0.0"], "contains": r"network 10\.0\.12\.0 0\.0\.0\.255"}, Outcome.PASS,
     "as expected"),
    (RunningConfig(VRP_CONFIG, "R1", dialect="huawei_vrp"),
     {"section": ["ospf 1", "area 0.0.0.1"], "contains": "network .*"}, Outcome.FAIL, "no section"),
    (RunningConfig(VRP_CONFIG, "R1", dialect="huawei_vrp"),
     {"section": "interface GE0/0/1", "contains": r"ip address 10\.0\.12\.1 255\.255\.255\.0"}, Outcome.PASS,
     "as expected"),
])
def test_config(config: RunningConfig, params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("config", config, **params)
    assert got is outcome, message
    assert fragment in message


def test_hostname() -> None:
    assert run("hostname", RunningConfig("", "R1"), name="R1")[0] is Outcome.PASS
    outcome, message = run("hostname", RunningConfig("", "r1"), name="R1")
    assert outcome is Outcome.FAIL and message == "r1: hostname is r1, expected R1"


VRRP = """VRID  State    Interface          Type     Virtual IP
10    Master   GE0/0/1            Normal   10.0.0.254
20    Backup   GE0/0/2            Normal   10.0.1.254
"""


@pytest.mark.parametrize(("params", "outcome"), [
    ({"rows": [{"vrid": "10", "state": "master"}]}, Outcome.PASS),
    ({"rows": [{"vrid": "20", "state": "Master"}]}, Outcome.FAIL),
    ({"absent": [{"state": "Initialize"}], "min_rows": 2}, Outcome.PASS),
    ({"min_rows": 3}, Outcome.FAIL),
])
def test_command_with_regex(params: dict[str, Any], outcome: Outcome) -> None:
    regex = r"^(?P<vrid>\d+)\s+(?P<state>\S+)\s+(?P<interface>\S+)"
    got, message = run("command", CommandRows("display vrrp brief", VRRP), command="display vrrp brief",
                       regex=regex, **params)
    assert got is outcome, message


def test_missing_or_broken_fact_is_error_never_pass() -> None:
    check = CHECK_TYPES["route"]
    params = check.Params.model_validate({"node": "r1", "prefix": "10.0.0.0/8", "present": False})
    request = check.requests(params)[0]
    assert check.evaluate(params, {}).outcome is Outcome.ERROR
    broken = {request: FactValue(request=request, command="show ip route", error="timeout")}
    result = check.evaluate(params, broken)
    assert result.outcome is Outcome.ERROR
    assert result.message == "r1: 'show ip route': timeout"


@pytest.mark.parametrize("check_type", sorted(CHECK_TYPES))
def test_misspelt_parameter_is_rejected(check_type: str) -> None:
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        CHECK_TYPES[check_type].Params.model_validate({"node": "r1", "nodee": "x"})


# --- facts of either address family --------------------------------------------------------------------------

ROUTES_V6 = [
    Route(IPv6Network("2001:db8:3::/64"), "ospf", (NextHop(IPv6Address("fe80::2"), "eth1"),)),
    Route(IPv6Network("::/0"), "static", (NextHop(IPv6Address("2001:db8:12::2"), None),)),
]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"prefix": "2001:db8:3::/64", "protocol": "ospf", "next_hop": "fe80::2"}, Outcome.PASS, "present"),
    ({"prefix": "2001:db8:3::/64", "next_hop": "fe80::9"}, Outcome.FAIL, "expected via fe80::9"),
    ({"prefix": "::/0", "interface": "eth2"}, Outcome.FAIL, "expected out eth2"),
    ({"prefix": "2001:db8:9::/64", "present": False}, Outcome.PASS, "absent, as expected"),
])
def test_route_ipv6(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("route", ROUTES_V6, **params)
    assert got is outcome and fragment in message, message


def test_route_requests_name_the_family_only_for_ipv6() -> None:
    check = CHECK_TYPES["route"]
    v4 = check.requests(check.Params.model_validate({"node": "r1", "prefix": "10.0.0.0/8"}))[0]
    v6 = check.requests(check.Params.model_validate({"node": "r1", "prefix": "2001:db8::/32"}))[0]
    assert v4.args == () and v6.arg("family") == "ipv6"


def test_an_ipv4_prefix_never_matches_an_ipv6_route() -> None:
    got, _ = run("route", ROUTES_V6, prefix="0.0.0.0/0")
    assert got is Outcome.FAIL


def test_bgp_and_ospf_neighbours_of_ipv6() -> None:
    peers = [BgpNeighbor(IPv6Address("2001:db8:12::2"), 65002, "Established", 3)]
    assert run("bgp_neighbor", peers, peer="2001:db8:12::2", remote_as=65002, min_prefixes=2)[0] is Outcome.PASS
    assert run("bgp_neighbor", peers, peer="2001:db8:12::3")[0] is Outcome.FAIL
    neighbours = [OspfNeighbor(IPv4Address("2.2.2.2"), IPv6Address("fe80::2"), "Full", "eth1")]
    assert run("ospf_neighbor", neighbours, neighbor="fe80::2")[0] is Outcome.PASS
    assert run("ospf_neighbor", neighbours, neighbor="2.2.2.2", interface="eth1")[0] is Outcome.PASS


def test_interface_with_both_families_is_judged_on_the_family_asked() -> None:
    both = [Interface("eth1", True, True, (IPv4Interface("10.0.12.1/24"), IPv6Interface("2001:db8:12::1/64"),
                                            IPv6Interface("fe80::1/64")))]
    assert run("interface", both, interface="eth1", ipv4="10.0.12.1/24")[0] is Outcome.PASS
    got, message = run("interface", both, interface="eth1", ipv4="10.0.12.9/24")
    assert got is Outcome.FAIL and "has 10.0.12.1/24, expected 10.0.12.9/24" in message


def test_platform_without_an_ipv6_table_says_so() -> None:
    from grader.errors import UnsupportedError
    from grader.model.facts import FactRequest
    from grader.platforms import get_platform

    with pytest.raises(UnsupportedError, match="IPv6"):
        get_platform("huawei_vrp").command_for(FactRequest.make("r1", "routes", family="ipv6", vrf="vpna"))


def test_a_neighbour_seen_on_two_interfaces_is_named_on_both() -> None:
    twice = [OspfNeighbor(IPv4Address("2.2.2.2"), IPv4Address("10.0.12.2"), "Full", "eth1"),
             OspfNeighbor(IPv4Address("2.2.2.2"), IPv4Address("10.0.21.2"), "Init", "eth2")]
    got, message = run("ospf_neighbor", twice, neighbor="2.2.2.2", interface="eth3")
    assert got is Outcome.FAIL
    assert "seen on eth1, eth2" in message and "expected on eth3" in message
    got, message = run("ospf_neighbor", twice, neighbor="2.2.2.2", interface="eth2")
    assert got is Outcome.FAIL and "on eth2: is Init, expected Full" in message and "eth1" in message
    assert run("ospf_neighbor", twice, neighbor="2.2.2.2", interface="eth1")[0] is Outcome.PASS
