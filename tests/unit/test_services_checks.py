"""vrrp, hsrp, dhcp_pool, dhcp_leases, dhcp_relay: checks on facts, parameter validation, and the normalisers
that read pools from VRP and IOS configurations."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from grader.checks import CHECK_TYPES
from grader.checks.services import (
    AddressRange,
    DhcpBinding,
    DhcpLeases,
    DhcpPool,
    DhcpRelay,
    RedundancyGroup,
    parse_lease,
)
from grader.model.facts import FactRequest, FactValue
from grader.model.report import Outcome
from grader.platforms import get_platform

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def run(check_type: str, value: Any, **params: Any) -> tuple[Outcome, str]:
    return run_facts(check_type, {kind: value for kind in CHECK_TYPES[check_type].fact_kinds}, **params)


def run_facts(check_type: str, values: dict[str, Any], **params: Any) -> tuple[Outcome, str]:
    check = CHECK_TYPES[check_type]
    parsed = check.Params.model_validate({"node": "r1", **params})
    facts = {r: FactValue(request=r, command=f"show {r.kind}", value=values[r.kind]) for r in check.requests(parsed)}
    result = check.evaluate(parsed, facts)
    return result.outcome, result.message


V4, V6 = IPv4Address, IPv6Address
GROUPS = [
    RedundancyGroup("Vlanif10", 1, "Master", (V4("10.1.1.254"),), priority=120, preempt=True, preempt_delay=20),
    RedundancyGroup("Vlanif20", 2, "Backup", (V4("10.1.2.254"),), priority=100, preempt=False),
    RedundancyGroup("Vlanif30", 2, "Master", (V4("10.1.3.254"),), priority=100, preempt=True),
    RedundancyGroup("Vlan33", 10, "Master", (V4("17.0.0.154"),), priority=150, preempt=True),
    RedundancyGroup("Vlan33", 10, "Backup", (V6("fe80::1"),), priority=150, preempt=True),
    RedundancyGroup("100GE1/0/4", 7, "Master", (V4("10.10.3.111"),)),
]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"vrid": 1, "state": "master", "virtual_ip": "10.1.1.254", "priority": 120, "preempt": True,
      "preempt_delay": 20}, Outcome.PASS, "VRRP group 1 is Master as expected"),
    ({"vrid": 1, "interface": "vlanif10", "state": "Backup"}, Outcome.FAIL, "is Master, expected Backup"),
    ({"vrid": 1, "priority": 100, "preempt_delay": 0}, Outcome.FAIL,
     "has priority 120, expected 100; has preemption delay 20, expected 0"),
    ({"vrid": 2, "interface": "Vlanif20", "preempt": True}, Outcome.FAIL, "has preemption off, expected on"),
    ({"vrid": 2, "interface": "Vlanif20", "preempt_delay": 10}, Outcome.FAIL,
     "has preemption off, expected it on with a delay of 10 s"),
    ({"vrid": 2, "state": "Master"}, Outcome.ERROR, "exists on Vlanif20, Vlanif30: the check must name"),
    ({"vrid": 10, "state": "Master"}, Outcome.PASS, "is Master"),  # the IPv4 group of a VRRPv3 pair
    ({"vrid": 10, "virtual_ip": "fe80::1", "state": "Backup"}, Outcome.PASS, "is Backup"),
    ({"vrid": 3}, Outcome.FAIL, "VRRP group 3 is not configured (groups: 1 on Vlanif10"),
    ({"vrid": 1, "virtual_ip": "10.1.1.1"}, Outcome.FAIL, "has virtual IP 10.1.1.254, expected 10.1.1.1"),
    ({"vrid": 7, "priority": 120}, Outcome.ERROR, "does not show the priority"),  # CE's table
    ({"vrid": 7, "state": "Backup", "priority": 120}, Outcome.FAIL, "is Master, expected Backup"),
])
def test_vrrp(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("vrrp", GROUPS, **params)
    assert got is outcome, message
    assert fragment in message and message.startswith("r1: ")


@pytest.mark.parametrize("params", [
    {"vrid": 0}, {"vrid": 256}, {"vrid": 1, "state": "Active"}, {"vrid": 1, "priority": 0},
    {"vrid": 1, "virtual_ip": "10.1.1"}, {"vrid": 1, "preempt_delay": -1},
])
def test_vrrp_refuses_bad_parameters(params: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CHECK_TYPES["vrrp"].Params.model_validate({"node": "r1", **params})


def test_hsrp_reads_show_standby_brief() -> None:
    text = (FIXTURES / "cisco_ios/show_standby_brief/svi_active_no_preempt.raw").read_text()
    groups = get_platform("cisco_ios").interpret(FactRequest.make("r1", "hsrp_groups"), text)
    assert run("hsrp", groups, group=1, interface="Vlan172", state="active", priority=105)[0] is Outcome.PASS
    outcome, message = run("hsrp", groups, group=1, preempt=True)
    assert outcome is Outcome.FAIL and "has preemption off, expected on" in message
    with pytest.raises(ValidationError, match="unknown state"):
        CHECK_TYPES["hsrp"].Params.model_validate({"node": "r1", "group": 1, "state": "Master"})


def test_vrp_running_priority_differs_from_the_configured_one() -> None:
    text = (FIXTURES / "huawei_vrp/display_vrrp/ar_ensp_bfd_track_running_priority.raw").read_text()
    groups = get_platform("huawei_vrp").interpret(FactRequest.make("r1", "vrrp_groups"), text)
    assert run("vrrp", groups, vrid=1, priority=140, state="Master")[0] is Outcome.PASS
    assert run("vrrp", groups, vrid=1, priority=100)[0] is Outcome.FAIL


# ---- DHCP ---------------------------------------------------------------------------------------------------

VRP_CONFIG = """\
#
sysname R1
#
dhcp enable
#
ip pool dhcpserver01
 gateway-list 10.0.0.1
 network 10.0.0.0 mask 255.255.255.0
 excluded-ip-address 10.0.0.2 10.0.0.9
 excluded-ip-address 10.0.0.200
 lease day 0 hour 1 minute 0
 dns-list 114.114.114.114 8.8.8.8
#
ip pool forever
 network 10.9.0.0 mask 255.255.0.0
 lease unlimited
#
interface GigabitEthernet0/0/0
 ip address 192.168.100.1 255.255.255.0
 ip address 192.168.200.1 255.255.255.0 sub
 dhcp select interface
 dhcp server excluded-ip-address 192.168.100.254
 dhcp server lease day 30 hour 0 minute 0
 dhcp server dns-list 114.114.114.114
#
interface GigabitEthernet0/0/1
 ip address 10.0.0.1 255.255.255.0
 dhcp select global
#
return
"""

IOS_CONFIG = """\
!
hostname R1
!
ip dhcp excluded-address 192.168.1.1 192.168.1.10
ip dhcp excluded-address 192.168.2.1
!
ip dhcp pool LAN
 network 192.168.1.0 255.255.255.0
 default-router 192.168.1.1
 dns-server 8.8.8.8 1.1.1.1
 lease 0 8
!
ip dhcp pool GUESTS
 network 192.168.2.0 /24
 default-router 192.168.2.1
 lease infinite
!
end
"""


def _pools(platform: str, text: str) -> list[DhcpPool]:
    return get_platform(platform).interpret(FactRequest.make("r1", "dhcp_pools"), text)


def test_vrp_pools_from_the_configuration() -> None:
    pools = {p.name: p for p in _pools("huawei_vrp", VRP_CONFIG)}
    assert set(pools) == {"dhcpserver01", "forever", "GigabitEthernet0/0/0"}
    glob = pools["dhcpserver01"]
    assert (glob.network, glob.gateways, glob.lease) == (IPv4Network("10.0.0.0/24"), (V4("10.0.0.1"),), 3600)
    assert glob.dns_servers == (V4("114.114.114.114"), V4("8.8.8.8"))
    assert glob.excluded == (AddressRange(V4("10.0.0.2"), V4("10.0.0.9")), AddressRange(V4("10.0.0.200"),
                                                                                        V4("10.0.0.200")))
    assert pools["forever"].lease is None and pools["forever"].gateways == ()
    own = pools["GigabitEthernet0/0/0"]
    assert (own.network, own.gateways, own.lease, own.interface) == (
        IPv4Network("192.168.100.0/24"), (V4("192.168.100.1"),), 30 * 86400, "GigabitEthernet0/0/0")


def test_ios_pools_from_the_configuration() -> None:
    pools = {p.name: p for p in _pools("cisco_ios", IOS_CONFIG)}
    lan, guests = pools["LAN"], pools["GUESTS"]
    assert (lan.network, lan.gateways, lan.lease) == (IPv4Network("192.168.1.0/24"), (V4("192.168.1.1"),), 8 * 3600)
    assert lan.excluded == (AddressRange(V4("192.168.1.1"), V4("192.168.1.10")),)
    assert guests.excluded == (AddressRange(V4("192.168.2.1"), V4("192.168.2.1")),) and guests.lease is None


@pytest.mark.parametrize(("platform", "config", "params", "outcome", "fragment"), [
    ("huawei_vrp", VRP_CONFIG, {"pool": "dhcpserver01", "network": "10.0.0.0/24", "gateway": "10.0.0.1",
                                "dns_servers": ["8.8.8.8"], "lease": "1h", "excluded": ["10.0.0.3-10.0.0.5"]},
     Outcome.PASS, "is as expected"),
    ("huawei_vrp", VRP_CONFIG, {"pool": "GE0/0/0", "gateway": "192.168.100.1", "lease": "30d"}, Outcome.PASS,
     "as expected"),
    ("huawei_vrp", VRP_CONFIG, {"pool": "dhcpserver01", "lease": "1d", "excluded": ["10.0.0.1"]}, Outcome.FAIL,
     "leases for 1h, expected 1d; excludes 10.0.0.2-10.0.0.9, 10.0.0.200, expected 10.0.0.1 excluded"),
    ("huawei_vrp", VRP_CONFIG, {"pool": "forever", "lease": "unlimited", "gateway": "10.9.0.1"}, Outcome.FAIL,
     "gives gateway none, expected 10.9.0.1"),
    ("cisco_ios", IOS_CONFIG, {"pool": "LAN", "dns_servers": ["1.1.1.1", "9.9.9.9"]}, Outcome.FAIL,
     "gives DNS 8.8.8.8, 1.1.1.1, expected 9.9.9.9"),
    ("cisco_ios", IOS_CONFIG, {"pool": "LAN", "network": "192.168.1.0/25"}, Outcome.FAIL,
     "serves 192.168.1.0/24, expected 192.168.1.0/25"),
    ("cisco_ios", IOS_CONFIG, {"pool": "lan"}, Outcome.FAIL, "DHCP pool lan is not configured (pools: LAN, GUESTS)"),
])
def test_dhcp_pool(platform: str, config: str, params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("dhcp_pool", _pools(platform, config), **params)
    assert got is outcome, message
    assert fragment in message


@pytest.mark.parametrize(("value", "seconds"), [("1d", 86400), ("2d12h", 216000), ("8h", 28800), ("30m", 1800),
                                                ("unlimited", None), ("infinite", None), ("1 day", 86400)])
def test_lease_forms(value: str, seconds: int | None) -> None:
    assert parse_lease(value) == seconds


@pytest.mark.parametrize("params", [{"pool": "LAN", "lease": "soon"},
                                    {"pool": "LAN", "excluded": ["10.0.0.9-10.0.0.1"]},
                                    {"pool": "bad name"}, {"pool": "LAN", "gateway": "10.0.0"}])
def test_dhcp_pool_refuses_bad_parameters(params: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CHECK_TYPES["dhcp_pool"].Params.model_validate({"node": "r1", **params})


BINDINGS = [DhcpBinding(V4("10.0.0.254"), "5489-9896-1395"), DhcpBinding(V4("10.0.0.253"))]


@pytest.mark.parametrize(("values", "params", "outcome", "fragment"), [
    ({"dhcp_leases": DhcpLeases("p1", 2)}, {"pool": "p1"}, Outcome.PASS, "has 2 leased"),
    ({"dhcp_leases": DhcpLeases("p1", 0)}, {"pool": "p1"}, Outcome.FAIL, "has leased 0, expected at least 1"),
    ({"dhcp_leases": DhcpLeases("p1", 2)}, {"pool": "p1", "min_leases": 3}, Outcome.FAIL, "expected at least 3"),
    ({"dhcp_leases": None}, {"pool": "p9"}, Outcome.FAIL, "DHCP pool p9 does not exist"),
    ({"dhcp_bindings": BINDINGS}, {"pool": "p1", "client": "10.0.0.254"}, Outcome.PASS, "10.0.0.254 leased"),
    ({"dhcp_bindings": BINDINGS}, {"pool": "p1", "client": "10.0.0.9"}, Outcome.FAIL,
     "has not leased 10.0.0.9 (leased: 10.0.0.254, 10.0.0.253)"),
    ({"dhcp_leases": DhcpLeases("p1", 2), "dhcp_bindings": BINDINGS},
     {"pool": "p1", "client": "10.0.0.253", "min_leases": 2}, Outcome.PASS, "has 2 leased, 10.0.0.253 leased"),
])
def test_dhcp_leases(values: dict[str, Any], params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run_facts("dhcp_leases", values, **params)
    assert got is outcome and fragment in message, message


def test_dhcp_leases_asks_only_for_what_it_judges() -> None:
    check = CHECK_TYPES["dhcp_leases"]

    def kinds(**params: str) -> list[str]:
        return [r.kind for r in check.requests(check.Params.model_validate({"node": "r1", "pool": "p", **params}))]

    assert kinds(client="10.0.0.1") == ["dhcp_bindings"]
    assert kinds() == ["dhcp_leases"]


@pytest.mark.parametrize(("pool", "used", "command"), [
    ("pool1", False, "display ip pool name pool1"),
    ("Vlanif10", False, "display ip pool interface Vlanif10"),
    ("GigabitEthernet0/0/0", True, "display ip pool interface GigabitEthernet0/0/0 used"),
    ("server01", True, "display ip pool name server01 used"),
])
def test_vrp_pool_commands(pool: str, used: bool, command: str) -> None:
    kind = "dhcp_bindings" if used else "dhcp_leases"
    assert get_platform("huawei_vrp").command_for(FactRequest.make("r1", kind, pool=pool)) == command


def test_vrp_missing_pool_is_an_answer_and_other_rejections_are_errors() -> None:
    vrp = get_platform("huawei_vrp")
    request = FactRequest.make("r1", "dhcp_leases", pool="nope")
    assert vrp.interpret(request, "Error: The pool does not exist.\n") is None
    assert vrp.interpret(FactRequest.make("r1", "dhcp_bindings", pool="nope"), "Info: The pool does not exist.\n") \
        is None
    with pytest.raises(Exception, match="rejected the command: Error: Unrecognized command"):
        vrp.interpret(request, "              ^\nError: Unrecognized command found at '^' position.\n")


def test_ios_leases_pick_the_requested_pool() -> None:
    text = (FIXTURES / "cisco_ios/show_ip_dhcp_pool/two_pools_iol.raw").read_text()
    ios = get_platform("cisco_ios")
    assert ios.interpret(FactRequest.make("r1", "dhcp_leases", pool="R1_Management_LAN"), text) == \
        DhcpLeases("R1_Management_LAN", 0)
    assert ios.interpret(FactRequest.make("r1", "dhcp_leases", pool="OTHER"), text) is None


RELAYS = [DhcpRelay("GigabitEthernet0/0/1", (V4("172.16.0.100"),)), DhcpRelay("Vlanif20", (), "HW")]


@pytest.mark.parametrize(("params", "outcome", "fragment"), [
    ({"interface": "GE0/0/1", "server": "172.16.0.100"}, Outcome.PASS, "relays DHCP to 172.16.0.100"),
    ({"interface": "GE0/0/1", "server": "172.16.0.1"}, Outcome.FAIL, "to 172.16.0.100, expected 172.16.0.1"),
    ({"interface": "Vlanif20"}, Outcome.PASS, "relays DHCP to server group HW"),
    ({"interface": "Vlanif20", "server": "10.1.1.1"}, Outcome.FAIL, "server group HW, expected 10.1.1.1"),
    ({"interface": "GE0/0/2"}, Outcome.FAIL, "does not relay DHCP (relaying: GigabitEthernet0/0/1, Vlanif20)"),
])
def test_dhcp_relay(params: dict[str, Any], outcome: Outcome, fragment: str) -> None:
    got, message = run("dhcp_relay", RELAYS, **params)
    assert got is outcome and fragment in message, message


def test_ios_relays_are_helper_addresses() -> None:
    text = (FIXTURES / "cisco_ios/show_ip_interface_Vlan301/helpers_named_acls.raw").read_text()
    relays = get_platform("cisco_ios").interpret(FactRequest.make("r1", "dhcp_relays"), text)
    assert [(r.interface, r.servers[0], len(r.servers)) for r in relays] == [("Vlan301", V4("10.70.7.32"), 2)]
    assert run("dhcp_relay", relays, interface="Vlan301", server="10.70.7.32")[0] is Outcome.PASS


def test_ios_vrrp_reads_a_preemption_delay() -> None:
    # "vrrp 1 preempt delay minimum 380" prints "Preemption enabled, delay min 380 secs" (Cisco's VRRP
    # configuration guide, show vrrp interface); a recorded output with the plain line is given that line.
    text = (FIXTURES / "cisco_ios/show_vrrp/v2_description_line.raw").read_text()
    delayed = text.replace("  Preemption enabled\n", "  Preemption enabled, delay min 380 secs\n")
    assert delayed != text
    groups = get_platform("cisco_ios").interpret(FactRequest.make("r1", "vrrp_groups"), delayed)
    assert (groups[0].preempt, groups[0].preempt_delay) == (True, 380)
    assert run("vrrp", groups, vrid=100, preempt_delay=380)[0] is Outcome.PASS
    assert run("vrrp", get_platform("cisco_ios").interpret(FactRequest.make("r1", "vrrp_groups"), text),
               vrid=100, preempt_delay=380)[0] is Outcome.FAIL


def test_vrp_without_vrrp_says_so_and_the_group_is_not_configured() -> None:
    # VRP5 answers "display vrrp" without any group with this Info line (device inspection scripts test for it).
    groups = get_platform("huawei_vrp").interpret(FactRequest.make("r1", "vrrp_groups"),
                                                  "Info: The VRRP does not exist.\n")
    assert groups == []
    outcome, message = run("vrrp", groups, vrid=1)
    assert outcome is Outcome.FAIL and "VRRP group 1 is not configured (groups: none)" in message
